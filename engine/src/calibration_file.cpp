// Reading a calibration file (scenarios/calibration/*.toml) into a CalibrationSpec. Every bad
// value is reported as "file:line:column: key = value: expected ...", like the scenario loader and
// the experiment reader; cross-checks against the scenario and targets are plan_calibration's.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <toml++/toml.h>

#include "calibration.hpp"
#include "input_file.hpp"
#include "regionsim/scenario_loader.hpp"
#include "text.hpp"
#include "toml_merge.hpp"

namespace regionsim {

namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 11> kKeys = {"name", "description", "scenario", "targets",
                                                    "use",  "weights",     "set",      "replicates",
                                                    "seed", "parameter",   "optimiser"};
constexpr std::array<std::string_view, 5> kParameterKeys = {"key", "lower", "upper", "start",
                                                            "log"};
constexpr std::array<std::string_view, 7> kOptimiserKeys = {
    "algorithm",   "starts",      "restarts",    "max_evaluations",
    "max_seconds", "x_tolerance", "initial_step"};
constexpr std::array<std::string_view, 3> kAlgorithms = {"neldermead", "subplex", "bobyqa"};

class CalibrationReader {
 public:
  CalibrationReader(const toml::table& doc, fs::path file) : doc_(doc), file_(std::move(file)) {}

  CalibrationSpec read() {
    CalibrationSpec spec;
    spec.file = file_;
    check_keys(doc_, kKeys, "", "calibration keys");
    spec.name = file_.stem().string();
    if (const toml::node* n = doc_.get("name")) spec.name = text(*n, "name");
    if (const toml::node* n = doc_.get("description")) spec.description = text(*n, "description");
    spec.scenario = path(required("scenario", "the base scenario, such as \"../baseline.toml\""),
                         "scenario", "scenario file");
    spec.targets = path(required("targets",
                                 "a targets file, such as "
                                 "\"../targets/science-city-2022.toml\""),
                        "targets", "targets file");
    if (const toml::node* n = doc_.get("use")) {
      spec.target_ids = strings(*n, "use", "target ids");
      for (std::size_t i = 0; i < spec.target_ids.size(); ++i)
        spec.target_places.push_back(source_place(n->as_array()->get(i)->source(), file_.string()));
    }
    if (const toml::node* n = doc_.get("weights")) read_weights(*n, spec);
    if (const toml::node* n = doc_.get("set")) {
      spec.set_place = source_place(n->source(), file_.string());
      spec.overrides = strings(*n, "set", "\"key=value\" strings, such as \"run.scale=0.05\"");
      for (std::size_t i = 0; i < spec.overrides.size(); ++i)
        if (spec.overrides[i].find('=') == std::string::npos)
          fail(*n->as_array()->get(i), "set[" + std::to_string(i) +
                                           "] = " + show_value(*n->as_array()->get(i)) +
                                           ": expected a \"key=value\" string");
    }
    if (const toml::node* n = doc_.get("replicates"))
      spec.replicates = integer(*n, "replicates", 1, 10000, "a count of replicates, at least 1");
    if (const toml::node* n = doc_.get("seed"))
      spec.seed = static_cast<std::uint64_t>(integer(
          *n, "seed", 0, std::numeric_limits<std::int64_t>::max(), "a seed, an integer >= 0"));
    read_parameters(required("parameter", "[[parameter]] tables with key, lower and upper"), spec);
    if (const toml::node* n = doc_.get("optimiser")) read_optimiser(*n, spec);
    return spec;
  }

 private:
  [[noreturn]] void fail(const toml::node& at, const std::string& message) const {
    throw InputError(source_place(at.source(), file_.string()) + ": " + message);
  }

  template <std::size_t N>
  void check_keys(const toml::table& table, const std::array<std::string_view, N>& keys,
                  const std::string& prefix, const std::string& what) const {
    for (auto&& [key, node] : table) {
      if (std::find(keys.begin(), keys.end(), key.str()) != keys.end()) continue;
      throw InputError(
          source_place(key.source().begin ? key.source() : node.source(), file_.string()) +
          ": unknown key '" + prefix + std::string(key.str()) + "'" +
          did_you_mean(key.str(), keys) + " (" + what + ": " + join(keys) + ")");
    }
  }

  const toml::node& required(std::string_view key, const std::string& expected) const {
    const toml::node* node = doc_.get(key);
    if (node == nullptr)
      throw InputError(file_.string() + ": " + std::string(key) + " is required: expected " +
                       expected);
    return *node;
  }

  std::string text(const toml::node& node, const std::string& key) const {
    if (const auto* s = node.as_string()) return s->get();
    fail(node, key + " = " + show_value(node) + ": expected a string");
  }

  fs::path path(const toml::node& node, const std::string& key, const std::string& what) const {
    const auto* s = node.as_string();
    if (s == nullptr || s->get().empty())
      fail(node, key + " = " + show_value(node) + ": expected the path of a " + what +
                     " (relative to the calibration file)");
    fs::path resolved = (file_.parent_path() / s->get()).lexically_normal();
    std::error_code error;
    if (!fs::is_regular_file(resolved, error))
      fail(node, key + " = " + show_value(node) + ": cannot open " + what + " '" +
                     resolved.string() + "' (paths are relative to the calibration file)");
    return resolved;
  }

  std::vector<std::string> strings(const toml::node& node, const std::string& key,
                                   const std::string& what) const {
    const toml::array* list = node.as_array();
    if (list == nullptr)
      fail(node, key + " = " + show_value(node) + ": expected an array of " + what);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const toml::node& item = *list->get(i);
      const auto* s = item.as_string();
      if (s == nullptr || s->get().empty())
        fail(item, key + "[" + std::to_string(i) + "] = " + show_value(item) +
                       ": expected a non-empty string (" + what + ")");
      out.push_back(s->get());
    }
    return out;
  }

  std::int64_t integer(const toml::node& node, const std::string& key, std::int64_t min,
                       std::int64_t max, const std::string& expected) const {
    const auto* value = node.as_integer();
    if (value == nullptr || value->get() < min || value->get() > max)
      fail(node, key + " = " + show_value(node) + ": expected " + expected);
    return value->get();
  }

  double number(const toml::node& node, const std::string& key, const std::string& expected) const {
    double x = std::numeric_limits<double>::quiet_NaN();
    if (const auto* i = node.as_integer()) x = static_cast<double>(i->get());
    if (const auto* f = node.as_floating_point()) x = f->get();
    if (!std::isfinite(x)) fail(node, key + " = " + show_value(node) + ": expected " + expected);
    return x;
  }

  void read_weights(const toml::node& node, CalibrationSpec& spec) const {
    const toml::table* table = node.as_table();
    if (table == nullptr)
      fail(node,
           "weights = " + show_value(node) + ": expected a table [weights] of target id = weight");
    for (auto&& [key, value] : *table) {
      const std::string k = "weights." + std::string(key.str());
      const double w = number(value, k, "a weight >= 0 (default 1/sd^2 of the target)");
      if (w < 0) fail(value, k + " = " + show_value(value) + ": expected a weight >= 0");
      spec.weights.emplace_back(std::string(key.str()), w);
      spec.weight_places.push_back(source_place(value.source(), file_.string()));
    }
  }

  void read_parameters(const toml::node& node, CalibrationSpec& spec) const {
    const toml::array* list = node.as_array();
    if (list == nullptr || list->empty() || !list->is_array_of_tables())
      fail(node, "parameter = " + show_value(node) +
                     ": expected one or more [[parameter]] tables with key, lower and upper");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const toml::table& table = *list->get(i)->as_table();
      const std::string prefix = "parameter[" + std::to_string(i) + "].";
      check_keys(table, kParameterKeys, prefix, "parameter keys");
      FitParameter p;
      p.place = source_place(table.source(), file_.string());
      const toml::node* key = table.get("key");
      if (key == nullptr)
        throw InputError(p.place + ": " + prefix +
                         "key is required: expected a scenario key such as \"firms.project_rate\"");
      p.key = text(*key, prefix + "key");
      for (const FitParameter& other : spec.parameters)
        if (other.key == p.key)
          fail(*key, prefix + "key = " + show_value(*key) + ": expected each key once (also " +
                         other.place + ")");
      for (const char* bound : {"lower", "upper"})
        if (table.get(bound) == nullptr)
          throw InputError(p.place + ": " + prefix + bound + " is required: expected a number");
      p.lower = number(*table.get("lower"), prefix + "lower", "a number");
      p.upper = number(*table.get("upper"), prefix + "upper", "a number");
      if (!(p.upper > p.lower))
        fail(*table.get("upper"),
             prefix + "upper = " + show_value(*table.get("upper")) +
                 ": expected a number above lower = " + format_number(p.lower));
      if (const toml::node* n = table.get("log")) {
        if (!n->is_boolean())
          fail(*n, prefix + "log = " + show_value(*n) + ": expected true or false");
        p.log = n->as_boolean()->get();
        if (p.log && p.lower <= 0)
          fail(*n, prefix +
                       "log = true: expected lower > 0 (the search runs on the logarithm), "
                       "got lower = " +
                       format_number(p.lower));
      }
      if (const toml::node* n = table.get("start")) {
        const double x = number(*n, prefix + "start", "a number within [lower, upper]");
        if (x < p.lower || x > p.upper)
          fail(*n, prefix + "start = " + show_value(*n) + ": expected a number within [" +
                       format_number(p.lower) + ", " + format_number(p.upper) + "]");
        p.start = x;
      }
      spec.parameters.push_back(std::move(p));
    }
  }

  void read_optimiser(const toml::node& node, CalibrationSpec& spec) const {
    const toml::table* table = node.as_table();
    if (table == nullptr)
      fail(node, "optimiser = " + show_value(node) + ": expected a table [optimiser]");
    check_keys(*table, kOptimiserKeys, "optimiser.", "optimiser keys");
    if (const toml::node* n = table->get("algorithm")) {
      const auto* s = n->as_string();
      const auto it =
          s ? std::find(kAlgorithms.begin(), kAlgorithms.end(), s->get()) : kAlgorithms.end();
      if (it == kAlgorithms.end())
        fail(*n, "optimiser.algorithm = " + show_value(*n) + ": expected one of " +
                     join(kAlgorithms) + (s ? did_you_mean(s->get(), kAlgorithms) : ""));
      spec.optimiser = static_cast<Optimiser>(it - kAlgorithms.begin());
    }
    if (const toml::node* n = table->get("starts"))
      spec.starts = static_cast<int>(
          integer(*n, "optimiser.starts", 1, 1000, "a count of starting points, at least 1"));
    if (const toml::node* n = table->get("restarts"))
      spec.restarts = static_cast<int>(
          integer(*n, "optimiser.restarts", 0, 1000, "a count of restarts per start, >= 0"));
    if (const toml::node* n = table->get("max_evaluations"))
      spec.max_evaluations = integer(*n, "optimiser.max_evaluations", 1, 100000000,
                                     "a count of evaluations, at least 1");
    if (const toml::node* n = table->get("max_seconds")) {
      spec.max_seconds = number(*n, "optimiser.max_seconds", "seconds >= 0 (0 = no limit)");
      if (spec.max_seconds < 0)
        fail(*n, "optimiser.max_seconds = " + show_value(*n) + ": expected seconds >= 0");
    }
    for (const auto& [key, field] : {std::pair{"x_tolerance", &spec.x_tolerance},
                                     std::pair{"initial_step", &spec.initial_step}}) {
      if (const toml::node* n = table->get(key)) {
        const std::string k = std::string("optimiser.") + key;
        *field = number(*n, k, "a number in (0, 1] (a fraction of each parameter's range)");
        if (*field <= 0 || *field > 1)
          fail(*n, k + " = " + show_value(*n) +
                       ": expected a number in (0, 1] (a fraction of each parameter's range)");
      }
    }
  }

  const toml::table& doc_;
  fs::path file_;
};

}  // namespace

CalibrationSpec load_calibration_text(std::string_view toml_text, const fs::path& file) {
  const toml::table doc = parse_input_toml(toml_text, file.string());
  return CalibrationReader(doc, file).read();
}

CalibrationSpec load_calibration(const fs::path& file) {
  return load_calibration_text(read_input_file(file, "calibration"), file);
}

}  // namespace regionsim
