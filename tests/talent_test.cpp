// Talent mechanisms at fixed prices: the zone choice reproduces the analytic logit shares, and
// departures follow their monthly hazards.
#include <gtest/gtest.h>

#include <cmath>

#include "phases.hpp"
#include "test_support.hpp"
#include "zone_utility.hpp"

namespace regionsim {
namespace {

using Prepared = testing::PreparedMonth;

TEST(TalentZoneChoice, MovesMatchAnalyticLogitShares) {
  Prepared p(testing::small_baseline({"run.scale=0.04", "talent.reconsider_seeking=1",
                                      "talent.reconsider_employed=1", "talent.leave_employed=0",
                                      "talent.leave_seeking=0", "firms.layoff_adjust=0"}));
  ModelState& s = p.state;
  const RegionTables& t = s.tables;
  const TalentParams& tp = s.scenario.talent;
  // Expected moves z -> c and their variance, from the softmax of the same utilities at the
  // prices in force (nothing else changes during the talent phase).
  Matrix expected = Matrix::Zero(t.Z, t.Z), variance = Matrix::Zero(t.Z, t.Z);
  for (std::size_t i = 0; i < s.talent.size(); ++i) {
    const std::size_t z = s.talent.zone[i];
    std::vector<double> v(t.Z);
    double total = 0;
    for (std::size_t c = 0; c < t.Z; ++c) {
      v[c] = std::exp(talent_zone_utility(p.view(), c, s.talent.skill[i], s.talent.sector[i]) -
                      (c != z ? tp.move_cost + tp.beta_travel * t.travel(z, c) : 0.0));
      total += v[c];
    }
    for (std::size_t c = 0; c < t.Z; ++c) {
      const double q = v[c] / total;
      expected(z, c) += q;
      variance(z, c) += q * (1 - q);
    }
  }
  talent_decisions(p.view(), s.firms, s.institutes, p.flows.roster, s.talent, p.flows.talent,
                   p.flows.separations);
  double moved = 0;
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t c = 0; c < t.Z; ++c) {
      if (c == z) continue;
      std::int64_t observed = 0;
      for (std::size_t k = 0; k < t.K; ++k)
        observed += p.flows.talent.moves(z, c, k);
      moved += static_cast<double>(observed);
      EXPECT_NEAR(static_cast<double>(observed), expected(z, c), 5 * std::sqrt(variance(z, c)) + 1)
          << s.scenario.zones[z].name << " -> " << s.scenario.zones[c].name;
    }
  EXPECT_GT(moved, 100);  // the test has power: many moves happened
}

TEST(TalentDepartures, FollowTheirHazards) {
  Prepared p(testing::small_baseline({"run.scale=0.04", "talent.leave_employed=0.05",
                                      "talent.leave_seeking=0.2", "talent.reconsider_seeking=0",
                                      "talent.reconsider_employed=0"}));
  double expected = 0, variance = 0;
  for (std::size_t i = 0; i < p.state.talent.size(); ++i) {
    const double h = p.state.talent.employer[i] == kNoFirm ? 0.2 : 0.05;
    expected += h;
    variance += h * (1 - h);
  }
  ModelState& s = p.state;
  talent_decisions(p.view(), s.firms, s.institutes, p.flows.roster, s.talent, p.flows.talent,
                   p.flows.separations);
  std::int64_t observed = 0;
  for (auto d : p.flows.talent.departures)
    observed += d;
  EXPECT_NEAR(static_cast<double>(observed), expected, 5 * std::sqrt(variance));
}

TEST(TalentArrivals, MeanMatchesTheArrivalRateAtUnchangedAttractiveness) {
  // At month 0 attractiveness equals its reference, so arrivals ~ Poisson(rate * initial talent).
  double total = 0;
  const int months = 40;
  double expected = 0;
  for (int seed = 1; seed <= months; ++seed) {
    Prepared p(
        testing::small_baseline({"run.seed=" + std::to_string(seed), "talent.arrival_rate=0.01"}));
    // Each seed draws its own population (heavy-tailed firm sizes), so its own expectation.
    expected += 0.01 * static_cast<double>(p.state.calibration.initial_talent);
    entries_and_exits(p.view(), LabourFlows(p.state.tables), p.state.talent, p.state.firms,
                      p.state.ids, p.flows.entries);
    for (auto a : p.flows.entries.arrivals)
      total += static_cast<double>(a);
  }
  EXPECT_NEAR(total / months, expected / months, 5 * std::sqrt(expected) / months);
}

}  // namespace
}  // namespace regionsim
