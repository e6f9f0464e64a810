#include "mpi_experiment.hpp"

#include <mpi.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "mpi_local_runs.hpp"
#include "mpi_records.hpp"
#include "mpi_session.hpp"
#include "regionsim/scenario_loader.hpp"
#include "run_checkpoints.hpp"
#include "run_driver.hpp"

namespace regionsim::mpi {

namespace {

using Clock = std::chrono::steady_clock;

// Messages between the ranks and rank 0.
enum Tag : int {
  kRequest = 1,   // -> 0, empty: one more root, please
  kWork = 2,      // 0 ->, int64: a root, or kNoMore
  kResult = 3,    // -> 0, bytes: run index (uint64) and its packed months
  kFinished = 4,  // -> 0, bytes: (run uint64, seconds double) per run simulated there
  kFailed = 5,    // -> 0, bytes: the failure message
  kStart = 6,     // 0 ->, bytes: the runs not to simulate (RunOptions::skip_runs, one byte a
                  // run), then the month each run continues from (restored_months, int64 a run)
};
constexpr std::int64_t kNoMore = -1;

void send_bytes(const std::vector<char>& bytes, int tag) {
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, 0, tag, MPI_COMM_WORLD);
}

}  // namespace

ExperimentResult simulate_distributed(const Experiment& plan, const RunOptions& options,
                                      const RunSink& sink) {
  const auto start = Clock::now();
  const std::vector<std::size_t> roots =
      experiment_roots(plan, options.skip_runs, options.restored_runs);
  std::size_t next = 0;
  const auto next_root = [&]() -> std::int64_t {
    return next < roots.size() ? static_cast<std::int64_t>(roots[next++]) : kNoMore;
  };
  const int threads =
      options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  ExperimentResult result = empty_result(plan, threads);
  const auto deliver = [&](std::size_t run, const std::vector<StepOutputs>& months) {
    sink(run, months);
    if (!months.empty()) result.final_months.at(run) = months.back();
    result.months_done.at(run) = static_cast<std::int64_t>(months.size());
  };

  // The other ranks start when rank 0 has checked the output and read what --resume keeps: runs
  // kept from an interrupted file are neither simulated nor delivered on any rank, and runs
  // continued from a checkpoint continue from the month rank 0 chose, wherever they go.
  std::vector<char> start_message(plan.runs.size(), 0);
  for (std::size_t r = 0; r < plan.runs.size() && r < options.skip_runs.size(); ++r)
    start_message[r] = options.skip_runs[r];
  for (std::size_t r = 0; r < plan.runs.size(); ++r)
    append_value(start_message,
                 r < options.restored_months.size() ? options.restored_months[r] : std::int64_t{0});
  for (int r = 1; r < size(); ++r)
    MPI_Send(start_message.data(), static_cast<int>(start_message.size()), MPI_BYTE, r, kStart,
             MPI_COMM_WORLD);
  LocalRuns local(plan, options);
  bool local_done = false;
  int finished = 0;  // ranks above 0 that are done
  while (!local_done || finished < size() - 1) {
    bool busy = false;
    // Read before taking the finished runs: the simulation thread leaves its last run in the
    // outbox before it marks itself done, so once done is seen here the take below has them all.
    // (Checked after the take, a run finishing in between would be lost.)
    const bool now_done = local.done();
    for (const FinishedRun& run : local.take_finished()) {
      deliver(run.run, run.months);
      busy = true;
    }
    if (local.failed()) throw std::runtime_error(local.failure_message(0));
    for (std::size_t n = local.wanted(); n > 0; --n) {
      const std::int64_t root = next_root();
      local.give(root == kNoMore ? std::nullopt
                                 : std::optional<std::size_t>(static_cast<std::size_t>(root)));
      busy = true;
    }
    if (!local_done && now_done) {
      local_done = true;
      for (const auto& [run, seconds] : local.run_seconds())
        result.run_seconds.at(run) = seconds;
    }
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (flag != 0) {
      busy = true;
      if (status.MPI_TAG == kRequest) {
        MPI_Recv(nullptr, 0, MPI_BYTE, status.MPI_SOURCE, kRequest, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        const std::int64_t root = next_root();
        MPI_Send(&root, 1, MPI_INT64_T, status.MPI_SOURCE, kWork, MPI_COMM_WORLD);
      } else if (status.MPI_TAG == kResult) {
        const std::vector<char> bytes = receive_bytes(status);
        std::size_t offset = 0;
        const auto run = read_value<std::uint64_t>(bytes, offset);
        deliver(static_cast<std::size_t>(run), unpack_months(bytes, offset));
      } else if (status.MPI_TAG == kFinished) {
        const std::vector<char> bytes = receive_bytes(status);
        for (std::size_t offset = 0; offset < bytes.size();) {
          const auto run = read_value<std::uint64_t>(bytes, offset);
          result.run_seconds.at(static_cast<std::size_t>(run)) = read_value<double>(bytes, offset);
        }
        ++finished;
      } else if (status.MPI_TAG == kFailed) {
        const std::vector<char> bytes = receive_bytes(status);
        throw std::runtime_error(std::string(bytes.begin(), bytes.end()));
      } else {
        throw std::runtime_error("unexpected MPI message tag " + std::to_string(status.MPI_TAG) +
                                 " from rank " + std::to_string(status.MPI_SOURCE));
      }
    }
    if (!busy) local.wait(kPoll);
  }
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

void serve_distributed(const Experiment& plan, const RunOptions& options) {
  RunOptions local_options = options;
  const std::vector<char> start = receive_from_root(kStart);
  const std::size_t runs = plan.runs.size();
  if (start.size() != runs * (1 + sizeof(std::int64_t)))
    throw std::runtime_error("malformed start message from rank 0");
  local_options.skip_runs.assign(start.begin(), start.begin() + static_cast<std::ptrdiff_t>(runs));
  std::vector<std::int64_t> months(runs);
  std::size_t offset = runs;
  for (std::int64_t& month : months)
    month = read_value<std::int64_t>(start, offset);
  // This rank writes the checkpoints of the runs it simulates, and continues a run given to it
  // from the checkpoint rank 0 chose (reading it only then).
  RunCheckpoints checkpoints(plan, options);
  if (!checkpoints.empty()) {
    if (options.resume) checkpoints.restore_from(plan, local_options, months, false);
    local_options.after_month = [&checkpoints](std::size_t run, const Simulation& sim,
                                               std::span<const StepOutputs> recorded) {
      checkpoints.after_month(run, sim, recorded);
    };
  }
  LocalRuns local(plan, local_options);
  std::size_t requested = 0;  // requests rank 0 has not answered yet
  bool no_more = false;
  while (true) {
    bool busy = false;
    // Read before taking the finished runs, as in simulate_distributed: a run finishing after
    // the take would otherwise never be sent.
    const bool done = local.done();
    for (const FinishedRun& run : local.take_finished()) {
      std::vector<char> bytes;
      append_value(bytes, static_cast<std::uint64_t>(run.run));
      pack_months(run.months, bytes);
      send_bytes(bytes, kResult);
      busy = true;
    }
    if (local.failed()) {
      const std::string message = local.failure_message(rank());
      send_bytes(std::vector<char>(message.begin(), message.end()), kFailed);
      // Rank 0 names the failure, removes its temporary file and aborts the job; should it not
      // (itself stuck), this rank ends the job after a while rather than leave it hanging.
      std::this_thread::sleep_for(std::chrono::seconds(30));
      std::fprintf(stderr, "regionsim: %s\n", message.c_str());
      abort_job(1);
    }
    // Done, and every request answered: an answer left unread would be taken, in the next
    // experiment this rank serves (calibrate's next evaluation), for the answer to its first
    // request.
    if (done && requested == 0) {
      std::vector<char> bytes;
      for (const auto& [run, seconds] : local.run_seconds()) {
        append_value(bytes, static_cast<std::uint64_t>(run));
        append_value(bytes, seconds);
      }
      send_bytes(bytes, kFinished);
      return;
    }
    if (!no_more && !done && local.wanted() > requested) {
      MPI_Send(nullptr, 0, MPI_BYTE, 0, kRequest, MPI_COMM_WORLD);
      ++requested;
      busy = true;
    }
    int flag = 0;
    MPI_Iprobe(0, kWork, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
    if (flag != 0) {
      std::int64_t root = kNoMore;
      MPI_Recv(&root, 1, MPI_INT64_T, 0, kWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      --requested;
      no_more = root == kNoMore;
      local.give(no_more ? std::nullopt
                         : std::optional<std::size_t>(static_cast<std::size_t>(root)));
      busy = true;
    }
    if (!busy) local.wait(kPoll);
  }
}

std::optional<ExperimentResult> run_experiment_distributed(const Experiment& plan,
                                                           const RunOptions& options) {
  if (rank() != 0) {
    serve_distributed(plan, options);
    return std::nullopt;
  }
  return run_experiment_with(plan, options, simulate_distributed);
}

}  // namespace regionsim::mpi
