// Entries and exits: firms that decided to exit leave; talent arrives from outside at a rate that
// follows the region's attractiveness; investment projects arrive by sector, learn of some zones
// (search friction), and settle by logit among them or go elsewhere. New agents take ids from
// global counters in a fixed order (zone, skill, index; sector, index), never in thread order.
#include <cmath>
#include <limits>

#include "assert.hpp"
#include "entries.hpp"
#include "phases.hpp"
#include "policies.hpp"

namespace regionsim {

double arrival_attractiveness(const ModelState& s, std::size_t k, std::size_t sector,
                              std::vector<double>* zone_shares) {
  const RegionTables& t = s.tables;
  // Inclusive value of the talent logit over zones for a newcomer of skill k and field `sector`:
  // a field concentrated in one zone still attracts people to that zone.
  std::vector<double> utility(t.Z);
  double vmax = -std::numeric_limits<double>::infinity();
  for (std::size_t z = 0; z < t.Z; ++z) {
    utility[z] = talent_zone_utility(s, z, k, sector);
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

// Share of each sector in the region's employment (uniform when nobody works yet): the mix of
// fields among newcomers.
std::vector<double> field_mix(const ModelState& s) {
  const RegionTables& t = s.tables;
  std::vector<double> mix(t.S, 0.0);
  double all = 0;
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t k = 0; k < t.S; ++k) {
      mix[k] += static_cast<double>(s.fields.employment_zs[z * t.S + k]);
      all += static_cast<double>(s.fields.employment_zs[z * t.S + k]);
    }
  for (double& m : mix)
    m = all > 0 ? m / all : 1.0 / static_cast<double>(t.S);
  return mix;
}

namespace {

void remove_exited_firms(ModelState& s) {
  for (std::size_t i = 0; i < s.firms.size(); ++i)
    if (s.firms.exiting[i]) s.firms.alive[i] = 0;
  s.firms.compact();
  s.talent.compact();
}

void talent_arrivals(ModelState& s, StepFlows& f) {
  const RegionTables& t = s.tables;
  const TalentParams& p = s.scenario.talent;
  const auto step = static_cast<std::uint32_t>(s.month);
  const std::vector<double> mix = field_mix(s);
  std::vector<double> shares;
  for (std::size_t z = 0; z < t.Z; ++z)
    std::fill_n(f.arrivals_zk.begin() + static_cast<std::ptrdiff_t>(z * t.K), t.K, 0);
  for (std::size_t k = 0; k < t.K; ++k)
    for (std::size_t sector = 0; sector < t.S; ++sector) {
      const double index = arrival_attractiveness(s, k, sector, &shares);
      const double total =
          p.arrival_rate * static_cast<double>(t.initial_talent) * t.skill_share(k) * mix[sector] *
          std::exp(p.arrival_elasticity * (index - t.arrival_index0[k * t.S + sector]));
      for (std::size_t z = 0; z < t.Z; ++z) {
        const std::int64_t n = s.rng.poisson(total * shares[z], Purpose::kArrivals,
                                             (z * t.K + k) * t.S + sector, step);
        f.arrivals_zk[z * t.K + k] += n;
        for (std::int64_t j = 0; j < n; ++j)
          s.talent.push(s.next_talent_id++, static_cast<std::uint8_t>(z),
                        static_cast<std::uint8_t>(k), static_cast<std::uint8_t>(sector), kNoFirm);
      }
    }
}

void investment_projects(ModelState& s, StepFlows& f) {
  const RegionTables& t = s.tables;
  const FirmParams& p = s.scenario.firms;
  const double known = zones_known(s);
  // Joint promotion: leads are steered to the best-fitting zone and credited to their finder,
  // drawn in proportion to the land each jurisdiction owns in the science city.
  const bool joint = joint_promotion_on(s);
  const double fit_weight = joint ? s.scenario.joint_promotion.fit_boost : 1.0;
  std::vector<double> land(t.J, 0.0);
  for (std::size_t j = 0; j < t.J; ++j)
    for (std::size_t z = 0; z < t.Z; ++z)
      land[j] += t.ownership(z, j);
  const auto step = static_cast<std::uint32_t>(s.month);
  std::vector<double> utility(t.Z + 1);
  for (std::size_t sector = 0; sector < t.S; ++sector) {
    const double rate =
        p.project_rate * static_cast<double>(t.initial_firms) * t.sector_entry(sector);
    const std::int64_t n = s.rng.poisson(rate, Purpose::kProjects, sector, step);
    for (std::int64_t j = 0; j < n; ++j) {
      const AgentId project = s.next_project_id++;
      for (std::size_t z = 0; z < t.Z; ++z) {
        const bool learns = s.rng.uniform(Purpose::kProjectSearch, project, step,
                                          static_cast<std::uint32_t>(z)) < known;
        const bool room = s.fields.floor_occupancy(z) < 1.0;
        utility[z] = learns && room ? firm_zone_utility(s, z, sector, 1.0, fit_weight)
                                    : -std::numeric_limits<double>::infinity();
      }
      utility[t.Z] = p.project_outside_utility;
      const int pick = logit_choice(utility, s.rng.uniform(Purpose::kProjectChoice, project, step));
      REGIONSIM_ASSERT(pick >= 0, "project location choice without an alternative (outside?)");
      const auto choice = static_cast<std::size_t>(pick);
      if (choice == t.Z) continue;  // settles outside the region
      const double sd = p.productivity_sd;
      const double tfp =
          t.sector_tfp(sector) *
          std::exp(sd * s.rng.normal(Purpose::kProjectTfp, project, step) - 0.5 * sd * sd);
      s.firms.push(s.next_firm_id++, static_cast<std::uint8_t>(choice),
                   static_cast<std::uint8_t>(sector), tfp, static_cast<std::int32_t>(s.month));
      if (joint) {
        const std::size_t finder =
            pick_by_weight(land, s.rng.uniform(Purpose::kProjectFinder, project, step));
        s.firms.finder.back() = static_cast<std::uint8_t>(finder);
      }
      ++f.entries_zs[choice * t.S + sector];
      f.subsidy_zs[choice * t.S + sector] += to_money(s.fields.offer(choice, sector));
    }
  }
}

}  // namespace

void entries_and_exits(ModelState& s, StepFlows& f) {
  remove_exited_firms(s);
  talent_arrivals(s, f);
  investment_projects(s, f);
}

}  // namespace regionsim
