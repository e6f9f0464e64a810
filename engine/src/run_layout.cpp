#include "run_layout.hpp"

#include <cstdint>
#include <type_traits>
#include <vector>

#include "output_registry.hpp"
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
  const std::string long_name =
      std::string(file_variable(FileVar::swept_key).long_name) + " " + axis.key;
  const Attributes attrs = {{"long_name", long_name}, {"key", axis.key}};
  const std::vector<std::string> dims = {name_of(FileVar::run)};
  if (axis.numeric()) {
    std::vector<double> values;
    for (const ExperimentRun& run : plan.runs)
      values.push_back(*axis.values[run.sweep_values[a]].number);
    const VarId id = file.define_variable(axis.coordinate_name(), NcType::float64, dims, attrs);
    file.write_variable(id, std::span<const double>(values));
  } else {
    std::vector<std::string> values;
    for (const ExperimentRun& run : plan.runs)
      values.push_back(axis.values[run.sweep_values[a]].label);
    file.write_text_variable(axis.coordinate_name(), dims, values, attrs);
  }
}

// A variable along run, described by the output registry, with one value per run; text as
// classic character arrays (NCO's ncwa cannot average over a dimension a `string` variable uses).
template <typename Value>
void define_along_run(NcWriter& file, FileVar var, const std::vector<Value>& values) {
  if constexpr (std::is_same_v<Value, std::string>) {
    file.write_text_variable(name_of(var), {name_of(FileVar::run)}, values, attributes_of(var));
  } else {
    const VarId id = file.define_variable(name_of(var), file_variable(var).type,
                                          {name_of(FileVar::run)}, attributes_of(var));
    file.write_variable(id, std::span<const Value>(values));
  }
}

}  // namespace

RunLayout define_run_dimension(NcWriter& file, const Experiment& plan) {
  std::vector<std::int64_t> index(plan.runs.size());
  for (std::size_t r = 0; r < index.size(); ++r)
    index[r] = static_cast<std::int64_t>(r);
  file.set_numeric_coordinate(name_of(FileVar::run), index, attributes_of(FileVar::run));

  RunLayout layout;
  std::vector<std::string> names;
  for (const ExperimentRun& run : plan.runs)
    names.push_back(plan.scenario_names[run.scenario_index]);
  define_along_run(file, FileVar::scenario, names);
  define_along_run(
      file, FileVar::replicate,
      along_runs<std::int64_t>(plan, [](const ExperimentRun& r) { return r.replicate; }));
  define_along_run(file, FileVar::seed, along_runs<std::int64_t>(plan, [](const ExperimentRun& r) {
                     return static_cast<std::int64_t>(r.seed);
                   }));
  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on " " + str
  layout.coordinates = name_of(FileVar::scenario);
  for (const FileVar var : {FileVar::replicate, FileVar::seed}) {
    layout.coordinates += ' ';
    layout.coordinates += name_of(var);
  }
  for (std::size_t a = 0; a < plan.sweeps.size(); ++a) {
    define_sweep_coordinate(file, plan, a);
    layout.coordinates += ' ';
    layout.coordinates += plan.sweeps[a].coordinate_name();
  }

  define_along_run(file, FileVar::scenario_toml,
                   along_runs<std::string>(
                       plan, [](const ExperimentRun& r) { return r.scenario.resolved_toml; }));
  define_along_run(file, FileVar::scenario_extends_chain,
                   along_runs<std::string>(plan, [](const ExperimentRun& r) {
                     return lines(r.scenario.extends_chain);
                   }));
  define_along_run(file, FileVar::scenario_hash,
                   along_runs<std::string>(plan, [](const ExperimentRun& r) {
                     return hex64(fnv1a64(r.scenario.resolved_toml));
                   }));
  define_along_run(
      file, FileVar::forked_from_month,
      along_runs<std::int64_t>(plan, [](const ExperimentRun& r) { return r.fork_month; }));
  layout.wall_seconds = file.define_variable(
      name_of(FileVar::wall_seconds), file_variable(FileVar::wall_seconds).type,
      {name_of(FileVar::run)}, attributes_of(FileVar::wall_seconds));
  return layout;
}

void set_root_provenance(NcWriter& file, const Experiment& plan, const RunMetadata& meta) {
  const bool single = plan.runs.size() == 1;
  file.set_root_attribute("Conventions", text("CF-1.8"));
  // The layout's version (docs/output.md, "Format versions"): 2 = CF bounds and units, character
  // labels, compressed series.
  file.set_root_attribute("format_version", kFormatVersion);
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
  file.set_root_attribute("units_note", text("money in 1e6 CNY: UDUNITS has no currency; "
                                             "docs/udunits/regionsim-udunits2.xml defines CNY"));
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
