// Firm sizes and the productivity that makes a firm want its size. A new firm (initial, incoming
// project or spin-off) draws a desired size in employees from one distribution: a body of small
// firms below `tail_min`, log-uniform over 1..tail_min-1, and a Pareto tail of index `tail_index`
// from `tail_min` up to `size_max` (CALIBRATION-FACTS §3: Chinese firm employment has a power-law
// tail of CCDF index 1.0-1.5, Zipf among the largest firms). The tail's share of firms is set so
// that the mean size is the one asked for (talent per firm at month 0), so the level (employment
// per firm) and the shape (the tail index) are separate parameters.
//
// Its productivity is then the one at which that size is the desired size at reference prices:
// desired L = (alpha A M / w)^(1/(1-alpha)), so A = A_sector (L / L_ref)^(1-alpha), where the
// sector's productivity parameter is calibrated for a firm of L_ref employees. Entrants draw from
// the same distribution as the initial stock and exit does not depend on size, so the stock keeps
// its tail (a Gibrat economy without growth shocks).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace regionsim {

struct FirmSizeDistribution {
  double tail_index = 1.1;  // Pareto index of the CCDF above tail_min
  double tail_min = 10;     // smallest size of the tail (employees; an integer)
  double size_max = 30000;  // truncation of the tail (employees)
  double tail_share = 0;    // share of firms in the tail

  // Pareto survival P(X >= x) of the truncated tail, for tail_min <= x <= size_max.
  double tail_survival(double x) const {
    const double a = tail_index;
    const double lo = std::pow(tail_min, -a), hi = std::pow(size_max, -a);
    return std::clamp((std::pow(x, -a) - hi) / (lo - hi), 0.0, 1.0);
  }
  // P(size <= k) for the integer size floor(X): the distribution a sample is tested against.
  double cdf(std::int64_t k) const {
    if (k < 1) return 0.0;
    const auto m = static_cast<std::int64_t>(tail_min);
    if (k < m)
      return (1.0 - tail_share) * std::log(static_cast<double>(k + 1)) / std::log(tail_min);
    return (1.0 - tail_share) + tail_share * (1.0 - tail_survival(static_cast<double>(k + 1)));
  }
  // An integer size from two uniforms: the first picks body or tail, the second the size.
  std::int64_t draw(double u_part, double u_size) const {
    if (u_part >= tail_share) {
      // log-uniform body: floor(tail_min^u), P(k) = log((k+1)/k) / log(tail_min)
      return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::pow(tail_min, u_size)), 1,
                                      static_cast<std::int64_t>(tail_min) - 1);
    }
    const double a = tail_index;
    const double lo = std::pow(tail_min, -a), hi = std::pow(size_max, -a);
    const double x = std::pow(lo - u_size * (lo - hi), -1.0 / a);  // inverse of tail_survival
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(x),
                                    static_cast<std::int64_t>(tail_min),
                                    static_cast<std::int64_t>(size_max));
  }
  // Mean of the integer size: sum over k >= 1 of P(size >= k).
  double mean() const {
    double m = 0;
    for (std::int64_t k = 0; k < static_cast<std::int64_t>(size_max); ++k)
      m += 1.0 - cdf(k);
    return m;
  }
};

// The distribution with its tail share set so the mean size is `mean_size` (clamped to [0, 1]:
// a mean below the body's gives no tail, one above the tail's all tail).
inline FirmSizeDistribution size_distribution(double tail_index, double tail_min, double size_max,
                                              double mean_size) {
  FirmSizeDistribution d{tail_index, std::max(2.0, std::round(tail_min)),
                         std::max(size_max, tail_min + 1), 0.0};
  const double body = d.mean();
  d.tail_share = 1.0;
  const double tail = d.mean();
  d.tail_share = tail > body ? std::clamp((mean_size - body) / (tail - body), 0.0, 1.0) : 0.0;
  return d;
}

// Monthly exit hazard of a firm of `employees`: `hazard` up to the reference size, falling as
// (employees / reference_size)^-elasticity above it. Exit rates fall with size; a flat hazard made
// a 20,000-employee firm as likely to vanish as a one-person one, and one such random exit moved a
// whole run's unemployment by points (docs/model.md §3). Small firms, most of the stock, keep the
// fitted hazard, which the promoters' valuation of contracts uses (a larger firm's contract is
// worth slightly more than they reckon).
// `size_factor()` gives (employees / reference_size)^-elasticity; the firm phase passes a lookup
// in the month's PowerTable (power_table.hpp), which returns the same bits as std::pow.
template <typename SizeFactor>
double exit_hazard_at(double hazard, double elasticity, double reference_size, double employees,
                      SizeFactor&& size_factor) {
  if (employees <= reference_size || elasticity == 0) return hazard;
  return hazard * size_factor();
}
inline double exit_hazard_at(double hazard, double elasticity, double reference_size,
                             double employees) {
  return exit_hazard_at(hazard, elasticity, reference_size, employees,
                        [&] { return std::pow(employees / reference_size, -elasticity); });
}

// Log of the common nominal productivity trend at `month`: every firm's productivity grows by
// `growth` a year (firms.productivity_growth), applied to the location multipliers. It is exactly
// 0 at month 0 and for a growth of 0, so the initial firms and scenarios without a trend keep
// their values bit for bit.
inline double log_productivity_trend(double growth, std::int64_t month) {
  return static_cast<double>(month) / 12.0 * std::log1p(growth);
}
// Desired employment: the marginal product of labour equals the wage, L* = (alpha theta M /
// w)^(1/(1-alpha)) for TFP theta, location multiplier M and wage w per employee.
inline double desired_size(double alpha, double tfp, double multiplier, double wage) {
  return std::pow(alpha * tfp * multiplier / wage, 1.0 / (1.0 - alpha));
}

// Its inverse in the TFP: the theta at which `size` is the desired size at M and w.
inline double tfp_for_desired_size(double alpha, double size, double multiplier, double wage) {
  return wage * std::pow(size, 1.0 - alpha) / (alpha * multiplier);
}

// Productivity at which `size` is the desired size at reference prices (see the top).
inline double productivity_for_size(double sector_tfp, double size, double reference_size,
                                    double alpha) {
  return sector_tfp * std::pow(size / reference_size, 1.0 - alpha);
}

// Vacancies a firm posts: a share `hire_adjust` of the gap to its desired size; a project in its
// first year (`ramping_up`) posts at least what brings it to its planned team, `project_size`, but
// never beyond its own desired size. Without that bound a project drawn small (the body of the
// size distribution, 1-9 employees, is 97 % of entrants) was pushed to `project_size` (8), ran at
// up to four times its desired size, made losses and left after `loss_months_exit` months: at the
// targets' entry rate most entrants died within two years and the stock could not grow.
//
// The share of the gap is rounded to whole vacancies at random (down with the probability of its
// fractional part, `u` uniform), so a firm posts hire_adjust x gap vacancies on average. Rounding
// up made every firm less than one worker short of its desired size post one: at month 0 about
// half the firms of a centred sector, 12 % of employment in vacancies, and a stock of small firms
// held above its desired size by the hire-then-shed cycle.
inline double posted_vacancies(double desired, double labour, double hire_adjust, bool ramping_up,
                               double project_size, double u) {
  const double gap = desired - labour;
  double posted = gap > 0 ? std::floor(hire_adjust * gap + u) : 0.0;
  if (ramping_up) posted = std::max(posted, std::ceil(std::min(project_size, desired) - labour));
  return posted;
}

}  // namespace regionsim
