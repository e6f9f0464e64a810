// The text helpers behind the loader's messages and the resolved TOML: typo suggestions and
// shortest exact number printing.
#include <gtest/gtest.h>

#include <string>

#include <toml++/toml.h>

#include "text.hpp"
#include "toml_merge.hpp"

namespace regionsim {
namespace {

TEST(EditDistance, CountsSlipsAsOneEdit) {
  EXPECT_EQ(edit_distance("beta_wage", "beta_wage"), 0u);
  EXPECT_EQ(edit_distance("beta_wag", "beta_wage"), 1u);   // deletion
  EXPECT_EQ(edit_distance("beta_wgae", "beta_wage"), 1u);  // transposition
  EXPECT_EQ(edit_distance("bata_wage", "beta_wage"), 1u);  // substitution
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(EditDistance, SuggestsOnlyPlausibleTypos) {
  const std::vector<std::string_view> zones = {"core", "nevz", "lsiz"};
  EXPECT_EQ(closest_match("cor", zones), "core");
  EXPECT_EQ(closest_match("nevx", zones), "nevz");
  EXPECT_EQ(closest_match("tianfu", zones), std::nullopt);
}

TEST(TomlMerge, PrintsNumbersShortestAndExact) {
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(52000), "52000");
  EXPECT_EQ(format_number(0.0009), "0.0009");
  EXPECT_EQ(format_number(-1), "-1");
  EXPECT_EQ(format_toml_value(toml::value<double>(52000.0)), "52000.0");
  EXPECT_EQ(format_toml_value(toml::value<std::string>("a \"b\"")), "\"a \\\"b\\\"\"");
  for (double x : {0.1, 1.0 / 3, 1e-9, 123456.789, 6.02e23}) {
    EXPECT_EQ(std::stod(format_number(x)), x);
  }
}

}  // namespace
}  // namespace regionsim
