#include "shards.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

namespace regionsim {

namespace {

// Fixed-size records packed into the byte messages of ShardComm::gather.
template <typename Record>
std::span<const std::byte> pack(const std::vector<Record>& records) {
  return std::as_bytes(std::span<const Record>(records));
}
template <typename Record>
std::vector<Record> unpack(std::span<const std::byte> bytes) {
  std::vector<Record> records(bytes.size() / sizeof(Record));
  if (!records.empty()) std::memcpy(records.data(), bytes.data(), records.size() * sizeof(Record));
  return records;
}

struct SlotCount {
  std::uint32_t slot;
  std::int32_t count;
};

struct CellCandidate {
  std::uint64_t cell;
  double u;
  AgentId id;
};

}  // namespace

void sum_events_over_shards(ShardComm* comm,
                            std::initializer_list<std::vector<std::int32_t>*> lists) {
  if (!sharded(comm)) return;
  // One message for all lists: list k's slots are numbered after those of the lists before it.
  std::vector<SlotCount> mine;
  std::size_t offset = 0;
  for (const std::vector<std::int32_t>* counts : lists) {
    for (std::size_t i = 0; i < counts->size(); ++i)
      if ((*counts)[i] != 0) mine.push_back({static_cast<std::uint32_t>(offset + i), (*counts)[i]});
    offset += counts->size();
  }
  if (offset > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("sum_events_over_shards: more slots than a 32-bit slot number holds");
  const std::vector<SlotCount> all = unpack<SlotCount>(comm->gather(pack(mine)));
  std::vector<std::pair<std::size_t, std::vector<std::int32_t>*>> starts;
  offset = 0;
  for (std::vector<std::int32_t>* counts : lists) {
    std::fill(counts->begin(), counts->end(), 0);
    starts.emplace_back(offset, counts);
    offset += counts->size();
  }
  for (const SlotCount& e : all) {
    // The list whose slots contain e.slot: the last one starting at or before it.
    auto it =
        std::upper_bound(starts.begin(), starts.end(), std::size_t{e.slot},
                         [](std::size_t slot, const auto& start) { return slot < start.first; });
    --it;
    (*it->second)[e.slot - it->first] += e.count;
  }
}

std::vector<std::vector<AgentId>> lowest_over_shards(
    ShardComm& comm, std::span<const std::int64_t> hires,
    const std::vector<std::vector<Candidate>>& mine) {
  std::vector<CellCandidate> sent;
  for (std::size_t cell = 0; cell < mine.size(); ++cell)
    for (const Candidate& c : mine[cell])
      sent.push_back({cell, c.u, c.id});
  const std::vector<CellCandidate> all = unpack<CellCandidate>(comm.gather(pack(sent)));
  std::vector<std::vector<Candidate>> by_cell(hires.size());
  for (const CellCandidate& c : all)
    by_cell[c.cell].push_back({c.u, c.id});
  std::vector<std::vector<AgentId>> chosen(hires.size());
  for (std::size_t cell = 0; cell < hires.size(); ++cell) {
    std::vector<Candidate>& pool = by_cell[cell];
    const auto lowest = static_cast<std::ptrdiff_t>(hires[cell]);
    if (lowest == 0) continue;
    const auto by_draw = [](const Candidate& a, const Candidate& b) {
      return a.u < b.u || (a.u == b.u && a.id < b.id);
    };
    std::nth_element(pool.begin(), pool.begin() + lowest - 1, pool.end(), by_draw);
    for (std::ptrdiff_t h = 0; h < lowest; ++h)
      chosen[cell].push_back(pool[static_cast<std::size_t>(h)].id);
    std::sort(chosen[cell].begin(), chosen[cell].end());
  }
  return chosen;
}

}  // namespace regionsim
