// This rank's share of a distributed experiment: simulate_experiment in a thread of its own,
// pulling roots from a queue the main thread fills (from rank 0's answers) and leaving finished
// runs in an outbox the main thread empties (to the file or to rank 0). The main thread is the
// only one that calls MPI.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "experiment_runner.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"

namespace regionsim::mpi {

struct FinishedRun {
  std::size_t run = 0;
  std::vector<StepOutputs> months;
};

class LocalRuns {
 public:
  // Starts the simulation thread; it waits for roots at once.
  LocalRuns(const Experiment& plan, const RunOptions& options);
  // Stops the runs at the end of their month and joins (used when the job fails elsewhere).
  ~LocalRuns();
  LocalRuns(const LocalRuns&) = delete;
  LocalRuns& operator=(const LocalRuns&) = delete;

  // Roots the simulation threads wait for beyond those queued.
  std::size_t wanted();
  // Queues a root, or says there is no more work (std::nullopt).
  void give(std::optional<std::size_t> root);
  std::vector<FinishedRun> take_finished();
  bool done();    // the simulation thread ended (all given roots simulated, or a failure)
  bool failed();  // ended by an exception
  // "rank R: run N 'label' (replicate k) failed in month M (0-based time index): what".
  std::string failure_message(int rank);
  // Per run, the seconds the runs simulated here took (0 for the others); valid once done.
  std::vector<std::pair<std::size_t, double>> run_seconds();
  // Waits up to `timeout` for something to do (a request, a finished run, the end).
  void wait(std::chrono::milliseconds timeout);

 private:
  void simulate();

  const Experiment& plan_;
  RunOptions options_;
  std::atomic<int> stop_{0};
  std::mutex mutex_;
  std::condition_variable work_;   // roots queued, or no more
  std::condition_variable event_;  // for the main thread
  std::deque<std::size_t> queue_;
  std::size_t waiting_ = 0;
  bool no_more_ = false;
  std::vector<FinishedRun> outbox_;
  bool done_ = false;
  std::exception_ptr error_;
  std::optional<std::pair<std::size_t, std::int64_t>> failure_;  // run, month
  ExperimentResult result_;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace regionsim::mpi
