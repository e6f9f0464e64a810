// Running a scenario to a results file: the one place that decides output naming, refuses to
// overwrite, writes under a temporary name and renames only a complete file.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "regionsim/scenario.hpp"
#include "regionsim/simulation.hpp"
#include "regionsim/step_outputs.hpp"

namespace regionsim {

struct RunOptions {
  std::string output;        // results file (.h5)
  bool overwrite = false;    // replace an existing output file
  bool check = false;        // accounting identities every month
  int threads = 0;           // 0 = all cores
  bool progress = false;     // progress line on stderr
  std::string command_line;  // recorded in the file when not empty
  int compression = 4;       // zlib level of the time series (with shuffle); 0 = uncompressed
  // When set and non-zero (a signal number), every run stops at the end of its current month and
  // what exists is written as an incomplete file (incomplete_path), then RunInterrupted is thrown.
  const std::atomic<int>* stop = nullptr;
  bool clean_partial = false;  // remove stale FILE.partial-PID files of dead processes
  double max_memory = 0;       // bytes the runs may need (estimated before); 0: 80 % of RAM
  // Keep the runs an interrupted run of the same experiment finished (in FILE.incomplete.h5)
  // instead of simulating them again.
  bool resume = false;
  std::vector<char> skip_runs;  // set by the driver when resuming: runs not to simulate (1)
  // Checkpoints (docs/output.md, "Checkpoints"): every this many months (0: none), keeping each
  // run's latest `checkpoint_keep`, as OUTPUT.month-NNNN.ckpt (OUTPUT.run-RRRR.month-NNNN.ckpt
  // for run R of an experiment).
  std::int64_t checkpoint_every = 0;
  // Months between snapshots of the running output at OUTPUT.partial-PID (docs/output.md,
  // "Partial files"); 0: none, the file reaches the disk at the end. [judgement] A simulated year:
  // a killed run loses about a year; snapshots are throttled to at most 1 % of the wall time
  // (recorder_flush.hpp), as unthrottled ones every 12 months cost ~8 % at scale 1.
  std::int64_t flush_every = 12;
  std::int64_t checkpoint_keep = 2;
  // Set by resume_run (`regionsim resume`): the month of the checkpoint the run continues from,
  // when it is one of this output's (OUTPUT.month-NNNN.ckpt); that checkpoint and the run's
  // earlier ones are kept among its latest and removed with them once the output is complete.
  std::int64_t resumed_month = 0;
  // Set by the driver with --resume: runs that continue from a checkpoint (1), through `restore`.
  // The runner starts them as runs of their own, not as arms forked from their root.
  std::vector<char> restored_runs;
  std::vector<std::int64_t> restored_months;  // the month each of them continues from (0: none)
  // Set under `mpirun ... regionsim run --shard`: this process is one shard of every run
  // (regionsim/shard.hpp). The runs are then simulated one after another, each from month 0 (an
  // arm's shared warm-up gives the same months), in step with the other shards.
  ShardComm* shard = nullptr;

  // Set by the driver (run_driver.cpp), called by the runner from the thread simulating the run:
  // `restore` may start run `run` from a checkpoint (filling the months recorded so far) instead
  // of month 0; `after_month` sees every simulated month (to write checkpoints).
  std::function<std::optional<Simulation>(std::size_t run, std::vector<StepOutputs>& months)>
      restore;
  std::function<void(std::size_t run, const Simulation& sim, std::span<const StepOutputs> months)>
      after_month;
};

// A run stopped by a signal; the months done were written to `file`, marked complete = "false".
class RunInterrupted : public std::runtime_error {
 public:
  RunInterrupted(const std::string& message, int signal, std::string file)
      : std::runtime_error(message), signal_(signal), file_(std::move(file)) {}
  int signal() const { return signal_; }
  const std::string& file() const { return file_; }

 private:
  int signal_;
  std::string file_;
};

struct RunResult {
  StepOutputs final_month;
  std::int64_t months = 0;
  double wall_seconds = 0;
  int threads = 0;
  std::size_t talent = 0, firms = 0;
};

// Refuses (InputError) before any work if the output exists and overwrite is off.
RunResult run_to_file(const Scenario& scenario, const RunOptions& options);

}  // namespace regionsim
