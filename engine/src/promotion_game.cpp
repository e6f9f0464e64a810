#include "promotion_game.hpp"

#include "parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "nested_logit.hpp"

namespace regionsim::promotion {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double annuity(double step, std::int64_t months) {
  double sum = 0, w = 1;
  for (std::int64_t m = 0; m < months; ++m) {
    sum += w;
    w *= step;
  }
  return sum;
}

Valuation firm_view(const DecisionInputs& in) {
  return {in.firm_discount_rate, in.monthly_stay, std::numeric_limits<std::int64_t>::max(), 1.0};
}
Valuation government_view(const DecisionInputs& in) {
  return {in.government_discount_rate, in.monthly_stay, in.horizon_months,
          in.beyond_horizon_weight};
}

void prepare(const Context& cx, const Game& g, const std::vector<OfferPackage>& pkg, Scratch& sc) {
  const DecisionInputs& in = cx.in;
  sc.zone_levels.assign(in.Z, Levels3{});
  for (std::size_t p = 0; p < cx.P; ++p) {
    const Levels3 l = as_levels(pkg[p]);
    for (std::size_t z = 0; z < in.Z; ++z)
      for (std::size_t i = 0; i < kInstruments; ++i)
        sc.zone_levels[z][i] += cx.prom[p].setter[z] * l[i];
  }
  sc.firm_pv.resize(in.Z * in.C);
  for (std::size_t z = 0; z < in.Z; ++z)
    for (std::size_t c = 0; c < in.C; ++c) {
      double v = 0;
      for (std::size_t i = 0; i < kInstruments; ++i)
        v += sc.zone_levels[z][i] * g.unit_value[z * in.C + c][i];
      sc.firm_pv[z * in.C + c] = v;
    }
  sc.utility.resize(in.Z);
  sc.shares.resize(in.Z);
  if (g.target != OfferTarget::kWithin) return;
  // The offer part of a destination's utility does not depend on the origin: one exponential per
  // destination and class, times the origin row's precomputed exp(base).
  sc.offer_factor.resize(in.Z * in.C);
  sc.stay_factor.resize(in.C);
  for (std::size_t c = 0; c < in.C; ++c) {
    double top = 0;
    for (std::size_t z = 0; z < in.Z; ++z)
      top = std::max(top, in.beta_offer * sc.firm_pv[z * in.C + c]);
    for (std::size_t z = 0; z < in.Z; ++z)
      sc.offer_factor[z * in.C + c] = std::exp(in.beta_offer * sc.firm_pv[z * in.C + c] - top);
    sc.stay_factor[c] = std::exp(-top);
  }
}

// Relocation shares of firms of class c reviewing in zone `from` (written to sc.shares); false
// when no zone is available.
bool row_shares(const Context& cx, const Game& g, Scratch& sc, std::size_t from, std::size_t c) {
  const std::size_t Z = cx.in.Z, C = cx.in.C;
  double sum = 0;
  for (std::size_t to = 0; to < Z; ++to) {
    const double offer = to == from ? sc.stay_factor[c] : sc.offer_factor[to * C + c];
    sc.shares[to] = g.move_weight[from * Z + to] * offer;
    sum += sc.shares[to];
  }
  if (!(sum > 0)) return false;
  for (std::size_t to = 0; to < Z; ++to)
    sc.shares[to] /= sum;
  return true;
}

// Calls visit(z_from or Z for projects, z_to, class, expected count) for every flow of the game.
template <typename Visit>
void for_each_flow(const Context& cx, const Game& g, Scratch& sc, Visit&& visit) {
  const DecisionInputs& in = cx.in;
  const std::size_t Z = in.Z, C = in.C, s = g.sector;
  if (g.target == OfferTarget::kOutside) {
    for (std::size_t c = 0; c < C; ++c) {
      if (!(g.mass[c] > 0)) continue;
      for (std::size_t z = 0; z < Z; ++z)
        sc.utility[z] = in.project_utility[z * in.S + s] + in.beta_offer * sc.firm_pv[z * C + c];
      expected_nested_shares(sc.utility, in.zone_known, in.outside_utility[s], in.nest_lambda,
                             sc.shares);
      for (std::size_t z = 0; z < Z; ++z)
        if (sc.shares[z] > 0) visit(Z, z, c, g.mass[c] * sc.shares[z]);
    }
    return;
  }
  for (std::size_t from = 0; from < Z; ++from)
    for (std::size_t c = 0; c < C; ++c) {
      const double reviews = g.mass[from * C + c];
      if (!(reviews > 0) || !row_shares(cx, g, sc, from, c)) continue;
      for (std::size_t to = 0; to < Z; ++to)
        if (to != from && sc.shares[to] > 0) visit(from, to, c, reviews * sc.shares[to]);
    }
}

}  // namespace

// Objective of promoter p in game g (docs/model.md §14.3) and its gradient:
//   projects:  Σ_c N_c E[Σ_z share_z m_z],   moves: Σ_{from,c} R Σ_{to≠from} P_to m_to,
//   m = value of the firm to p - η (p's share of the package's cost).
Outcome evaluate(const Context& cx, const Game& g, std::size_t p,
                 const std::vector<OfferPackage>& pkg, double budget_weight, Scratch& sc) {
  prepare(cx, g, pkg, sc);
  const DecisionInputs& in = cx.in;
  const std::size_t Z = in.Z, C = in.C, s = g.sector;
  const Levels3 own = as_levels(pkg[p]);
  const std::vector<double>& setter = cx.prom[p].setter;
  Outcome out;
  sc.margin.resize(Z);
  sc.du.resize(Z * kInstruments);
  auto fill_zone = [&](std::size_t z, std::size_t c, double value) {
    const Levels3& uc = g.unit_cost[z * C + c];
    const Levels3& uv = g.unit_value[z * C + c];
    double cost = 0;
    for (std::size_t i = 0; i < kInstruments; ++i) {
      cost += own[i] * uc[i];
      sc.du[z * kInstruments + i] = in.beta_offer * setter[z] * uv[i];
    }
    sc.margin[z] = value - budget_weight * setter[z] * cost;
  };
  auto add_share = [&](std::size_t z, std::size_t c, double n) {
    const Levels3& uc = g.unit_cost[z * C + c];
    for (std::size_t i = 0; i < kInstruments; ++i) {
      out.gradient[i] -= n * budget_weight * setter[z] * uc[i];
      out.spending[i] += n * setter[z] * own[i] * uc[i];
    }
  };

  if (g.target == OfferTarget::kOutside) {
    Levels3 grad{};
    for (std::size_t c = 0; c < C; ++c) {
      const double mass = g.mass[c];
      if (!(mass > 0)) continue;
      for (std::size_t z = 0; z < Z; ++z) {
        sc.utility[z] = in.project_utility[z * in.S + s] + in.beta_offer * sc.firm_pv[z * C + c];
        fill_zone(z, c, g.value[(p * Z + z) * C + c]);
      }
      out.objective += mass * expected_nested_value(
                                  sc.utility, in.zone_known, in.outside_utility[s], in.nest_lambda,
                                  sc.margin, sc.du, kInstruments, grad, sc.shares);
      for (std::size_t i = 0; i < kInstruments; ++i)
        out.gradient[i] += mass * grad[i];
      for (std::size_t z = 0; z < Z; ++z)
        if (sc.shares[z] > 0) add_share(z, c, mass * sc.shares[z]);
    }
    return out;
  }
  // What does not depend on the origin, once per destination and class: p's cost per firm and the
  // utility gradient of p's levels (zero where p sets nothing).
  sc.cost.resize(Z * C);
  sc.du.resize(Z * C * kInstruments);
  for (std::size_t to = 0; to < Z; ++to)
    for (std::size_t c = 0; c < C; ++c) {
      const Levels3& uc = g.unit_cost[to * C + c];
      const Levels3& uv = g.unit_value[to * C + c];
      double cost = 0;
      for (std::size_t i = 0; i < kInstruments; ++i) {
        cost += own[i] * uc[i];
        sc.du[(to * C + c) * kInstruments + i] = in.beta_offer * setter[to] * uv[i];
      }
      sc.cost[to * C + c] = setter[to] * cost;
    }
  for (std::size_t from = 0; from < Z; ++from)
    for (std::size_t c = 0; c < C; ++c) {
      const double reviews = g.mass[from * C + c];
      if (!(reviews > 0) || !row_shares(cx, g, sc, from, c)) continue;
      // Staying is the reference: no gain, no package, no utility gradient.
      Levels3 mean_du{};
      for (std::size_t to = 0; to < Z; ++to)
        if (to != from)
          for (std::size_t i = 0; i < kInstruments; ++i)
            mean_du[i] += sc.shares[to] * sc.du[(to * C + c) * kInstruments + i];
      for (std::size_t to = 0; to < Z; ++to) {
        if (to == from || !(sc.shares[to] > 0)) continue;
        const double n = reviews * sc.shares[to];
        const double margin =
            g.value[((p * Z + from) * Z + to) * C + c] - budget_weight * sc.cost[to * C + c];
        out.objective += n * margin;
        for (std::size_t i = 0; i < kInstruments; ++i)
          out.gradient[i] += n * (sc.du[(to * C + c) * kInstruments + i] - mean_du[i]) * margin;
        if (setter[to] > 0) add_share(to, c, n);
      }
    }
  return out;
}

Game make_game(const DecisionInputs& in, const std::vector<Promoter>& prom, std::size_t s,
               OfferTarget target) {
  const std::size_t Z = in.Z, C = in.C, P = prom.size();
  Game g;
  g.sector = s;
  g.target = target;
  const Valuation fv = firm_view(in), gv = government_view(in);
  g.ladder = cheapest_first(in.terms, target, in.fair_competition, fv, gv);
  if (target == OfferTarget::kWithin && !in.within_offers) g.ladder.size = 0;
  g.unit_value.resize(Z * C);
  g.unit_cost.resize(Z * C);
  const OfferPackage refund{0, 1, 0}, rent{0, 0, 1};
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t c = 0; c < C; ++c) {
      const std::size_t cell = (z * in.S + s) * C + c;
      const FirmProfile firm{in.tax_per_firm[cell], in.rent_per_firm[cell]};
      g.unit_value[z * C + c] = {1.0, present_values(refund, in.terms, firm, fv).refund,
                                 present_values(rent, in.terms, firm, fv).rent};
      g.unit_cost[z * C + c] = {1.0, present_values(refund, in.terms, firm, gv).refund,
                                present_values(rent, in.terms, firm, gv).rent};
    }
  // Credited changes over the horizon, discounted and weighted by the firm's survival.
  const double step = std::pow(1.0 + in.government_discount_rate, -1.0 / 12.0) * in.monthly_stay;
  const double aH = annuity(step, in.horizon_months);
  const double aOg = annuity(step, std::min(in.gdp_origin_months, in.horizon_months));
  const double aOt = annuity(step, std::min(in.tax_origin_months, in.horizon_months));
  const double months = static_cast<double>(in.period_months);
  auto cell = [&](std::size_t z, std::size_t c) { return (z * in.S + s) * C + c; };
  if (target == OfferTarget::kOutside) {
    g.mass.resize(C);
    for (std::size_t c = 0; c < C; ++c)
      g.mass[c] = in.project_rate[s] * in.project_class_share[s * C + c] * months;
    g.value.resize(P * Z * C);
    for (std::size_t p = 0; p < P; ++p)
      for (std::size_t z = 0; z < Z; ++z)
        for (std::size_t c = 0; c < C; ++c)
          g.value[(p * Z + z) * C + c] = aH * (prom[p].gdp_value[z] * in.gdp_per_firm[cell(z, c)] +
                                               prom[p].tax_value[z] * in.tax_per_firm[cell(z, c)]);
    return g;
  }
  g.move_weight.resize(Z * Z);
  for (std::size_t from = 0; from < Z; ++from) {
    double top = kNegInf;
    for (std::size_t to = 0; to < Z; ++to)
      top = std::max(top, in.move_utility[(from * Z + to) * in.S + s]);
    for (std::size_t to = 0; to < Z; ++to) {
      const double u = in.move_utility[(from * Z + to) * in.S + s];
      g.move_weight[from * Z + to] = top > kNegInf && u > kNegInf ? std::exp(u - top) : 0.0;
    }
  }
  g.mass.resize(Z * C);
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t c = 0; c < C; ++c)
      g.mass[z * C + c] = in.firms[cell(z, c)] * in.review_rate[cell(z, c)] * months;
  g.value.assign(P * Z * Z * C, 0.0);
  for (std::size_t p = 0; p < P; ++p)
    for (std::size_t from = 0; from < Z; ++from)
      for (std::size_t to = 0; to < Z; ++to) {
        if (to == from) continue;
        for (std::size_t c = 0; c < C; ++c) {
          // The destination gets the firm's amounts less the origin's share for the origin
          // months; the origin loses what it had and keeps that share.
          const double y0 = in.gdp_per_firm[cell(from, c)], y1 = in.gdp_per_firm[cell(to, c)];
          const double t0 = in.tax_per_firm[cell(from, c)], t1 = in.tax_per_firm[cell(to, c)];
          const double dy_to = y1 * (aH - in.gdp_origin_share * aOg);
          const double dy_from = in.gdp_origin_share * y1 * aOg - y0 * aH;
          const double dt_to = t1 * (aH - in.tax_origin_share * aOt);
          const double dt_from = in.tax_origin_share * t1 * aOt - t0 * aH;
          const Promoter& pr = prom[p];
          g.value[((p * Z + from) * Z + to) * C + c] =
              pr.gdp_value[to] * dy_to + pr.gdp_value[from] * dy_from + pr.tax_value[to] * dt_to +
              pr.tax_value[from] * dt_from;
        }
      }
  return g;
}

namespace {

// Best response of promoter p in game g to the others' packages. The objective is smooth inside
// each rung of the ladder, so its local maxima are corners of the ladder or roots of the
// first-order condition inside a rung whose slope turns from rising to falling (found by Illinois
// steps). The best of them is chosen, unless the local maximum nearest to the current level is
// within `switch_margin` of it: a government does not overturn its policy for a marginal gain,
// which also keeps the iteration from cycling between two almost equal peaks. Ties go to the
// lower level (the smaller offer).
struct Response {
  double level = 0;
  bool switched = false;  // to a peak other than the one nearest the current level
};

Response best_response(const Context& cx, const Game& g, std::size_t p, double current,
                       std::vector<OfferPackage>& pkg, double budget_weight,
                       const SolverSettings& st, Scratch& sc) {
  const std::size_t L = g.ladder.size;
  auto eval = [&](double x) {
    pkg[p] = package_at(x, g.ladder, cx.in.terms);
    return evaluate(cx, g, p, pkg, budget_weight, sc);
  };
  // Slope along rung k: the rung's instrument moves at its cap per ladder level.
  auto slope = [&](const Outcome& o, std::size_t k) {
    const Instrument i = g.ladder.order[k];
    return instrument_cap(i, cx.in.terms) * o.gradient[static_cast<std::size_t>(i)];
  };
  std::array<Outcome, kInstruments + 1> corner;
  for (std::size_t k = 0; k <= L; ++k)
    corner[k] = eval(static_cast<double>(k));
  struct Peak {
    double x, f;
  };
  std::array<Peak, 2 * kInstruments + 1> peaks{};
  std::size_t n = 0;
  for (std::size_t k = 0; k <= L; ++k) {
    const bool rises_into = k == 0 || slope(corner[k], k - 1) >= 0;
    const bool falls_after = k == L || slope(corner[k], k) <= 0;
    if (rises_into && falls_after) peaks[n++] = {static_cast<double>(k), corner[k].objective};
    if (k == L) break;
    double a = static_cast<double>(k), b = a + 1.0;
    double da = slope(corner[k], k), db = slope(corner[k + 1], k);
    if (!(da > 0 && db < 0)) continue;
    Peak root{a, -std::numeric_limits<double>::infinity()};
    int side = 0;
    double x_prev = a;
    for (int it = 0; it < st.root_iterations; ++it) {
      const double x = std::clamp((a * db - b * da) / (db - da), a, b);
      const Outcome o = eval(x);
      if (o.objective > root.f) root = {x, o.objective};
      const double dx = slope(o, k);
      if (std::abs(x - x_prev) < st.root_tolerance || dx == 0) break;
      x_prev = x;
      if (dx > 0) {
        a = x, da = dx;
        if (side == 1) db *= 0.5;
        side = 1;
      } else {
        b = x, db = dx;
        if (side == -1) da *= 0.5;
        side = -1;
      }
    }
    peaks[n++] = root;
  }
  if (n == 0) {  // rounding hid every peak: fall back on the best corner
    for (std::size_t k = 0; k <= L; ++k)
      if (n == 0 || corner[k].objective > peaks[0].f)
        peaks[0] = {static_cast<double>(k), corner[k].objective}, n = 1;
  }
  std::size_t best = 0, near = 0;
  for (std::size_t i = 1; i < n; ++i) {
    if (peaks[i].f > peaks[best].f) best = i;
    if (std::abs(peaks[i].x - current) < std::abs(peaks[near].x - current)) near = i;
  }
  const double margin =
      st.switch_margin * std::max(std::abs(peaks[best].f), std::abs(peaks[near].f));
  if (peaks[best].f > peaks[near].f + margin) return {peaks[best].x, best != near};
  return {peaks[near].x, false};
}

}  // namespace

// Damped simultaneous best responses until no level moves by more than the tolerance.
GameResult solve_game(const Context& cx, const Game& g, std::vector<double>& level,
                      const std::vector<double>& budget_weight, const SolverSettings& st) {
  GameResult r;
  std::vector<std::size_t> active;
  for (std::size_t p = 0; p < cx.P; ++p) {
    if (g.ladder.size == 0 || !sets_any_zone(cx.prom[p]) || !(cx.prom[p].available_funds > 0))
      level[p] = 0.0;
    else
      active.push_back(p);
    level[p] = std::clamp(level[p], 0.0, static_cast<double>(g.ladder.size));
  }
  if (active.empty()) return r;
  Scratch sc;
  std::vector<OfferPackage> pkg(cx.P), frozen(cx.P);
  std::vector<double> br(cx.P, 0.0);
  std::vector<std::uint8_t> jumped(cx.P, 0);
  r.converged = false;
  double damping = st.damping, last_delta = std::numeric_limits<double>::infinity();
  for (int it = 0; it < st.max_iterations; ++it) {
    for (std::size_t p = 0; p < cx.P; ++p)
      frozen[p] = package_at(level[p], g.ladder, cx.in.terms);
    double delta = 0;
    for (std::size_t p : active) {
      pkg = frozen;
      const Response resp = best_response(cx, g, p, level[p], pkg, budget_weight[p], st, sc);
      br[p] = resp.level;
      jumped[p] = resp.switched;
      delta = std::max(delta, std::abs(br[p] - level[p]));
    }
    r.iterations = it + 1;
    // Steps that no longer shrink by a tenth signal overshooting or a cycle: damp harder.
    if (delta > 0.9 * last_delta) damping = std::max(st.min_damping, 0.5 * damping);
    last_delta = delta;
    // A lone promoter's best response does not depend on its own level: take it whole.
    // A jump to another peak is taken whole: part of the way lies in the valley between them,
    // which is nobody's best response.
    const double d = active.size() == 1 ? 1.0 : damping;
    for (std::size_t p : active)
      level[p] += (jumped[p] ? 1.0 : d) * (br[p] - level[p]);
    if (delta <= st.tolerance) {
      r.converged = true;
      break;
    }
    // Damped to where its steps no longer matter: no equilibrium nearby (best responses jump
    // between peaks); the levels are a damped average of the best responses, as in fictitious
    // play, and the game is reported as not converged.
    if (d * delta <= st.tolerance) break;
  }
  return r;
}

std::vector<OfferPackage> packages_of(const Context& cx, const Game& g,
                                      const std::vector<double>& level) {
  std::vector<OfferPackage> pkg(cx.P);
  for (std::size_t p = 0; p < cx.P; ++p)
    pkg[p] = package_at(level[p], g.ladder, cx.in.terms);
  return pkg;
}

// Expected flows per month of the games (sector-major, outside then within) under the packages.
ExpectedFlows flows_of(const Context& cx, const std::vector<Game>& games,
                       const InstrumentTable& packages, bool within_only) {
  const DecisionInputs& in = cx.in;
  const std::size_t Z = in.Z;
  ExpectedFlows fl;
  fl.entries.assign(Z * in.S, 0.0);
  fl.moves.assign(Z * Z * in.S, 0.0);
  fl.commitments.assign(cx.P * kInstruments, 0.0);
  Scratch sc;
  const double per_month = 1.0 / static_cast<double>(in.period_months);
  for (const Game& g : games) {
    if (within_only && g.target != OfferTarget::kWithin) continue;
    const std::size_t s = g.sector;
    std::vector<OfferPackage> pkg(cx.P);
    for (std::size_t p = 0; p < cx.P; ++p)
      pkg[p] = permitted(packages.at(p, s, g.target), g.target, in.fair_competition);
    prepare(cx, g, pkg, sc);
    for_each_flow(cx, g, sc, [&](std::size_t from, std::size_t to, std::size_t c, double n) {
      const double monthly = n * per_month;
      if (from == Z)
        fl.entries[to * in.S + s] += monthly;
      else
        fl.moves[(from * Z + to) * in.S + s] += monthly;
      for (std::size_t p = 0; p < cx.P; ++p) {
        const Levels3 own = as_levels(pkg[p]);
        for (std::size_t i = 0; i < kInstruments; ++i)
          fl.commitments[p * kInstruments + i] +=
              monthly * cx.prom[p].setter[to] * own[i] * g.unit_cost[to * in.C + c][i];
      }
    });
  }
  return fl;
}

std::vector<Game> make_games(const DecisionInputs& in, const std::vector<Promoter>& prom) {
  const std::size_t G = in.S * kTargets;
  std::vector<Game> games(G);
  // parallel_chunks for ThreadSanitizer-visible handoffs (parallel.hpp); one slot per game.
  parallel_chunks(G, 1, [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i)
      games[i] = make_game(in, prom, i / kTargets, static_cast<OfferTarget>(i % kTargets));
  });
  return games;
}

}  // namespace regionsim::promotion
