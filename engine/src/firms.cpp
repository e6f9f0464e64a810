// Firm decisions of the month, one pass over the firms in four steps: production, wages, rent and
// tax (and their crediting); exit after sustained losses or by hazard; relocation by logit over
// zones with free floor, admitted in id order while the floor holds (land.hpp); labour demand
// (vacancies and layoffs) where the firm then stands.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "apportion.hpp"
#include "assert.hpp"
#include "firm_size.hpp"
#include "land.hpp"
#include "parallel.hpp"
#include "phases.hpp"
#include "policies.hpp"
#include "power_table.hpp"
#include "promotion.hpp"
#include "shards.hpp"
#include "zone_utility.hpp"

namespace regionsim {

namespace {

// Credits a firm's tax (or value added) to zones and finders: under joint promotion the
// jurisdiction that found a new firm gets its finder's share for some years; under a sharing rule
// a firm that moved (really or on paper) gives its origin zone the origin share for some years;
// the rest goes to the zone where the firm is registered.
struct Crediting {
  const FirmStore& firms;
  std::int64_t month;
  bool finder_on;
  std::int64_t finder_months;
  double finder_share;

  Money credit(PerZone<Money>& to_zone, PerJurisdiction<Money>& to_finder, std::size_t i,
               Money amount, double firm_tax, const SharingRule& rule) const {
    Money rest = amount;
    if (finder_on && firms.finder[i] != kNoJurisdiction &&
        month - firms.entry_step[i] < finder_months) {
      const Money part = share_of(amount, finder_share);
      to_finder(firms.finder[i]) += part;
      rest -= part;
    }
    const bool split = in_force(rule.start_month, month) &&
                       firms.moved_step[i] >= rule.start_month && firms.moved_step[i] < month &&
                       month - firms.moved_step[i] < months_of(rule.origin_years) &&
                       firms.origin_zone[i] != firms.reg_zone[i] && firm_tax >= rule.origin_min_tax;
    if (split) {
      const Money part = share_of(rest, rule.origin_share);
      to_zone(firms.origin_zone[i]) += part;
      rest -= part;
    }
    to_zone(firms.reg_zone[i]) += rest;
    return rest;
  }
};

// What every firm's decisions read this month, worked out once (the view's parts the hot loop
// reads are held directly).
struct FirmMonth {
  const MonthView& m;
  const FirmParams& p;
  const ZoneFields& fields;
  const Rng& rng;
  std::int64_t month;
  std::uint32_t step;
  Crediting crediting;
  const Promotion& promotion;
  InstrumentTerms terms;
  bool fair_competition;
  Vector mix_wage;  // the going wage per employee in each zone, at the region's skill mix
  std::vector<std::int64_t> room;  // free floor per zone at the start of the month (land.hpp)
  PowerTable output_power;         // L^alpha: value added's labour term
  PowerTable exit_size_factor;     // (L / reference_size)^-elasticity: the exit hazard's size term
  // firm_zone_utility(zone, sector) without offers, which every firm considering a move reads for
  // every zone: the same for all firms of a sector this month (zone x sector).
  std::vector<double> zone_utility;

  FirmMonth(const MonthView& view, const FirmStore& firms, const Promotion& pr)
      : m(view),
        p(view.scenario.firms),
        fields(view.fields),
        rng(view.rng),
        month(view.month),
        step(view.step()),
        crediting{firms, view.month, joint_promotion_on(view),
                  months_of(view.scenario.joint_promotion.finder_years),
                  view.scenario.joint_promotion.finder_share},
        promotion(pr),
        terms(instrument_terms(view.scenario)),
        fair_competition(fair_competition_on(view)),
        mix_wage(view.fields.wage * view.tables.skill_share),
        room(view.tables.Z),
        output_power(1.0, view.scenario.firms.alpha),
        exit_size_factor(view.scenario.firms.reference_size,
                         -view.scenario.firms.exit_size_elasticity),
        zone_utility(view.tables.Z * view.tables.S) {
    for (std::size_t c = 0; c < view.tables.Z; ++c)
      for (std::size_t sector = 0; sector < view.tables.S; ++sector)
        zone_utility[c * view.tables.S + sector] = firm_zone_utility(view, c, sector, 0.0, 1.0);
    for (std::size_t z = 0; z < view.tables.Z; ++z) {
      std::int64_t occupied = 0;
      for (std::size_t k = 0; k < view.tables.S; ++k)
        occupied += view.fields.employment(z, k);
      room[z] = floor_room(view.fields.floor_capacity(z), occupied);
    }
  }
};

// Refund and rent payments this month on the firm's contract, if it holds one, on its actual tax
// and rent bill; each payer's part exact to the yuan. Payments start the month after signing; what
// the fair-competition review forbids stops from its start month.
void pay_contract(const FirmMonth& fm, AgentId id, std::size_t z, double tax, double rent_bill,
                  FirmFlows& local) {
  const Promotion& pr = fm.promotion;
  if (id >= pr.contract_of.size() || pr.contract_of[id] < 0) return;
  const Contract& c = pr.contracts[static_cast<std::size_t>(pr.contract_of[id])];
  const OfferPackage q = permitted(c.package, c.target, fm.fair_competition);
  const InstrumentAmounts due =
      payments_in_month(q, fm.terms, {tax, rent_bill}, fm.month - c.month - 1);
  const Money refund = to_money(due.refund), rent = to_money(due.rent);
  if (refund == 0 && rent == 0) return;
  const auto refund_parts = apportion_signed(refund, c.payer);
  const auto rent_parts = apportion_signed(rent, c.payer);
  for (std::size_t j = 0; j < c.payer.size(); ++j) {
    local.refund_paid(j) += refund_parts[j];
    local.rent_paid(j) += rent_parts[j];
    if (c.target == OfferTarget::kWithin) local.within_paid(j) += refund_parts[j] + rent_parts[j];
    if (c.committee) local.committee_paid(j) += refund_parts[j] + rent_parts[j];
  }
  local.contract_payments(z) += refund + rent;
}

// Production, wages, rent and tax at the firm's current zone, credited to zones and finders; the
// loss streak follows the after-tax profit.
void produce(const FirmMonth& fm, FirmStore& firms, std::size_t i, FirmFlows& local) {
  const ZoneFields& zf = fm.fields;
  const FirmParams& p = fm.p;
  const std::size_t z = firms.zone[i];
  const std::size_t sector = firms.sector[i];
  const double labour = firms.employees[i];
  // Firms pay the zone's going wage for the region's skill mix: who exactly a small firm happens
  // to have hired does not swing its costs (and so its desired size) by tens of percent.
  const double wage_bill = labour * fm.mix_wage(z);
  const double value_added =
      labour > 0 ? firms.tfp[i] * zf.multiplier(z, sector) * fm.output_power(firms.employees[i])
                 : 0.0;
  const double profit = value_added - wage_bill - zf.rent(z) * labour;
  const double vat = p.vat_rate * value_added;
  // High-tech enterprises pay CIT at 15 % instead of 25 %.
  const double cit_rate = firms.hte[i] ? p.cit_rate * p.hte_cit_factor : p.cit_rate;
  const double tax = vat + cit_rate * std::max(0.0, profit - vat);
  const Money value_added_yuan = to_money(value_added);
  const Money tax_yuan = to_money(tax);
  local.output(z, sector) += value_added_yuan;
  local.tax(z) += tax_yuan;
  fm.crediting.credit(local.credit_tax, local.finder_tax, i, tax_yuan, tax,
                      fm.m.scenario.tax_sharing);
  fm.crediting.credit(local.credit_gdp, local.finder_gdp, i, value_added_yuan, tax,
                      fm.m.scenario.statistics_sharing);
  firms.loss_months[i] = profit - tax < 0 ? firms.loss_months[i] + 1 : 0;

  const double rent_bill = zf.rent(z) * labour;
  const std::size_t cell = cell_index(fm.m.tables, z, sector, promotion_class(labour));
  ++local.cell_firms[cell];
  local.cell_tax[cell] += tax_yuan;
  local.cell_gdp[cell] += value_added_yuan;
  local.cell_rent[cell] += to_money(rent_bill);
  pay_contract(fm, firms.id[i], firms.reg_zone[i], tax, rent_bill, local);
}

// Exit after sustained losses or by hazard; an exiting firm posts nothing and lays nobody off
// (its staff lose their jobs with it).
bool exits(const FirmMonth& fm, FirmStore& firms, std::size_t i, FirmFlows& local,
           double exit_draw) {
  const std::int32_t employees = firms.employees[i];
  const double hazard =
      exit_hazard_at(fm.p.exit_hazard, fm.p.exit_size_elasticity, fm.p.reference_size, employees,
                     [&] { return fm.exit_size_factor(employees); });
  const bool exiting = firms.loss_months[i] >= fm.p.loss_months_exit || exit_draw < hazard;
  if (!exiting) return false;
  firms.exiting[i] = 1;
  firms.vacancies[i] = 0;
  firms.layoff_prob[i] = 0;
  ++local.exits(firms.zone[i], firms.sector[i]);
  return true;
}

// Certification as a high-tech enterprise: a monthly chance in proportion to the sector's share
// of HTEs (the sectors whose firms do R&D qualify more often); the status is kept.
void certify(const FirmMonth& fm, FirmStore& firms, std::size_t i, double draw) {
  if (firms.hte[i]) return;
  const double chance = fm.p.hte_certification * fm.m.tables.sector_hte(firms.sector[i]);
  if (draw < chance) firms.hte[i] = 1;
}

// Whether the firm considers moving this month.
bool considers_moving(const FirmMonth& fm, double gate_draw) {
  return gate_draw < fm.p.relocation_consider;
}

// A firm considering a move chooses by logit among staying, moving to another zone (activity and
// registration together; zones without free floor for its employees are closed to it) and moving
// only its registration to another zone ("paper" relocation: tax and statistics move, activity,
// jobs and floor space stay; docs/model.md §6). The choice is only recorded in `chosen`:
// admit_moves applies it. A real destination's utility includes the value to this firm's size
// class of the destination's package for firms within the region; a paper destination's, the same
// package without its rent discount (no floor space there). The expected number of moves those
// packages make happen, P(c | packages) - P(c | none), is added up without any further draw.
// `utility` and `bare` are scratch with two places per zone: real moves (the firm's own zone:
// staying), then paper moves (the zone it is registered in: none).
void relocate(const FirmMonth& fm, const FirmStore& firms, std::size_t i, FirmFlows& local,
              std::vector<double>& utility, std::vector<double>& bare,
              std::vector<std::uint16_t>& chosen) {
  constexpr double kClosed = -std::numeric_limits<double>::infinity();
  const MonthView& m = fm.m;
  const FirmParams& p = fm.p;
  const RegionTables& t = m.tables;
  const std::size_t z = firms.zone[i];
  const std::size_t reg = firms.reg_zone[i];
  const std::size_t sector = firms.sector[i];
  const std::size_t cls = promotion_class(firms.employees[i]);
  bool offered = false;
  for (std::size_t c = 0; c < t.Z; ++c) {
    const bool full = c != z && firms.employees[i] > fm.room[c];
    const double offer =
        c != z ? p.reloc_beta_subsidy * m.fields.within_value[cell_index(t, c, sector, cls)] : 0.0;
    bare[c] = full ? kClosed
                   : fm.zone_utility[c * t.S + sector] -
                         (c != z ? p.reloc_move_cost + p.reloc_beta_travel * t.travel(z, c) : 0.0);
    utility[c] = bare[c] + (full ? 0.0 : offer);
    offered = offered || (!full && offer != 0.0);
  }
  for (std::size_t c = 0; c < t.Z; ++c) {
    const double paper_offer =
        c != reg ? p.reloc_beta_subsidy * m.fields.paper_value[cell_index(t, c, sector, cls)] : 0.0;
    bare[t.Z + c] = c != reg ? bare[z] - p.paper_move_cost : kClosed;
    utility[t.Z + c] = bare[t.Z + c] + paper_offer;
    offered = offered || paper_offer != 0.0;
  }
  if (offered) {
    // Each set of utilities is shifted by its own maximum: a large package puts the utilities
    // with offers far above the bare ones, and one shared shift underflowed every bare term to 0
    // (0/0, then llround(NaN) = INT64_MIN in the nano-counts).
    double top = kClosed, bare_top = kClosed;
    for (std::size_t c = 0; c < 2 * t.Z; ++c) {
      top = std::max(top, utility[c]);
      bare_top = std::max(bare_top, bare[c]);
    }
    double with_sum = 0, bare_sum = 0;
    for (std::size_t c = 0; c < 2 * t.Z; ++c) {
      with_sum += std::exp(utility[c] - top);
      bare_sum += std::exp(bare[c] - bare_top);
    }
    const auto induced = [&](std::size_t c) {
      return std::exp(utility[c] - top) / with_sum - std::exp(bare[c] - bare_top) / bare_sum;
    };
    for (std::size_t c = 0; c < t.Z; ++c) {
      if (c != z) local.induced_nano(z, c, sector) += std::llround(induced(c) * 1e9);
      if (c != reg) local.paper_induced_nano(c) += std::llround(induced(t.Z + c) * 1e9);
    }
  }
  const int choice =
      logit_choice(utility, m.rng.uniform(Purpose::kFirmRelocChoice, firms.id[i], m.step()));
  REGIONSIM_ASSERT(choice >= 0, "firm relocation choice without an alternative (staying?)");
  chosen[i] = static_cast<std::uint16_t>(choice);
}

// Labour demand where the firm now stands: desired employment equates the marginal product of
// labour with the going wage; the gap closes gradually (search and firing costs).
void post_vacancies(const FirmMonth& fm, FirmStore& firms, std::size_t i, double rounding_draw) {
  constexpr double kMaxDesired = 1e6;  // guards pow() against absurd parameter mixes
  const FirmParams& p = fm.p;
  const std::size_t here = firms.zone[i];
  const double labour = firms.employees[i];
  const double wage_here = fm.mix_wage(here);
  const double desired = std::min(
      kMaxDesired,
      desired_size(p.alpha, firms.tfp[i], fm.fields.multiplier(here, firms.sector[i]), wage_here));
  const double gap = desired - labour;
  const bool ramping_up =
      firms.entry_step[i] >= 0 && fm.month - firms.entry_step[i] <= 12 && labour < p.project_size;
  const double posted =
      posted_vacancies(desired, labour, p.hire_adjust, ramping_up, p.project_size, rounding_draw);
  firms.vacancies[i] = static_cast<std::int32_t>(posted);
  firms.layoff_prob[i] =
      gap < 0 && labour > 0 ? std::min(1.0, p.layoff_adjust * (-gap) / labour) : 0.0;
}

// A firm that chose to move, as every shard of a sharded run sees it (16 bytes, no padding).
struct Mover {
  AgentId id;
  std::int32_t employees;
  std::uint16_t choice;
  std::uint8_t zone, sector;
};

// Moves are admitted in firm id order while the destination's free floor (at the start of the
// month, less the employees of the movers admitted before) holds the mover's employees; a refused
// firm stays. A paper move needs no floor and is always admitted. Integer counts in a fixed order:
// the same on any number of threads, no draws. A sharded run's shards each list the movers they
// hold and all admit the whole list alike (the movers are the month's events, not the store);
// each then moves its own and sets their labour demand again where they now stand.
void admit_moves(const FirmMonth& fm, FirmStore& firms, const std::vector<std::uint16_t>& chosen,
                 ShardComm* shard, FirmFlows& f) {
  const MonthView& m = fm.m;
  const std::size_t Z = m.tables.Z;
  std::vector<Mover> movers;
  for (std::size_t i = 0; i < firms.size(); ++i)
    if (chosen[i] != firms.zone[i])
      movers.push_back(
          {firms.id[i], firms.employees[i], chosen[i], firms.zone[i], firms.sector[i]});
  if (sharded(shard)) {
    movers = gather_records<Mover>(*shard, movers);
    std::sort(movers.begin(), movers.end(),
              [](const Mover& a, const Mover& b) { return a.id < b.id; });
  }
  std::vector<std::int64_t> room = fm.room;
  std::size_t held = 0;  // the next own firm to look at: movers come in id order, like the store
  for (const Mover& mover : movers) {
    const std::size_t z = mover.zone, pick = mover.choice, sector = mover.sector;
    const bool paper = pick >= Z;
    const std::size_t dest = paper ? pick - Z : pick;
    if (!paper && mover.employees > room[dest]) continue;
    if (paper) {
      ++f.paper_moves(dest);
    } else {
      room[dest] -= mover.employees;
      ++f.moves(z, dest, sector);
    }
    // The settlement subsidy of the destination's within package, paid now (split to the payers
    // by the government phase); the rest of the package is a contract signed after the phase.
    f.relocation_subsidies(dest, sector) +=
        to_money(m.fields.package[(dest * m.tables.S + sector) * kTargets + 1].settlement);
    f.moved.push_back({mover.id, static_cast<std::uint8_t>(dest),
                       static_cast<std::uint8_t>(paper ? z : dest),
                       static_cast<std::uint8_t>(sector)});
    while (held < firms.size() && firms.id[held] < mover.id)
      ++held;
    if (held == firms.size() || firms.id[held] != mover.id) continue;  // another shard's
    const std::size_t i = held;
    firms.origin_zone[i] = firms.reg_zone[i];
    firms.reg_zone[i] = static_cast<std::uint8_t>(dest);
    firms.moved_step[i] = static_cast<std::int32_t>(m.month);
    if (paper) continue;
    firms.zone[i] = static_cast<std::uint8_t>(dest);
    post_vacancies(fm, firms, i, fm.rng.uniform(Purpose::kVacancyRounding, firms.id[i], fm.step));
  }
}

}  // namespace

void firm_decisions(const MonthView& m, const Promotion& promotion, FirmStore& firms,
                    FirmFlows& f) {
  const FirmMonth fm(m, firms, promotion);
  tbb::enumerable_thread_specific<std::vector<double>> utilities(
      std::vector<double>(2 * m.tables.Z)),
      bare(std::vector<double>(2 * m.tables.Z));
  std::vector<std::uint16_t> chosen(firms.zone.begin(), firms.zone.end());
  // The month's uniforms of every firm (exit, certification, the relocation gate, vacancy
  // rounding) are drawn 64 firms at a time by the batched Philox, then used one firm at a time.
  // Each is the first of uniform2(purpose, id, step), as one call at a time gave: the same bits
  // (Rng.BatchEqualsOneAtATime), drawn whether or not the firm gets to use it.
  // A sharded run's shards each decide for the firms they hold.
  f = parallel_sum_ranges(
      firms.size(), FirmFlows(m.tables),
      [&](const tbb::blocked_range<std::size_t>& range, FirmFlows& local) {
        std::array<double, Rng::kBatch> exit_draw, certify_draw, gate_draw, rounding_draw, unused;
        const std::size_t end = range.end();
        for (std::size_t b = range.begin(); b < end; b += Rng::kBatch) {
          const std::size_t n = std::min(Rng::kBatch, end - b);
          const AgentId* ids = &firms.id[b];
          fm.rng.uniform2_batch(Purpose::kFirmExit, ids, n, fm.step, exit_draw.data(),
                                unused.data());
          fm.rng.uniform2_batch(Purpose::kHteCertification, ids, n, fm.step, certify_draw.data(),
                                unused.data());
          fm.rng.uniform2_batch(Purpose::kFirmRelocGate, ids, n, fm.step, gate_draw.data(),
                                unused.data());
          fm.rng.uniform2_batch(Purpose::kVacancyRounding, ids, n, fm.step, rounding_draw.data(),
                                unused.data());
          for (std::size_t j = 0; j < n; ++j) {
            const std::size_t i = b + j;
            produce(fm, firms, i, local);
            if (exits(fm, firms, i, local, exit_draw[j])) continue;
            certify(fm, firms, i, certify_draw[j]);
            if (considers_moving(fm, gate_draw[j]))
              relocate(fm, firms, i, local, utilities.local(), bare.local(), chosen);
            post_vacancies(fm, firms, i, rounding_draw[j]);
          }
        }
      });
  sum_flows_over_shards(m.shard, f);
  admit_moves(fm, firms, chosen, m.shard, f);
}

}  // namespace regionsim
