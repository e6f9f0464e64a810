#include "run_layout.hpp"

#include <cstdint>
#include <vector>

#include "regionsim_version.hpp"
#include "text.hpp"

namespace regionsim {

namespace {

std::string text(const char* value) {
  return std::string(value);
}

std::string lines(const std::vector<std::string>& items) {
  return join(items, "\n");
}

template <typename Value>
std::vector<Value> along_runs(const Experiment& plan, Value (*of)(const ExperimentRun&)) {
  std::vector<Value> values;
  values.reserve(plan.runs.size());
  for (const ExperimentRun& run : plan.runs)
    values.push_back(of(run));
  return values;
}

void define_sweep_coordinate(NcWriter& file, const Experiment& plan, std::size_t a) {
  const SweepAxis& axis = plan.sweeps[a];
  const Attributes attrs = {{"long_name", "swept scenario key " + axis.key}, {"key", axis.key}};
  if (axis.numeric()) {
    std::vector<double> values;
    for (const ExperimentRun& run : plan.runs)
      values.push_back(*axis.values[run.sweep_values[a]].number);
    const VarId id = file.define_variable(axis.coordinate_name(), NcType::float64, {"run"}, attrs);
    file.write_variable(id, std::span<const double>(values));
  } else {
    std::vector<std::string> values;
    for (const ExperimentRun& run : plan.runs)
      values.push_back(axis.values[run.sweep_values[a]].label);
    const VarId id = file.define_variable(axis.coordinate_name(), NcType::string, {"run"}, attrs);
    file.write_variable(id, std::span<const std::string>(values));
  }
}

void define_strings(NcWriter& file, const std::string& name, const std::string& long_name,
                    const std::vector<std::string>& values) {
  const VarId id = file.define_variable(name, NcType::string, {"run"}, {{"long_name", long_name}});
  file.write_variable(id, std::span<const std::string>(values));
}

void define_integers(NcWriter& file, const std::string& name, const Attributes& attrs,
                     const std::vector<std::int64_t>& values) {
  const VarId id = file.define_variable(name, NcType::int64, {"run"}, attrs);
  file.write_variable(id, std::span<const std::int64_t>(values));
}

}  // namespace

RunLayout define_run_dimension(NcWriter& file, const Experiment& plan) {
  std::vector<std::int64_t> index(plan.runs.size());
  for (std::size_t r = 0; r < index.size(); ++r)
    index[r] = static_cast<std::int64_t>(r);
  file.set_numeric_coordinate(
      "run", index,
      {{"long_name", text("run index (scenario-major, then sweep point, then replicate)")}});

  RunLayout layout;
  std::vector<std::string> names;
  for (const ExperimentRun& run : plan.runs)
    names.push_back(plan.scenario_names[run.scenario_index]);
  define_strings(file, "scenario", "scenario name", names);
  define_integers(
      file, "replicate",
      {{"long_name",
        text("replicate; runs of equal replicate share random streams (paired arms)")}},
      along_runs<std::int64_t>(plan, [](const ExperimentRun& r) { return r.replicate; }));
  define_integers(file, "seed", {{"long_name", text("random seed of the run")}},
                  along_runs<std::int64_t>(plan, [](const ExperimentRun& r) {
                    return static_cast<std::int64_t>(r.seed);
                  }));
  layout.coordinates = "scenario replicate seed";
  for (std::size_t a = 0; a < plan.sweeps.size(); ++a) {
    define_sweep_coordinate(file, plan, a);
    layout.coordinates +=
        ' ';  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on " " + str
    layout.coordinates += plan.sweeps[a].coordinate_name();
  }

  define_strings(file, "scenario_toml",
                 "fully resolved scenario of the run (TOML); running it reproduces the run",
                 along_runs<std::string>(
                     plan, [](const ExperimentRun& r) { return r.scenario.resolved_toml; }));
  define_strings(file, "scenario_extends_chain",
                 "scenario files merged through extends, base first, one per line",
                 along_runs<std::string>(
                     plan, [](const ExperimentRun& r) { return lines(r.scenario.extends_chain); }));
  define_strings(file, "scenario_hash", "FNV-1a 64-bit hash of scenario_toml, hexadecimal",
                 along_runs<std::string>(plan, [](const ExperimentRun& r) {
                   return hex64(fnv1a64(r.scenario.resolved_toml));
                 }));
  define_integers(
      file, "forked_from_month",
      {{"units", text("month")},
       {"long_name",
        text("months taken from a shared warm-up before the run's own simulation (-1: none)")}},
      along_runs<std::int64_t>(plan, [](const ExperimentRun& r) { return r.fork_month; }));
  layout.wall_seconds = file.define_variable(
      "wall_seconds", NcType::float64, {"run"},
      {{"units", text("s")},
       {"long_name", text("wall-clock time spent simulating the run's own months")}});
  return layout;
}

void set_root_provenance(NcWriter& file, const Experiment& plan, const RunMetadata& meta) {
  const bool single = plan.runs.size() == 1;
  file.set_root_attribute("Conventions", text("CF-1.8"));
  file.set_root_attribute("title",
                          single ? "regionsim run of scenario '" + plan.scenario_names.front() + "'"
                                 : "regionsim experiment '" + plan.name + "' (" +
                                       std::to_string(plan.runs.size()) + " runs)");
  file.set_root_attribute("experiment", plan.name);
  if (!plan.description.empty())
    file.set_root_attribute("experiment_description", plan.description);
  if (!plan.source_file.empty()) file.set_root_attribute("experiment_file", plan.source_file);
  file.set_root_attribute("runs", static_cast<std::int64_t>(plan.runs.size()));
  file.set_root_attribute("replicates", plan.replicates);
  file.set_root_attribute("base_seed", static_cast<std::int64_t>(plan.base_seed));
  file.set_root_attribute("scenarios", lines(plan.scenario_names));
  std::vector<std::string> keys;
  for (const SweepAxis& axis : plan.sweeps)
    keys.push_back(axis.key);
  file.set_root_attribute("sweep_keys", lines(keys));
  if (single) {
    // A one-run file keeps the run's provenance at the root too, as files always had it.
    const Scenario& scenario = plan.runs.front().scenario;
    file.set_root_attribute("scenario_name", scenario.name);
    file.set_root_attribute("scenario_file", scenario.source_file);
    file.set_root_attribute("scenario_extends_chain", lines(scenario.extends_chain));
    file.set_root_attribute("scenario_toml", scenario.resolved_toml);
    file.set_root_attribute("seed", static_cast<std::int64_t>(scenario.run.seed));
  }
  file.set_root_attribute("engine_version", text(build_info::kVersion));
  file.set_root_attribute("git_commit", text(build_info::kGitCommit));
  file.set_root_attribute("build_type", text(build_info::kBuildType));
  file.set_root_attribute("compiler", text(build_info::kCompiler));
  file.set_root_attribute("cxx_flags", text(build_info::kCxxFlags));
  if (!meta.command_line.empty()) file.set_root_attribute("command_line", meta.command_line);
  file.set_root_attribute("threads", static_cast<std::int64_t>(meta.threads));
  file.set_root_attribute("started_at", meta.started_at);
  file.set_root_attribute("complete", text("false"));
}

}  // namespace regionsim
