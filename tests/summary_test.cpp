// The tables `regionsim run` prints (engine/app/summary.cpp): a row per zone after a single run, a
// row per arm after an experiment.
#include "summary.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "h5_read.hpp"
#include "regionsim/run.hpp"
#include "regionsim/scenario_loader.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

TEST(Summary, SummaryTableListsEveryZone) {
  const Scenario scenario = testing::small_baseline({"run.steps=2"});
  const fs::path dir = testing::temp_dir("summary");
  RunOptions options;
  options.output = (dir / "s.h5").string();
  const RunResult result = run_to_file(scenario, options);
  const std::string table = summary_table(scenario, result.final_month);
  for (const auto& zone : scenario.zones)
    EXPECT_NE(table.find(zone.name), std::string::npos);
  EXPECT_NE(table.find("region"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Summary, ExperimentSummaryHasALinePerArm) {
  const fs::path dir = testing::temp_dir("exp_summary");
  const fs::path baseline = fs::path(REGIONSIM_SOURCE_DIR) / "scenarios" / "baseline.toml";
  const fs::path known = dir / "known.toml";
  std::ofstream(known) << "extends = \"" << baseline.string()
                       << "\"\nname = \"known\"\n[government]\nzones_known = 0.9\n";
  ExperimentSpec spec;
  spec.scenarios = {baseline, known};
  spec.replicates = 2;
  spec.overrides = {"run.scale=0.01"};
  spec.steps = 2;
  const Experiment plan = plan_experiment(spec);
  RunOptions options;
  options.output = (dir / "s.h5").string();
  const ExperimentResult result = run_experiment(plan, options);
  const std::string summary = experiment_summary(plan, result);
  EXPECT_NE(summary.find("\nbaseline "), std::string::npos) << summary;
  EXPECT_NE(summary.find("\nknown "), std::string::npos) << summary;
  EXPECT_NE(summary.find("4 runs"), std::string::npos) << summary;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace regionsim
