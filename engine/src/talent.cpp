// Talent decisions of the month: follow a relocated employer, lose the job when the employer
// exits or lays off, leave the region, or reconsider the zone by logit (moving zone means
// quitting the job there).
#include <atomic>
#include <cmath>

#include "assert.hpp"
#include "parallel.hpp"
#include "phases.hpp"

namespace regionsim {

namespace {

struct TalentCounterLayout {
  std::size_t Z, K;
  std::size_t departure(std::size_t z, std::size_t k) const { return z * K + k; }
  std::size_t move(std::size_t from, std::size_t to, std::size_t k) const {
    return Z * K + (from * Z + to) * K + k;
  }
  std::size_t size() const { return Z * K + Z * Z * K; }
};

void release(FirmStore& firms, std::int64_t firm) {
  std::atomic_ref<std::int32_t>(firms.employees[static_cast<std::size_t>(firm)])
      .fetch_sub(1, std::memory_order_relaxed);
}

void release_researcher(InstituteStore& institutes, AgentId institute) {
  const auto index = static_cast<std::size_t>(institutes.index_of(institute));
  std::atomic_ref<std::int32_t>(institutes.researchers[index])
      .fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace

void talent_decisions(ModelState& s, StepFlows& f) {
  const RegionTables& t = s.tables;
  const TalentParams& p = s.scenario.talent;
  TalentStore& talent = s.talent;
  FirmStore& firms = s.firms;
  const auto step = static_cast<std::uint32_t>(s.month);
  const TalentCounterLayout at{t.Z, t.K};
  Counters counters(at.size());
  tbb::enumerable_thread_specific<std::vector<double>> utilities(std::vector<double>(t.Z));

  // Zone utilities do not depend on the person beyond skill and field: tabulate them once.
  Matrix base_utility(t.Z, t.K * t.S);
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t k = 0; k < t.K; ++k)
      for (std::size_t sector = 0; sector < t.S; ++sector)
        base_utility(z, k * t.S + sector) = talent_zone_utility(s, z, k, sector);

  parallel_count(talent.size(), counters, [&](std::size_t i, std::vector<std::int64_t>& local) {
    const AgentId id = talent.id[i];
    const std::size_t k = talent.skill[i];
    std::size_t z = talent.zone[i];
    std::int64_t firm = f.employer_idx[i];
    // Institutes stay put and do not lay off: their researchers only leave or quit.
    const bool researcher = is_institute(talent.employer[i]);

    if (firm >= 0) {
      const auto fi = static_cast<std::size_t>(firm);
      if (firms.exiting[fi]) {
        talent.employer[i] = kNoFirm;
        release(firms, firm);
        firm = -1;
      } else if (firms.zone[fi] != z) {  // the employer relocated: the staff move with it
        const std::size_t to = firms.zone[fi];
        ++local[at.move(z, to, k)];
        talent.zone[i] = static_cast<std::uint8_t>(to);
        z = to;
      }
    }

    const auto draws = s.rng.uniform2(Purpose::kTalentLeave, id, step);
    if (draws[0] < (firm >= 0 || researcher ? p.leave_employed : p.leave_seeking)) {
      talent.alive[i] = 0;
      ++local[at.departure(z, k)];
      if (firm >= 0) release(firms, firm);
      if (researcher) release_researcher(s.institutes, talent.employer[i]);
      return;
    }
    if (firm >= 0 && s.rng.uniform(Purpose::kLayoff, id, step) <
                         firms.layoff_prob[static_cast<std::size_t>(firm)]) {
      talent.employer[i] = kNoFirm;
      release(firms, firm);
      firm = -1;
    }

    if (draws[1] >= (firm >= 0 || researcher ? p.reconsider_employed : p.reconsider_seeking))
      return;
    std::vector<double>& utility = utilities.local();
    const std::size_t column = k * t.S + talent.sector[i];
    for (std::size_t c = 0; c < t.Z; ++c)
      utility[c] =
          base_utility(c, column) - (c != z ? p.move_cost + p.beta_travel * t.travel(z, c) : 0.0);
    const int pick = logit_choice(utility, s.rng.uniform(Purpose::kTalentZoneChoice, id, step));
    REGIONSIM_ASSERT(pick >= 0, "talent zone choice without an alternative (own zone excluded?)");
    const auto choice = static_cast<std::size_t>(pick);
    if (choice == z) return;
    ++local[at.move(z, choice, k)];
    talent.zone[i] = static_cast<std::uint8_t>(choice);
    if (firm >= 0) release(firms, firm);
    if (researcher) release_researcher(s.institutes, talent.employer[i]);
    talent.employer[i] = kNoFirm;
  });

  const auto sums = counters.sum();
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t k = 0; k < t.K; ++k) {
      f.departures_zk[z * t.K + k] = sums[at.departure(z, k)];
      for (std::size_t to = 0; to < t.Z; ++to)
        f.talent_moves_zzk[(z * t.Z + to) * t.K + k] = sums[at.move(z, to, k)];
    }
}

}  // namespace regionsim
