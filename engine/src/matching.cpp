#include "matching.hpp"

#include <cmath>

namespace regionsim {

double matching_function(double seekers, double vacancies, double efficiency, double elasticity) {
  return efficiency * std::pow(seekers, elasticity) * std::pow(vacancies, 1.0 - elasticity);
}

double job_finding_rate(double seekers, double vacancies, double efficiency, double elasticity) {
  return std::min(1.0, matching_function(seekers, vacancies, efficiency, elasticity) / seekers);
}

std::int64_t matching_hires(std::int64_t seekers, std::int64_t vacancies, double efficiency,
                            double elasticity, double u) {
  if (seekers <= 0 || vacancies <= 0) return 0;
  const double expected = matching_function(static_cast<double>(seekers),
                                            static_cast<double>(vacancies), efficiency, elasticity);
  const double whole = std::floor(expected);
  const auto hires = static_cast<std::int64_t>(whole) + (u < expected - whole ? 1 : 0);
  return std::min({hires, seekers, vacancies});
}

}  // namespace regionsim
