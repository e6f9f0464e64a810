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
