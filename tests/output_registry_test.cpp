// The output registry is the file: every variable a written file holds is in it, with the type
// and cell methods it declares, and docs/output.md's variable tables are its Markdown.
#include "output_registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "h5_read.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"
#include "regionsim/scenario_loader.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

// The markers around the generated tables in docs/output.md (scripts/update-output-docs.sh).
constexpr std::string_view kBegin =
    "<!-- begin generated variable tables (regionsim outputs, Markdown); do not edit by hand "
    "-->\n\n";
constexpr std::string_view kEnd = "\n<!-- end generated variable tables -->";

// A small experiment with one swept key, so the file has a swept-key coordinate too.
std::string write_small_experiment(const fs::path& dir) {
  ExperimentSpec spec;
  spec.scenarios = {fs::path(REGIONSIM_SOURCE_DIR) / "scenarios" / "baseline.toml"};
  spec.overrides = {"run.scale=0.01"};
  spec.steps = 2;
  spec.sweeps = {parse_sweep("talent.beta_wage=2,3")};
  RunOptions options;
  options.output = (dir / "outputs.h5").string();
  run_experiment(plan_experiment(spec), options);
  return options.output;
}

TEST(OutputRegistry, NamesAreUnique) {
  std::set<std::string_view> names;
  for (const OutputSpec& spec : output_registry())
    EXPECT_TRUE(names.insert(spec.name).second) << spec.name;
  for (const FileVariableSpec& spec : file_variables())
    EXPECT_TRUE(names.insert(spec.name).second) << spec.name;
}

TEST(OutputRegistry, EverySeriesHasAReader) {
  for (const OutputSpec& spec : output_registry()) {
    const bool reals = spec.source.value == OutputValue::real;
    EXPECT_EQ(spec.source.reals != nullptr, reals) << spec.name;
    EXPECT_EQ(spec.source.integers != nullptr, !reals) << spec.name;
  }
}

TEST(OutputRegistry, AWrittenFileHoldsExactlyTheRegistrysVariables) {
  const fs::path dir = testing::temp_dir("outputs");
  const std::string path = write_small_experiment(dir);
  std::set<std::string> expected;
  for (const OutputSpec& spec : output_registry())
    expected.emplace(spec.name);
  for (const FileVariableSpec& spec : file_variables()) {
    if (spec.id == FileVar::text_length) continue;  // named after each character variable
    expected.insert(spec.id == FileVar::swept_key ? "talent__beta_wage" : std::string(spec.name));
    // Text is a classic character array with its own string-length dimension.
    if (spec.type == NcType::character) expected.insert(std::string(spec.name) + "_strlen");
  }
  const std::vector<std::string> names = testing::dataset_names(path);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);

  for (const OutputSpec& spec : output_registry()) {
    const std::string name(spec.name);
    EXPECT_EQ(testing::read_text_attribute(path, name, "cell_methods"), cell_methods(spec.timing))
        << name;
    EXPECT_EQ(testing::read_text_attribute(path, name, "units"), spec.units) << name;
    EXPECT_EQ(testing::read_text_attribute(path, name, "units_label"), spec.units_label) << name;
    const auto [type_class, size] = testing::dataset_type(path, name);
    EXPECT_EQ(type_class, spec.source.value == OutputValue::count ? H5T_INTEGER : H5T_FLOAT)
        << name;
    EXPECT_EQ(size, 8u) << name;
  }
  for (const FileVariableSpec& spec : file_variables()) {
    if (spec.id == FileVar::swept_key || spec.role == FileVarRole::bare_dimension) continue;
    EXPECT_EQ(testing::read_text_attribute(path, std::string(spec.name), "long_name"),
              spec.long_name)
        << spec.name;
  }
  EXPECT_EQ(testing::read_text_attribute(path, "time", "units"), time_units("2021-01-01"));
  fs::remove_all(dir);
}

TEST(OutputRegistry, ListingsNameEveryVariable) {
  const std::string text = outputs_table_text();
  const std::string markdown = outputs_markdown();
  const auto check = [&](std::string_view name) {
    EXPECT_NE(text.find(std::string(name)), std::string::npos) << name;
    EXPECT_NE(markdown.find("| `" + std::string(name) + "` |"), std::string::npos) << name;
  };
  for (const OutputSpec& spec : output_registry())
    check(spec.name);
  for (const FileVariableSpec& spec : file_variables())
    check(spec.name);
}

TEST(OutputRegistry, DocsOutputMdTablesAreCurrent) {
  const fs::path file = fs::path(REGIONSIM_SOURCE_DIR) / "docs" / "output.md";
  std::ifstream in(file);
  std::ostringstream content;
  content << in.rdbuf();
  const std::string doc = content.str();
  const std::size_t begin = doc.find(kBegin);
  const std::size_t end = doc.find(kEnd);
  ASSERT_NE(begin, std::string::npos) << file << " lacks the marker " << kBegin;
  ASSERT_NE(end, std::string::npos) << file << " lacks the marker " << kEnd;
  const std::size_t from = begin + kBegin.size();
  ASSERT_LE(from, end);
  EXPECT_TRUE(doc.substr(from, end - from) == outputs_markdown())
      << file << "'s variable tables differ from the output registry; regenerate them with\n"
      << "  bash scripts/update-output-docs.sh build/release/regionsim";
}

}  // namespace
}  // namespace regionsim
