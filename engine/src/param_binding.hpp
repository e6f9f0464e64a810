// How a registry entry is bound to the Scenario field it fills: the field's C++ type decides the
// parameter kind, so a key cannot be read as the wrong kind, and a store function generated per
// field writes the checked value. Only the registry table (param_registry.cpp) includes this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "param_registry.hpp"

namespace regionsim::binding {

template <typename T>
constexpr ParamKind kind_of() {
  if constexpr (std::is_same_v<T, double>) {
    return ParamKind::real;
  } else if constexpr (std::is_same_v<T, bool>) {  // before integers: bool is integral
    return ParamKind::boolean;
  } else if constexpr (std::is_enum_v<T>) {
    return ParamKind::choice;
  } else if constexpr (std::is_integral_v<T>) {
    return ParamKind::integer;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return ParamKind::text;
  } else {
    static_assert(std::is_same_v<T, std::vector<double>>, "no parameter kind for this field type");
    return ParamKind::weights;
  }
}

// The words of a choice field (its enum's choice_words), none for other fields.
template <typename T>
constexpr std::span<const std::string_view> choices_of() {
  if constexpr (std::is_enum_v<T>) {
    return choice_words(T{});
  } else {
    return {};
  }
}

template <typename T>
void assign(T& field, const ParamValue& value) {
  if constexpr (std::is_same_v<T, bool>) {
    field = std::get<bool>(value);
  } else if constexpr (std::is_enum_v<T> || std::is_integral_v<T>) {
    // Integers, and the index of a choice's word or an entity's name; the loader checked both.
    field = static_cast<T>(std::get<std::int64_t>(value));
  } else {
    field = std::get<T>(value);
  }
}

template <auto Member>
void store_top(Scenario& scenario, std::size_t, const ParamValue& value) {
  assign(scenario.*Member, value);
}

template <auto Section, auto Member>
void store_in_section(Scenario& scenario, std::size_t, const ParamValue& value) {
  assign(scenario.*Section.*Member, value);
}

template <auto List, auto Member>
void store_in_entity(Scenario& scenario, std::size_t index, const ParamValue& value) {
  assign((scenario.*List)[index].*Member, value);
}

template <typename T, StoreFn Store>
constexpr ParamBinding binding_of() {
  return {kind_of<T>(), Store, choices_of<T>()};
}

// The kind comes from the field's C++ type, so a key cannot be read as the wrong kind.
template <auto Member>
constexpr ParamBinding top_field() {
  using T = std::remove_cvref_t<decltype(std::declval<Scenario&>().*Member)>;
  return binding_of<T, &store_top<Member>>();
}

template <auto Section, auto Member>
constexpr ParamBinding section_field() {
  using T = std::remove_cvref_t<decltype(std::declval<Scenario&>().*Section.*Member)>;
  return binding_of<T, &store_in_section<Section, Member>>();
}

template <auto List, auto Member>
constexpr ParamBinding entity_field() {
  using T = std::remove_cvref_t<decltype((std::declval<Scenario&>().*List)[0].*Member)>;
  return binding_of<T, &store_in_entity<List, Member>>();
}

// A text field read as a date.
constexpr ParamBinding as_date(ParamBinding binding) {
  binding.kind = ParamKind::date;
  return binding;
}

// An index field (ZoneIndex, SkillIndex...) read as the name of an entity of the spec's `keys`.
constexpr ParamBinding as_entity(ParamBinding binding) {
  binding.kind = ParamKind::entity;
  return binding;
}

constexpr ParamBinding structural(ParamKind kind) {
  return {kind, nullptr, {}};
}

}  // namespace regionsim::binding
