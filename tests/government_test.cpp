// Jurisdictions under the administrative baseline: attribution by location and ownership (exact
// to the yuan), subsidies paid by the destination's owners, budgets, and offer reviews on the
// decision cadence with the decision lag.
#include <gtest/gtest.h>

#include <cstdlib>

#include "phases.hpp"
#include "promotion_support.hpp"
#include "regionsim/simulation.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

TEST(Government, TaxAndGdpAreAttributedByOwnershipToTheYuan) {
  ModelState s(testing::small_baseline());
  initialise(s);
  StepFlows f(s.tables);
  // Known amounts per zone: core (Tianfu), nevz (CDHT), lsiz (CDHT/Shuangliu 50:50),
  // fstc (CDHT/Eastern 50:50), ngit (CDHT).
  f.firms.tax.values() = {1000001, 2000000, 3000001, 4000000, 5000000};
  f.firms.credit_tax = f.firms.tax;  // no origin splits or finders: credited where collected
  government(view_of(s), f.firms, f.entries, s.gov, f.government);
  const auto& j = f.government.tax_attributed_j;  // tianfu, cdht, shuangliu, eastern
  EXPECT_EQ(j[0], 1000001);
  EXPECT_EQ(j[1], 2000000 + 1500001 + 2000000 + 5000000);  // the odd yuan goes to the first owner
  EXPECT_EQ(j[2], 1500000);
  EXPECT_EQ(j[3], 2000000);
  EXPECT_EQ(j[0] + j[1] + j[2] + j[3], 15000002);
}

TEST(Government, SubsidiesArePaidByTheDestinationsOwners) {
  ModelState s(testing::small_baseline());
  initialise(s);
  StepFlows f(s.tables);
  f.entries.entry_subsidies(2, 1) = to_money(0.8);  // one biotech firm entering lsiz
  const std::vector<Money> before = s.gov.budget;
  government(view_of(s), f.firms, f.entries, s.gov, f.government);
  EXPECT_EQ(f.government.subsidies_paid_j, (std::vector<Money>{0, 400000, 400000, 0}));
  EXPECT_EQ(f.government.subsidies_received_z[2], 800000);
  EXPECT_EQ(s.gov.budget[2], before[2] - 400000);
}

// Issue 9 item 3: a one-off settlement subsidy larger than the funds above the debt floor is
// capped at them. Shuangliu (debt limit 0, budget 0.1 mCNY, no income this month) owes half of a
// 0.8 mCNY settlement in lsiz: it pays 0.1 mCNY and stops at its floor; CDHT pays its half in
// full. Before the cap Shuangliu's budget went to -0.3 mCNY.
TEST(Government, SettlementsAreCappedAtTheFundsAboveTheDebtFloor) {
  std::vector<std::string> overrides;
  for (const char* j : {"tianfu", "cdht", "shuangliu", "eastern"})
    overrides.push_back(std::string("jurisdiction.") + j + ".debt_limit=0");
  ModelState s(testing::small_baseline(overrides));
  initialise(s);
  StepFlows f(s.tables);
  f.entries.entry_subsidies(2, 1) = to_money(0.8);  // one biotech firm entering lsiz
  s.gov.budget[2] = to_money(0.1);
  const Money cdht_before = s.gov.budget[1];
  government(view_of(s), f.firms, f.entries, s.gov, f.government);
  EXPECT_EQ(s.gov.budget[2], 0);
  EXPECT_EQ(f.government.subsidies_paid_j, (std::vector<Money>{0, 400000, 100000, 0}));
  EXPECT_EQ(f.government.settlement_unpaid_j, (std::vector<Money>{0, 0, 300000, 0}));
  EXPECT_EQ(f.government.subsidies_received_z[2], 500000);
  EXPECT_EQ(s.gov.budget[1], cdht_before - 400000);
  // Already below the floor (contract payments alone can do that): nothing more is paid.
  s.gov.budget[2] = -to_money(0.2);
  StepFlows g(s.tables);
  g.entries.entry_subsidies(2, 1) = to_money(0.8);
  government(view_of(s), g.firms, g.entries, s.gov, g.government);
  EXPECT_EQ(g.government.settlement_paid_j[2], 0);
  EXPECT_EQ(s.gov.budget[2], -to_money(0.2));
}

TEST(Government, PackagesChangeOnlyAtDecisionsAndAfterTheLag) {
  Scenario scenario = testing::small_baseline(
      {"government.decision_period=6", "government.decision_lag=2", "run.steps=12"});
  ModelState s(scenario);
  initialise(s);
  std::vector<InstrumentTable> in_force;
  for (int t = 0; t < 12; ++t) {
    StepFlows f;
    simulate_month(s, f);
    in_force.push_back(s.gov.promotion.in_force.packages);
    ++s.month;
  }
  // Decided at the end of months 0 and 6; in force two months later (ends of months 2 and 8).
  for (int t = 0; t < 2; ++t)
    EXPECT_EQ(in_force[t].setters(), 0u) << "month " << t;
  EXPECT_GT(in_force[2].setters(), 0u);
  for (int t = 3; t < 8; ++t)
    EXPECT_EQ(in_force[t], in_force[2]) << "month " << t;
  for (int t = 9; t < 12; ++t)
    EXPECT_EQ(in_force[t], in_force[8]) << "month " << t;
  EXPECT_EQ(s.gov.last_review, 6);
}

TEST(Government, APackageAttractsProjects) {
  // With search friction removed, a zone whose owner offers a settlement subsidy wins a larger
  // share of incoming projects than without it (same draws: common random numbers). Only
  // Shuangliu offers; it co-owns lsiz (zone 2) with CDHT, so lsiz's package is half of it.
  auto entries_to_lsiz = [](double settlement) {
    testing::PreparedMonth p(
        testing::small_baseline({"run.scale=0.1", "government.zones_known=1",
                                 "firms.project_rate=0.05", "zone.lsiz.floor_capacity=1e8"}));
    std::vector<OfferPackage> outside(p.state.tables.J), within(p.state.tables.J);
    outside[2].settlement = settlement;
    testing::install_packages(p.state, outside, within);
    entries_and_exits(p.view(), LabourFlows(p.state.tables), p.state.talent, p.state.firms,
                      p.state.ids, p.flows.entries);
    std::int64_t lsiz = 0, all = 0;
    for (std::size_t k = 0; k < p.state.tables.S; ++k) {
      lsiz += p.flows.entries.entries(2, k);
      for (std::size_t z = 0; z < p.state.tables.Z; ++z)
        all += p.flows.entries.entries(z, k);
    }
    return static_cast<double>(lsiz) / static_cast<double>(all);
  };
  EXPECT_GT(entries_to_lsiz(4.0), entries_to_lsiz(0.0) + 0.05);
}

}  // namespace
}  // namespace regionsim
