// The entity tables of the parameter registry: keys of [zone.<name>], [sector.<name>],
// [skill.<name>], [jurisdiction.<name>] and [travel_minutes] (see param_registry.cpp).
#include "param_table.hpp"

namespace regionsim {
namespace {

using namespace binding;

constexpr ParamSpec kEntityParams[] = {
    // [zone.<name>]
    {ENTITY_PARAM(zone, zones, area_km2), .unit = "km²", .def = of(0.0), .min = 0, .max = 1e5,
     .about = "planned area; informative, recorded with the outputs",
     .basis = "fact: planning documents"},
    {ENTITY_PARAM(zone, zones, floor_capacity), .unit = "worker places", .def = kRequired, .min = 0,
     .max = 1e9, .about = "floor space for firms at scale 1",
     .basis = "judgement: initial firms x size, plus room to grow"},
    {ENTITY_PARAM(zone, zones, housing_capacity), .unit = "persons", .def = kRequired, .min = 0,
     .max = 1e9, .about = "residents the zone houses comfortably at scale 1", .basis = "judgement"},
    {ENTITY_PARAM(zone, zones, amenity), .unit = "index", .def = of(5.0), .min = 0, .max = 10,
     .about = "park-city amenity index", .basis = "judgement"},
    {ENTITY_PARAM(zone, zones, science), .unit = "index", .def = of(1.0), .min = 0, .max = 10,
     .about = "science-infrastructure index (labs, facilities, platforms)",
     .basis = "fact: facility and institute counts, scaled by judgement"},
    {ENTITY_PARAM(zone, zones, initial_firms), .unit = "firms", .def = kRequired, .min = 0,
     .max = 1e8, .about = "firms present at step 0, at scale 1",
     .basis = "fact: firm counts where known, else judgement"},
    {ENTITY_PARAM(zone, zones, initial_rent), .unit = "mCNY/worker place/month", .def = of(0.001),
     .min = 0, .max = 1, .about = "rent at step 0", .basis = "judgement"},
    {ENTITY_PARAM(zone, zones, wage_index), .unit = "-", .def = of(1.0), .min = 0.1, .max = 10,
     .about = "initial wage level relative to the skill base wage", .basis = "judgement"},
    {ENTITY_PARAM(zone, zones, specialisation), .unit = "weight", .def = kRequired, .min = 0,
     .max = 1e6, .rule = SumRule::normalise, .keys = Entity::sector,
     .about = "planned weight per sector, normalised to sum 1",
     .basis = "fact: the leading industries of each area"},
    {ENTITY_PARAM(zone, zones, ownership), .unit = "share", .def = kRequired, .min = 0, .max = 1,
     .rule = SumRule::sum_to_one, .keys = Entity::jurisdiction,
     .about = "share of the zone belonging to each jurisdiction",
     .basis = "fact: co-built zones; split ratios by judgement"},
    {ENTITY_PARAM(zone, zones, institutes), .unit = "institutes", .def = of(0.0), .min = 0,
     .max = 1e6, .about = "research institutes in the zone at step 0, at scale 1",
     .basis = "fact: 20+ national institutes in the core"},

    // [sector.<name>]
    {ENTITY_PARAM(sector, sectors, productivity), .unit = "mCNY/month per worker^alpha",
     .def = kRequired, .min = 1e-6, .max = 1e3,
     .about = "TFP of an entrant of firms.reference_size employees: value added per month per "
              "worker^alpha (initial firms' TFP inverts their first-order condition instead)",
     .basis = "derived: the value that would put the sector's initial firms at their desired "
              "size on average (FirmSize.EverySectorStartsNearItsDesiredSize)"},
    {ENTITY_PARAM(sector, sectors, entry_weight), .unit = "-", .def = of(1.0), .min = 0, .max = 1e6,
     .rule = SumRule::normalise,
     .about = "share of incoming investment projects, normalised over sectors",
     .basis = "judgement"},
    {ENTITY_PARAM(sector, sectors, hte_share), .unit = "share", .def = of(0.0), .min = 0, .max = 1,
     .about = "share of the sector's firms that are high-tech enterprises at step 0",
     .basis = "judgement: CDHT 2,705 HTEs (2020) over 120,000 firms = 2.3 % overall "
              "(REAL-WORLD-FACTS §1c), more in R&D-intensive sectors"},
    {ENTITY_PARAM(sector, sectors, inputs), .unit = "coefficient",
     .def = ParamDefault::empty_table(), .min = 0, .max = 1, .rule = SumRule::at_most_one,
     .keys = Entity::sector,
     .about = "input-output coefficients a(supplier -> this sector), one column",
     .basis = "judgement: the industrial chain"},

    // [skill.<name>]
    {ENTITY_PARAM(skill, skills, share), .unit = "share", .def = kRequired, .min = 0, .max = 1,
     .rule = SumRule::sum_to_one,
     .about = "share of talent with this skill, at start and among arrivals", .basis = "judgement"},
    {ENTITY_PARAM(skill, skills, base_wage), .unit = "mCNY/month", .def = kRequired, .min = 1e-6,
     .max = 10, .about = "monthly wage at zone wage index 1", .basis = "judgement"},

    // [jurisdiction.<name>]
    {ENTITY_PARAM(jurisdiction, jurisdictions, initial_budget), .unit = "mCNY", .def = of(0.0),
     .min = -1e9, .max = 1e9, .about = "budget at step 0, at scale 1",
     .basis = "fact: subsidy spending of the Eastern New Area, scaled"},
    {ENTITY_PARAM(jurisdiction, jurisdictions, initial_offer), .unit = "mCNY/firm", .def = of(0.5),
     .min = 0, .max = 1e6,
     .about = "without role since strategic promotion (no package before the first decision)",
     .basis = "judgement"},
    {ENTITY_PARAM(jurisdiction, jurisdictions, debt_limit), .unit = "mCNY", .def = of(-1.0),
     .min = -1, .max = 1e9,
     .about = "how far the budget may fall below zero, at scale 1; -1: half the initial budget",
     .basis = "judgement: a floor decisions and payments respect (model.md §14.6)"},

    // [travel_minutes]
    {.group = "travel_minutes",
     .field = "",
     .bind = structural(ParamKind::real),
     .unit = "minutes",
     .def = kRequired,
     .min = 0,
     .max = 1e4,
     .keys = Entity::zone,
     .about = "door-to-door travel time; each pair once, either direction; diagonal 0",
     .basis = "judgement: map distances"},
};

}  // namespace

std::span<const ParamSpec> entity_params() {
  return kEntityParams;
}

}  // namespace regionsim
