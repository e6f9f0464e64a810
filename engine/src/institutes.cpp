// Research institutes and the innovation chain. Institutes hire researchers (the skill named by
// region.research_skill) from the seekers of their zone before firms do; each month an institute
// makes a Poisson number of innovations rising with its researchers and its zone's science
// infrastructure; each innovation is transferred to a firm (raising its productivity), spun off
// as a new firm, or shelved. Transfer odds fall with travel time and sector mismatch and rise
// with the core-traction platforms. Innovations are events with their own ids from a counter,
// drawn in institute-id order, so the chain is the same on every thread count.
#include <algorithm>
#include <cmath>

#include "apportion.hpp"
#include "labour_market.hpp"
#include "phases.hpp"
#include "policies.hpp"

namespace regionsim {

namespace {

void hire_researchers(ModelState& s, StepFlows& f) {
  const RegionTables& t = s.tables;
  const InstituteParams& p = s.scenario.institutes;
  InstituteStore& inst = s.institutes;
  const auto step = static_cast<std::uint32_t>(s.month);
  const SkillIndex research_skill = s.scenario.region.research_skill;
  for (std::size_t i = 0; i < inst.size(); ++i)
    inst.vacancies[i] = static_cast<std::int32_t>(std::ceil(
        p.hire_adjust * std::max(0.0, p.researchers - static_cast<double>(inst.researchers[i]))));

  std::vector<std::vector<std::size_t>> seekers(t.Z);
  for (std::size_t i = 0; i < s.talent.size(); ++i)
    if (s.talent.alive[i] && s.talent.employer[i] == kNoFirm && s.talent.skill[i] == research_skill)
      seekers[s.talent.zone[i]].push_back(i);

  for (std::size_t z = 0; z < t.Z; ++z) {
    std::vector<std::size_t> hiring;
    std::vector<double> weights;
    std::int64_t open = 0;
    for (std::size_t i = 0; i < inst.size(); ++i)
      if (inst.zone[i] == z && inst.vacancies[i] > 0) {
        hiring.push_back(i);
        weights.push_back(inst.vacancies[i]);
        open += inst.vacancies[i];
      }
    const std::int64_t hires = matching_hires(
        static_cast<std::int64_t>(seekers[z].size()), open, s.scenario.labour.match_efficiency,
        s.scenario.labour.match_elasticity, s.rng.uniform(Purpose::kInstituteMatchRound, z, step));
    f.institute_hires_z[z] = hires;
    if (hires == 0) continue;
    std::vector<std::pair<double, std::size_t>> order;
    for (std::size_t i : seekers[z])
      order.push_back({s.rng.uniform(Purpose::kInstituteMatchOrder, s.talent.id[i], step), i});
    std::nth_element(order.begin(), order.begin() + hires - 1, order.end());
    std::sort(order.begin(), order.begin() + hires,
              [](const auto& a, const auto& b) { return a.second < b.second; });
    const auto per_institute = apportion(hires, weights);
    std::size_t next = 0;
    for (std::size_t m = 0; m < hiring.size(); ++m) {
      for (std::int64_t h = 0; h < per_institute[m]; ++h)
        s.talent.employer[order[next++].second] = inst.id[hiring[m]];
      inst.researchers[hiring[m]] += static_cast<std::int32_t>(per_institute[m]);
    }
  }
}

// Firms of each zone x sector cell in id order, for picking a transfer's receiver by size.
struct FirmCells {
  std::vector<std::vector<std::size_t>> members;
  FirmCells(const ModelState& s) : members(s.tables.Z * s.tables.S) {
    for (std::size_t i = 0; i < s.firms.size(); ++i)
      if (!s.firms.exiting[i])
        members[s.firms.zone[i] * s.tables.S + s.firms.sector[i]].push_back(i);
  }
};

}  // namespace

// Probability an innovation of sector `sector` made in zone `z` is transferred, and the weight
// of each receiving cell (zone' x sector'), at the month's employment.
double transfer_odds(const ModelState& s, std::size_t z, std::size_t sector,
                     std::vector<double>& cell_weights) {
  const RegionTables& t = s.tables;
  const InstituteParams& p = s.scenario.institutes;
  const bool hub = z == s.scenario.region.core_zone && core_traction_on(s);
  const double relief = hub ? s.scenario.core_traction.travel_relief : 0.0;
  cell_weights.assign(t.Z * t.S, 0.0);
  double reachable = 0, relevant = 0;
  for (std::size_t y = 0; y < t.Z; ++y)
    for (std::size_t k = 0; k < t.S; ++k) {
      const double fit = k == sector ? 1.0 : p.cross_sector_fit;
      const double jobs = static_cast<double>(s.fields.employment_zs[y * t.S + k]) * fit;
      const double w = jobs * std::exp(-t.travel(z, y) * (1.0 - relief) / p.transfer_minutes);
      cell_weights[y * t.S + k] = w;
      reachable += w;
      relevant += jobs;
    }
  if (!(relevant > 0)) return 0.0;
  const double platform = hub ? 1.0 + s.scenario.core_traction.platform_boost : 1.0;
  return std::min(0.95, p.transfer_base * (reachable / relevant) * platform);
}

void institutes_innovate(ModelState& s, StepFlows& f) {
  hire_researchers(s, f);
  const RegionTables& t = s.tables;
  const InstituteParams& p = s.scenario.institutes;
  const auto step = static_cast<std::uint32_t>(s.month);
  std::vector<double> cells;
  std::vector<double> sector_weights(t.S);
  FirmCells firm_cells(s);
  const double sd = s.scenario.firms.productivity_sd;
  for (std::size_t i = 0; i < s.institutes.size(); ++i) {
    const std::size_t z = s.institutes.zone[i];
    const double researchers = s.institutes.researchers[i];
    const double rate = p.innovation_rate * std::pow(researchers, p.researcher_elasticity) *
                        (1.0 + p.science_effect * t.science(z));
    const std::int64_t n = s.rng.poisson(rate, Purpose::kInnovations, s.institutes.id[i], step);
    f.innovations_z[z] += n;
    for (std::int64_t k = 0; k < n; ++k) {
      const AgentId event = s.next_innovation_id++;
      for (std::size_t sec = 0; sec < t.S; ++sec)
        sector_weights[sec] = t.specialisation(z, sec);
      const std::size_t sector =
          pick_by_weight(sector_weights, s.rng.uniform(Purpose::kInnovationSector, event, step));
      const double transfer = transfer_odds(s, z, sector, cells);
      const double u = s.rng.uniform(Purpose::kInnovationOutcome, event, step);
      if (u < transfer) {
        const auto target = s.rng.uniform2(Purpose::kTransferTarget, event, step);
        const std::size_t cell = pick_by_weight(cells, target[0]);
        const auto& members = firm_cells.members[cell];
        if (members.empty()) continue;  // the cell's firms all exited this month: shelved
        std::vector<double> size(members.size());
        for (std::size_t m = 0; m < members.size(); ++m)
          size[m] = s.firms.employees[members[m]] + 1.0;
        const std::size_t firm = members[pick_by_weight(size, target[1])];
        s.firms.tfp[firm] *= 1.0 + p.transfer_gain;
        ++f.transfers_zz[z * t.Z + cell / t.S];
      } else if (u < transfer + p.spinoff_share) {
        const double tfp =
            t.sector_tfp(sector) * (1.0 + p.spinoff_premium) *
            std::exp(sd * s.rng.normal(Purpose::kSpinoffTfp, event, step) - 0.5 * sd * sd);
        s.firms.push(s.next_firm_id++, static_cast<std::uint8_t>(z),
                     static_cast<std::uint8_t>(sector), tfp, static_cast<std::int32_t>(s.month));
        ++f.spinoffs_zs[z * t.S + sector];
      }
    }
  }
}

}  // namespace regionsim
