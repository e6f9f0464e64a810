// Promotion in the monthly phases: zone packages as a field, contracts, the period's decision.
#include "promotion.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "policies.hpp"
#include "shards.hpp"

namespace regionsim {

InstrumentTerms instrument_terms(const Scenario& s) {
  const InstrumentParams& p = s.instruments;
  InstrumentTerms t;
  t.refund_stages = {{p.refund_share_1, p.refund_years_1}, {p.refund_share_2, p.refund_years_2}};
  t.rent_years = p.rent_years;
  t.settlement_max = p.settlement_max;
  return t;
}

Valuation firm_valuation(const Scenario& s) {
  return {s.instruments.firm_discount_rate, 1.0 - s.firms.exit_hazard,
          std::numeric_limits<std::int64_t>::max(), 1.0};
}

Money debt_limit(const Scenario& s, std::size_t j) {
  const JurisdictionSpec& spec = s.jurisdictions[j];
  const double limit =
      spec.debt_limit >= 0 ? spec.debt_limit : 0.5 * std::max(0.0, spec.initial_budget);
  return to_money(limit * s.run.scale);
}

void set_zone_packages(const MonthInputs& m, const Promotion& pr, ZoneFields& f) {
  const RegionTables& t = m.tables;
  const PackagesInForce& in = pr.in_force;
  const bool fair = fair_competition_on(m);
  f.package.assign(t.Z * t.S * kTargets, OfferPackage{});
  f.package_payer.assign(t.Z * t.J, 0.0);
  f.offer = Matrix::Zero(t.Z, t.S);
  f.within_value.assign(t.Z * t.S * kPromotionClasses, 0.0);
  f.paper_value.assign(t.Z * t.S * kPromotionClasses, 0.0);
  f.committee_zone.assign(t.Z, 0);
  const std::size_t P = in.promoters();
  for (std::size_t z = 0; z < t.Z; ++z) {
    double set = 0;
    for (std::size_t p = 0; p < P; ++p) {
      const double w = in.setter[p * t.Z + z];
      if (!(w > 0)) continue;
      set += w;
      if (in.committee[p] == kSeparationCommittee) f.committee_zone[z] = 1;
      for (std::size_t j = 0; j < t.J; ++j)
        f.package_payer[z * t.J + j] += w * in.payer[p * t.J + j];
      for (std::size_t s = 0; s < t.S; ++s)
        for (std::size_t g = 0; g < kTargets; ++g) {
          const OfferPackage& q = in.packages.at(p, s, static_cast<OfferTarget>(g));
          OfferPackage& z_pkg = f.package[(z * t.S + s) * kTargets + g];
          z_pkg.settlement += w * q.settlement;
          z_pkg.refund_scale += w * q.refund_scale;
          z_pkg.rent_discount += w * q.rent_discount;
        }
    }
    // Before any decision nobody pays; the owners would (ownership) if a package appeared.
    if (!(set > 0))
      for (std::size_t j = 0; j < t.J; ++j)
        f.package_payer[z * t.J + j] = t.ownership(z, j);
  }
  for (std::size_t i = 0; i < f.package.size(); ++i)
    f.package[i] = permitted(f.package[i], static_cast<OfferTarget>(i % kTargets), fair);
  if (pr.tax_per_firm.empty()) return;  // no decision yet: nothing is worth anything
  const InstrumentTerms terms = instrument_terms(m.scenario);
  const Valuation view = firm_valuation(m.scenario);
  const std::size_t project_class = promotion_class(m.scenario.firms.project_size);
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t s = 0; s < t.S; ++s)
      for (std::size_t c = 0; c < kPromotionClasses; ++c) {
        const std::size_t cell = cell_index(t, z, s, c);
        const FirmProfile firm{pr.tax_per_firm[cell], pr.rent_per_firm[cell]};
        const auto base = (z * t.S + s) * kTargets;
        if (c == project_class) f.offer(z, s) = firm_value(f.package[base + 0], terms, firm, view);
        f.within_value[cell] = firm_value(f.package[base + 1], terms, firm, view);
        f.paper_value[cell] =
            firm_value(f.package[base + 1], terms, {pr.tax_per_firm[cell], 0.0}, view);
      }
}

namespace {

bool pays_over_time(const OfferPackage& q) {
  return q.refund_scale > 0 || q.rent_discount > 0;
}

// A firm that moved only its registration rents no floor space in the zone that signs it: its
// contract carries no rent discount (`paper`).
void sign(Promotion& pr, const ZoneFields& f, const Extents& t, std::int64_t month, AgentId id,
          std::size_t z, std::size_t s, OfferTarget target, bool paper = false) {
  pr.contract_of[id] = -1;
  OfferPackage q = f.package[(z * t.S + s) * kTargets + static_cast<std::size_t>(target)];
  if (paper) q.rent_discount = 0;
  if (!pays_over_time(q)) return;
  Contract c;
  c.month = static_cast<std::int32_t>(month);
  c.zone = static_cast<std::uint8_t>(z);
  c.sector = static_cast<std::uint8_t>(s);
  c.target = target;
  c.package = q;
  c.package.settlement = 0;  // paid on signing, not a stream
  c.committee = f.committee_zone.empty() ? 0 : f.committee_zone[z];
  c.payer.assign(f.package_payer.begin() + static_cast<std::ptrdiff_t>(z * t.J),
                 f.package_payer.begin() + static_cast<std::ptrdiff_t>((z + 1) * t.J));
  pr.contract_of[id] = static_cast<std::int32_t>(pr.contracts.size());
  pr.contracts.push_back(std::move(c));
}

}  // namespace

void sign_contracts(const MonthView& m, const FirmFlows& firms, const EntryFlows& entries,
                    AgentId id_bound, Promotion& pr) {
  const RegionTables& t = m.tables;
  if (pr.contract_of.size() < id_bound) pr.contract_of.resize(id_bound, -1);
  // A sharded run's shards each keep the contracts of the firms they hold (only the firm's own
  // decisions and stocks read them).
  for (const FirmFlows::Moved& moved : firms.moved)
    if (holds(m.shard, moved.id))
      sign(pr, m.fields, t, m.month, moved.id, moved.reg_zone, moved.sector, OfferTarget::kWithin,
           moved.reg_zone != moved.zone);
  // Projects sign last to first (the order the book has always had them in).
  for (auto it = entries.projects.rbegin(); it != entries.projects.rend(); ++it)
    if (holds(m.shard, it->id))
      sign(pr, m.fields, t, m.month, it->id, it->zone, it->sector, OfferTarget::kOutside);
}

void decide_promotion(const MonthView& m, const FirmFlows& firms, Jurisdictions& g) {
  Promotion& pr = g.promotion;
  const DecisionInputs in = decision_inputs(m, firms, g);
  const std::vector<Promoter> who = promoters(in);
  std::vector<std::int64_t> key;
  key.reserve(who.size());
  for (const Promoter& p : who)
    key.push_back((p.committee ? 1024 : 0) + static_cast<std::int64_t>(p.index));
  const bool warm = key == pr.levels_key;
  const Decision d = decide(in, SolverSettings{}, warm ? pr.levels : std::vector<double>{});
  pr.levels = d.levels;
  pr.levels_key = key;
  pr.decision_converged = d.converged;
  pr.decision_iterations = d.iterations;
  pr.tax_per_firm = in.tax_per_firm;
  pr.rent_per_firm = in.rent_per_firm;
  const std::size_t P = d.promoters.size(), Z = in.Z, J = in.J;
  PackagesInForce next;
  next.packages = d.packages;
  next.setter.assign(P * Z, 0.0);
  next.payer.assign(P * J, 0.0);
  for (std::size_t p = 0; p < P; ++p) {
    const Promoter& q = d.promoters[p];
    const bool separation =
        q.committee && in.committees[q.index].objective == Committee::Objective::kRemit;
    next.committee.push_back(separation ? kSeparationCommittee : q.committee ? kJointOffice : 0);
    next.index.push_back(q.index);
    for (std::size_t z = 0; z < Z; ++z)
      next.setter[p * Z + z] = q.setter[z];
    for (std::size_t j = 0; j < J; ++j)
      next.payer[p * J + j] =
          q.committee ? in.committees[q.index].funding[j] : (j == q.index ? 1.0 : 0.0);
  }
  pr.pending = std::move(next);
  g.pending_from = m.month + 1 + decision_lag(m);
}

void apply_pending_packages(const MonthInputs& m, Jurisdictions& g) {
  if (g.pending_from < 0 || m.month + 1 < g.pending_from) return;
  Promotion& pr = g.promotion;
  pr.in_force = pr.pending;
  g.pending_from = -1;
  g.offer.setZero();
  const PackagesInForce& in = pr.in_force;
  for (std::size_t p = 0; p < in.promoters(); ++p)
    if (!in.committee[p])
      for (std::size_t s = 0; s < m.tables.S; ++s)
        g.offer(static_cast<Eigen::Index>(in.index[p]), static_cast<Eigen::Index>(s)) =
            in.packages.at(p, s, OfferTarget::kOutside).settlement;
}

}  // namespace regionsim
