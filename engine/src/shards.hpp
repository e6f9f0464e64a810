// What a month needs from the other shards of a sharded run (regionsim/shard.hpp), written so
// that a run without shards (comm == nullptr) does exactly what it did before: the helpers then
// do nothing, or the one-process computation. Who holds whom is a pure function of the id, so a
// person's draws, and every count, are the same for any number of shards.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <type_traits>
#include <vector>

#include "agent_stores.hpp"
#include "cell_lists.hpp"
#include "matching.hpp"
#include "parallel.hpp"
#include "regionsim/shard.hpp"

namespace regionsim {

inline bool sharded(const ShardComm* comm) {
  return comm != nullptr && comm->shards() > 1;
}

// The shard holding person `id`: ids are handed out in order, so consecutive arrivals alternate
// between shards and every shard gets its share of every month's newcomers.
inline bool holds(const ShardComm* comm, AgentId id) {
  return !sharded(comm) ||
         id % static_cast<AgentId>(comm->shards()) == static_cast<AgentId>(comm->shard());
}

// Totals over the shards, in place (no-op without shards).
inline void sum_over_shards(ShardComm* comm, std::vector<std::int64_t>& values) {
  if (sharded(comm)) comm->sum(std::span<std::int64_t>(values));
}
// Sums several grids of int64 counts over the shards in one message (one exchange, one wait).
template <class... Grids>
void sum_grid_over_shards(ShardComm* comm, Grids&... grids) {
  if (!sharded(comm)) return;
  if constexpr (sizeof...(Grids) == 1) {
    (sum_over_shards(comm, grids.values()), ...);
  } else {
    std::vector<std::int64_t> all;
    (all.insert(all.end(), grids.values().begin(), grids.values().end()), ...);
    sum_over_shards(comm, all);
    std::size_t at = 0;
    const auto take = [&](std::vector<std::int64_t>& v) {
      std::copy_n(all.begin() + static_cast<std::ptrdiff_t>(at), v.size(), v.begin());
      at += v.size();
    };
    (take(grids.values()), ...);
  }
}
// Per-slot counts that are mostly zero (who left which employer): only the non-zero slots travel,
// so the message grows with the month's events, not with the number of employers.
// Several lists in one message.
void sum_events_over_shards(ShardComm* comm,
                            std::initializer_list<std::vector<std::int32_t>*> lists);
inline void sum_events_over_shards(ShardComm* comm, std::vector<std::int32_t>& counts) {
  sum_events_over_shards(comm, {&counts});
}

// Sums every total of `flows` (a struct with for_each_total) over the shards, in one message.
template <class Flows>
void sum_flows_over_shards(ShardComm* comm, Flows& flows) {
  if (!sharded(comm)) return;
  std::vector<std::int64_t> all;
  flows.for_each_total(
      [&](std::vector<std::int64_t>& v) { all.insert(all.end(), v.begin(), v.end()); });
  sum_over_shards(comm, all);
  std::size_t at = 0;
  flows.for_each_total([&](std::vector<std::int64_t>& v) {
    std::copy_n(all.begin() + static_cast<std::ptrdiff_t>(at), v.size(), v.begin());
    at += v.size();
  });
}

// The block of a replicated store's `n` agents (firms: every shard holds them all) that shard
// `shard` decides for: contiguous in index order, sizes differing by at most one. Without shards,
// all of them.
struct Block {
  std::size_t begin, end;
};
inline Block shard_block(const ShardComm* comm, std::size_t n, int shard) {
  if (!sharded(comm)) return {0, n};
  const auto shards = static_cast<std::size_t>(comm->shards());
  const auto s = static_cast<std::size_t>(shard);
  return {n * s / shards, n * (s + 1) / shards};
}
inline Block own_block(const ShardComm* comm, std::size_t n) {
  return shard_block(comm, n, comm == nullptr ? 0 : comm->shard());
}

// After each shard wrote `columns` (vectors of n elements) for its own block, every shard gets
// every block: one gather of the columns' bytes.
template <class... Column>
void share_blocks(ShardComm* comm, std::size_t n, Column&... columns) {
  if (!sharded(comm)) return;
  const Block mine = own_block(comm, n);
  std::vector<std::byte>& sent = comm->outbox();
  sent.clear();
  const auto put = [&](const auto& column) {
    const auto* p = reinterpret_cast<const std::byte*>(column.data() + mine.begin);
    sent.insert(
        sent.end(), p,
        p + (mine.end - mine.begin) * sizeof(typename std::decay_t<decltype(column)>::value_type));
  };
  (put(columns), ...);
  const std::span<const std::byte> all = comm->gather(sent);
  std::size_t at = 0;
  for (int s = 0; s < comm->shards(); ++s) {
    const Block b = shard_block(comm, n, s);
    const auto take = [&](auto& column) {
      const std::size_t bytes =
          (b.end - b.begin) * sizeof(typename std::decay_t<decltype(column)>::value_type);
      if (s != comm->shard() && bytes > 0)
        std::memcpy(reinterpret_cast<std::byte*>(column.data() + b.begin), all.data() + at, bytes);
      at += bytes;
    };
    (take(columns), ...);
  }
}

// A seeker in the running for a job: its own draw and id (ties go to the lower id, which is the
// lower position in the one-process list).
struct Candidate {
  double u;
  AgentId id;
};
// For every cell, the ids of the hires[cell] candidates with the lowest draws over all shards,
// in ascending id order; `mine[cell]` are this shard's own lowest min(hires, local seekers).
std::vector<std::vector<AgentId>> lowest_over_shards(
    ShardComm& comm, std::span<const std::int64_t> hires,
    const std::vector<std::vector<Candidate>>& mine);

// The seekers hired in every cell as positions in the cell's local list (ascending, which is id
// order), -1 for a hired seeker another shard holds: the hires[cell] seekers with the lowest
// draws over the whole run. draw(cell, n) is the n-th local seeker's draw; `ids` the talent ids.
template <typename Draw>
std::vector<std::vector<std::int64_t>> hired_seekers(ShardComm* comm, const CellLists& seekers,
                                                     std::span<const AgentId> ids,
                                                     std::span<const std::int64_t> hires,
                                                     Draw&& draw) {
  const std::size_t cells = hires.size();
  std::vector<std::vector<std::int64_t>> hired(cells);
  if (!sharded(comm)) {
    parallel_chunks(cells, 1, [&](const tbb::blocked_range<std::size_t>& range) {
      for (std::size_t cell = range.begin(); cell != range.end(); ++cell) {
        if (hires[cell] == 0) continue;
        const std::vector<std::size_t> lowest = lowest_draws(
            seekers[cell].size(), hires[cell], [&](std::size_t n) { return draw(cell, n); });
        hired[cell].assign(lowest.begin(), lowest.end());
      }
    });
    return hired;
  }
  std::vector<std::vector<Candidate>> mine(cells);
  parallel_chunks(cells, 1, [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t cell = range.begin(); cell != range.end(); ++cell) {
      const std::span<const std::size_t> local = seekers[cell];
      const std::int64_t wanted = std::min<std::int64_t>(hires[cell], std::ssize(local));
      if (wanted <= 0) continue;
      for (const std::size_t position :
           lowest_draws(local.size(), wanted, [&](std::size_t n) { return draw(cell, n); }))
        mine[cell].push_back({draw(cell, position), ids[local[position]]});
    }
  });
  const std::vector<std::vector<AgentId>> chosen = lowest_over_shards(*comm, hires, mine);
  parallel_chunks(cells, 1, [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t cell = range.begin(); cell != range.end(); ++cell) {
      const std::span<const std::size_t> local = seekers[cell];
      for (const AgentId id : chosen[cell]) {
        if (!holds(comm, id)) {
          hired[cell].push_back(-1);
          continue;
        }
        const auto at = std::lower_bound(local.begin(), local.end(), id,
                                         [&](std::size_t i, AgentId x) { return ids[i] < x; });
        hired[cell].push_back(at - local.begin());
      }
    }
  });
  return hired;
}

}  // namespace regionsim
