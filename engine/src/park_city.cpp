// Park-city amenity investment: from its start month each zone receives a monthly investment,
// paid by its owners in ownership shares out of their budgets; the amenity it builds adds to the
// zone's amenity index (capped) and depreciates. Talent weighs amenities in its zone choice.
#include <algorithm>

#include "phases.hpp"
#include "policies.hpp"
#include "sharing.hpp"

namespace regionsim {

void invest_in_amenities(const MonthInputs& m, ZoneFields& z, GovernmentFlows& f) {
  const ParkCity& p = m.scenario.park_city;
  const RegionTables& t = m.tables;
  for (std::size_t i = 0; i < t.Z; ++i)
    z.amenity_built(i) *= 1.0 - p.depreciation;
  if (in_force(p.start_month, m.month)) {
    std::vector<Money> spend(t.Z);
    for (std::size_t i = 0; i < t.Z; ++i) {
      spend[i] = to_money(p.spending[i] * m.scenario.run.scale);
      // Cost per point is at scale 1, like the spending, so the amenity built is scale-free.
      if (spend[i] != 0) z.amenity_built(i) += p.spending[i] / p.cost_per_point;
    }
    f.amenity_spending_j = split_by_ownership(t, spend);
  }
  for (std::size_t i = 0; i < t.Z; ++i)
    z.amenity(i) = std::min(p.max_amenity, t.base_amenity(i) + z.amenity_built(i));
}

}  // namespace regionsim
