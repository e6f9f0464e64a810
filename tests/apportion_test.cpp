#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "apportion.hpp"
#include "rng.hpp"

namespace regionsim {
namespace {

TEST(Apportion, PartsSumExactlyAndStayWithinOneOfQuota) {
  const Rng rng(9);
  for (std::uint64_t trial = 0; trial < 2000; ++trial) {
    const auto n = static_cast<std::size_t>(1 + rng.uniform(Purpose::kTest, trial, 0) * 8);
    const auto total = static_cast<std::int64_t>(rng.uniform(Purpose::kTest, trial, 1) * 1e7);
    std::vector<double> w(n);
    for (std::size_t i = 0; i < n; ++i)
      w[i] = rng.uniform(Purpose::kTest, trial, static_cast<std::uint32_t>(2 + i)) < 0.2
                 ? 0.0
                 : rng.uniform(Purpose::kTest, trial, static_cast<std::uint32_t>(20 + i));
    if (std::accumulate(w.begin(), w.end(), 0.0) == 0.0) w[0] = 1.0;
    const auto parts = apportion(total, w);
    EXPECT_EQ(std::accumulate(parts.begin(), parts.end(), std::int64_t{0}), total);
    const double wsum = std::accumulate(w.begin(), w.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_LE(std::fabs(static_cast<double>(parts[i]) - static_cast<double>(total) * w[i] / wsum),
                1.0);
      if (w[i] == 0.0) {
        EXPECT_EQ(parts[i], 0);
      }
    }
  }
}

TEST(Apportion, TiesGoToTheLowerIndexAndSignedTotalsMirror) {
  EXPECT_EQ(apportion(1, std::vector<double>{1, 1}), (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(apportion(5, std::vector<double>{0.5, 0.5}), (std::vector<std::int64_t>{3, 2}));
  EXPECT_EQ(apportion_signed(-5, std::vector<double>{0.5, 0.5}),
            (std::vector<std::int64_t>{-3, -2}));
  EXPECT_EQ(apportion(0, std::vector<double>{0.5, 0.5}), (std::vector<std::int64_t>{0, 0}));
}

}  // namespace
}  // namespace regionsim
