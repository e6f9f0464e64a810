// Nested project choice against its closed form (docs/model.md §14.4), written out here:
//   IV = λ ln Σ_z exp(V_z/λ),  P(region) = e^IV / (e^IV + e^V0),  P(z) = P(region) e^{V_z/λ} / Σ.
#include "nested_logit.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "rng.hpp"

namespace regionsim {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

TEST(NestedLogit, SharesMatchTheClosedForm) {
  const std::vector<double> v{0.3, -0.2, 0.8};
  const double v0 = 0.1, lambda = 0.6;
  const double sum = std::exp(0.3 / 0.6) + std::exp(-0.2 / 0.6) + std::exp(0.8 / 0.6);
  const double iv = 0.6 * std::log(sum);
  const double region = std::exp(iv) / (std::exp(iv) + std::exp(v0));
  std::vector<double> shares(3);
  EXPECT_NEAR(nested_shares(v, v0, lambda, shares), region, 1e-14);
  EXPECT_NEAR(inclusive_value(v, lambda), iv, 1e-14);
  EXPECT_NEAR(shares[0], region * std::exp(0.3 / 0.6) / sum, 1e-14);
  EXPECT_NEAR(shares[1], region * std::exp(-0.2 / 0.6) / sum, 1e-14);
  EXPECT_NEAR(shares[2], region * std::exp(0.8 / 0.6) / sum, 1e-14);
}

TEST(NestedLogit, LambdaOneIsTheFlatMultinomialLogit) {
  const std::vector<double> v{0.3, -0.2, 0.8, kNegInf};
  const double v0 = 0.1;
  const double denom = std::exp(v0) + std::exp(0.3) + std::exp(-0.2) + std::exp(0.8);
  const std::array<double, 4> flat{std::exp(0.3) / denom, std::exp(-0.2) / denom,
                                   std::exp(0.8) / denom, 0.0};
  std::vector<double> shares(4);
  EXPECT_NEAR(nested_shares(v, v0, 1.0, shares), 1.0 - std::exp(v0) / denom, 1e-14);
  for (std::size_t z = 0; z < 4; ++z)
    EXPECT_NEAR(shares[z], flat[z], 1e-14);
  // ... and the limit λ → 1 approaches it continuously.
  nested_shares(v, v0, 1.0 - 1e-9, shares);
  for (std::size_t z = 0; z < 4; ++z)
    EXPECT_NEAR(shares[z], flat[z], 1e-8);
}

TEST(NestedLogit, SmallLambdaMakesTheRegionWorthItsBestZone) {
  // λ → 0: the nest's inclusive value tends to max_z V_z.
  const std::vector<double> v{0.3, -0.2, 0.8};
  EXPECT_NEAR(inclusive_value(v, 0.01), 0.8, 1e-6);
}

TEST(NestedLogit, NoZoneAvailableSendsEveryProjectOutside) {
  const std::vector<double> v{kNegInf, kNegInf};
  std::vector<double> shares(2, 7.0);
  EXPECT_EQ(nested_shares(v, 0.0, 0.5, shares), 0.0);
  EXPECT_EQ(shares[0], 0.0);
  EXPECT_EQ(nested_choice(v, 0.0, 0.5, 0.01, 0.5), kOutside);
}

TEST(NestedLogit, LambdaOutsideTheUnitIntervalIsRejected) {
  const std::vector<double> v{0.0};
  std::vector<double> shares(1);
  EXPECT_THROW(nested_shares(v, 0.0, 0.0, shares), std::invalid_argument);
  EXPECT_THROW(nested_shares(v, 0.0, 1.5, shares), std::invalid_argument);
}

TEST(NestedLogit, FitBoostRedistributesLeadsWithoutChangingTheRegionTotal) {
  const std::vector<double> v{0.3, -0.2, 0.8, kNegInf};
  const std::vector<double> gain{1.2, 0.0, 0.3, 5.0};  // the unavailable zone stays unavailable
  const double v0 = 0.4, lambda = 0.7;
  std::vector<double> steered(4), before(4), after(4);
  fit_boost(v, gain, lambda, steered);
  EXPECT_EQ(steered[3], kNegInf);
  const double r0 = nested_shares(v, v0, lambda, before);
  const double r1 = nested_shares(steered, v0, lambda, after);
  EXPECT_NEAR(r1, r0, 1e-14);
  // Within the region the leads follow exp((V_z + g_z)/λ).
  const double sum =
      std::exp((0.3 + 1.2) / 0.7) + std::exp(-0.2 / 0.7) + std::exp((0.8 + 0.3) / 0.7);
  EXPECT_NEAR(after[0], r0 * std::exp((0.3 + 1.2) / 0.7) / sum, 1e-14);
  EXPECT_NEAR(after[1], r0 * std::exp(-0.2 / 0.7) / sum, 1e-14);
  EXPECT_GT(after[0], before[0]);
  EXPECT_LT(after[1], before[1]);
}

TEST(NestedLogit, DrawsReproduceTheShares) {
  const std::vector<double> v{0.3, -0.2, 0.8};
  const double v0 = 0.5, lambda = 0.5;
  std::vector<double> p(3);
  const double region = nested_shares(v, v0, lambda, p);
  const Rng rng(11);
  constexpr int kN = 200000;
  std::array<int, 4> count{};
  for (int i = 0; i < kN; ++i) {
    const auto u = rng.uniform2(Purpose::kTest, static_cast<std::uint64_t>(i), 0);
    const int c = nested_choice(v, v0, lambda, u[0], u[1]);
    ++count[c == kOutside ? 3 : static_cast<std::size_t>(c)];
  }
  const std::array<double, 4> expected{p[0], p[1], p[2], 1.0 - region};
  for (std::size_t k = 0; k < 4; ++k) {
    const double sd = std::sqrt(expected[k] * (1 - expected[k]) / kN);
    EXPECT_NEAR(count[k] / double(kN), expected[k], 4.5 * sd) << "option " << k;
  }
}

TEST(NestedLogit, SteeringNeverChangesWhetherAProjectSettlesDrawForDraw) {
  const std::vector<double> v{0.3, -0.2, 0.8};
  const std::vector<double> gain{0.0, 2.0, 0.0};
  std::vector<double> steered(3);
  fit_boost(v, gain, 0.8, steered);
  const Rng rng(3);
  for (int i = 0; i < 20000; ++i) {
    const auto u = rng.uniform2(Purpose::kTest, static_cast<std::uint64_t>(i), 1);
    // Draws within 1e-12 of the region share could flip on rounding; none occur in practice.
    EXPECT_EQ(nested_choice(v, 0.2, 0.8, u[0], u[1]) == kOutside,
              nested_choice(steered, 0.2, 0.8, u[0], u[1]) == kOutside);
  }
}

TEST(NestedLogit, ExpectedSharesAverageOverTheSetsOfKnownZones) {
  // Three zones known with probabilities 0.3, 0.7 and 1: eight sets, each weighted by its
  // probability, each with the closed-form shares.
  const std::array<double, 3> v{0.3, -0.2, 0.8}, q{0.3, 0.7, 1.0};
  const double v0 = 0.1, lambda = 0.6;
  std::array<double, 3> expected{};
  double expected_region = 0;
  for (int mask = 0; mask < 8; ++mask) {
    double prob = 1, sum = 0;
    for (int z = 0; z < 3; ++z) {
      const bool in = mask >> z & 1;
      prob *= in ? q[z] : 1 - q[z];
      if (in) sum += std::exp(v[z] / lambda);
    }
    if (prob == 0 || sum == 0) continue;
    const double iv = lambda * std::log(sum);
    const double region = std::exp(iv) / (std::exp(iv) + std::exp(v0));
    expected_region += prob * region;
    for (int z = 0; z < 3; ++z)
      if (mask >> z & 1) expected[z] += prob * region * std::exp(v[z] / lambda) / sum;
  }
  std::vector<double> shares(3);
  EXPECT_NEAR(expected_nested_shares(v, q, v0, lambda, shares), expected_region, 1e-14);
  for (int z = 0; z < 3; ++z)
    EXPECT_NEAR(shares[z], expected[z], 1e-14);

  // And the same by simulation: a project learns each zone with its own draw, then chooses.
  const Rng rng(5);
  constexpr int kN = 200000;
  std::array<int, 3> count{};
  for (int i = 0; i < kN; ++i) {
    std::array<double, 3> known_v{};
    for (std::uint32_t z = 0; z < 3; ++z)
      known_v[z] =
          rng.uniform(Purpose::kTest, static_cast<std::uint64_t>(i), 2, z) < q[z] ? v[z] : kNegInf;
    const auto u = rng.uniform2(Purpose::kTest, static_cast<std::uint64_t>(i), 3);
    const int c = nested_choice(known_v, v0, lambda, u[0], u[1]);
    if (c != kOutside) ++count[static_cast<std::size_t>(c)];
  }
  for (int z = 0; z < 3; ++z) {
    const double sd = std::sqrt(expected[z] * (1 - expected[z]) / kN);
    EXPECT_NEAR(count[z] / double(kN), expected[z], 4.5 * sd);
  }
}

TEST(NestedLogit, ExpectedSharesWithCertainKnowledgeAreTheShares) {
  const std::vector<double> v{0.3, -0.2, 0.8}, all{1.0, 1.0, 1.0};
  std::vector<double> a(3), b(3);
  EXPECT_EQ(expected_nested_shares(v, all, 0.1, 0.6, a), nested_shares(v, 0.1, 0.6, b));
  for (int z = 0; z < 3; ++z)
    EXPECT_NEAR(a[z], b[z], 1e-15);
}

TEST(NestedLogit, ExpectedValueAndItsGradientMatchSharesAndFiniteDifferences) {
  const std::vector<double> v{0.3, -0.2, 0.8, 0.1}, q{0.4, 1.0, 0.6, 0.0};
  const std::vector<double> value{2.0, -1.0, 0.5, 9.0};
  // Two directions: shift zone 0 alone; shift zones 1 and 2 by 0.5 and 2.
  const std::vector<double> du{1, 0, 0, 0.5, 0, 2, 0, 0};
  const double v0 = 0.2, lambda = 0.65;
  std::vector<double> grad(2), shares(4), plain(4);
  const double e = expected_nested_value(v, q, v0, lambda, value, du, 2, grad, shares);
  expected_nested_shares(v, q, v0, lambda, plain);
  double sum = 0;
  for (int z = 0; z < 4; ++z) {
    EXPECT_NEAR(shares[z], plain[z], 1e-15);
    sum += plain[z] * value[z];
  }
  EXPECT_NEAR(e, sum, 1e-14);
  for (int d = 0; d < 2; ++d) {
    const double h = 1e-6;
    std::vector<double> up(v), down(v), s(4);
    for (int z = 0; z < 4; ++z) {
      up[z] += h * du[z * 2 + d];
      down[z] -= h * du[z * 2 + d];
    }
    expected_nested_shares(up, q, v0, lambda, s);
    double fu = 0;
    for (int z = 0; z < 4; ++z)
      fu += s[z] * value[z];
    expected_nested_shares(down, q, v0, lambda, s);
    double fd = 0;
    for (int z = 0; z < 4; ++z)
      fd += s[z] * value[z];
    EXPECT_NEAR(grad[d], (fu - fd) / (2 * h), 1e-8) << "direction " << d;
  }
}

}  // namespace
}  // namespace regionsim
