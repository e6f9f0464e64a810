// `--set key=value` overrides: they reach any key, may reshape the region, and a bad one is refused
// naming the override (the loader's good files: scenario_loader_test.cpp; bad files:
// scenario_bad_files_test.cpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "regionsim/scenario_loader.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

using testing::contains;
using testing::input_error;

const std::filesystem::path kBaseline =
    std::filesystem::path(REGIONSIM_SOURCE_DIR) / "scenarios" / "baseline.toml";

TEST(ScenarioLoader, OverridesReachAnyKey) {
  const Scenario s =
      load_scenario(kBaseline, {"zone.core.amenity=8", "zone.lsiz.ownership.cdht=0.6",
                                "zone.lsiz.ownership.shuangliu=0.4", "travel_minutes.core.lsiz=20",
                                "travel_minutes.nevz.core=21", "run.seed=42", "name=my run",
                                "description=\"quoted text\"", "run.start_date=2022-03-01",
                                "zone.fstc.ownership={ eastern = 1 }"});
  EXPECT_EQ(s.zones[0].amenity, 8);
  EXPECT_EQ(s.zones[2].ownership, (std::vector<double>{0, 0.6, 0.4, 0}));
  EXPECT_EQ(s.zones[3].ownership, (std::vector<double>{0, 0, 0, 1}));  // inline: replaced whole
  EXPECT_EQ(s.travel_minutes[0][2], 20);
  EXPECT_EQ(s.travel_minutes[2][0], 20);
  EXPECT_EQ(s.travel_minutes[0][1], 21);  // the override beats the base's other direction
  EXPECT_EQ(s.travel_minutes[1][0], 21);
  EXPECT_EQ(s.run.seed, 42u);
  EXPECT_EQ(s.name, "my run");
  EXPECT_TRUE(contains(s.resolved_toml, "description = \"quoted text\"\n"));
  EXPECT_EQ(s.run.start_date, "2022-03-01");
}

TEST(ScenarioLoader, OverrideCanShrinkTheRegion) {
  const Scenario s = load_scenario(kBaseline, {R"(region.zones=["core", "nevz"])"});
  ASSERT_EQ(s.zones.size(), 2u);
  EXPECT_EQ(s.travel_minutes, (std::vector<std::vector<double>>{{0, 25}, {25, 0}}));
}

struct OverrideCase {
  std::string override_text;
  std::vector<std::string> fragments;
};

TEST(ScenarioLoader, BadOverridesNameTheOverride) {
  const std::vector<OverrideCase> cases = {
      {"foo", {"--set foo: expected key=value"}},
      {"talent.beta_wage=-1",
       {"--set talent.beta_wage=-1: value -1 is out of range for talent.beta_wage [0, 100] "
        "(1/log mCNY)"}},
      {"talent.beta_wag=1",
       {"--set talent.beta_wag=1: unknown key 'talent.beta_wag'; did you mean "
        "'talent.beta_wage'?"}},
      {"zone.core.amenty=8", {"unknown key 'zone.core.amenty'; did you mean 'zone.core.amenity'?"}},
      {"steps=3", {"--set steps=3: unknown key 'steps'; did you mean 'run.steps'?"}},
      {"run.steps=1.5", {"--set run.steps=1.5: ", "expected an integer (months)"}},
      {"talent.beta_wage=high", {"talent.beta_wage = \"high\": expected a number"}},
      {"zone.lsiz.ownership.cdht=0.6",
       {"--set zone.lsiz.ownership.cdht=0.6: zone.lsiz.ownership sums to 1.1",
        "(cdht=0.6, shuangliu=0.5)"}},
      {"zone.cor.amenity=3", {"[zone.cor] is not listed in region.zones", "'zone.core'"}},
      {"run.start_date=2021-02-03", {"expected an ISO date of a month's first day"}},
      {"extends=other.toml", {"--set extends=other.toml: extends cannot be overridden"}},
      {"a..b=1", {"--set a..b=1: 'a..b' is not a key"}},
      {"=1", {"is not a key"}},
  };
  for (const OverrideCase& c : cases) {
    SCOPED_TRACE(c.override_text);
    const std::string message = input_error([&] { load_scenario(kBaseline, {c.override_text}); });
    for (const std::string& fragment : c.fragments) {
      EXPECT_TRUE(contains(message, fragment)) << "message: " << message;
    }
  }
}

}  // namespace
}  // namespace regionsim
