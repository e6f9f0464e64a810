// Research institutes and the innovation chain. Institutes hire researchers (the skill named by
// region.research_skill) from the seekers of their zone before firms do; each month an institute
// makes a Poisson number of innovations rising with its researchers and its zone's science
// infrastructure; each innovation is transferred to a firm (raising its productivity), spun off
// as a new firm, or shelved. Transfer odds fall with travel time and sector mismatch and rise
// with the core-traction platforms. Innovations are events with their own ids from a counter,
// drawn in institute-id order, so the chain is the same on every thread count.
#include <algorithm>
#include <cmath>

#include "cell_lists.hpp"
#include "firm_size.hpp"
#include "institutes.hpp"
#include "matching.hpp"
#include "phases.hpp"
#include "policies.hpp"
#include "shards.hpp"

namespace regionsim {

std::int64_t institutes_in_zone(const Scenario& sc, std::size_t z) {
  const double wanted = sc.zones[z].institutes * sc.run.scale;
  // A zone with institutes keeps at least one at small scales: its science role stays visible.
  return sc.zones[z].institutes > 0 ? std::max<std::int64_t>(1, std::llround(wanted)) : 0;
}

double planned_researchers(const Scenario& sc, std::size_t z) {
  return static_cast<double>(institutes_in_zone(sc, z) * std::llround(sc.institutes.researchers));
}

void hire_researchers(const MonthView& m, InstituteStore& inst, TalentStore& talent,
                      InstituteFlows& f) {
  const RegionTables& t = m.tables;
  const InstituteParams& p = m.scenario.institutes;
  const auto step = m.step();
  const SkillIndex research_skill = m.scenario.region.research_skill;
  for (std::size_t i = 0; i < inst.size(); ++i)
    inst.vacancies[i] = static_cast<std::int32_t>(std::ceil(
        p.hire_adjust * std::max(0.0, p.researchers - static_cast<double>(inst.researchers[i]))));

  // Seekers of the research skill by zone, in id order (one parallel pass over all talent).
  const CellLists seekers = group_by_cell(
      talent.size(), t.Z,
      [&](std::size_t i) {
        return talent.alive[i] && talent.employer[i] == kNoFirm &&
               talent.skill[i] == research_skill;
      },
      [&](std::size_t i) { return std::size_t{talent.zone[i]}; });

  // Seekers per zone over the whole run (a sharded run's shards each hold some of them).
  std::vector<std::int64_t> zone_seekers(t.Z);
  for (std::size_t z = 0; z < t.Z; ++z)
    zone_seekers[z] = static_cast<std::int64_t>(seekers[z].size());
  sum_over_shards(m.shard, zone_seekers);

  std::vector<std::vector<std::size_t>> hiring(t.Z);
  std::vector<CellMatch> matches(t.Z);
  std::vector<std::int64_t> zone_hires(t.Z);
  for (std::size_t z = 0; z < t.Z; ++z) {
    std::vector<std::int32_t> posted;
    for (std::size_t i = 0; i < inst.size(); ++i)
      if (inst.zone[i] == z && inst.vacancies[i] > 0) {
        hiring[z].push_back(i);
        posted.push_back(inst.vacancies[i]);
      }
    matches[z] = match_cell_totals(zone_seekers[z], posted, m.scenario.labour.match_efficiency,
                                   m.scenario.labour.match_elasticity,
                                   m.rng.uniform(Purpose::kInstituteMatchRound, z, step));
    zone_hires[z] = matches[z].hires;
    f.hires(z) = matches[z].hires;
  }
  // The lowest draws are hired over the whole run; -1: a seeker another shard holds.
  const std::vector<std::vector<std::int64_t>> hired =
      hired_seekers(m.shard, seekers, talent.id, zone_hires, [&](std::size_t z, std::size_t n) {
        return m.rng.uniform(Purpose::kInstituteMatchOrder, talent.id[seekers[z][n]], step);
      });
  for (std::size_t z = 0; z < t.Z; ++z) {
    const CellMatch& match = matches[z];
    if (match.hires == 0) continue;
    std::size_t next = 0;
    for (std::size_t e = 0; e < hiring[z].size(); ++e) {
      const std::size_t institute = hiring[z][e];
      for (std::int64_t h = 0; h < match.per_employer[e]; ++h) {
        const std::int64_t position = hired[z][next++];
        if (position >= 0)
          talent.employer[seekers[z][static_cast<std::size_t>(position)]] = inst.id[institute];
      }
      inst.researchers[institute] += static_cast<std::int32_t>(match.per_employer[e]);
    }
  }
}

namespace {

// Firms of each zone x sector cell in id order, for picking a transfer's receiver by size
// (employees + 1), with every cell's count and total weight over the run (a sharded run's shards
// each list the firms they hold).
struct FirmCells {
  std::vector<std::vector<std::size_t>> members;
  std::vector<std::int64_t> count, weight;  // per cell, over the run
  FirmCells(const Extents& e, const FirmStore& firms, ShardComm* shard)
      : members(e.Z * e.S), count(e.Z * e.S, 0), weight(e.Z * e.S, 0) {
    for (std::size_t i = 0; i < firms.size(); ++i) {
      if (firms.exiting[i]) continue;
      const std::size_t cell = firms.zone[i] * e.S + firms.sector[i];
      members[cell].push_back(i);
      ++count[cell];
      weight[cell] += firms.employees[i] + 1;
    }
    sum_over_shards(shard, {&count, &weight});
  }
};

}  // namespace

double transfer_odds(const MonthView& m, std::size_t z, std::size_t sector,
                     ZoneSector<double>& cell_weights) {
  const RegionTables& t = m.tables;
  const InstituteParams& p = m.scenario.institutes;
  const bool hub = z == m.scenario.region.core_zone && core_traction_on(m);
  const double relief = hub ? m.scenario.core_traction.travel_relief : 0.0;
  cell_weights = ZoneSector<double>(t);
  double reachable = 0, relevant = 0;
  for (std::size_t y = 0; y < t.Z; ++y)
    for (std::size_t k = 0; k < t.S; ++k) {
      const double fit = k == sector ? 1.0 : p.cross_sector_fit;
      const double jobs = static_cast<double>(m.fields.employment(y, k)) * fit;
      const double w = jobs * std::exp(-t.travel(z, y) * (1.0 - relief) / p.transfer_minutes);
      cell_weights(y, k) = w;
      reachable += w;
      relevant += jobs;
    }
  if (!(relevant > 0)) return 0.0;
  const double platform = hub ? 1.0 + m.scenario.core_traction.platform_boost : 1.0;
  return std::min(0.95, p.transfer_base * (reachable / relevant) * platform);
}

void innovate(const MonthView& m, const InstituteStore& institutes, const FirmStore& firms,
              AgentId& next_innovation_id, InstituteFlows& f) {
  const RegionTables& t = m.tables;
  const InstituteParams& p = m.scenario.institutes;
  const auto step = m.step();
  ZoneSector<double> cells;
  std::vector<double> sector_weights(t.S);
  const FirmCells firm_cells(t, firms, m.shard);
  // A sharded run's transfers, their receivers found after the loop: the cell and the first
  // cumulative weight (over the cell's firms in id order) that reaches past u x total, which is
  // the firm pick_by_weight picks (the weights are integers, so the cumulative sums are exact and
  // `cum > u * total` is `cum >= reach`).
  std::vector<WeightedPick> pending;
  const FirmParams& fp = m.scenario.firms;
  for (std::size_t i = 0; i < institutes.size(); ++i) {
    const std::size_t z = institutes.zone[i];
    const double researchers = institutes.researchers[i];
    const double rate = p.innovation_rate * std::pow(researchers, p.researcher_elasticity) *
                        (1.0 + p.science_effect * t.science(z));
    const std::int64_t n = m.rng.poisson(rate, Purpose::kInnovations, institutes.id[i], step);
    f.innovations(z) += n;
    for (std::int64_t k = 0; k < n; ++k) {
      const AgentId event = next_innovation_id++;
      for (std::size_t sec = 0; sec < t.S; ++sec)
        sector_weights[sec] = t.specialisation(z, sec);
      const std::size_t sector =
          pick_by_weight(sector_weights, m.rng.uniform(Purpose::kInnovationSector, event, step));
      const double transfer = transfer_odds(m, z, sector, cells);
      const double u = m.rng.uniform(Purpose::kInnovationOutcome, event, step);
      if (u < transfer) {
        const auto target = m.rng.uniform2(Purpose::kTransferTarget, event, step);
        const std::size_t cell = pick_by_weight(cells.values(), target[0]);
        if (firm_cells.count[cell] == 0) continue;  // the cell's firms all exited: shelved
        ++f.transfers(z, cell / t.S);
        if (sharded(m.shard)) {
          const double total = static_cast<double>(firm_cells.weight[cell]);
          pending.push_back(
              {cell, std::min(firm_cells.weight[cell],
                              static_cast<std::int64_t>(std::floor(target[1] * total)) + 1)});
          continue;
        }
        const auto& members = firm_cells.members[cell];
        std::vector<double> size(members.size());
        for (std::size_t e = 0; e < members.size(); ++e)
          size[e] = firms.employees[members[e]] + 1.0;
        f.transferred_to.push_back(firms.id[members[pick_by_weight(size, target[1])]]);
      } else if (u < transfer + p.spinoff_share) {
        // A spin-off's size is drawn like any new firm's, its productivity has the premium.
        const auto draw = m.rng.uniform2(Purpose::kSpinoffTfp, event, step);
        const double tfp = productivity_for_size(
            t.sector_tfp(sector) * (1.0 + p.spinoff_premium),
            static_cast<double>(t.firm_size.draw(draw[0], draw[1])), fp.reference_size, fp.alpha);
        f.spun_off.push_back(
            {static_cast<std::uint8_t>(z), static_cast<std::uint8_t>(sector), tfp});
        ++f.spinoffs(z, sector);
      }
    }
  }
  if (sharded(m.shard) && !pending.empty()) {  // the same list on every shard
    std::vector<std::int64_t> weight(firms.size());
    for (std::size_t i = 0; i < firms.size(); ++i)
      weight[i] = firms.employees[i] + 1;
    f.transferred_to = picks_over_shards(*m.shard, firms.id, weight, firm_cells.members, pending);
  }
}

void adopt_innovations(const MonthView& m, const InstituteFlows& f, FirmStore& firms,
                       AgentId& next_firm_id) {
  for (const AgentId receiver : f.transferred_to) {
    const auto at = std::lower_bound(firms.id.begin(), firms.id.end(), receiver);
    if (at != firms.id.end() && *at == receiver)  // else another shard's
      firms.tfp[static_cast<std::size_t>(at - firms.id.begin())] *=
          1.0 + m.scenario.institutes.transfer_gain;
  }
  for (const InstituteFlows::Spinoff& born : f.spun_off) {
    const AgentId firm = next_firm_id++;
    if (holds(m.shard, firm))
      firms.push(firm, born.zone, born.sector, born.tfp, static_cast<std::int32_t>(m.month));
  }
}

}  // namespace regionsim
