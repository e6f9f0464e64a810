// Jurisdictions: attribution of tax and GDP (by location and ownership, then by the sharing rules
// in force), subsidies paid by the destination's owners, park-city investment, budgets, and every
// decision period a review of subsidy offers by hill climbing on each jurisdiction's score.
// Under the administrative baseline each climbs its own score, so a subsidy race can follow when
// raising offers draws projects and firms from the neighbours; under joint promotion the offers
// follow one harmonised line that the jurisdictions adapt together on their mean score.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "government.hpp"
#include "phases.hpp"
#include "policies.hpp"
#include "sharing.hpp"

namespace regionsim {

namespace {

double growth(Money now, Money before) {
  if (now <= 0 || before <= 0) return 0.0;
  return std::log(static_cast<double>(now) / static_cast<double>(before));
}

// Score weights in force: integrated assessment adds science-city-wide terms.
struct ScoreWeights {
  double own_gdp, own_tax, region_gdp, region_tax;
};

ScoreWeights score_weights(const MonthInputs& m) {
  const Assessment& a = m.scenario.assessment;
  if (in_force(a.start_month, m.month)) return {a.own_gdp, a.own_tax, a.region_gdp, a.region_tax};
  return {m.scenario.government.weight_gdp, m.scenario.government.weight_tax, 0.0, 0.0};
}

// Whether promotion spending must be cut: no budget left, or the period's subsidies exceed the
// share of the budget allowed for them.
bool over_budget(double budget, double period_subsidies, double cap_share) {
  return budget <= 0 || period_subsidies > cap_share * budget;
}

void review_offers(const MonthInputs& m, Jurisdictions& g) {
  const RegionTables& t = m.tables;
  const GovernmentParams& p = m.scenario.government;
  const ScoreWeights w = score_weights(m);
  const bool have_history = g.last_review >= 0;
  const double region = w.region_gdp * growth(g.region_period_gdp, g.region_prev_period_gdp) +
                        w.region_tax * growth(g.region_period_tax, g.region_prev_period_tax);
  double mean_score = 0, mean_last = 0, budget = 0, subsidies = 0;
  for (std::size_t j = 0; j < t.J; ++j) {
    const double score = w.own_gdp * growth(g.period_gdp[j], g.prev_period_gdp[j]) +
                         w.own_tax * growth(g.period_tax[j], g.prev_period_tax[j]) + region;
    mean_score += score / static_cast<double>(t.J);
    mean_last += g.last_score[j] / static_cast<double>(t.J);
    budget += to_mcny(g.budget[j]);
    subsidies += to_mcny(g.period_subsidies[j]);
    // Hill climbing: keep moving offers the same way while the score improves, turn otherwise.
    if (have_history && score < g.last_score[j]) g.direction[j] = -g.direction[j];
    if (over_budget(to_mcny(g.budget[j]), to_mcny(g.period_subsidies[j]), p.budget_cap_share))
      g.direction[j] = -1.0;
    for (std::size_t k = 0; k < t.S; ++k)
      g.pending_offer(j, k) =
          std::clamp(g.offer(j, k) * std::exp(p.offer_step * g.direction[j]), 0.0, p.offer_max);
    g.last_score[j] = score;
    g.score[j] = score;
  }
  if (joint_promotion_on(m)) {
    // One line for all: adapted on the jurisdictions' mean score and their pooled budget.
    if (have_history && mean_score < mean_last) g.joint_direction = -g.joint_direction;
    if (over_budget(budget, subsidies, p.budget_cap_share)) g.joint_direction = -1.0;
    const double line =
        std::clamp(g.offer(0, 0) * std::exp(p.offer_step * g.joint_direction), 0.0, p.offer_max);
    g.pending_offer.setConstant(line);
  }
  for (std::size_t j = 0; j < t.J; ++j) {
    g.prev_period_gdp[j] = g.period_gdp[j];
    g.prev_period_tax[j] = g.period_tax[j];
    g.period_gdp[j] = g.period_tax[j] = g.period_subsidies[j] = 0;
  }
  g.region_prev_period_gdp = g.region_period_gdp;
  g.region_prev_period_tax = g.region_period_tax;
  g.region_period_gdp = g.region_period_tax = 0;
  g.last_review = m.month;
  g.pending_from = m.month + 1 + decision_lag(m);
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

  // Subsidies promised this month to firms moving in and to projects settling, paid by the
  // destination's owners.
  std::vector<Money> subsidy_z(t.Z, 0);
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t k = 0; k < t.S; ++k)
      subsidy_z[z] += firms.relocation_subsidies(z, k) + entries.entry_subsidies(z, k);
  f.subsidies_paid_j = split_by_ownership(t, subsidy_z);
  f.subsidies_received_z = subsidy_z;

  const GovernmentParams& p = m.scenario.government;
  for (std::size_t j = 0; j < t.J; ++j) {
    g.budget[j] += f.tax_attributed_j[j] - other_spending(p, f.tax_attributed_j[j]) -
                   f.subsidies_paid_j[j] - f.amenity_spending_j[j];
    g.period_gdp[j] += f.gdp_attributed_j[j];
    g.period_tax[j] += f.tax_attributed_j[j];
    g.period_subsidies[j] += f.subsidies_paid_j[j];
    g.region_period_gdp += f.gdp_attributed_j[j];
    g.region_period_tax += f.tax_attributed_j[j];
    g.cumulative_subsidies += f.subsidies_paid_j[j];
  }

  // Joint promotion replaces the individual offers by one harmonised line from its start month.
  if (joint_promotion_on(m) && !g.joint_line_set) {
    g.offer.setConstant(m.scenario.joint_promotion.harmonised_offer);
    g.pending_offer = g.offer;
    g.pending_from = -1;
    g.joint_line_set = true;
  }
  if (m.month - g.last_review >= decision_period(m)) review_offers(m, g);
  if (g.pending_from >= 0 && m.month + 1 >= g.pending_from) {
    g.offer = g.pending_offer;
    g.pending_from = -1;
  }
}

}  // namespace regionsim
