#pragma once

#include <cstdint>

namespace regionsim {

// Hires in one cell: mu * U^eta * V^(1-eta), stochastically rounded with the uniform u and capped
// by both sides of the market.
std::int64_t matching_hires(std::int64_t seekers, std::int64_t vacancies, double efficiency,
                            double elasticity, double u);

}  // namespace regionsim
