#include <tbb/task_arena.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "run_driver.hpp"

#include "experiment_runner.hpp"
#include "interrupt.hpp"
#include "output_path.hpp"
#include "recorder.hpp"
#include "recorder_flush.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"
#include "regionsim/scenario_loader.hpp"
#include "regionsim/simulation.hpp"
#include "resource_estimate.hpp"
#include "resume.hpp"
#include "run_checkpoints.hpp"

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

// Every file the run reads: --overwrite must never replace one of them with results.
std::vector<std::string> input_files(const Experiment& plan) {
  std::vector<std::string> inputs = plan.scenario_files;
  if (!plan.source_file.empty()) inputs.push_back(plan.source_file);
  for (const ExperimentRun& run : plan.runs) {
    inputs.push_back(run.scenario.source_file);
    inputs.insert(inputs.end(), run.scenario.extends_chain.begin(),
                  run.scenario.extends_chain.end());
  }
  return inputs;
}

void report_stale_partials(const RunOptions& options) {
  for (const std::string& file : stale_partial_files(options.output)) {
    std::error_code ec;
    if (options.clean_partial && fs::remove(file, ec)) {
      std::fprintf(stderr, "regionsim: removed '%s', left by a process that no longer runs\n",
                   file.c_str());
    } else {
      std::fprintf(stderr,
                   "regionsim: note: '%s' was left by a process that no longer runs (an "
                   "unfinished file); pass --clean-partial to remove it\n",
                   file.c_str());
    }
  }
}

// --resume with no interrupted file takes what a killed process left: the newest snapshot
// "<output>.partial-PID" whose process no longer runs (SIGKILL, a killed MPI job) becomes
// "<output minus .h5>.incomplete.h5". A snapshot being written when the process died (".tmp") is
// never taken: its last complete version is the file without the suffix.
void adopt_stale_partial(const std::string& output, const std::string& incomplete) {
  std::error_code ec;
  if (fs::exists(fs::symlink_status(incomplete, ec))) return;
  std::string newest;
  fs::file_time_type newest_time{};
  for (const std::string& file : stale_partial_files(output)) {
    if (file.size() > 4 && file.compare(file.size() - 4, 4, ".tmp") == 0) continue;
    if (!fs::is_regular_file(fs::symlink_status(file, ec))) continue;
    const fs::file_time_type time = fs::last_write_time(file, ec);
    if (ec) continue;
    if (newest.empty() || time > newest_time) {
      newest = file;
      newest_time = time;
    }
  }
  if (newest.empty()) return;
  fs::rename(newest, incomplete, ec);
  if (ec) {
    std::fprintf(stderr, "regionsim: --resume: cannot rename '%s' to '%s': %s\n", newest.c_str(),
                 incomplete.c_str(), ec.message().c_str());
    return;
  }
  std::fprintf(stderr,
               "regionsim: --resume: took '%s', left by a process that no longer runs, as '%s'\n",
               newest.c_str(), incomplete.c_str());
}

// Keeps an interrupted run's file under a name no one takes for a result, and says so.
[[noreturn]] void keep_incomplete(const std::string& partial, const Experiment& plan,
                                  const RunOptions& options, const ExperimentResult& result,
                                  const RunCheckpoints& checkpoints) {
  std::string kept = incomplete_path(options.output);
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(kept, ec);
  bool is_input = false;
  for (const std::string& input : input_files(plan))
    is_input = is_input || fs::equivalent(kept, input, ec);
  if ((fs::exists(status) && !fs::is_regular_file(status)) || is_input) {
    kept = partial;  // never replace what is not an earlier incomplete result
  } else {
    fs::rename(partial, kept, ec);
    if (ec) kept = partial;
  }
  std::size_t complete = 0;
  std::int64_t months = 0;
  for (const std::int64_t done : result.months_done) {
    complete += done == result.months ? 1 : 0;
    months += done;
  }
  if (result.interrupted == 0)  // no signal, yet runs are missing: a defect, never a user's stop
    throw std::runtime_error(
        "internal error: " + std::to_string(plan.runs.size() - complete) + " of " +
        std::to_string(plan.runs.size()) +
        " runs were not delivered, though no signal stopped them; the runs delivered were kept "
        "in '" +
        kept + "', marked complete = \"false\" (it is not a finished result). Please report this.");
  std::string message =
      std::string("interrupted by ") + signal_name(result.interrupted) +
      ": the runs stopped at the end of a month; " + std::to_string(complete) + " of " +
      std::to_string(plan.runs.size()) + " runs complete, " + std::to_string(months) +
      " run-months recorded in '" + kept +
      "', marked complete = \"false\" (months_done per run); it is not a finished result. "
      "Run the same command with --resume to keep the finished runs and simulate the rest.";
  if (const std::string latest = checkpoints.latest(); !latest.empty())
    message += plan.runs.size() == 1
                   ? " Or continue from the latest checkpoint: regionsim resume '" + latest + "'."
                   : " With --resume the unfinished runs continue from their checkpoints.";
  throw RunInterrupted(message, result.interrupted, kept);
}

}  // namespace

ExperimentResult run_experiment(const Experiment& plan, const RunOptions& options) {
  return run_experiment_with(plan, options,
                             [](const Experiment& p, const RunOptions& o, const RunSink& sink) {
                               return simulate_experiment(p, o, sink);
                             });
}

ExperimentResult run_experiment_with(const Experiment& plan, const RunOptions& options,
                                     const SimulateRuns& simulate) {
  check_output_path(options.output, options.overwrite, input_files(plan));
  check_resources(plan,
                  options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency(),
                  options.max_memory);
  if (options.resume) adopt_stale_partial(options.output, incomplete_path(options.output));
  report_stale_partials(options);
  // The temporary name is unique per process so two runs never write into each other's file; a
  // crash leaves a file whose name says it is partial.
  const std::string partial = options.output + ".partial-" + std::to_string(::getpid());

  RunOptions run_options = options;
  RunCheckpoints checkpoints(plan, options);
  if (!checkpoints.empty())
    run_options.after_month = [&checkpoints](std::size_t run, const Simulation& sim,
                                             std::span<const StepOutputs> months) {
      checkpoints.after_month(run, sim, months);
    };
  KeptRuns kept;
  if (options.resume) {
    const std::string incomplete = incomplete_path(options.output);
    std::error_code ec;
    if (fs::is_regular_file(incomplete, ec)) {
      kept = read_kept_runs(incomplete, plan);
      run_options.skip_runs = kept.kept;
      std::fprintf(stderr, "regionsim: --resume: %zu of %zu runs kept from '%s'\n", kept.count(),
                   plan.runs.size(), incomplete.c_str());
    } else {
      std::fprintf(stderr, "regionsim: --resume: no '%s'; every run is simulated\n",
                   incomplete.c_str());
    }
    checkpoints.resume_from_latest(plan, run_options);
  }

  ExperimentResult result;
  bool complete = true;
  try {
    const int threads =
        options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
    Recorder recorder(partial, plan,
                      RunMetadata{utc_now(), threads, options.command_line, options.compression});
    RecorderFlush flush(recorder, plan.runs.size(), plan.runs.front().scenario.run.steps,
                        options.flush_every);
    std::vector<StepOutputs> kept_final(plan.runs.size());
    for (std::size_t r = 0; r < kept.kept.size(); ++r) {
      if (!kept.kept[r]) continue;
      // One simulated month gives a record of the run's shape for the final month read back.
      kept_final[r] = Simulation(plan.runs[r].scenario, false).step();
      recorder.copy_run(r, kept.file, plan.runs[r].scenario.run.steps, kept_final[r]);
      flush.kept(r);
    }
    // Snapshots of the running file as the months go (recorder_flush.hpp), after any checkpoint.
    run_options.after_month = [&flush, checkpoint = run_options.after_month](
                                  std::size_t run, const Simulation& sim,
                                  std::span<const StepOutputs> months) {
      if (checkpoint) checkpoint(run, sim, months);
      flush.after_month(run, months);
    };
    result = simulate(plan, run_options, [&](std::size_t run, std::span<const StepOutputs> months) {
      flush.run_finished(run, months);
    });
    for (std::size_t r = 0; r < kept.kept.size(); ++r) {
      if (!kept.kept[r]) continue;
      result.final_months[r] = kept_final[r];
      result.run_seconds[r] = kept.seconds[r];
      result.months_done[r] = result.months;
    }
    for (const std::int64_t done : result.months_done)
      complete = complete && done == result.months;
    recorder.finish(utc_now(), result.wall_seconds, result.run_seconds,
                    complete                  ? std::string()
                    : result.interrupted == 0 ? std::string("undelivered runs (internal error)")
                                              : std::string(signal_name(result.interrupted)),
                    result.months_done);
  } catch (...) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw;
  }
  if (!complete) keep_incomplete(partial, plan, options, result, checkpoints);
  try {
    publish_output(partial, options.output, options.overwrite);
    checkpoints.remove_all();  // the output is complete: they have served
    std::error_code ec;
    if (!kept.file.empty() && fs::remove(kept.file, ec))
      std::fprintf(stderr, "regionsim: --resume: removed '%s', now part of '%s'\n",
                   kept.file.c_str(), options.output.c_str());
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
