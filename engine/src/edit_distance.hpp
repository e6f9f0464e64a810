// Typo suggestions for unknown keys and names ("did you mean 'talent.beta_wage'?").
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace regionsim {

// Optimal-string-alignment distance: inserting, deleting or substituting a character, or swapping
// two adjacent ones, each costs 1, so the common slip "beta_wgae" is one edit from "beta_wage".
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` when it is near enough to be a plausible typo (about one edit
// per three characters, at most three); among equally near candidates the first wins, so callers
// control ties by the order they list candidates in.
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);

}  // namespace regionsim
