// Talent decisions of the month: follow a relocated employer, lose the job when the employer
// exits or lays off, leave the region, or reconsider the zone by logit (moving zone means
// quitting the job there). Who leaves which employer is counted here and taken off the
// employers' head counts by settle_separations.
#include <atomic>
#include <cmath>

#include "assert.hpp"
#include "parallel.hpp"
#include "phases.hpp"
#include "zone_utility.hpp"

namespace regionsim {

namespace {

void count_leaving(std::vector<std::int32_t>& left, std::size_t employer) {
  std::atomic_ref<std::int32_t>(left[employer]).fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

void talent_decisions(const MonthView& m, const FirmStore& firms, const InstituteStore& institutes,
                      const Roster& roster, TalentStore& talent, TalentFlows& f,
                      Separations& left) {
  const RegionTables& t = m.tables;
  const TalentParams& p = m.scenario.talent;
  const auto step = m.step();
  left.firm.assign(firms.size(), 0);
  left.institute.assign(institutes.size(), 0);
  const auto leave_firm = [&](std::int64_t firm) {
    count_leaving(left.firm, static_cast<std::size_t>(firm));
  };
  const auto leave_institute = [&](AgentId institute) {
    count_leaving(left.institute, static_cast<std::size_t>(institutes.index_of(institute)));
  };
  tbb::enumerable_thread_specific<std::vector<double>> utilities(std::vector<double>(t.Z));

  // Zone utilities do not depend on the person beyond skill and field: tabulate them once.
  Grid<double, dim::Zone, dim::Skill, dim::Sector> base_utility(t);
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t k = 0; k < t.K; ++k)
      for (std::size_t sector = 0; sector < t.S; ++sector)
        base_utility(z, k, sector) = talent_zone_utility(m, z, k, sector);

  f = parallel_sum(talent.size(), TalentFlows(t), [&](std::size_t i, TalentFlows& local) {
    const AgentId id = talent.id[i];
    const std::size_t k = talent.skill[i];
    std::size_t z = talent.zone[i];
    std::int64_t firm = roster.employer_idx[i];
    // Institutes stay put and do not lay off: their researchers only leave or quit.
    const bool researcher = is_institute(talent.employer[i]);

    if (firm >= 0) {
      const auto fi = static_cast<std::size_t>(firm);
      if (firms.exiting[fi]) {
        talent.employer[i] = kNoFirm;
        leave_firm(firm);
        firm = -1;
      } else if (firms.zone[fi] != z) {  // the employer relocated: the staff move with it
        const std::size_t to = firms.zone[fi];
        ++local.moves(z, to, k);
        talent.zone[i] = static_cast<std::uint8_t>(to);
        z = to;
      }
    }

    const auto draws = m.rng.uniform2(Purpose::kTalentLeave, id, step);
    if (draws[0] < (firm >= 0 || researcher ? p.leave_employed : p.leave_seeking)) {
      talent.alive[i] = 0;
      ++local.departures(z, k);
      if (firm >= 0) leave_firm(firm);
      if (researcher) leave_institute(talent.employer[i]);
      return;
    }
    if (firm >= 0 && m.rng.uniform(Purpose::kLayoff, id, step) <
                         firms.layoff_prob[static_cast<std::size_t>(firm)]) {
      talent.employer[i] = kNoFirm;
      leave_firm(firm);
      firm = -1;
    }

    if (draws[1] >= (firm >= 0 || researcher ? p.reconsider_employed : p.reconsider_seeking))
      return;
    std::vector<double>& utility = utilities.local();
    const std::size_t sector = talent.sector[i];
    for (std::size_t c = 0; c < t.Z; ++c)
      utility[c] = base_utility(c, k, sector) -
                   (c != z ? p.move_cost + p.beta_travel * t.travel(z, c) : 0.0);
    const int pick = logit_choice(utility, m.rng.uniform(Purpose::kTalentZoneChoice, id, step));
    REGIONSIM_ASSERT(pick >= 0, "talent zone choice without an alternative (own zone excluded?)");
    const auto choice = static_cast<std::size_t>(pick);
    if (choice == z) return;
    ++local.moves(z, choice, k);
    talent.zone[i] = static_cast<std::uint8_t>(choice);
    if (firm >= 0) leave_firm(firm);
    if (researcher) leave_institute(talent.employer[i]);
    talent.employer[i] = kNoFirm;
  });
}

void settle_separations(const Separations& left, FirmStore& firms, InstituteStore& institutes) {
  for (std::size_t i = 0; i < firms.size(); ++i)
    firms.employees[i] -= left.firm[i];
  for (std::size_t i = 0; i < institutes.size(); ++i)
    institutes.researchers[i] -= left.institute[i];
}

}  // namespace regionsim
