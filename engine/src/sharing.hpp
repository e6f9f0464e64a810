// Attribution of tax and GDP to jurisdictions: by location and ownership (the administrative
// baseline), then, when a sharing rule is in force, a pooled share split by a formula. Every split
// is exact to the yuan, so the amounts attributed always sum to the amounts credited.
#pragma once

#include <vector>

#include "month_view.hpp"

namespace regionsim {

struct SharingInputs {
  const std::vector<Money>& credited_z;  // per zone, after origin splits
  const std::vector<Money>& finder_j;    // credited directly to finders
  std::vector<Money>& base_z;            // per zone amount of the month before the rule started
  const std::vector<Money>& previous_z;  // per zone amount of the previous month
};

// Splits an amount per zone over the zone's owners by ownership share, exactly to the yuan, and
// sums per jurisdiction: the baseline attribution, also used for subsidies and amenity spending.
std::vector<Money> split_by_ownership(const RegionTables& t, const std::vector<Money>& per_zone);

// Returns the amount attributed to each jurisdiction this month.
std::vector<Money> attribute(const MonthView& m, const SharingRule& rule, const SharingInputs& in);

// Each jurisdiction's weight in a pool under the rule's formula.
std::vector<double> pool_weights(const MonthView& m, const SharingRule& rule);

}  // namespace regionsim
