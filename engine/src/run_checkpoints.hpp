// The driver's side of checkpoints (run_driver.cpp): one Checkpointer per run of the plan
// (FILE.h5.month-NNNN.ckpt for a single run, FILE.h5.run-RRRR.month-NNNN.ckpt for run R of an
// experiment) and, with --resume, every unfinished run restarted from its latest checkpoint
// instead of month 0 (docs/output.md, "Checkpoints").
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "checkpoint.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"

namespace regionsim {

class RunCheckpoints {
 public:
  // Nothing to do without --checkpoint-every (empty()).
  RunCheckpoints(const Experiment& plan, const RunOptions& options);
  bool empty() const { return writers_.empty(); }
  void after_month(std::size_t run, const Simulation& sim, std::span<const StepOutputs> months) {
    writers_[run]->after_month(sim, months);
  }
  // --resume: loads the latest checkpoint of every run neither kept (run_options.skip_runs) nor
  // finished, refusing (CheckpointError) one that is damaged or of another experiment, and sets
  // run_options.restore and restored_runs. A root whose checkpoint is later than the fork month of
  // an arm that must still be forked from it starts from month 0 instead.
  void resume_from_latest(const Experiment& plan, RunOptions& run_options);
  void remove_all();
  // The newest checkpoint written or adopted, for the message of an interrupted run ("" if none).
  std::string latest() const;

 private:
  std::vector<std::unique_ptr<Checkpointer>> writers_;
};

}  // namespace regionsim
