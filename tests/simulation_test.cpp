// Whole-run properties: accounting identities hold every month over many random small scenarios,
// a corrupted state is caught, and the results are bit-identical for any thread count.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstring>
#include <string>

#include "phases.hpp"
#include "regionsim/simulation.hpp"
#include "rng.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

using testing::small_baseline;

// Random but valid parameter mixes: every trial draws its own behaviour and market parameters.
std::vector<std::string> random_overrides(std::uint64_t trial) {
  const Rng rng(1000 + trial);
  auto u = [&](std::uint32_t i, double lo, double hi) {
    return std::to_string(lo + (hi - lo) * rng.uniform(Purpose::kTest, trial, 0, i));
  };
  return {"run.seed=" + std::to_string(trial + 1),
          "run.scale=" + u(0, 0.002, 0.008),
          "run.steps=30",
          "talent.reconsider_seeking=" + u(1, 0.0, 0.5),
          "talent.reconsider_employed=" + u(2, 0.0, 0.1),
          "talent.leave_seeking=" + u(3, 0.0, 0.1),
          "talent.arrival_rate=" + u(4, 0.0, 0.02),
          "firms.exit_hazard=" + u(5, 0.0, 0.02),
          "firms.relocation_consider=" + u(6, 0.0, 0.3),
          "firms.project_rate=" + u(7, 0.0, 0.03),
          "firms.layoff_adjust=" + u(8, 0.0, 0.5),
          "firms.reloc_move_cost=" + u(9, 0.0, 3.0),
          "labour.match_efficiency=" + u(10, 0.1, 2.0),
          "labour.wage_adjust=" + u(11, 0.0, 0.1),
          "government.decision_period=" + std::to_string(1 + trial % 7),
          "government.decision_lag=" + std::to_string(trial % 3),
          "government.zones_known=" + u(12, 0.1, 1.0),
          "zone.lsiz.ownership.cdht=" + u(13, 0.0, 1.0).substr(0, 6)};
}

TEST(Accounting, HoldsEveryMonthOverRandomScenarios) {
  std::int64_t moves = 0, entries = 0, exits = 0, arrivals = 0;
  for (std::uint64_t trial = 0; trial < 24; ++trial) {
    auto overrides = random_overrides(trial);
    // Keep the co-built zone's shares summing to 1 whatever the draw.
    const double cdht = std::stod(overrides.back().substr(overrides.back().find('=') + 1));
    overrides.push_back("zone.lsiz.ownership.shuangliu=" + std::to_string(1.0 - cdht));
    Scenario scenario = load_scenario(testing::source_path("scenarios/baseline.toml"), overrides);
    Simulation sim(scenario, /*check=*/true);
    for (int t = 0; t < scenario.run.steps; ++t) {
      const StepOutputs& out = sim.step();
      for (std::size_t z = 0; z < out.zones; ++z)
        for (std::size_t y = 0; y < out.zones; ++y)
          if (y != z) moves += out.firm_relocations[z * out.zones + y];
      for (auto v : out.firm_entries)
        entries += v;
      for (auto v : out.firm_exits)
        exits += v;
      for (auto v : out.talent_arrivals)
        arrivals += v;
    }
  }
  // The identities were exercised by real flows, not by an idle region.
  EXPECT_GT(moves, 0);
  EXPECT_GT(entries, 0);
  EXPECT_GT(exits, 0);
  EXPECT_GT(arrivals, 0);
}

TEST(Accounting, BrokenEmployeeCountIsCaughtWithItsIdentity) {
  Scenario scenario = small_baseline();
  ModelState state(scenario);
  initialise(state);
  state.firms.employees[3] += 1;  // a missed decrement, as a bug would leave it
  StepFlows flows(state.tables);
  aggregate(inputs_of(state), state.talent, state.firms, state.ids.firm, state.fields,
            flows.roster);
  try {
    check_employee_counts(state, flows.roster);
    FAIL() << "the corrupted count was not detected";
  } catch (const AccountingError& e) {
    EXPECT_NE(std::string(e.what()).find("employees of firm"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("month 0"), std::string::npos) << e.what();
  }
}

TEST(Accounting, BrokenStockIdentityNamesMonthIdentityAndBothSides) {
  Scenario scenario = small_baseline();
  Simulation sim(scenario, true);
  StepOutputs before = sim.initial();
  const StepOutputs after = sim.step();
  before.firms[0] += 1;  // pretend one firm vanished without an exit
  ModelState probe(scenario);
  initialise(probe);
  StepFlows flows(probe.tables);
  flows.entries.entries.values() = after.firm_entries;
  flows.firms.exits.values() = after.firm_exits;
  try {
    check_accounting(probe, before, after, flows);
    FAIL() << "the broken stock identity was not detected";
  } catch (const AccountingError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("firms[core,ict]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("left side"), std::string::npos) << msg;
    EXPECT_NE(msg.find("right side"), std::string::npos) << msg;
  }
}

std::vector<StepOutputs> run_with_threads(const Scenario& scenario, int threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  Simulation sim(scenario, false);
  std::vector<StepOutputs> months;
  for (int t = 0; t < scenario.run.steps; ++t)
    months.push_back(sim.step());
  return months;
}

void expect_identical(const StepOutputs& a, const StepOutputs& b) {
  EXPECT_EQ(a.firms, b.firms);
  EXPECT_EQ(a.employment, b.employment);
  EXPECT_EQ(a.output, b.output);
  EXPECT_EQ(a.vacancies, b.vacancies);
  EXPECT_EQ(a.talent_employed, b.talent_employed);
  EXPECT_EQ(a.talent_seeking, b.talent_seeking);
  EXPECT_EQ(a.firm_relocations, b.firm_relocations);
  EXPECT_EQ(a.talent_relocations, b.talent_relocations);
  EXPECT_EQ(a.tax_collected, b.tax_collected);
  EXPECT_EQ(a.budget, b.budget);
  // Prices are doubles: compare bits, not values within a tolerance.
  EXPECT_EQ(0, std::memcmp(a.wage.data(), b.wage.data(), a.wage.size() * sizeof(double)));
  EXPECT_EQ(0, std::memcmp(a.rent.data(), b.rent.data(), a.rent.size() * sizeof(double)));
}

TEST(Determinism, RecordsAreBitIdenticalFor1And2And4Threads) {
  // Large enough (about 4,000 firms) that every parallel loop is split across workers.
  const Scenario scenario =
      small_baseline({"run.scale=0.04", "run.steps=18", "firms.relocation_consider=0.1"});
  const auto one = run_with_threads(scenario, 1);
  for (int threads : {2, 4}) {
    const auto many = run_with_threads(scenario, threads);
    ASSERT_EQ(one.size(), many.size());
    for (std::size_t t = 0; t < one.size(); ++t) {
      SCOPED_TRACE("threads " + std::to_string(threads) + ", month " + std::to_string(t));
      expect_identical(one[t], many[t]);
    }
  }
}

TEST(Determinism, DifferentSeedsGiveDifferentRuns) {
  const auto a = run_with_threads(small_baseline({"run.steps=6"}), 2);
  const auto b = run_with_threads(small_baseline({"run.steps=6", "run.seed=2"}), 2);
  EXPECT_NE(a.back().talent_employed, b.back().talent_employed);
}

}  // namespace
}  // namespace regionsim
