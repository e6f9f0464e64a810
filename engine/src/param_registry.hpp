// The parameter registry: every scenario key with its unit, default, valid range, meaning and
// basis, bound to the Scenario field it fills. The loader, `regionsim params` and
// docs/parameters.md all read this one table, so no default or range is written twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "regionsim/scenario.hpp"

namespace regionsim {

enum class ParamKind {
  real,       // a number; integers are accepted
  integer,    // an integer; a float, even 120.0, is refused
  boolean,    // true or false (1 and 0 are accepted, as written before booleans existed)
  text,       // a string
  choice,     // one word of a fixed list, stored as the enum value at the word's position
  date,       // ISO date of a month's first day, "YYYY-MM-01" (a string or a TOML date)
  name_list,  // region.*: array of entity names, in output order
  entity,     // the name of one listed entity, stored as its index in region order
  weights,    // table entity name -> number, stored dense in region order
};

// The TOML words of each choice, in the order of the enum's values: the one place a word maps to
// its enum value. The registry binds an enum field to its words through choice_words().
inline constexpr std::string_view kPoolBasisWords[] = {"all", "incremental"};
inline constexpr std::string_view kPoolFormulaWords[] = {"ownership", "equal", "population",
                                                         "fixed"};
inline constexpr std::string_view kCommitteeModeWords[] = {"science_city", "per_zone"};
constexpr std::span<const std::string_view> choice_words(CommitteeMode) {
  return kCommitteeModeWords;
}
constexpr std::span<const std::string_view> choice_words(PoolBasis) {
  return kPoolBasisWords;
}
constexpr std::span<const std::string_view> choice_words(PoolFormula) {
  return kPoolFormulaWords;
}

// The word of an enum value, e.g. choice_word(PoolFormula::equal) == "equal".
template <typename Enum>
constexpr std::string_view choice_word(Enum value) {
  return choice_words(value)[static_cast<std::size_t>(value)];
}

// The kinds of named entities a scenario declares in region.* lists.
enum class Entity { none, zone, sector, skill, jurisdiction };
inline constexpr Entity kEntities[] = {Entity::zone, Entity::sector, Entity::skill,
                                       Entity::jurisdiction};

// Position of an entity kind in kEntities, for tables indexed by kind.
inline std::size_t entity_slot(Entity entity) {
  return static_cast<std::size_t>(entity) - 1;
}

std::string_view entity_group(Entity entity);  // "zone": the table holding [zone.<name>]
std::string_view entity_list(Entity entity);   // "zones": the key in [region]
Entity entity_of_group(std::string_view group);

// Constraints over a set of numbers: the entries of a weights table, or one field across all
// entities of a kind (skill shares).
enum class SumRule {
  none,
  normalise,    // at least one > 0; divided by the sum
  sum_to_one,   // must sum to 1 within 1e-9
  at_most_one,  // must sum to at most 1
};

struct ParamDefault {
  enum class Source {
    required,
    number,
    boolean,
    text,
    empty_table,
    file_stem,
    first_listed,
    absent
  };
  Source source = Source::required;
  double number = 0;
  std::string_view text;

  static constexpr ParamDefault required() { return {}; }
  static constexpr ParamDefault of(double x) { return {Source::number, x, {}}; }
  static constexpr ParamDefault of(std::string_view s) { return {Source::text, 0, s}; }
  // A choice's default as its enum value, so it cannot name a word that is not a choice.
  template <typename Enum>
  static constexpr ParamDefault choice(Enum value) {
    return of(choice_word(value));
  }
  static constexpr ParamDefault boolean(bool b) { return {Source::boolean, b ? 1.0 : 0.0, {}}; }
  // The first entity of the parameter's list (region.zones for a zone): what list position
  // implied before the role had a key, so scenarios that do not name it keep their meaning.
  static constexpr ParamDefault first_listed() { return {Source::first_listed, 0, {}}; }
  static constexpr ParamDefault empty_table() { return {Source::empty_table, 0, {}}; }
  static constexpr ParamDefault file_stem() { return {Source::file_stem, 0, {}}; }
  static constexpr ParamDefault absent() { return {Source::absent, 0, {}}; }
};

// A checked value on its way into the Scenario: integers stay exact, weights arrive dense, a
// choice or an entity name arrives as its index.
using ParamValue = std::variant<double, std::int64_t, bool, std::string, std::vector<double>>;
// Writes a value into its Scenario field; `index` selects the entity for zone.<name>.* and the
// like and is ignored otherwise.
using StoreFn = void (*)(Scenario& scenario, std::size_t index, const ParamValue& value);

struct ParamBinding {
  ParamKind kind = ParamKind::real;
  StoreFn store = nullptr;  // null for structural keys the loader reads itself (region, travel)
  std::span<const std::string_view> choices{};  // choice: the words, in enum value order
};

struct ParamSpec {
  std::string_view group;  // "" at top level, a section ("talent"), or an entity group ("zone")
  std::string_view field;  // "" for travel_minutes, whose keys are zone names
  ParamBinding bind;
  std::string_view unit;
  ParamDefault def;
  double min = 0;  // valid range, inclusive; for a weights table, of each entry; for a name
  double max = 0;  // list, of the number of names (the engine's limits, regionsim/limits.hpp)
  SumRule rule = SumRule::none;
  Entity keys = Entity::none;  // entities named by a name list, an entity name or weights' keys
  std::string_view about;      // one line: what the parameter means
  std::string_view basis;      // why this default: a fact, a study, a calibration or judgement

  ParamKind kind() const { return bind.kind; }
  std::span<const std::string_view> choices() const { return bind.choices; }
  Entity entity() const { return entity_of_group(group); }
  // The key as written in docs: "talent.beta_wage", "zone.<name>.amenity", "name".
  std::string key() const;
};

// All parameters, in documentation order (sections, then entity fields, then travel times).
std::span<const ParamSpec> param_registry();

// The parameter at `group`.`field` (for entities, the group is "zone" etc.), or null.
const ParamSpec* find_param(std::string_view group, std::string_view field);

// Fields valid in a group, in registry order (the candidates of a did-you-mean).
std::vector<std::string_view> param_fields(std::string_view group);

// Distinct groups in registry order, "" (top-level fields) first.
std::vector<std::string_view> param_groups();

// Keys valid at the top of a scenario file: top-level fields, then groups.
std::vector<std::string_view> top_level_keys();

// The unit in parentheses for messages, " (1/log mCNY)", or "" for dimensionless values.
std::string unit_suffix(const ParamSpec& spec);

// Default and valid range as shown by `regionsim params`; the interval alone ("[0, 100]") is
// what messages quote.
std::string default_text(const ParamSpec& spec);
std::string range_text(const ParamSpec& spec);
std::string interval_text(const ParamSpec& spec);

}  // namespace regionsim
