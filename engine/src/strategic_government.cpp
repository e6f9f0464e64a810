#include "strategic_government.hpp"

#include "parallel.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "promotion_game.hpp"

namespace regionsim {

using namespace promotion;

namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("strategic government inputs: " + what);
}

void validate(const DecisionInputs& in) {
  const std::size_t Z = in.Z, S = in.S, J = in.J, C = in.C;
  require(Z >= 1 && S >= 1 && J >= 1 && C >= 1, "Z, S, J and C must be at least 1");
  require(in.ownership.size() == Z * J, "ownership must be Z x J");
  require(in.gdp_credit.size() == J * Z && in.tax_credit.size() == J * Z,
          "gdp_credit and tax_credit must be J x Z");
  require(in.zone_gdp.size() == Z && in.zone_tax.size() == Z, "zone_gdp and zone_tax must be Z");
  require(in.available_funds.size() == J, "available_funds must be J");
  require(in.project_rate.size() == S && in.outside_utility.size() == S,
          "project_rate and outside_utility must be S");
  require(in.project_class_share.size() == S * C, "project_class_share must be S x C");
  require(in.project_utility.size() == Z * S, "project_utility must be Z x S");
  require(in.zone_known.size() == Z, "zone_known must be Z");
  require(in.firms.size() == Z * S * C && in.review_rate.size() == Z * S * C,
          "firms and review_rate must be Z x S x C");
  require(in.move_utility.size() == Z * Z * S, "move_utility must be Z x Z x S");
  require(in.gdp_per_firm.size() == Z * S * C && in.tax_per_firm.size() == Z * S * C &&
              in.rent_per_firm.size() == Z * S * C,
          "gdp_per_firm, tax_per_firm and rent_per_firm must be Z x S x C");
  require(in.nest_lambda > 0 && in.nest_lambda <= 1, "nest_lambda must be in (0, 1]");
  require(in.horizon_months >= 1 && in.period_months >= 1, "horizon and period must be >= 1 month");
  std::vector<int> claimed(Z, 0);
  for (const Committee& k : in.committees) {
    require(k.remit.size() == Z && k.funding.size() == J,
            "a committee needs remit Z and funding J");
    for (std::size_t z = 0; z < Z; ++z)
      claimed[z] += k.remit[z] ? 1 : 0;
  }
  for (std::size_t z = 0; z < Z; ++z)
    require(claimed[z] <= 1, "zone " + std::to_string(z) + " is in two committees' remits");
}

double ratio_or_zero(double x, double base) {
  return base > 0 ? x / base : 0.0;
}

// Index of game (sector, target) and of a level in the P x S x target layout.
std::size_t level_index(std::size_t p, std::size_t s, std::size_t t, std::size_t S) {
  return (p * S + s) * kTargets + t;
}

}  // namespace

std::vector<Promoter> promoters(const DecisionInputs& in) {
  validate(in);
  const std::size_t Z = in.Z, J = in.J;
  std::vector<int> committee_of(Z, -1);
  for (std::size_t k = 0; k < in.committees.size(); ++k)
    for (std::size_t z = 0; z < Z; ++z)
      if (in.committees[k].remit[z]) committee_of[z] = static_cast<int>(k);

  double region_gdp = 0, region_tax = 0;
  // Credited GDP and tax (growth denominators) and the fiscal size that converts score points to
  // mCNY: the tax collected on the land a jurisdiction owns, which no sharing rule changes, so a
  // rule acts on decisions only through what it credits.
  std::vector<double> own_gdp(J, 0.0), own_tax(J, 0.0), fiscal_size(J, 0.0);
  for (std::size_t z = 0; z < Z; ++z) {
    region_gdp += in.zone_gdp[z];
    region_tax += in.zone_tax[z];
    for (std::size_t j = 0; j < J; ++j) {
      own_gdp[j] += in.gdp_credit[j * Z + z] * in.zone_gdp[z];
      own_tax[j] += in.tax_credit[j * Z + z] * in.zone_tax[z];
      fiscal_size[j] += in.ownership[z * J + j] * in.zone_tax[z];
    }
  }
  const AssessmentWeights& w = in.weights;
  const double peers = J > 1 ? 1.0 / static_cast<double>(J - 1) : 0.0;
  const double tournament = J > 1 ? w.tournament : 0.0;

  // Every jurisdiction's values, set or not: committees of kind kOwners sum them.
  std::vector<Promoter> juris(J);
  for (std::size_t j = 0; j < J; ++j) {
    Promoter& pr = juris[j];
    pr.index = j;
    pr.available_funds = in.available_funds[j];
    pr.setter.assign(Z, 0.0);
    pr.gdp_value.assign(Z, 0.0);
    pr.tax_value.assign(Z, 0.0);
    for (std::size_t z = 0; z < Z; ++z) {
      if (committee_of[z] < 0) pr.setter[z] = in.ownership[z * J + j];
      // Score change per mCNY credited, times the fiscal size: the objective in mCNY.
      double peers_loss = 0;
      for (std::size_t k = 0; k < J; ++k)
        if (k != j) peers_loss += ratio_or_zero(in.gdp_credit[k * Z + z], own_gdp[k]);
      pr.gdp_value[z] =
          fiscal_size[j] *
          ((w.own_gdp + tournament) * ratio_or_zero(in.gdp_credit[j * Z + z], own_gdp[j]) +
           w.region_gdp * ratio_or_zero(1.0, region_gdp) - tournament * peers * peers_loss);
      pr.tax_value[z] =
          fiscal_size[j] * (w.own_tax * ratio_or_zero(in.tax_credit[j * Z + z], own_tax[j]) +
                            w.region_tax * ratio_or_zero(1.0, region_tax));
    }
  }

  std::vector<Promoter> out;
  for (const Promoter& pr : juris)
    if (sets_any_zone(pr)) out.push_back(pr);
  for (std::size_t k = 0; k < in.committees.size(); ++k) {
    const Committee& cm = in.committees[k];
    Promoter pr;
    pr.committee = true;
    pr.index = k;
    pr.available_funds = cm.available_funds;
    pr.setter.assign(Z, 0.0);
    pr.gdp_value.assign(Z, 0.0);
    pr.tax_value.assign(Z, 0.0);
    double remit_gdp = 0, remit_tax = 0;
    for (std::size_t z = 0; z < Z; ++z)
      if (cm.remit[z]) {
        pr.setter[z] = 1.0;
        remit_gdp += in.zone_gdp[z];
        remit_tax += in.zone_tax[z];
      }
    for (std::size_t z = 0; z < Z; ++z) {
      if (cm.objective == Committee::Objective::kOwners) {
        // The partners' objectives summed: each values the gains as its own, and the office's
        // spending is theirs in funding shares, so the cost counts once in full.
        for (std::size_t j = 0; j < J; ++j) {
          if (!(cm.funding[j] > 0)) continue;
          pr.gdp_value[z] += juris[j].gdp_value[z];
          pr.tax_value[z] += juris[j].tax_value[z];
        }
        continue;
      }
      const double in_remit = cm.remit[z] ? 1.0 : 0.0;
      pr.gdp_value[z] = remit_tax * (w.own_gdp * ratio_or_zero(in_remit, remit_gdp) +
                                     w.region_gdp * ratio_or_zero(1.0, region_gdp));
      pr.tax_value[z] = remit_tax * (w.own_tax * ratio_or_zero(in_remit, remit_tax) +
                                     w.region_tax * ratio_or_zero(1.0, region_tax));
    }
    out.push_back(std::move(pr));
  }
  return out;
}

ExpectedFlows expected_flows(const DecisionInputs& in, const std::vector<Promoter>& prom,
                             const InstrumentTable& packages) {
  validate(in);
  return flows_of({in, prom, prom.size()}, make_games(in, prom), packages);
}

Decision decide(const DecisionInputs& in, const SolverSettings& st,
                const std::vector<double>& warm_levels) {
  Decision d;
  d.promoters = promoters(in);
  const Context cx{in, d.promoters, d.promoters.size()};
  const std::size_t P = cx.P, S = in.S, G = S * kTargets;
  require(warm_levels.empty() || warm_levels.size() == P * G, "warm_levels must be P x S x 2");

  const std::vector<Game> games = make_games(in, d.promoters);
  d.levels = warm_levels.empty() ? std::vector<double>(P * G, 0.0) : warm_levels;
  d.shadow_price.assign(P, 1.0);
  d.guarded.assign(P, 0);

  // Levels of game i as a P vector, and back.
  auto game_levels = [&](std::size_t i) {
    std::vector<double> l(P);
    for (std::size_t p = 0; p < P; ++p)
      l[p] = d.levels[level_index(p, i / kTargets, i % kTargets, S)];
    return l;
  };
  auto table_of = [&](const std::vector<std::vector<double>>& lv) {
    InstrumentTable table(P, S);
    for (std::size_t i = 0; i < G; ++i) {
      const std::vector<OfferPackage> pkg = packages_of(cx, games[i], lv[i]);
      for (std::size_t p = 0; p < P; ++p)
        table.at(p, i / kTargets, static_cast<OfferTarget>(i % kTargets)) = pkg[p];
    }
    return table;
  };
  // Present cost of each promoter's commitments over the period.
  auto period_commitments = [&](const ExpectedFlows& fl) {
    std::vector<double> total(P, 0.0);
    for (std::size_t p = 0; p < P; ++p)
      for (std::size_t i = 0; i < kInstruments; ++i)
        total[p] += fl.commitments[p * kInstruments + i] * static_cast<double>(in.period_months);
    return total;
  };

  std::vector<std::vector<double>> lv(G);
  for (std::size_t i = 0; i < G; ++i)
    lv[i] = game_levels(i);
  std::vector<double> cap(P);
  for (std::size_t p = 0; p < P; ++p)
    cap[p] = in.spending_cap_share * std::max(0.0, d.promoters[p].available_funds);

  ExpectedFlows flows;  // at the current levels
  std::vector<double> spent;
  for (int round = 0; round <= st.budget_rounds; ++round) {
    std::vector<double> weight(P);
    for (std::size_t p = 0; p < P; ++p)
      weight[p] = in.budget_weight * d.shadow_price[p];
    std::vector<GameResult> res(G);
    // parallel_chunks, not a bare tbb::parallel_for: its handoff makes the happens-before edges
    // visible to ThreadSanitizer (see parallel.hpp). Each game writes only its own slot.
    parallel_chunks(G, 1, [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i)
        res[i] = solve_game(cx, games[i], lv[i], weight, st);
    });
    d.iterations = 0;
    d.converged = true;
    for (const GameResult& r : res) {
      d.iterations = std::max(d.iterations, r.iterations);
      d.converged = d.converged && r.converged;
    }
    flows = flows_of(cx, games, table_of(lv));
    spent = period_commitments(flows);
    bool over = false;
    for (std::size_t p = 0; p < P; ++p)
      if (spent[p] > cap[p] && cap[p] > 0) {
        d.shadow_price[p] *= spent[p] / cap[p];
        over = true;
      }
    if (!over || round == st.budget_rounds) break;
  }

  // Guard: a promoter still over its cap has all its levels scaled by the largest factor that
  // keeps its commitments within the cap (commitments rise with every level). Lowering one
  // promoter's offers sends firms to the others, so the guard repeats its passes.
  for (int pass = 0; pass < 3; ++pass) {
    bool scaled = false;
    for (std::size_t p = 0; p < P; ++p) {
      if (!(spent[p] > cap[p])) continue;
      scaled = true;
      d.guarded[p] = 1;
      std::vector<double> own(G);
      for (std::size_t i = 0; i < G; ++i)
        own[i] = lv[i][p];
      double lo = 0, hi = 1;
      for (int b = 0; b < st.guard_bisections; ++b) {
        const double mid = 0.5 * (lo + hi);
        for (std::size_t i = 0; i < G; ++i)
          lv[i][p] = mid * own[i];
        if (period_commitments(flows_of(cx, games, table_of(lv)))[p] <= cap[p])
          lo = mid;
        else
          hi = mid;
      }
      for (std::size_t i = 0; i < G; ++i)
        lv[i][p] = lo * own[i];
      flows = flows_of(cx, games, table_of(lv));
      spent = period_commitments(flows);
    }
    if (!scaled) break;
  }

  d.packages = table_of(lv);
  for (std::size_t i = 0; i < G; ++i)
    for (std::size_t p = 0; p < P; ++p)
      d.levels[level_index(p, i / kTargets, i % kTargets, S)] = lv[i][p];
  d.flows = std::move(flows);
  InstrumentTable outside_only = d.packages;
  for (std::size_t p = 0; p < P; ++p)
    for (std::size_t s = 0; s < S; ++s)
      outside_only.at(p, s, OfferTarget::kWithin) = OfferPackage{};
  d.moves_without_offers = flows_of(cx, games, outside_only, /*within_only=*/true).moves;
  return d;
}

}  // namespace regionsim
