#pragma once

#include <vector>

#include "month_view.hpp"

namespace regionsim {

// Probability an innovation of `sector` made in zone z is transferred, at the month's employment;
// fills the weight of each receiving zone x sector cell (row-major).
double transfer_odds(const MonthView& m, std::size_t z, std::size_t sector,
                     ZoneSector<double>& cell_weights);

}  // namespace regionsim
