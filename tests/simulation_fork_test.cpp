// Simulation::fork, the basis of shared warm-ups: a copied state continues exactly as the original
// would have, and refuses an arm of another replicate.
#include <gtest/gtest.h>

#include <vector>

#include "regionsim/simulation.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

// The parts of a record every mechanism feeds into; the file-level test compares every variable.
std::vector<std::vector<std::int64_t>> fingerprint(const StepOutputs& m) {
  return {m.firms,
          m.employment,
          m.output,
          m.vacancies,
          m.firm_entries,
          m.firm_exits,
          m.talent_employed,
          m.talent_seeking,
          m.talent_arrivals,
          m.talent_departures,
          m.tax_collected,
          m.subsidies_received,
          m.firm_relocations,
          m.talent_relocations,
          m.tax_attributed,
          m.gdp_attributed,
          m.subsidies_paid,
          m.budget};
}

TEST(SimulationFork, ContinuesExactlyAsTheOriginal) {
  const Scenario scenario = testing::small_baseline({"run.steps=12"});
  Simulation whole(scenario, true);
  Simulation trunk(scenario, true);
  std::vector<StepOutputs> expected;
  for (int t = 0; t < 12; ++t)
    expected.push_back(whole.step());
  for (int t = 0; t < 5; ++t)
    trunk.step();

  Simulation branch = trunk.fork(scenario);
  EXPECT_EQ(branch.month(), 5);
  EXPECT_EQ(branch.talent_count(), trunk.talent_count());
  for (int t = 5; t < 12; ++t) {
    const StepOutputs& m = branch.step();
    EXPECT_EQ(fingerprint(m), fingerprint(expected[static_cast<std::size_t>(t)])) << "month " << t;
    EXPECT_EQ(m.wage, expected[static_cast<std::size_t>(t)].wage) << "month " << t;
    EXPECT_EQ(m.rent, expected[static_cast<std::size_t>(t)].rent) << "month " << t;
  }
  // The trunk is untouched by its branch and continues the same way.
  for (int t = 5; t < 12; ++t)
    EXPECT_EQ(fingerprint(trunk.step()), fingerprint(expected[static_cast<std::size_t>(t)]))
        << "month " << t;
}

TEST(SimulationFork, TakesTheArmsScenarioAndRefusesAnotherSeed) {
  const Scenario scenario = testing::small_baseline({"run.steps=4"});
  Simulation trunk(scenario);
  trunk.step();
  const Scenario renamed = testing::small_baseline({"run.steps=4", "name=arm"});
  EXPECT_EQ(trunk.fork(renamed).scenario().name, "arm");
  const Scenario other_seed = testing::small_baseline({"run.steps=4", "run.seed=2"});
  EXPECT_THROW(trunk.fork(other_seed), std::logic_error);
}

}  // namespace
}  // namespace regionsim
