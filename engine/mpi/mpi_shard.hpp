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
  explicit MpiShardComm(MPI_Comm comm);
  int shard() const override { return rank_; }
  int shards() const override { return size_; }
  void sum(std::span<std::int64_t> values) override;
  void sum(std::span<std::int32_t> values) override;
  std::span<const std::byte> gather(std::span<const std::byte> mine) override;

 private:
  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
  std::vector<int> counts_, displacements_;
  std::vector<std::byte> inbox_;  // what gather returns, reused (shard.hpp)
};

// `regionsim run --shard` under mpirun: every rank is a shard of every run of the plan (the runs
// one after another). Rank 0 writes the file (run_experiment's checks, temporary name and
// publishing) and returns its result; the other ranks simulate their shares and return
// std::nullopt. Rank 0 then prints each shard's share of the work: people held, CPU seconds and
// bytes sent.
std::optional<ExperimentResult> run_experiment_sharded(const Experiment& plan, RunOptions options);

}  // namespace regionsim::mpi
