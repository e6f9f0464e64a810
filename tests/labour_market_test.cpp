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

// docs/model.md §4 and §7: month 0's firms start at their desired size and post no vacancies, so
// its market is no signal; the tightness and job-finding rates stay at their starting values and
// month 1's wages do not move. From month 1 on the tightness is the month's vacancies per seeker.
TEST(MatchingInTheModel, MonthZerosMarketIsNoSignalForWages) {
  ModelState s(testing::small_baseline({"run.scale=0.05"}));
  initialise(s);
  const Vector tightness = s.fields.tightness;
  const Matrix job_rate = s.fields.job_rate;
  StepFlows month0;
  simulate_month(s, month0);
  std::int64_t posted = 0;
  for (const auto v : month0.labour.vacancies.values())
    posted += v;
  EXPECT_LT(posted, 100);  // a few rounded up at random, against thousands in month 1 before
  for (std::size_t z = 0; z < s.tables.Z; ++z)
    EXPECT_EQ(s.fields.tightness(z), tightness(z)) << "zone " << z;
  EXPECT_EQ(s.fields.job_rate, job_rate);
  const Vector wages = s.fields.wage_index;
  ++s.month;
  StepFlows month1;
  simulate_month(s, month1);
  for (std::size_t z = 0; z < s.tables.Z; ++z) {
    EXPECT_EQ(s.fields.wage_index(z), wages(z)) << "zone " << z;
    std::int64_t open = 0, looking = 0;
    for (std::size_t k = 0; k < s.tables.S; ++k) {
      open += month1.labour.vacancies(z, k);
      looking += month1.labour.seekers(z, k);
    }
    EXPECT_DOUBLE_EQ(
        s.fields.tightness(z),
        static_cast<double>(open) / static_cast<double>(std::max<std::int64_t>(looking, 1)))
        << "zone " << z;
  }
}

}  // namespace
}  // namespace regionsim
