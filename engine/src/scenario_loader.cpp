#include "regionsim/scenario_loader.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include <toml++/toml.h>

#include "edit_distance.hpp"
#include "param_registry.hpp"
#include "toml_merge.hpp"

namespace regionsim {

InputError::InputError(std::string message) : std::runtime_error(std::move(message)) {}

namespace {

namespace fs = std::filesystem;

// Nodes parsed from a --set override carry the override as typed, behind this prefix, as their
// source path: for them that text is the most useful place to name in a message.
constexpr std::string_view kOverridePrefix = "--set ";

// Shares written as decimals (0.15 + 0.45 + 0.40) miss 1 by a few ulps; real mistakes are larger.
constexpr double kSumTolerance = 1e-9;

// --- Messages ----------------------------------------------------------------------------------

// "file:line:column", or the override as typed, or "" for nodes the loader made itself.
std::string describe_source(const toml::source_region& source) {
  if (!source.path) return {};
  const std::string& path = *source.path;
  if (path.starts_with(kOverridePrefix) || !source.begin) return path;
  return path + ":" + std::to_string(source.begin.line) + ":" + std::to_string(source.begin.column);
}

[[noreturn]] void fail_at(const std::string& where, const std::string& message) {
  throw InputError(where.empty() ? message : where + ": " + message);
}

template <typename Range>
std::string join(const Range& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

// A bad value as the user would write it, shortened so a stray table cannot flood the message.
std::string show(const toml::node& value) {
  constexpr std::size_t kMaxLength = 60;
  std::string text = format_toml_value(value);
  if (text.size() > kMaxLength) text = text.substr(0, kMaxLength - 3) + "...";
  return text;
}

// Sums of decimal shares shown to 12 digits: "0.9", not "0.90000000000000002".
std::string format_sum(double sum) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.12g", sum);
  return buffer;
}

std::vector<std::string_view> views(const std::vector<std::string>& names) {
  return {names.begin(), names.end()};
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates,
                         std::string_view prefix = {}) {
  const auto match = closest_match(word, candidates);
  return match ? "; did you mean '" + std::string(prefix) + std::string(*match) + "'?" : "";
}

// --- Names and dates ---------------------------------------------------------------------------

bool is_entity_name(std::string_view name) {
  return !name.empty() &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string_view::npos;
}

bool is_key_segment(std::string_view segment) {
  return !segment.empty() && segment.find_first_not_of(
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                 "0123456789_-") == std::string_view::npos;
}

// "YYYY-MM-01": the simulation steps whole months, so month 0 must start on a month's first day.
bool is_month_start(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (date[i] < '0' || date[i] > '9') return false;
  }
  const int month = (date[5] - '0') * 10 + (date[6] - '0');
  return month >= 1 && month <= 12 && date.substr(8) == "01";
}

std::size_t slot(Entity entity) {
  return static_cast<std::size_t>(entity) - 1;
}

std::size_t index_of(const std::vector<std::string>& names, std::string_view name) {
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

// --- Files and extends -------------------------------------------------------------------------

std::optional<std::string> read_text(const fs::path& file) {
  std::error_code error;
  if (fs::is_directory(file, error)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

toml::table parse_toml(std::string_view text, const std::string& source_path) {
  try {
    return toml::parse(text, std::string_view{source_path});
  } catch (const toml::parse_error& error) {
    const std::string where = describe_source(error.source());
    fail_at(where.empty() ? source_path : where,
            "TOML syntax error: " + std::string(error.description()));
  }
}

// The same file reached by two spellings must count as one when looking for extends cycles.
fs::path file_identity(const fs::path& file) {
  std::error_code error;
  const fs::path canonical = fs::weakly_canonical(file, error);
  return error ? file.lexically_normal() : canonical;
}

// Zone specialisation and ownership, and sector inputs, are one value each (a distribution):
// merging one zone's shares key by key into another's would make sums no one wrote.
bool is_weights_path(const TomlPath& path) {
  if (path.size() != 3 || entity_of_group(path[0]) == Entity::none) return false;
  const ParamSpec* spec = find_param(path[0], path[2]);
  return spec != nullptr && spec->kind() == ParamKind::weights;
}

struct ExtendsChain {
  std::vector<std::string> files;                          // merged so far, base first
  std::vector<std::pair<fs::path, std::string>> visiting;  // identity and name, for cycles
};

// Parses `text`, the contents of `file`, and the files it extends; returns them merged.
toml::table resolve_extends(std::string_view text, const fs::path& file, ExtendsChain& chain) {
  toml::table doc = parse_toml(text, file.string());
  const toml::node* extends = doc.get("extends");
  if (extends == nullptr) {
    chain.files.push_back(file.string());
    return doc;
  }

  const std::string where = describe_source(extends->source());
  const auto* base_name = extends->as_string();
  if (base_name == nullptr || base_name->get().empty()) {
    fail_at(where, "extends = " + show(*extends) +
                       ": expected the path of a scenario file, relative to this file");
  }
  const fs::path base_file = (file.parent_path() / base_name->get()).lexically_normal();

  chain.visiting.emplace_back(file_identity(file), file.string());
  const fs::path base_identity = file_identity(base_file);
  const auto seen =
      std::find_if(chain.visiting.begin(), chain.visiting.end(),
                   [&](const auto& visited) { return visited.first == base_identity; });
  if (seen != chain.visiting.end()) {
    std::string cycle;
    for (auto it = seen; it != chain.visiting.end(); ++it)
      cycle += "'" + it->second + "' -> ";
    fail_at(where, "extends cycle: " + cycle + "'" + base_file.string() +
                       "'; a scenario cannot extend itself, directly or through others");
  }
  const std::optional<std::string> base_text = read_text(base_file);
  if (!base_text) {
    fail_at(where, "cannot open scenario file '" + base_file.string() + "' (extended from '" +
                       file.string() + "')");
  }

  toml::table merged = resolve_extends(*base_text, base_file, chain);
  chain.visiting.pop_back();
  doc.erase("extends");
  // A name and description say what one file is; the scenario extending it is another one.
  merged.erase("name");
  merged.erase("description");
  merge_layer(merged, std::move(doc),
              [](const TomlPath& path, const toml::table&) { return is_weights_path(path); });
  chain.files.push_back(file.string());
  return merged;
}

// --- Overrides ---------------------------------------------------------------------------------

std::string_view trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// The registry entry a key path names, if any: "name", "run.seed", "zone.core.amenity".
const ParamSpec* param_at(const std::vector<std::string_view>& path) {
  if (path.size() == 1) return find_param("", path[0]);
  if (path.size() == 2) return find_param(path[0], path[1]);
  if (path.size() == 3 && entity_of_group(path[0]) != Entity::none) {
    return find_param(path[0], path[2]);
  }
  return nullptr;
}

// Reads "path.to.key=value" as the one-line TOML document "path.to.key = value", so an override is
// checked exactly like a file and its nodes remember where they came from.
toml::table parse_override(const std::string& text) {
  const std::string where = std::string(kOverridePrefix) + text;
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos) fail_at(where, "expected key=value");
  const std::string_view key = trim(std::string_view(text).substr(0, equals));
  const std::string_view value = trim(std::string_view(text).substr(equals + 1));

  std::vector<std::string_view> path;
  for (std::size_t start = 0;;) {
    const std::size_t dot = key.find('.', start);
    path.push_back(key.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (!std::all_of(path.begin(), path.end(), is_key_segment)) {
    fail_at(where, "'" + std::string(key) +
                       "' is not a key; expected names joined by dots, such as talent.beta_wage");
  }
  if (key == "extends") {
    fail_at(where,
            "extends cannot be overridden, it is resolved before overrides apply; "
            "write a scenario file that extends the other one instead");
  }

  // Text keys take the value verbatim unless it is quoted, so `--set name=my run` works.
  const ParamSpec* spec = param_at(path);
  const bool wants_text =
      spec != nullptr && (spec->kind() == ParamKind::text || spec->kind() == ParamKind::date);
  const std::string assignment = std::string(key) + " = ";
  if (value.find_first_of("\r\n") == std::string_view::npos) {
    try {
      toml::table layer = toml::parse(assignment + std::string(value), std::string_view{where});
      const toml::node_view parsed = layer.at_path(key);
      if (!wants_text || parsed.is_string() || parsed.is_date()) return layer;
    } catch (const toml::parse_error&) {
      // Not a TOML value: a bare word, read as a string below.
    }
  }
  return parse_toml(assignment + quote_toml_string(value), where);
}

// An override sets exactly the key it names; only a table written inline replaces whole.
bool replace_inline_tables(const TomlPath&, const toml::table& incoming) {
  return incoming.is_inline();
}

// --- Checking and reading the merged document ---------------------------------------------------

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

  const std::vector<std::string>& names(Entity entity) const { return names_[slot(entity)]; }
  std::size_t layer_of(const toml::node& node) const;
  std::size_t latest_layer(const toml::node& node) const;
  const toml::node& newest_part(const toml::node& node) const;
  bool dropped_by_list(const toml::node& node, Entity entity) const {
    return latest_layer(node) < layer_of(*lists_[slot(entity)]);
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

void ScenarioReader::fail_unknown_key(const toml::key& key, const toml::node& node,
                                      std::string_view group, const std::string& prefix,
                                      const std::string& place) const {
  const std::vector<std::string_view> valid =
      group.empty() ? top_level_keys() : param_fields(group);
  std::string message = "unknown key '" + prefix + std::string(key.str()) + "'";
  if (auto match = closest_match(key.str(), valid)) {
    message += "; did you mean '" + prefix + std::string(*match) + "'?";
  } else if (auto elsewhere =
                 std::find_if(param_registry().begin(), param_registry().end(),
                              [&](const ParamSpec& spec) { return spec.field == key.str(); });
             elsewhere != param_registry().end()) {
    // The right key in the wrong table, e.g. `steps` outside [run].
    message += "; did you mean '" + elsewhere->key() + "'?";
  } else {
    message += "; valid keys " + place + ": " + join(valid);
  }
  fail(key.source().path ? key.source() : node.source(), message);
}

void ScenarioReader::fail_unknown_name(const toml::source_region& at, const std::string& context,
                                       Entity entity, std::string_view name) const {
  const std::vector<std::string_view> known = views(names(entity));
  fail(at, context + ": unknown " + std::string(entity_group(entity)) + " '" + std::string(name) +
               "'; known: " + join(known) + did_you_mean(name, known));
}

std::size_t ScenarioReader::layer_of(const toml::node& node) const {
  const auto& path = node.source().path;
  if (!path) return layers_.size();
  return static_cast<std::size_t>(std::find(layers_.begin(), layers_.end(), *path) -
                                  layers_.begin());
}

std::size_t ScenarioReader::latest_layer(const toml::node& node) const {
  std::size_t latest = layer_of(node);
  if (const auto* table = node.as_table()) {
    for (auto&& [key, child] : *table)
      latest = std::max(latest, latest_layer(child));
  } else if (const auto* array = node.as_array()) {
    for (const toml::node& child : *array)
      latest = std::max(latest, latest_layer(child));
  }
  return latest;
}

// The part of a value written last (an entry set by --set inside a table from a file): when a
// constraint over the whole value fails, that edit is the likeliest culprit.
const toml::node& ScenarioReader::newest_part(const toml::node& node) const {
  const toml::node* newest = &node;
  if (const auto* table = node.as_table()) {
    for (auto&& [key, child] : *table) {
      if (layer_of(child) > layer_of(*newest)) newest = &child;
    }
  }
  return *newest;
}

toml::table& ScenarioReader::table_at(toml::table& parent, std::string_view key,
                                      const std::string& key_path) {
  if (toml::node* node = parent.get(key)) {
    if (auto* table = node->as_table()) return *table;
    fail(node->source(), key_path + " = " + show(*node) + ": expected a table");
  }
  return *parent.insert(key, toml::table{}).first->second.as_table();
}

void ScenarioReader::check_keys(const toml::table& table, std::string_view group,
                                const std::string& prefix, const std::string& place) const {
  for (auto&& [key, node] : table) {
    if (find_param(group, key.str()) == nullptr) {
      fail_unknown_key(key, node, group, prefix, place);
    }
  }
}

void ScenarioReader::check_top_level() {
  const std::vector<std::string_view> groups = param_groups();
  for (auto&& [key, node] : doc_) {
    if (find_param("", key.str()) != nullptr) continue;  // read with the sections
    if (std::find(groups.begin(), groups.end(), key.str()) == groups.end()) {
      fail_unknown_key(key, node, "", "", "at the top level");
    }
    if (!node.is_table()) {
      fail(node.source(), std::string(key.str()) + " = " + show(node) + ": expected a table [" +
                              std::string(key.str()) + "]");
    }
  }
}

void ScenarioReader::read_region() {
  toml::table& region = table_at(doc_, "region", "region");
  check_keys(region, "region", "region.", "in [region]");
  for (Entity entity : kEntities) {
    const std::string list(entity_list(entity));
    const std::string noun(entity_group(entity));
    const std::string key = "region." + list;
    const ParamSpec& spec = *find_param("region", list);
    const toml::node* node = region.get(list);
    if (node == nullptr) {
      fail(region.source(), key + " is required: the " + list + "' names, in output order");
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      fail(node->source(), key + " = " + show(*node) + ": expected an array of " + noun +
                               " names, such as [\"a\", \"b\"]");
    }
    std::vector<std::string>& found = names_[slot(entity)];
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      const auto* name = item.as_string();
      if (name == nullptr || !is_entity_name(name->get())) {
        fail(item.source(), key + " item " + std::to_string(i + 1) + " = " + show(item) +
                                ": expected a " + noun +
                                " name of lowercase letters, digits, '_' or '-'");
      }
      if (const std::size_t earlier = index_of(found, name->get()); earlier < found.size()) {
        fail(item.source(), key + ": duplicate " + noun + " name '" + name->get() + "' (items " +
                                std::to_string(earlier + 1) + " and " + std::to_string(i + 1) +
                                ")");
      }
      found.push_back(name->get());
    }
    if (static_cast<double>(found.size()) < spec.min) {
      fail(node->source(), key + " lists " + std::to_string(found.size()) + " " + noun +
                               "(s); expected at least " + format_number(spec.min));
    }
    lists_[slot(entity)] = array;
  }
}

void ScenarioReader::read_sections() {
  for (const ParamSpec& spec : param_registry()) {
    if (!spec.group.empty() || spec.field == "extends") continue;
    const ParamValue value = read_param(doc_, spec, spec.key());
    if (spec.bind.store != nullptr) spec.bind.store(scenario_, 0, value);
  }
  for (std::string_view group : param_groups()) {
    if (group.empty() || group == "region" || group == "travel_minutes" ||
        entity_of_group(group) != Entity::none) {
      continue;
    }
    const std::string name(group);
    toml::table& table = table_at(doc_, group, name);
    check_keys(table, group, name + ".", "in [" + name + "]");
    for (const ParamSpec& spec : param_registry()) {
      if (spec.group == group) spec.bind.store(scenario_, 0, read_param(table, spec, spec.key()));
    }
  }
}

void ScenarioReader::resize_entities(Entity entity) {
  const std::vector<std::string>& list = names(entity);
  auto name_all = [&list](auto& specs) {
    specs.resize(list.size());
    for (std::size_t i = 0; i < list.size(); ++i)
      specs[i].name = list[i];
  };
  switch (entity) {
    case Entity::zone:
      name_all(scenario_.zones);
      break;
    case Entity::sector:
      name_all(scenario_.sectors);
      break;
    case Entity::skill:
      name_all(scenario_.skills);
      break;
    case Entity::jurisdiction:
      name_all(scenario_.jurisdictions);
      break;
    case Entity::none:
      break;
  }
}

void ScenarioReader::read_entities(Entity entity) {
  const std::string group(entity_group(entity));
  const std::string list_key = "region." + std::string(entity_list(entity));
  const std::vector<std::string>& listed = names(entity);
  toml::table& tables = table_at(doc_, group, group);

  // The list decides which entities exist. A table for an unlisted one is a mistake, unless it
  // was inherited from a file older than the list, which the list then deliberately dropped.
  std::vector<std::string> dropped;
  for (auto&& [name, node] : tables) {
    if (index_of(listed, name.str()) < listed.size()) continue;
    if (dropped_by_list(node, entity)) {
      dropped.emplace_back(name.str());
      continue;
    }
    fail(name.source().path ? name.source() : node.source(),
         "[" + group + "." + std::string(name.str()) + "] is not listed in " + list_key + " (" +
             join(listed) + ")" + did_you_mean(name.str(), views(listed), group + "."));
  }
  for (const std::string& name : dropped)
    tables.erase(name);

  resize_entities(entity);
  std::vector<std::vector<const toml::node*>> across(param_registry().size());
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const std::string& name = listed[i];
    toml::node* node = tables.get(name);
    if (node == nullptr) {
      fail(lists_[slot(entity)]->get(i)->source(),
           list_key + " lists '" + name + "' but there is no [" + group + "." + name + "] table");
    }
    toml::table* table = node->as_table();
    if (table == nullptr) {
      fail(node->source(), group + "." + name + " = " + show(*node) + ": expected a table of " +
                               group + " fields, [" + group + "." + name + "]");
    }
    const std::string prefix = group + "." + name + ".";
    check_keys(*table, group, prefix, "in [" + group + "." + name + "]");
    for (std::size_t p = 0; p < param_registry().size(); ++p) {
      const ParamSpec& spec = param_registry()[p];
      if (spec.group != group) continue;
      spec.bind.store(scenario_, i, read_param(*table, spec, prefix + std::string(spec.field)));
      if (spec.kind() == ParamKind::real && spec.rule != SumRule::none) {
        across[p].push_back(table->get(spec.field));
      }
    }
  }
  for (std::size_t p = 0; p < across.size(); ++p) {
    if (!across[p].empty()) apply_across_rule(entity, param_registry()[p], across[p]);
  }
}

// One field constrained over all entities of a kind: skill shares sum to 1, sector entry weights
// are normalised.
void ScenarioReader::apply_across_rule(Entity entity, const ParamSpec& spec,
                                       const std::vector<const toml::node*>& nodes) {
  std::vector<double> values;
  double sum = 0;
  for (const toml::node* node : nodes) {
    values.push_back(node->value<double>().value_or(0));
    sum += values.back();
  }
  // Point at the most recently written value: it is the likeliest to have broken the sum.
  const toml::node* newest = *std::max_element(
      nodes.begin(), nodes.end(),
      [this](const toml::node* a, const toml::node* b) { return layer_of(*a) < layer_of(*b); });
  const std::string key = spec.key();
  const std::string over(entity_list(entity));
  std::string given;
  for (std::size_t i = 0; i < values.size(); ++i) {
    given += (i == 0 ? "" : ", ") + names(entity)[i] + "=" + format_number(values[i]);
  }

  switch (spec.rule) {
    case SumRule::sum_to_one:
      if (std::fabs(sum - 1) > kSumTolerance) {
        fail(newest->source(), key + " sums to " + format_sum(sum) + " over " + over +
                                   ", expected shares summing to 1 (" + given + ")");
      }
      break;
    case SumRule::at_most_one:
      if (sum > 1 + kSumTolerance) {
        fail(newest->source(), key + " sums to " + format_sum(sum) + " over " + over +
                                   ", expected a sum of at most 1 (" + given + ")");
      }
      break;
    case SumRule::normalise:
      if (!(sum > 0)) {
        fail(newest->source(),
             key + " is 0 for all " + over + "; expected at least one weight > 0 (" + given + ")");
      }
      for (std::size_t i = 0; i < values.size(); ++i)
        spec.bind.store(scenario_, i, values[i] / sum);
      break;
    case SumRule::none:
      break;
  }
}

void ScenarioReader::read_travel() {
  const std::vector<std::string>& zones = names(Entity::zone);
  const std::size_t n = zones.size();
  const ParamSpec& spec = *find_param("travel_minutes", "");
  toml::table& travel = table_at(doc_, "travel_minutes", "travel_minutes");

  struct Given {
    const toml::node* node;
    std::size_t layer;
    double minutes;
  };
  std::vector<std::optional<Given>> given(n * n);
  std::vector<std::pair<toml::table*, std::string>> erase;  // dropped or overridden entries

  for (auto&& [from, row_node] : travel) {
    const std::size_t i = index_of(zones, from.str());
    const std::string row_key = "travel_minutes." + std::string(from.str());
    if (i == n) {
      if (dropped_by_list(row_node, Entity::zone)) {
        erase.emplace_back(&travel, from.str());
        continue;
      }
      fail_unknown_name(from.source(), "travel_minutes", Entity::zone, from.str());
    }
    toml::table* row = row_node.as_table();
    if (row == nullptr) {
      fail(row_node.source(), row_key + " = " + show(row_node) +
                                  ": expected a table of zone = minutes, such as { b = 25 }");
    }
    for (auto&& [to, value] : *row) {
      const std::size_t j = index_of(zones, to.str());
      if (j == n) {
        if (dropped_by_list(value, Entity::zone)) {
          erase.emplace_back(row, to.str());
          continue;
        }
        fail_unknown_name(to.source(), row_key, Entity::zone, to.str());
      }
      const std::string key = row_key + "." + std::string(to.str());
      const double minutes = read_number(value, spec, key);
      if (i == j) {
        if (minutes != 0) {
          fail(value.source(), key + " = " + show(value) + ": a zone is 0 minutes from itself");
        }
        continue;
      }
      given[i * n + j] = Given{&value, layer_of(value), minutes};
    }
  }

  // Each pair may be given in either direction. Given both ways, the values must agree, unless a
  // later layer (an extending file, a --set) changed one of them: then the later one wins.
  std::vector<std::vector<double>> matrix(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      std::optional<Given> forward = given[i * n + j];
      std::optional<Given> backward = given[j * n + i];
      if (!forward && !backward) {
        fail(travel.source(), "no travel time between '" + zones[i] + "' and '" + zones[j] +
                                  "': expected travel_minutes." + zones[i] + "." + zones[j] +
                                  " (or travel_minutes." + zones[j] + "." + zones[i] +
                                  ") in minutes");
      }
      if (forward && backward && forward->minutes != backward->minutes) {
        if (forward->layer == backward->layer) {
          fail(backward->node->source(),
               "travel_minutes." + zones[j] + "." + zones[i] + " = " + show(*backward->node) +
                   " contradicts travel_minutes." + zones[i] + "." + zones[j] + " = " +
                   show(*forward->node) + " (" + describe_source(forward->node->source()) +
                   "); give each pair once");
        }
        const bool forward_wins = forward->layer > backward->layer;
        const std::size_t from = forward_wins ? j : i;
        const std::size_t to = forward_wins ? i : j;
        erase.emplace_back(travel[zones[from]].as_table(), zones[to]);
        (forward_wins ? backward : forward).reset();
      }
      matrix[i][j] = matrix[j][i] = forward ? forward->minutes : backward->minutes;
    }
  }
  for (auto& [table, key] : erase)
    table->erase(key);
  scenario_.travel_minutes = std::move(matrix);
}

const toml::node& ScenarioReader::value_or_default(toml::table& table, const ParamSpec& spec,
                                                   const std::string& key) {
  if (const toml::node* node = table.get(spec.field)) return *node;
  using Source = ParamDefault::Source;
  switch (spec.def.source) {
    case Source::required:
      if (spec.kind() == ParamKind::weights) {
        fail(table.source(), key + " is required: a table of " +
                                 std::string(entity_group(spec.keys)) + " = " +
                                 std::string(spec.unit));
      }
      fail(table.source(), key + " is required" + unit_suffix(spec));
    case Source::number:
      if (spec.kind() == ParamKind::integer) {
        table.insert(spec.field, static_cast<std::int64_t>(spec.def.number));
      } else {
        table.insert(spec.field, spec.def.number);
      }
      break;
    case Source::text:
      table.insert(spec.field, std::string(spec.def.text));
      break;
    case Source::file_stem:
      table.insert(spec.field, fs::path(origin_).stem().string());
      break;
    case Source::empty_table: {
      toml::table empty;
      empty.is_inline(true);
      table.insert(spec.field, std::move(empty));
      break;
    }
    case Source::absent:
      break;
  }
  return *table.get(spec.field);
}

ParamValue ScenarioReader::read_param(toml::table& table, const ParamSpec& spec,
                                      const std::string& key) {
  const toml::node& node = value_or_default(table, spec, key);
  switch (spec.kind()) {
    case ParamKind::real:
      return read_number(node, spec, key);
    case ParamKind::integer:
      read_number(node, spec, key);
      return node.as_integer()->get();
    case ParamKind::text:
      return read_string(node, spec, key);
    case ParamKind::date: {
      // A TOML date and its string spelling mean the same; the resolved document keeps one form.
      std::string date = read_string(node, spec, key);
      table.insert_or_assign(spec.field, date);
      return date;
    }
    case ParamKind::weights:
      return read_weights(node, spec, key);
    case ParamKind::name_list:
      break;  // read by read_region
  }
  return {};
}

double ScenarioReader::read_number(const toml::node& node, const ParamSpec& spec,
                                   const std::string& key) const {
  double value = 0;
  if (const auto* integer = node.as_integer()) {
    value = static_cast<double>(integer->get());
  } else if (const auto* real = node.as_floating_point();
             real && spec.kind() != ParamKind::integer) {
    value = real->get();
  } else {
    const char* expected = spec.kind() == ParamKind::integer ? "an integer" : "a number";
    fail(node.source(), key + " = " + show(node) + ": expected " + expected + unit_suffix(spec));
  }
  if (!(value >= spec.min && value <= spec.max)) {  // also refuses nan
    fail(node.source(), "value " + show(node) + " is out of range for " + key + " " +
                            interval_text(spec) + unit_suffix(spec));
  }
  return value;
}

std::string ScenarioReader::read_string(const toml::node& node, const ParamSpec& spec,
                                        const std::string& key) const {
  if (spec.kind() == ParamKind::date) {
    std::string text;
    if (const auto* date = node.as_date()) {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, "%04u-%02u-%02u", unsigned{date->get().year},
                    unsigned{date->get().month}, unsigned{date->get().day});
      text = buffer;
    } else if (const auto* string = node.as_string()) {
      text = string->get();
    }
    if (!is_month_start(text)) {
      fail(node.source(),
           key + " = " + show(node) + ": expected an ISO date of a month's first day, YYYY-MM-01");
    }
    return text;
  }
  const auto* string = node.as_string();
  if (string == nullptr) fail(node.source(), key + " = " + show(node) + ": expected a string");
  if (spec.def.source == ParamDefault::Source::file_stem && string->get().empty()) {
    fail(node.source(), key + " = \"\": expected a non-empty name");
  }
  if (!spec.choices.empty()) {
    const std::string allowed = "|" + std::string(spec.choices) + "|";
    if (string->get().empty() || string->get().find('|') != std::string::npos ||
        allowed.find("|" + string->get() + "|") == std::string::npos) {
      std::string listed(spec.choices);
      std::replace(listed.begin(), listed.end(), '|', ',');
      fail(node.source(), key + " = " + show(node) + ": expected one of " + listed);
    }
  }
  return string->get();
}

std::string ScenarioReader::entries_text(Entity keys, const std::vector<double>& values,
                                         const toml::table& given) const {
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!given.contains(names(keys)[i])) continue;
    text += (text.empty() ? "" : ", ") + names(keys)[i] + "=" + format_number(values[i]);
  }
  return text;
}

std::vector<double> ScenarioReader::read_weights(const toml::node& node, const ParamSpec& spec,
                                                 const std::string& key) const {
  const std::string noun(entity_group(spec.keys));
  const auto* table = node.as_table();
  if (table == nullptr) {
    fail(node.source(), key + " = " + show(node) + ": expected a table of " + noun + " = " +
                            std::string(spec.unit) + ", such as { " + names(spec.keys).front() +
                            " = 1.0 }");
  }
  std::vector<double> dense(names(spec.keys).size(), 0.0);
  for (auto&& [name, value] : *table) {
    const std::size_t i = index_of(names(spec.keys), name.str());
    if (i == dense.size()) {
      fail_unknown_name(name.source().path ? name.source() : value.source(), key, spec.keys,
                        name.str());
    }
    dense[i] = read_number(value, spec, key + "." + std::string(name.str()));
  }

  double sum = 0;
  for (double weight : dense)
    sum += weight;
  switch (spec.rule) {
    case SumRule::sum_to_one:
      if (std::fabs(sum - 1) > kSumTolerance) {
        fail(newest_part(node).source(), key + " sums to " + format_sum(sum) +
                                             ", expected shares summing to 1 (" +
                                             entries_text(spec.keys, dense, *table) + ")");
      }
      break;
    case SumRule::at_most_one:
      if (sum > 1 + kSumTolerance) {
        fail(newest_part(node).source(), key + " sums to " + format_sum(sum) + ", expected " +
                                             std::string(spec.unit) + "s summing to at most 1 (" +
                                             entries_text(spec.keys, dense, *table) + ")");
      }
      break;
    case SumRule::normalise:
      if (!(sum > 0)) {
        fail(newest_part(node).source(), key + " has no positive " + std::string(spec.unit) +
                                             "; expected at least one " + noun + " with " +
                                             std::string(spec.unit) + " > 0");
      }
      for (double& weight : dense)
        weight /= sum;
      break;
    case SumRule::none:
      break;
  }
  return dense;
}

// --- The resolved document ---------------------------------------------------------------------

std::string ScenarioReader::resolved_toml() const {
  std::ostringstream out;
  // Weight tables and travel rows are printed in region order, which is the order users think in.
  auto inline_table = [this](const toml::table& table, Entity keys) {
    std::string text;
    for (const std::string& name : names(keys)) {
      if (const toml::node* value = table.get(name)) {
        text += (text.empty() ? "{ " : ", ") + name + " = " + format_toml_value(*value);
      }
    }
    return text.empty() ? std::string("{}") : text + " }";
  };
  auto fields = [&](const toml::table& table, std::string_view group) {
    for (const ParamSpec& spec : param_registry()) {
      if (spec.group != group) continue;
      const toml::node* value = table.get(spec.field);
      if (value == nullptr) continue;
      out << spec.field << " = "
          << (spec.kind() == ParamKind::weights ? inline_table(*value->as_table(), spec.keys)
                                                : format_toml_value(*value))
          << '\n';
    }
  };

  for (std::string_view group : param_groups()) {
    const std::string name(group);
    if (group.empty()) {
      fields(doc_, group);
    } else if (const Entity entity = entity_of_group(group); entity != Entity::none) {
      const toml::table& tables = *doc_[group].as_table();
      for (const std::string& entity_name : names(entity)) {
        out << "\n[" << name << '.' << entity_name << "]\n";
        fields(*tables[entity_name].as_table(), group);
      }
    } else if (group == "travel_minutes") {
      out << "\n[" << name << "]\n";
      const toml::table& travel = *doc_[group].as_table();
      for (const std::string& from : names(Entity::zone)) {
        if (const auto* row = travel[from].as_table(); row && !row->empty()) {
          out << from << " = " << inline_table(*row, Entity::zone) << '\n';
        }
      }
    } else {
      out << "\n[" << name << "]\n";
      fields(*doc_[group].as_table(), group);
    }
  }
  return out.str();
}

Scenario load(std::string_view text, const fs::path& origin,
              const std::vector<std::string>& overrides) {
  ExtendsChain chain;
  toml::table doc = resolve_extends(text, origin, chain);
  std::vector<std::string> layers = chain.files;
  for (const std::string& override_text : overrides) {
    merge_layer(doc, parse_override(override_text), replace_inline_tables);
    layers.push_back(std::string(kOverridePrefix) + override_text);
  }

  ScenarioReader reader(doc, origin.string(), std::move(layers));
  Scenario scenario = reader.read();
  scenario.source_file = origin.string();
  scenario.extends_chain = std::move(chain.files);
  scenario.resolved_toml = reader.resolved_toml();
  return scenario;
}

}  // namespace

Scenario load_scenario(const std::filesystem::path& file,
                       const std::vector<std::string>& overrides) {
  const std::optional<std::string> text = read_text(file);
  if (!text) throw InputError("cannot open scenario file '" + file.string() + "'");
  return load(*text, file, overrides);
}

Scenario load_scenario_text(std::string_view toml_text, std::string_view origin,
                            const std::vector<std::string>& overrides) {
  return load(toml_text, fs::path(origin), overrides);
}

}  // namespace regionsim
