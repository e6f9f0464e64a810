// The driver's side of checkpoints (run_driver.cpp): one Checkpointer per run of the plan
// (FILE.h5.month-NNNN.ckpt for a single run, FILE.h5.run-RRRR.month-NNNN.ckpt for run R of an
// experiment) and, with --resume, every unfinished run restarted from its latest checkpoint
// instead of month 0 (docs/output.md, "Checkpoints").
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "checkpoint.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"

namespace regionsim {

// A single run's checkpoints carry no run index (-1); run r of an experiment's carry r.
std::int64_t run_index(const Experiment& plan, std::size_t run);
// Reads checkpoint `path` of run `run` whole, refusing (CheckpointError) one of another run or
// experiment, or of another shard than `shard` of `shards`.
Checkpoint check_checkpoint(const std::string& path, const Experiment& plan, std::size_t run,
                            std::int64_t shard = 0, std::int64_t shards = 1);
// Removes every checkpoint of the `runs` runs writing `output`, whatever its layout (sharded over
// any number of processes or not).
void remove_every_layout(const std::string& output, std::size_t runs);

class RunCheckpoints {
 public:
  // Nothing to do without --checkpoint-every (empty()).
  RunCheckpoints(const Experiment& plan, const RunOptions& options);
  bool empty() const { return writers_.empty(); }
  void after_month(std::size_t run, const Simulation& sim, std::span<const StepOutputs> months) {
    writers_[run]->after_month(sim, months);
  }
  // --resume: finds the latest checkpoint of every run neither kept (run_options.skip_runs) nor
  // finished, refusing (CheckpointError) one that is damaged or of another experiment, and calls
  // restore_from. A root whose checkpoint is later than the fork month of an arm that must still
  // be forked from it starts from month 0 instead.
  // A sharded run (run_options.shard): each run's shards continue from the latest month of which
  // all have a checkpoint, agreed when the run starts (resume_sharded).
  void resume_from_latest(const Experiment& plan, RunOptions& run_options);
  // Run r continues from its checkpoint of month months[r] (0: from month 0): sets
  // run_options.restored_months, restored_runs and restore, which reads a checkpoint only when
  // its run starts (so a process holds no more states than it simulates at once, and under MPI
  // only the rank given the run reads it). `announce`: say so on stderr (rank 0 only).
  void restore_from(const Experiment& plan, RunOptions& run_options,
                    const std::vector<std::int64_t>& months, bool announce);
  // Removes every checkpoint of this output's runs: those this process wrote or adopted, and any
  // other rank's (every multiple of --checkpoint-every), once the output is complete.
  void remove_all();
  // The newest checkpoint written or adopted, for the message of an interrupted run ("" if none).
  std::string latest() const;

 private:
  // Sets run_options.restore to agree, when a run starts, with the run's other shards on the
  // checkpoints to continue from: their own of the latest month all have, or those of another
  // layout (number of shards) when later, re-split (run_checkpoints_sharded.cpp). Called by every
  // shard; the plan must outlive the run.
  void resume_sharded(const Experiment& plan, RunOptions& run_options);

  std::vector<std::unique_ptr<Checkpointer>> writers_;
  std::string output_;
  std::int64_t every_ = 0;
  bool sharded_ = false;
  std::vector<std::int64_t> steps_;  // of each run
};

}  // namespace regionsim
