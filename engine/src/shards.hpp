// What a month needs from the other shards of a sharded run (regionsim/shard.hpp), written so
// that a run without shards (comm == nullptr) does exactly what it did before: the helpers then
// do nothing, or the one-process computation. Who holds whom is a pure function of ids (a firm's,
// a person's own or their employer's), every draw is one of ids and the month, and every choice
// among agents is made from run totals and id-ordered lists of the month's events, so every count
// is the same for any number of shards.
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

// Whether this shard holds the agent (firm, or person by their own id) with `id`: ids are handed
// out in order, so consecutive newcomers alternate between shards and every shard gets its share
// of every month's new firms and arrivals.
inline bool holds(const ShardComm* comm, AgentId id) {
  return !sharded(comm) ||
         id % static_cast<AgentId>(comm->shards()) == static_cast<AgentId>(comm->shard());
}

// The shard holding a person: an employee of a firm sits with the firm (firms are held by id like
// people), so a person reads the employer's facts and the employer counts its staff without an
// exchange; everyone else (seekers, researchers) sits on the shard of their own id. Between the
// month's hires or separations and welcome_people (the month's last step) a person may still
// sit where they were: nothing in between reads their employer.
// The id whose shard holds the person: the employer's if a firm, else the person's own.
inline AgentId person_holder_id(AgentId id, AgentId employer) {
  return employer != kNoFirm && !is_institute(employer) ? employer : id;
}
inline bool holds_person(const ShardComm* comm, AgentId id, AgentId employer) {
  return holds(comm, person_holder_id(id, employer));
}

// Every shard's fixed-size records, concatenated in shard order (one gather).
template <class Record>
std::vector<Record> gather_records(ShardComm& comm, std::span<const Record> mine) {
  static_assert(
      std::is_trivially_copyable_v<Record> && std::has_unique_object_representations_v<Record>,
      "records travel as bytes: no padding");
  const std::span<const std::byte> all = comm.gather(std::as_bytes(mine));
  std::vector<Record> records(all.size() / sizeof(Record));
  if (!records.empty()) std::memcpy(records.data(), all.data(), records.size() * sizeof(Record));
  return records;
}

// A person on the move between shards: every column of TalentStore (24 bytes, no padding).
struct Migrant {
  AgentId id, employer;
  std::uint8_t zone, skill, sector, alive;
  std::uint32_t unused = 0;
};
// People hired by, or separated from, a firm of another shard this month move there (events, not
// the store), in two steps around the month's compaction of the store (entries_and_exits):
// take_leaving_people marks the people this shard holds but holds_person gives to another as
// gone (alive = 0, so the compaction drops them with the departed) and returns them;
// welcome_people, after it, merges every shard's leavers held here into the store by id.
std::vector<Migrant> take_leaving_people(ShardComm* comm, TalentStore& talent);
void welcome_people(ShardComm* comm, TalentStore& talent, const std::vector<Migrant>& leaving);

// Totals over the shards, in place (no-op without shards).
inline void sum_over_shards(ShardComm* comm, std::vector<std::int64_t>& values) {
  if (sharded(comm)) comm->sum(std::span<std::int64_t>(values));
}
// Several vectors of int64 counts summed over the shards in one message (one exchange, one
// wait), each in place (no-op without shards).
void sum_over_shards(ShardComm* comm, std::span<std::vector<std::int64_t>* const> vectors);
inline void sum_over_shards(ShardComm* comm,
                            std::initializer_list<std::vector<std::int64_t>*> vectors) {
  sum_over_shards(comm,
                  std::span<std::vector<std::int64_t>* const>(vectors.begin(), vectors.size()));
}
// Sums several grids of int64 counts over the shards in one message.
template <class... Grids>
void sum_grid_over_shards(ShardComm* comm, Grids&... grids) {
  sum_over_shards(comm, {&grids.values()...});
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
  std::vector<std::vector<std::int64_t>*> totals;
  flows.for_each_total([&](std::vector<std::int64_t>& v) { totals.push_back(&v); });
  sum_over_shards(comm, std::span<std::vector<std::int64_t>* const>(totals));
}

// A firm's vacancies posted in a labour-market cell (16 bytes, no padding).
struct Posting {
  AgentId id;
  std::uint32_t cell;
  std::int32_t vacancies;
};
// Every cell's postings over the shards, each cell's in id order, from this shard's hiring firms
// (`hiring`: positions in `firms` by cell, in id order). Without shards, this shard's own.
std::vector<std::vector<Posting>> postings_over_shards(ShardComm* comm, const FirmStore& firms,
                                                       const CellLists& hiring);

// A pick by weight among the agents of a list (a cell's firms, say) held over the shards: the
// agent at which the list's cumulative weight, in id order over the whole run, first reaches
// `reach` (integer weights, 1 <= reach <= the list's total).
struct WeightedPick {
  std::size_t list;
  std::int64_t reach;
};
// The ids picked, one per pick, found without listing anyone across shards: each pick's id range
// is narrowed 256-fold per round, each round one sum of per-bucket weights (ids below 2^24: three
// rounds). `lists[l]` are this shard's agents of list l (positions in `ids`, in id order) and
// `weight` is per position.
std::vector<AgentId> picks_over_shards(ShardComm& comm, std::span<const AgentId> ids,
                                       std::span<const std::int64_t> weight,
                                       const std::vector<std::vector<std::size_t>>& lists,
                                       const std::vector<WeightedPick>& picks);

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
      // Held here if in the local list (who holds a seeker depends on their past employer).
      for (const AgentId id : chosen[cell]) {
        const auto at = std::lower_bound(local.begin(), local.end(), id,
                                         [&](std::size_t i, AgentId x) { return ids[i] < x; });
        hired[cell].push_back(at != local.end() && ids[*at] == id ? at - local.begin() : -1);
      }
    }
  });
  return hired;
}

}  // namespace regionsim
