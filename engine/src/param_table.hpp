// Internal to the parameter registry: the macros its tables are written with, and the parts of the
// table that live in their own files (param_registry.cpp joins them in order).
#pragma once

#include <span>

#include "param_binding.hpp"
#include "param_registry.hpp"

namespace regionsim {

// The key strings are the stringised member names, so a key can never drift from its field.
#define SECTION_PARAM(section, member) \
  .group = #section, .field = #member, \
  .bind = section_field<&Scenario::section, &decltype(Scenario::section)::member>()
#define ENTITY_PARAM(group_name, list, member) \
  .group = #group_name, .field = #member,      \
  .bind = entity_field<&Scenario::list, &decltype(Scenario::list)::value_type::member>()

inline constexpr auto of = [](auto x) { return ParamDefault::of(x); };
inline constexpr ParamDefault kRequired = ParamDefault::required();
// TOML integers are signed 64-bit, so this is the largest seed a file can hold.
inline constexpr double kMaxSeed = 9223372036854775807.0;

// [government] promotion keys, [instruments], [committee]: param_registry_promotion.cpp.
std::span<const ParamSpec> promotion_params();
// [zone.<name>], [sector.<name>], [skill.<name>], [jurisdiction.<name>], [travel_minutes].
std::span<const ParamSpec> entity_params();

}  // namespace regionsim
