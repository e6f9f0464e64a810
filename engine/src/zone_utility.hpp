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

}  // namespace regionsim
