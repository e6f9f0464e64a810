// The utilities agents compare zones by, shared by the choices that move agents (talent zone
// choice, firm relocation) and those that bring them in (arrival attractiveness, projects).
#pragma once

#include <cstddef>

#include "month_view.hpp"

namespace regionsim {

// Utility of zone z to a person of skill k and field `sector`, without the moving terms.
double talent_zone_utility(const MonthView& m, std::size_t z, std::size_t k, std::size_t sector);

// Utility of zone z to a firm of `sector`, without moving terms; the subsidy and fit terms are
// scaled by the given weights (0 drops the offer where it is not paid; joint promotion boosts fit
// when it steers leads).
double firm_zone_utility(const MonthView& m, std::size_t z, std::size_t sector,
                         double offer_weight = 1.0, double fit_weight = 1.0);

// Utility of zone z to an incoming project of `sector`: the firm's utility plus the zone's free
// sites, w λ ln(free places / (scale × site_reference)) (firms.project_site_weight w,
// firms.nest_lambda λ). A zone is an aggregate of free sites with the same conditions, and in the
// region's nest an aggregate of N of them is chosen N e^{V/λ} times as often as one (McFadden
// 1978), so a small zone no longer draws as many projects as a large one. Only for zones with free
// floor (floor_occupancy < 1): the callers close the others.
double project_zone_utility(const MonthView& m, std::size_t z, std::size_t sector,
                            double offer_weight, double fit_weight);

}  // namespace regionsim
