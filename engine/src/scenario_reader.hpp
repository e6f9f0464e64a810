// Checking a merged scenario document against the parameter registry and reading it into a
// Scenario, for the loader (scenario_loader.cpp, which layers the document first). The reader's
// parts live in files by concern: scenario_reader.cpp (keys, sections, entities, values),
// travel_matrix.cpp (travel times given in either direction) and resolved_toml.cpp (the document
// written back in registry order).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "param_registry.hpp"
#include "regionsim/scenario.hpp"

namespace regionsim {

// Nodes parsed from a --set override carry the override as typed, behind this prefix, as their
// source path: for them that text is the most useful place to name in a message.
inline constexpr std::string_view kOverridePrefix = "--set ";

// "file:line:column", or the override as typed, or "" for nodes the loader made itself.
std::string describe_source(const toml::source_region& source);

// Throws InputError("where: message"), or the message alone when `where` is empty.
[[noreturn]] void fail_at(const std::string& where, const std::string& message);

// Position of `name` in `names`, or names.size() when absent.
std::size_t name_index(const std::vector<std::string>& names, std::string_view name);

// Checks a merged document against the registry and reads it into a Scenario. Missing keys are
// filled with their defaults in the document itself, which thereby becomes the resolved scenario.
class ScenarioReader {
 public:
  // `layers` names the merged sources, oldest first: files base first, then overrides.
  ScenarioReader(toml::table& doc, std::string origin, std::vector<std::string> layers)
      : doc_(doc), origin_(std::move(origin)), layers_(std::move(layers)) {}

  Scenario read() {
    check_top_level();
    read_region();
    read_sections();
    for (Entity entity : kEntities)
      read_entities(entity);
    read_travel();
    return std::move(scenario_);
  }

  // The document in registry order: sections, then entities and travel times in region order.
  std::string resolved_toml() const;

 private:
  [[noreturn]] void fail(const toml::source_region& at, const std::string& message) const {
    const std::string where = describe_source(at);
    fail_at(where.empty() ? origin_ : where, message);
  }
  [[noreturn]] void fail_unknown_key(const toml::key& key, const toml::node& node,
                                     std::string_view group, const std::string& prefix,
                                     const std::string& place) const;
  [[noreturn]] void fail_unknown_name(const toml::source_region& at, const std::string& context,
                                      Entity entity, std::string_view name) const;

  const std::vector<std::string>& names(Entity entity) const { return names_[entity_slot(entity)]; }
  std::size_t layer_of(const toml::node& node) const;
  std::size_t latest_layer(const toml::node& node) const;
  const toml::node& newest_part(const toml::node& node) const;
  bool dropped_by_list(const toml::node& node, Entity entity) const {
    return latest_layer(node) < layer_of(*lists_[entity_slot(entity)]);
  }

  toml::table& table_at(toml::table& parent, std::string_view key, const std::string& key_path);
  void check_keys(const toml::table& table, std::string_view group, const std::string& prefix,
                  const std::string& place) const;

  void check_top_level();
  void read_region();
  void read_sections();
  void read_entities(Entity entity);
  void apply_across_rule(Entity entity, const ParamSpec& spec,
                         const std::vector<const toml::node*>& nodes);
  void read_travel();
  void resize_entities(Entity entity);

  const toml::node& value_or_default(toml::table& table, const ParamSpec& spec,
                                     const std::string& key);
  ParamValue read_param(toml::table& table, const ParamSpec& spec, const std::string& key);
  double read_number(const toml::node& node, const ParamSpec& spec, const std::string& key) const;
  std::string read_string(const toml::node& node, const ParamSpec& spec,
                          const std::string& key) const;
  bool read_bool(const toml::node& node, const std::string& key) const;
  std::vector<double> read_weights(const toml::node& node, const ParamSpec& spec,
                                   const std::string& key) const;
  std::string entries_text(Entity keys, const std::vector<double>& values,
                           const toml::table& given) const;

  toml::table& doc_;
  std::string origin_;
  std::vector<std::string> layers_;
  Scenario scenario_;
  std::array<std::vector<std::string>, 4> names_;  // by entity, in region order
  std::array<const toml::array*, 4> lists_{};      // the region.* arrays that named them
};

}  // namespace regionsim
