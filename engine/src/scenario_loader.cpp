// Layering a scenario: the file, the files it extends (base first), then --set overrides, merged
// into one TOML document that ScenarioReader (scenario_reader.hpp) checks and reads. The layering
// rules are stated in regionsim/scenario_loader.hpp.
#include "regionsim/scenario_loader.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include <toml++/toml.h>

#include "output_path.hpp"
#include "param_registry.hpp"
#include "scenario_reader.hpp"
#include "text.hpp"
#include "toml_merge.hpp"

namespace regionsim {

InputError::InputError(const std::string& message) : std::runtime_error(message) {}

namespace {

namespace fs = std::filesystem;

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
    fail_at(where, "extends = " + show_value(*extends) +
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

  const std::vector<std::string_view> path = split(key, '.');
  if (!std::all_of(path.begin(), path.end(), is_bare_key)) {
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
      spec != nullptr && (spec->kind() == ParamKind::text || spec->kind() == ParamKind::choice ||
                          spec->kind() == ParamKind::entity || spec->kind() == ParamKind::date);
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

// Where the newest value of `group.key` was written, for a message; the file when unknown.
std::string where_of(const toml::table& doc, std::string_view group, std::string_view key,
                     const fs::path& origin) {
  const toml::node* node = doc.at_path(std::string(group) + "." + std::string(key)).node();
  const std::string where = node != nullptr ? describe_source(node->source()) : std::string();
  return where.empty() ? origin.string() : where;
}

// A table the files (or overrides) wrote with at least one entry.
bool given_entries(const toml::table& doc, const std::string& path) {
  const toml::node* node = doc.at_path(path).node();
  return node != nullptr && node->is_table() && !node->as_table()->empty();
}

// The committee's remit holds flags, not shares, and a table given must name someone.
void check_committee(const Scenario& s, const toml::table& doc, const fs::path& origin) {
  const CommitteeRule& k = s.committee;
  double remit = 0;
  for (std::size_t z = 0; z < k.remit.size(); ++z) {
    const double v = k.remit[z];
    if (v != 0.0 && v != 1.0)
      throw InputError(where_of(doc, "committee", "remit", origin) + ": committee.remit." +
                       s.zones[z].name + " = " + format_number(v) +
                       ": expected 1 (in the remit) or 0 (not)");
    remit += v;
  }
  if (remit == 0.0 && given_entries(doc, "committee.remit"))
    throw InputError(where_of(doc, "committee", "remit", origin) +
                     ": committee.remit puts no zone in the remit; expected at least one zone = 1, "
                     "such as { " +
                     s.zones.front().name + " = 1 } (or no table: every zone)");
  double funding = 0;
  for (const double w : k.funding)
    funding += w;
  if (funding <= 0 && given_entries(doc, "committee.funding"))
    throw InputError(where_of(doc, "committee", "funding", origin) +
                     ": committee.funding has no positive share; expected at least one "
                     "jurisdiction with a share > 0, such as { " +
                     (s.jurisdictions.empty() ? std::string("j") : s.jurisdictions.front().name) +
                     " = 1.0 } (or no table: land shares)");
}

// Checks across keys that no single value can fail.
void check_consistency(const Scenario& s, const toml::table& doc, const fs::path& origin) {
  for (const auto& [group, rule] : {std::pair{"tax_sharing", &s.tax_sharing},
                                    std::pair{"statistics_sharing", &s.statistics_sharing}}) {
    if (rule->formula != PoolFormula::fixed) continue;
    double sum = 0;
    for (const double w : rule->weights)
      sum += w;
    if (sum <= 0)
      throw InputError(where_of(doc, group, "formula", origin) + ": " + group +
                       ".formula = \"fixed\" with weights summing to 0; expected " + group +
                       ".weights with a positive weight for at least one jurisdiction, such as { " +
                       (s.jurisdictions.empty() ? std::string("j") : s.jurisdictions.front().name) +
                       " = 1.0 }");
  }
  check_committee(s, doc, origin);
  // The time axis must stay where pandas' datetime64[ns] can decode it (to 2262-04).
  const int year = std::stoi(s.run.start_date.substr(0, 4));
  const int month = std::stoi(s.run.start_date.substr(5, 2));
  const std::int64_t end = std::int64_t{year} * 12 + (month - 1) + s.run.steps;
  if (end > std::int64_t{2262} * 12 + 2)
    throw InputError(where_of(doc, "run", "start_date", origin) + ": run.start_date = " +
                     s.run.start_date + " with run.steps = " + std::to_string(s.run.steps) +
                     " ends after 2262-03; expected a run that ends by then (the times xarray "
                     "and pandas decode)");
}

Scenario load(std::string_view text, const fs::path& origin,
              const std::vector<std::string>& overrides) {
  ExtendsChain chain;
  toml::table doc = resolve_extends(text, origin, chain);
  if (!overrides.empty()) {
    // The files alone first: a bad value an override hides is still a bad file, and reported.
    // Parsed afresh: a copied table loses the source regions that tell the layers apart.
    ExtendsChain files_chain;
    toml::table files_only = resolve_extends(text, origin, files_chain);
    static_cast<void>(ScenarioReader(files_only, origin.string(), files_chain.files).read());
  }
  std::vector<std::string> layers = chain.files;
  for (const std::string& override_text : overrides) {
    merge_layer(doc, parse_override(override_text), replace_inline_tables);
    layers.push_back(std::string(kOverridePrefix) + override_text);
  }

  ScenarioReader reader(doc, origin.string(), std::move(layers));
  Scenario scenario = reader.read();
  try {
    check_file_name_part("name", scenario.name);
  } catch (const InputError& e) {
    const toml::node* name = doc.get("name");
    const std::string where = name != nullptr ? describe_source(name->source()) : std::string();
    throw InputError((where.empty() ? origin.string() : where) + ": " + e.what());
  }
  check_consistency(scenario, doc, origin);
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
