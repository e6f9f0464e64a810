// The strategic decision rule alone (docs/model.md §14): a symmetric two-jurisdiction contest with
// a closed-form best response, the tournament's double count, comparative statics of the rules in
// force, committees, the fair-competition review, budgets, determinism and cost.
#include "strategic_government.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace regionsim {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// Lambert W (principal branch) for z > 0 by Newton's method: w e^w = z.
double lambert_w(double z) {
  double w = std::log1p(z);
  for (int i = 0; i < 100; ++i)
    w -= (w * std::exp(w) - z) / (std::exp(w) * (1 + w));
  return w;
}

// Two zones, each owned by one jurisdiction; projects only; settlement subsidy only; value of a
// settled project to its zone's owner V = horizon x tax (own tax weight 1, no discounting).
struct Contest {
  double a = 0.0, u0 = 0.5, beta = 1.5, tax = 0.1, rate = 10;
  std::int64_t horizon = 36;
  double value() const { return static_cast<double>(horizon) * tax; }
  DecisionInputs inputs() const {
    DecisionInputs in;
    in.Z = 2, in.S = 1, in.J = 2, in.C = 1;
    in.ownership = {1, 0, 0, 1};
    in.gdp_credit = in.tax_credit = {1, 0, 0, 1};
    in.zone_gdp = {10, 10};
    in.zone_tax = {1, 1};
    in.available_funds = {1e9, 1e9};
    in.project_rate = {rate};
    in.project_class_share = {1};
    in.project_utility = {a, a};
    in.outside_utility = {u0};
    in.zone_known = {1, 1};
    in.nest_lambda = 1.0;
    in.firms = {0, 0};
    in.review_rate = {0, 0};
    in.move_utility = {0, -2, -2, 0};
    in.gdp_per_firm = {1, 1};
    in.tax_per_firm = {tax, tax};
    in.rent_per_firm = {0, 0};
    in.beta_offer = beta;
    in.terms.settlement_max = 5;
    in.terms.refund_scale_max = 0;
    in.terms.rent_discount_max = 0;
    in.firm_discount_rate = in.government_discount_rate = 0;
    in.monthly_stay = 1;
    in.horizon_months = horizon;
    in.beyond_horizon_weight = 1;
    in.weights = {0, 1, 0, 0, 0};
    return in;
  }
  // Logit best response to the rival's offer v2: max_v P(v) (V - v) with
  // P = e^{a+βv} / (e^{u0} + e^{a+βv2} + e^{a+βv}) gives V - v = (1 + W(e^{a+βV-1}/E)) / β,
  // E = e^{u0} + e^{a+βv2}.
  double best_response(double v2) const {
    const double e = std::exp(u0) + std::exp(a + beta * v2);
    return value() - (1 + lambert_w(std::exp(a + beta * value() - 1) / e)) / beta;
  }
};

SolverSettings precise() {
  SolverSettings st;
  st.tolerance = 1e-9;
  st.max_iterations = 200;
  return st;
}

TEST(StrategicGovernment, BestResponseMatchesTheClosedForm) {
  const Contest k;
  DecisionInputs in = k.inputs();
  in.available_funds = {1e9, 0};  // the rival cannot offer anything
  const Decision d = decide(in, precise());
  ASSERT_EQ(d.promoters.size(), 2u);
  EXPECT_EQ(d.packages.at(1, 0, OfferTarget::kOutside).settlement, 0.0);
  EXPECT_NEAR(d.packages.at(0, 0, OfferTarget::kOutside).settlement, k.best_response(0.0), 1e-6);
}

TEST(StrategicGovernment, SymmetricContestReachesTheClosedFormEquilibrium) {
  const Contest k;
  // The symmetric equilibrium v* = BR(v*), by bisection on v - BR(v) (increasing in v).
  double lo = 0, hi = k.value();
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (mid - k.best_response(mid) < 0 ? lo : hi) = mid;
  }
  const double v_star = 0.5 * (lo + hi);
  ASSERT_GT(v_star, 0.5);
  ASSERT_LT(v_star, 5.0);
  const Decision d = decide(k.inputs(), precise());
  EXPECT_TRUE(d.converged);
  const double v1 = d.packages.at(0, 0, OfferTarget::kOutside).settlement;
  const double v2 = d.packages.at(1, 0, OfferTarget::kOutside).settlement;
  EXPECT_EQ(v1, v2);  // simultaneous updates keep a symmetric contest exactly symmetric
  EXPECT_NEAR(v1, v_star, 1e-6);
  // Logit offers are strategic complements (the best response rises with the rival's offer), so
  // the contest's offer exceeds the best response to a passive rival.
  EXPECT_GT(v1, k.best_response(0.0));
}

TEST(StrategicGovernment, ExpectedMovesAreTheLogitProbabilities) {
  const Contest k;
  DecisionInputs in = k.inputs();
  in.firms = {100, 0};
  in.review_rate = {0.05, 0};
  const std::vector<Promoter> prom = promoters(in);
  InstrumentTable table(2, 1);
  table.at(1, 0, OfferTarget::kWithin).settlement = 0.8;
  const ExpectedFlows f = expected_flows(in, prom, table);
  // From zone 0: stay utility 0, move -2 + β·0.8.
  const double p = std::exp(-2 + 1.5 * 0.8) / (1 + std::exp(-2 + 1.5 * 0.8));
  EXPECT_NEAR(f.moves[(0 * 2 + 1) * 1 + 0], 100 * 0.05 * p, 1e-12);
  EXPECT_EQ(f.moves[(1 * 2 + 0) * 1 + 0], 0.0);
  EXPECT_NEAR(f.commitments[1 * kInstruments + 0], 100 * 0.05 * p * 0.8, 1e-12);
}

TEST(StrategicGovernment, TournamentCountsAPoachedFirmTwice) {
  Contest k;
  DecisionInputs in = k.inputs();
  in.weights = {0, 0, 0, 0, 1.0};  // tournament only
  const std::vector<Promoter> p = promoters(in);
  // Own tax base T = 1, GDP bases Y = 10: moving y = 1 from zone 1 to zone 0 raises jurisdiction
  // 0's growth by 1/10 and lowers its rival's by 1/10: relative performance gains 2/10, x T.
  const double y = 1.0;
  const double move_value = y * (p[0].gdp_value[0] - p[0].gdp_value[1]);
  EXPECT_NEAR(move_value, 1.0 * (1.0 / 10 + 1.0 / 10), 1e-15);
  // A new project from outside counts once.
  EXPECT_NEAR(y * p[0].gdp_value[0], 1.0 / 10, 1e-15);
  // On the science city's total instead, a move between its zones is worth nothing.
  in.weights = {0, 0, 1.0, 0, 0};
  const std::vector<Promoter> q = promoters(in);
  EXPECT_NEAR(y * (q[0].gdp_value[0] - q[0].gdp_value[1]), 0.0, 1e-15);
}

// Five zones in four jurisdictions as in the default region (two co-built), two sectors, two size
// classes, firms that relocate and projects that search.
DecisionInputs region() {
  DecisionInputs in;
  const std::size_t Z = 5, S = 2, J = 4, C = 2;
  in.Z = Z, in.S = S, in.J = J, in.C = C;
  in.ownership = {1, 0, 0, 0, 0, 1, 0, 0, 0, .5, .5, 0, 0, .5, 0, .5, 0, 1, 0, 0};
  in.gdp_credit.assign(J * Z, 0.0);
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t j = 0; j < J; ++j)
      in.gdp_credit[j * Z + z] = in.ownership[z * J + j];
  in.tax_credit = in.gdp_credit;
  in.project_rate = {70, 50};
  in.project_class_share = {0.8, 0.2, 0.7, 0.3};
  in.project_utility = {0.1, -0.2, 0.0, 0.3, -0.5, 0.4, 0.2, -0.1, 0.1, 0.0};
  in.outside_utility = {0.0, 0.0};
  in.zone_known = {0.5, 0.5, 0.5, 0.5, 0.5};
  in.nest_lambda = 0.7;
  const double travel[5][5] = {{0, 25, 30, 45, 40},
                               {25, 0, 30, 50, 35},
                               {30, 30, 0, 60, 45},
                               {45, 50, 60, 0, 70},
                               {40, 35, 45, 70, 0}};
  in.move_utility.resize(Z * Z * S);
  for (std::size_t a = 0; a < Z; ++a)
    for (std::size_t b = 0; b < Z; ++b)
      for (std::size_t s = 0; s < S; ++s)
        in.move_utility[(a * Z + b) * S + s] = a == b ? 0.0 : -3.0 - 0.02 * travel[a][b];
  in.firms.resize(Z * S * C);
  in.review_rate.assign(Z * S * C, 0.004);  // about 5 % of firms review their zone in a year
  in.gdp_per_firm.resize(Z * S * C);
  in.tax_per_firm.resize(Z * S * C);
  in.rent_per_firm.resize(Z * S * C);
  in.zone_gdp.assign(Z, 0.0);
  in.zone_tax.assign(Z, 0.0);
  const double size[5] = {0.6, 1.0, 0.45, 0.3, 0.6};  // zones relative to nevz
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t s = 0; s < S; ++s)
      for (std::size_t c = 0; c < C; ++c) {
        const std::size_t i = (z * S + s) * C + c;
        in.firms[i] = size[z] * (c == 0 ? 3000 : 500);
        in.gdp_per_firm[i] = c == 0 ? 0.3 : 2.0;  // mCNY/month, small and large firms
        in.tax_per_firm[i] = 0.1 * in.gdp_per_firm[i];
        in.rent_per_firm[i] = c == 0 ? 0.02 : 0.15;
        in.zone_gdp[z] += in.firms[i] * in.gdp_per_firm[i];
        in.zone_tax[z] += in.firms[i] * in.tax_per_firm[i];
      }
  // Three years of the tax on each jurisdiction's land: budgets do not bind here (a separate test
  // shrinks them).
  for (std::size_t j = 0; j < J; ++j) {
    double tax = 0;
    for (std::size_t z = 0; z < Z; ++z)
      tax += in.ownership[z * J + j] * in.zone_tax[z];
    in.available_funds.push_back(36 * tax);
  }
  in.beta_offer = 1.0;
  in.monthly_stay = 0.995;
  return in;
}

double within_total(const Decision& d, const DecisionInputs& in) {
  double sum = 0;
  for (std::size_t p = 0; p < d.promoters.size(); ++p)
    for (std::size_t s = 0; s < in.S; ++s)
      sum += d.levels[(p * in.S + s) * kTargets + 1];
  return sum;
}
double outside_total(const Decision& d, const DecisionInputs& in) {
  double sum = 0;
  for (std::size_t p = 0; p < d.promoters.size(); ++p)
    for (std::size_t s = 0; s < in.S; ++s)
      sum += d.levels[(p * in.S + s) * kTargets + 0];
  return sum;
}

TEST(StrategicGovernment, BaselineCourtsTheNeighboursFirms) {
  const DecisionInputs in = region();
  const Decision d = decide(in);
  // The tournament makes the large jurisdiction's best response to projects jump between two
  // peaks, so the projects' games have no pure equilibrium here; the damped iteration settles.
  EXPECT_LT(d.iterations, SolverSettings{}.max_iterations);
  EXPECT_GT(within_total(d, in), 0.1);
  EXPECT_GT(outside_total(d, in), 0.1);
  // Offers raise the moves out of every origin (a pair may lose moves to a better offer).
  for (std::size_t z = 0; z < in.Z; ++z)
    for (std::size_t s = 0; s < in.S; ++s) {
      double with = 0, without = 0;
      for (std::size_t to = 0; to < in.Z; ++to) {
        with += d.flows.moves[(z * in.Z + to) * in.S + s];
        without += d.moves_without_offers[(z * in.Z + to) * in.S + s];
      }
      EXPECT_GT(with, without) << "from zone " << z << ", sector " << s;
    }
}

TEST(StrategicGovernment, FullTaxPoolingLowersOffersToFirmsWithinTheRegion) {
  const DecisionInputs base = region();
  DecisionInputs pooled = base;
  pooled.tax_credit.assign(base.J * base.Z, 1.0 / static_cast<double>(base.J));
  const Decision d0 = decide(base), d1 = decide(pooled);
  EXPECT_LT(within_total(d1, pooled), 0.8 * within_total(d0, base));
  for (std::size_t i = 0; i < d0.levels.size(); i += kTargets)
    EXPECT_LE(d1.levels[i + 1], d0.levels[i + 1] + 1e-3) << "promoter x sector " << i / kTargets;
  EXPECT_GT(outside_total(d1, pooled), 0.1);  // projects from outside still pay
}

TEST(StrategicGovernment, StatisticsSharingAndOriginSplitsLowerPoachingOffers) {
  const DecisionInputs base = region();
  const double before = within_total(decide(base), base);
  DecisionInputs stats = base;  // GDP pooled in full and split equally
  stats.gdp_credit.assign(base.J * base.Z, 1.0 / static_cast<double>(base.J));
  EXPECT_LT(within_total(decide(stats), stats), before);
  DecisionInputs origin = base;  // a mover's tax and GDP stay half with its origin for 3 years
  origin.tax_origin_share = origin.gdp_origin_share = 0.5;
  origin.tax_origin_months = origin.gdp_origin_months = 36;
  EXPECT_LT(within_total(decide(origin), origin), before);
}

TEST(StrategicGovernment, IntegratedAssessmentOnTheWholeCityEndsPoaching) {
  DecisionInputs in = region();
  in.weights = {0, 0, 0.5, 0.5, 0};
  const Decision d = decide(in);
  EXPECT_EQ(within_total(d, in), 0.0);   // a firm moved between zones adds nothing to the city
  EXPECT_GT(outside_total(d, in), 0.0);  // one that comes from outside does
}

TEST(StrategicGovernment, OffersForOutsideProjectsVanishWhenProjectsDoNotPay) {
  DecisionInputs in = region();
  std::fill(in.gdp_per_firm.begin(), in.gdp_per_firm.end(), 0.0);
  std::fill(in.tax_per_firm.begin(), in.tax_per_firm.end(), 0.0);
  in.weights.tournament = 0;
  const Decision d = decide(in);
  EXPECT_EQ(outside_total(d, in), 0.0);
  EXPECT_EQ(within_total(d, in), 0.0);
}

TEST(StrategicGovernment, TournamentRaisesPoachingOffers) {
  DecisionInputs low = region(), high = region();
  low.weights.tournament = 0.0;
  high.weights.tournament = 0.5;
  EXPECT_GT(within_total(decide(high), high), within_total(decide(low), low));
}

TEST(StrategicGovernment, CommitteeForTheWholeCityStopsPoachingAndKeepsPromoting) {
  DecisionInputs in = region();
  Committee all;
  all.remit.assign(in.Z, 1);
  all.funding = {0.25, 0.25, 0.25, 0.25};
  all.available_funds = 2600;
  in.committees = {all};
  const Decision d = decide(in);
  ASSERT_EQ(d.promoters.size(), 1u);  // no jurisdiction sets any zone's instruments any more
  EXPECT_TRUE(d.promoters[0].committee);
  EXPECT_EQ(within_total(d, in), 0.0);
  EXPECT_GT(outside_total(d, in), 0.0);
}

TEST(StrategicGovernment, CommitteeForACoBuiltZoneTakesOverItsPromotion) {
  DecisionInputs in = region();
  Committee fstc;
  fstc.remit = {0, 0, 0, 1, 0};
  fstc.funding = {0, 0.5, 0, 0.5};
  fstc.available_funds = 100;
  in.committees = {fstc};
  const Decision d = decide(in);
  // Jurisdictions 0..2 still set zones; the Eastern New Area owned only fstc's half.
  ASSERT_EQ(d.promoters.size(), 4u);
  EXPECT_FALSE(d.promoters[2].committee);
  EXPECT_EQ(d.promoters[2].index, 2u);
  EXPECT_TRUE(d.promoters[3].committee);
  EXPECT_EQ(d.promoters[3].setter[3], 1.0);
  EXPECT_EQ(d.promoters[1].setter[3], 0.0);  // CDHT no longer sets fstc
}

TEST(StrategicGovernment, FairCompetitionLeavesOnlySettlementAndRentForOutsideProjects) {
  DecisionInputs in = region();
  in.fair_competition = true;
  const Decision d = decide(in);
  EXPECT_EQ(within_total(d, in), 0.0);
  for (std::size_t p = 0; p < d.promoters.size(); ++p)
    for (std::size_t s = 0; s < in.S; ++s)
      EXPECT_EQ(d.packages.at(p, s, OfferTarget::kOutside).refund_scale, 0.0);
  EXPECT_GT(outside_total(d, in), 0.1);
}

TEST(StrategicGovernment, JointPromotionOfficeWithoutPoachingOffersOnlyToOutsideProjects) {
  DecisionInputs in = region();
  Committee office;
  office.remit.assign(in.Z, 1);
  office.funding = {0.25, 0.25, 0.25, 0.25};
  office.objective = Committee::Objective::kOwners;
  office.available_funds = 5000;
  in.committees = {office};
  in.within_offers = false;
  const Decision d = decide(in);
  ASSERT_EQ(d.promoters.size(), 1u);
  EXPECT_EQ(within_total(d, in), 0.0);
  EXPECT_GT(outside_total(d, in), 0.0);
  for (std::size_t s = 0; s < in.S; ++s)  // one line for every zone: the office sets them all
    EXPECT_EQ(d.promoters[0].setter, std::vector<double>(in.Z, 1.0));
}

TEST(StrategicGovernment, CommitmentsStayWithinTheBudgetCap) {
  DecisionInputs in = region();
  in.available_funds = {2, 3, 1, 0};
  const Decision d = decide(in);
  for (std::size_t p = 0; p < d.promoters.size(); ++p) {
    double per_period = 0;
    for (std::size_t i = 0; i < kInstruments; ++i)
      per_period +=
          d.flows.commitments[p * kInstruments + i] * static_cast<double>(in.period_months);
    EXPECT_LE(per_period, in.spending_cap_share * in.available_funds[d.promoters[p].index] + 1e-9)
        << "promoter " << p;
  }
  const std::size_t eastern = 3;
  ASSERT_EQ(d.promoters[eastern].index, 3u);
  for (std::size_t s = 0; s < in.S; ++s)
    for (OfferTarget t : {OfferTarget::kOutside, OfferTarget::kWithin})
      EXPECT_EQ(d.packages.at(eastern, s, t), OfferPackage{});  // no funds, no offers
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

TEST(StrategicGovernment, DecisionsAreBitIdenticalAcrossRunsAndThreadCounts) {
  const DecisionInputs in = region();
  const Decision first = decide(in);
  for (int threads : {1, 2, 4}) {
    tbb::task_arena arena(threads);
    Decision d;
    arena.execute([&] { d = decide(in); });
    EXPECT_TRUE(same_bits(d.levels, first.levels)) << threads << " threads";
    EXPECT_TRUE(same_bits(d.flows.moves, first.flows.moves)) << threads << " threads";
    EXPECT_TRUE(same_bits(d.flows.commitments, first.flows.commitments)) << threads << " threads";
    EXPECT_TRUE(d.packages == first.packages);
  }
}

TEST(StrategicGovernment, WarmStartReachesTheSameEquilibriumFaster) {
  DecisionInputs in = region();
  in.weights.tournament = 0;
  in.tax_credit.assign(in.J * in.Z, 1.0 / static_cast<double>(in.J));
  const Decision cold = decide(in);
  ASSERT_TRUE(cold.converged);
  const Decision warm = decide(in, {}, cold.levels);
  EXPECT_LT(warm.iterations, cold.iterations);
  for (std::size_t i = 0; i < cold.levels.size(); ++i)
    EXPECT_NEAR(warm.levels[i], cold.levels[i], 1e-3);
}

TEST(StrategicGovernment, BadInputsAreRejectedWithTheFieldNamed) {
  DecisionInputs in = region();
  in.zone_known.pop_back();
  try {
    decide(in);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("zone_known"), std::string::npos);
  }
}

}  // namespace
}  // namespace regionsim
