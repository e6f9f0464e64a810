// DecisionInputs from the state (docs/model.md §14.6): the aggregates a promoter can know — firm
// counts, tax, value added and rent bills per zone x sector x size class from this month's
// production, base utilities of the model's own choice rules without any package, who promotes
// which zones and the crediting rules in force. Nothing about any firm's private draws.
#include <algorithm>
#include <cmath>
#include <limits>

#include "policies.hpp"
#include "promotion.hpp"
#include "sharing.hpp"
#include "zone_utility.hpp"

namespace regionsim {

namespace {

constexpr double kNoRoom = -std::numeric_limits<double>::infinity();

// Share of zone z's marginal amount credited to jurisdiction j under a rule: the owners keep
// (1 - pool share), the pool is split by the rule's weights. Columns sum to 1.
std::vector<double> credit_matrix(const MonthView& m, const SharingRule& rule) {
  const RegionTables& t = m.tables;
  std::vector<double> credit(t.J * t.Z, 0.0);
  const bool on = in_force(rule.start_month, m.month);
  const double pool = on ? rule.pool_share : 0.0;
  std::vector<double> w = pool_weights(m, rule);
  double sum = 0;
  for (double x : w)
    sum += x;
  for (std::size_t j = 0; j < t.J; ++j)
    for (std::size_t z = 0; z < t.Z; ++z)
      credit[j * t.Z + z] = (1.0 - pool) * t.ownership(z, j) + pool * w[j] / sum;
  return credit;
}

// Zones in the separation committee's remit (an all-zero remit means every zone).
std::vector<std::uint8_t> separation_remit(const MonthView& m) {
  const std::size_t Z = m.tables.Z;
  std::vector<std::uint8_t> remit(Z, 0);
  if (!committee_on(m)) return remit;
  const std::vector<double>& given = m.scenario.committee.remit;
  const bool all = std::none_of(given.begin(), given.end(), [](double v) { return v > 0; });
  for (std::size_t z = 0; z < Z; ++z)
    remit[z] = all || (z < given.size() && given[z] > 0) ? 1 : 0;
  return remit;
}

// A committee over `remit`, funded in `shares` (normalised; all zero: the owners' land shares of
// the remit). It may commit each funder's funds in proportion to the funder's land in the remit
// among its land in all remits of this kind (`claimed`, J), so committees per zone split an
// owner's money instead of each counting all of it [judgement].
Committee make_committee(const RegionTables& t, std::vector<std::uint8_t> remit,
                         const std::vector<double>& shares, const std::vector<double>& claimed,
                         const std::vector<double>& funds, Committee::Objective objective) {
  Committee k;
  k.funding.assign(t.J, 0.0);
  std::vector<double> land(t.J, 0.0);
  double total = 0, given = 0;
  for (std::size_t j = 0; j < t.J; ++j) {
    for (std::size_t z = 0; z < t.Z; ++z)
      if (remit[z]) land[j] += t.ownership(z, j);
    total += land[j];
    given += j < shares.size() ? shares[j] : 0.0;
  }
  for (std::size_t j = 0; j < t.J; ++j) {
    k.funding[j] = given > 0 ? shares[j] / given : land[j] / total;
    const double part = claimed[j] > 0 ? land[j] / claimed[j] : 1.0;
    k.available_funds += k.funding[j] * funds[j] * part;
  }
  k.remit = std::move(remit);
  k.objective = objective;
  return k;
}

// Land of each jurisdiction in the zones flagged.
std::vector<double> land_in(const RegionTables& t, const std::vector<std::uint8_t>& zones) {
  std::vector<double> land(t.J, 0.0);
  for (std::size_t z = 0; z < t.Z; ++z)
    if (zones[z])
      for (std::size_t j = 0; j < t.J; ++j)
        land[j] += t.ownership(z, j);
  return land;
}

// Promoters other than the jurisdictions (docs/model.md §14.8): separation's management
// committee(s), which take over the zones in their remit and maximise the remit's score; and the
// joint office of joint promotion for the remaining zones, the partners' own objectives summed,
// paid for in land shares.
std::vector<Committee> committees(const MonthView& m, const std::vector<double>& funds) {
  const RegionTables& t = m.tables;
  std::vector<Committee> out;
  const std::vector<std::uint8_t> remit = separation_remit(m);
  const std::vector<double> claimed = land_in(t, remit);
  const std::vector<double>& shares = m.scenario.committee.funding;
  if (m.scenario.committee.mode == CommitteeMode::per_zone) {
    for (std::size_t z = 0; z < t.Z; ++z) {
      if (!remit[z]) continue;
      std::vector<std::uint8_t> one(t.Z, 0);
      one[z] = 1;
      out.push_back(
          make_committee(t, std::move(one), shares, claimed, funds, Committee::Objective::kRemit));
    }
  } else if (std::find(remit.begin(), remit.end(), 1) != remit.end()) {
    out.push_back(make_committee(t, remit, shares, claimed, funds, Committee::Objective::kRemit));
  }
  if (!joint_promotion_on(m) || !m.scenario.joint_promotion.office) return out;
  std::vector<std::uint8_t> rest(t.Z, 0);
  for (std::size_t z = 0; z < t.Z; ++z)
    rest[z] = remit[z] ? 0 : 1;
  if (std::find(rest.begin(), rest.end(), 1) == rest.end()) return out;
  // The joint office's funds: every partner's, in land shares of the whole region (unchanged from
  // before committees existed when no committee is in force).
  Committee office;
  office.remit = rest;
  office.funding.assign(t.J, 0.0);
  double land = 0;
  for (std::size_t j = 0; j < t.J; ++j)
    for (std::size_t z = 0; z < t.Z; ++z) {
      office.funding[j] += t.ownership(z, j);
      land += t.ownership(z, j);
    }
  for (std::size_t j = 0; j < t.J; ++j) {
    office.funding[j] /= land;
    office.available_funds += office.funding[j] * funds[j];
  }
  office.objective = Committee::Objective::kOwners;
  out.push_back(std::move(office));
  return out;
}

}  // namespace

DecisionInputs decision_inputs(const MonthView& m, const FirmFlows& f, const Jurisdictions& g) {
  const RegionTables& t = m.tables;
  const Scenario& sc = m.scenario;
  const FirmParams& fp = sc.firms;
  const GovernmentParams& gp = sc.government;
  DecisionInputs in;
  const std::size_t Z = t.Z, S = t.S, J = t.J, C = kPromotionClasses;
  in.Z = Z;
  in.S = S;
  in.J = J;
  in.C = C;
  in.ownership.resize(Z * J);
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t j = 0; j < J; ++j)
      in.ownership[z * J + j] = t.ownership(z, j);

  in.available_funds.resize(J);
  for (std::size_t j = 0; j < J; ++j)
    in.available_funds[j] = to_mcny(g.budget[j] + debt_limit(sc, j));
  in.committees = committees(m, in.available_funds);

  in.gdp_credit = credit_matrix(m, sc.statistics_sharing);
  in.tax_credit = credit_matrix(m, sc.tax_sharing);
  if (in_force(sc.tax_sharing.start_month, m.month)) {
    in.tax_origin_share = sc.tax_sharing.origin_share;
    in.tax_origin_months = months_of(sc.tax_sharing.origin_years);
  }
  if (in_force(sc.statistics_sharing.start_month, m.month)) {
    in.gdp_origin_share = sc.statistics_sharing.origin_share;
    in.gdp_origin_months = months_of(sc.statistics_sharing.origin_years);
  }
  in.zone_gdp.assign(Z, 0.0);
  in.zone_tax.assign(Z, 0.0);
  for (std::size_t z = 0; z < Z; ++z) {
    in.zone_gdp[z] = to_mcny(f.credit_gdp(z));
    in.zone_tax[z] = to_mcny(f.credit_tax(z));
  }

  // Projects from outside: arrivals, size class, utilities without any package.
  in.project_rate.resize(S);
  in.project_class_share.assign(S * C, 0.0);
  in.outside_utility.assign(S, fp.project_outside_utility);
  const std::size_t project_class = promotion_class(fp.project_size);
  for (std::size_t s = 0; s < S; ++s) {
    in.project_rate[s] =
        fp.project_rate * static_cast<double>(m.calibration.initial_firms) * t.sector_entry(s);
    in.project_class_share[s * C + project_class] = 1.0;
  }
  in.project_utility.resize(Z * S);
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t s = 0; s < S; ++s)
      in.project_utility[z * S + s] =
          m.fields.floor_occupancy(z) < 1.0 ? project_zone_utility(m, z, s, 0.0, 1.0) : kNoRoom;
  in.zone_known.assign(Z, zones_known(m));
  in.nest_lambda = fp.nest_lambda;

  // Firms in the science city: counts and per-firm amounts per cell, relocation utilities.
  in.firms.resize(Z * S * C);
  in.review_rate.assign(Z * S * C, fp.relocation_consider);
  in.gdp_per_firm.resize(Z * S * C);
  in.tax_per_firm.resize(Z * S * C);
  in.rent_per_firm.resize(Z * S * C);
  // Means of the sector x class across zones stand in for empty cells, so a package for a zone
  // without such firms yet is still valued.
  std::vector<double> n_sc(S * C, 0.0), tax_sc(S * C, 0.0), gdp_sc(S * C, 0.0), rent_sc(S * C, 0.0);
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t s = 0; s < S; ++s)
      for (std::size_t c = 0; c < C; ++c) {
        const std::size_t i = cell_index(t, z, s, c);
        n_sc[s * C + c] += static_cast<double>(f.cell_firms[i]);
        tax_sc[s * C + c] += to_mcny(f.cell_tax[i]);
        gdp_sc[s * C + c] += to_mcny(f.cell_gdp[i]);
        rent_sc[s * C + c] += to_mcny(f.cell_rent[i]);
      }
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t s = 0; s < S; ++s)
      for (std::size_t c = 0; c < C; ++c) {
        const std::size_t i = cell_index(t, z, s, c);
        const double n = static_cast<double>(f.cell_firms[i]);
        const double n_all = n_sc[s * C + c];
        in.firms[i] = n;
        if (n > 0) {
          in.tax_per_firm[i] = to_mcny(f.cell_tax[i]) / n;
          in.gdp_per_firm[i] = to_mcny(f.cell_gdp[i]) / n;
          in.rent_per_firm[i] = to_mcny(f.cell_rent[i]) / n;
        } else if (n_all > 0) {
          in.tax_per_firm[i] = tax_sc[s * C + c] / n_all;
          in.gdp_per_firm[i] = gdp_sc[s * C + c] / n_all;
          in.rent_per_firm[i] = rent_sc[s * C + c] / n_all;
        }
      }
  in.move_utility.resize(Z * Z * S);
  for (std::size_t a = 0; a < Z; ++a)
    for (std::size_t b = 0; b < Z; ++b)
      for (std::size_t s = 0; s < S; ++s) {
        const bool full = a != b && m.fields.floor_occupancy(b) >= 1.0;
        in.move_utility[(a * Z + b) * S + s] =
            full ? kNoRoom
                 : firm_zone_utility(m, b, s, 0.0, 1.0) -
                       (a != b ? fp.reloc_move_cost + fp.reloc_beta_travel * t.travel(a, b) : 0.0);
      }
  in.beta_offer = fp.reloc_beta_subsidy;

  in.terms = instrument_terms(sc);
  in.fair_competition = fair_competition_on(m);
  in.within_offers = !(joint_promotion_on(m) && !sc.joint_promotion.subsidise_relocations);
  in.firm_discount_rate = sc.instruments.firm_discount_rate;
  in.government_discount_rate = sc.instruments.government_discount_rate;
  in.monthly_stay = 1.0 - fp.exit_hazard;
  in.horizon_months = gp.horizon_months;
  in.beyond_horizon_weight = gp.beyond_horizon_weight;
  const Assessment& a = sc.assessment;
  in.weights =
      in_force(a.start_month, m.month)
          ? AssessmentWeights{a.own_gdp, a.own_tax, a.region_gdp, a.region_tax, a.tournament}
          : AssessmentWeights{gp.weight_gdp, gp.weight_tax, 0.0, 0.0, gp.tournament};
  in.budget_weight = gp.budget_weight;
  in.period_months = decision_period(m);
  in.spending_cap_share = gp.budget_cap_share;
  return in;
}

}  // namespace regionsim
