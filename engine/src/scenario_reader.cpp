// Reading a merged scenario document: every key checked against the registry, defaults filled in,
// values range-checked and stored into the Scenario, constraints over distributions enforced.
#include "scenario_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "regionsim/scenario_loader.hpp"
#include "text.hpp"
#include "toml_merge.hpp"

namespace regionsim {

namespace {

// Shares written as decimals (0.15 + 0.45 + 0.40) miss 1 by a few ulps; real mistakes are larger.
constexpr double kSumTolerance = 1e-9;

// Sums of decimal shares shown to 12 digits: "0.9", not "0.90000000000000002".
std::string format_sum(double sum) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.12g", sum);
  return buffer;
}

std::vector<std::string_view> views(const std::vector<std::string>& names) {
  return {names.begin(), names.end()};
}

bool is_entity_name(std::string_view name) {
  return !name.empty() &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string_view::npos;
}

// pandas' datetime64[ns], which xarray decodes CF times to, spans 1677-09-21 to 2262-04-11;
// a run of at most 10000 months (833 years) starting in these years ends inside it only if the
// loader also checks the end (scenario_loader.cpp).
constexpr int kFirstYear = 1678;
constexpr int kLastYear = 2261;

// "YYYY-MM-01": the simulation steps whole months, so month 0 must start on a month's first day.
bool is_month_start(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (date[i] < '0' || date[i] > '9') return false;
  }
  const int month = (date[5] - '0') * 10 + (date[6] - '0');
  const int year = std::stoi(std::string(date.substr(0, 4)));
  return month >= 1 && month <= 12 && date.substr(8) == "01" && year >= kFirstYear &&
         year <= kLastYear;
}

}  // namespace

std::string describe_source(const toml::source_region& source) {
  if (!source.path) return {};
  const std::string& path = *source.path;
  if (path.starts_with(kOverridePrefix) || !source.begin) return path;
  return path + ":" + std::to_string(source.begin.line) + ":" + std::to_string(source.begin.column);
}

void fail_at(const std::string& where, const std::string& message) {
  throw InputError(where.empty() ? message : where + ": " + message);
}

std::size_t name_index(const std::vector<std::string>& names, std::string_view name) {
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

void ScenarioReader::fail_unknown_key(const toml::key& key, const toml::node& node,
                                      std::string_view group, const std::string& prefix,
                                      const std::string& place) const {
  const std::vector<std::string_view> valid =
      group.empty() ? top_level_keys() : param_fields(group);
  std::string message = "unknown key '" + prefix + std::string(key.str()) + "'";
  if (const std::string hint = did_you_mean(key.str(), valid, prefix); !hint.empty()) {
    message += hint;
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
    fail(node->source(), key_path + " = " + show_value(*node) + ": expected a table");
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
      fail(node.source(), std::string(key.str()) + " = " + show_value(node) +
                              ": expected a table [" + std::string(key.str()) + "]");
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
      fail(node->source(), key + " = " + show_value(*node) + ": expected an array of " + noun +
                               " names, such as [\"a\", \"b\"]");
    }
    // Agents hold their indices in one byte each: a longer list cannot run (regionsim/limits.hpp).
    if (static_cast<double>(array->size()) > spec.max) {
      fail(node->source(), key + " lists " + std::to_string(array->size()) + " " + noun +
                               "(s); expected at most " + format_number(spec.max) +
                               ", the engine's limit");
    }
    std::vector<std::string>& found = names_[entity_slot(entity)];
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      const auto* name = item.as_string();
      if (name == nullptr || !is_entity_name(name->get())) {
        fail(item.source(), key + " item " + std::to_string(i + 1) + " = " + show_value(item) +
                                ": expected a " + noun +
                                " name of lowercase letters, digits, '_' or '-'");
      }
      if (const std::size_t earlier = name_index(found, name->get()); earlier < found.size()) {
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
    lists_[entity_slot(entity)] = array;
  }
  // The roles of listed entities (region.core_zone, ...), once the lists are known.
  for (const ParamSpec& spec : param_registry()) {
    if (spec.group == "region" && spec.bind.store != nullptr) {
      spec.bind.store(scenario_, 0, read_param(region, spec, spec.key()));
    }
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
    if (name_index(listed, name.str()) < listed.size()) continue;
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
      fail(lists_[entity_slot(entity)]->get(i)->source(),
           list_key + " lists '" + name + "' but there is no [" + group + "." + name + "] table");
    }
    toml::table* table = node->as_table();
    if (table == nullptr) {
      fail(node->source(), group + "." + name + " = " + show_value(*node) +
                               ": expected a table of " + group + " fields, [" + group + "." +
                               name + "]");
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
    case Source::boolean:
      table.insert(spec.field, spec.def.number != 0);
      break;
    case Source::file_stem:
      table.insert(spec.field, std::filesystem::path(origin_).stem().string());
      break;
    case Source::first_listed:
      table.insert(spec.field, names(spec.keys).front());
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
    case ParamKind::boolean: {
      const bool value = read_bool(node, key);
      table.insert_or_assign(spec.field, value);  // 1 and 0 resolve to true and false
      return value;
    }
    case ParamKind::text:
      return read_string(node, spec, key);
    case ParamKind::choice: {
      const std::string word = read_string(node, spec, key);
      const auto words = spec.choices();
      const auto at = std::find(words.begin(), words.end(), word);
      if (at == words.end()) {
        fail(node.source(), key + " = " + show_value(node) + ": expected one of " + join(words));
      }
      return static_cast<std::int64_t>(at - words.begin());
    }
    case ParamKind::entity: {
      const std::string name = read_string(node, spec, key);
      const std::size_t index = name_index(names(spec.keys), name);
      if (index == names(spec.keys).size()) fail_unknown_name(node.source(), key, spec.keys, name);
      return static_cast<std::int64_t>(index);
    }
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
    fail(node.source(),
         key + " = " + show_value(node) + ": expected " + expected + unit_suffix(spec));
  }
  if (!(value >= spec.min && value <= spec.max)) {  // also refuses nan
    fail(node.source(), "value " + show_value(node) + " is out of range for " + key + " " +
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
      fail(node.source(), key + " = " + show_value(node) +
                              ": expected an ISO date of a month's first day, YYYY-MM-01, from " +
                              std::to_string(kFirstYear) + " to " + std::to_string(kLastYear) +
                              " (the times xarray and pandas decode)");
    }
    return text;
  }
  const auto* string = node.as_string();
  if (string == nullptr)
    fail(node.source(), key + " = " + show_value(node) + ": expected a string");
  if (spec.def.source == ParamDefault::Source::file_stem && string->get().empty()) {
    fail(node.source(), key + " = \"\": expected a non-empty name");
  }
  return string->get();
}

bool ScenarioReader::read_bool(const toml::node& node, const std::string& key) const {
  if (const auto* boolean = node.as_boolean()) return boolean->get();
  // Switches were numbers (0/1) before booleans existed; files written then still mean the same.
  if (const auto* integer = node.as_integer();
      integer && (integer->get() == 0 || integer->get() == 1)) {
    return integer->get() == 1;
  }
  fail(node.source(), key + " = " + show_value(node) + ": expected true or false");
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
    fail(node.source(), key + " = " + show_value(node) + ": expected a table of " + noun + " = " +
                            std::string(spec.unit) + ", such as { " + names(spec.keys).front() +
                            " = 1.0 }");
  }
  std::vector<double> dense(names(spec.keys).size(), 0.0);
  for (auto&& [name, value] : *table) {
    const std::size_t i = name_index(names(spec.keys), name.str());
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

}  // namespace regionsim
