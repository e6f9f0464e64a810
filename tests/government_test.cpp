// Jurisdictions under the administrative baseline: attribution by location and ownership (exact
// to the yuan), subsidies paid by the destination's owners, budgets, and offer reviews on the
// decision cadence with the decision lag.
#include <gtest/gtest.h>

#include <cstdlib>

#include "phases.hpp"
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

TEST(Government, OffersChangeOnlyAtReviewsAndAfterTheLag) {
  Scenario scenario = testing::small_baseline(
      {"government.decision_period=6", "government.decision_lag=2", "run.steps=12"});
  ModelState s(scenario);
  initialise(s);
  const Matrix initial = s.gov.offer;
  for (int t = 0; t < 12; ++t) {
    StepFlows f;
    simulate_month(s, f);
    // Reviewed at the end of month 5; in force from the end of month 7 (lag 2).
    if (t < 7)
      EXPECT_EQ(s.gov.offer, initial) << "month " << t;
    else
      EXPECT_NE(s.gov.offer, initial) << "month " << t;
    ++s.month;
  }
}

TEST(Government, SubsidyOffersAttractProjects) {
  // With search friction removed, a zone whose owners offer far more wins a larger share of
  // incoming projects than without the offer (same seeds: common random numbers).
  auto entries_to_lsiz = [](const std::string& offer) {
    Simulation sim(testing::small_baseline(
        // Floor space unlimited: a full zone closes to projects whatever its offer.
        {"run.scale=0.04", "government.zones_known=1", "firms.project_rate=0.02",
         "zone.lsiz.floor_capacity=1e8", "jurisdiction.shuangliu.initial_offer=" + offer,
         "government.offer_step=0"}));
    std::int64_t lsiz = 0, all = 0;
    for (int t = 0; t < 12; ++t) {
      const StepOutputs& out = sim.step();
      for (std::size_t k = 0; k < out.sectors; ++k) {
        lsiz += out.firm_entries[2 * out.sectors + k];
        for (std::size_t z = 0; z < out.zones; ++z)
          all += out.firm_entries[z * out.sectors + k];
      }
    }
    return static_cast<double>(lsiz) / static_cast<double>(all);
  };
  EXPECT_GT(entries_to_lsiz("4.0"), entries_to_lsiz("0.5") + 0.05);
}

}  // namespace
}  // namespace regionsim
