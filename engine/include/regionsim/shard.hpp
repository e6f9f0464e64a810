// One run's agents split over processes (a sharded run, docs/scaling.md): each shard holds the
// firms whose id is its own (id mod shards = shard), their employees, and the other people whose
// id is its own; every shard holds the institutes (a few dozen) and the zone fields, and the
// shards combine what their agents did each month through the operations below. The engine never
// calls MPI itself: the MPI build implements this over a communicator (engine/mpi/mpi_shard.hpp); a
// run without a ShardComm is the whole run in one process.
//
// Every operation is a collective: all shards call it in the same order with the same sizes. They
// are called only from the thread that steps the simulation, never inside a parallel loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "regionsim/phase_times.hpp"

namespace regionsim {

class ShardComm {
 public:
  virtual ~ShardComm() = default;
  virtual int shard() const = 0;   // this process's shard, 0 .. shards() - 1
  virtual int shards() const = 0;  // how many processes share the run
  // This process's rank in the whole job (messages name it); the shard without groups.
  virtual int process() const { return shard(); }

  // Element-wise sums over the shards, in place: every shard gets the totals. Integers only, so
  // the totals do not depend on how the people are split.
  virtual void sum(std::span<std::int64_t> values) = 0;
  virtual void sum(std::span<std::int32_t> values) = 0;
  // Every shard's bytes, concatenated in shard order, to every shard: a view of a buffer of the
  // communicator, valid until the next gather. The buffer (and outbox(), for building a message)
  // is reused month after month: fresh megabytes every month cost more in page faults than the
  // exchange itself (measured: 20 ms a month at 10^6 people on this machine's VM).
  virtual std::span<const std::byte> gather(std::span<const std::byte> mine) = 0;
  std::vector<std::byte>& outbox() { return outbox_; }

  // Bytes this shard has sent so far (payloads, not the library's own headers): the
  // communication a month costs (docs/scaling.md).
  std::uint64_t bytes_sent() const { return bytes_sent_; }
  // People and firms this shard held at the end of the latest run (set by the runner): its share
  // of the agents, for the report of a sharded run.
  std::int64_t people_held() const { return people_held_; }
  std::int64_t firms_held() const { return firms_held_; }
  void set_held(std::int64_t people, std::int64_t firms) {
    people_held_ = people;
    firms_held_ = firms;
  }
  // Wall time of each phase on this shard over every month it simulated (the runner times them):
  // where a shard spends its month, waiting for the others included.
  PhaseTimes& phase_times() { return phase_times_; }
  const PhaseTimes& phase_times() const { return phase_times_; }

 protected:
  void count_sent(std::size_t bytes) { bytes_sent_ += bytes; }

 private:
  std::uint64_t bytes_sent_ = 0;
  std::vector<std::byte> outbox_;
  std::int64_t people_held_ = 0, firms_held_ = 0;
  PhaseTimes phase_times_;
};

}  // namespace regionsim
