#pragma once

#include <vector>

#include "month_view.hpp"

namespace regionsim {

// Institutes placed in zone z at the scenario's scale: at least one where the zone has any.
std::int64_t institutes_in_zone(const Scenario& sc, std::size_t z);

// Researchers zone z's institutes are staffed for at the start (institutes x
// institutes.researchers).
double planned_researchers(const Scenario& sc, std::size_t z);

// Probability an innovation of `sector` made in zone z is transferred, at the month's employment;
// fills the weight of each receiving zone x sector cell (row-major).
double transfer_odds(const MonthView& m, std::size_t z, std::size_t sector,
                     ZoneSector<double>& cell_weights);

}  // namespace regionsim
