// Firm decisions of the month, one pass over the firms in four steps: production, wages, rent and
// tax (and their crediting); exit after sustained losses or by hazard; relocation by logit over
// zones; labour demand (vacancies and layoffs) where the firm then stands.
#include <algorithm>
#include <cmath>
#include <limits>

#include "assert.hpp"
#include "parallel.hpp"
#include "phases.hpp"
#include "policies.hpp"
#include "zone_utility.hpp"

namespace regionsim {

namespace {

// Credits a firm's tax (or value added) to zones and finders: under joint promotion the
// jurisdiction that found a new firm gets its finder's share for some years; under a sharing rule
// a firm that moved gives its origin zone the origin share for some years; the rest stays where
// the firm is.
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
                       firms.origin_zone[i] != firms.zone[i] && firm_tax >= rule.origin_min_tax;
    if (split) {
      const Money part = share_of(rest, rule.origin_share);
      to_zone(firms.origin_zone[i]) += part;
      rest -= part;
    }
    to_zone(firms.zone[i]) += rest;
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
  // Under joint promotion's shared database, moves within the region may no longer be courted.
  double relocation_offer;
  double inv_labour_share;
  Vector mix_wage;  // the going wage per employee in each zone, at the region's skill mix

  FirmMonth(const MonthView& view, const FirmStore& firms)
      : m(view),
        p(view.scenario.firms),
        fields(view.fields),
        rng(view.rng),
        month(view.month),
        step(view.step()),
        crediting{firms, view.month, joint_promotion_on(view),
                  months_of(view.scenario.joint_promotion.finder_years),
                  view.scenario.joint_promotion.finder_share},
        // No subsidy for moves within the region under joint promotion without poaching
        // subsidies, or once the fair-competition review bans them.
        relocation_offer(fair_competition_on(view) ||
                                 (joint_promotion_on(view) &&
                                  !view.scenario.joint_promotion.subsidise_relocations)
                             ? 0.0
                             : 1.0),
        inv_labour_share(1.0 / (1.0 - p.alpha)),
        mix_wage(view.fields.wage * view.tables.skill_share) {}
};

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
      labour > 0 ? firms.tfp[i] * zf.multiplier(z, sector) * std::pow(labour, p.alpha) : 0.0;
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
}

// Exit after sustained losses or by hazard; an exiting firm posts nothing and lays nobody off
// (its staff lose their jobs with it).
bool exits(const FirmMonth& fm, FirmStore& firms, std::size_t i, FirmFlows& local) {
  const bool exiting = firms.loss_months[i] >= fm.p.loss_months_exit ||
                       fm.rng.uniform(Purpose::kFirmExit, firms.id[i], fm.step) < fm.p.exit_hazard;
  if (!exiting) return false;
  firms.exiting[i] = 1;
  firms.vacancies[i] = 0;
  firms.layoff_prob[i] = 0;
  ++local.exits(firms.zone[i], firms.sector[i]);
  return true;
}

// Certification as a high-tech enterprise: a monthly chance in proportion to the sector's share
// of HTEs (the sectors whose firms do R&D qualify more often); the status is kept.
void certify(const FirmMonth& fm, FirmStore& firms, std::size_t i) {
  if (firms.hte[i]) return;
  const double chance = fm.p.hte_certification * fm.m.tables.sector_hte(firms.sector[i]);
  if (fm.rng.uniform(Purpose::kHteCertification, firms.id[i], fm.step) < chance) firms.hte[i] = 1;
}

// Whether the firm considers moving this month.
bool considers_moving(const FirmMonth& fm, const FirmStore& firms, std::size_t i) {
  return fm.rng.uniform(Purpose::kFirmRelocGate, firms.id[i], fm.step) < fm.p.relocation_consider;
}

// A firm considering a move picks a zone by logit; full zones are closed to it. `utility` is
// scratch with a place per zone.
void relocate(const FirmMonth& fm, FirmStore& firms, std::size_t i, FirmFlows& local,
              std::vector<double>& utility) {
  const MonthView& m = fm.m;
  const FirmParams& p = fm.p;
  const RegionTables& t = m.tables;
  const std::size_t z = firms.zone[i];
  const std::size_t sector = firms.sector[i];
  for (std::size_t c = 0; c < t.Z; ++c) {
    const bool full = c != z && m.fields.floor_occupancy(c) >= 1.0;
    utility[c] =
        full ? -std::numeric_limits<double>::infinity()
             : firm_zone_utility(m, c, sector, fm.relocation_offer, 1.0) -
                   (c != z ? p.reloc_move_cost + p.reloc_beta_travel * t.travel(z, c) : 0.0);
  }
  const int choice =
      logit_choice(utility, m.rng.uniform(Purpose::kFirmRelocChoice, firms.id[i], m.step()));
  REGIONSIM_ASSERT(choice >= 0, "firm relocation choice without an alternative (staying?)");
  const auto dest = static_cast<std::size_t>(choice);
  if (dest == z) return;
  firms.origin_zone[i] = static_cast<std::uint8_t>(z);
  firms.zone[i] = static_cast<std::uint8_t>(dest);
  firms.moved_step[i] = static_cast<std::int32_t>(m.month);
  ++local.moves(z, dest, sector);
  local.relocation_subsidies(dest, sector) +=
      to_money(fm.relocation_offer * m.fields.offer(dest, sector));
}

// Labour demand where the firm now stands: desired employment equates the marginal product of
// labour with the going wage; the gap closes gradually (search and firing costs).
void post_vacancies(const FirmMonth& fm, FirmStore& firms, std::size_t i) {
  constexpr double kMaxDesired = 1e6;  // guards pow() against absurd parameter mixes
  const FirmParams& p = fm.p;
  const std::size_t here = firms.zone[i];
  const double labour = firms.employees[i];
  const double wage_here = fm.mix_wage(here);
  const double desired = std::min(
      kMaxDesired,
      std::pow(p.alpha * firms.tfp[i] * fm.fields.multiplier(here, firms.sector[i]) / wage_here,
               fm.inv_labour_share));
  double gap = desired - labour;
  const bool ramping_up =
      firms.entry_step[i] >= 0 && fm.month - firms.entry_step[i] <= 12 && labour < p.project_size;
  double posted = gap > 0 ? std::ceil(p.hire_adjust * gap) : 0.0;
  if (ramping_up) posted = std::max(posted, std::ceil(p.project_size - labour));
  firms.vacancies[i] = static_cast<std::int32_t>(posted);
  firms.layoff_prob[i] =
      gap < 0 && labour > 0 ? std::min(1.0, p.layoff_adjust * (-gap) / labour) : 0.0;
}

}  // namespace

void firm_decisions(const MonthView& m, FirmStore& firms, FirmFlows& f) {
  const FirmMonth fm(m, firms);
  tbb::enumerable_thread_specific<std::vector<double>> utilities(std::vector<double>(m.tables.Z));
  f = parallel_sum(firms.size(), FirmFlows(m.tables), [&](std::size_t i, FirmFlows& local) {
    produce(fm, firms, i, local);
    if (exits(fm, firms, i, local)) return;
    certify(fm, firms, i);
    if (considers_moving(fm, firms, i)) relocate(fm, firms, i, local, utilities.local());
    post_vacancies(fm, firms, i);
  });
}

}  // namespace regionsim
