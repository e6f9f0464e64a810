#include <tbb/task_arena.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "experiment_runner.hpp"
#include "recorder.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"
#include "regionsim/scenario_loader.hpp"
#include "regionsim/simulation.hpp"

namespace regionsim {

namespace {

namespace fs = std::filesystem;

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void refuse_existing(const std::string& output, bool overwrite) {
  if (!overwrite && fs::exists(output))
    throw InputError(
        "output file '" + output +
        "' already exists; pass --overwrite to replace it or -o to choose another name");
}

}  // namespace

ExperimentResult run_experiment(const Experiment& plan, const RunOptions& options) {
  refuse_existing(options.output, options.overwrite);
  const fs::path target(options.output);
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  // The temporary name is unique per process so two runs never write into each other's file; a
  // crash leaves a file whose name says it is partial.
  const std::string partial = options.output + ".partial-" + std::to_string(::getpid());

  ExperimentResult result;
  try {
    const int threads =
        options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
    Recorder recorder(partial, plan,
                      RunMetadata{utc_now(), threads, options.command_line, options.compression});
    result = simulate_experiment(plan, options,
                                 [&](std::size_t run, std::span<const StepOutputs> months) {
                                   recorder.write_run(run, months);
                                 });
    recorder.finish(utc_now(), result.wall_seconds, result.run_seconds);
  } catch (...) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw;
  }
  try {
    refuse_existing(options.output, options.overwrite);  // someone created it while we ran
    fs::rename(partial, options.output);
  } catch (...) {
    std::fprintf(stderr, "regionsim: the complete results were kept in '%s'\n", partial.c_str());
    throw;
  }
  return result;
}

RunResult run_to_file(const Scenario& scenario, const RunOptions& options) {
  const ExperimentResult run = run_experiment(single_run_plan(scenario), options);
  RunResult result;
  result.final_month = run.final_months.front();
  result.months = run.months;
  result.wall_seconds = run.wall_seconds;
  result.threads = run.threads;
  result.talent = static_cast<std::size_t>(result.final_month.total_talent());
  result.firms = static_cast<std::size_t>(result.final_month.total_firms());
  return result;
}

}  // namespace regionsim
