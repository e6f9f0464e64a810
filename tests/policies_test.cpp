// Governance levers: each rule on its own (exact splits, durations, finder's share, harmonised
// line, scores, platforms, amenities, cadence), then each lever switched on in a run: the
// variables it acts on move and accounting stays exact.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "institutes.hpp"
#include "phases.hpp"
#include "policies.hpp"
#include "regionsim/simulation.hpp"
#include "sharing.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

using testing::small_baseline;

using Prepared = testing::PreparedMonth;

Money total(const std::vector<Money>& v) {
  return std::accumulate(v.begin(), v.end(), Money{0});
}

TEST(TaxSharing, SharedTaxSumsExactlyToCollectedTax) {
  for (const char* formula : {"equal", "ownership", "population", "fixed"}) {
    Prepared p(small_baseline(
        {"tax_sharing.start_month=0", "tax_sharing.pool_basis=\"all\"",
         std::string("tax_sharing.formula=\"") + formula + "\"",
         "tax_sharing.weights={ tianfu = 1, cdht = 2, shuangliu = 3, eastern = 4 }"}));
    const std::vector<Money> credited = {1000003, 2000001, 3000007, 4000009, 5000011};
    const std::vector<Money> finder = {17, 0, 5, 0};
    std::vector<Money> base(5, 0), previous(5, 0);
    const auto out =
        attribute(p.view(), p.state.scenario.tax_sharing, {credited, finder, base, previous});
    EXPECT_EQ(total(out), total(credited) + total(finder)) << formula;
  }
}

TEST(TaxSharing, PoolIsSplitByTheFormula) {
  Prepared p(small_baseline({"tax_sharing.start_month=0", "tax_sharing.pool_basis=\"all\"",
                             "tax_sharing.pool_share=1", "tax_sharing.formula=\"equal\""}));
  const std::vector<Money> credited = {4000000, 0, 0, 0, 0};  // all tax collected in the core
  std::vector<Money> base(5, 0), previous(5, 0);
  const auto out = attribute(p.view(), p.state.scenario.tax_sharing,
                             {credited, std::vector<Money>(4, 0), base, previous});
  EXPECT_EQ(out, (std::vector<Money>{1000000, 1000000, 1000000, 1000000}));
}

TEST(TaxSharing, IncrementalPoolingLeavesTheStockWhereItWas) {
  Prepared p(small_baseline({"tax_sharing.start_month=3", "tax_sharing.pool_share=0.5"}), 3);
  const std::vector<Money> previous = {1000000, 2000000, 0, 0, 0};  // month 2: the base
  const std::vector<Money> credited = {1400000, 1800000, 0, 0, 0};  // core grew 0.4m, nevz fell
  std::vector<Money> base(5, 0);
  const auto out = attribute(p.view(), p.state.scenario.tax_sharing,
                             {credited, std::vector<Money>(4, 0), base, previous});
  EXPECT_EQ(base, previous);
  // Core (Tianfu) keeps its stock and half its increment; the other half is split four ways;
  // nevz (CDHT) has no increment to pool.
  EXPECT_EQ(out[0], 1000000 + 200000 + 50000);
  EXPECT_EQ(out[1], 1800000 + 50000);
  EXPECT_EQ(out[2], 50000);
  EXPECT_EQ(out[3], 50000);
}

TEST(TaxSharing, RelocatedFirmSplitsByOriginShareForTheStatedYearsThenStops) {
  // A firm that moved from core to nevz in month 12 under a rule in force from month 0 with a
  // 30% origin share for 2 years: months 13..35 split, month 36 no longer.
  for (const auto& [month, split] :
       std::vector<std::pair<int, bool>>{{13, true}, {35, true}, {36, false}}) {
    Prepared p(small_baseline({"tax_sharing.start_month=0", "tax_sharing.origin_share=0.3",
                               "tax_sharing.origin_years=2", "tax_sharing.origin_min_tax=0",
                               "firms.exit_hazard=0", "firms.relocation_consider=0"}),
               month);
    FirmStore& firms = p.state.firms;
    std::size_t mover = 0;
    while (firms.zone[mover] != 1 || firms.employees[mover] == 0)
      ++mover;  // a firm in nevz
    firms.origin_zone[mover] = 0;
    firms.moved_step[mover] = 12;
    // Everyone else stays put with no history: only the mover's tax can reach the core's credit
    // from outside the core.
    FirmFlows with;
    firm_decisions(p.view(), p.state.gov.promotion, firms, with);
    Money core_from_mover = with.credit_tax(0) - with.tax(0);
    if (split) {
      EXPECT_GT(core_from_mover, 0) << "month " << month;
      EXPECT_EQ(with.credit_tax(1) + core_from_mover, with.tax(1)) << "month " << month;
    } else {
      EXPECT_EQ(core_from_mover, 0) << "month " << month;
    }
    EXPECT_EQ(total(with.credit_tax.values()), total(with.tax.values()));
  }
}

// The Jing-Jin-Ji rule shares only the tax of firms paying >= 20 m CNY a year (the default
// threshold): a small mover keeps all its tax at the destination, the region's largest firm
// moved the same way splits it.
TEST(TaxSharing, OnlyFirmsAboveTheThresholdSplitTheirTax) {
  Prepared p(small_baseline({"run.scale=0.05", "tax_sharing.start_month=0", "firms.exit_hazard=0",
                             "firms.relocation_consider=0"}),
             13);
  FirmStore& firms = p.state.firms;
  std::size_t small = 0, large = 0;
  while (firms.zone[small] != 1 || firms.employees[small] == 0 || firms.employees[small] > 20)
    ++small;
  for (std::size_t i = 0; i < firms.size(); ++i)
    if (firms.zone[i] == 1 && firms.employees[i] > firms.employees[large]) large = i;
  ASSERT_GT(firms.employees[large], 1000);  // the heavy tail has firms above the threshold
  auto origin_credit = [&](std::size_t mover) {
    for (std::size_t i = 0; i < firms.size(); ++i) {
      firms.origin_zone[i] = firms.zone[i];
      firms.moved_step[i] = -1;
    }
    firms.origin_zone[mover] = 0;
    firms.moved_step[mover] = 12;
    FirmFlows with;
    firm_decisions(p.view(), p.state.gov.promotion, firms, with);
    return with.credit_tax(0) - with.tax(0);
  };
  EXPECT_EQ(origin_credit(small), 0);
  EXPECT_GT(origin_credit(large), 0);
}

TEST(JointPromotion, FinderGetsItsShareForTheStatedYears) {
  Prepared p(small_baseline({"joint_promotion.start_month=0", "joint_promotion.finder_share=0.25",
                             "joint_promotion.finder_years=1", "firms.exit_hazard=0",
                             "firms.relocation_consider=0"}),
             5);
  FirmStore& firms = p.state.firms;
  std::size_t found = 0;
  while (firms.employees[found] == 0)
    ++found;
  firms.finder[found] = 3;  // found by the Eastern New Area
  firms.entry_step[found] = 0;
  const FirmFlows& f = p.flows.firms;
  firm_decisions(p.view(), p.state.gov.promotion, firms, p.flows.firms);
  EXPECT_GT(f.finder_tax(3), 0);
  EXPECT_GT(f.finder_gdp(3), 0);
  EXPECT_EQ(total(f.credit_tax.values()) + total(f.finder_tax.values()), total(f.tax.values()));
  // The same firm 12 months after entry no longer pays a finder's share.
  Prepared later(
      small_baseline({"joint_promotion.start_month=0", "joint_promotion.finder_share=0.25",
                      "joint_promotion.finder_years=1", "firms.exit_hazard=0"}),
      12);
  later.state.firms.finder[found] = 3;
  later.state.firms.entry_step[found] = 0;
  firm_decisions(later.view(), later.state.gov.promotion, later.state.firms, later.flows.firms);
  EXPECT_EQ(total(later.flows.firms.finder_tax.values()), 0);
}

// Joint promotion: projects see every zone, and one joint office (a committee with every zone in
// its remit, funded by land) decides the packages instead of the jurisdictions.
TEST(JointPromotion, ProjectsSeeEveryZoneAndOneOfficeDecides) {
  Prepared p(small_baseline({"joint_promotion.start_month=0", "government.zones_known=0.1"}));
  EXPECT_EQ(zones_known(p.view()), 1.0);
  firm_decisions(p.view(), p.state.gov.promotion, p.state.firms, p.flows.firms);
  government(p.view(), p.flows.firms, p.flows.entries, p.state.gov, p.flows.government);
  const PackagesInForce& office = p.state.gov.promotion.pending;
  ASSERT_EQ(office.promoters(), 1u);
  EXPECT_EQ(office.committee[0], 1);
  for (std::size_t z = 0; z < p.state.tables.Z; ++z)
    EXPECT_EQ(office.setter[z], 1.0);
  // No poaching subsidies (subsidise_relocations = false): nothing for moves within the region.
  for (std::size_t k = 0; k < p.state.tables.S; ++k)
    EXPECT_EQ(office.packages.at(0, k, OfferTarget::kWithin), OfferPackage{});
  Prepared before(small_baseline({"joint_promotion.start_month=5", "government.zones_known=0.1"}));
  EXPECT_EQ(zones_known(before.view()), 0.1);
}

TEST(JointPromotion, EveryProjectGetsAFinderDrawnByLand) {
  Prepared p(small_baseline(
      {"run.scale=0.1", "joint_promotion.start_month=0", "firms.project_rate=0.05"}));
  const std::size_t before = p.state.firms.size();
  entries_and_exits(p.view(), LabourFlows(p.state.tables), p.state.talent, p.state.firms,
                    p.state.ids, p.flows.entries);
  std::vector<int> found(4, 0);
  for (std::size_t i = 0; i < p.state.firms.size(); ++i) {
    if (p.state.firms.entry_step[i] != 0) continue;
    ASSERT_NE(p.state.firms.finder[i], kNoJurisdiction);
    ++found[p.state.firms.finder[i]];
  }
  EXPECT_GT(p.state.firms.size(), before + 100);
  // CDHT owns 3 of the 5 zones' land (1 + 0.5 + 0.5 + 1): it finds the most leads.
  EXPECT_GT(found[1], found[0]);
  EXPECT_GT(found[1], found[2]);
}

// Steering keeps the region's inclusive value and the first uniform decides region vs outside:
// with the same draws, a stronger fit boost moves projects between zones but never changes how
// many settle in the region.
TEST(JointPromotion, SteeringMovesProjectsBetweenZonesNotIntoTheRegion) {
  auto settled = [](const std::string& boost) {
    Prepared p(small_baseline({"run.scale=0.1", "joint_promotion.start_month=0",
                               "firms.project_rate=0.05", "joint_promotion.fit_boost=" + boost}));
    entries_and_exits(p.view(), LabourFlows(p.state.tables), p.state.talent, p.state.firms,
                      p.state.ids, p.flows.entries);
    std::vector<std::int64_t> by_zone(p.state.tables.Z, 0);
    for (std::size_t z = 0; z < p.state.tables.Z; ++z)
      for (std::size_t s = 0; s < p.state.tables.S; ++s)
        by_zone[z] += p.flows.entries.entries(z, s);
    return by_zone;
  };
  const auto flat = settled("1");
  const auto steered = settled("10");
  EXPECT_EQ(std::accumulate(flat.begin(), flat.end(), std::int64_t{0}),
            std::accumulate(steered.begin(), steered.end(), std::int64_t{0}));
  EXPECT_NE(flat, steered);
}

// The nested choice (lambda < 1) makes the zones closer substitutes than the flat logit: with
// every zone known, fewer projects settle in the region than under lambda = 1 (same draws).
TEST(NestedChoice, SmallerLambdaLowersTheRegionsPullWhenEveryZoneIsKnown) {
  auto region = [](const std::string& lambda) {
    Prepared p(small_baseline({"run.scale=0.1", "government.zones_known=1",
                               "firms.project_rate=0.05", "firms.nest_lambda=" + lambda}));
    entries_and_exits(p.view(), LabourFlows(p.state.tables), p.state.talent, p.state.firms,
                      p.state.ids, p.flows.entries);
    std::int64_t n = 0;
    for (std::size_t z = 0; z < p.state.tables.Z; ++z)
      for (std::size_t s = 0; s < p.state.tables.S; ++s)
        n += p.flows.entries.entries(z, s);
    return n;
  };
  EXPECT_LT(region("0.3"), region("1"));
}

TEST(CoreTraction, RaisesTheTransferOddsOfTheCoresInnovations) {
  ZoneSector<double> cells;
  Prepared off(small_baseline());
  Prepared on(small_baseline({"core_traction.start_month=0"}));
  const double p_off = transfer_odds(off.view(), 0, 0, cells);
  const double p_on = transfer_odds(on.view(), 0, 0, cells);
  EXPECT_GT(p_on, p_off * 1.5);  // boost 0.5 plus the travel relief
  // Institutes outside the core are unaffected.
  EXPECT_EQ(transfer_odds(off.view(), 2, 1, cells), transfer_odds(on.view(), 2, 1, cells));
}

TEST(ParkCity, InvestmentRaisesAmenityAndIsPaidByTheOwners) {
  Prepared p(small_baseline({"park_city.start_month=0", "park_city.spending={ lsiz = 6.0 }",
                             "park_city.cost_per_point=60", "park_city.depreciation=0"}));
  const double before = p.state.fields.amenity(2);
  invest_in_amenities(inputs_of(p.state), p.state.fields, p.flows.government);
  EXPECT_NEAR(p.state.fields.amenity(2), before + 0.1, 1e-12);
  const Money spend = to_money(6.0 * p.state.scenario.run.scale);
  EXPECT_EQ(p.flows.government.amenity_spending_j,
            (std::vector<Money>{0, spend / 2, spend - spend / 2, 0}));
}

// docs/model.md §12: built amenity B_t = (1 - δ) B_{t-1} + s / c each month, amenity =
// min(max, base + B). With constant spending from B_0 = 0, B_N = (s/c) (1 - (1-δ)^N) / δ; with no
// spending, B_N = B_0 (1-δ)^N.
TEST(ParkCity, AmenityDepreciatesGeometrically) {
  const double delta = 0.05, points = 6.0 / 60;
  Prepared p(small_baseline({"park_city.start_month=0", "park_city.spending={ lsiz = 6.0 }",
                             "park_city.cost_per_point=60", "park_city.depreciation=0.05"}));
  const double base = p.state.fields.amenity(2) - p.state.fields.amenity_built(2);
  p.state.fields.amenity_built(1) = 2.0;  // ngit: no spending, only decay
  const int months = 24;
  for (int t = 0; t < months; ++t)
    invest_in_amenities(inputs_of(p.state), p.state.fields, p.flows.government);
  const double built = points * (1 - std::pow(1 - delta, months)) / delta;
  EXPECT_NEAR(p.state.fields.amenity_built(2), built, 1e-12);
  EXPECT_NEAR(p.state.fields.amenity(2),
              std::min(p.state.scenario.park_city.max_amenity, base + built), 1e-12);
  EXPECT_NEAR(p.state.fields.amenity_built(1), 2.0 * std::pow(1 - delta, months), 1e-12);
}

TEST(Cadence, ReviewsFollowTheNewPeriodFromItsStart) {
  auto reviews = [](std::vector<std::string> overrides) {
    overrides.push_back("run.steps=24");
    Scenario scenario = small_baseline(overrides);
    ModelState s(scenario);
    initialise(s);
    int count = 0;
    for (int t = 0; t < 24; ++t) {
      const auto last = s.gov.last_review;
      StepFlows f;
      simulate_month(s, f);
      count += s.gov.last_review != last;
      ++s.month;
    }
    return count;
  };
  EXPECT_EQ(reviews({}), 4);  // months 5, 11, 17, 23
  EXPECT_EQ(reviews({"cadence.start_month=12", "cadence.decision_period=1"}),
            2 + 12);  // then monthly
}

TEST(Assessment, ScoresWeighTheScienceCityFromTheStartMonth) {
  // With own weights zero, every jurisdiction gets the same (region-wide) score.
  Simulation sim(
      small_baseline({"assessment.start_month=0", "assessment.own_gdp=0", "assessment.own_tax=0",
                      "assessment.region_gdp=1", "assessment.region_tax=0"}));
  StepOutputs out;
  for (int t = 0; t < 18; ++t)
    out = sim.step();
  for (double score : out.score)
    EXPECT_EQ(score, out.score[0]);
  EXPECT_NE(out.score[0], 0.0);
}

// Run level: each lever moves the variables it acts on, with accounting checked every month.
struct LeverRun {
  std::vector<StepOutputs> months;
  explicit LeverRun(std::vector<std::string> overrides) {
    overrides.push_back("run.scale=0.02");
    overrides.push_back("run.steps=36");
    Simulation sim(small_baseline(overrides), /*check=*/true);
    for (int t = 0; t < 36; ++t)
      months.push_back(sim.step());
  }
  template <typename Get>
  double sum(Get get, int from = 12) const {
    double total = 0;
    for (std::size_t t = static_cast<std::size_t>(from); t < months.size(); ++t)
      total += get(months[t]);
    return total;
  }
};

double jurisdiction(const std::vector<std::int64_t>& v, std::size_t j) {
  return static_cast<double>(v[j]);
}

TEST(LeversInARun, EachMovesWhatItActsOnAndKeepsAccountingExact) {
  const LeverRun base({});
  const auto tax_j3 = [](const StepOutputs& o) { return jurisdiction(o.tax_attributed, 3); };
  const auto gdp_j3 = [](const StepOutputs& o) { return jurisdiction(o.gdp_attributed, 3); };
  EXPECT_NE(LeverRun({"tax_sharing.start_month=12"}).sum(tax_j3), base.sum(tax_j3));
  EXPECT_NE(LeverRun({"statistics_sharing.start_month=12"}).sum(gdp_j3), base.sum(gdp_j3));

  // Joint promotion: the office offers nothing for moves within the region once in force.
  const auto within_offers = [](const StepOutputs& o) {
    double n = 0;
    for (std::size_t i = 1; i < o.offer_refund_scale.size(); i += kTargets)
      n += o.offer_settlement[i] + o.offer_refund_scale[i] + o.offer_rent_discount[i];
    return n;
  };
  const LeverRun joint({"joint_promotion.start_month=12"});
  EXPECT_EQ(joint.sum(within_offers, 14), 0.0);

  const auto transfers = [](const StepOutputs& o) {
    double n = 0;
    for (std::size_t to = 1; to < o.zones; ++to)
      n += static_cast<double>(o.transfers[to]);  // from the core
    return n;
  };
  EXPECT_GT(
      LeverRun({"core_traction.start_month=12", "core_traction.platform_boost=2"}).sum(transfers),
      base.sum(transfers));

  const auto amenity = [](const StepOutputs& o) { return o.amenity[3]; };
  const LeverRun park({"park_city.start_month=12", "park_city.spending={ fstc = 20 }"});
  EXPECT_GT(park.sum(amenity), base.sum(amenity));
  EXPECT_GT(park.sum([](const StepOutputs& o) { return jurisdiction(o.amenity_spending, 3); }), 0);

  const auto score_changes = [](const LeverRun& run) {
    int changes = 0;
    for (std::size_t t = 1; t < run.months.size(); ++t)
      changes += run.months[t].score != run.months[t - 1].score;
    return changes;
  };
  EXPECT_GT(score_changes(LeverRun({"cadence.start_month=12", "cadence.decision_period=1"})),
            score_changes(base));
  const auto score0 = [](const StepOutputs& o) { return o.score[0]; };
  EXPECT_NE(LeverRun({"assessment.start_month=12", "assessment.own_gdp=0", "assessment.own_tax=0",
                      "assessment.region_gdp=1"})
                .sum(score0),
            base.sum(score0));
}

TEST(LeversInARun, NothingChangesBeforeTheStartMonth) {
  const LeverRun base({});
  const LeverRun reform({"tax_sharing.start_month=20", "statistics_sharing.start_month=20",
                         "joint_promotion.start_month=20", "assessment.start_month=20",
                         "core_traction.start_month=20", "park_city.start_month=20",
                         "park_city.spending={ core = 5 }", "cadence.start_month=20"});
  for (std::size_t t = 0; t < 20; ++t) {
    EXPECT_EQ(base.months[t].firms, reform.months[t].firms) << t;
    EXPECT_EQ(base.months[t].tax_attributed, reform.months[t].tax_attributed) << t;
    EXPECT_EQ(base.months[t].budget, reform.months[t].budget) << t;
  }
  EXPECT_NE(base.months[35].budget, reform.months[35].budget);
}

}  // namespace
}  // namespace regionsim
