#pragma once

#include <vector>

#include "month_view.hpp"

namespace regionsim {

// Log-sum of zone utilities for arriving talent of skill k and field `sector` (the region's
// attractiveness to them), and optionally each zone's logit share of those arrivals.
double arrival_attractiveness(const MonthView& m, std::size_t k, std::size_t sector,
                              std::vector<double>* zone_shares);

}  // namespace regionsim
