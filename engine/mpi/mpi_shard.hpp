// ShardComm (regionsim/shard.hpp) over an MPI communicator: the collectives a sharded run needs
// each month. Called only from the thread that steps the simulation (the main thread:
// MPI_THREAD_FUNNELED), never from inside a parallel loop.
#pragma once

#include <mpi.h>

#include <optional>

#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"
#include "regionsim/shard.hpp"

namespace regionsim::mpi {

class MpiShardComm final : public ShardComm {
 public:
  // `process`: this process's rank in the whole job, for messages.
  MpiShardComm(MPI_Comm comm, int process);
  int shard() const override { return rank_; }
  int process() const override { return process_; }
  int shards() const override { return size_; }
  void sum(std::span<std::int64_t> values) override;
  void sum(std::span<std::int32_t> values) override;
  std::span<const std::byte> gather(std::span<const std::byte> mine) override;

 private:
  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
  int process_ = 0;
  std::vector<int> counts_, displacements_;
  std::vector<std::byte> inbox_;  // what gather returns, reused (shard.hpp)
};

// `regionsim run --shard [--ranks-per-run N]` under mpirun: the ranks form groups of N
// consecutive ranks (N = 0: one group of all); rank 0 hands the runs of the plan out one at a
// time, in order, to whichever group is free (answering between the months of its own group's
// runs), and each group simulates its runs one after another, sharded over its ranks
// (regionsim/shard.hpp). Rank 0 writes the file (the one-process file code: checks, temporary
// name, publishing, checkpoints, --resume) as the runs finish, and returns the result; the other
// ranks return std::nullopt. Rank 0 then prints each rank's share of the work: runs, people
// held, CPU seconds, bytes sent and milliseconds per month by phase. InputError if N does not
// divide the ranks.
std::optional<ExperimentResult> run_experiment_sharded(const Experiment& plan, RunOptions options,
                                                       int group_size);

}  // namespace regionsim::mpi
