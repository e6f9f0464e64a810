// The shared matching routines against their formulas, written out here: the matching function
// and job-finding rate, stochastic rounding of hires, who is hired in a cell and how the hires are
// split over employers.
#include <gtest/gtest.h>

#include <cmath>

#include "matching.hpp"
#include "rng.hpp"

namespace regionsim {
namespace {

TEST(MatchingFunction, IsCobbDouglasInSeekersAndVacancies) {
  EXPECT_DOUBLE_EQ(matching_function(37, 11, 0.6, 0.4),
                   0.6 * std::pow(37.0, 0.4) * std::pow(11.0, 0.6));
  EXPECT_NEAR(matching_function(4, 9, 1.0, 0.5), 6.0, 1e-12);  // sqrt(4 * 9)
  EXPECT_NEAR(matching_function(1, 2.25, 0.5, 0.3), 0.5 * std::pow(2.25, 0.7), 1e-15);
}

TEST(MatchingFunction, JobFindingRateIsHiresPerSeekerCappedAtOne) {
  EXPECT_NEAR(job_finding_rate(16, 4, 1.0, 0.5), 0.5, 1e-15);  // sqrt(16 * 4) / 16
  EXPECT_EQ(job_finding_rate(4, 9, 1.0, 0.5), 1.0);            // 6 / 4, capped
  // One seeker at tightness theta: mu * theta^(1 - eta).
  EXPECT_DOUBLE_EQ(job_finding_rate(1, 0.8, 0.6, 0.4), 0.6 * std::pow(0.8, 0.6));
}

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
  for (int i = 0; i < n; ++i)
    sum += static_cast<double>(matching_hires(
        u, v, mu, eta, rng.uniform(Purpose::kTest, static_cast<std::uint64_t>(i), 0)));
  // The rounding adds at most a Bernoulli's variance (<= 1/4): SE <= 0.5 / sqrt(n).
  EXPECT_NEAR(sum / n, expected, 5 * 0.5 / std::sqrt(n));
  const auto floor_h = static_cast<std::int64_t>(std::floor(expected));
  for (double draw : {0.001, 0.999}) {
    const auto h = matching_hires(u, v, mu, eta, draw);
    EXPECT_TRUE(h == floor_h || h == floor_h + 1);
  }
}

TEST(MatchCell, HiresTheLowestDrawsAndSplitsByVacancies) {
  // 5 seekers, vacancies 3 and 1: expected hires 0.6 * 5^0.5 * 4^0.5 = 2.68, rounded up by the
  // cell's draw 0.5 < 0.68, so 3 hires.
  const double draws[] = {0.5, 0.1, 0.9, 0.1, 0.3};
  const std::int32_t vacancies[] = {3, 1};
  const CellMatch m =
      match_cell(5, vacancies, 0.6, 0.5, 0.5, [&](std::size_t i) { return draws[i]; });
  EXPECT_EQ(m.vacancies, 4);
  EXPECT_EQ(m.hires, 3);
  // The three lowest draws, the tie at 0.1 broken towards the lower position.
  EXPECT_EQ(m.hired, (std::vector<std::size_t>{1, 3, 4}));
  // Largest remainder: quotas 3 * 3/4 = 2.25 and 3 * 1/4 = 0.75 -> 2 and 1.
  EXPECT_EQ(m.per_employer, (std::vector<std::int64_t>{2, 1}));
  // A draw just above the fraction rounds down.
  const CellMatch down =
      match_cell(5, vacancies, 0.6, 0.5, 0.7, [&](std::size_t i) { return draws[i]; });
  EXPECT_EQ(down.hires, 2);
  EXPECT_EQ(down.hired, (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(down.per_employer, (std::vector<std::int64_t>{2, 0}));  // 1.5 and 0.5: tie to first
}

TEST(MatchCell, AsksForNoSeekerDrawsWithoutHires) {
  int asked = 0;
  const CellMatch none = match_cell(10, {}, 0.6, 0.5, 0.5, [&](std::size_t) {
    ++asked;
    return 0.5;
  });
  EXPECT_EQ(none.vacancies, 0);
  EXPECT_EQ(none.hires, 0);
  EXPECT_TRUE(none.hired.empty());
  EXPECT_EQ(asked, 0);
}

TEST(MatchCell, LowestDrawsAreTheOrderStatisticsInPositionOrder) {
  const double draws[] = {0.7, 0.2, 0.2, 0.9, 0.05, 0.2};
  const auto draw = [&](std::size_t m) { return draws[m]; };
  EXPECT_EQ(lowest_draws(6, 1, draw), (std::vector<std::size_t>{4}));
  EXPECT_EQ(lowest_draws(6, 3, draw), (std::vector<std::size_t>{1, 2, 4}));
  EXPECT_EQ(lowest_draws(6, 4, draw), (std::vector<std::size_t>{1, 2, 4, 5}));
  EXPECT_EQ(lowest_draws(6, 6, draw), (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
}

}  // namespace
}  // namespace regionsim
