// Firm mechanisms at fixed prices: exit and relocation hazards, the relocation logit against its
// analytic shares, production and tax.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "firm_size.hpp"
#include "phases.hpp"
#include "promotion_support.hpp"
#include "regionsim/simulation.hpp"
#include "test_support.hpp"
#include "zone_utility.hpp"

namespace regionsim {
namespace {

using Prepared = testing::PreparedMonth;

// Exits follow the size-dependent hazard: overall, and separately among firms above the
// reference size, where it falls as (L / L_ref)^-elasticity. Expected counts are sums of each
// firm's own probability; 5 standard deviations of the binomial sum. With the flat hazard the
// large firms' count would be several times the expected one (asserted below too).
TEST(FirmExit, FollowsTheSizeDependentHazard) {
  Prepared p(
      testing::small_baseline({"run.scale=0.5", "firms.exit_hazard=0.2",
                               "firms.exit_size_elasticity=0.5", "firms.loss_months_exit=1000"}));
  const FirmParams& fp = p.state.scenario.firms;
  std::vector<std::int32_t> size_before(p.state.firms.employees.begin(),
                                        p.state.firms.employees.end());
  firm_decisions(p.view(), p.state.gov.promotion, p.state.firms, p.flows.firms);
  double expected_all = 0, var_all = 0, expected_big = 0, var_big = 0, flat_big = 0;
  std::int64_t exits_all = 0, exits_big = 0;
  for (std::size_t i = 0; i < p.state.firms.size(); ++i) {
    const double h =
        exit_hazard_at(fp.exit_hazard, fp.exit_size_elasticity, fp.reference_size, size_before[i]);
    expected_all += h;
    var_all += h * (1 - h);
    exits_all += p.state.firms.exiting[i];
    if (size_before[i] > 2 * fp.reference_size) {
      expected_big += h;
      var_big += h * (1 - h);
      flat_big += fp.exit_hazard;
      exits_big += p.state.firms.exiting[i];
    }
  }
  std::int64_t counted = 0;
  for (auto e : p.flows.firms.exits)
    counted += e;
  EXPECT_EQ(counted, exits_all);
  EXPECT_NEAR(static_cast<double>(exits_all), expected_all, 5 * std::sqrt(var_all));
  ASSERT_GT(expected_big, 25.0);  // enough large firms for the test to have power
  EXPECT_NEAR(static_cast<double>(exits_big), expected_big, 5 * std::sqrt(var_big));
  EXPECT_LT(static_cast<double>(exits_big), flat_big - 5 * std::sqrt(flat_big));
}

TEST(FirmExit, HazardIsFlatUpToTheReferenceSizeAndFallsAsAPowerAbove) {
  EXPECT_EQ(exit_hazard_at(0.01, 0.5, 10, 1), 0.01);
  EXPECT_EQ(exit_hazard_at(0.01, 0.5, 10, 10), 0.01);
  EXPECT_NEAR(exit_hazard_at(0.01, 0.5, 10, 1000), 0.001, 1e-15);
  EXPECT_NEAR(exit_hazard_at(0.01, 0.5, 10, 40), 0.005, 1e-15);
  EXPECT_EQ(exit_hazard_at(0.01, 0.0, 10, 20000), 0.01);
}

// docs/model.md §5: a firm exits when its after-tax result Π − T has been negative for
// `loss_months_exit` consecutive months, with
//   Y = θ M L^α,  Π = Y − w̃ L − r L,  w̃ = Σ_k share_k w_{z,k},  T = vY + c max(0, Π − vY)
// (c times hte_cit_factor for a high-tech enterprise). With the hazard off, a firm one month short
// of the limit exits exactly when this month is a loss; one two months short never does.
TEST(FirmExit, AfterSustainedLossesExactly) {
  Prepared p(testing::small_baseline({"firms.exit_hazard=0", "firms.loss_months_exit=4"}));
  ModelState& s = p.state;
  const FirmParams& fp = s.scenario.firms;
  // Every initial firm is at its desired size, where profit per worker is the same for all firms
  // of a zone; spread the TFPs and raise rents to put a good part of the firms into loss.
  s.fields.rent *= 1.6;
  for (std::size_t i = 0; i < s.firms.size(); ++i)
    s.firms.tfp[i] *= 0.5 + static_cast<double>(i % 10) / 10.0;
  std::size_t should_exit = 0, losing = 0;
  std::vector<std::uint8_t> expected(s.firms.size());
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    const std::size_t z = s.firms.zone[i];
    const double labour = s.firms.employees[i];
    double going_wage = 0;
    for (std::size_t k = 0; k < s.tables.K; ++k)
      going_wage += s.scenario.skills[k].share * s.fields.wage(z, k);
    const double y = labour > 0 ? s.firms.tfp[i] * s.fields.multiplier(z, s.firms.sector[i]) *
                                      std::pow(labour, fp.alpha)
                                : 0.0;
    const double profit = y - going_wage * labour - s.fields.rent(z) * labour;
    const double cit = s.firms.hte[i] ? fp.cit_rate * fp.hte_cit_factor : fp.cit_rate;
    const double tax = fp.vat_rate * y + cit * std::max(0.0, profit - fp.vat_rate * y);
    const bool loss = profit - tax < 0;
    const bool near = i % 2 == 0;
    s.firms.loss_months[i] = near ? 3 : 2;
    expected[i] = near && loss;
    should_exit += expected[i];
    losing += loss;
  }
  ASSERT_GT(should_exit, 20U);
  ASSERT_LT(losing, s.firms.size());
  firm_decisions(p.view(), p.state.gov.promotion, s.firms, p.flows.firms);
  for (std::size_t i = 0; i < s.firms.size(); ++i)
    EXPECT_EQ(s.firms.exiting[i], expected[i]) << "firm " << i;
}

// The fair-competition review bans subsidies for moves within the region: firms still move, but
// none is paid a settlement subsidy (and the package leaves their choice).
TEST(FirmRelocation, FairCompetitionPaysNoSubsidyForMoves) {
  auto promised = [](const std::string& start) {
    Prepared p(testing::small_baseline(
        {"run.scale=0.1", "firms.relocation_consider=1", "fair_competition.start_month=" + start}));
    testing::install_packages(p.state, OfferPackage{}, OfferPackage{1.0, 0.0, 0.0});
    firm_decisions(p.view(), p.state.gov.promotion, p.state.firms, p.flows.firms);
    Money paid = 0;
    for (auto v : p.flows.firms.relocation_subsidies)
      paid += v;
    std::int64_t moves = 0;
    for (auto v : p.flows.firms.moves)
      moves += v;
    return std::pair{paid, moves};
  };
  const auto [paid_before, moves_before] = promised("-1");
  const auto [paid_after, moves_after] = promised("0");
  EXPECT_GT(paid_before, 0);
  EXPECT_EQ(paid_after, 0);
  EXPECT_GT(moves_after, 0);
}

TEST(FirmRelocation, MovesMatchAnalyticLogitShares) {
  Prepared p(testing::small_baseline({"run.scale=0.1", "firms.relocation_consider=1",
                                      "firms.exit_hazard=0", "firms.reloc_move_cost=1"}));
  ModelState& s = p.state;
  const RegionTables& t = s.tables;
  const FirmParams& fp = s.scenario.firms;
  Matrix expected = Matrix::Zero(t.Z, t.Z), variance = Matrix::Zero(t.Z, t.Z);
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    const std::size_t z = s.firms.zone[i];
    std::vector<double> v(t.Z);
    double total = 0;
    for (std::size_t c = 0; c < t.Z; ++c) {
      const bool full = c != z && s.fields.floor_occupancy(c) >= 1.0;
      v[c] = full ? 0.0
                  : std::exp(firm_zone_utility(p.view(), c, s.firms.sector[i]) -
                             (c != z ? fp.reloc_move_cost + fp.reloc_beta_travel * t.travel(z, c)
                                     : 0.0));
      total += v[c];
    }
    // docs/model.md §5: one paper alternative per zone other than the registration zone (here
    // the activity zone), worth the staying utility minus C_p (no packages installed).
    total += static_cast<double>(t.Z - 1) * v[z] * std::exp(-fp.paper_move_cost);
    for (std::size_t c = 0; c < t.Z; ++c) {
      expected(z, c) += v[c] / total;
      variance(z, c) += v[c] / total * (1 - v[c] / total);
    }
  }
  firm_decisions(p.view(), s.gov.promotion, s.firms, p.flows.firms);
  std::int64_t moved = 0;
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t c = 0; c < t.Z; ++c) {
      if (c == z) continue;
      std::int64_t observed = 0;
      for (std::size_t k = 0; k < t.S; ++k)
        observed += p.flows.firms.moves(z, c, k);
      moved += observed;
      EXPECT_NEAR(static_cast<double>(observed), expected(z, c), 5 * std::sqrt(variance(z, c)) + 1)
          << s.scenario.zones[z].name << " -> " << s.scenario.zones[c].name;
    }
  EXPECT_GT(moved, 100);
}

// Paper relocations (docs/model.md §5) against their logit shares written out: with no package,
// P(paper to c) = exp(U_z - C_p) / (sum_c' exp(U_c' - costs) + (Z - 1) exp(U_z - C_p)) for
// every c other than the firm's zone. The activity stays, the registration moves.
TEST(FirmRelocation, PaperMovesMatchAnalyticLogitSharesAndMoveOnlyTheRegistration) {
  Prepared p(testing::small_baseline({"run.scale=0.1", "firms.relocation_consider=1",
                                      "firms.exit_hazard=0", "firms.paper_move_cost=2"}));
  ModelState& s = p.state;
  const RegionTables& t = s.tables;
  const FirmParams& fp = s.scenario.firms;
  std::vector<double> expected(t.Z, 0.0), variance(t.Z, 0.0);
  const std::vector<ZoneIndex> zone_before = s.firms.zone;
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    const std::size_t z = s.firms.zone[i];
    ASSERT_EQ(s.firms.reg_zone[i], z);
    const double stay = std::exp(firm_zone_utility(p.view(), z, s.firms.sector[i]));
    double total = static_cast<double>(t.Z - 1) * stay * std::exp(-fp.paper_move_cost);
    for (std::size_t c = 0; c < t.Z; ++c) {
      const bool full = c != z && s.fields.floor_occupancy(c) >= 1.0;
      if (full) continue;
      total += std::exp(firm_zone_utility(p.view(), c, s.firms.sector[i]) -
                        (c != z ? fp.reloc_move_cost + fp.reloc_beta_travel * t.travel(z, c) : 0));
    }
    const double paper = stay * std::exp(-fp.paper_move_cost) / total;
    for (std::size_t c = 0; c < t.Z; ++c)
      if (c != z) {
        expected[c] += paper;
        variance[c] += paper * (1 - paper);
      }
  }
  firm_decisions(p.view(), s.gov.promotion, s.firms, p.flows.firms);
  std::int64_t paper_moves = 0;
  for (std::size_t c = 0; c < t.Z; ++c) {
    const auto observed = p.flows.firms.paper_moves(c);
    paper_moves += observed;
    EXPECT_NEAR(static_cast<double>(observed), expected[c], 5 * std::sqrt(variance[c]) + 1)
        << s.scenario.zones[c].name;
  }
  EXPECT_GT(paper_moves, 50);
  // Each paper mover kept its activity zone and changed its registration; the others moved
  // both or neither.
  std::int64_t registered_elsewhere = 0;
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    if (s.firms.reg_zone[i] == s.firms.zone[i]) continue;
    ++registered_elsewhere;
    EXPECT_EQ(s.firms.zone[i], zone_before[i]);
    EXPECT_EQ(s.firms.origin_zone[i], zone_before[i]);
    EXPECT_EQ(s.firms.moved_step[i], s.month);
  }
  EXPECT_EQ(registered_elsewhere, paper_moves);
}

// A firm registered elsewhere pays tax where it is registered (tax_attributed) while its output
// and the tax it generates stay with its activity zone (tax_collected).
TEST(FirmRelocation, PaperMoversAreCreditedWhereRegistered) {
  Prepared p(testing::small_baseline({"firms.exit_hazard=0", "firms.relocation_consider=0"}));
  ModelState& s = p.state;
  const RegionTables& t = s.tables;
  for (std::size_t i = 0; i < s.firms.size(); i += 3)  // every third firm registered next door
    s.firms.reg_zone[i] = static_cast<ZoneIndex>((s.firms.zone[i] + 1) % t.Z);
  // Computed before the month's decisions (certification may change a firm's CIT rate).
  std::vector<Money> credited(t.Z, 0), collected(t.Z, 0);
  const FirmParams& fp = s.scenario.firms;
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    const std::size_t z = s.firms.zone[i], k = s.firms.sector[i];
    double going_wage = 0;
    for (std::size_t skill = 0; skill < t.K; ++skill)
      going_wage += t.skill_share(skill) * s.fields.wage(z, skill);
    const double labour = s.firms.employees[i];
    const double y =
        labour > 0 ? s.firms.tfp[i] * s.fields.multiplier(z, k) * std::pow(labour, fp.alpha) : 0.0;
    const double profit = y - labour * going_wage - s.fields.rent(z) * labour;
    const double cit = s.firms.hte[i] ? fp.cit_rate * fp.hte_cit_factor : fp.cit_rate;
    const Money tax = to_money(fp.vat_rate * y + cit * std::max(0.0, profit - fp.vat_rate * y));
    collected[z] += tax;
    credited[s.firms.reg_zone[i]] += tax;
  }
  firm_decisions(p.view(), s.gov.promotion, s.firms, p.flows.firms);
  EXPECT_EQ(p.flows.firms.tax.values(), collected);
  EXPECT_EQ(p.flows.firms.credit_tax.values(), credited);
  EXPECT_NE(credited, collected);
}

// The fair-competition review leaves no within-region package, so no paper move is induced.
TEST(FirmRelocation, FairCompetitionInducesNoPaperMoves) {
  auto induced = [](const std::string& start) {
    Prepared p(testing::small_baseline(
        {"run.scale=0.1", "firms.relocation_consider=1", "fair_competition.start_month=" + start}));
    testing::install_packages(p.state, OfferPackage{}, OfferPackage{1.0, 1.0, 0.0});
    firm_decisions(p.view(), p.state.gov.promotion, p.state.firms, p.flows.firms);
    std::int64_t nano = 0;
    for (auto v : p.flows.firms.paper_induced_nano)
      nano += v;
    return nano;
  };
  EXPECT_GT(induced("-1"), 0);
  EXPECT_EQ(induced("0"), 0);
}

// relocations_induced against docs/model.md §14.6 on a month with a known within-region package:
// per reviewing firm in zone z, P(c | package) - P(c | none) with the flat relocation logit of
// §8, the package worth PV = S + δ R Σ_{m<12·rent_years} x^m to the firm (§14.1, x =
// (1+i)^(-1/12) φ, φ = 1 - exit hazard), written out here. The base utilities are the location
// utility of §8 (not what is tested); the package's value and the induced count are.
TEST(FirmRelocation, InducedMovesMatchTheirClosedForm) {
  Prepared p(testing::small_baseline({"run.scale=0.1", "firms.relocation_consider=1",
                                      "firms.exit_hazard=0", "instruments.firm_discount_rate=0.1",
                                      "instruments.rent_years=3"}));
  ModelState& s = p.state;
  const RegionTables& t = s.tables;
  const FirmParams& fp = s.scenario.firms;
  const double settlement = 0.2, rent_discount = 0.5, rent = 0.01;
  testing::install_packages(s, std::vector<OfferPackage>(t.J, OfferPackage{}),
                            std::vector<OfferPackage>(t.J, {settlement, 0.0, rent_discount}), 0.05,
                            rent);
  const double x = std::pow(1.1, -1.0 / 12.0) * 1.0;  // φ = 1 - exit hazard (0)
  const double pv = settlement + rent_discount * rent * (1.0 - std::pow(x, 36)) / (1.0 - x);
  for (double v : s.fields.within_value)
    EXPECT_DOUBLE_EQ(v, pv);
  // No firm exits this month (an exiting firm does not review its zone): no loss history.
  std::fill(s.firms.loss_months.begin(), s.firms.loss_months.end(), 0);
  // A destination is closed to a firm whose employees exceed its free floor at the start of the
  // month (docs/model.md §3.2): whole worker places of capacity less the zone's employment.
  std::vector<std::int64_t> room(t.Z);
  for (std::size_t c = 0; c < t.Z; ++c) {
    std::int64_t occupied = 0;
    for (std::size_t k = 0; k < t.S; ++k)
      occupied += s.fields.employment(c, k);
    room[c] = std::max<std::int64_t>(
        0, static_cast<std::int64_t>(std::floor(s.fields.floor_capacity(c))) - occupied);
  }
  Matrix expected = Matrix::Zero(t.Z, t.Z);
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    const std::size_t z = s.firms.zone[i];
    std::vector<double> bare(t.Z, 0.0), with(t.Z, 0.0);
    double bare_sum = 0, with_sum = 0;
    for (std::size_t c = 0; c < t.Z; ++c) {
      if (c != z && s.firms.employees[i] > room[c]) continue;  // no room: closed
      const double b = firm_zone_utility(p.view(), c, s.firms.sector[i], 0.0, 1.0) -
                       (c != z ? fp.reloc_move_cost + fp.reloc_beta_travel * t.travel(z, c) : 0.0);
      bare[c] = std::exp(b);
      with[c] = std::exp(b + (c != z ? fp.reloc_beta_subsidy * pv : 0.0));
      bare_sum += bare[c];
      with_sum += with[c];
    }
    // The paper alternatives of §5 (one per other zone; the package without its rent discount,
    // here the settlement alone) share the same denominators.
    const double stay = firm_zone_utility(p.view(), z, s.firms.sector[i], 0.0, 1.0);
    bare_sum += static_cast<double>(t.Z - 1) * std::exp(stay - fp.paper_move_cost);
    with_sum += static_cast<double>(t.Z - 1) *
                std::exp(stay - fp.paper_move_cost + fp.reloc_beta_subsidy * settlement);
    for (std::size_t c = 0; c < t.Z; ++c)
      if (c != z) expected(z, c) += with[c] / with_sum - bare[c] / bare_sum;
  }
  firm_decisions(p.view(), s.gov.promotion, s.firms, p.flows.firms);
  double total = 0;
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t c = 0; c < t.Z; ++c) {
      if (c == z) continue;
      double induced = 0;
      for (std::size_t k = 0; k < t.S; ++k)
        induced += static_cast<double>(p.flows.firms.induced_nano(z, c, k)) * 1e-9;
      total += induced;
      // Each firm's share is rounded to 1e-9 moves: the sum is exact to n x 1e-9.
      EXPECT_NEAR(induced, expected(z, c), 1e-9 * static_cast<double>(s.firms.size()) + 1e-12)
          << s.scenario.zones[z].name << " -> " << s.scenario.zones[c].name;
    }
  std::int64_t exits = 0;
  for (auto e : p.flows.firms.exits)
    exits += e;
  EXPECT_EQ(exits, 0);
  EXPECT_GT(total, 1.0);  // the package does make moves happen
}

TEST(FirmRelocation, DefaultHazardIsNearThreePercentAYear) {
  // Tang et al. (2020): about 3.2% of firms move per year. The default gate and utilities should
  // land within a factor of two of that in the baseline's first year.
  Scenario scenario = testing::small_baseline({"run.scale=0.05", "run.steps=12"});
  Simulation sim(scenario);
  const double firms = static_cast<double>(sim.initial().total_firms());
  std::int64_t moves = 0;
  for (int t = 0; t < 12; ++t) {
    const StepOutputs& out = sim.step();
    for (std::size_t z = 0; z < out.zones; ++z)
      for (std::size_t y = 0; y < out.zones; ++y)
        if (y != z) moves += out.firm_relocations[z * out.zones + y];
  }
  const double annual = static_cast<double>(moves) / firms;
  EXPECT_GT(annual, 0.016);
  EXPECT_LT(annual, 0.064);
}

TEST(FirmProduction, OutputAndTaxFollowTheirFormulas) {
  Prepared p(testing::small_baseline({"firms.exit_hazard=0", "firms.relocation_consider=0"}));
  ModelState& s = p.state;
  const FirmParams& fp = s.scenario.firms;
  const RegionTables& t = s.tables;
  std::vector<Money> output(t.Z * t.S, 0), tax(t.Z, 0);
  int hte = 0;
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    const std::size_t z = s.firms.zone[i], k = s.firms.sector[i];
    const double labour = s.firms.employees[i];
    // The going wage: the zone's skill wages weighted by the region's skill shares.
    double going_wage = 0;
    for (std::size_t skill = 0; skill < t.K; ++skill)
      going_wage += t.skill_share(skill) * s.fields.wage(z, skill);
    const double wages = labour * going_wage;
    const double y =
        labour > 0 ? s.firms.tfp[i] * s.fields.multiplier(z, k) * std::pow(labour, fp.alpha) : 0.0;
    const double profit = y - wages - s.fields.rent(z) * labour;
    output[z * t.S + k] += to_money(y);
    // High-tech enterprises pay CIT at 15 % instead of 25 %.
    const double cit = s.firms.hte[i] ? fp.cit_rate * fp.hte_cit_factor : fp.cit_rate;
    tax[z] += to_money(fp.vat_rate * y + cit * std::max(0.0, profit - fp.vat_rate * y));
    hte += s.firms.hte[i];
  }
  ASSERT_GT(hte, 0);  // the formula is exercised for both kinds of firm
  firm_decisions(p.view(), s.gov.promotion, s.firms, p.flows.firms);
  EXPECT_EQ(p.flows.firms.output.values(), output);
  EXPECT_EQ(p.flows.firms.tax.values(), tax);
}

}  // namespace
}  // namespace regionsim
