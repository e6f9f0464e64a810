// Scenario loading of good files: layering (extends), defaults, the frozen values, the resolved
// document, and that every registry key reaches its field. Overrides: scenario_overrides_test.cpp;
// bad files: scenario_bad_files_test.cpp.
#include "regionsim/scenario_loader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "param_registry.hpp"
#include "test_support.hpp"
#include "toml_merge.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = REGIONSIM_SOURCE_DIR;
const fs::path kBaseline = kSourceDir / "scenarios" / "baseline.toml";
const fs::path kGood = kSourceDir / "tests" / "data" / "good";

using testing::input_error;

using testing::contains;

// Compares two scenarios field by field. The field list is written out by hand from scenario.hpp,
// independently of the registry, so it can check the registry: `differing` names changed fields
// by concrete key ("zone.core.amenity"), `checked` every field by registry key
// ("zone.<name>.amenity"). Provenance (source_file, extends_chain, resolved_toml) is not compared.
struct FieldComparison {
  std::vector<std::string> differing;
  std::set<std::string> checked;
};

FieldComparison compare_fields(const Scenario& a, const Scenario& b) {
  FieldComparison result;
  auto check = [&result](const std::string& key, const std::string& pattern, bool same) {
    result.checked.insert(pattern);
    if (!same) result.differing.push_back(key);
  };
  auto check_global = [&check](const std::string& key, bool same) { check(key, key, same); };

#define REGIONSIM_CHECK_SECTION(section, field) \
  check_global(#section "." #field, a.section.field == b.section.field)
  check_global("name", a.name == b.name);
  REGIONSIM_CHECK_SECTION(run, steps);
  REGIONSIM_CHECK_SECTION(run, seed);
  REGIONSIM_CHECK_SECTION(run, scale);
  REGIONSIM_CHECK_SECTION(run, start_date);
  REGIONSIM_CHECK_SECTION(region, core_zone);
  REGIONSIM_CHECK_SECTION(region, research_skill);
  REGIONSIM_CHECK_SECTION(talent, per_firm_initial);
  REGIONSIM_CHECK_SECTION(talent, initial_seeking);
  REGIONSIM_CHECK_SECTION(talent, reconsider_employed);
  REGIONSIM_CHECK_SECTION(talent, reconsider_seeking);
  REGIONSIM_CHECK_SECTION(talent, beta_wage);
  REGIONSIM_CHECK_SECTION(talent, beta_amenity);
  REGIONSIM_CHECK_SECTION(talent, beta_congestion);
  REGIONSIM_CHECK_SECTION(talent, beta_jobs);
  REGIONSIM_CHECK_SECTION(talent, move_cost);
  REGIONSIM_CHECK_SECTION(talent, beta_travel);
  REGIONSIM_CHECK_SECTION(talent, leave_employed);
  REGIONSIM_CHECK_SECTION(talent, leave_seeking);
  REGIONSIM_CHECK_SECTION(talent, arrival_rate);
  REGIONSIM_CHECK_SECTION(talent, arrival_elasticity);
  REGIONSIM_CHECK_SECTION(talent, vacancy_arrivals);
  REGIONSIM_CHECK_SECTION(firms, alpha);
  REGIONSIM_CHECK_SECTION(firms, productivity_growth);
  REGIONSIM_CHECK_SECTION(firms, agglomeration);
  REGIONSIM_CHECK_SECTION(firms, io_strength);
  REGIONSIM_CHECK_SECTION(firms, spillover);
  REGIONSIM_CHECK_SECTION(firms, decay_minutes);
  REGIONSIM_CHECK_SECTION(firms, size_tail_index);
  REGIONSIM_CHECK_SECTION(firms, size_tail_min);
  REGIONSIM_CHECK_SECTION(firms, size_max);
  REGIONSIM_CHECK_SECTION(firms, reference_size);
  REGIONSIM_CHECK_SECTION(firms, hire_adjust);
  REGIONSIM_CHECK_SECTION(firms, layoff_adjust);
  REGIONSIM_CHECK_SECTION(firms, exit_hazard);
  REGIONSIM_CHECK_SECTION(firms, exit_size_elasticity);
  REGIONSIM_CHECK_SECTION(firms, loss_months_exit);
  REGIONSIM_CHECK_SECTION(firms, relocation_consider);
  REGIONSIM_CHECK_SECTION(firms, reloc_beta_profit);
  REGIONSIM_CHECK_SECTION(firms, reloc_beta_rent);
  REGIONSIM_CHECK_SECTION(firms, reloc_beta_subsidy);
  REGIONSIM_CHECK_SECTION(firms, reloc_beta_fit);
  REGIONSIM_CHECK_SECTION(firms, reloc_move_cost);
  REGIONSIM_CHECK_SECTION(firms, reloc_beta_travel);
  REGIONSIM_CHECK_SECTION(firms, paper_move_cost);
  REGIONSIM_CHECK_SECTION(firms, project_rate);
  REGIONSIM_CHECK_SECTION(firms, project_outside_utility);
  REGIONSIM_CHECK_SECTION(firms, project_site_weight);
  REGIONSIM_CHECK_SECTION(firms, site_reference);
  REGIONSIM_CHECK_SECTION(firms, nest_lambda);
  REGIONSIM_CHECK_SECTION(firms, project_size);
  REGIONSIM_CHECK_SECTION(firms, vat_rate);
  REGIONSIM_CHECK_SECTION(firms, cit_rate);
  REGIONSIM_CHECK_SECTION(firms, hte_cit_factor);
  REGIONSIM_CHECK_SECTION(firms, hte_certification);
  REGIONSIM_CHECK_SECTION(labour, match_efficiency);
  REGIONSIM_CHECK_SECTION(labour, match_elasticity);
  REGIONSIM_CHECK_SECTION(labour, wage_adjust);
  REGIONSIM_CHECK_SECTION(labour, target_tightness);
  REGIONSIM_CHECK_SECTION(labour, rent_adjust);
  REGIONSIM_CHECK_SECTION(labour, target_occupancy);
  REGIONSIM_CHECK_SECTION(land, supply_occupancy);
  REGIONSIM_CHECK_SECTION(land, build_rate);
  REGIONSIM_CHECK_SECTION(land, buildable_share);
  REGIONSIM_CHECK_SECTION(land, land_per_place);
  REGIONSIM_CHECK_SECTION(land, lease_price);
  REGIONSIM_CHECK_SECTION(government, decision_period);
  REGIONSIM_CHECK_SECTION(government, decision_lag);
  REGIONSIM_CHECK_SECTION(government, zones_known);
  REGIONSIM_CHECK_SECTION(government, offer_step);
  REGIONSIM_CHECK_SECTION(government, offer_max);
  REGIONSIM_CHECK_SECTION(government, spending_share);
  REGIONSIM_CHECK_SECTION(government, budget_cap_share);
  REGIONSIM_CHECK_SECTION(government, weight_gdp);
  REGIONSIM_CHECK_SECTION(government, weight_tax);
  REGIONSIM_CHECK_SECTION(government, tournament);
  REGIONSIM_CHECK_SECTION(government, horizon_months);
  REGIONSIM_CHECK_SECTION(government, beyond_horizon_weight);
  REGIONSIM_CHECK_SECTION(government, budget_weight);
  REGIONSIM_CHECK_SECTION(instruments, refund_share_1);
  REGIONSIM_CHECK_SECTION(instruments, refund_years_1);
  REGIONSIM_CHECK_SECTION(instruments, refund_share_2);
  REGIONSIM_CHECK_SECTION(instruments, refund_years_2);
  REGIONSIM_CHECK_SECTION(instruments, rent_years);
  REGIONSIM_CHECK_SECTION(instruments, settlement_max);
  REGIONSIM_CHECK_SECTION(instruments, firm_discount_rate);
  REGIONSIM_CHECK_SECTION(instruments, government_discount_rate);
  REGIONSIM_CHECK_SECTION(institutes, researchers);
  REGIONSIM_CHECK_SECTION(institutes, hire_adjust);
  REGIONSIM_CHECK_SECTION(institutes, innovation_rate);
  REGIONSIM_CHECK_SECTION(institutes, researcher_elasticity);
  REGIONSIM_CHECK_SECTION(institutes, science_effect);
  REGIONSIM_CHECK_SECTION(institutes, transfer_base);
  REGIONSIM_CHECK_SECTION(institutes, spinoff_share);
  REGIONSIM_CHECK_SECTION(institutes, transfer_minutes);
  REGIONSIM_CHECK_SECTION(institutes, cross_sector_fit);
  REGIONSIM_CHECK_SECTION(institutes, transfer_gain);
  REGIONSIM_CHECK_SECTION(institutes, spinoff_premium);
  REGIONSIM_CHECK_SECTION(tax_sharing, start_month);
  REGIONSIM_CHECK_SECTION(tax_sharing, pool_share);
  REGIONSIM_CHECK_SECTION(tax_sharing, pool_basis);
  REGIONSIM_CHECK_SECTION(tax_sharing, formula);
  REGIONSIM_CHECK_SECTION(tax_sharing, weights);
  REGIONSIM_CHECK_SECTION(tax_sharing, origin_share);
  REGIONSIM_CHECK_SECTION(tax_sharing, origin_years);
  REGIONSIM_CHECK_SECTION(tax_sharing, origin_min_tax);
  REGIONSIM_CHECK_SECTION(statistics_sharing, start_month);
  REGIONSIM_CHECK_SECTION(statistics_sharing, pool_share);
  REGIONSIM_CHECK_SECTION(statistics_sharing, pool_basis);
  REGIONSIM_CHECK_SECTION(statistics_sharing, formula);
  REGIONSIM_CHECK_SECTION(statistics_sharing, weights);
  REGIONSIM_CHECK_SECTION(statistics_sharing, origin_share);
  REGIONSIM_CHECK_SECTION(statistics_sharing, origin_years);
  REGIONSIM_CHECK_SECTION(statistics_sharing, origin_min_tax);
  REGIONSIM_CHECK_SECTION(joint_promotion, start_month);
  REGIONSIM_CHECK_SECTION(joint_promotion, harmonised_offer);
  REGIONSIM_CHECK_SECTION(joint_promotion, fit_boost);
  REGIONSIM_CHECK_SECTION(joint_promotion, finder_share);
  REGIONSIM_CHECK_SECTION(joint_promotion, finder_years);
  REGIONSIM_CHECK_SECTION(joint_promotion, subsidise_relocations);
  REGIONSIM_CHECK_SECTION(joint_promotion, search);
  REGIONSIM_CHECK_SECTION(joint_promotion, office);
  REGIONSIM_CHECK_SECTION(assessment, start_month);
  REGIONSIM_CHECK_SECTION(assessment, own_gdp);
  REGIONSIM_CHECK_SECTION(assessment, own_tax);
  REGIONSIM_CHECK_SECTION(assessment, region_gdp);
  REGIONSIM_CHECK_SECTION(assessment, region_tax);
  REGIONSIM_CHECK_SECTION(assessment, tournament);
  REGIONSIM_CHECK_SECTION(core_traction, start_month);
  REGIONSIM_CHECK_SECTION(core_traction, platform_boost);
  REGIONSIM_CHECK_SECTION(core_traction, travel_relief);
  REGIONSIM_CHECK_SECTION(core_traction, platform_access);
  REGIONSIM_CHECK_SECTION(core_traction, spillover_elasticity);
  REGIONSIM_CHECK_SECTION(park_city, start_month);
  REGIONSIM_CHECK_SECTION(park_city, spending);
  REGIONSIM_CHECK_SECTION(park_city, cost_per_point);
  REGIONSIM_CHECK_SECTION(park_city, depreciation);
  REGIONSIM_CHECK_SECTION(park_city, max_amenity);
  REGIONSIM_CHECK_SECTION(cadence, start_month);
  REGIONSIM_CHECK_SECTION(cadence, decision_period);
  REGIONSIM_CHECK_SECTION(cadence, decision_lag);
  REGIONSIM_CHECK_SECTION(fair_competition, start_month);
  REGIONSIM_CHECK_SECTION(committee, start_month);
  REGIONSIM_CHECK_SECTION(committee, remit);
  REGIONSIM_CHECK_SECTION(committee, mode);
  REGIONSIM_CHECK_SECTION(committee, funding);
#undef REGIONSIM_CHECK_SECTION

  auto names = [](const auto& entities) {
    std::vector<std::string> out;
    for (const auto& entity : entities)
      out.push_back(entity.name);
    return out;
  };
  check_global("region.zones", names(a.zones) == names(b.zones));
  check_global("region.sectors", names(a.sectors) == names(b.sectors));
  check_global("region.skills", names(a.skills) == names(b.skills));
  check_global("region.jurisdictions", names(a.jurisdictions) == names(b.jurisdictions));

#define REGIONSIM_CHECK_ENTITY(group, list, field)                            \
  for (std::size_t i = 0; i < std::min(a.list.size(), b.list.size()); ++i) {  \
    check(#group "." + a.list[i].name + "." #field, #group ".<name>." #field, \
          a.list[i].field == b.list[i].field);                                \
  }
  REGIONSIM_CHECK_ENTITY(zone, zones, area_km2)
  REGIONSIM_CHECK_ENTITY(zone, zones, floor_capacity)
  REGIONSIM_CHECK_ENTITY(zone, zones, housing_capacity)
  REGIONSIM_CHECK_ENTITY(zone, zones, amenity)
  REGIONSIM_CHECK_ENTITY(zone, zones, science)
  REGIONSIM_CHECK_ENTITY(zone, zones, initial_firms)
  REGIONSIM_CHECK_ENTITY(zone, zones, initial_rent)
  REGIONSIM_CHECK_ENTITY(zone, zones, wage_index)
  REGIONSIM_CHECK_ENTITY(zone, zones, specialisation)
  REGIONSIM_CHECK_ENTITY(zone, zones, ownership)
  REGIONSIM_CHECK_ENTITY(zone, zones, institutes)
  REGIONSIM_CHECK_ENTITY(sector, sectors, productivity)
  REGIONSIM_CHECK_ENTITY(sector, sectors, entry_weight)
  REGIONSIM_CHECK_ENTITY(sector, sectors, hte_share)
  REGIONSIM_CHECK_ENTITY(sector, sectors, inputs)
  REGIONSIM_CHECK_ENTITY(skill, skills, share)
  REGIONSIM_CHECK_ENTITY(skill, skills, base_wage)
  REGIONSIM_CHECK_ENTITY(jurisdiction, jurisdictions, initial_budget)
  REGIONSIM_CHECK_ENTITY(jurisdiction, jurisdictions, initial_offer)
  REGIONSIM_CHECK_ENTITY(jurisdiction, jurisdictions, debt_limit)
#undef REGIONSIM_CHECK_ENTITY
  check_global("travel_minutes.<from>.<to>", a.travel_minutes == b.travel_minutes);
  return result;
}

// --- Loading good scenarios --------------------------------------------------------------------

TEST(ScenarioLoader, LoadsBaseline) {
  const Scenario s = load_scenario(kBaseline);
  EXPECT_EQ(s.name, "baseline");
  EXPECT_EQ(s.source_file, kBaseline.string());
  EXPECT_EQ(s.extends_chain, std::vector<std::string>{kBaseline.string()});

  const std::vector<std::string> zones = {"core", "nevz", "lsiz", "fstc", "ngit"};
  ASSERT_EQ(s.zones.size(), zones.size());
  for (std::size_t i = 0; i < zones.size(); ++i)
    EXPECT_EQ(s.zones[i].name, zones[i]);
  EXPECT_EQ(s.sectors.size(), 6u);
  EXPECT_EQ(s.skills.size(), 3u);
  EXPECT_EQ(s.jurisdictions.size(), 4u);

  // Dense in region order: tianfu, cdht, shuangliu, eastern.
  EXPECT_EQ(s.zones[2].ownership, (std::vector<double>{0, 0.5, 0.5, 0}));
  EXPECT_EQ(s.zones[0].ownership, (std::vector<double>{1, 0, 0, 0}));
  // Sectors: ict, bio, aero, neweco, rd, other; ict uses aero 0.05, rd 0.10, other 0.10.
  EXPECT_EQ(s.sectors[0].inputs, (std::vector<double>{0, 0, 0.05, 0, 0.10, 0.10}));
  EXPECT_DOUBLE_EQ(s.zones[0].specialisation[4], 0.35);
  EXPECT_DOUBLE_EQ(s.zones[0].specialisation[1], 0.0);
  EXPECT_DOUBLE_EQ(s.zones[0].floor_capacity, 22500);
  EXPECT_DOUBLE_EQ(s.zones[3].initial_rent, 0.0009);

  // Each pair was given once; the matrix is symmetric with a zero diagonal.
  ASSERT_EQ(s.travel_minutes.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(s.travel_minutes[i][i], 0);
    for (std::size_t j = 0; j < 5; ++j)
      EXPECT_EQ(s.travel_minutes[i][j], s.travel_minutes[j][i]);
  }
  EXPECT_EQ(s.travel_minutes[0][1], 25);
  EXPECT_EQ(s.travel_minutes[4][3], 70);

  // Values the file does not set come from the registry.
  EXPECT_EQ(s.talent.beta_wage, 4.0);
  EXPECT_EQ(s.firms.loss_months_exit, 12);
  EXPECT_EQ(s.government.decision_period, 6);
  EXPECT_EQ(s.labour.match_elasticity, 0.5);
  EXPECT_EQ(s.run.start_date, "2021-01-01");
  EXPECT_EQ(s.run.seed, 1u);

  const double entry_total = std::accumulate(
      s.sectors.begin(), s.sectors.end(), 0.0,
      [](double sum, const SectorSpec& sector) { return sum + sector.entry_weight; });
  EXPECT_NEAR(entry_total, 1.0, 1e-12);
}

TEST(ScenarioLoader, NormalisesWeightsAndFillsEntityDefaults) {
  const Scenario s = load_scenario(kGood / "minimal.toml");
  EXPECT_EQ(s.zones[0].specialisation, std::vector<double>{1.0});  // written as 2
  EXPECT_EQ(s.zones[0].amenity, 5.0);
  EXPECT_EQ(s.zones[0].science, 1.0);
  EXPECT_EQ(s.zones[0].wage_index, 1.0);
  EXPECT_EQ(s.sectors[0].entry_weight, 1.0);
  EXPECT_EQ(s.sectors[0].inputs, std::vector<double>{0.0});
  EXPECT_EQ(s.jurisdictions[0].initial_offer, 0.5);
  EXPECT_EQ(s.travel_minutes, (std::vector<std::vector<double>>{{0, 20}, {20, 0}}));
}

TEST(ScenarioLoader, ResolvedDocumentHoldsEveryDefault) {
  const Scenario s = load_scenario(kGood / "minimal.toml");
  const toml::table resolved = toml::parse(s.resolved_toml);
  for (const ParamSpec& spec : param_registry()) {
    if (spec.def.source != ParamDefault::Source::number || spec.entity() != Entity::none) continue;
    SCOPED_TRACE(spec.key());
    const std::optional<double> value =
        resolved.at_path(std::string(spec.group) + "." + std::string(spec.field)).value<double>();
    ASSERT_TRUE(value.has_value());
    EXPECT_EQ(*value, spec.def.number);
  }
  EXPECT_EQ(resolved.at_path("sector.tech.entry_weight").value<double>(), 1.0);
  EXPECT_FALSE(resolved.contains("extends"));
}

TEST(ScenarioLoader, ExtendsChainAndOverridePrecedence) {
  // base 120 < child 60 < grandchild 48 < --set 24.
  EXPECT_EQ(load_scenario(kGood / "child.toml").run.steps, 60);
  EXPECT_EQ(load_scenario(kGood / "grandchild.toml").run.steps, 48);
  const Scenario s = load_scenario(kGood / "grandchild.toml", {"run.steps=24"});
  EXPECT_EQ(s.run.steps, 24);

  EXPECT_EQ(s.name, "grandchild");
  EXPECT_EQ(s.talent.beta_wage, 5.0);      // child
  EXPECT_EQ(s.firms.alpha, 0.6);           // grandchild
  EXPECT_EQ(s.firms.agglomeration, 0.05);  // registry default
  EXPECT_EQ(s.run.seed, 1u);               // base

  ASSERT_EQ(s.extends_chain.size(), 3u);
  EXPECT_EQ(fs::path(s.extends_chain[0]).filename(), "baseline.toml");
  EXPECT_EQ(fs::path(s.extends_chain[1]).filename(), "child.toml");
  EXPECT_EQ(fs::path(s.extends_chain[2]).filename(), "grandchild.toml");

  // Arrays are replaced whole: the child's four zones, not the base's five. The base's tables for
  // the dropped zone are ignored, travel times included.
  ASSERT_EQ(s.zones.size(), 4u);
  EXPECT_EQ(s.zones[3].name, "fstc");
  EXPECT_EQ(s.zones[0].floor_capacity, 22500);  // base
  EXPECT_EQ(s.travel_minutes.size(), 4u);

  // Weight tables are replaced whole too: the child's { shuangliu = 1.0 } is the whole ownership.
  EXPECT_EQ(s.zones[2].ownership, (std::vector<double>{0, 0, 1, 0}));

  // The child gives core-nevz in the other direction; the newer layer wins both ways.
  EXPECT_EQ(s.travel_minutes[0][1], 20);
  EXPECT_EQ(s.travel_minutes[1][0], 20);
}

TEST(ScenarioLoader, NameAndDescriptionAreNotInherited) {
  const fs::path origin = kSourceDir / "tests" / "data" / "tax_sharing.toml";
  const Scenario s =
      load_scenario_text("extends = \"../../scenarios/baseline.toml\"\n", origin.string());
  EXPECT_EQ(s.name, "tax_sharing");
  EXPECT_TRUE(contains(s.resolved_toml, "description = \"\"\n"));
  EXPECT_EQ(s.extends_chain.back(), origin.string());
}

TEST(ScenarioLoader, ResolvedTomlRoundTrips) {
  const std::vector<Scenario> scenarios = {
      load_scenario(kBaseline),
      load_scenario(kGood / "minimal.toml"),
      load_scenario(
          kGood / "grandchild.toml",
          {"zone.core.amenity=8.25", "run.start_date=2030-07-01", "name=with spaces",
           "travel_minutes.fstc.core=33", "description=say \"why\"", "region.core_zone=nevz",
           "tax_sharing.formula=fixed", "tax_sharing.weights={ tianfu = 1 }",
           "joint_promotion.subsidise_relocations=1"}),
  };
  for (const Scenario& original : scenarios) {
    SCOPED_TRACE(original.name);
    const Scenario again = load_scenario_text(original.resolved_toml, "resolved.toml");
    EXPECT_EQ(compare_fields(original, again).differing, std::vector<std::string>{});
    EXPECT_EQ(again.resolved_toml, original.resolved_toml);  // a fixed point
  }
}

TEST(ScenarioLoader, RolesDefaultToTheFirstListedAndMayBeNamed) {
  const Scenario base = load_scenario(kBaseline);
  EXPECT_EQ(base.region.core_zone, 0);
  EXPECT_EQ(base.region.research_skill, 0);
  EXPECT_TRUE(contains(base.resolved_toml, "core_zone = \"core\"\n"));
  EXPECT_TRUE(contains(base.resolved_toml, "research_skill = \"researcher\"\n"));
  const Scenario named =
      load_scenario(kBaseline, {"region.core_zone=lsiz", "region.research_skill=engineer"});
  EXPECT_EQ(named.region.core_zone, 2);
  EXPECT_EQ(named.region.research_skill, 1);
  // A shrunk list moves the default with it: the first listed zone is the core.
  const Scenario shrunk = load_scenario(kGood / "minimal.toml");
  EXPECT_TRUE(contains(shrunk.resolved_toml, "core_zone = \"a\"\n"));
}

TEST(ScenarioLoader, ChoicesAndSwitchesAreTyped) {
  const Scenario base = load_scenario(kBaseline);
  EXPECT_EQ(base.tax_sharing.formula, PoolFormula::equal);
  EXPECT_EQ(base.tax_sharing.pool_basis, PoolBasis::incremental);
  EXPECT_FALSE(base.joint_promotion.subsidise_relocations);
  EXPECT_TRUE(contains(base.resolved_toml, "subsidise_relocations = false\n"));
  const Scenario set =
      load_scenario(kBaseline, {"tax_sharing.formula=population", "tax_sharing.pool_basis=all",
                                "joint_promotion.subsidise_relocations=true"});
  EXPECT_EQ(set.tax_sharing.formula, PoolFormula::population);
  EXPECT_EQ(set.tax_sharing.pool_basis, PoolBasis::all);
  EXPECT_TRUE(set.joint_promotion.subsidise_relocations);
  // Written as 1 or 0 before booleans existed; resolved to the boolean it means.
  const Scenario numeric = load_scenario(kBaseline, {"joint_promotion.subsidise_relocations=1"});
  EXPECT_TRUE(numeric.joint_promotion.subsidise_relocations);
  EXPECT_TRUE(contains(numeric.resolved_toml, "subsidise_relocations = true\n"));
}

// The first entity of a kind in a scenario, where the binding test probes entity fields.
std::string first_name(const Scenario& s, Entity entity) {
  switch (entity) {
    case Entity::zone:
      return s.zones.front().name;
    case Entity::sector:
      return s.sectors.front().name;
    case Entity::skill:
      return s.skills.front().name;
    case Entity::jurisdiction:
      return s.jurisdictions.front().name;
    case Entity::none:
      break;
  }
  return {};
}

// Two values inside the spec's range; at most one can equal the baseline's.
std::vector<std::string> probe_values(const ParamSpec& spec) {
  if (spec.kind() == ParamKind::integer) {
    return {format_number(spec.min + 1), format_number(spec.min + 2)};
  }
  return {format_number(spec.min + (spec.max - spec.min) * 0.25),
          format_number(spec.min + (spec.max - spec.min) * 0.5)};
}

TEST(ScenarioLoader, EveryKeyReachesTheFieldItNames) {
  const Scenario base = load_scenario(kBaseline);
  for (const ParamSpec& spec : param_registry()) {
    // Constrained values cannot change alone; their rules have tests of their own.
    const bool numeric = spec.kind() == ParamKind::real || spec.kind() == ParamKind::integer;
    if (spec.bind.store == nullptr || !numeric || spec.rule != SumRule::none) continue;
    const std::string key = spec.entity() == Entity::none
                                ? spec.key()
                                : std::string(spec.group) + "." + first_name(base, spec.entity()) +
                                      "." + std::string(spec.field);
    SCOPED_TRACE(key);
    std::vector<std::string> differing;
    for (const std::string& value : probe_values(spec)) {
      differing = compare_fields(base, load_scenario(kBaseline, {key + "=" + value})).differing;
      if (!differing.empty()) break;
    }
    EXPECT_EQ(differing, std::vector<std::string>{key});
  }
}

TEST(ScenarioLoader, EveryScenarioFieldHasARegistryKey) {
  const Scenario s = load_scenario(kBaseline);
  std::set<std::string> registered;
  for (const ParamSpec& spec : param_registry())
    registered.insert(spec.key());
  for (const std::string& key : compare_fields(s, s).checked) {
    EXPECT_TRUE(registered.contains(key)) << key << " has no registry entry";
  }
}

TEST(ScenarioLoader, MissingFileIsAnInputError) {
  EXPECT_EQ(input_error([] { load_scenario("no/such/scenario.toml"); }),
            "cannot open scenario file 'no/such/scenario.toml'");
}

}  // namespace
}  // namespace regionsim
