#include "agent_stores.hpp"

#include <algorithm>

namespace regionsim {

namespace {
// Keeps the entries whose `alive` flag is set, in order, in every column.
template <typename... Columns>
void compact_columns(const std::vector<std::uint8_t>& alive, Columns&... columns) {
  std::size_t out = 0;
  for (std::size_t i = 0; i < alive.size(); ++i) {
    if (!alive[i]) continue;
    if (out != i) ((columns[out] = columns[i]), ...);
    ++out;
  }
  (columns.resize(out), ...);
}
}  // namespace

void TalentStore::compact() {
  auto keep = alive;
  compact_columns(keep, id, zone, skill, sector, employer, alive);
}

void FirmStore::compact() {
  auto keep = alive;
  compact_columns(keep, id, zone, reg_zone, sector, tfp, employees, vacancies, layoff_prob,
                  loss_months, origin_zone, moved_step, entry_step, finder, alive, exiting, hte);
}

std::int64_t InstituteStore::index_of(AgentId institute) const {
  const auto it = std::lower_bound(id.begin(), id.end(), institute);
  if (it == id.end() || *it != institute) return -1;
  return it - id.begin();
}

}  // namespace regionsim
