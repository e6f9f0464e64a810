#include "apportion.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace regionsim {

std::vector<std::int64_t> apportion(std::int64_t total, std::span<const double> weights) {
  std::vector<std::int64_t> parts(weights.size(), 0);
  double wsum = 0.0;
  for (double w : weights)
    wsum += w;
  if (total <= 0 || !(wsum > 0.0)) return parts;
  std::vector<double> remainder(weights.size(), 0.0);
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    // long double keeps quotas of totals up to 2^63 exact enough that floor never overshoots.
    const long double quota = static_cast<long double>(total) * weights[i] / wsum;
    const long double whole = std::floor(quota);
    parts[i] = static_cast<std::int64_t>(whole);
    remainder[i] = static_cast<double>(quota - whole);
    given += parts[i];
  }
  std::int64_t left = total - given;
  if (left < 0) {  // rounding pushed the floors above the total: take back from the largest
    for (std::size_t i = weights.size(); i-- > 0 && left < 0;)
      while (parts[i] > 0 && left < 0)
        --parts[i], ++left;
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; left > 0; k = (k + 1) % order.size()) {
    if (weights[order[k]] > 0.0) {
      ++parts[order[k]];
      --left;
    }
  }
  return parts;
}

std::vector<std::int64_t> apportion_signed(std::int64_t total, std::span<const double> weights) {
  if (total >= 0) return apportion(total, weights);
  auto parts = apportion(-total, weights);
  for (auto& p : parts)
    p = -p;
  return parts;
}

}  // namespace regionsim
