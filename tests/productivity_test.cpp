// The log-normal productivity draw against its formula, and its defining property: the mean is
// the sector's productivity whatever the dispersion.
#include <gtest/gtest.h>

#include <cmath>

#include "productivity.hpp"
#include "rng.hpp"

namespace regionsim {
namespace {

TEST(LognormalProductivity, FollowsItsFormula) {
  EXPECT_DOUBLE_EQ(lognormal_productivity(2.0, 0.5, 1.0), 2.0 * std::exp(0.5 - 0.125));
  EXPECT_DOUBLE_EQ(lognormal_productivity(1.3, 0.2, -0.7), 1.3 * std::exp(-0.14 - 0.02));
  EXPECT_EQ(lognormal_productivity(3.0, 0.0, 1.7), 3.0);  // no dispersion: the mean itself
}

TEST(LognormalProductivity, KeepsTheMeanAndTheLogDispersion) {
  const Rng rng(5);
  const double mean = 1.5, sd = 0.4;
  const int n = 200000;
  double sum = 0, log_sum = 0, log_sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double a = lognormal_productivity(
        mean, sd, rng.normal(Purpose::kTest, static_cast<std::uint64_t>(i), 0));
    sum += a;
    log_sum += std::log(a);
    log_sum2 += std::log(a) * std::log(a);
  }
  // Var of the draw: mean^2 (exp(sd^2) - 1).
  const double se = mean * std::sqrt(std::exp(sd * sd) - 1.0) / std::sqrt(n);
  EXPECT_NEAR(sum / n, mean, 5 * se);
  const double log_mean = log_sum / n;
  EXPECT_NEAR(log_mean, std::log(mean) - 0.5 * sd * sd, 5 * sd / std::sqrt(n));
  EXPECT_NEAR(std::sqrt(log_sum2 / n - log_mean * log_mean), sd, 0.005);
}

}  // namespace
}  // namespace regionsim
