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

std::vector<std::size_t> lowest_draws(std::span<const double> draws, std::int64_t hires) {
  struct Candidate {
    double u;
    std::size_t position;
  };
  std::vector<Candidate> order(draws.size());
  for (std::size_t m = 0; m < draws.size(); ++m)
    order[m] = {draws[m], m};
  const auto by_draw = [](const Candidate& a, const Candidate& b) {
    return a.u < b.u || (a.u == b.u && a.position < b.position);
  };
  const auto n = static_cast<std::ptrdiff_t>(hires);
  std::nth_element(order.begin(), order.begin() + n - 1, order.end(), by_draw);
  std::vector<std::size_t> hired(static_cast<std::size_t>(hires));
  for (std::size_t h = 0; h < hired.size(); ++h)
    hired[h] = order[h].position;
  std::sort(hired.begin(), hired.end());
  return hired;
}

}  // namespace regionsim
