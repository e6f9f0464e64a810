#include "policy_schedule.hpp"

#include <algorithm>

namespace regionsim {

// Until policy levers with start months exist, scenarios either coincide or differ from month 0.
// The resolved TOML holds every key after defaults, so equal text means equal scenarios; `name`,
// `description` and provenance fields do not change the simulation and are ignored by comparing
// the parsed sections instead of the whole text once levers land.
std::int64_t common_prefix_months(const Scenario& a, const Scenario& b) {
  if (a.resolved_toml == b.resolved_toml) return std::min(a.run.steps, b.run.steps);
  return 0;
}

}  // namespace regionsim
