// Park-city amenity investment: from its start month each zone receives a monthly investment,
// paid by its owners in ownership shares out of their budgets; the amenity it builds adds to the
// zone's amenity index (capped) and depreciates. Talent weighs amenities in its zone choice.
#include <algorithm>

#include "apportion.hpp"
#include "phases.hpp"
#include "policies.hpp"

namespace regionsim {

void invest_in_amenities(ModelState& s, StepFlows& f) {
  const ParkCity& p = s.scenario.park_city;
  const RegionTables& t = s.tables;
  ZoneFields& z = s.fields;
  for (std::size_t i = 0; i < t.Z; ++i)
    z.amenity_built(i) *= 1.0 - p.depreciation;
  if (in_force(p.start_month, s.month)) {
    std::vector<double> shares(t.J);
    for (std::size_t i = 0; i < t.Z; ++i) {
      const Money spend = to_money(p.spending[i] * s.scenario.run.scale);
      if (spend == 0) continue;
      for (std::size_t j = 0; j < t.J; ++j)
        shares[j] = t.ownership(i, j);
      const auto parts = apportion(spend, shares);
      for (std::size_t j = 0; j < t.J; ++j)
        f.amenity_spending_j[j] += parts[j];
      // Cost per point is at scale 1, like the spending, so the amenity built is scale-free.
      z.amenity_built(i) += p.spending[i] / p.cost_per_point;
    }
  }
  for (std::size_t i = 0; i < t.Z; ++i)
    z.amenity(i) = std::min(p.max_amenity, t.base_amenity(i) + z.amenity_built(i));
}

}  // namespace regionsim
