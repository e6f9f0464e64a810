// Region-level indicators computed from zone aggregates: how specialised each zone is, and how
// unequally output is spread across zones relative to where people live.
#pragma once

#include <cstdint>
#include <vector>

namespace regionsim {

// Krugman specialisation index of each zone against the rest of the region:
// K_z = sum_s | E_zs / E_z - E_(-z)s / E_(-z) |, in [0, 2]; 0 for a zone with no employment.
std::vector<double> krugman_index(const std::vector<std::int64_t>& employment_zs, std::size_t zones,
                                  std::size_t sectors);

// Theil index of output across zones against population shares:
// T = sum_z (Y_z / Y) ln((Y_z / Y) / (P_z / P)); zones with no output add nothing. 0 when output
// is spread exactly like population.
double theil_index(const std::vector<double>& output_z, const std::vector<double>& population_z);

}  // namespace regionsim
