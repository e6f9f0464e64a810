// One shard of a sharded run (RunOptions::shard): every shard of a group steps the same runs, one
// month at a time and in the same order, so their exchanges meet; only the calling thread steps
// (the agent loops are parallel inside). Arms that share a warm-up fork from their root as in one
// process (Simulation::fork on every shard: each copies its own people), unless the job resumes:
// a resumed run decides only when it starts which checkpoints it continues from, so every run is
// then its own root from month 0 or its checkpoint.
#pragma once

#include <cstddef>
#include <vector>

#include "experiment_runner.hpp"

namespace regionsim {

// The roots a sharded group simulates (in order; hooks.next_root hands them out under MPI) and,
// per root, the arms forking from it by fork month (none when options.resume).
struct ShardedWork {
  std::vector<std::size_t> roots;
  std::vector<std::vector<std::size_t>> arms;  // per run of the plan
  // The runs a root delivers to the sink: itself unless kept, and its arms not kept.
  std::size_t delivered(std::size_t root, const std::vector<char>& skip_runs) const;
};
ShardedWork sharded_work(const Experiment& plan, const RunOptions& options);

// Simulates the work above on this shard, delivering each finished run to `sink` (kept runs,
// options.skip_runs, are not delivered); fills `result`. A run that throws is reported as
// "rank R: run N 'label' (replicate k) failed in month M (shard S of P of a sharded run): ...".
void simulate_sharded(const Experiment& plan, const RunOptions& options, const RunSink& sink,
                      const RunHooks& hooks, ExperimentResult& result);

}  // namespace regionsim
