#include "agent_stores.hpp"

#include <algorithm>

#include "bucketing.hpp"

namespace regionsim {

namespace {

template <typename T>
void gather(std::vector<T>& column, const std::vector<std::size_t>& keep) {
  std::vector<T> kept(keep.size());
  parallel_chunks(keep.size(), kAgentGrain, [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t j = r.begin(); j != r.end(); ++j)
      kept[j] = column[keep[j]];
  });
  column.swap(kept);
}

// Keeps the entries whose `alive` flag is set, in order, in every column (in parallel: the kept
// indices come out in order whatever the thread count).
template <typename... Columns>
void compact_columns(const std::vector<std::uint8_t>& alive, Columns&... columns) {
  const Buckets kept = bucket_indices(
      alive.size(), 1, [&](std::size_t i) -> std::ptrdiff_t { return alive[i] ? 0 : -1; });
  if (kept.items.size() == alive.size()) return;
  (gather(columns, kept.items), ...);
}

}  // namespace

void TalentStore::compact() {
  const auto keep = alive;
  compact_columns(keep, id, zone, skill, sector, employer, alive);
}

void FirmStore::compact() {
  const auto keep = alive;
  compact_columns(keep, id, zone, sector, tfp, employees, vacancies, layoff_prob, loss_months,
                  origin_zone, moved_step, entry_step, finder, alive, exiting);
}

std::int64_t FirmStore::index_of(AgentId firm) const {
  const auto it = std::lower_bound(id.begin(), id.end(), firm);
  if (it == id.end() || *it != firm) return -1;
  return it - id.begin();
}

std::int64_t InstituteStore::index_of(AgentId institute) const {
  const auto it = std::lower_bound(id.begin(), id.end(), institute);
  if (it == id.end() || *it != institute) return -1;
  return it - id.begin();
}

}  // namespace regionsim
