#include "rng.hpp"

#include <algorithm>
#include <limits>
#include <vector>

namespace regionsim {

namespace {
constexpr int kFactorialTable = 256;

const std::vector<double>& log_factorial_table() {
  static const std::vector<double> table = [] {
    std::vector<double> t(kFactorialTable);
    t[0] = 0.0;
    for (int k = 1; k < kFactorialTable; ++k)
      t[k] = t[k - 1] + std::log(static_cast<double>(k));
    return t;
  }();
  return table;
}
}  // namespace

double log_factorial(std::int64_t k) {
  if (k < kFactorialTable) return log_factorial_table()[static_cast<std::size_t>(k)];
  // Stirling series; at k >= 256 the next term is below 1e-16 relative.
  const double x = static_cast<double>(k) + 1.0;
  return (x - 0.5) * std::log(x) - x + 0.9189385332046727 + 1.0 / (12.0 * x) -
         1.0 / (360.0 * x * x * x);
}

std::int64_t Rng::poisson(double lambda, Purpose purpose, std::uint64_t id,
                          std::uint32_t step) const {
  if (!(lambda > 0.0)) return 0;
  if (lambda < 10.0) {
    const double u = uniform(purpose, id, step, 0);
    double p = std::exp(-lambda);
    double cdf = p;
    std::int64_t k = 0;
    // The cap only guards against u rounding above the representable CDF.
    while (u > cdf && k < 1000) {
      ++k;
      p *= lambda / static_cast<double>(k);
      cdf += p;
    }
    return k;
  }
  const double slam = std::sqrt(lambda);
  const double loglam = std::log(lambda);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (std::uint32_t index = 0;; ++index) {
    const auto uv = uniform2(purpose, id, step, index);
    const double u = uv[0] - 0.5;
    const double v = uv[1];
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::int64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -lambda + k * loglam - log_factorial(static_cast<std::int64_t>(k)))
      return static_cast<std::int64_t>(k);
  }
}

int logit_choice(std::span<const double> utilities, double u) {
  double vmax = -std::numeric_limits<double>::infinity();
  for (double v : utilities)
    vmax = std::max(vmax, v);
  if (vmax == -std::numeric_limits<double>::infinity()) return -1;
  double total = 0.0;
  for (double v : utilities)
    total += std::exp(v - vmax);
  const double target = u * total;
  double cum = 0.0;
  int last = -1;
  for (std::size_t i = 0; i < utilities.size(); ++i) {
    if (utilities[i] == -std::numeric_limits<double>::infinity()) continue;
    cum += std::exp(utilities[i] - vmax);
    last = static_cast<int>(i);
    if (target <= cum) return last;
  }
  return last;  // rounding left u*total a hair above the sum
}

std::size_t pick_by_weight(std::span<const double> weights, double u) {
  double total = 0;
  for (double w : weights)
    total += w;
  double cum = 0;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    cum += weights[k];
    if (u * total < cum) return k;
  }
  return weights.size() - 1;
}

}  // namespace regionsim
