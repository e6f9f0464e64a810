// Reading a scenario: TOML files layered by `extends`, --set overrides on top, registry defaults
// underneath, every value checked against the parameter registry, and the result frozen into a
// Scenario before any simulation starts.
//
// Layering rules, in order of precedence (later wins):
//   1. the base file named by `extends`, recursively (paths relative to the extending file);
//   2. the extending file: tables merge key by key; arrays and the weight tables
//      (zone specialisation and ownership, sector inputs) are replaced whole, because they are
//      one value each (a distribution) rather than a set of independent settings;
//      `name` and `description` describe one file and are not inherited;
//   3. each --set override, in order: `path.to.key=value` changes exactly that key, so
//      `zone.lsiz.ownership.cdht=0.6` edits one share; an inline table value replaces whole.
// The region lists (`region.zones`, ...) decide which entities exist: a table inherited from a
// file older than the list that dropped its entity is ignored; one from the same or a newer
// layer must be listed.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "regionsim/scenario.hpp"

namespace regionsim {

// Bad input from a user: a scenario file, a --set override, a CLI value. The message names the
// place (file:line:column or the override as typed), the key, the bad value and what was
// expected; the command line prints what() and exits with code 2.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message);
};

// Loads `file`, follows `extends`, applies `overrides` ("path.to.key=value"; the value is read as
// TOML, and as a plain string when it is not valid TOML or the key takes text, so
// `--set name=my run` needs no quotes), fills every missing key with its registry default,
// validates, and returns the frozen Scenario. Throws InputError on any bad input.
Scenario load_scenario(const std::filesystem::path& file,
                       const std::vector<std::string>& overrides = {});

// Same, from TOML text; `origin` names the text in messages and anchors relative `extends`.
Scenario load_scenario_text(std::string_view toml_text, std::string_view origin,
                            const std::vector<std::string>& overrides = {});

// Every parameter with unit, default, valid range, description and basis, for
// `regionsim params` (plain text) and docs/parameters.md (Markdown).
std::string params_table_text();
std::string params_markdown();

}  // namespace regionsim
