// Reading an experiment file (scenarios/experiments/*.toml) into an ExperimentSpec. Every bad
// value is reported as "file:line:column: key = value: expected ...", like the scenario loader.
#include <array>
#include <limits>

#include <toml++/toml.h>

#include "input_file.hpp"
#include "output_path.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/scenario_loader.hpp"
#include "text.hpp"
#include "toml_merge.hpp"

namespace regionsim {

namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 8> kKeys = {"name", "description", "scenarios", "replicates",
                                                   "seed", "steps",       "set",       "sweep"};

class ExperimentReader {
 public:
  ExperimentReader(const toml::table& doc, fs::path file) : doc_(doc), file_(std::move(file)) {}

  ExperimentSpec read() {
    ExperimentSpec spec;
    spec.source_file = file_.string();
    check_keys();
    spec.name = file_.stem().string();
    if (const toml::node* n = doc_.get("name")) {
      spec.name = text(*n, "name");
      try {
        check_file_name_part("name", spec.name);
      } catch (const InputError& e) {
        fail(*n, e.what());
      }
    }
    if (const toml::node* n = doc_.get("description")) spec.description = text(*n, "description");
    read_scenarios(spec);
    if (const toml::node* n = doc_.get("replicates"))
      spec.replicates = integer(*n, "replicates", 1, 1000000, "a count of replicates, at least 1");
    if (const toml::node* n = doc_.get("seed"))
      spec.seed = static_cast<std::uint64_t>(integer(
          *n, "seed", 0, std::numeric_limits<std::int64_t>::max(), "a seed, an integer >= 0"));
    if (const toml::node* n = doc_.get("steps"))
      spec.steps = integer(*n, "steps", 1, 100000, "a number of months, at least 1");
    if (const toml::node* n = doc_.get("set")) read_overrides(*n, spec);
    if (const toml::node* n = doc_.get("sweep")) {
      const toml::table* sweep = n->as_table();
      if (sweep == nullptr)
        fail(*n, "sweep = " + show_value(*n) +
                     ": expected a table [sweep] of key = [values] or \"start:stop:step\"");
      read_sweeps(*sweep, "", spec);
    }
    return spec;
  }

 private:
  [[noreturn]] void fail(const toml::node& at, const std::string& message) const {
    throw InputError(source_place(at.source(), file_.string()) + ": " + message);
  }

  void check_keys() const {
    for (auto&& [key, node] : doc_) {
      if (std::find(kKeys.begin(), kKeys.end(), key.str()) != kKeys.end()) continue;
      throw InputError(
          source_place(key.source().begin ? key.source() : node.source(), file_.string()) +
          ": unknown key '" + std::string(key.str()) + "'" + did_you_mean(key.str(), kKeys) +
          " (experiment keys: " + join(kKeys) + ")");
    }
  }

  std::string text(const toml::node& node, const std::string& key) const {
    if (const auto* s = node.as_string()) return s->get();
    fail(node, key + " = " + show_value(node) + ": expected a string");
  }

  std::int64_t integer(const toml::node& node, const std::string& key, std::int64_t min,
                       std::int64_t max, const std::string& expected) const {
    const auto* value = node.as_integer();
    if (value == nullptr || value->get() < min || value->get() > max)
      fail(node, key + " = " + show_value(node) + ": expected " + expected);
    return value->get();
  }

  void read_scenarios(ExperimentSpec& spec) const {
    const toml::node* node = doc_.get("scenarios");
    if (node == nullptr)
      throw InputError(file_.string() +
                       ": scenarios is required: expected scenarios = [\"../baseline.toml\", ...], "
                       "paths relative to this file");
    const toml::array* list = node->as_array();
    if (list == nullptr || list->empty())
      fail(*node,
           "scenarios = " + show_value(*node) +
               ": expected a non-empty array of scenario files, such as [\"../baseline.toml\"]");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const toml::node& item = *list->get(i);
      const std::string key = "scenarios[" + std::to_string(i) + "]";
      const auto* path = item.as_string();
      if (path == nullptr || path->get().empty())
        fail(item, key + " = " + show_value(item) + ": expected the path of a scenario file");
      const fs::path file = (file_.parent_path() / path->get()).lexically_normal();
      std::error_code error;
      if (!fs::is_regular_file(file, error))
        fail(item, key + " = " + show_value(item) + ": cannot open scenario file '" +
                       file.string() + "' (paths are relative to the experiment file)");
      spec.scenarios.push_back(file);
    }
  }

  void read_overrides(const toml::node& node, ExperimentSpec& spec) const {
    const toml::array* list = node.as_array();
    if (list == nullptr)
      fail(node, "set = " + show_value(node) + ": expected an array of \"key=value\" strings");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const toml::node& item = *list->get(i);
      const auto* value = item.as_string();
      if (value == nullptr || value->get().find('=') == std::string::npos)
        fail(item, "set[" + std::to_string(i) + "] = " + show_value(item) +
                       ": expected a \"key=value\" string, such as \"run.scale=0.5\"");
      spec.overrides.push_back(value->get());
    }
  }

  // Keys may be quoted ("talent.beta_wage" = ...) or dotted (talent.beta_wage = ..., a nested
  // table in TOML): both name the same scenario key.
  void read_sweeps(const toml::table& table, const std::string& prefix,
                   ExperimentSpec& spec) const {
    for (auto&& [key, node] : table) {
      const std::string path = prefix + std::string(key.str());
      if (const auto* nested = node.as_table()) {
        read_sweeps(*nested, path + ".", spec);
        continue;
      }
      if (const auto* range = node.as_string()) {
        spec.sweeps.push_back(parse_sweep(path + "=" + range->get(),
                                          source_place(node.source(), file_.string()) + ": sweep"));
        continue;
      }
      const toml::array* values = node.as_array();
      if (values == nullptr || values->empty())
        fail(node, "sweep." + path + " = " + show_value(node) +
                       ": expected an array of values or a \"start:stop:step\" string");
      SweepAxis axis;
      axis.key = path;
      for (std::size_t i = 0; i < values->size(); ++i) {
        const toml::node& item = *values->get(i);
        if (const auto* s = item.as_string()) {
          axis.values.push_back(SweepValue{quote_toml_string(s->get()), s->get(), std::nullopt});
        } else if (item.is_integer() || item.is_floating_point() || item.is_boolean()) {
          const std::string text = format_toml_value(item);
          std::optional<double> number;
          if (const auto* n = item.as_integer()) number = static_cast<double>(n->get());
          if (const auto* x = item.as_floating_point()) number = x->get();
          axis.values.push_back(SweepValue{text, text, number});
        } else {
          fail(item, "sweep." + path + "[" + std::to_string(i) + "] = " + show_value(item) +
                         ": expected a number, string or boolean");
        }
      }
      spec.sweeps.push_back(std::move(axis));
    }
  }

  const toml::table& doc_;
  fs::path file_;
};

}  // namespace

ExperimentSpec load_experiment_text(std::string_view toml_text, const fs::path& file) {
  const toml::table doc = parse_input_toml(toml_text, file.string());
  return ExperimentReader(doc, file).read();
}

ExperimentSpec load_experiment_file(const fs::path& file) {
  return load_experiment_text(read_input_file(file, "experiment"), file);
}

}  // namespace regionsim
