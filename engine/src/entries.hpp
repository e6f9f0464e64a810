#pragma once

#include <vector>

#include "flows.hpp"
#include "month_view.hpp"

namespace regionsim {

// Log-sum of zone utilities for arriving talent of skill k and field `sector` (the region's
// attractiveness to them), and optionally each zone's logit share of those arrivals.
double arrival_attractiveness(const MonthView& m, std::size_t k, std::size_t sector,
                              std::vector<double>* zone_shares);

// The month's unfilled vacancies (posted less hired) per zone x field that fit in the zone's free
// floor after the month's hires (cut in proportion when they do not): what draws migrants (§6).
ZoneSector<double> open_vacancies(const Extents& t, const LabourFlows& labour);

}  // namespace regionsim
