// Planning experiments: sweep values, replicate seeds, the cross product of runs, shared warm-ups,
// and the messages for bad experiment files.
#include "regionsim/experiment.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "regionsim/scenario_loader.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = REGIONSIM_SOURCE_DIR;
const fs::path kBaseline = kSourceDir / "scenarios" / "baseline.toml";
const fs::path kBadExperiments = kSourceDir / "tests" / "data" / "bad_experiments";

using testing::input_error;

std::vector<std::string> texts(const SweepAxis& axis) {
  std::vector<std::string> out;
  for (const SweepValue& v : axis.values)
    out.push_back(v.text);
  return out;
}

// A scenario file extending the baseline under another name, with extra lines.
fs::path arm_file(const fs::path& dir, const std::string& name, const std::string& extra = "") {
  const fs::path file = dir / (name + ".toml");
  std::ofstream(file) << "extends = \"" << kBaseline.string() << "\"\nname = \"" << name << "\"\n"
                      << extra;
  return file;
}

ExperimentSpec small_spec(std::vector<fs::path> scenarios, std::int64_t replicates) {
  ExperimentSpec spec;
  spec.scenarios = std::move(scenarios);
  spec.replicates = replicates;
  spec.overrides = {"run.scale=0.01"};
  spec.steps = 3;
  return spec;
}

TEST(ParseSweep, RangesOfIntegersAndDecimals) {
  EXPECT_EQ(texts(parse_sweep("government.decision_period=3:12:3")),
            (std::vector<std::string>{"3", "6", "9", "12"}));
  // Decimals rounded to the places written, the stop included despite rounding.
  EXPECT_EQ(texts(parse_sweep("talent.beta_wage=0.1:0.3:0.1")),
            (std::vector<std::string>{"0.1", "0.2", "0.3"}));
  EXPECT_EQ(texts(parse_sweep("talent.beta_wage=2:3:0.5")),
            (std::vector<std::string>{"2.0", "2.5", "3.0"}));
  EXPECT_EQ(texts(parse_sweep("talent.beta_wage=1:0:-0.25")),
            (std::vector<std::string>{"1.00", "0.75", "0.50", "0.25", "0.00"}));
  EXPECT_EQ(texts(parse_sweep("firms.exit_hazard=1e-3:3e-3:1e-3")).size(), 3u);
  const SweepAxis axis = parse_sweep(" talent.beta_wage = 0.1:0.3:0.1 ");
  EXPECT_EQ(axis.key, "talent.beta_wage");
  EXPECT_TRUE(axis.numeric());
  EXPECT_DOUBLE_EQ(*axis.values[2].number, 0.3);
  EXPECT_EQ(axis.coordinate_name(), "talent__beta_wage");
}

TEST(ParseSweep, ListsOfNumbersOrText) {
  const SweepAxis numbers = parse_sweep("government.zones_known=0.5,0.7, 0.9");
  EXPECT_EQ(texts(numbers), (std::vector<std::string>{"0.5", "0.7", "0.9"}));
  EXPECT_TRUE(numbers.numeric());
  const SweepAxis words = parse_sweep("description=a,b");
  EXPECT_FALSE(words.numeric());
  EXPECT_EQ(words.values[1].label, "b");
}

TEST(ParseSweep, BadSweepsNameTheSweepAndTheExpectation) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"talent.beta_wage",
       "--sweep talent.beta_wage: expected key=start:stop:step or key=v1,v2,..."},
      {"=1,2", "expected key=start:stop:step"},
      {"talent.beta_wage=1:2", "expected start:stop:step with three numbers"},
      {"talent.beta_wage=1:2:0", "the step is 0"},
      {"talent.beta_wage=2:1:0.5", "the step goes away from stop"},
      {"talent.beta_wage=0:1:0.00001", "more than 10000 values"},
      {"talent.beta_wage=1,,2", "an empty value"},
      {"run.seed=1,2", "run.seed cannot be swept; use replicates"},
      {"name=a,b", "name cannot be swept"},
  };
  for (const auto& [text, fragment] : cases) {
    const std::string message = input_error([&] { parse_sweep(text); });
    EXPECT_NE(message.find(fragment), std::string::npos) << text << " -> " << message;
  }
}

TEST(ReplicateSeed, ReplicateZeroIsTheBaseSeedAndTheRestAreFixedMixes) {
  EXPECT_EQ(replicate_seed(1, 0), 1u);
  EXPECT_EQ(replicate_seed(12345, 0), 12345u);
  // Pinned: changing the mix would silently change every replicate ever run.
  EXPECT_EQ(replicate_seed(1, 1), 5225608189600411232u);
  EXPECT_EQ(replicate_seed(1, 2), 6878622605533214259u);
  std::set<std::uint64_t> seen;
  for (std::int64_t k = 0; k < 1000; ++k) {
    const std::uint64_t seed = replicate_seed(7, k);
    EXPECT_LE(seed, static_cast<std::uint64_t>(INT64_MAX)) << "replicate " << k;
    seen.insert(seed);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(ScenarioHash, IsFnv1a64) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(hex64(0xaf63dc4c8601ec8cull), "af63dc4c8601ec8c");
  EXPECT_EQ(hex64(1), "0000000000000001");
}

TEST(PlanExperiment, CrossProductOrderSeedsAndOverrides) {
  const fs::path dir = fs::temp_directory_path() / "regionsim_plan_order";
  fs::create_directories(dir);
  ExperimentSpec spec =
      small_spec({kBaseline, arm_file(dir, "known", "[government]\nzones_known = 0.9\n")}, 3);
  spec.sweeps = {parse_sweep("talent.beta_wage=2,3")};
  const Experiment plan = plan_experiment(spec);
  EXPECT_EQ(plan.name, "baseline+known");
  EXPECT_EQ(plan.scenario_names, (std::vector<std::string>{"baseline", "known"}));
  EXPECT_EQ(plan.points, 2u);
  ASSERT_EQ(plan.runs.size(), 12u);
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    const ExperimentRun& run = plan.runs[i];
    EXPECT_EQ(i, (run.scenario_index * plan.points + run.point) * 3 +
                     static_cast<std::size_t>(run.replicate));
    EXPECT_EQ(run.seed, replicate_seed(plan.base_seed, run.replicate))
        << "same seed in every arm and point";
    EXPECT_EQ(run.scenario.run.seed, run.seed);
    EXPECT_EQ(run.scenario.talent.beta_wage, run.point == 0 ? 2.0 : 3.0);
    EXPECT_EQ(run.scenario.government.zones_known == 0.9, run.scenario_index == 1);
    EXPECT_EQ(run.scenario.run.steps, 3);
    EXPECT_EQ(run.fork_parent, -1);
    EXPECT_EQ(run.fork_month, -1);
    // The recorded overrides reproduce the run's scenario from its file.
    const Scenario again = load_scenario(spec.scenarios[run.scenario_index], run.overrides);
    EXPECT_EQ(again.resolved_toml, run.scenario.resolved_toml) << run_label(plan, run);
  }
  EXPECT_EQ(run_label(plan, plan.runs[11]), "known [talent.beta_wage=3]");
  fs::remove_all(dir);
}

TEST(PlanExperiment, BaseSeedIsTheScenariosSeedUnlessGiven) {
  const Experiment plain = plan_experiment(small_spec({kBaseline}, 2));
  EXPECT_EQ(plain.base_seed, 1u);
  EXPECT_EQ(plain.runs[0].seed, 1u);
  ExperimentSpec seeded = small_spec({kBaseline}, 2);
  seeded.seed = 99;
  const Experiment plan = plan_experiment(seeded);
  EXPECT_EQ(plan.runs[0].seed, 99u);
  EXPECT_EQ(plan.runs[1].seed, replicate_seed(99, 1));

  const fs::path dir = fs::temp_directory_path() / "regionsim_plan_seed";
  fs::create_directories(dir);
  const fs::path other = arm_file(dir, "other-seed", "[run]\nseed = 5\n");
  const std::string message = input_error([&] {
    plan_experiment(small_spec({kBaseline, other}, 2));
  });
  EXPECT_NE(message.find("paired arms need one base seed: give --seed N"), std::string::npos)
      << message;
  ExperimentSpec fixed = small_spec({kBaseline, other}, 2);
  fixed.seed = 3;
  EXPECT_EQ(plan_experiment(fixed).runs[2].seed, 3u);
  fs::remove_all(dir);
}

TEST(PlanExperiment, ArmsForkFromTheFirstArmTheyShareAPrefixWith) {
  const fs::path dir = fs::temp_directory_path() / "regionsim_plan_fork";
  fs::create_directories(dir);
  const ExperimentSpec spec = small_spec(
      {kBaseline, arm_file(dir, "twin"), arm_file(dir, "different", "[talent]\nbeta_wage = 2.9\n")},
      2);
  // Test hook: arms whose scenarios differ only in name and description coincide for 2 months.
  const auto same_but_name = [](const Scenario& a, const Scenario& b) -> std::int64_t {
    return testing::without_name(a.resolved_toml) == testing::without_name(b.resolved_toml) ? 2 : 0;
  };
  const Experiment plan = plan_experiment(spec, same_but_name);
  ASSERT_EQ(plan.runs.size(), 6u);
  for (std::int64_t r = 0; r < 2; ++r) {
    EXPECT_EQ(plan.runs[static_cast<std::size_t>(r)].fork_parent, -1);
    EXPECT_EQ(plan.runs[static_cast<std::size_t>(2 + r)].fork_parent, r)
        << "twin forks from baseline";
    EXPECT_EQ(plan.runs[static_cast<std::size_t>(2 + r)].fork_month, 2);
    EXPECT_EQ(plan.runs[static_cast<std::size_t>(4 + r)].fork_parent, -1)
        << "different runs from month 0";
  }
  const Experiment unshared = plan_experiment(spec, same_but_name, false);
  for (const ExperimentRun& run : unshared.runs)
    EXPECT_EQ(run.fork_parent, -1);
  fs::remove_all(dir);
}

TEST(ExperimentFile, DefaultExperimentPlansTenReplicatesOrMore) {
  const ExperimentSpec spec =
      load_experiment_file(kSourceDir / "scenarios" / "experiments" / "default.toml");
  EXPECT_EQ(spec.name, "default");
  EXPECT_GE(spec.replicates, 10);
  ASSERT_FALSE(spec.scenarios.empty());
  EXPECT_EQ(spec.scenarios.front(),
            (kSourceDir / "scenarios" / "baseline.toml").lexically_normal());
  ExperimentSpec small = spec;
  small.overrides.push_back("run.scale=0.01");
  const Experiment plan = plan_experiment(small);
  EXPECT_EQ(plan.runs.size(), spec.scenarios.size() * static_cast<std::size_t>(spec.replicates));
}

TEST(ExperimentFile, ReadsEveryKeyAndBothSweepSpellings) {
  const fs::path dir = fs::temp_directory_path() / "regionsim_experiment_file";
  fs::create_directories(dir);
  const fs::path file = dir / "sweep.toml";
  std::ofstream(file) << "name = \"policy-sweep\"\ndescription = \"test\"\n"
                      << "scenarios = [\"" << kBaseline.string() << "\"]\n"
                      << "replicates = 4\nseed = 11\nsteps = 6\nset = [\"run.scale=0.01\"]\n"
                      << "[sweep]\n\"government.zones_known\" = \"0.5:0.9:0.2\"\n"
                      << "talent.beta_wage = [2, 2.5]\n";
  const ExperimentSpec spec = load_experiment_file(file);
  EXPECT_EQ(spec.name, "policy-sweep");
  EXPECT_EQ(spec.replicates, 4);
  EXPECT_EQ(spec.seed, 11u);
  EXPECT_EQ(spec.steps, 6);
  EXPECT_EQ(spec.overrides, (std::vector<std::string>{"run.scale=0.01"}));
  ASSERT_EQ(spec.sweeps.size(), 2u);
  EXPECT_EQ(spec.sweeps[0].key, "government.zones_known");
  EXPECT_EQ(texts(spec.sweeps[0]), (std::vector<std::string>{"0.5", "0.7", "0.9"}));
  EXPECT_EQ(spec.sweeps[1].key, "talent.beta_wage");
  EXPECT_EQ(texts(spec.sweeps[1]), (std::vector<std::string>{"2", "2.5"}));
  const Experiment plan = plan_experiment(spec);
  EXPECT_EQ(plan.runs.size(), 3u * 2u * 4u);
  EXPECT_EQ(plan.runs.back().scenario.talent.beta_wage, 2.5);
  fs::remove_all(dir);
}

// Every file in tests/data/bad_experiments/ with the fragments its message must contain: the
// place (file:line:column where there is one), the key and what was expected.
struct BadExperiment {
  std::string file;
  std::vector<std::string> fragments;
};

const std::vector<BadExperiment> kBadExperiments_ = {
    {"duplicate_names.toml",
     {"duplicate_names.toml: scenarios", "are both named 'baseline'; expected a distinct name"}},
    {"name_not_string.toml", {"name_not_string.toml:1:8: name = 7: expected a string"}},
    {"replicates_float.toml",
     {"replicates_float.toml:2:14: replicates = 2.5: expected a count of replicates"}},
    {"replicates_zero.toml",
     {"replicates_zero.toml:2:14: replicates = 0: expected a count of replicates, at least 1"}},
    {"scenario_not_found.toml",
     {"scenario_not_found.toml:1:",
      "scenarios[1] = \"no-such-scenario.toml\": cannot open scenario file",
      "relative to the experiment file"}},
    {"scenarios_empty.toml",
     {"scenarios_empty.toml:1:13: scenarios = []: expected a non-empty array"}},
    {"scenarios_missing.toml", {"scenarios_missing.toml: scenarios is required"}},
    {"scenarios_not_array.toml",
     {"scenarios_not_array.toml:1:13: scenarios = \"", "expected a non-empty array"}},
    {"seed_negative.toml", {"seed_negative.toml:2:8: seed = -1: expected a seed, an integer >= 0"}},
    {"set_not_key_value.toml",
     {"set_not_key_value.toml:2:8: set[0] = \"run.scale\": expected a \"key=value\" string"}},
    {"steps_zero.toml", {"steps_zero.toml:2:9: steps = 0: expected a number of months"}},
    {"sweep_bad_range.toml",
     {"sweep_bad_range.toml:4:", "talent.beta_wage=3:2:0.5: the step goes away from stop"}},
    {"sweep_not_array.toml",
     {"sweep_not_array.toml:4:",
      "sweep.talent.beta_wage = 2.5: expected an array of values or a \"start:stop:step\""}},
    {"sweep_not_table.toml",
     {"sweep_not_table.toml:2:9: sweep = [1, 2]: expected a table [sweep]"}},
    {"sweep_seed.toml",
     {"sweep_seed.toml: sweep run.seed: run.seed cannot be swept; use replicates"}},
    {"sweep_steps.toml",
     {"sweep_steps.toml: run 'baseline [run.steps=12]' has run.steps = 12, but 6 in",
      "share its time axis"}},
    {"sweep_unknown_key.toml",
     {"sweep_unknown_key.toml: run 'baseline [talent.beta_wag=2.0]'",
      "unknown key 'talent.beta_wag'", "did you mean 'talent.beta_wage'?"}},
    {"sweep_value_out_of_range.toml",
     {"run 'baseline [government.zones_known=1.5]'",
      "value 1.5 is out of range for government.zones_known [0, 1]"}},
    {"syntax_error.toml", {"syntax_error.toml:2:1: TOML syntax error"}},
    {"unknown_key.toml",
     {"unknown_key.toml:3:1: unknown key 'replicate'; did you mean 'replicates'?"}},
};

class BadExperimentFile : public ::testing::TestWithParam<BadExperiment> {};

TEST_P(BadExperimentFile, FailsWithAMessageNamingPlaceKeyAndExpectation) {
  const BadExperiment& bad = GetParam();
  const std::string message =
      input_error([&] { plan_experiment(load_experiment_file(kBadExperiments / bad.file)); });
  for (const std::string& fragment : bad.fragments)
    EXPECT_NE(message.find(fragment), std::string::npos)
        << "expected fragment: " << fragment << "\nmessage:           " << message;
}

INSTANTIATE_TEST_SUITE_P(Experiment, BadExperimentFile, ::testing::ValuesIn(kBadExperiments_),
                         [](const ::testing::TestParamInfo<BadExperiment>& param_info) {
                           return param_info.param.file.substr(0, param_info.param.file.find('.'));
                         });

TEST(ExperimentFile, EveryBadFileHasACase) {
  std::set<std::string> files, cases;
  for (const auto& entry : fs::directory_iterator(kBadExperiments))
    files.insert(entry.path().filename().string());
  for (const BadExperiment& bad : kBadExperiments_)
    cases.insert(bad.file);
  EXPECT_EQ(files, cases);
}

TEST(ExperimentFile, MissingFileIsAnInputError) {
  const std::string message = input_error([] { load_experiment_file("no/such/experiment.toml"); });
  EXPECT_NE(message.find("cannot open experiment file 'no/such/experiment.toml'"),
            std::string::npos);
}

}  // namespace
}  // namespace regionsim
