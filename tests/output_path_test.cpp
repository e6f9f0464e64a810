// Output paths, names and the resource estimate (engine/src/output_path.hpp,
// resource_estimate.hpp); the command line's behaviour end to end is tests/cli_errors_test.sh.
#include "output_path.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "regionsim/experiment.hpp"
#include "regionsim/scenario_loader.hpp"
#include "resource_estimate.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

TEST(OutputPath, NamesThatBecomeFileNamesAreRestricted) {
  EXPECT_NO_THROW(check_file_name_part("name", "baseline+joint [x=2]"));
  for (const std::string& bad : std::vector<std::string>{"", ".", "..", "../x", "a/b", "a\\b",
                                                         "a\nb", std::string(129, 'x')})
    EXPECT_THROW(check_file_name_part("name", bad), InputError) << bad;
}

TEST(OutputPath, IncompleteName) {
  EXPECT_EQ(incomplete_path("out/x.h5"), "out/x.incomplete.h5");
  EXPECT_EQ(incomplete_path("x.nc"), "x.incomplete.nc");
  EXPECT_EQ(incomplete_path("out/x"), "out/x.incomplete.h5");
}

TEST(OutputPath, RefusedBeforeTheRun) {
  const fs::path dir = fs::temp_directory_path() / ("regionsim_out_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path input = dir / "in.toml", existing = dir / "old.h5";
  std::ofstream(input) << "x";
  std::ofstream(existing) << "x";
  EXPECT_THROW(check_output_path("", true, {}), InputError);
  EXPECT_THROW(check_output_path(dir.string() + "/", true, {}), InputError);
  EXPECT_THROW(check_output_path(dir.string(), true, {}), InputError);
  EXPECT_THROW(check_output_path("/dev/null", true, {}), InputError);
  EXPECT_THROW(check_output_path(input.string(), true, {input.string()}), InputError);
  EXPECT_THROW(check_output_path(existing.string(), false, {}), InputError);
  EXPECT_NO_THROW(check_output_path(existing.string(), true, {input.string()}));
  EXPECT_NO_THROW(check_output_path((dir / "new" / "x.h5").string(), false, {}));
  EXPECT_TRUE(fs::is_directory(dir / "new"));
  fs::create_symlink(dir / "nowhere", dir / "link.h5");
  EXPECT_THROW(check_output_path((dir / "link.h5").string(), false, {}), InputError);
  EXPECT_NO_THROW(check_output_path((dir / "link.h5").string(), true, {}));
  fs::remove_all(dir);
}

TEST(OutputPath, PublishNeverClobbersWithoutOverwrite) {
  const fs::path dir = fs::temp_directory_path() / ("regionsim_pub_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "a.partial") << "new";
  std::ofstream(dir / "a.h5") << "old";
  EXPECT_THROW(publish_output((dir / "a.partial").string(), (dir / "a.h5").string(), false),
               InputError);
  std::string text;
  std::ifstream(dir / "a.h5") >> text;
  EXPECT_EQ(text, "old");
  publish_output((dir / "a.partial").string(), (dir / "a.h5").string(), true);
  std::ifstream(dir / "a.h5") >> text;
  EXPECT_EQ(text, "new");
  fs::remove_all(dir);
}

TEST(ResourceEstimate, HugePopulationsAreRefusedBeforeAllocating) {
  const fs::path baseline = fs::path(REGIONSIM_SOURCE_DIR) / "scenarios" / "baseline.toml";
  ExperimentSpec spec;
  spec.scenarios = {baseline};
  const Experiment ok = plan_experiment(spec);
  EXPECT_NO_THROW(check_resources(ok, 2, 0));
  const ResourceEstimate estimate = estimate_resources(ok, 2);
  EXPECT_GT(estimate.firms, 0);
  EXPECT_GT(estimate.bytes, 0);
  EXPECT_THROW(check_resources(ok, 2, 1e3), InputError);  // a 1 kB cap
  spec.overrides = {"zone.core.initial_firms=1e8", "run.scale=100"};
  EXPECT_THROW(check_resources(plan_experiment(spec), 2, 0), InputError);
}

TEST(Experiment, DuplicateSweepValuesAreRefused) {
  ExperimentSpec spec;
  spec.scenarios = {fs::path(REGIONSIM_SOURCE_DIR) / "scenarios" / "baseline.toml"};
  spec.sweeps = {parse_sweep("talent.beta_wage=2,2.0")};
  EXPECT_THROW(plan_experiment(spec), InputError);
}

}  // namespace
}  // namespace regionsim
