// Talent decisions of the month: follow a relocated employer, lose the job when the employer
// exits or lays off, leave the region, or reconsider the zone by logit (moving zone means
// quitting the job there). Who leaves which employer is counted here and taken off the
// employers' head counts by settle_separations.
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>

#include "assert.hpp"
#include "parallel.hpp"
#include "phases.hpp"
#include "shards.hpp"
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

  // One agent's month, with its leaving/reconsidering pair and its layoff draw computed by the
  // batch loop below.
  const auto decide = [&](std::size_t i, TalentFlows& local, double leave_draw,
                          double reconsider_draw, double layoff_draw) {
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

    if (leave_draw < (firm >= 0 || researcher ? p.leave_employed : p.leave_seeking)) {
      talent.alive[i] = 0;
      ++local.departures(z, k);
      if (firm >= 0) leave_firm(firm);
      if (researcher) leave_institute(talent.employer[i]);
      return;
    }
    if (firm >= 0 && layoff_draw < firms.layoff_prob[static_cast<std::size_t>(firm)]) {
      talent.employer[i] = kNoFirm;
      leave_firm(firm);
      firm = -1;
    }

    if (reconsider_draw >= (firm >= 0 || researcher ? p.reconsider_employed : p.reconsider_seeking))
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
  };

  // Every agent draws its leave/reconsider pair; the layoff draw is taken for all too (only the
  // employed use it; the draws are pure functions of id and month, so drawing unused ones changes
  // nothing) so that both come from the batched Philox, vectorised, instead of one call at a time.
  f = parallel_sum_ranges(talent.size(), TalentFlows(t),
                          [&](const tbb::blocked_range<std::size_t>& range, TalentFlows& local) {
                            std::array<double, Rng::kBatch> leave, reconsider, layoff, unused;
                            for (std::size_t b = range.begin(); b < range.end(); b += Rng::kBatch) {
                              const std::size_t n = std::min(Rng::kBatch, range.end() - b);
                              m.rng.uniform2_batch(Purpose::kTalentLeave, &talent.id[b], n, step,
                                                   leave.data(), reconsider.data());
                              m.rng.uniform2_batch(Purpose::kLayoff, &talent.id[b], n, step,
                                                   layoff.data(), unused.data());
                              for (std::size_t j = 0; j < n; ++j)
                                decide(b + j, local, leave[j], reconsider[j], layoff[j]);
                            }
                          });
}

void combine_talent_decisions(ShardComm* shard, TalentFlows& f, Separations& left) {
  sum_grid_over_shards(shard, f.departures, f.moves);
  // A firm's staff sit on its shard (holds_person): only the institutes' leavers travel.
  sum_events_over_shards(shard, left.institute);
}

void settle_separations(const Separations& left, FirmStore& firms, InstituteStore& institutes) {
  for (std::size_t i = 0; i < firms.size(); ++i)
    firms.employees[i] -= left.firm[i];
  for (std::size_t i = 0; i < institutes.size(); ++i)
    institutes.researchers[i] -= left.institute[i];
}

}  // namespace regionsim
