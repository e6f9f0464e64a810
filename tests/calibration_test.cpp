// `regionsim calibrate`: bad calibration files are refused with file:line:column, key and
// expectation; parameters the model itself produced targets at are fitted back from another start;
// the search is the same for any thread count; the outputs are what they claim to be.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "calibration.hpp"
#include "regionsim/scenario_loader.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

using testing::input_error;
using testing::source_path;

const fs::path kBadCalibration = source_path("tests/data/bad_calibration");

// --- Bad files ---------------------------------------------------------------------------------

struct BadCalibration {
  std::string file;
  std::string fragment;
};

const std::vector<BadCalibration> kBad = {
    {"bad_algorithm.toml",
     "bad_algorithm.toml:10:13: optimiser.algorithm = \"nelder-mead\": expected one of "
     "neldermead, subplex, bobyqa; did you mean 'neldermead'?"},
    {"boolean_parameter.toml",
     "boolean_parameter.toml:4:1: parameter key = \"joint_promotion.subsidise_relocations\": "
     "expected a numeric scenario key"},
    {"bound_outside_registry.toml",
     "bound_outside_registry.toml:4:1: parameter key = \"labour.match_efficiency\": bound "
     "1000000000 is not valid: --set labour.match_efficiency=1000000000: value 1000000000 is out "
     "of range for labour.match_efficiency [0, 10]"},
    {"bounds_reversed.toml",
     "bounds_reversed.toml:7:9: parameter[0].upper = 0.001: expected a number above lower = 0.01"},
    {"duplicate_parameter.toml",
     "duplicate_parameter.toml:10:7: parameter[1].key = \"firms.project_rate\": expected each key "
     "once"},
    {"log_nonpositive.toml",
     "log_nonpositive.toml:8:7: parameter[0].log = true: expected lower > 0"},
    {"missing_scenario.toml", "missing_scenario.toml: scenario is required: expected the base"},
    {"no_parameters.toml", "no_parameters.toml: parameter is required: expected [[parameter]]"},
    {"pending_target.toml",
     "pending_target.toml:3:8: use = \"top_output_share\": expected a target the engine can "
     "evaluate; it needs output output_by_size"},
    {"scenario_not_found.toml",
     "scenario_not_found.toml:1:12: scenario = \"../../../scenarios/nope.toml\": cannot open "
     "scenario file"},
    {"start_outside.toml",
     "start_outside.toml:8:9: parameter[0].start = 0.2: expected a number within [0.001, 0.05]"},
    {"syntax_error.toml", "syntax_error.toml:3:8: TOML syntax error"},
    {"target_beyond_run.toml",
     "target_beyond_run.toml:4:8: use = \"relocation_rate\": its months reach record 35 (from "
     "2021-01): expected runs of at least 36 months"},
    {"unknown_key.toml",
     "unknown_key.toml:3:1: unknown key 'replicate'; did you mean 'replicates'?"},
    {"unknown_optimiser_key.toml",
     "unknown_optimiser_key.toml:10:1: unknown key 'optimiser.max_evaluation'; did you mean "
     "'max_evaluations'?"},
    {"unknown_parameter_key.toml",
     "unknown_parameter_key.toml:4:1: parameter key = \"firms.project_rte\": bound 0.001 is not "
     "valid: --set firms.project_rte=0.001: unknown key 'firms.project_rte'; did you mean "
     "'firms.project_rate'?"},
    {"unknown_target.toml",
     "unknown_target.toml:3:27: use = \"cdht_entry_rte\": expected a target id of"},
    {"weight_unknown_target.toml",
     "weight_unknown_target.toml:5:18: weights.relocation_rat: expected the id of a fitted target"},
    {"zero_replicates.toml",
     "zero_replicates.toml:3:14: replicates = 0: expected a count of replicates, at least 1"},
};

class BadCalibrationFile : public ::testing::TestWithParam<BadCalibration> {};

TEST_P(BadCalibrationFile, IsRefusedNamingPlaceKeyAndExpectation) {
  const BadCalibration& bad = GetParam();
  const std::string message =
      input_error([&] { (void)plan_calibration(load_calibration(kBadCalibration / bad.file)); });
  EXPECT_NE(message.find(bad.fragment), std::string::npos)
      << "expected fragment: " << bad.fragment << "\nmessage:           " << message;
}

INSTANTIATE_TEST_SUITE_P(Calibration, BadCalibrationFile, ::testing::ValuesIn(kBad),
                         [](const ::testing::TestParamInfo<BadCalibration>& param_info) {
                           const std::string& file = param_info.param.file;
                           return file.substr(0, file.find('.'));
                         });

TEST(Calibration, EveryBadFileHasACase) {
  std::set<std::string> files, cases;
  for (const auto& entry : fs::directory_iterator(kBadCalibration))
    files.insert(entry.path().filename().string());
  for (const BadCalibration& bad : kBad)
    cases.insert(bad.file);
  EXPECT_EQ(files, cases);
}

TEST(Calibration, ShippedSpecPlans) {
  const CalibrationPlan plan =
      plan_calibration(load_calibration(source_path("scenarios/calibration/baseline-2022.toml")));
  EXPECT_GE(plan.fit.size(), 5u);
  EXPECT_GE(plan.spec.parameters.size(), 3u);
}

// --- Fitting -----------------------------------------------------------------------------------

// A scratch directory per test, removed afterwards.
class Scratch {
 public:
  Scratch() {
    dir_ = fs::temp_directory_path() /
           ("regionsim-calibration-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

// Two scale-free targets over the first year: the entry rate (moved by firms.project_rate) and
// the unemployment rate (moved by labour.match_efficiency).
std::string recovery_targets(double entry_rate, double unemployment) {
  std::ostringstream out;
  out.precision(17);
  out << "name = \"recovery\"\n"
         "description = \"made by the model itself at known parameter values\"\n"
         "[[target]]\nid = \"entry_rate\"\nabout = \"entries and spin-offs a year over firms\"\n"
         "statistic = \"ratio\"\nperiod = [\"2021-01\", \"2021-12\"]\n"
         "numerator = [{ variable = \"firm_entries\", reduce = \"annual\" }, "
         "{ variable = \"spinoffs\", reduce = \"annual\" }]\n"
         "denominator = { variable = \"firms\", reduce = \"mean\" }\nunits = \"year-1\"\n"
      << "value = " << entry_rate << "\nsd = " << 0.1 * entry_rate
      << "\nbasis = \"fact\"\nsource = \"regionsim at known values\"\nyear = 2021\n"
         "[[target]]\nid = \"unemployment\"\nabout = \"seekers over talent\"\n"
         "statistic = \"ratio\"\nperiod = [\"2021-07\", \"2021-12\"]\n"
         "numerator = { variable = \"talent_seeking\", reduce = \"mean\" }\n"
         "denominator = [{ variable = \"talent_seeking\", reduce = \"mean\" }, "
         "{ variable = \"talent_employed\", reduce = \"mean\" }]\nunits = \"1\"\n"
      << "value = " << unemployment << "\nsd = " << 0.05 * unemployment
      << "\nbasis = \"fact\"\nsource = \"regionsim at known values\"\nyear = 2021\n";
  return out.str();
}

std::string recovery_calibration(const std::string& extra) {
  return "name = \"recovery\"\n"
         "scenario = \"" +
         source_path("scenarios/baseline.toml") +
         "\"\n"
         "targets = \"targets.toml\"\n"
         "set = [\"run.scale=0.05\", \"run.steps=12\"]\n"
         "replicates = 2\nseed = 3\n"
         "[[parameter]]\nkey = \"firms.project_rate\"\nlower = 0.002\nupper = 0.03\n"
         "start = 0.005\nlog = true\n"
         "[[parameter]]\nkey = \"labour.match_efficiency\"\nlower = 0.2\nupper = 2.0\n"
         "start = 0.3\n" +
         extra;
}

// The known parameters' statistics: the targets of the recovery test.
CalibrationPlan recovery_plan(const Scratch& scratch, const std::string& extra,
                              std::vector<double> truth) {
  scratch.write("targets.toml", recovery_targets(1, 1));
  const fs::path file = scratch.write("calibration.toml", recovery_calibration(extra));
  const CalibrationPlan draft = plan_calibration(load_calibration(file));
  const Evaluation made = evaluate_candidate(draft, truth, 0);
  scratch.write("targets.toml", recovery_targets(made.mean[0], made.mean[1]));
  return plan_calibration(load_calibration(file));
}

// The targets on the size distribution select size classes by label: the runs' series must
// carry the size_class labels (they had none, and the two targets were refused as malformed).
TEST(Calibration, SizeDistributionTargetsEvaluateInMemory) {
  const Scratch scratch;
  const fs::path file = scratch.write(
      "calibration.toml",
      "name = \"sizes\"\nscenario = \"" + source_path("scenarios/baseline.toml") +
          "\"\ntargets = \"" + source_path("scenarios/targets/science-city-2022.toml") +
          "\"\nuse = [\"large_firm_employment_share\", \"firm_size_tail_index\"]\n"
          "set = [\"run.scale=0.05\", \"run.steps=24\"]\nreplicates = 1\nseed = 1\n"
          "[[parameter]]\nkey = \"firms.exit_hazard\"\nlower = 0.001\nupper = 0.03\n");
  const CalibrationPlan plan = plan_calibration(load_calibration(file));
  ASSERT_EQ(plan.fit.size(), 2u);
  const std::vector<double> exit_hazard = {0.009};
  const Evaluation e = evaluate_candidate(plan, exit_hazard, 0);
  EXPECT_GT(e.mean[0], 0.0);  // employment share of large firms
  EXPECT_LT(e.mean[0], 1.0);
  EXPECT_GT(e.mean[1], 0.5);  // tail index near the stated 1.1
  EXPECT_LT(e.mean[1], 2.0);
}

TEST(Calibration, RecoversKnownParametersFromAnotherStart) {
  const Scratch scratch;
  const std::vector<double> truth = {0.012, 0.6};
  const CalibrationPlan plan = recovery_plan(
      scratch, "[optimiser]\nalgorithm = \"neldermead\"\nrestarts = 1\nmax_evaluations = 80\n",
      truth);
  ASSERT_EQ(plan.fit.size(), 2u);
  const FitResult result = fit(plan, 0);
  const Evaluation& best = result.evaluations[result.best];
  // Stated tolerances: 10 % on each parameter; the loss at the
  // truth is 0 by construction (common random numbers), so the search must end near a point at
  // least as good. Entry counts move in steps of one firm, so the entry rate's sd is 10 %, the
  // unemployment rate's 5 %.
  EXPECT_NEAR(best.parameters[0], truth[0], 0.1 * truth[0]);
  EXPECT_NEAR(best.parameters[1], truth[1], 0.1 * truth[1]);
  EXPECT_LT(best.loss, 0.1);
  EXPECT_GT(result.evaluations.front().loss, 10 * best.loss);
}

TEST(Calibration, SameSearchForAnyThreadCount) {
  const Scratch scratch;
  const CalibrationPlan plan =
      recovery_plan(scratch,
                    "[optimiser]\nalgorithm = \"neldermead\"\nstarts = 2\nmax_evaluations = 12\n"
                    "x_tolerance = 0.3\ninitial_step = 0.3\n",
                    {0.01, 0.8});
  const FitResult one = fit(plan, 1);
  const FitResult two = fit(plan, 2);
  ASSERT_EQ(one.evaluations.size(), two.evaluations.size());
  EXPECT_EQ(one.best, two.best);
  for (std::size_t i = 0; i < one.evaluations.size(); ++i) {
    EXPECT_EQ(one.evaluations[i].parameters, two.evaluations[i].parameters) << "evaluation " << i;
    EXPECT_EQ(one.evaluations[i].loss, two.evaluations[i].loss) << "evaluation " << i;
    EXPECT_EQ(one.evaluations[i].moments, two.evaluations[i].moments) << "evaluation " << i;
  }
  EXPECT_EQ(one.evaluations.back().start, 1);  // the second start ran
}

// Where the runs are simulated is a hook (the MPI build shares them over ranks): a simulator that
// delivers the replicates in reverse order, as another rank finishing first would, gives the same
// evaluation bit for bit (moments folded in replicate order), and a search whose evaluator uses it
// is the same search.
TEST(Calibration, SameEvaluationWhateverOrderTheRunsArrive) {
  const Scratch scratch;
  const CalibrationPlan plan = recovery_plan(
      scratch, "[optimiser]\nalgorithm = \"neldermead\"\nmax_evaluations = 5\n", {0.01, 0.8});
  int reversed_calls = 0;
  const ExperimentSimulator reversed = [&](const Experiment& experiment, const RunOptions& options,
                                           const RunSink& sink) {
    ++reversed_calls;
    std::vector<std::vector<StepOutputs>> runs(experiment.runs.size());
    ExperimentResult result = simulate_experiment(
        experiment, options, [&](std::size_t run, std::span<const StepOutputs> months) {
          runs[run].assign(months.begin(), months.end());
        });
    for (std::size_t r = runs.size(); r-- > 0;)
      sink(r, runs[r]);
    return result;
  };
  const std::vector<double> candidate = {0.02, 1.1};
  const Evaluation here = evaluate_candidate(plan, candidate, 2);
  const Evaluation there = evaluate_candidate(plan, candidate, 1, reversed);
  EXPECT_EQ(reversed_calls, 1);
  EXPECT_EQ(here.moments, there.moments);
  EXPECT_EQ(here.loss, there.loss);
  EXPECT_EQ(candidate_experiment(plan, candidate).runs.size(), 2u);  // replicates = 2

  const FitResult one = fit(plan, 2);
  const FitResult other = fit(plan, 1, {}, [&](std::span<const double> parameters) {
    return evaluate_candidate(plan, parameters, 1, reversed);
  });
  ASSERT_EQ(one.evaluations.size(), 5u);
  ASSERT_EQ(one.evaluations.size(), other.evaluations.size());
  EXPECT_EQ(one.best, other.best);
  for (std::size_t i = 0; i < one.evaluations.size(); ++i) {
    EXPECT_EQ(one.evaluations[i].parameters, other.evaluations[i].parameters) << "evaluation " << i;
    EXPECT_EQ(one.evaluations[i].loss, other.evaluations[i].loss) << "evaluation " << i;
  }
  EXPECT_EQ(reversed_calls, 6);  // every evaluation of the search went through the hook
}

TEST(Calibration, FittedScenarioExtendsTheBaseAndCommandRefusesToOverwrite) {
  const Scratch scratch;
  const CalibrationPlan plan = recovery_plan(
      scratch, "[optimiser]\nalgorithm = \"bobyqa\"\nmax_evaluations = 4\n", {0.01, 0.8});
  const FitResult result = fit(plan, 0);
  ASSERT_EQ(result.evaluations.size(), 4u);
  const fs::path out = scratch.dir() / "fitted" / "recovery.toml";
  fs::create_directories(out.parent_path());
  const std::string text = fitted_scenario_toml(plan, result, out, "regionsim calibrate x");
  EXPECT_NE(text.find("#   regionsim calibrate x\n"), std::string::npos);
  std::ofstream(out) << text;
  const Scenario fitted = load_scenario(out);
  const Evaluation& best = result.evaluations[result.best];
  EXPECT_EQ(fitted.firms.project_rate, best.parameters[0]);
  EXPECT_EQ(fitted.labour.match_efficiency, best.parameters[1]);
  EXPECT_EQ(fitted.extends_chain.size(), 2u);
  const std::string table = fit_table(plan, best);
  EXPECT_NE(table.find("entry_rate"), std::string::npos);
  EXPECT_NE(table.find("unemployment"), std::string::npos);

  // The command writes three files and refuses to replace them without --overwrite.
  const std::string command = std::string(REGIONSIM_BINARY) + " calibrate " +
                              (scratch.dir() / "calibration.toml").string() + " -o " +
                              (scratch.dir() / "cal").string() + " --max-evaluations 2";
  ASSERT_EQ(std::system((command + " >/dev/null 2>&1").c_str()), 0);
  for (const char* suffix : {".toml", ".h5", "-fit.txt"})
    EXPECT_TRUE(fs::exists(scratch.dir() / ("cal" + std::string(suffix)))) << suffix;
  const int refused = std::system((command + " >/dev/null 2>&1").c_str());
  EXPECT_EQ(WEXITSTATUS(refused), 2);
  EXPECT_EQ(std::system((command + " --overwrite >/dev/null 2>&1").c_str()), 0);
}

}  // namespace
}  // namespace regionsim
