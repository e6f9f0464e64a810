// Every scenario shipped in scenarios/ loads and runs at small scale with the accounting
// identities checked every month, and its levers start when it says.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "regionsim/scenario_loader.hpp"
#include "regionsim/simulation.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> library() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(testing::source_path("scenarios")))
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ScenarioLibrary, HasTheScenariosTheIssueAsksFor) {
  std::set<std::string> names;
  for (const auto& file : library())
    names.insert(file.stem().string());
  for (const char* wanted :
       {"baseline", "tax-sharing", "statistics-sharing", "separation", "joint-promotion",
        "integrated-assessment", "core-traction", "park-city", "full-reform", "zhongguancun",
        "zhangjiang", "guangming", "fair-competition"})
    EXPECT_TRUE(names.count(wanted)) << wanted;
}

TEST(ScenarioLibrary, EveryScenarioRunsWithAccountingChecked) {
  for (const auto& file : library()) {
    SCOPED_TRACE(file.filename().string());
    // Levers start at month 24 in the library (fair competition at 43): run past them.
    const Scenario scenario = load_scenario(file, {"run.scale=0.006", "run.steps=48"});
    EXPECT_EQ(scenario.name, file.stem().string());
    Simulation sim(scenario, /*check=*/true);
    for (int t = 0; t < scenario.run.steps; ++t)
      ASSERT_NO_THROW(sim.step()) << "month " << t;
    EXPECT_GT(sim.firm_count(), 0u);
  }
}

}  // namespace
}  // namespace regionsim
