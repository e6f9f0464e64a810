// Jurisdictions under the administrative baseline: tax and GDP are attributed by the location of
// the firm and the ownership shares of its zone; subsidies promised to incoming firms are paid by
// the destination's owners in the same shares; budgets close the books; every decision period
// each jurisdiction revises its offers by hill climbing on its own score (a subsidy race can
// follow when raising offers pays off for one at the expense of the others).
#include <algorithm>
#include <cmath>

#include "apportion.hpp"
#include "phases.hpp"

namespace regionsim {

namespace {

// Splits a per-zone amount over jurisdictions by ownership, exactly (largest remainder in yuan).
void attribute_by_ownership(const RegionTables& t, const std::vector<Money>& per_zone, std::vector<Money>& per_j) {
  std::vector<double> shares(t.J);
  for (std::size_t z = 0; z < t.Z; ++z) {
    for (std::size_t j = 0; j < t.J; ++j) shares[j] = t.ownership(z, j);
    const auto parts = apportion_signed(per_zone[z], shares);
    for (std::size_t j = 0; j < t.J; ++j) per_j[j] += parts[j];
  }
}

double growth(Money now, Money before) {
  if (now <= 0 || before <= 0) return 0.0;
  return std::log(static_cast<double>(now) / static_cast<double>(before));
}

void review_offers(ModelState& s) {
  const RegionTables& t = s.tables;
  const GovernmentParams& p = s.scenario.government;
  Jurisdictions& g = s.gov;
  const bool have_history = s.month + 1 >= 2 * p.decision_period;
  for (std::size_t j = 0; j < t.J; ++j) {
    const double score = p.weight_gdp * growth(g.period_gdp[j], g.prev_period_gdp[j]) +
                         p.weight_tax * growth(g.period_tax[j], g.prev_period_tax[j]);
    // Hill climbing: keep moving offers the same way while the score improves, turn otherwise.
    if (have_history && score < g.last_score[j]) g.direction[j] = -g.direction[j];
    // Promotion spending is cut whenever it outgrows the share of the budget allowed for it.
    const double budget = to_mcny(g.budget[j]);
    if (budget <= 0 || to_mcny(g.period_subsidies[j]) > p.budget_cap_share * budget) g.direction[j] = -1.0;
    for (std::size_t k = 0; k < t.S; ++k)
      g.pending_offer(j, k) = std::clamp(g.offer(j, k) * std::exp(p.offer_step * g.direction[j]), 0.0, p.offer_max);
    g.last_score[j] = score;
    g.prev_period_gdp[j] = g.period_gdp[j];
    g.prev_period_tax[j] = g.period_tax[j];
    g.period_gdp[j] = g.period_tax[j] = g.period_subsidies[j] = 0;
  }
  g.pending_from = s.month + 1 + p.decision_lag;
}

}  // namespace

Money other_spending(const ModelState& s, Money tax_attributed) {
  return to_money(s.scenario.government.spending_share * to_mcny(tax_attributed));
}

void government(ModelState& s, StepFlows& f) {
  const RegionTables& t = s.tables;
  const GovernmentParams& p = s.scenario.government;
  Jurisdictions& g = s.gov;

  std::vector<Money> gdp_z(t.Z, 0), subsidy_z(t.Z, 0);
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t k = 0; k < t.S; ++k) {
      gdp_z[z] += f.output_zs[z * t.S + k];
      subsidy_z[z] += f.subsidy_zs[z * t.S + k];
    }
  attribute_by_ownership(t, f.tax_z, f.tax_attributed_j);
  attribute_by_ownership(t, gdp_z, f.gdp_attributed_j);
  attribute_by_ownership(t, subsidy_z, f.subsidies_paid_j);
  f.subsidies_received_z = subsidy_z;

  for (std::size_t j = 0; j < t.J; ++j) {
    g.budget[j] += f.tax_attributed_j[j] - other_spending(s, f.tax_attributed_j[j]) - f.subsidies_paid_j[j];
    g.period_gdp[j] += f.gdp_attributed_j[j];
    g.period_tax[j] += f.tax_attributed_j[j];
    g.period_subsidies[j] += f.subsidies_paid_j[j];
  }
  if ((s.month + 1) % p.decision_period == 0) review_offers(s);
  if (g.pending_from >= 0 && s.month + 1 >= g.pending_from) {
    g.offer = g.pending_offer;
    g.pending_from = -1;
  }
}

}  // namespace regionsim
