// Small string helpers for reading input and writing messages: trimming, splitting, joining,
// and typo suggestions ("did you mean 'talent.beta_wage'?"). One home, so every reader splits,
// joins and suggests alike.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace regionsim {

// `text` without spaces and tabs at either end.
std::string_view trim(std::string_view text);

// Every part between separators, empty ones included ("a..b" by '.' is {"a", "", "b"}).
std::vector<std::string_view> split(std::string_view text, char separator);

// The items with `separator` between them: join({"a", "b"}) is "a, b".
template <typename Range>
std::string join(const Range& items, std::string_view separator = ", ") {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += separator;
    out += item;
    first = false;
  }
  return out;
}

// Letters, digits, '_' and '-', at least one: a TOML bare key, and a segment of a key path.
bool is_bare_key(std::string_view text);

// Optimal-string-alignment distance: inserting, deleting or substituting a character, or swapping
// two adjacent ones, each costs 1, so the common slip "beta_wgae" is one edit from "beta_wage".
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` when it is near enough to be a plausible typo (about one edit
// per three characters, at most three); among equally near candidates the first wins, so callers
// control ties by the order they list candidates in.
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);

// "; did you mean '<prefix><match>'?" for the closest candidate, or "" when none is near.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates,
                         std::string_view prefix = {});

}  // namespace regionsim
