// The common productivity trend (docs/model.md §4): every location multiplier grows by
// (1 + g)^{t/12}, firms' location choices compare zones net of it, and month 0 (and a growth of
// 0) is unchanged bit for bit. Deterministic: agreement to 1e-12 (relative).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "phases.hpp"
#include "test_support.hpp"
#include "zone_utility.hpp"

namespace regionsim {
namespace {

using Prepared = testing::PreparedMonth;

Scenario with_growth(double g) {
  return testing::small_baseline(
      {"run.scale=0.05", "firms.productivity_growth=" + std::to_string(g)});
}

// The trend's month-t factor on the multipliers, written from the documented equation.
double trend(double g, double month) {
  return std::pow(1.0 + g, month / 12.0);
}

TEST(ProductivityTrend, MultipliesEveryLocationMultiplierByItsGrowthSinceMonthZero) {
  constexpr double kGrowth = 0.08;
  Prepared flat(with_growth(0.0)), growing(with_growth(kGrowth));
  const std::size_t Z = flat.state.tables.Z, S = flat.state.tables.S;
  // Month 0: the same firms, the same multipliers, bit for bit (the trend is exactly 1).
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t s = 0; s < S; ++s)
      EXPECT_EQ(growing.state.fields.multiplier(z, s), flat.state.fields.multiplier(z, s));
  ASSERT_EQ(growing.state.firms.tfp, flat.state.firms.tfp);
  // Month 30 with the same aggregates: the ratio is the trend's factor in every cell.
  for (Prepared* p : {&flat, &growing}) {
    p->state.month = 30;
    update_fields(inputs_of(p->state), p->state.gov.promotion, p->state.fields);
  }
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t s = 0; s < S; ++s) {
      const double ratio =
          growing.state.fields.multiplier(z, s) / flat.state.fields.multiplier(z, s);
      EXPECT_NEAR(ratio, trend(kGrowth, 30), 1e-12) << "zone " << z << " sector " << s;
    }
}

TEST(ProductivityTrend, FirmsCompareZonesNetOfTheTrend) {
  // Along balanced growth (multipliers and wages both grown by the trend) a zone is worth to a
  // firm what it was worth at month 0; without the correction it would be worth
  // beta_profit * ln(trend) more, and projects would favour the region over the outside option
  // more each year.
  constexpr double kGrowth = 0.08;
  constexpr std::int64_t kMonth = 30;
  Prepared p(with_growth(kGrowth));
  const ModelState& s = p.state;
  const std::size_t Z = s.tables.Z, S = s.tables.S;
  std::vector<double> at_start(Z * S);
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t k = 0; k < S; ++k)
      at_start[z * S + k] = firm_zone_utility(p.view(), z, k);
  const double factor = trend(kGrowth, kMonth);
  p.state.month = kMonth;
  p.state.fields.multiplier *= factor;
  p.state.fields.wage_index *= factor;
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t k = 0; k < S; ++k)
      EXPECT_NEAR(firm_zone_utility(p.view(), z, k), at_start[z * S + k],
                  1e-12 * (1.0 + std::abs(at_start[z * S + k])))
          << "zone " << z << " sector " << k;
  // The correction is the whole difference: without a trend the same fields are worth more.
  p.state.scenario.firms.productivity_growth = 0.0;
  const double gained = firm_zone_utility(p.view(), 0, 0) - at_start[0];
  EXPECT_NEAR(gained, s.scenario.firms.reloc_beta_profit * std::log(factor), 1e-12);
}

TEST(ProductivityTrend, RaisesWagesAndNominalOutputAgainstNoTrend) {
  // The mechanism end to end, paired on one seed at a small scale over 36 months: with a trend of
  // 5 % a year, firms want more staff, tightness and wages rise, and nominal output grows by
  // about the trend. Expected (docs/model.md §4): output and the mean wage index in month 35 are
  // higher by at least half of the trend's 15.8 % over 35 months; the tolerance covers the
  // difference in employment the higher wages bring.
  auto run = [](double g) {
    ModelState s(testing::small_baseline(
        {"run.scale=0.05", "run.steps=36", "firms.productivity_growth=" + std::to_string(g)}));
    initialise(s);
    double output = 0;
    for (int t = 0; t < 36; ++t) {
      StepFlows f;
      simulate_month(s, f);
      if (t == 35)
        for (const auto y : f.firms.output.values())
          output += static_cast<double>(y);
      ++s.month;
    }
    return std::pair{output, s.fields.wage_index.mean()};
  };
  const auto [flat_output, flat_wage] = run(0.0);
  const auto [grown_output, grown_wage] = run(0.05);
  const double half_trend = 0.5 * (trend(0.05, 35) - 1.0);
  EXPECT_GT(grown_output / flat_output - 1.0, half_trend);
  EXPECT_GT(grown_wage / flat_wage - 1.0, half_trend);
}

}  // namespace
}  // namespace regionsim
