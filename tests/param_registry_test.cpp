// The parameter registry: consistent with itself, fully documented, and docs/parameters.md current.
#include "param_registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "regionsim/limits.hpp"
#include "regionsim/scenario_loader.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

bool is_group_of_entities(std::string_view group) {
  return entity_of_group(group) != Entity::none;
}

TEST(ParamRegistry, KeysAreUnique) {
  std::set<std::string> keys;
  for (const ParamSpec& spec : param_registry()) {
    EXPECT_TRUE(keys.insert(spec.key()).second) << "duplicate key " << spec.key();
  }
}

TEST(ParamRegistry, EveryParameterIsDescribed) {
  for (const ParamSpec& spec : param_registry()) {
    SCOPED_TRACE(spec.key());
    EXPECT_FALSE(spec.unit.empty());
    EXPECT_FALSE(spec.about.empty());
    EXPECT_FALSE(spec.basis.empty());
    EXPECT_LE(spec.min, spec.max);
  }
}

TEST(ParamRegistry, DefaultsLieInTheirOwnRanges) {
  for (const ParamSpec& spec : param_registry()) {
    SCOPED_TRACE(spec.key());
    switch (spec.def.source) {
      case ParamDefault::Source::number:
        EXPECT_GE(spec.def.number, spec.min);
        EXPECT_LE(spec.def.number, spec.max);
        if (spec.kind() == ParamKind::integer) {
          EXPECT_EQ(spec.def.number, std::trunc(spec.def.number));
        }
        EXPECT_TRUE(spec.kind() == ParamKind::real || spec.kind() == ParamKind::integer);
        break;
      case ParamDefault::Source::boolean:
        EXPECT_EQ(spec.kind(), ParamKind::boolean);
        break;
      case ParamDefault::Source::text:
        EXPECT_TRUE(spec.kind() == ParamKind::text || spec.kind() == ParamKind::date ||
                    spec.kind() == ParamKind::choice);
        if (spec.kind() == ParamKind::choice) {
          const auto words = spec.choices();
          EXPECT_NE(std::find(words.begin(), words.end(), spec.def.text), words.end());
        }
        break;
      case ParamDefault::Source::first_listed:
        EXPECT_EQ(spec.kind(), ParamKind::entity);
        break;
      case ParamDefault::Source::empty_table:
        EXPECT_EQ(spec.kind(), ParamKind::weights);
        EXPECT_NE(spec.rule, SumRule::normalise) << "an empty table has no positive weight";
        break;
      default:
        break;
    }
  }
}

TEST(ParamRegistry, DefaultStartDateIsValid) {
  // Checked by loading: the loader is the one judge of dates.
  const Scenario s = load_scenario(fs::path(REGIONSIM_SOURCE_DIR) / "tests/data/good/minimal.toml");
  EXPECT_EQ(s.run.start_date, find_param("run", "start_date")->def.text);
}

TEST(ParamRegistry, SectionAndEntityFieldsAreBound) {
  for (const ParamSpec& spec : param_registry()) {
    const bool structural = spec.kind() == ParamKind::name_list || spec.group == "travel_minutes" ||
                            spec.field == "description" || spec.field == "extends";
    EXPECT_EQ(spec.bind.store == nullptr, structural) << spec.key();
  }
}

TEST(ParamRegistry, WeightsAndListsNameTheirEntities) {
  for (const ParamSpec& spec : param_registry()) {
    const bool keyed = spec.kind() == ParamKind::weights || spec.kind() == ParamKind::name_list ||
                       spec.kind() == ParamKind::entity || spec.group == "travel_minutes";
    EXPECT_EQ(spec.keys != Entity::none, keyed) << spec.key();
  }
}

TEST(ParamRegistry, OnlyChoicesHaveWords) {
  for (const ParamSpec& spec : param_registry()) {
    EXPECT_EQ(spec.choices().empty(), spec.kind() != ParamKind::choice) << spec.key();
  }
}

// Each word of a choice loads as the enum value at its position, and the enum value prints back as
// the word: the registry's words and the enums cannot drift apart.
TEST(ParamRegistry, ChoiceWordsMapToEnumValues) {
  const fs::path baseline = fs::path(REGIONSIM_SOURCE_DIR) / "scenarios" / "baseline.toml";
  for (std::size_t i = 0; i < std::size(kPoolFormulaWords); ++i) {
    const std::string word(kPoolFormulaWords[i]);
    // "fixed" needs weights (fixed with all weights zero is refused, see the next test).
    const Scenario s = load_scenario(baseline, {"statistics_sharing.formula=" + word,
                                                "statistics_sharing.weights={ tianfu = 1 }"});
    EXPECT_EQ(static_cast<std::size_t>(s.statistics_sharing.formula), i) << word;
    EXPECT_EQ(choice_word(s.statistics_sharing.formula), word);
  }
  for (std::size_t i = 0; i < std::size(kPoolBasisWords); ++i) {
    const std::string word(kPoolBasisWords[i]);
    const Scenario s = load_scenario(baseline, {"tax_sharing.pool_basis=" + word});
    EXPECT_EQ(static_cast<std::size_t>(s.tax_sharing.pool_basis), i) << word;
    EXPECT_EQ(choice_word(s.tax_sharing.pool_basis), word);
  }
  EXPECT_EQ(choice_word(PoolFormula::fixed), "fixed");
  EXPECT_EQ(find_param("tax_sharing", "formula")->kind(), ParamKind::choice);
  EXPECT_EQ(find_param("joint_promotion", "subsidise_relocations")->kind(), ParamKind::boolean);
}

TEST(ParamRegistry, FixedFormulaWithoutWeightsIsRefused) {
  const fs::path baseline = fs::path(REGIONSIM_SOURCE_DIR) / "scenarios" / "baseline.toml";
  try {
    static_cast<void>(load_scenario(baseline, {"tax_sharing.formula=fixed"}));
    FAIL() << "fixed with zero weights was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(
        std::string(e.what()).find("tax_sharing.formula = \"fixed\" with weights summing to 0"),
        std::string::npos)
        << e.what();
  }
}

TEST(ParamRegistry, RegionListsStopAtTheEngineLimits) {
  EXPECT_EQ(find_param("region", "zones")->max, static_cast<double>(kMaxZones));
  EXPECT_EQ(find_param("region", "sectors")->max, static_cast<double>(kMaxSectors));
  EXPECT_EQ(find_param("region", "skills")->max, static_cast<double>(kMaxSkills));
  EXPECT_EQ(find_param("region", "jurisdictions")->max, static_cast<double>(kMaxJurisdictions));
}

TEST(ParamRegistry, LooksUpByGroupAndField) {
  ASSERT_NE(find_param("talent", "beta_wage"), nullptr);
  EXPECT_EQ(find_param("talent", "beta_wage")->key(), "talent.beta_wage");
  EXPECT_EQ(find_param("zone", "amenity")->key(), "zone.<name>.amenity");
  EXPECT_EQ(find_param("travel_minutes", "")->key(), "travel_minutes.<from>.<to>");
  EXPECT_EQ(find_param("talent", "beta_wag"), nullptr);
  EXPECT_TRUE(is_group_of_entities("jurisdiction"));
  EXPECT_EQ(param_groups().front(), "");
  EXPECT_EQ(top_level_keys().front(), "name");
}

TEST(ParamRegistry, TheBriefsDefaults) {
  auto number = [](std::string_view group, std::string_view field) {
    return find_param(group, field)->def.number;
  };
  EXPECT_EQ(number("run", "steps"), 120);
  EXPECT_EQ(number("talent", "beta_wage"), 4.0);
  EXPECT_EQ(number("firms", "alpha"), 0.7);
  EXPECT_EQ(number("labour", "match_efficiency"), 0.6);
  EXPECT_EQ(number("government", "decision_period"), 6);
  EXPECT_EQ(number("zone", "amenity"), 5);
  EXPECT_EQ(number("jurisdiction", "initial_offer"), 0.5);
  EXPECT_EQ(find_param("zone", "floor_capacity")->def.source, ParamDefault::Source::required);
}

TEST(ParamRegistry, TablesListEveryKey) {
  const std::string text = params_table_text();
  const std::string markdown = params_markdown();
  for (const ParamSpec& spec : param_registry()) {
    EXPECT_NE(text.find(spec.key()), std::string::npos) << spec.key();
    const std::string code = std::string(1, '`').append(spec.key()).append("`");
    EXPECT_NE(markdown.find(code), std::string::npos) << spec.key();
    EXPECT_NE(text.find(std::string(spec.about)), std::string::npos) << spec.key();
  }
}

TEST(ParamRegistry, DocsParametersMdIsCurrent) {
  const fs::path file = fs::path(REGIONSIM_SOURCE_DIR) / "docs" / "parameters.md";
  std::ifstream in(file);
  std::ostringstream committed;
  committed << in.rdbuf();
  EXPECT_TRUE(committed.str() == params_markdown())
      << file << " differs from the parameter registry; regenerate it with\n"
      << "  build/release/regionsim params --markdown > docs/parameters.md";
}

}  // namespace
}  // namespace regionsim
