#include "mpi_shard.hpp"

#include "experiment_runner.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace regionsim::mpi {

namespace {

int checked_count(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(INT_MAX))
    throw std::runtime_error(std::string("sharded run: ") + what + " of " + std::to_string(n) +
                             " elements exceeds one MPI message");
  return static_cast<int>(n);
}

}  // namespace

MpiShardComm::MpiShardComm(MPI_Comm comm) : comm_(comm) {
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
}

void MpiShardComm::sum(std::span<std::int64_t> values) {
  const int n = checked_count(values.size(), "a sum");
  MPI_Allreduce(MPI_IN_PLACE, values.data(), n, MPI_INT64_T, MPI_SUM, comm_);
  count_sent(values.size_bytes());
}

void MpiShardComm::sum(std::span<std::int32_t> values) {
  const int n = checked_count(values.size(), "a sum");
  MPI_Allreduce(MPI_IN_PLACE, values.data(), n, MPI_INT32_T, MPI_SUM, comm_);
  count_sent(values.size_bytes());
}

std::span<const std::byte> MpiShardComm::gather(std::span<const std::byte> mine) {
  int own = checked_count(mine.size(), "a gather");
  counts_.resize(static_cast<std::size_t>(size_));
  MPI_Allgather(&own, 1, MPI_INT, counts_.data(), 1, MPI_INT, comm_);
  displacements_.resize(counts_.size());
  std::size_t total = 0;
  for (std::size_t r = 0; r < counts_.size(); ++r) {
    displacements_[r] = checked_count(total, "a gather");
    total += static_cast<std::size_t>(counts_[r]);
  }
  checked_count(total, "a gather");
  if (inbox_.size() < total) inbox_.resize(total);
  MPI_Allgatherv(mine.data(), own, MPI_BYTE, inbox_.data(), counts_.data(), displacements_.data(),
                 MPI_BYTE, comm_);
  count_sent(sizeof own + mine.size());
  return {inbox_.data(), total};
}

namespace {

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// One shard's share of the work, sent to rank 0 for the closing table.
struct ShardShare {
  std::int64_t people;
  double cpu_seconds;
  std::uint64_t bytes_sent;
  PhaseTimes phases;
};

}  // namespace

std::optional<ExperimentResult> run_experiment_sharded(const Experiment& plan, RunOptions options) {
  MpiShardComm comm(MPI_COMM_WORLD);
  options.shard = &comm;
  // Every shard must step every month: a signal ends the job (mpirun forwards it to all ranks)
  // rather than stopping ranks at different months, as for distributed experiments.
  options.stop = nullptr;
  // Rank 0's temporary file is OUTPUT.partial-PID (run_driver): a shard that fails removes it
  // before its abort kills rank 0 (a shared file system, as for every MPI run of regionsim).
  long long root_pid = ::getpid();
  MPI_Bcast(&root_pid, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  std::optional<ExperimentResult> result;
  if (comm.shard() == 0) {
    result = run_experiment(plan, options);
  } else {
    options.progress = false;
    try {
      simulate_experiment(plan, options, [](std::size_t, std::span<const StepOutputs>) {});
    } catch (...) {
      std::error_code ignored;
      std::filesystem::remove(options.output + ".partial-" + std::to_string(root_pid), ignored);
      throw;
    }
  }
  const std::uint64_t bytes = comm.bytes_sent();
  const ShardShare mine{comm.people_held(), cpu_seconds(), bytes, comm.phase_times()};
  std::vector<std::byte> sent(sizeof mine);
  std::memcpy(sent.data(), &mine, sizeof mine);
  const std::span<const std::byte> all = comm.gather(sent);
  if (comm.shard() == 0) {
    std::int64_t months = 0;
    for (const std::int64_t m : result->months_done)
      months += m;
    std::printf(
        "sharded over %d ranks (%lld run-months): people held at the end, CPU time and "
        "bytes sent per rank\n",
        comm.shards(), static_cast<long long>(months));
    for (int r = 0; r < comm.shards(); ++r) {
      ShardShare share{};
      std::memcpy(&share, all.data() + static_cast<std::size_t>(r) * sizeof share, sizeof share);
      std::printf(
          "  shard %d: %lld people, %.2f s CPU, %llu bytes (%.0f per month)\n", r,
          static_cast<long long>(share.people), share.cpu_seconds,
          static_cast<unsigned long long>(share.bytes_sent),
          months > 0 ? static_cast<double>(share.bytes_sent) / static_cast<double>(months) : 0.0);
    }
    std::printf("  ms per month by phase (waits for the other shards included):\n  shard");
    for (const char* name : kPhaseNames)
      std::printf(" %s", name);
    std::printf("\n");
    for (int r = 0; r < comm.shards(); ++r) {
      ShardShare share{};
      std::memcpy(&share, all.data() + static_cast<std::size_t>(r) * sizeof share, sizeof share);
      std::printf("  %5d", r);
      for (std::size_t p = 0; p < kPhaseCount; ++p)
        std::printf(" %*.2f", static_cast<int>(std::strlen(kPhaseNames[p])),
                    share.phases.months > 0 ? 1e-6 * static_cast<double>(share.phases.ns[p]) /
                                                  static_cast<double>(share.phases.months)
                                            : 0.0);
      std::printf("\n");
    }
    std::fflush(stdout);
  }
  return result;
}

}  // namespace regionsim::mpi
