// The talent-migration kernel of the peer comparison (bench/peers/README.md), shared by the three
// C++ versions so they compute the same thing: N agents in Z = 5 zones, K = 3 skill classes; each
// month every agent draws one uniform and chooses its zone by a multinomial logit over the zones'
// utilities for its class,
//     u(z, k) = attract(z, k) - congestion * ln(share of agents in z last month),
// then the month's per-zone counts are taken. The utilities couple agents only through the
// counts, as in the engine.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace peers {

inline constexpr int kZones = 5;
inline constexpr int kClasses = 3;
inline constexpr double kCongestion = 0.8;
using Counts = std::array<std::int64_t, kZones>;

inline double attract(int z, int k) {
  return 0.3 * z - 0.2 * k * (z % 2) + 0.1 * k;
}

// Utility of zone z for class k given last month's counts out of n agents.
inline double utility(int z, int k, const Counts& counts, std::int64_t n) {
  const double share = (static_cast<double>(counts[z]) + 1.0) / (static_cast<double>(n) + kZones);
  return attract(z, k) - kCongestion * std::log(share);
}

// Cumulative logit probabilities per class: the table the vectorised versions draw from.
using Table = std::array<std::array<double, kZones>, kClasses>;
inline Table cumulative_probabilities(const Counts& counts, std::int64_t n) {
  Table t{};
  for (int k = 0; k < kClasses; ++k) {
    double sum = 0;
    std::array<double, kZones> e{};
    for (int z = 0; z < kZones; ++z)
      sum += e[z] = std::exp(utility(z, k, counts, n));
    double run = 0;
    for (int z = 0; z < kZones; ++z)
      t[k][z] = (run += e[z] / sum);
    t[k][kZones - 1] = 1.0;
  }
  return t;
}

inline int pick(const std::array<double, kZones>& cdf, double u) {
  int z = 0;
  while (z < kZones - 1 && u >= cdf[z])
    ++z;
  return z;
}

// The same index as pick (the cumulative table never decreases): the number of cumulative
// probabilities at or below u, without a data-dependent branch.
inline int pick_branch_free(const std::array<double, kZones>& cdf, double u) {
  int z = 0;
  for (int c = 0; c < kZones - 1; ++c)
    z += u >= cdf[c] ? 1 : 0;
  return z;
}

}  // namespace peers
