#include "mpi_shard.hpp"

#include "experiment_runner.hpp"
#include "mpi_records.hpp"
#include "mpi_session.hpp"
#include "regionsim/scenario_loader.hpp"
#include "run_checkpoints.hpp"
#include "run_driver.hpp"
#include "sharded_runner.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
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

MpiShardComm::MpiShardComm(MPI_Comm comm, int process) : comm_(comm), process_(process) {
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

// One rank's share of the work, sent to rank 0 for the closing table.
struct ShardShare {
  std::int64_t runs;  // simulated by the rank's group
  std::int64_t people, firms;
  double cpu_seconds;
  std::uint64_t bytes_sent;
  std::int32_t group, shard;
  PhaseTimes phases;
};

// Messages between the groups' first ranks and rank 0 (on MPI_COMM_WORLD).
constexpr int kGroupRecords = 7101;  // -> 0: a finished run [run, seconds, the month it
                                     // started from, packed months]
constexpr int kGroupRequest = 7102;  // -> 0, empty: the next run, please
constexpr int kGroupWork = 7103;     // 0 ->, int64: a run, or kNoRun
constexpr std::int64_t kNoRun = -1;

void print_shares(const Experiment& plan, int group_size, std::span<const std::byte> all) {
  const auto ranks = static_cast<int>(all.size() / sizeof(ShardShare));
  std::printf(
      "sharded: %d ranks as %d group(s) of %d shards, %zu runs; per rank: runs its group "
      "simulated, people and firms held at the end of its last run, CPU time, bytes sent\n",
      ranks, ranks / group_size, group_size, plan.runs.size());
  std::vector<ShardShare> shares(static_cast<std::size_t>(ranks));
  std::memcpy(shares.data(), all.data(), all.size());
  for (int r = 0; r < ranks; ++r) {
    const ShardShare& share = shares[static_cast<std::size_t>(r)];
    const auto months = share.phases.months;
    std::printf(
        "  rank %d (group %d, shard %d): %lld runs, %lld people, %lld firms, %.2f s CPU, %llu "
        "bytes (%.0f per month)\n",
        r, share.group, share.shard, static_cast<long long>(share.runs),
        static_cast<long long>(share.people), static_cast<long long>(share.firms),
        share.cpu_seconds, static_cast<unsigned long long>(share.bytes_sent),
        months > 0 ? static_cast<double>(share.bytes_sent) / static_cast<double>(months) : 0.0);
  }
  std::printf("  ms per month by phase (waits for the other shards included):\n   rank");
  for (const char* name : kPhaseNames)
    std::printf(" %s", name);
  std::printf("\n");
  for (int r = 0; r < ranks; ++r) {
    const ShardShare& share = shares[static_cast<std::size_t>(r)];
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

}  // namespace

std::optional<ExperimentResult> run_experiment_sharded(const Experiment& plan, RunOptions options,
                                                       int group_size) {
  const int world_rank = rank(), world_size = size();
  if (group_size == 0) group_size = world_size;
  if (group_size < 1 || world_size % group_size != 0)
    throw InputError("run --shard " + std::to_string(group_size) + ": expected a number of " +
                     "shards per run that divides the " + std::to_string(world_size) +
                     " ranks of the job (or --shard alone: all ranks shard every run)");
  // Groups of consecutive ranks. Runs are handed out one at a time by rank 0 (the first rank of
  // group 0) to whichever group is free, so groups finish together although runs differ in cost
  // (a sweep over run.scale, a long and a short scenario).
  const int groups = world_size / group_size;
  const int group = world_rank / group_size;
  MPI_Comm group_comm = MPI_COMM_NULL;
  MPI_Comm_split(MPI_COMM_WORLD, group, world_rank, &group_comm);
  MpiShardComm comm(group_comm, world_rank);
  options.shard = &comm;
  // Every shard must step every month: a signal ends the job (mpirun forwards it to all ranks)
  // rather than stopping ranks at different months, as for distributed experiments.
  options.stop = nullptr;
  // --resume: the runs rank 0's incomplete file holds whole, which no group simulates (rank 0
  // reads the file and tells every rank).
  const auto share_kept = [&](std::vector<char> kept) {
    kept.resize(plan.runs.size(), 0);
    MPI_Bcast(kept.data(), checked_count(kept.size(), "the kept runs"), MPI_CHAR, 0,
              MPI_COMM_WORLD);
    return kept;
  };
  // The run a group's shards simulate next, the same on all of them: its first rank gets it
  // (`take`), the others from it.
  const auto next_in_group = [&](const std::function<std::int64_t()>& take) {
    std::int64_t pick = comm.shard() == 0 ? take() : kNoRun;
    MPI_Bcast(&pick, 1, MPI_INT64_T, 0, group_comm);
    return pick < 0 ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(pick));
  };

  // Rank 0's temporary file is OUTPUT.partial-PID (run_driver): a rank that fails removes it
  // before its abort kills rank 0 (a shared file system, as for every MPI run of regionsim).
  long long root_pid = ::getpid();
  MPI_Bcast(&root_pid, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  std::optional<ExperimentResult> result;
  std::vector<std::vector<char>> outgoing;  // a leader's sent runs, alive until delivered
  std::vector<MPI_Request> requests;
  std::int64_t runs_here = 0;  // the runs this rank's group simulated
  try {
    if (world_rank == 0) {
      // Rank 0 hands out the runs and writes the file through the one-process file code (which
      // also writes rank 0's checkpoints and sets up its --resume, run_checkpoints.hpp): its
      // group's runs as they finish, the other groups' as their first ranks send them. It
      // answers the other groups between the months of its own runs, then until all are done.
      result = run_experiment_with(
          plan, options, [&](const Experiment& p, const RunOptions& o, const RunSink& sink) {
            const std::vector<char> kept = share_kept(o.skip_runs);
            RunOptions mine = o;
            mine.skip_runs = kept;
            mine.shard = &comm;
            mine.stop = nullptr;
            // Roots (with the arms forking from them) in order, to whichever group is free.
            const ShardedWork work = sharded_work(p, mine);
            std::size_t next = 0;
            std::size_t expected = 0;  // runs the other groups will send
            const auto take = [&]() -> std::int64_t {
              return next < work.roots.size() ? static_cast<std::int64_t>(work.roots[next++])
                                              : kNoRun;
            };
            struct Delivered {
              std::size_t run;
              double seconds;
              std::int64_t first;  // the month the run started from there
              StepOutputs last;
              std::int64_t months;
            };
            std::vector<Delivered> delivered;
            int finished_groups = 0;
            // One message from another group: a request for a run, or a finished run.
            const auto answer = [&](const MPI_Status& status) {
              if (status.MPI_TAG == kGroupRequest) {
                MPI_Recv(nullptr, 0, MPI_BYTE, status.MPI_SOURCE, kGroupRequest, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
                const std::int64_t run = take();
                if (run == kNoRun)
                  ++finished_groups;
                else
                  expected += work.delivered(static_cast<std::size_t>(run), kept);
                MPI_Send(&run, 1, MPI_INT64_T, status.MPI_SOURCE, kGroupWork, MPI_COMM_WORLD);
                return;
              }
              if (status.MPI_TAG != kGroupRecords)
                throw std::logic_error("sharded run: unexpected message with tag " +
                                       std::to_string(status.MPI_TAG) + " on rank 0");
              const std::vector<char> bytes = receive_bytes(status);
              std::size_t offset = 0;
              const auto index = static_cast<std::size_t>(read_value<std::uint64_t>(bytes, offset));
              const double seconds = read_value<double>(bytes, offset);
              const std::int64_t first = read_value<std::int64_t>(bytes, offset);
              const std::vector<StepOutputs> months = unpack_months(bytes, offset);
              sink(index, months);
              delivered.push_back(
                  {index, seconds, first, months.back(), static_cast<std::int64_t>(months.size())});
            };
            const auto answer_waiting = [&] {
              for (;;) {
                int waiting = 0;
                MPI_Status status;
                MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status);
                if (!waiting) return;
                answer(status);
              }
            };
            RunHooks hooks;
            hooks.next_root = [&] {
              answer_waiting();
              return next_in_group(take);
            };
            hooks.between_months = answer_waiting;
            ExperimentResult r = simulate_experiment(
                p, mine,
                [&](std::size_t run, std::span<const StepOutputs> months) {
                  ++runs_here;
                  sink(run, months);
                },
                hooks);
            while (finished_groups < groups - 1 || delivered.size() < expected) {
              MPI_Status status;
              MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
              answer(status);
            }
            for (const Delivered& d : delivered) {
              r.final_months.at(d.run) = d.last;
              r.months_done.at(d.run) = d.months;
              r.months_simulated += d.months - d.first;
              if (!mine.resume && p.runs[d.run].fork_parent >= 0) r.months_shared += d.first;
              r.run_seconds.at(d.run) = d.seconds;
            }
            return r;
          });
    } else {
      RunOptions own = options;
      own.progress = false;
      own.skip_runs = share_kept({});
      // This rank writes its own shard's checkpoints and, with --resume, continues from them.
      RunCheckpoints checkpoints(plan, own);
      if (!checkpoints.empty()) {
        own.after_month = [&checkpoints](std::size_t run, const Simulation& sim,
                                         std::span<const StepOutputs> months) {
          checkpoints.after_month(run, sim, months);
        };
        checkpoints.resume_from_latest(plan, own);
      }
      // The months each run continued from (0: from month 0), for the months simulated here.
      std::vector<std::int64_t> restored(plan.runs.size(), 0);
      if (own.restore)
        own.restore = [restore = own.restore, &restored](std::size_t run,
                                                         std::vector<StepOutputs>& months) {
          std::optional<Simulation> sim = restore(run, months);
          restored.at(run) = static_cast<std::int64_t>(months.size());
          return sim;
        };
      const bool leader = comm.shard() == 0;
      RunHooks hooks;
      hooks.next_root = [&] {
        // Group 0's runs come from rank 0 itself; another group's first rank asks it.
        return next_in_group([] {
          std::int64_t pick = kNoRun;
          MPI_Send(nullptr, 0, MPI_BYTE, 0, kGroupRequest, MPI_COMM_WORLD);
          MPI_Recv(&pick, 1, MPI_INT64_T, 0, kGroupWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          return pick;
        });
      };
      // The group's runs are simulated one after another: a run's seconds are the time since
      // the previous one was handed over (its start-up included).
      auto last = std::chrono::steady_clock::now();
      const auto send_run = [&](std::size_t run, std::span<const StepOutputs> months) {
        ++runs_here;
        if (!leader) return;
        const auto now = std::chrono::steady_clock::now();
        std::vector<char>& bytes = outgoing.emplace_back();
        append_value(bytes, static_cast<std::uint64_t>(run));
        append_value(bytes, std::chrono::duration<double>(now - last).count());
        last = now;
        // The month the run started from here: its checkpoint's, its fork month (an arm forks
        // from its root in the same group, sharded_runner.hpp), else 0.
        const ExperimentRun& planned = plan.runs[run];
        append_value(bytes, restored[run] > 0                         ? restored[run]
                            : !own.resume && planned.fork_parent >= 0 ? planned.fork_month
                                                                      : std::int64_t{0});
        pack_months(months, bytes);
        requests.emplace_back();
        MPI_Isend(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, 0, kGroupRecords,
                  MPI_COMM_WORLD, &requests.back());
      };
      simulate_experiment(plan, own, send_run, hooks);
      MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
    }
  } catch (...) {
    if (world_rank != 0) {
      std::error_code ignored;
      std::filesystem::remove(options.output + ".partial-" + std::to_string(root_pid), ignored);
    }
    throw;
  }

  MpiShardComm world(MPI_COMM_WORLD, world_rank);
  const ShardShare mine{runs_here,     comm.people_held(), comm.firms_held(),
                        cpu_seconds(), comm.bytes_sent(),  group,
                        comm.shard(),  comm.phase_times()};
  std::vector<std::byte> sent(sizeof mine);
  std::memcpy(sent.data(), &mine, sizeof mine);
  const std::span<const std::byte> all = world.gather(sent);
  if (world_rank == 0) print_shares(plan, group_size, all);
  MPI_Comm_free(&group_comm);
  return result;
}

}  // namespace regionsim::mpi
