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

void sum_over_shards(ShardComm* comm, std::span<std::vector<std::int64_t>* const> vectors) {
  if (!sharded(comm)) return;
  if (vectors.size() == 1) return sum_over_shards(comm, *vectors[0]);
  std::vector<std::int64_t> all;
  for (const std::vector<std::int64_t>* v : vectors)
    all.insert(all.end(), v->begin(), v->end());
  sum_over_shards(comm, all);
  std::size_t at = 0;
  for (std::vector<std::int64_t>* v : vectors) {
    std::copy_n(all.begin() + static_cast<std::ptrdiff_t>(at), v->size(), v->begin());
    at += v->size();
  }
}

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

namespace {

// x mod d for x < 2^32 without a division (Lemire, Kaser and Kurz, "Faster remainder by direct
// computation", 2019): the month's scan of every person for who leaves would otherwise spend
// most of its time dividing. Larger x fall back to %.
class FastMod {
 public:
  explicit FastMod(std::uint64_t d) : d_(d), m_(~std::uint64_t{0} / d + 1) {}
  std::uint64_t operator()(std::uint64_t x) const {
    if (x >> 32 != 0) return x % d_;
    __extension__ using U128 = unsigned __int128;
    return static_cast<std::uint64_t>((static_cast<U128>(m_ * x) * d_) >> 64);
  }

 private:
  std::uint64_t d_, m_;
};

}  // namespace

std::vector<Migrant> take_leaving_people(ShardComm* comm, TalentStore& talent) {
  static_assert(sizeof(TalentStore) == 6 * sizeof(std::vector<AgentId>),
                "TalentStore changed: move the new column in take_leaving_people");
  std::vector<Migrant> leaving;
  if (!sharded(comm)) return leaving;
  const FastMod mod(static_cast<std::uint64_t>(comm->shards()));
  const auto own = static_cast<std::uint64_t>(comm->shard());
  for (std::size_t i = 0; i < talent.size(); ++i) {
    if (!talent.alive[i] || mod(person_holder_id(talent.id[i], talent.employer[i])) == own)
      continue;
    leaving.push_back({talent.id[i], talent.employer[i], talent.zone[i], talent.skill[i],
                       talent.sector[i], talent.alive[i]});
    talent.alive[i] = 0;
  }
  return leaving;
}

void welcome_people(ShardComm* comm, TalentStore& talent, const std::vector<Migrant>& leaving) {
  if (!sharded(comm)) return;
  std::vector<Migrant> arriving;
  for (const Migrant& p : gather_records<Migrant>(*comm, leaving))
    if (holds_person(comm, p.id, p.employer)) arriving.push_back(p);
  if (arriving.empty()) return;
  std::sort(arriving.begin(), arriving.end(),
            [](const Migrant& a, const Migrant& b) { return a.id < b.id; });
  // Merge from the back: the people held occupy [0, kept), the arrivals go in by id.
  const std::size_t kept = talent.size(), total = kept + arriving.size();
  talent.id.resize(total);
  talent.zone.resize(total);
  talent.skill.resize(total);
  talent.sector.resize(total);
  talent.employer.resize(total);
  talent.alive.resize(total);
  std::size_t from = kept, next = arriving.size(), to = total;
  while (next > 0) {
    --to;
    if (from > 0 && talent.id[from - 1] > arriving[next - 1].id) {
      --from;
      talent.id[to] = talent.id[from];
      talent.zone[to] = talent.zone[from];
      talent.skill[to] = talent.skill[from];
      talent.sector[to] = talent.sector[from];
      talent.employer[to] = talent.employer[from];
      talent.alive[to] = talent.alive[from];
    } else {
      const Migrant& p = arriving[--next];
      talent.id[to] = p.id;
      talent.zone[to] = p.zone;
      talent.skill[to] = p.skill;
      talent.sector[to] = p.sector;
      talent.employer[to] = p.employer;
      talent.alive[to] = p.alive;
    }
  }
}

std::vector<std::vector<Posting>> postings_over_shards(ShardComm* comm, const FirmStore& firms,
                                                       const CellLists& hiring) {
  const std::size_t cells = hiring.start.size() - 1;
  std::vector<std::vector<Posting>> postings(cells);
  std::vector<Posting> mine;
  for (std::size_t cell = 0; cell < cells; ++cell)
    for (const std::size_t i : hiring[cell])
      postings[cell].push_back({firms.id[i], static_cast<std::uint32_t>(cell), firms.vacancies[i]});
  if (!sharded(comm)) return postings;
  for (const std::vector<Posting>& cell : postings)
    mine.insert(mine.end(), cell.begin(), cell.end());
  for (std::vector<Posting>& cell : postings)
    cell.clear();
  for (const Posting& p : gather_records<Posting>(*comm, mine))
    postings[p.cell].push_back(p);
  for (std::vector<Posting>& cell : postings)
    std::sort(cell.begin(), cell.end(),
              [](const Posting& a, const Posting& b) { return a.id < b.id; });
  return postings;
}

std::vector<AgentId> picks_over_shards(ShardComm& comm, std::span<const AgentId> ids,
                                       std::span<const std::int64_t> weight,
                                       const std::vector<std::vector<std::size_t>>& lists,
                                       const std::vector<WeightedPick>& picks) {
  constexpr AgentId kBuckets = 256;
  // The sum of the shards' id bounds is a bound of the run's ids.
  std::vector<std::int64_t> bound{ids.empty() ? 0 : static_cast<std::int64_t>(ids.back() + 1)};
  comm.sum(std::span<std::int64_t>(bound));
  struct Range {
    AgentId lo, hi;
    std::int64_t below;  // weight of the list's agents with ids below lo
  };
  std::vector<Range> range(picks.size(), Range{0, static_cast<AgentId>(bound[0]), 0});
  const auto open = [&] {
    return std::any_of(range.begin(), range.end(), [](const Range& r) { return r.hi - r.lo > 1; });
  };
  while (open()) {
    std::vector<std::int64_t> hist(picks.size() * kBuckets, 0);
    for (std::size_t p = 0; p < picks.size(); ++p) {
      const Range& r = range[p];
      const AgentId width = (r.hi - r.lo + kBuckets - 1) / kBuckets;
      const std::vector<std::size_t>& members = lists[picks[p].list];
      auto it = std::lower_bound(members.begin(), members.end(), r.lo,
                                 [&](std::size_t i, AgentId id) { return ids[i] < id; });
      for (; it != members.end() && ids[*it] < r.hi; ++it)
        hist[p * kBuckets + (ids[*it] - r.lo) / width] += weight[*it];
    }
    comm.sum(std::span<std::int64_t>(hist));
    for (std::size_t p = 0; p < picks.size(); ++p) {
      Range& r = range[p];
      const AgentId width = (r.hi - r.lo + kBuckets - 1) / kBuckets;
      for (AgentId b = 0; b < kBuckets; ++b) {
        const std::int64_t w = hist[p * kBuckets + b];
        if (r.below + w >= picks[p].reach) {
          r.lo += b * width;
          r.hi = std::min(r.hi, r.lo + width);
          break;
        }
        r.below += w;
      }
    }
  }
  std::vector<AgentId> picked;
  picked.reserve(range.size());
  for (const Range& r : range)
    picked.push_back(r.lo);
  return picked;
}

}  // namespace regionsim
