// Jurisdictions: attribution of tax and GDP (by location and ownership, then by the sharing rules
// in force), promotion spending (settlement subsidies on settling and moving, refunds and rent
// discounts on contracts) split to the payers, park-city investment, land-lease revenue (land.hpp),
// budgets with a debt floor, and every decision period the strategic choice of promotion packages
// (promotion.cpp, strategic_government.cpp; docs/model.md §14).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "apportion.hpp"
#include "government.hpp"
#include "phases.hpp"
#include "policies.hpp"
#include "promotion.hpp"
#include "sharing.hpp"

namespace regionsim {

namespace {

double growth(Money now, Money before) {
  if (now <= 0 || before <= 0) return 0.0;
  return std::log(static_cast<double>(now) / static_cast<double>(before));
}

// The assessment score of the period just ended (weighted log growth of what was credited), kept
// as an output: decisions look ahead with the choice probabilities instead (§14.3).
void close_period(const MonthInputs& m, Jurisdictions& g) {
  const RegionTables& t = m.tables;
  const Assessment& a = m.scenario.assessment;
  const bool integrated = in_force(a.start_month, m.month);
  const double own_gdp = integrated ? a.own_gdp : m.scenario.government.weight_gdp;
  const double own_tax = integrated ? a.own_tax : m.scenario.government.weight_tax;
  const double region =
      integrated ? a.region_gdp * growth(g.region_period_gdp, g.region_prev_period_gdp) +
                       a.region_tax * growth(g.region_period_tax, g.region_prev_period_tax)
                 : 0.0;
  for (std::size_t j = 0; j < t.J; ++j) {
    g.score[j] = own_gdp * growth(g.period_gdp[j], g.prev_period_gdp[j]) +
                 own_tax * growth(g.period_tax[j], g.prev_period_tax[j]) + region;
    g.prev_period_gdp[j] = g.period_gdp[j];
    g.prev_period_tax[j] = g.period_tax[j];
    g.period_gdp[j] = g.period_tax[j] = g.period_subsidies[j] = 0;
  }
  g.region_prev_period_gdp = g.region_period_gdp;
  g.region_prev_period_tax = g.region_period_tax;
  g.region_period_gdp = g.region_period_tax = 0;
  g.last_review = m.month;
}

}  // namespace

Money other_spending(const GovernmentParams& p, Money tax_attributed) {
  return to_money(p.spending_share * to_mcny(tax_attributed));
}

void government(const MonthView& m, const FirmFlows& firms, const EntryFlows& entries,
                Jurisdictions& g, GovernmentFlows& f) {
  const RegionTables& t = m.tables;

  f.tax_attributed_j = attribute(
      m, m.scenario.tax_sharing,
      {firms.credit_tax.values(), firms.finder_tax.values(), g.tax_base_z, g.prev_credit_tax_z});
  f.gdp_attributed_j = attribute(
      m, m.scenario.statistics_sharing,
      {firms.credit_gdp.values(), firms.finder_gdp.values(), g.gdp_base_z, g.prev_credit_gdp_z});
  g.prev_credit_tax_z = firms.credit_tax.values();
  g.prev_credit_gdp_z = firms.credit_gdp.values();

  // Settlement subsidies promised this month to firms moving in and projects settling, split to
  // the zone's payers (its setters' payers, committees by their funding shares) exactly to the
  // yuan: promised[(z * 2 + part) * J + j], part 0 for moves within the region, 1 for projects.
  std::vector<Money> promised(t.Z * 2 * t.J, 0);
  std::vector<Money> settlement_j(t.J, 0);
  for (std::size_t z = 0; z < t.Z; ++z) {
    Money moves = 0, projects = 0;
    for (std::size_t k = 0; k < t.S; ++k) {
      moves += firms.relocation_subsidies(z, k);
      projects += entries.entry_subsidies(z, k);
    }
    const std::span<const double> payer(m.fields.package_payer.data() + z * t.J, t.J);
    const auto within = apportion_signed(moves, payer);
    const auto outside = apportion_signed(projects, payer);
    for (std::size_t j = 0; j < t.J; ++j) {
      promised[(z * 2 + 0) * t.J + j] = within[j];
      promised[(z * 2 + 1) * t.J + j] = outside[j];
      settlement_j[j] += within[j] + outside[j];
    }
  }
  f.refund_paid_j = firms.refund_paid.values();
  f.rent_paid_j = firms.rent_paid.values();

  // The debt floor, in the documented order (docs/model.md §14.7): refunds and rent discounts are
  // obligations of contracts and park-city spending is committed, so they are paid; spending
  // outside promotion is cut first, as far as it goes, then the month's settlement subsidies are
  // capped at what is left above the floor. A payer short of funds pays each of its settlements
  // of the month the same share (to the yuan); the firms settle all the same and the rest is never
  // paid (settlement_unpaid_j).
  const GovernmentParams& p = m.scenario.government;
  for (std::size_t j = 0; j < t.J; ++j) {
    Money other = other_spending(p, f.tax_attributed_j[j]);
    const Money income = f.tax_attributed_j[j] + f.land_revenue_j[j];
    const Money contracts = f.refund_paid_j[j] + f.rent_paid_j[j];
    Money after =
        g.budget[j] + income - other - settlement_j[j] - contracts - f.amenity_spending_j[j];
    const Money floor = -debt_limit(m.scenario, j);
    if (after < floor) {
      const Money cut = std::min(other, floor - after);
      other -= cut;
      after += cut;
    }
    f.other_spending_j[j] = other;
    if (after < floor && settlement_j[j] > 0) {
      const Money paid = settlement_j[j] - std::min(settlement_j[j], floor - after);
      std::vector<double> weights(t.Z * 2);
      for (std::size_t item = 0; item < t.Z * 2; ++item)
        weights[item] = static_cast<double>(std::max<Money>(0, promised[item * t.J + j]));
      const auto parts = apportion(paid, weights);
      for (std::size_t item = 0; item < t.Z * 2; ++item)
        promised[item * t.J + j] = parts[item];
      f.settlement_unpaid_j[j] = settlement_j[j] - paid;
    }
  }

  // What was paid, by payer and by the zone that received it.
  for (std::size_t z = 0; z < t.Z; ++z) {
    const bool committee = !m.fields.committee_zone.empty() && m.fields.committee_zone[z] != 0;
    Money settlement = 0;
    for (std::size_t j = 0; j < t.J; ++j) {
      const Money within = promised[(z * 2 + 0) * t.J + j];
      const Money outside = promised[(z * 2 + 1) * t.J + j];
      settlement += within + outside;
      f.settlement_paid_j[j] += within + outside;
      f.within_paid_j[j] += within;
      if (committee) f.committee_paid_j[j] += within + outside;
    }
    f.subsidies_received_z[z] = settlement + firms.contract_payments(z);
  }
  for (std::size_t j = 0; j < t.J; ++j) {
    f.within_paid_j[j] += firms.within_paid(j);
    f.committee_paid_j[j] += firms.committee_paid(j);
  }

  for (std::size_t j = 0; j < t.J; ++j) {
    f.subsidies_paid_j[j] = f.settlement_paid_j[j] + f.refund_paid_j[j] + f.rent_paid_j[j];
    g.budget[j] += f.tax_attributed_j[j] + f.land_revenue_j[j] - f.other_spending_j[j] -
                   f.subsidies_paid_j[j] - f.amenity_spending_j[j];
    g.period_gdp[j] += f.gdp_attributed_j[j];
    g.period_tax[j] += f.tax_attributed_j[j];
    g.period_subsidies[j] += f.subsidies_paid_j[j];
    g.region_period_gdp += f.gdp_attributed_j[j];
    g.region_period_tax += f.tax_attributed_j[j];
    g.cumulative_subsidies += f.subsidies_paid_j[j];
  }

  // Every decision period (and at the end of month 0, so packages exist from the lag on).
  if (g.last_review < 0 || m.month - g.last_review >= decision_period(m)) {
    close_period(m, g);
    decide_promotion(m, firms, g);
  }
  apply_pending_packages(m, g);
}

}  // namespace regionsim
