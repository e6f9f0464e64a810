// Counter-based draws: determinism, independence of purposes, and the distributions built on
// them (Poisson, normal, logit choice) against their analytic forms.
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "rng.hpp"

namespace regionsim {
namespace {

TEST(Rng, SameKeyGivesSameDrawAndOtherKeysDiffer) {
  const Rng a(42), b(42), c(43);
  EXPECT_EQ(a.uniform(Purpose::kTest, 7, 3), b.uniform(Purpose::kTest, 7, 3));
  EXPECT_NE(a.uniform(Purpose::kTest, 7, 3), c.uniform(Purpose::kTest, 7, 3));
  EXPECT_NE(a.uniform(Purpose::kTest, 7, 3), a.uniform(Purpose::kTest, 8, 3));
  EXPECT_NE(a.uniform(Purpose::kTest, 7, 3), a.uniform(Purpose::kTest, 7, 4));
  EXPECT_NE(a.uniform(Purpose::kTest, 7, 3), a.uniform(Purpose::kFirmExit, 7, 3));
  EXPECT_NE(a.uniform(Purpose::kTest, 7, 3, 0), a.uniform(Purpose::kTest, 7, 3, 1));
  // Ids above 2^32 use the high counter word.
  EXPECT_NE(a.uniform(Purpose::kTest, 1ull << 32, 3), a.uniform(Purpose::kTest, 0, 3));
}

TEST(Rng, UniformsAreInOpenUnitIntervalWithRightMoments) {
  const Rng rng(1);
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform(Purpose::kTest, static_cast<std::uint64_t>(i), 0);
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum2 += u * u;
  }
  const double mean = sum / n, var = sum2 / n - mean * mean;
  // Standard errors: 1/sqrt(12 n) = 6.5e-4 for the mean; tolerance 5 SE.
  EXPECT_NEAR(mean, 0.5, 5 * 6.5e-4);
  EXPECT_NEAR(var, 1.0 / 12.0, 0.002);
}

TEST(Rng, NormalHasUnitMomentsAndSymmetricTails) {
  const Rng rng(2);
  const int n = 200000;
  double sum = 0, sum2 = 0;
  int beyond2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = rng.normal(Purpose::kTest, static_cast<std::uint64_t>(i), 0);
    sum += x;
    sum2 += x * x;
    beyond2 += std::fabs(x) > 2.0;
  }
  EXPECT_NEAR(sum / n, 0.0, 5 / std::sqrt(n));
  EXPECT_NEAR(sum2 / n, 1.0, 0.015);
  // P(|X| > 2) = 0.0455; binomial SE 4.7e-4.
  EXPECT_NEAR(static_cast<double>(beyond2) / n, 0.0455, 5 * 4.7e-4);
}

// Chi-square of Poisson counts against the pmf, over bins with expected count >= 5.
double poisson_chi_square(double lambda, int n, int* dof) {
  const Rng rng(3);
  std::map<std::int64_t, int> counts;
  for (int i = 0; i < n; ++i)
    ++counts[rng.poisson(lambda, Purpose::kTest, static_cast<std::uint64_t>(i), 0)];
  double chi2 = 0;
  *dof = -1;
  double tail_expected = n;
  int tail_observed = n;
  for (std::int64_t k = 0; k < static_cast<std::int64_t>(lambda * 4 + 20); ++k) {
    const double p = std::exp(k * std::log(lambda) - lambda - log_factorial(k));
    const double expected = n * p;
    if (expected < 5) continue;
    const int observed = counts.count(k) ? counts[k] : 0;
    chi2 += (observed - expected) * (observed - expected) / expected;
    tail_expected -= expected;
    tail_observed -= observed;
    ++*dof;
  }
  chi2 += (tail_observed - tail_expected) * (tail_observed - tail_expected) /
          std::max(tail_expected, 1.0);
  ++*dof;
  return chi2;
}

TEST(Rng, PoissonByInversionMatchesPmf) {
  int dof = 0;
  const double chi2 = poisson_chi_square(3.5, 100000, &dof);
  // 99.9% quantile of chi-square is below dof + 4.5 sqrt(2 dof) for these dof.
  EXPECT_LT(chi2, dof + 4.5 * std::sqrt(2.0 * dof)) << "dof " << dof;
}

TEST(Rng, PoissonByRejectionMatchesPmf) {
  int dof = 0;
  const double chi2 = poisson_chi_square(60.0, 100000, &dof);
  EXPECT_LT(chi2, dof + 4.5 * std::sqrt(2.0 * dof)) << "dof " << dof;
}

TEST(Rng, PoissonOfLargeMeanHasRightMeanAndVariance) {
  const Rng rng(4);
  const double lambda = 2500;
  const int n = 20000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x =
        static_cast<double>(rng.poisson(lambda, Purpose::kTest, static_cast<std::uint64_t>(i), 0));
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, lambda, 5 * std::sqrt(lambda / n));
  EXPECT_NEAR(sum2 / n - mean * mean, lambda, 0.05 * lambda);
}

TEST(Rng, LogFactorialMatchesLgamma) {
  for (std::int64_t k : {0, 1, 5, 100, 255, 256, 1000, 123456})
    EXPECT_NEAR(log_factorial(k), std::lgamma(static_cast<double>(k) + 1.0),
                1e-9 * (1.0 + static_cast<double>(k)));
}

TEST(LogitChoice, SharesMatchSoftmax) {
  const std::vector<double> utility = {0.3, -1.0, 1.2, 0.0};
  double total = 0;
  for (double v : utility)
    total += std::exp(v);
  const Rng rng(5);
  const int n = 200000;
  std::vector<int> counts(utility.size(), 0);
  for (int i = 0; i < n; ++i)
    ++counts[logit_choice(utility, rng.uniform(Purpose::kTest, static_cast<std::uint64_t>(i), 0))];
  for (std::size_t c = 0; c < utility.size(); ++c) {
    const double p = std::exp(utility[c]) / total;
    const double se = std::sqrt(p * (1 - p) / n);
    EXPECT_NEAR(static_cast<double>(counts[c]) / n, p, 5 * se) << "option " << c;
  }
}

TEST(LogitChoice, SkipsUnavailableOptions) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> utility = {-inf, 0.0, -inf};
  for (double u : {1e-9, 0.5, 1.0 - 1e-12})
    EXPECT_EQ(logit_choice(utility, u), 1);
  EXPECT_EQ(logit_choice(std::vector<double>{-inf, -inf}, 0.5), -1);
}

}  // namespace
}  // namespace regionsim

namespace regionsim {
namespace {

// The batched Philox (talent decisions) must give uniform2's bits for every lane, for a partial
// batch and any purpose, step, index and id (including ids above 2^32).
TEST(Rng, BatchEqualsOneAtATime) {
  const Rng rng(0x9E3779B97F4A7C15ull);
  std::array<std::uint64_t, Rng::kBatch> ids{};
  for (std::size_t j = 0; j < ids.size(); ++j)
    ids[j] = j * 0x100000001ull + 7 * j * j;
  for (const std::size_t n : {std::size_t{1}, std::size_t{17}, Rng::kBatch}) {
    for (const std::uint32_t step : {0u, 5u, 4000000000u}) {
      for (const std::uint32_t index : {0u, 3u}) {
        std::array<double, Rng::kBatch> u0{}, u1{};
        rng.uniform2_batch(Purpose::kTalentLeave, ids.data(), n, step, u0.data(), u1.data(), index);
        for (std::size_t j = 0; j < n; ++j) {
          const auto one = rng.uniform2(Purpose::kTalentLeave, ids[j], step, index);
          ASSERT_EQ(std::bit_cast<std::uint64_t>(u0[j]), std::bit_cast<std::uint64_t>(one[0]))
              << "lane " << j << " of " << n;
          ASSERT_EQ(std::bit_cast<std::uint64_t>(u1[j]), std::bit_cast<std::uint64_t>(one[1]))
              << "lane " << j << " of " << n;
        }
      }
    }
  }
}


// The four-uniform draw: the batch gives the same bits as one call at a time, the four values are
// the four Philox words of the counter (so the same stream as uniform2: its first value's top 32
// bits are the first word), each in (0, 1), and they are uniform (a chi-square over 16 bins,
// fixed seed: the 0.1 % critical value for 15 degrees of freedom is 37.7).
TEST(Rng, FourUniformsPerCounterBatchEqualsOneAtATimeAndIsUniform) {
  const Rng rng(0x9E3779B97F4A7C15ull);
  std::array<std::uint64_t, Rng::kBatch> ids{};
  for (std::size_t j = 0; j < ids.size(); ++j)
    ids[j] = j * 0x100000001ull + 7 * j * j;
  for (const std::size_t n : {std::size_t{1}, std::size_t{9}, std::size_t{17}, Rng::kBatch}) {
    for (const std::uint32_t step : {0u, 5u, 4000000000u}) {
      std::array<double, 4 * Rng::kBatch> u{};
      rng.uniform4_batch(Purpose::kTest, ids.data(), n, step, u.data(), 2);
      for (std::size_t j = 0; j < n; ++j) {
        const auto one = rng.uniform4(Purpose::kTest, ids[j], step, 2);
        const auto pair = rng.uniform2(Purpose::kTest, ids[j], step, 2);
        for (std::size_t w = 0; w < 4; ++w) {
          ASSERT_EQ(std::bit_cast<std::uint64_t>(u[4 * j + w]), std::bit_cast<std::uint64_t>(one[w]))
              << "lane " << j << " word " << w << " of " << n;
          ASSERT_GT(one[w], 0.0);
          ASSERT_LT(one[w], 1.0);
        }
        // uniform2's first value is built from words 0 (high) and 1 (low).
        EXPECT_EQ(std::floor(one[0] * 0x1.0p32), std::floor(pair[0] * 0x1.0p32));
      }
    }
  }
  std::array<std::int64_t, 16> bins{};
  constexpr std::uint64_t kCounters = 50000;
  for (std::uint64_t id = 0; id < kCounters; ++id)
    for (const double v : rng.uniform4(Purpose::kTest, id, 11))
      ++bins[static_cast<std::size_t>(v * 16)];
  const double expected = 4.0 * kCounters / 16;
  double chi2 = 0;
  for (const std::int64_t b : bins)
    chi2 += (static_cast<double>(b) - expected) * (static_cast<double>(b) - expected) / expected;
  EXPECT_LT(chi2, 37.7);
}

}  // namespace
}  // namespace regionsim
