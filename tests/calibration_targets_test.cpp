// Calibration targets: the shipped file loads and names only real or declared outputs, bad files
// are refused with a message naming place, key and expectation, and every statistic computed on
// hand-made series equals the value written out here.
#include "calibration_targets.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "calibration.hpp"
#include "output_registry.hpp"
#include "regionsim/scenario_loader.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

using testing::input_error;
using testing::source_path;

const fs::path kShipped = source_path("scenarios/targets/science-city-2022.toml");
const fs::path kBadTargets = source_path("tests/data/bad_targets");

// The outputs the engine records (the calibration command's catalogue, from the output registry).
std::vector<VariableInfo> todays_outputs() {
  return output_catalogue();
}

// The outputs docs/calibration.md proposes for the targets that declare `needs`.
std::vector<VariableInfo> planned_outputs() {
  std::vector<VariableInfo> out = todays_outputs();
  return out;
}

TEST(CalibrationTargets, RegistryCatalogueHasTheDimensionsTargetsAssume) {
  const std::vector<VariableInfo> outputs = todays_outputs();
  auto dims = [&](const std::string& name) {
    for (const VariableInfo& v : outputs)
      if (v.name == name) return v.dims;
    return std::vector<std::string>{"missing"};
  };
  EXPECT_EQ(dims("gdp_attributed"), (std::vector<std::string>{"jurisdiction"}));
  EXPECT_EQ(dims("talent_employed"), (std::vector<std::string>{"zone", "skill"}));
  EXPECT_EQ(dims("firm_relocations"), (std::vector<std::string>{"zone_from", "zone_to"}));
  EXPECT_EQ(dims("zero_sum_relocations"), std::vector<std::string>{});
}

TEST(CalibrationTargets, ShippedFileLoadsAndNamesRealOutputs) {
  const TargetSet set = load_targets(kShipped);
  EXPECT_EQ(set.name, "science-city-2022");
  EXPECT_GE(set.targets.size(), 25u);
  // Targets on outputs the engine lacks say so; the rest evaluate on today's outputs.
  const std::vector<std::string> pending = check_targets(set, todays_outputs());
  std::set<std::string> with_needs;
  for (const Target& t : set.targets)
    if (!t.needs.empty()) with_needs.insert(t.id);
  EXPECT_EQ(std::set<std::string>(pending.begin(), pending.end()), with_needs);
  EXPECT_TRUE(check_targets(set, planned_outputs()).empty());
  for (const Target& t : set.targets) {
    EXPECT_GT(t.sd, 0) << t.id;
    EXPECT_FALSE(t.source.empty()) << t.id;
    EXPECT_TRUE(t.fact || !t.reasoning.empty()) << t.id;
  }
  // The statistic kinds the issue asks for are all there.
  for (const char* id : {"cdht_gdp_2022", "cdht_tax_2022", "cdht_enterprises_2020", "cdht_hte_2022",
                         "cdht_talent_2020", "relocation_rate", "unemployment_2022", "wage_2022",
                         "subsidies_to_tax", "large_firm_employment_share", "firm_size_tail_index"})
    EXPECT_NE(set.find(id), nullptr) << id;
  const Target& gdp = *set.find("cdht_gdp_2022");
  EXPECT_EQ(gdp.statistic, Statistic::level);
  EXPECT_EQ(gdp.numerator.front().reduce, TimeReduce::annual);
  EXPECT_DOUBLE_EQ(gdp.value, 271440.0);
  EXPECT_DOUBLE_EQ(gdp.sd, 27144.0);  // rel_sd 0.10
  EXPECT_EQ(gdp.numerator.front().from.year, 2022);
  EXPECT_EQ(gdp.numerator.front().to.month, 12);
}

TEST(CalibrationTargets, UnknownVariableIsRefusedWithASuggestion) {
  const TargetSet set = load_targets_text(R"(
[[target]]
id = "x"
about = "a typo"
statistic = "mean"
variable = "firm"
period = ["2021-01", "2021-12"]
units = "1"
value = 1.0
sd = 1.0
basis = "fact"
source = "s"
year = 2021
)",
                                          "typo.toml");
  const std::string message = input_error([&] { check_targets(set, todays_outputs()); });
  EXPECT_NE(message.find("typo.toml:6:12: target.x: variable 'firm' is not an output"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("did you mean 'firms'?"), std::string::npos) << message;
}

TEST(CalibrationTargets, SelectedDimensionMustExist) {
  const TargetSet set = load_targets_text(R"(
[[target]]
id = "x"
about = "wrong dimension"
statistic = "mean"
variable = "wage"
select = { sector = ["ict"] }
period = ["2021-01", "2021-12"]
units = "1"
value = 1.0
sd = 1.0
basis = "fact"
source = "s"
year = 2021
)",
                                          "dim.toml");
  const std::string message = input_error([&] { check_targets(set, todays_outputs()); });
  EXPECT_NE(message.find("target.x: variable 'wage' has no dimension 'sector' (its dimensions: "
                         "zone)"),
            std::string::npos)
      << message;
}

// --- Bad files ---------------------------------------------------------------------------------

struct BadTargets {
  std::string file;
  std::vector<std::string> fragments;
};

const std::vector<BadTargets> kBadTargets_ = {
    {"bad_basis.toml",
     {"bad_basis.toml:11:9: target.gdp.basis = \"guess\": expected \"fact\" or \"judgement\""}},
    {"bad_id.toml", {"bad_id.toml:2:6: target[0].id = \"CDHT GDP\": expected a name of [a-z0-9_]"}},
    {"bad_month.toml",
     {"bad_month.toml:7:10: target.gdp.period = [\"2022-13\", \"2022-12\"]: expected "
      "[\"YYYY-MM\", \"YYYY-MM\"]"}},
    {"bad_reduce.toml",
     {"bad_reduce.toml:5:53: target.gdp.numerator.reduce = \"avg\": expected one of mean, sum, "
      "annual, first, last"}},
    {"bad_weight.toml",
     {"bad_weight.toml:6:28: target.gdp.select.zone.nevz = -1.0: expected a weight > 0"}},
    {"both_sd.toml", {"both_sd.toml:1:1: target.gdp: expected exactly one of sd", "rel_sd"}},
    {"duplicate_id.toml",
     {"duplicate_id.toml:15:1: target.gdp: id 'gdp' is used twice (first at ",
      "duplicate_id.toml:1:1); expected a distinct id"}},
    {"duplicate_label.toml",
     {"duplicate_label.toml:6:28: target.gdp.select.zone: label 'nevz' is listed twice"}},
    {"judgement_without_reasoning.toml",
     {"judgement_without_reasoning.toml:11:9: target.gdp.basis = \"judgement\": expected "
      "reasoning"}},
    {"key_not_used.toml",
     {"key_not_used.toml:7:13: target.gdp.numerator: not used by statistic \"annual\" (expected "
      "only variable, period)"}},
    {"missing_id.toml", {"missing_id.toml:1:1: target[0]: id is required"}},
    {"missing_period.toml",
     {"missing_period.toml:1:1: target.gdp: period is required for statistic \"annual\""}},
    {"missing_source.toml", {"missing_source.toml:1:1: target.gdp: source is required"}},
    {"negative_sd.toml",
     {"negative_sd.toml:10:6: target.gdp.sd = -1.0: expected a standard deviation > 0"}},
    {"no_sd.toml", {"no_sd.toml:1:1: target.gdp: expected exactly one of sd"}},
    {"no_targets.toml", {"no_targets.toml: no targets: expected [[target]] tables"}},
    {"period_reversed.toml",
     {"period_reversed.toml:7:10: target.gdp.period = [\"2023-01\", \"2022-12\"]: expected",
      "the first month not after the second"}},
    {"product_mismatch.toml",
     {"product_mismatch.toml:12:9: target.gdp.value = 100.0: expected figure x conversion x "
      "share = 150 (within 0.5 %)"}},
    {"select_not_table.toml",
     {"select_not_table.toml:6:10: target.gdp.select = [\"cdht\"]: expected a table of "
      "dimension = [labels] or { label = weight }"}},
    {"share_without_figure.toml",
     {"share_without_figure.toml:1:1: target.gdp: conversion and share apply to a figure"}},
    {"share_without_note.toml",
     {"share_without_note.toml:10:9: target.gdp.share = 0.5: expected share_note"}},
    {"syntax_error.toml", {"syntax_error.toml:2:10: TOML syntax error"}},
    {"tail_without_min_size.toml",
     {"tail_without_min_size.toml:1:1: target.gdp: min_size is required for statistic "
      "\"tail_index\""}},
    {"term_unknown_key.toml",
     {"term_unknown_key.toml:5:60: target.gdp.numerator: unknown key 'weight' (term keys: "
      "variable, select, reduce, period)"}},
    {"term_without_reduce.toml",
     {"term_without_reduce.toml:5:13: target.gdp.numerator: expected both variable and reduce"}},
    {"unknown_key.toml",
     {"unknown_key.toml:9:1: target.gdp: unknown key 'vale'; did you mean 'value'?"}},
    {"unknown_statistic.toml",
     {"unknown_statistic.toml:4:13: target.gdp.statistic = \"anual\": expected one of mean, sum, "
      "annual, first, last, ratio, share, weighted_mean, tail_index; did you mean 'annual'?"}},
    {"variable_not_string.toml",
     {"variable_not_string.toml:5:12: target.gdp.variable = 7: expected an output variable "
      "name"}},
    {"year_float.toml",
     {"year_float.toml:13:8: target.gdp.year = 2022.0: expected the figure's year"}},
};

class BadTargetsFile : public ::testing::TestWithParam<BadTargets> {};

TEST_P(BadTargetsFile, FailsWithAMessageNamingPlaceKeyAndExpectation) {
  const BadTargets& bad = GetParam();
  const std::string message = input_error([&] { load_targets(kBadTargets / bad.file); });
  for (const std::string& fragment : bad.fragments)
    EXPECT_NE(message.find(fragment), std::string::npos)
        << "expected fragment: " << fragment << "\nmessage:           " << message;
}

INSTANTIATE_TEST_SUITE_P(CalibrationTargets, BadTargetsFile, ::testing::ValuesIn(kBadTargets_),
                         [](const ::testing::TestParamInfo<BadTargets>& param_info) {
                           return param_info.param.file.substr(0, param_info.param.file.find('.'));
                         });

TEST(CalibrationTargets, EveryBadFileHasACase) {
  std::set<std::string> files, cases;
  for (const auto& entry : fs::directory_iterator(kBadTargets))
    files.insert(entry.path().filename().string());
  for (const BadTargets& bad : kBadTargets_)
    cases.insert(bad.file);
  EXPECT_EQ(files, cases);
}

TEST(CalibrationTargets, MissingFileIsAnInputError) {
  EXPECT_NE(input_error([] {
              load_targets("no/such/targets.toml");
            }).find("cannot open targets file 'no/such/targets.toml'"),
            std::string::npos);
}

// --- Statistics on hand-made series ------------------------------------------------------------

// Series of a run starting in January 2021, by variable name.
class RecordedRun {
 public:
  void add(std::string name, std::vector<std::string> dims,
           std::vector<std::vector<std::string>> labels, std::vector<double> values) {
    series_[std::move(name)] = SeriesData{std::move(dims), std::move(labels), std::move(values)};
  }
  SeriesLookup lookup() const {
    return [this](std::string_view name) -> const SeriesData* {
      const auto it = series_.find(std::string(name));
      return it == series_.end() ? nullptr : &it->second;
    };
  }
  double evaluate(const std::string& target_toml) const {
    const TargetSet set = load_targets_text(target_toml, "hand.toml");
    return evaluate_target(set.targets.front(), lookup(), YearMonth{2021, 1});
  }

 private:
  std::map<std::string, SeriesData> series_;
};

// One target's TOML: the statistic lines plus the descriptive keys every target needs.
std::string target(const std::string& statistic_lines) {
  return "[[target]]\nid = \"t\"\nabout = \"test\"\nunits = \"1\"\nvalue = 1.0\nsd = 1.0\n"
         "basis = \"fact\"\nsource = \"s\"\nyear = 2021\n" +
         statistic_lines;
}

// gdp_attributed over 24 months, two jurisdictions: a pays 1, 2, ..., 24; b pays 100 each month.
RecordedRun gdp_run() {
  RecordedRun run;
  std::vector<double> values;
  for (int m = 1; m <= 24; ++m) {
    values.push_back(m);
    values.push_back(100);
  }
  run.add("gdp_attributed", {"jurisdiction"}, {{"a", "b"}}, values);
  return run;
}

TEST(TargetStatistics, LevelsOverAPeriod) {
  const RecordedRun run = gdp_run();
  const std::string a2022 =
      "variable = \"gdp_attributed\"\nselect = { jurisdiction = [\"a\"] }\n"
      "period = [\"2022-01\", \"2022-12\"]\n";
  // Months 13..24 of a: sum 222, mean 18.5.
  EXPECT_DOUBLE_EQ(run.evaluate(target("statistic = \"sum\"\n" + a2022)), 222.0);
  EXPECT_DOUBLE_EQ(run.evaluate(target("statistic = \"annual\"\n" + a2022)), 222.0);
  EXPECT_DOUBLE_EQ(run.evaluate(target("statistic = \"mean\"\n" + a2022)), 18.5);
  EXPECT_DOUBLE_EQ(run.evaluate(target("statistic = \"first\"\n" + a2022)), 13.0);
  EXPECT_DOUBLE_EQ(run.evaluate(target("statistic = \"last\"\n" + a2022)), 24.0);
  // Six months annualised: (1 + ... + 6) x 12 / 6 = 42.
  EXPECT_DOUBLE_EQ(run.evaluate(target("statistic = \"annual\"\nvariable = \"gdp_attributed\"\n"
                                       "select = { jurisdiction = [\"a\"] }\n"
                                       "period = [\"2021-01\", \"2021-06\"]\n")),
                   42.0);
  // No selection: both jurisdictions; a weighted selection: 0.5 of b.
  EXPECT_DOUBLE_EQ(run.evaluate(target("statistic = \"sum\"\nvariable = \"gdp_attributed\"\n"
                                       "period = [\"2022-01\", \"2022-12\"]\n")),
                   1422.0);
  EXPECT_DOUBLE_EQ(run.evaluate(target("statistic = \"sum\"\nvariable = \"gdp_attributed\"\n"
                                       "select = { jurisdiction = { a = 1.0, b = 0.5 } }\n"
                                       "period = [\"2022-01\", \"2022-12\"]\n")),
                   822.0);
}

TEST(TargetStatistics, RatioOfPeriodsIsGrowth) {
  // a: 2022 sum 222 over 2021 sum 78.
  EXPECT_DOUBLE_EQ(
      gdp_run().evaluate(target(
          "statistic = \"ratio\"\nselect = { jurisdiction = [\"a\"] }\n"
          "numerator = { variable = \"gdp_attributed\", reduce = \"sum\", period = [\"2022-01\", "
          "\"2022-12\"] }\n"
          "denominator = { variable = \"gdp_attributed\", reduce = \"sum\", period = "
          "[\"2021-01\", \"2021-12\"] }\n")),
      222.0 / 78.0);
}

// Talent by zone x skill over 12 months: seekers 5 in every cell, employed 95 in zone p and 45 in
// zone q; wages 0.02 in p and 0.01 in q.
RecordedRun talent_run() {
  RecordedRun run;
  std::vector<double> seeking, employed, wage;
  for (int m = 0; m < 12; ++m) {
    for (int cell = 0; cell < 4; ++cell) {
      seeking.push_back(5);
      employed.push_back(cell < 2 ? 95 : 45);
    }
    wage.push_back(0.02);
    wage.push_back(0.01);
  }
  const std::vector<std::vector<std::string>> zk = {{"p", "q"}, {"eng", "wrk"}};
  run.add("talent_seeking", {"zone", "skill"}, zk, seeking);
  run.add("talent_employed", {"zone", "skill"}, zk, employed);
  run.add("wage", {"zone"}, {{"p", "q"}}, wage);
  return run;
}

TEST(TargetStatistics, RatioSumsItsTerms) {
  // Unemployment: 20 seekers of 20 + 280 talent.
  EXPECT_DOUBLE_EQ(
      talent_run().evaluate(target(
          "statistic = \"ratio\"\nperiod = [\"2021-01\", \"2021-12\"]\n"
          "numerator = { variable = \"talent_seeking\", reduce = \"mean\" }\n"
          "denominator = [{ variable = \"talent_seeking\", reduce = \"mean\" }, { variable = "
          "\"talent_employed\", reduce = \"mean\" }]\n")),
      20.0 / 300.0);
  // Zone q only, through the target's select; and a sum of two variables as a level.
  EXPECT_DOUBLE_EQ(
      talent_run().evaluate(target(
          "statistic = \"ratio\"\nperiod = [\"2021-01\", \"2021-12\"]\nselect = { zone = "
          "[\"q\"] }\n"
          "numerator = { variable = \"talent_seeking\", reduce = \"mean\" }\n"
          "denominator = [{ variable = \"talent_seeking\", reduce = \"mean\" }, { variable = "
          "\"talent_employed\", reduce = \"mean\" }]\n")),
      10.0 / 100.0);
  EXPECT_DOUBLE_EQ(talent_run().evaluate(target(
                       "statistic = \"last\"\nvariable = [\"talent_employed\", "
                       "\"talent_seeking\"]\nselect = { zone = [\"p\"], skill = [\"eng\"] }\n"
                       "period = [\"2021-01\", \"2021-12\"]\n")),
                   100.0);
}

TEST(TargetStatistics, ShareOfAWiderSelection) {
  // Employed in zone p: 190 of 280.
  EXPECT_DOUBLE_EQ(
      talent_run().evaluate(target("statistic = \"share\"\nvariable = \"talent_employed\"\n"
                                   "select = { zone = [\"p\"] }\nof = {}\nreduce = \"mean\"\n"
                                   "period = [\"2021-01\", \"2021-12\"]\n")),
      190.0 / 280.0);
}

TEST(TargetStatistics, WeightedMeanUsesTheWeightsSummedOverTheirExtraDimensions) {
  // (0.02 x 190 + 0.01 x 90) / 280.
  EXPECT_DOUBLE_EQ(
      talent_run().evaluate(target("statistic = \"weighted_mean\"\nvariable = \"wage\"\nweights = "
                                   "\"talent_employed\"\nperiod = [\"2021-01\", \"2021-12\"]\n")),
      (0.02 * 190 + 0.01 * 90) / 280.0);
  // A selection on the weights' own dimension (skill) selects weights, not wages: same here.
  EXPECT_DOUBLE_EQ(
      talent_run().evaluate(target("statistic = \"weighted_mean\"\nvariable = \"wage\"\nweights = "
                                   "\"talent_employed\"\nselect = { skill = [\"eng\"] }\n"
                                   "period = [\"2021-01\", \"2021-12\"]\n")),
      (0.02 * 95 + 0.01 * 45) / 140.0);
  EXPECT_DOUBLE_EQ(
      talent_run().evaluate(target("statistic = \"weighted_mean\"\nvariable = \"wage\"\nweights = "
                                   "\"talent_employed\"\nselect = { zone = [\"q\"] }\n"
                                   "period = [\"2021-01\", \"2021-12\"]\n")),
      0.01);
}

// Firm counts by size class (lower bounds 1, 10, 100, 1000) for two zones and two months.
RecordedRun size_run(const std::vector<double>& counts_per_zone) {
  RecordedRun run;
  std::vector<double> values;
  for (int m = 0; m < 2; ++m)
    for (int z = 0; z < 2; ++z)
      values.insert(values.end(), counts_per_zone.begin(), counts_per_zone.end());
  run.add("firms_by_size", {"zone", "size_class"}, {{"p", "q"}, {"1", "10", "100", "1000"}},
          values);
  return run;
}

TEST(TargetStatistics, TailIndexOfAParetoHistogram) {
  const std::string lines =
      "statistic = \"tail_index\"\nvariable = \"firms_by_size\"\ndim = \"size_class\"\n"
      "min_size = 1.0\nperiod = [\"2021-01\", \"2021-02\"]\n";
  // P(size >= b) = 1/b exactly: 9000, 900, 90, 10 firms in the four classes.
  EXPECT_NEAR(size_run({9000, 900, 90, 10}).evaluate(target(lines)), 1.0, 1e-12);
  // P(size >= b) = b^-1.5: 1, 10^-1.5, 10^-3, 10^-4.5 of 10^6 firms.
  const double s = 1e6;
  EXPECT_NEAR(size_run({s * (1 - std::pow(10, -1.5)), s * (std::pow(10, -1.5) - 1e-3),
                        s * (1e-3 - std::pow(10, -4.5)), s * std::pow(10, -4.5)})
                  .evaluate(target(lines)),
              1.5, 1e-9);
  // Fit only above 10: the classes 10, 100, 1000 of the first histogram, still index 1.
  const std::string above10 =
      "statistic = \"tail_index\"\nvariable = \"firms_by_size\"\ndim = \"size_class\"\n"
      "min_size = 10.0\nperiod = [\"2021-01\", \"2021-02\"]\n";
  EXPECT_NEAR(size_run({9000, 900, 90, 10}).evaluate(target(above10)), 1.0, 1e-12);
  // One class left: no slope.
  EXPECT_TRUE(std::isnan(size_run({9000, 900, 90, 10})
                             .evaluate(target("statistic = \"tail_index\"\nvariable = "
                                              "\"firms_by_size\"\ndim = \"size_class\"\n"
                                              "min_size = 1000.0\nperiod = [\"2021-01\", "
                                              "\"2021-02\"]\n"))));
}

TEST(TargetStatistics, ZeroDenominatorIsNaN) {
  RecordedRun run;
  run.add("firms", {}, {}, {0, 0});
  run.add("firm_relocations", {}, {}, {1, 1});
  EXPECT_TRUE(std::isnan(
      run.evaluate(target("statistic = \"ratio\"\nperiod = [\"2021-01\", \"2021-02\"]\n"
                          "numerator = { variable = \"firm_relocations\", reduce = \"annual\" }\n"
                          "denominator = { variable = \"firms\", reduce = \"mean\" }\n"))));
}

TEST(TargetStatistics, WhatTheRunLacksIsAnInputError) {
  const RecordedRun run = gdp_run();
  EXPECT_NE(
      input_error([&] {
        run.evaluate(
            target("statistic = \"mean\"\nvariable = \"hte_firms\"\n"
                   "period = [\"2021-01\", \"2021-12\"]\nneeds = \"hte status\"\n"));
      }).find("target.t: the run has no variable 'hte_firms' (this target needs: hte status)"),
      std::string::npos);
  EXPECT_NE(input_error([&] {
              run.evaluate(
                  target("statistic = \"mean\"\nvariable = \"gdp_attributed\"\n"
                         "select = { jurisdiction = [\"c\"] }\n"
                         "period = [\"2021-01\", \"2021-12\"]\n"));
            }).find("no jurisdiction 'c' in the run (jurisdiction labels: a, b)"),
            std::string::npos);
  EXPECT_NE(input_error([&] {
              run.evaluate(
                  target("statistic = \"mean\"\nvariable = \"gdp_attributed\"\n"
                         "period = [\"2022-06\", \"2023-01\"]\n"));
            })
                .find("period 2022-06..2023-01 is records 17..24, but the run recorded 24 months "
                      "from 2021-01"),
            std::string::npos);
}

}  // namespace
}  // namespace regionsim
