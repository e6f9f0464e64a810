// Every file in tests/data/bad is refused with a message naming the place (file:line:column), the
// key, the bad value and what was expected.
#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "regionsim/scenario_loader.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

using testing::contains;
using testing::input_error;

const fs::path kBad = fs::path(REGIONSIM_SOURCE_DIR) / "tests" / "data" / "bad";

// One case per file; each message must contain every fragment.

struct BadFile {
  std::string file;
  std::vector<std::string> fragments;
};

// Names the case by its file in test listings instead of dumping the struct's bytes.
void PrintTo(const BadFile& bad, std::ostream* os) {
  *os << bad.file;
}

const std::vector<BadFile> kBadFiles = {
    {"bad_boolean.toml",
     {"bad_boolean.toml:5:25: joint_promotion.subsidise_relocations = 0.5: expected true or "
      "false"}},
    {"bad_choice.toml",
     {"bad_choice.toml:5:11: tax_sharing.formula = \"equals\": expected one of ownership, equal, "
      "population, fixed"}},
    {"bad_start_date.toml",
     {"bad_start_date.toml:5:14: run.start_date = \"2021-01-15\": expected an ISO date of a "
      "month's first day, YYYY-MM-01"}},
    {"bad_zone_name.toml",
     {"bad_zone_name.toml:5:10: region.zones item 1 = \"Core\"",
      "lowercase letters, digits, '_' or '-'"}},
    {"committee_funding_zero.toml",
     {"committee_funding_zero.toml:5:11: committee.funding has no positive share; expected at "
      "least one jurisdiction with a share > 0, such as { tianfu = 1.0 }"}},
    {"committee_mode.toml",
     {"committee_mode.toml:5:8: committee.mode = \"per_district\": expected one of science_city, "
      "per_zone"}},
    {"committee_remit_none.toml",
     {"committee_remit_none.toml:5:9: committee.remit puts no zone in the remit; expected at least "
      "one zone = 1, such as { core = 1 }"}},
    {"committee_remit_share.toml",
     {"committee_remit_share.toml:5:9: committee.remit.lsiz = 0.5: expected 1 (in the remit) or 0 "
      "(not)"}},
    {"committee_unknown_zone.toml",
     {"committee_unknown_zone.toml:5:11: committee.remit: unknown zone 'downtown'; known: core, "
      "nevz, lsiz, fstc, ngit"}},
    {"duplicate_zone.toml",
     {"duplicate_zone.toml:5:50: region.zones: duplicate zone name 'core' (items 1 and 6)"}},
    {"entry_weights_zero.toml",
     {"entry_weights_zero.toml:", "sector.<name>.entry_weight is 0 for all sectors",
      "expected at least one weight > 0"}},
    {"extends_cycle_a.toml",
     {"extends_cycle_b.toml:2:11: extends cycle: '", "extends_cycle_a.toml' -> '",
      "extends_cycle_b.toml' -> '"}},
    {"extends_cycle_b.toml",
     {"extends_cycle_a.toml:2:11: extends cycle: '", "extends_cycle_b.toml' -> '"}},
    {"extends_missing.toml",
     {"extends_missing.toml:2:11: cannot open scenario file '",
      "no_such_base.toml' (extended from '", "extends_missing.toml')"}},
    {"extends_not_string.toml",
     {"extends_not_string.toml:2:11: extends = 3: expected the path of a scenario file"}},
    {"float_for_integer.toml",
     {"float_for_integer.toml:5:9: run.steps = 1.5: expected an integer (months)"}},
    {"inputs_column_sum.toml",
     {"inputs_column_sum.toml:5:10: sector.ict.inputs sums to 1.2",
      "expected coefficients summing to at most 1 (rd=0.7, other=0.5)"}},
    {"key_in_wrong_section.toml",
     {"key_in_wrong_section.toml:5:1: unknown key 'talent.alpha'; did you mean 'firms.alpha'?"}},
    {"land_per_place_zero.toml",
     {"land_per_place_zero.toml:6:18: value 0 is out of range for land.land_per_place [0.1, "
      "10000] (m2)"}},
    {"missing_required.toml",
     {"missing_required.toml:17:1: zone.b.floor_capacity is required (worker places)"}},
    {"missing_travel_pair.toml",
     {"missing_travel_pair.toml:40:1: no travel time between 'a' and 'c'",
      "expected travel_minutes.a.c (or travel_minutes.c.a) in minutes"}},
    {"missing_zone_table.toml",
     {"missing_zone_table.toml:5:50: region.zones lists 'west' but there is no [zone.west] "
      "table"}},
    {"misspelt_zone_table.toml",
     {"misspelt_zone_table.toml:4:7: [zone.cor] is not listed in region.zones (core, nevz, lsiz, "
      "fstc, ngit); did you mean 'zone.core'?"}},
    {"name_not_string.toml", {"name_not_string.toml:3:8: name = 3: expected a string"}},
    {"negative_capacity.toml",
     {"negative_capacity.toml:5:18: value -100 is out of range for zone.nevz.floor_capacity "
      "[0, 1e9] (worker places)"}},
    {"out_of_range.toml",
     {"out_of_range.toml:5:9: value 1.5 is out of range for firms.alpha [0.05, 0.95]"}},
    {"ownership_sum.toml",
     {"ownership_sum.toml:5:13: zone.lsiz.ownership sums to 0.9, expected shares summing to 1 "
      "(cdht=0.5, shuangliu=0.4)"}},
    {"section_not_table.toml", {"section_not_table.toml:3:7: run = 5: expected a table [run]"}},
    {"skill_shares.toml",
     {"skill_shares.toml:5:9: skill.<name>.share sums to 0.9 over skills",
      "expected shares summing to 1 (researcher=0.15, engineer=0.45, worker=0.3)"}},
    {"specialisation_zero.toml",
     {"specialisation_zero.toml:5:18: zone.core.specialisation has no positive weight",
      "at least one sector"}},
    {"syntax_error.toml", {"syntax_error.toml:5:9: TOML syntax error: "}},
    {"too_few_zones.toml",
     {"too_few_zones.toml:5:9: region.zones lists 1 zone(s); expected at least 2"}},
    {"too_many_zones.toml",
     {"too_many_zones.toml:5:9: region.zones lists 256 zone(s); expected at most 255, the "
      "engine's limit"}},
    {"travel_contradiction.toml",
     {"travel_contradiction.toml:6:17: travel_minutes.nevz.core = 25 contradicts "
      "travel_minutes.core.nevz = 20 (",
      "travel_contradiction.toml:5:17); give each pair once"}},
    {"travel_diagonal.toml",
     {"travel_diagonal.toml:5:17: travel_minutes.core.core = 5: a zone is 0 minutes from itself"}},
    {"travel_unknown_zone.toml",
     {"travel_unknown_zone.toml:5:10: travel_minutes.core: unknown zone 'nevx'; known: core, "
      "nevz, lsiz, fstc, ngit; did you mean 'nevz'?"}},
    {"unknown_jurisdiction.toml",
     {"unknown_jurisdiction.toml:5:27: zone.lsiz.ownership: unknown jurisdiction 'shuangli'; "
      "known: tianfu, cdht, shuangliu, eastern; did you mean 'shuangliu'?"}},
    {"unknown_core_zone.toml",
     {"unknown_core_zone.toml:5:13: region.core_zone: unknown zone 'cor'; known: core, nevz, "
      "lsiz, fstc, ngit; did you mean 'core'?"}},
    {"unknown_key.toml",
     {"unknown_key.toml:5:1: unknown key 'talent.beta_wag'; did you mean 'talent.beta_wage'?"}},
    {"unknown_key_no_match.toml",
     {"unknown_key_no_match.toml:5:1: unknown key 'zone.core.parking'; valid keys in "
      "[zone.core]: area_km2, floor_capacity, "}},
    {"unknown_section.toml",
     {"unknown_section.toml:4:2: unknown key 'talnet'; did you mean 'talent'?"}},
    {"unknown_sector.toml",
     {"unknown_sector.toml:5:31: zone.core.specialisation: unknown sector 'biotech'; known: ict, "
      "bio, aero, neweco, rd, other"}},
    {"unlisted_zone_table.toml",
     {"unlisted_zone_table.toml:4:7: [zone.west] is not listed in region.zones (core, nevz, lsiz, "
      "fstc, ngit)"}},
    {"wrong_type.toml",
     {"wrong_type.toml:5:13: talent.beta_wage = \"high\": expected a number (1/log mCNY)"}},
};

class BadScenarioFile : public ::testing::TestWithParam<BadFile> {};

TEST_P(BadScenarioFile, FailsWithAMessageNamingPlaceKeyAndExpectation) {
  const BadFile& bad = GetParam();
  const std::string message = input_error([&] { load_scenario(kBad / bad.file); });
  for (const std::string& fragment : bad.fragments) {
    EXPECT_TRUE(contains(message, fragment))
        << "expected fragment: " << fragment << "\nmessage:           " << message;
  }
}

INSTANTIATE_TEST_SUITE_P(ScenarioLoader, BadScenarioFile, ::testing::ValuesIn(kBadFiles),
                         [](const ::testing::TestParamInfo<BadFile>& param_info) {
                           return fs::path(param_info.param.file).stem().string();
                         });

TEST(ScenarioLoader, EveryBadFileHasACase) {
  std::set<std::string> on_disk;
  for (const auto& entry : fs::directory_iterator(kBad)) {
    if (entry.path().extension() == ".toml") on_disk.insert(entry.path().filename().string());
  }
  std::set<std::string> in_table;
  for (const BadFile& bad : kBadFiles)
    in_table.insert(bad.file);
  EXPECT_EQ(on_disk, in_table);
  EXPECT_GE(in_table.size(), 15u);
}

}  // namespace
}  // namespace regionsim
