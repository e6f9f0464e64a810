#include <gtest/gtest.h>

#include <cmath>

#include "labour_market.hpp"
#include "rng.hpp"

namespace regionsim {
namespace {

TEST(Matching, HiresAreCappedByBothSides) {
  EXPECT_EQ(matching_hires(0, 10, 0.6, 0.5, 0.5), 0);
  EXPECT_EQ(matching_hires(10, 0, 0.6, 0.5, 0.5), 0);
  EXPECT_EQ(matching_hires(3, 1000, 5.0, 0.5, 0.5), 3);
  EXPECT_EQ(matching_hires(1000, 2, 5.0, 0.5, 0.5), 2);
}

TEST(Matching, MeanHiresEqualTheMatchingFunction) {
  // Stochastic rounding: E[H] = mu U^eta V^(1-eta) when below both caps.
  const Rng rng(11);
  const double mu = 0.6, eta = 0.4;
  const std::int64_t u = 37, v = 11;
  const double expected = mu * std::pow(37.0, eta) * std::pow(11.0, 1 - eta);
  const int n = 100000;
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += static_cast<double>(matching_hires(u, v, mu, eta, rng.uniform(Purpose::kTest, static_cast<std::uint64_t>(i), 0)));
  // The rounding adds at most a Bernoulli's variance (<= 1/4): SE <= 0.5 / sqrt(n).
  EXPECT_NEAR(sum / n, expected, 5 * 0.5 / std::sqrt(n));
  const auto floor_h = static_cast<std::int64_t>(std::floor(expected));
  for (double draw : {0.001, 0.999}) {
    const auto h = matching_hires(u, v, mu, eta, draw);
    EXPECT_TRUE(h == floor_h || h == floor_h + 1);
  }
}

}  // namespace
}  // namespace regionsim
