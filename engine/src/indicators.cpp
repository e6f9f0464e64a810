#include "indicators.hpp"

#include <cmath>

namespace regionsim {

std::vector<double> krugman_index(const std::vector<std::int64_t>& employment_zs, std::size_t zones,
                                  std::size_t sectors) {
  std::vector<double> total(sectors, 0.0);
  double all = 0;
  for (std::size_t z = 0; z < zones; ++z)
    for (std::size_t s = 0; s < sectors; ++s) {
      total[s] += static_cast<double>(employment_zs[z * sectors + s]);
      all += static_cast<double>(employment_zs[z * sectors + s]);
    }
  std::vector<double> index(zones, 0.0);
  for (std::size_t z = 0; z < zones; ++z) {
    double own = 0;
    for (std::size_t s = 0; s < sectors; ++s)
      own += static_cast<double>(employment_zs[z * sectors + s]);
    const double rest = all - own;
    if (own <= 0 || rest <= 0) continue;
    for (std::size_t s = 0; s < sectors; ++s) {
      const double e = static_cast<double>(employment_zs[z * sectors + s]);
      index[z] += std::fabs(e / own - (total[s] - e) / rest);
    }
  }
  return index;
}

double theil_index(const std::vector<double>& output_z, const std::vector<double>& population_z) {
  double y = 0, p = 0;
  for (std::size_t z = 0; z < output_z.size(); ++z) {
    y += output_z[z];
    p += population_z[z];
  }
  if (y <= 0 || p <= 0) return 0.0;
  double theil = 0;
  for (std::size_t z = 0; z < output_z.size(); ++z) {
    const double ys = output_z[z] / y, ps = population_z[z] / p;
    if (ys > 0 && ps > 0) theil += ys * std::log(ys / ps);
  }
  return theil;
}

}  // namespace regionsim
