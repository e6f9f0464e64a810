// Executing a planned experiment. One task arena of the requested threads holds everything: runs
// are tasks of an outer parallel loop and each run's agent loops are nested inside it, so many
// small runs spread over the cores run by run, one large run spreads its agents, and TBB never
// oversubscribes. Each run is isolated (a thread waiting inside a run's agent loop only helps that
// run), and shared warm-ups fork arms as tasks of their own when their first month is reached.
// Results do not depend on any of this: every run is a pure function of its scenario and seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"
#include "regionsim/step_outputs.hpp"

namespace regionsim {

// Receives each finished run with all its months (months[t] is month t), one call at a time, from
// whichever thread finished it.
using RunSink = std::function<void(std::size_t run, std::span<const StepOutputs> months)>;

// How the runs reach this process when it shares an experiment with others (the MPI build,
// engine/mpi): without hooks every root of the plan is simulated here.
struct RunHooks {
  // The next root to simulate (a run from month 0, with the arms forking from it), called from
  // any thread, possibly blocking; std::nullopt when there is no more work. Each of the
  // `threads` workers pulls roots from it until it says no more.
  // A sharded run (RunOptions::shard) calls it from the stepping thread for the next run, which
  // every shard of the run must be given alike; unset: every run not skipped, in order.
  std::function<std::optional<std::size_t>()> next_root;
  // Sharded runs: called from the stepping thread after every month (rank 0 answers the other
  // rank groups there).
  std::function<void()> between_months;
  // Called (from the failing thread, before the exception leaves) with the run and the month
  // (0-based time index) in which a run threw; the exception then ends simulate_experiment.
  std::function<void(std::size_t run, std::int64_t month)> failed;
};

ExperimentResult simulate_experiment(const Experiment& plan, const RunOptions& options,
                                     const RunSink& sink, const RunHooks& hooks = {});

// The runs simulated from month 0 or a checkpoint (roots) a process must simulate: all of them
// but those kept, with every arm forking from them, from an interrupted file (`skip_runs`,
// RunOptions); arms continued from checkpoints of their own (`restored_runs`) are roots too.
std::vector<std::size_t> experiment_roots(const Experiment& plan,
                                          const std::vector<char>& skip_runs,
                                          const std::vector<char>& restored_runs = {});

// Per run of the plan, the arms forking from it, by fork month; arms continued from checkpoints
// of their own (`restored_runs`) are roots and fork from nothing.
std::vector<std::vector<std::size_t>> experiment_arms(const Experiment& plan,
                                                      const std::vector<char>& restored_runs = {});

// An ExperimentResult sized for the plan, with the months counted (simulated, shared) and
// nothing run yet.
ExperimentResult empty_result(const Experiment& plan, int threads);

// Test-only failure injection (documented in docs/scaling.md): when the environment variable
// REGIONSIM_TEST_FAIL_RUN is "R:M", run R throws std::runtime_error at the start of month M.
// It exists so the tests can make one run of a distributed experiment fail on one rank; no
// model input can make a validated run throw on purpose.
std::optional<std::pair<std::size_t, std::int64_t>> injected_failure();
// With REGIONSIM_TEST_FAIL_SHARD=S as well, only shard S of a sharded run fails (-1: unset).
int injected_failure_shard();

}  // namespace regionsim
