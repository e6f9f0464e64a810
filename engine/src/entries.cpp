// Entries and exits: firms that decided to exit leave; talent arrives from outside at a rate that
// follows the region's attractiveness plus a migration response to the month's unfilled vacancies
// (so labour supply follows demand); investment projects arrive by sector, learn of some zones
// (search friction), and settle by nested logit (region vs outside, then zone) or go elsewhere. New
// agents take ids from global counters in a fixed order (zone, skill, index; sector, index), never
// in thread order.
#include <algorithm>
#include <cmath>
#include <limits>

#include "assert.hpp"
#include "entries.hpp"
#include "firm_size.hpp"
#include "nested_logit.hpp"
#include "phases.hpp"
#include "policies.hpp"
#include "shards.hpp"
#include "zone_utility.hpp"

namespace regionsim {

double arrival_attractiveness(const MonthView& m, std::size_t k, std::size_t sector,
                              std::vector<double>* zone_shares) {
  const RegionTables& t = m.tables;
  // Inclusive value of the talent logit over zones for a newcomer of skill k and field `sector`:
  // a field concentrated in one zone still attracts people to that zone.
  std::vector<double> utility(t.Z);
  double vmax = -std::numeric_limits<double>::infinity();
  for (std::size_t z = 0; z < t.Z; ++z) {
    utility[z] = talent_zone_utility(m, z, k, sector);
    vmax = std::max(vmax, utility[z]);
  }
  double total = 0;
  for (double v : utility)
    total += std::exp(v - vmax);
  if (zone_shares) {
    zone_shares->resize(t.Z);
    for (std::size_t z = 0; z < t.Z; ++z)
      (*zone_shares)[z] = std::exp(utility[z] - vmax) / total;
  }
  return vmax + std::log(total);
}

namespace {

// Share of each sector in the region's employment (uniform when nobody works yet): the mix of
// fields among newcomers.
std::vector<double> field_mix(const MonthView& m) {
  const RegionTables& t = m.tables;
  std::vector<double> mix(t.S, 0.0);
  double all = 0;
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t k = 0; k < t.S; ++k) {
      mix[k] += static_cast<double>(m.fields.employment(z, k));
      all += static_cast<double>(m.fields.employment(z, k));
    }
  for (double& share : mix)
    share = all > 0 ? share / all : 1.0 / static_cast<double>(t.S);
  return mix;
}

void remove_exited_firms(TalentStore& talent, FirmStore& firms) {
  for (std::size_t i = 0; i < firms.size(); ++i)
    if (firms.exiting[i]) firms.alive[i] = 0;
  firms.compact();
  talent.compact();
}

}  // namespace

ZoneSector<double> open_vacancies(const Extents& t, const LabourFlows& labour) {
  ZoneSector<double> open(t);
  for (std::size_t z = 0; z < t.Z; ++z) {
    // Free floor after this month's hires: a vacancy without a place to sit draws nobody.
    std::int64_t hired = 0, unfilled = 0;
    for (std::size_t k = 0; k < t.S; ++k) {
      hired += labour.hires(z, k);
      unfilled += std::max<std::int64_t>(labour.vacancies(z, k) - labour.hires(z, k), 0);
    }
    const std::int64_t room = std::max<std::int64_t>(labour.floor_room(z) - hired, 0);
    const double cut =
        unfilled > room ? static_cast<double>(room) / static_cast<double>(unfilled) : 1.0;
    for (std::size_t k = 0; k < t.S; ++k)
      open(z, k) = cut * static_cast<double>(std::max<std::int64_t>(
                             labour.vacancies(z, k) - labour.hires(z, k), 0));
  }
  return open;
}

namespace {

void talent_arrivals(const MonthView& m, const LabourFlows& labour, TalentStore& talent,
                     AgentId& next_talent_id, EntryFlows& f) {
  const RegionTables& t = m.tables;
  const TalentParams& p = m.scenario.talent;
  const auto step = m.step();
  const std::vector<double> mix = field_mix(m);
  const ZoneSector<double> open = open_vacancies(t, labour);
  std::vector<double> shares;
  f.arrivals = ZoneSkill<std::int64_t>(t);
  for (std::size_t k = 0; k < t.K; ++k)
    for (std::size_t sector = 0; sector < t.S; ++sector) {
      const double index = arrival_attractiveness(m, k, sector, &shares);
      const double total =
          p.arrival_rate * static_cast<double>(m.calibration.initial_talent) * t.skill_share(k) *
          mix[sector] *
          std::exp(p.arrival_elasticity * (index - m.calibration.arrival_index0(k, sector)));
      for (std::size_t z = 0; z < t.Z; ++z) {
        // Migration response to vacancies: the cell's unfilled vacancies draw people of their
        // field to their zone, split over skills by the skill mix (matching ignores skill).
        const double drawn = p.vacancy_arrivals * t.skill_share(k) * open(z, sector);
        // Each zone x skill x field stream of arrivals has its own random-stream id.
        const std::int64_t n = m.rng.poisson(total * shares[z] + drawn, Purpose::kArrivals,
                                             (z * t.K + k) * t.S + sector, step);
        f.arrivals(z, k) += n;
        // Every shard of a sharded run draws every arrival (the counts are the run's) and keeps
        // those it holds.
        for (std::int64_t j = 0; j < n; ++j, ++next_talent_id)
          if (holds(m.shard, next_talent_id))
            talent.push(next_talent_id, static_cast<std::uint8_t>(z), static_cast<std::uint8_t>(k),
                        static_cast<std::uint8_t>(sector), kNoFirm);
      }
    }
}

void investment_projects(const MonthView& m, FirmStore& firms, NextIds& ids, EntryFlows& f) {
  const RegionTables& t = m.tables;
  const FirmParams& p = m.scenario.firms;
  const double known = zones_known(m);
  // Joint promotion: leads are steered to the best-fitting zone and credited to their finder,
  // drawn in proportion to the land each jurisdiction owns in the science city. Steering adds
  // (fit_boost - 1) times the fit term to the known zones and shifts them back by one constant
  // (nested_logit's fit_boost), so it redistributes projects among the zones a project knows
  // without changing the region's pull against the outside.
  const bool joint = joint_promotion_on(m);
  const double extra_fit = joint ? m.scenario.joint_promotion.fit_boost - 1.0 : 0.0;
  std::vector<double> land(t.J, 0.0);
  for (std::size_t j = 0; j < t.J; ++j)
    for (std::size_t z = 0; z < t.Z; ++z)
      land[j] += t.ownership(z, j);
  const auto step = m.step();
  std::vector<double> utility(t.Z), gain(t.Z), steered(t.Z);
  for (std::size_t sector = 0; sector < t.S; ++sector) {
    const double rate =
        p.project_rate * static_cast<double>(m.calibration.initial_firms) * t.sector_entry(sector);
    const std::int64_t n = m.rng.poisson(rate, Purpose::kProjects, sector, step);
    for (std::size_t z = 0; z < t.Z; ++z)
      gain[z] = extra_fit * p.reloc_beta_fit * t.specialisation(z, sector);
    for (std::int64_t j = 0; j < n; ++j) {
      const AgentId project = ids.project++;
      for (std::size_t z = 0; z < t.Z; ++z) {
        const bool learns = m.rng.uniform(Purpose::kProjectSearch, project, step,
                                          static_cast<std::uint32_t>(z)) < known;
        const bool room = m.fields.floor_occupancy(z) < 1.0;
        utility[z] = learns && room ? project_zone_utility(m, z, sector, 1.0, 1.0)
                                    : -std::numeric_limits<double>::infinity();
      }
      if (joint) fit_boost(utility, gain, p.nest_lambda, steered);
      // Region vs outside with the first uniform, the zone with the second (nested logit).
      const auto u = m.rng.uniform2(Purpose::kProjectChoice, project, step);
      const int pick = nested_choice(joint ? steered : utility, p.project_outside_utility,
                                     p.nest_lambda, u[0], u[1]);
      if (pick == kOutside) continue;  // settles outside the region
      const auto choice = static_cast<std::size_t>(pick);
      // A project is a firm of a size drawn like the initial stock's (firm_size.hpp).
      const auto draw = m.rng.uniform2(Purpose::kProjectTfp, project, step);
      const double tfp = productivity_for_size(
          t.sector_tfp(sector), static_cast<double>(t.firm_size.draw(draw[0], draw[1])),
          p.reference_size, p.alpha);
      // Every shard of a sharded run settles every project (the counts are the run's) and keeps
      // the firms it holds.
      const AgentId firm = ids.firm++;
      if (holds(m.shard, firm)) {
        firms.push(firm, static_cast<std::uint8_t>(choice), static_cast<std::uint8_t>(sector), tfp,
                   static_cast<std::int32_t>(m.month));
        if (joint) {
          const std::size_t finder =
              pick_by_weight(land, m.rng.uniform(Purpose::kProjectFinder, project, step));
          firms.finder.back() = static_cast<std::uint8_t>(finder);
        }
      }
      ++f.entries(choice, sector);
      f.projects.push_back(
          {firm, static_cast<std::uint8_t>(choice), static_cast<std::uint8_t>(sector)});
      // The settlement subsidy of the zone's package for outside projects, paid on settling; the
      // rest of the package is a contract (sign_contracts).
      f.entry_subsidies(choice, sector) +=
          to_money(m.fields.package[(choice * t.S + sector) * kTargets].settlement);
    }
  }
}

}  // namespace

void entries_and_exits(const MonthView& m, const LabourFlows& labour, TalentStore& talent,
                       FirmStore& firms, NextIds& ids, EntryFlows& f) {
  remove_exited_firms(talent, firms);
  talent_arrivals(m, labour, talent, ids.talent, f);
  investment_projects(m, firms, ids, f);
}

}  // namespace regionsim
