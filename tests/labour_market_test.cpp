#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "matching.hpp"
#include "phases.hpp"
#include "rng.hpp"
#include "test_support.hpp"

// Model-level matching: in every cell the realised hires are the matching function's (with the
// cell's rounding draw), the hired are exactly the seekers with the lowest draws, and no firm
// hires more than it posted.
namespace regionsim {
namespace {

TEST(MatchingInTheModel, HiresFollowTheFunctionAndTheLowestDrawsWin) {
  // Floor space for everyone: the cut of hires to free floor (land.hpp) has tests of its own.
  ModelState s(testing::small_baseline(
      {"run.scale=0.04", "talent.initial_seeking=0.2", "zone.core.floor_capacity=1e9",
       "zone.nevz.floor_capacity=1e9", "zone.lsiz.floor_capacity=1e9",
       "zone.fstc.floor_capacity=1e9", "zone.ngit.floor_capacity=1e9"}));
  initialise(s);
  // Every firm starts at its desired size; 20 % more TFP makes each want about 84 % more staff, so
  // the cells have vacancies to match.
  for (double& tfp : s.firms.tfp)
    tfp *= 1.2;
  StepFlows f(s.tables);
  aggregate(inputs_of(s), s.talent, s.firms, s.ids.firm, s.fields, f.roster);
  update_fields(inputs_of(s), s.gov.promotion, s.fields);
  const MonthView m = view_of(s);
  firm_decisions(m, s.gov.promotion, s.firms, f.firms);
  talent_decisions(m, s.firms, s.institutes, f.roster, s.talent, f.talent, f.separations);
  settle_separations(f.separations, s.firms, s.institutes);
  const RegionTables& t = s.tables;
  const auto step = static_cast<std::uint32_t>(s.month);
  // Before matching: seekers per cell with their draws, and each firm's posted vacancies.
  std::vector<std::vector<std::pair<double, AgentId>>> seekers(t.Z * t.S);
  for (std::size_t i = 0; i < s.talent.size(); ++i)
    if (s.talent.alive[i] && s.talent.employer[i] == kNoFirm)
      seekers[s.talent.zone[i] * t.S + s.talent.sector[i]].push_back(
          {s.rng.uniform(Purpose::kMatchOrder, s.talent.id[i], step), s.talent.id[i]});
  std::vector<std::int32_t> posted = s.firms.vacancies;
  std::vector<std::int32_t> employees_before = s.firms.employees;
  std::vector<AgentId> employer_before = s.talent.employer;

  match_labour(m, s.talent, s.firms, f.labour);

  std::int64_t total_hires = 0;
  for (std::size_t cell = 0; cell < t.Z * t.S; ++cell) {
    const auto expected = matching_hires(
        static_cast<std::int64_t>(seekers[cell].size()), f.labour.vacancies.values()[cell],
        s.scenario.labour.match_efficiency, s.scenario.labour.match_elasticity,
        s.rng.uniform(Purpose::kMatchRound, cell, step));
    const std::int64_t hires = f.labour.hires.values()[cell];
    EXPECT_EQ(hires, expected) << "cell " << cell;
    total_hires += hires;
    // The hired are the `hires` lowest draws of the cell.
    std::sort(seekers[cell].begin(), seekers[cell].end());
    for (std::size_t n = 0; n < seekers[cell].size(); ++n) {
      const AgentId id = seekers[cell][n].second;
      const auto i = static_cast<std::size_t>(
          std::lower_bound(s.talent.id.begin(), s.talent.id.end(), id) - s.talent.id.begin());
      const bool hired = s.talent.employer[i] != kNoFirm && employer_before[i] == kNoFirm;
      EXPECT_EQ(hired, static_cast<std::int64_t>(n) < hires) << "seeker " << id;
    }
  }
  std::int64_t firm_side = 0;
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    const std::int32_t gained = s.firms.employees[i] - employees_before[i];
    EXPECT_GE(gained, 0);
    EXPECT_LE(gained, s.firms.exiting[i] ? 0 : posted[i]);
    firm_side += gained;
  }
  EXPECT_EQ(firm_side, total_hires);
  EXPECT_GT(total_hires, 100);
}

}  // namespace
}  // namespace regionsim
