// Research institutes: innovation counts follow their Poisson rate with fixed inputs, and the
// transfer / spin-off / shelve split follows its probabilities.
#include <gtest/gtest.h>

#include <cmath>

#include "institutes.hpp"
#include "phases.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

// One month of the institutes' phases after aggregation: hiring, innovation and its adoption.
InstituteFlows institutes_month(ModelState& s) {
  StepFlows f(s.tables);
  aggregate(inputs_of(s), s.talent, s.firms, s.ids.firm, s.fields, f.roster);
  const MonthView m = view_of(s);
  hire_researchers(m, s.institutes, s.talent, f.institutes);
  innovate(m, s.institutes, s.firms, s.ids.innovation, f.institutes);
  adopt_innovations(m, f.institutes, s.firms, s.ids.firm);
  return f.institutes;
}

// Institutes whose staff cannot change (no hiring, nobody leaves), so the rate stays fixed.
Scenario fixed_institutes(std::vector<std::string> extra = {}) {
  std::vector<std::string> overrides = {"institutes.hire_adjust=0",
                                        "institutes.innovation_rate=0.02"};
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  return testing::small_baseline(overrides);
}

TEST(Institutes, StartStaffedInTheirZones) {
  ModelState s(fixed_institutes({"run.scale=0.2"}));  // 4 institutes in the core, 1 in nevz
  initialise(s);
  ASSERT_GT(s.institutes.size(), 0u);
  std::vector<std::int64_t> from_talent(s.tables.Z, 0);
  for (std::size_t i = 0; i < s.talent.size(); ++i)
    if (is_institute(s.talent.employer[i])) {
      EXPECT_EQ(s.talent.skill[i], 0);  // the research skill
      ++from_talent[s.talent.zone[i]];
    }
  std::vector<std::int64_t> from_institutes(s.tables.Z, 0);
  for (std::size_t i = 0; i < s.institutes.size(); ++i) {
    EXPECT_EQ(s.institutes.researchers[i], 150);
    from_institutes[s.institutes.zone[i]] += s.institutes.researchers[i];
  }
  EXPECT_EQ(from_talent, from_institutes);
  EXPECT_GT(from_institutes[0], from_institutes[1]);  // most in the core
}

TEST(Institutes, InnovationCountsMatchTheirPoissonRate) {
  ModelState s(fixed_institutes());
  initialise(s);
  const InstituteParams& p = s.scenario.institutes;
  double expected_per_month = 0;
  for (std::size_t i = 0; i < s.institutes.size(); ++i)
    expected_per_month += p.innovation_rate *
                          std::pow(s.institutes.researchers[i], p.researcher_elasticity) *
                          (1.0 + p.science_effect * s.tables.science(s.institutes.zone[i]));
  const int months = 400;
  double sum = 0, sum2 = 0;
  for (int t = 0; t < months; ++t) {
    s.month = t;
    const InstituteFlows f = institutes_month(s);
    double n = 0;
    for (auto v : f.innovations)
      n += static_cast<double>(v);
    sum += n;
    sum2 += n * n;
  }
  const double mean = sum / months, var = sum2 / months - mean * mean;
  EXPECT_NEAR(mean, expected_per_month, 5 * std::sqrt(expected_per_month / months));
  // Poisson: variance equals the mean (dispersion within 25% over 400 months).
  EXPECT_NEAR(var / mean, 1.0, 0.25);
}

TEST(Institutes, TransferSpinoffShelveSplitFollowsItsProbabilities) {
  // Full reach (no distance decay, any sector fits) makes every innovation's transfer odds equal
  // to transfer_base, so outcome shares are known exactly.
  ModelState s(
      fixed_institutes({"institutes.transfer_minutes=1000", "institutes.cross_sector_fit=1",
                        "institutes.transfer_base=0.5", "institutes.spinoff_share=0.2",
                        "institutes.innovation_rate=0.05", "travel_minutes.core.fstc=0"}));
  initialise(s);
  ZoneSector<double> cells;
  EXPECT_NEAR(transfer_odds(view_of(s), 0, 0, cells), 0.5 * 0.97, 0.03);
  double innovations = 0, transfers = 0, spinoffs = 0, odds = 0;
  for (int t = 0; t < 150; ++t) {
    s.month = t;
    const InstituteFlows f = institutes_month(s);
    for (std::size_t z = 0; z < s.tables.Z; ++z) {
      innovations += static_cast<double>(f.innovations(z));
      odds += static_cast<double>(f.innovations(z)) * transfer_odds(view_of(s), z, 0, cells);
      for (std::size_t y = 0; y < s.tables.Z; ++y)
        transfers += static_cast<double>(f.transfers(z, y));
      for (std::size_t k = 0; k < s.tables.S; ++k)
        spinoffs += static_cast<double>(f.spinoffs(z, k));
    }
  }
  ASSERT_GT(innovations, 1000);
  const double p_transfer = odds / innovations;  // mean odds of the innovations made
  EXPECT_NEAR(transfers / innovations, p_transfer,
              5 * std::sqrt(p_transfer * (1 - p_transfer) / innovations));
  EXPECT_NEAR(spinoffs / innovations, 0.2, 5 * std::sqrt(0.2 * 0.8 / innovations));
}

TEST(Institutes, TransferRaisesTheReceivingFirmsProductivity) {
  ModelState s(
      fixed_institutes({"institutes.transfer_base=0.95", "institutes.spinoff_share=0",
                        "institutes.innovation_rate=0.05", "institutes.transfer_gain=0.1"}));
  initialise(s);
  double before = 0;
  for (double a : s.firms.tfp)
    before += std::log(a);
  const InstituteFlows f = institutes_month(s);
  double after = 0, transfers = 0;
  for (double a : s.firms.tfp)
    after += std::log(a);
  for (auto v : f.transfers)
    transfers += static_cast<double>(v);
  ASSERT_GT(transfers, 0);
  EXPECT_NEAR(after - before, transfers * std::log(1.1), 1e-9);
}

}  // namespace
}  // namespace regionsim
