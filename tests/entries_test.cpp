// Distribution tests of the entry mechanisms (engine/src/entries.cpp) against docs/model.md, with
// every expected value written out from the documented equations rather than taken from the
// engine's utility functions: investment projects with search friction and the outside option
// (§8, §14.4) and talent arrivals by zone with their elasticity (§6).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "entries.hpp"
#include "phases.hpp"
#include "test_support.hpp"
#include "zone_utility.hpp"

namespace regionsim {
namespace {

using Prepared = testing::PreparedMonth;

// Upper 0.1 % quantile of a chi-square with k degrees of freedom (Wilson-Hilferty; within 1 % of
// the exact quantile for k >= 3).
double chi_square_bound(double k) {
  const double z = 3.0902;  // standard normal 0.999 quantile
  const double c = 2.0 / (9.0 * k);
  return k * std::pow(1.0 - c + z * std::sqrt(c), 3.0);
}

// docs/model.md §8: a project's utility of zone z in month t, without moving terms,
//   U_z = β_π [(ln M_{z,s} − α ln W_z)/(1 − α) − (t/12) ln(1 + g)] − β_r ln(r_z / r̄)
//         + β_o o_{z,s} + β_f π_{z,s} + w λ ln((F_z − E_z) / (scale · F_ref)),
// with r̄ the initial employment-weighted mean rent, π the zone's planned specialisation, g the
// productivity trend and the last term the zone's free sites (F_z floor capacity, E_z employed).
double project_utility(const Scenario& sc, const ZoneFields& f, double rent_ref, std::size_t z,
                       std::size_t s, int month) {
  const FirmParams& p = sc.firms;
  double total = 0;
  for (double w : sc.zones[z].specialisation)
    total += w;
  const double fit = sc.zones[z].specialisation[s] / total;
  const double free_places = f.floor_capacity(z) - static_cast<double>(f.employed(z));
  return p.reloc_beta_profit *
             ((std::log(f.multiplier(z, s)) - p.alpha * std::log(f.wage_index(z))) /
                  (1.0 - p.alpha) -
              month / 12.0 * std::log(1.0 + p.productivity_growth)) -
         p.reloc_beta_rent * std::log(f.rent(z) / rent_ref) + p.reloc_beta_subsidy * f.offer(z, s) +
         p.reloc_beta_fit * fit +
         p.project_site_weight * p.nest_lambda *
             std::log(free_places / (sc.run.scale * p.site_reference));
}

// docs/model.md §14.4: P(z | K) = P(region | K) e^{U_z/λ} / Σ_{K} e^{U/λ},
// P(region | K) = e^{IV} / (e^{IV} + e^{U_0}), IV = λ ln Σ_K e^{U/λ}; averaged over the sets K of
// known zones, Pr(K) = q^{|K|} (1 − q)^{Z − |K|}; zones without free floor are never chosen.
std::vector<double> expected_zone_shares(const std::vector<double>& utility,
                                         const std::vector<bool>& room, double q, double lambda,
                                         double outside) {
  const std::size_t n = utility.size();
  std::vector<double> shares(n, 0.0);
  for (std::size_t set = 0; set < (std::size_t{1} << n); ++set) {
    double pr = 1, sum = 0;
    for (std::size_t z = 0; z < n; ++z) {
      const bool known = (set >> z) & 1U;
      pr *= known ? q : 1.0 - q;
      if (known && room[z]) sum += std::exp(utility[z] / lambda);
    }
    if (sum == 0) continue;
    const double iv = lambda * std::log(sum);
    const double region = std::exp(iv) / (std::exp(iv) + std::exp(outside));
    for (std::size_t z = 0; z < n; ++z)
      if (((set >> z) & 1U) && room[z])
        shares[z] += pr * region * std::exp(utility[z] / lambda) / sum;
  }
  return shares;
}

TEST(ProjectChoice, SettlementsByZoneFollowTheNestedLogitWithSearchFriction) {
  // Many projects a month; a positive outside utility so that a visible part goes elsewhere.
  Prepared p(
      testing::small_baseline({"firms.project_rate=0.3", "government.zones_known=0.4",
                               "firms.project_outside_utility=0.5", "talent.arrival_rate=0"}));
  const Scenario& sc = p.state.scenario;
  const ZoneFields& f = p.state.fields;
  const std::size_t Z = sc.zones.size(), S = sc.sectors.size();
  // r̄: the month-0 rents weighted by firm employment (the docs' "initial employment-weighted
  // mean rent"); the prepared month is month 0, so these are the initial rents.
  double rent_weighted = 0, employment = 0;
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t s = 0; s < S; ++s) {
      rent_weighted += static_cast<double>(f.employment(z, s)) * f.rent(z);
      employment += static_cast<double>(f.employment(z, s));
    }
  const double rent_ref = rent_weighted / employment;
  double entry_total = 0;
  for (const SectorSpec& sector : sc.sectors)
    entry_total += sector.entry_weight;
  std::vector<bool> room(Z);
  for (std::size_t z = 0; z < Z; ++z)
    room[z] = f.floor_occupancy(z) < 1.0;

  const int months = 30;
  std::vector<double> expected(Z, 0.0);
  for (int month = 0; month < months; ++month)
    for (std::size_t s = 0; s < S; ++s) {
      std::vector<double> utility(Z);
      for (std::size_t z = 0; z < Z; ++z)
        utility[z] = project_utility(sc, f, rent_ref, z, s, month);
      // §8: N_s ~ Poisson(p F₀ e_s), each project independently.
      const double rate = sc.firms.project_rate *
                          static_cast<double>(p.state.calibration.initial_firms) *
                          sc.sectors[s].entry_weight / entry_total;
      const auto shares =
          expected_zone_shares(utility, room, sc.government.zones_known, sc.firms.nest_lambda,
                               sc.firms.project_outside_utility);
      for (std::size_t z = 0; z < Z; ++z)
        expected[z] += rate * shares[z];
    }

  std::vector<double> observed(Z, 0.0);
  for (int month = 0; month < months; ++month) {
    p.state.month = month;  // a new step: fresh draws, unchanged fields
    StepFlows flows(p.state.tables);
    entries_and_exits(p.view(), LabourFlows(p.state.tables), p.state.talent, p.state.firms,
                      p.state.ids, flows.entries);
    for (std::size_t z = 0; z < Z; ++z)
      for (std::size_t s = 0; s < S; ++s)
        observed[z] += static_cast<double>(flows.entries.entries(z, s));
  }
  // Settlements per zone are Poisson (thinned Poisson arrivals): chi-square with Z degrees of
  // freedom, and the region's total (which the outside option sets) within 4 standard deviations.
  double chi2 = 0, total_expected = 0, total_observed = 0, open = 0;
  for (std::size_t z = 0; z < Z; ++z) {
    if (!room[z]) {  // a zone with no free floor space is never chosen
      EXPECT_EQ(observed[z], 0.0) << "zone " << z;
      continue;
    }
    ASSERT_GT(expected[z], 20.0) << "zone " << z;
    chi2 += (observed[z] - expected[z]) * (observed[z] - expected[z]) / expected[z];
    total_expected += expected[z];
    total_observed += observed[z];
    ++open;
  }
  ASSERT_GE(open, 3.0);
  EXPECT_LT(chi2, chi_square_bound(open));
  EXPECT_NEAR(total_observed, total_expected, 4.0 * std::sqrt(total_expected));
}

TEST(ProjectChoice, AZoneDrawsProjectsInProportionToItsFreeFloor) {
  // docs/model.md §8: the site term w λ ln(free places / (scale F_ref)). With w = 1 (McFadden's
  // aggregation of a zone's sites), doubling a zone's free floor doubles its odds against every
  // other zone of the region: its utility rises by exactly λ ln 2. With w = 0 the term is absent.
  for (const double weight : {1.0, 0.0}) {
    Prepared p(testing::small_baseline({"firms.project_site_weight=" + std::to_string(weight)}));
    ZoneFields& f = p.state.fields;
    const FirmParams& fp = p.state.scenario.firms;
    const std::size_t s = 0;
    std::size_t z = 0;  // the first zone with free floor (small scales round some zones full)
    while (z + 1 < p.state.tables.Z && f.floor_occupancy(z) >= 1.0)
      ++z;
    ASSERT_LT(f.floor_occupancy(z), 1.0);
    const double before = project_zone_utility(p.view(), z, s, 1.0, 1.0);
    EXPECT_NEAR(before - firm_zone_utility(p.view(), z, s, 1.0, 1.0),
                weight * fp.nest_lambda *
                    std::log((f.floor_capacity(z) - static_cast<double>(f.employed(z))) /
                             (p.state.scenario.run.scale * fp.site_reference)),
                1e-12);
    f.floor_capacity(z) = 2.0 * f.floor_capacity(z) - static_cast<double>(f.employed(z));
    const double after = project_zone_utility(p.view(), z, s, 1.0, 1.0);
    EXPECT_NEAR(after - before, weight * fp.nest_lambda * std::log(2.0), 1e-12);
  }
}

TEST(TalentArrivals, ZoneSplitAndElasticityFollowTheDocumentedRate) {
  // Raising every zone's wages by x raises every V by β_w ln x, so the attractiveness I by the
  // same amount and arrivals by x^{ε β_w} (§6), while the zone split stays the softmax of V.
  const double x = 1.25;
  Prepared p(testing::small_baseline({"talent.arrival_rate=0.02", "firms.project_rate=0"}));
  const Scenario& sc = p.state.scenario;
  ZoneFields& f = p.state.fields;
  f.wage *= x;
  const TalentParams& tp = sc.talent;
  const std::size_t Z = sc.zones.size(), S = sc.sectors.size(), K = sc.skills.size();
  double all = 0;
  std::vector<double> mix(S, 0.0);  // m_s: the sector's share of the region's employment
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t s = 0; s < S; ++s) {
      mix[s] += static_cast<double>(f.employment(z, s));
      all += static_cast<double>(f.employment(z, s));
    }
  const int months = 20;
  const double level = std::exp(tp.arrival_elasticity * tp.beta_wage * std::log(x));
  std::vector<double> expected(Z * K, 0.0);
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t s = 0; s < S; ++s) {
      // V_z = β_w ln w_{z,k} + β_a a_z − β_c P_z/H_z + β_j f_{z,s}
      std::vector<double> v(Z);
      double sum = 0;
      for (std::size_t z = 0; z < Z; ++z) {
        v[z] = tp.beta_wage * std::log(f.wage(z, k)) + tp.beta_amenity * f.amenity(z) -
               tp.beta_congestion * f.housing_occupancy(z) + tp.beta_jobs * f.job_rate(z, s);
        sum += std::exp(v[z]);
      }
      const double total = tp.arrival_rate *
                           static_cast<double>(p.state.calibration.initial_talent) *
                           sc.skills[k].share * mix[s] / all * level;
      for (std::size_t z = 0; z < Z; ++z)
        expected[z * K + k] += months * total * std::exp(v[z]) / sum;
    }
  std::vector<double> observed(Z * K, 0.0);
  for (int month = 0; month < months; ++month) {
    p.state.month = month;
    StepFlows flows(p.state.tables);
    entries_and_exits(p.view(), LabourFlows(p.state.tables), p.state.talent, p.state.firms,
                      p.state.ids, flows.entries);
    for (std::size_t z = 0; z < Z; ++z)
      for (std::size_t k = 0; k < K; ++k)
        observed[z * K + k] += static_cast<double>(flows.entries.arrivals(z, k));
  }
  double chi2 = 0, total_expected = 0, total_observed = 0, cells = 0;
  for (std::size_t c = 0; c < Z * K; ++c) {
    if (expected[c] < 5.0) continue;  // chi-square needs cells of some size
    chi2 += (observed[c] - expected[c]) * (observed[c] - expected[c]) / expected[c];
    total_expected += expected[c];
    total_observed += observed[c];
    ++cells;
  }
  ASSERT_GE(cells, static_cast<double>(Z));
  EXPECT_LT(chi2, chi_square_bound(cells));
  // The level (elasticity) alone: the total against its Poisson mean, 4 standard deviations, and
  // far from the level without the elasticity (x^{ε β_w} = 1).
  EXPECT_NEAR(total_observed, total_expected, 4.0 * std::sqrt(total_expected));
  EXPECT_GT(std::abs(total_expected / level - total_expected), 8.0 * std::sqrt(total_expected));
}

}  // namespace
}  // namespace regionsim
