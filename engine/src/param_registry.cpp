// The parameter registry: the table of every scenario key and the look-ups over it. Rendering it
// for people (`regionsim params`, docs/parameters.md) is param_docs.cpp's job.
#include "param_registry.hpp"

#include <algorithm>
#include <array>

#include "param_table.hpp"

namespace regionsim {
namespace {

using namespace binding;

// --- The registry ------------------------------------------------------------------------------
// Basis tags: "fact" cites shared/data/REAL-WORLD-FACTS.md, "study" a published estimate,
// "calibration" a value chosen so month 0 is near a steady state, "judgement" a modelling choice
// explained in docs/model.md, "convention" a setting of the run rather than of the world.

constexpr ParamSpec kSectionParams[] = {
    // Identity and layering.
    {.group = "",
     .field = "name",
     .bind = top_field<&Scenario::name>(),
     .unit = "-",
     .def = ParamDefault::file_stem(),
     .about = "scenario name labelling the outputs; not inherited through extends",
     .basis = "convention"},
    {.group = "",
     .field = "description",
     .bind = structural(ParamKind::text),
     .unit = "-",
     .def = of(std::string_view{}),
     .about = "one line on what the scenario asks; not inherited through extends",
     .basis = "convention"},
    {.group = "",
     .field = "extends",
     .bind = structural(ParamKind::text),
     .unit = "path",
     .def = ParamDefault::absent(),
     .about = "scenario file this one changes (relative to this file), merged underneath",
     .basis = "convention"},

    // [run]
    {SECTION_PARAM(run, steps), .unit = "months", .def = of(120), .min = 1, .max = 10000,
     .about = "months simulated", .basis = "convention: ten years, the planning horizon"},
    {SECTION_PARAM(run, seed), .unit = "-", .def = of(1), .min = 0, .max = kMaxSeed,
     .about = "random seed; equal seeds give bit-identical runs", .basis = "convention"},
    {SECTION_PARAM(run, scale), .unit = "-", .def = of(1.0), .min = 1e-4, .max = 100,
     .about = "multiplies every population and capacity (0.1 runs a tenth-size region)",
     .basis = "convention"},
    {.group = "run",
     .field = "start_date",
     .bind = as_date(section_field<&Scenario::run, &RunParams::start_date>()),
     .unit = "date",
     .def = of(std::string_view{"2021-01-01"}),
     .about = "calendar month of step 0, the first day of a month",
     .basis = "fact: the Science City was launched in 2021"},

    // [region]
    {.group = "region",
     .field = "zones",
     .bind = structural(ParamKind::name_list),
     .unit = "names",
     .def = kRequired,
     .min = 2,
     .max = kMaxZones,
     .keys = Entity::zone,
     .about = "zones in output order; each has a [zone.<name>] table",
     .basis = "fact: one core and four zones"},
    {.group = "region",
     .field = "sectors",
     .bind = structural(ParamKind::name_list),
     .unit = "names",
     .def = kRequired,
     .min = 1,
     .max = kMaxSectors,
     .keys = Entity::sector,
     .about = "sectors in output order; each has a [sector.<name>] table",
     .basis = "fact: the leading industries of the five areas"},
    {.group = "region",
     .field = "skills",
     .bind = structural(ParamKind::name_list),
     .unit = "names",
     .def = kRequired,
     .min = 1,
     .max = kMaxSkills,
     .keys = Entity::skill,
     .about = "talent skill groups in output order; each has a [skill.<name>] table",
     .basis = "judgement"},
    {.group = "region",
     .field = "jurisdictions",
     .bind = structural(ParamKind::name_list),
     .unit = "names",
     .def = kRequired,
     .min = 1,
     .max = kMaxJurisdictions,
     .keys = Entity::jurisdiction,
     .about = "governments in output order; each has a [jurisdiction.<name>] table",
     .basis = "fact: Tianfu New Area, CDHT, Shuangliu, Eastern New Area"},
    {.group = "region",
     .field = "core_zone",
     .bind = as_entity(section_field<&Scenario::region, &RegionRoles::core_zone>()),
     .unit = "name",
     .def = ParamDefault::first_listed(),
     .keys = Entity::zone,
     .about = "the core zone, whose institutes core traction makes the hub of transfers",
     .basis = "fact: Chengdu Science City is the core"},
    {.group = "region",
     .field = "research_skill",
     .bind = as_entity(section_field<&Scenario::region, &RegionRoles::research_skill>()),
     .unit = "name",
     .def = ParamDefault::first_listed(),
     .keys = Entity::skill,
     .about = "the skill research institutes employ",
     .basis = "judgement"},

    // [talent]
    {SECTION_PARAM(talent, per_firm_initial), .unit = "persons/firm", .def = of(5.05), .min = 0,
     .max = 1000, .about = "mean talent (employed and seeking) per firm at step 0",
     .basis = "fact: CDHT 605,900 talents over 120,000 operating firms (2020), REAL-WORLD-FACTS "
              "§1c; the firm count is judgement (targets file)"},
    {SECTION_PARAM(talent, initial_seeking), .unit = "share", .def = of(0.05), .min = 0, .max = 1,
     .about = "share of talent seeking a job at step 0",
     .basis = "judgement: frictional unemployment of skilled labour"},
    {SECTION_PARAM(talent, reconsider_employed), .unit = "1/month", .def = of(0.01), .min = 0,
     .max = 1, .about = "monthly probability an employed person reviews where to work",
     .basis = "judgement: about one review in eight years"},
    {SECTION_PARAM(talent, reconsider_seeking), .unit = "1/month", .def = of(0.10), .min = 0,
     .max = 1, .about = "monthly probability a seeker reviews where to look",
     .basis = "judgement: seekers search actively"},
    {SECTION_PARAM(talent, beta_wage), .unit = "1/log mCNY", .def = of(4.0), .min = 0, .max = 100,
     .about = "utility per unit of log wage", .basis = "judgement"},
    {SECTION_PARAM(talent, beta_amenity), .unit = "1/index point", .def = of(0.3), .min = 0,
     .max = 100, .about = "utility per amenity index point", .basis = "judgement"},
    {SECTION_PARAM(talent, beta_congestion), .unit = "1/occupancy", .def = of(2.0), .min = 0,
     .max = 100, .about = "disutility per unit of housing occupancy (residents/capacity)",
     .basis = "judgement"},
    {SECTION_PARAM(talent, beta_jobs), .unit = "1/probability", .def = of(2.0), .min = 0,
     .max = 100, .about = "utility per unit of job-finding probability", .basis = "judgement"},
    {SECTION_PARAM(talent, move_cost), .unit = "utility", .def = of(1.5), .min = 0, .max = 100,
     .about = "utility cost of any move between zones", .basis = "judgement"},
    {SECTION_PARAM(talent, beta_travel), .unit = "1/minute", .def = of(0.02), .min = 0, .max = 10,
     .about = "utility cost per minute of travel time of a move", .basis = "judgement"},
    {SECTION_PARAM(talent, leave_employed), .unit = "1/month", .def = of(0.003), .min = 0, .max = 1,
     .about = "monthly hazard of leaving the region while employed",
     .basis = "judgement: about 3.5 % a year"},
    {SECTION_PARAM(talent, leave_seeking), .unit = "1/month", .def = of(0.02), .min = 0, .max = 1,
     .about = "monthly hazard of leaving the region while seeking",
     .basis = "judgement: about 21 % a year"},
    {SECTION_PARAM(talent, arrival_rate), .unit = "1/month", .def = of(0.004), .min = 0, .max = 1,
     .about = "monthly arrivals as a share of the initial talent stock",
     .basis = "calibration: matches departures at step 0 (0.95 x 0.003 + 0.05 x 0.02)"},
    {SECTION_PARAM(talent, arrival_elasticity), .unit = "-", .def = of(1.0), .min = 0, .max = 10,
     .about = "elasticity of arrivals to the region's attractiveness", .basis = "judgement"},
    {SECTION_PARAM(talent, vacancy_arrivals), .unit = "1/month", .def = of(0.1), .min = 0, .max = 1,
     .about = "monthly arrivals from outside per unfilled vacancy with floor space",
     .basis = "judgement: a vacancy the region cannot fill is answered from outside within about "
              "10 months (baseline: fitted, docs/calibration.md)"},

    // [firms]
    {SECTION_PARAM(firms, alpha), .unit = "-", .def = of(0.7), .min = 0.05, .max = 0.95,
     .about = "labour elasticity of output", .basis = "study: labour shares of 0.6-0.7"},
    {SECTION_PARAM(firms, productivity_growth), .unit = "1/year", .def = of(0.05), .min = -0.2,
     .max = 0.5,
     .about = "nominal growth of every firm's productivity a year (a common trend on the location "
              "multipliers; location choices compare zones net of it)",
     .basis = "judgement anchored on wage growth: along a balanced growth path value added per "
              "worker grows with wages; average wages grew 3.7 % (private) to 6.7 % "
              "(non-private) nationally in 2022, 4.8-5.8 % in 2023 and 9.3 % in Sichuan in 2021 "
              "(CALIBRATION-FACTS §2); 5 % is their middle. Without it the tightness rule raised "
              "wages about 3 %/yr against a fixed productivity and CDHT's GDP stood still "
              "(docs/calibration.md)"},
    {SECTION_PARAM(firms, agglomeration), .unit = "-", .def = of(0.05), .min = 0, .max = 1,
     .about = "elasticity of TFP to same-sector employment in the zone",
     .basis = "study: 0.02-0.10 (Rosenthal & Strange 2004)"},
    {SECTION_PARAM(firms, io_strength), .unit = "-", .def = of(0.2), .min = 0, .max = 10,
     .about = "TFP gain per unit of input-output access", .basis = "judgement"},
    {SECTION_PARAM(firms, spillover), .unit = "1/index point", .def = of(0.03), .min = 0, .max = 10,
     .about = "TFP gain per unit of travel-decayed science infrastructure", .basis = "judgement"},
    {SECTION_PARAM(firms, decay_minutes), .unit = "minutes", .def = of(30.0), .min = 1, .max = 1000,
     .about = "travel time over which access and spillovers fall by a factor e",
     .basis = "judgement: spillovers fade with distance (Yao et al. 2025)"},
    {SECTION_PARAM(firms, size_tail_index), .unit = "-", .def = of(1.1), .min = 0.2, .max = 5,
     .about = "Pareto index of the CCDF of new firms' sizes above size_tail_min",
     .basis = "fact: CCDF index 1.0-1.5 in Chinese industrial firms (Heinrich & Dai 2016), Zipf "
              "among the largest (Axtell 2001); 1.1 (CALIBRATION-FACTS §3)"},
    {SECTION_PARAM(firms, size_tail_min), .unit = "persons", .def = of(10.0), .min = 2, .max = 1e5,
     .about = "size where the Pareto tail starts (below: log-uniform body)",
     .basis = "fact: the tail is measured above about 10 employees (CALIBRATION-FACTS §3)"},
    {SECTION_PARAM(firms, size_max), .unit = "persons", .def = of(30000.0), .min = 3, .max = 1e6,
     .about = "largest firm size drawn (truncation of the Pareto tail)",
     .basis = "judgement: the largest electronics plants of Chengdu employ tens of thousands"},
    {SECTION_PARAM(firms, reference_size), .unit = "persons", .def = of(10.0), .min = 1, .max = 1e5,
     .about = "size at which an entrant with the sector's productivity is at its desired size "
              "at month-0 prices; the exit hazard falls with size above it",
     .basis = "calibration: the sector productivities are set for firms of about 10"},
    {SECTION_PARAM(firms, hte_cit_factor), .unit = "-", .def = of(0.6), .min = 0, .max = 1,
     .about = "CIT of a high-tech enterprise as a share of the normal rate",
     .basis = "fact: HTEs pay CIT at 15 % instead of 25 % (Chen et al. 2021, AER; "
              "REAL-WORLD-FACTS §4): 15 / 25"},
    {SECTION_PARAM(firms, hte_certification), .unit = "1/month", .def = of(0.025), .min = 0,
     .max = 1,
     .about = "monthly probability a firm is certified high-tech, per unit of its sector's "
              "hte_share",
     .basis = "calibration: CDHT's HTEs grew 3,315 -> 4,320 in 2022 (+30 %/yr, REAL-WORLD-FACTS "
              "§1c): 0.025 x 12 = 0.30 of the stock a year"},
    {SECTION_PARAM(firms, hire_adjust), .unit = "1/month", .def = of(0.25), .min = 0, .max = 1,
     .about = "share of the gap to desired employment posted as vacancies each month",
     .basis = "judgement"},
    {SECTION_PARAM(firms, layoff_adjust), .unit = "1/month", .def = of(0.05), .min = 0, .max = 1,
     .about = "share of the excess over desired employment laid off each month",
     .basis = "judgement: firms shed labour slower than they hire"},
    {SECTION_PARAM(firms, exit_hazard), .unit = "1/month", .def = of(0.002), .min = 0, .max = 1,
     .about = "monthly exogenous exit probability of a firm up to firms.reference_size employees",
     .basis = "judgement: about 2.4 % a year"},
    {SECTION_PARAM(firms, exit_size_elasticity), .unit = "1", .def = of(0.5), .min = 0, .max = 5,
     .about = "elasticity of the exit hazard to size above firms.reference_size: the hazard of a "
              "firm of L employees is exit_hazard (L / reference_size)^-elasticity",
     .basis = "judgement: exit rates fall with size (Evans 1987; Dunne, Roberts and Samuelson "
              "1989) but no cited figure fixes the slope; 0.5 makes a 1,000-employee firm exit "
              "a tenth as often as a small one and a 20,000-employee one a fiftieth, so one "
              "random exit of a giant no longer decides a run"},
    {SECTION_PARAM(firms, loss_months_exit), .unit = "months", .def = of(12), .min = 1, .max = 1000,
     .about = "consecutive loss-making months after which a firm exits", .basis = "judgement"},
    {SECTION_PARAM(firms, relocation_consider), .unit = "1/month", .def = of(0.1), .min = 0,
     .max = 1, .about = "monthly probability a firm reviews its location",
     .basis = "calibration: about 3 % of firms move a year (Tang et al. 2020); 2.7-3.9 % in the "
              "baseline's first three years at real-scale firm sizes"},
    {SECTION_PARAM(firms, reloc_beta_profit), .unit = "1/log TFP", .def = of(3.0), .min = 0,
     .max = 100, .about = "utility per unit of log expected TFP at the destination",
     .basis = "judgement"},
    {SECTION_PARAM(firms, reloc_beta_rent), .unit = "1/log mCNY", .def = of(1.0), .min = 0,
     .max = 100, .about = "disutility per unit of log rent",
     .basis = "study: land costs drive moves (Tang et al. 2020)"},
    {SECTION_PARAM(firms, reloc_beta_subsidy), .unit = "1/mCNY", .def = of(1.0), .min = 0,
     .max = 100, .about = "utility per mCNY of subsidy offered per worker place",
     .basis = "judgement"},
    {SECTION_PARAM(firms, reloc_beta_fit), .unit = "1/weight", .def = of(1.0), .min = 0, .max = 100,
     .about = "utility per unit of the zone's planned weight on the firm's sector",
     .basis = "judgement"},
    {SECTION_PARAM(firms, reloc_move_cost), .unit = "utility", .def = of(3.0), .min = 0, .max = 100,
     .about = "utility cost of moving a firm", .basis = "judgement"},
    {SECTION_PARAM(firms, reloc_beta_travel), .unit = "1/minute", .def = of(0.02), .min = 0,
     .max = 10, .about = "utility cost per minute of travel time of a move",
     .basis = "study: firms move to adjacent areas (Yao et al. 2025)"},
    {SECTION_PARAM(firms, paper_move_cost), .unit = "utility", .def = of(6.0), .min = 0, .max = 100,
     .about = "utility cost of a paper relocation: moving only the registration (tax and "
              "statistics) to another zone while activity, jobs and floor space stay",
     .basis = "judgement: a shell registration is cheap (Horgos: agent fee 22k CNY against about "
              "200k CNY of tax saved in year 1) but pays only where a package is on offer; set so "
              "that without packages paper moves are about a quarter of relocations"},
    {SECTION_PARAM(firms, project_rate), .unit = "1/month per initial firm", .def = of(0.006),
     .min = 0, .max = 1, .about = "incoming investment projects per month per initial firm",
     .basis = "calibration: settled projects about balance exits (about 7 % of the stock a year "
              "arrive)"},
    {SECTION_PARAM(firms, project_site_weight), .unit = "-", .def = of(1.0), .min = 0, .max = 5,
     .about = "weight of a zone's free floor space in a project's choice: the utility of zone z "
              "gains project_site_weight x nest_lambda x ln(free places / (run.scale x "
              "site_reference)); 0 compares zones by their conditions alone",
     .basis = "theory: a zone is an aggregate of N free sites with the same conditions, and in a "
              "nested logit the aggregate's share is N e^(V/lambda), i.e. V + lambda ln N "
              "(McFadden 1978, the aggregation of elemental alternatives); 1 is that rule. "
              "Without it a small zone drew as many projects as a large one (the core's firms "
              "+391 % in ten years against nevz's +1 %; 8,621 in Dec 2021 at scale 1 against "
              "3,600)"},
    {SECTION_PARAM(firms, site_reference), .unit = "worker places", .def = of(30000.0), .min = 1,
     .max = 1e9,
     .about = "free floor space at run.scale = 1 at which the site term of a project's zone "
              "utility is 0 (firms.project_site_weight)",
     .basis = "judgement: about the mean free floor per zone at month 0 at scale 1 (capacity less "
              "employment, 31,000 places in the baseline), so the term averages near 0 at the "
              "start and the outside option keeps its meaning; scaled by run.scale so the share "
              "of projects the region draws does not depend on the scale"},
    {SECTION_PARAM(firms, project_outside_utility), .unit = "utility", .def = of(0.0), .min = -100,
     .max = 100, .about = "utility of a project locating outside the region", .basis = "judgement"},
    {SECTION_PARAM(firms, nest_lambda), .unit = "-", .def = of(0.7), .min = 0.01, .max = 1,
     .about = "dissimilarity of the region's zones in the nested project choice (region vs "
              "outside, then zone); 1 is the flat logit",
     .basis = "judgement (docs/model.md section 14.4)"},
    {SECTION_PARAM(firms, project_size), .unit = "persons", .def = of(8.0), .min = 1, .max = 10000,
     .about = "desired initial employment of a new project (mean)", .basis = "judgement"},
    {SECTION_PARAM(firms, vat_rate), .unit = "share", .def = of(0.06), .min = 0, .max = 1,
     .about = "local tax as a share of value added",
     .basis = "fact: local half of VAT at 6-13 % (retention share unchecked)"},
    {SECTION_PARAM(firms, cit_rate), .unit = "share", .def = of(0.10), .min = 0, .max = 1,
     .about = "local tax as a share of profit",
     .basis = "fact: 25 % CIT x 40 % local share (retention share unchecked)"},

    // [labour]
    {SECTION_PARAM(labour, match_efficiency), .unit = "-", .def = of(0.6), .min = 0, .max = 10,
     .about = "mu in hires H = mu U^eta V^(1-eta)", .basis = "judgement"},
    {SECTION_PARAM(labour, match_elasticity), .unit = "-", .def = of(0.5), .min = 0.01, .max = 0.99,
     .about = "eta, elasticity of hires to seekers",
     .basis = "study: 0.5-0.7 (Petrongolo & Pissarides 2001)"},
    {SECTION_PARAM(labour, wage_adjust), .unit = "1/month", .def = of(0.02), .min = 0, .max = 1,
     .about = "monthly log wage change per unit of log tightness gap", .basis = "judgement"},
    {SECTION_PARAM(labour, target_tightness), .unit = "vacancies/seeker", .def = of(0.5),
     .min = 0.01, .max = 100, .about = "vacancies per seeker at which wages are stable",
     .basis = "judgement"},
    {SECTION_PARAM(labour, rent_adjust), .unit = "1/month", .def = of(0.03), .min = 0, .max = 1,
     .about = "monthly log rent change per unit of occupancy gap", .basis = "judgement"},
    {SECTION_PARAM(labour, target_occupancy), .unit = "share", .def = of(0.85), .min = 0.05,
     .max = 1, .about = "floor occupancy at which rents are stable",
     .basis = "judgement: structural vacancy of about 15 %"},

    // [land]
    {SECTION_PARAM(land, supply_occupancy), .unit = "share", .def = of(0.9), .min = 0.05, .max = 1,
     .about = "floor occupancy above which a zone's owners supply new floor space",
     .basis = "judgement: just above labour.target_occupancy, so rents rise before owners build"},
    {SECTION_PARAM(land, build_rate), .unit = "1/month", .def = of(0.01), .min = 0, .max = 1,
     .about = "floor supplied in a month, as a share of the zone's current capacity",
     .basis = "judgement: about 13 % a year, the pace of the science city's park building"},
    {SECTION_PARAM(land, buildable_share), .unit = "share", .def = of(0.1), .min = 0, .max = 1,
     .about = "share of a zone's area_km2 that can hold firm floor space (area 0: no limit)",
     .basis = "judgement: industrial and office land of about a tenth of a planned area"},
    {SECTION_PARAM(land, land_per_place), .unit = "m2", .def = of(20.0), .min = 0.1, .max = 1e4,
     .about = "land leased per worker place of floor space",
     .basis = "judgement: about 25 m2 of floor per worker at a plot ratio of 1.25"},
    {SECTION_PARAM(land, lease_price), .unit = "CNY/m2", .def = of(300.0), .min = 0, .max = 1e6,
     .about = "land-lease revenue per m2 of land supplied, earned by the zone's owners",
     .basis = "fact: Chengdu industrial land about CNY 253-319/m2 (2019-20, CALIBRATION-FACTS "
              "section 5)"},

    // [government]
    {SECTION_PARAM(government, decision_period), .unit = "months", .def = of(6), .min = 1,
     .max = 120, .about = "months between subsidy reviews",
     .basis = "fact: the leading group's six-month cadence"},
    {SECTION_PARAM(government, decision_lag), .unit = "months", .def = of(1), .min = 0, .max = 120,
     .about = "months before a reviewed offer takes effect", .basis = "judgement"},
    {SECTION_PARAM(government, zones_known), .unit = "probability", .def = of(0.5), .min = 0,
     .max = 1, .about = "probability a project learns of a zone (search friction)",
     .basis = "judgement"},
    {SECTION_PARAM(government, offer_step), .unit = "log points", .def = of(0.15), .min = 0,
     .max = 2, .about = "without role since strategic promotion (kept so files stay valid)",
     .basis = "judgement"},
    {SECTION_PARAM(government, offer_max), .unit = "mCNY/firm", .def = of(5.0), .min = 0,
     .max = 1e6, .about = "without role since strategic promotion (see instruments.settlement_max)",
     .basis = "judgement"},
    {SECTION_PARAM(government, spending_share), .unit = "share", .def = of(0.85), .min = 0,
     .max = 1, .about = "share of tax revenue spent outside investment promotion",
     .basis = "judgement"},
    {SECTION_PARAM(government, budget_cap_share), .unit = "share", .def = of(0.5), .min = 0,
     .max = 1, .about = "offers are cut while commitments exceed this share of the budget",
     .basis = "judgement"},
    {SECTION_PARAM(government, weight_gdp), .unit = "-", .def = of(0.5), .min = 0, .max = 1,
     .about = "score weight on own GDP growth", .basis = "judgement"},
    {SECTION_PARAM(government, weight_tax), .unit = "-", .def = of(0.5), .min = 0, .max = 1,
     .about = "score weight on own tax revenue growth", .basis = "judgement"},

    // [institutes]
    {SECTION_PARAM(institutes, researchers), .unit = "persons", .def = of(150.0), .min = 0,
     .max = 1e5, .about = "target researchers per institute",
     .basis = "fact: >6,000 high-level talents in the core over 20+ national institutes"},
    {SECTION_PARAM(institutes, hire_adjust), .unit = "1/month", .def = of(0.25), .min = 0, .max = 1,
     .about = "share of an institute's gap to its target posted as vacancies",
     .basis = "judgement"},
    {SECTION_PARAM(institutes, innovation_rate), .unit = "1/month", .def = of(0.005), .min = 0,
     .max = 100, .about = "iota: innovations per month = iota R^rho (1 + chi science)",
     .basis = "calibration: about one innovation per institute every two months"},
    {SECTION_PARAM(institutes, researcher_elasticity), .unit = "-", .def = of(0.8), .min = 0,
     .max = 2, .about = "rho: elasticity of innovations to researchers",
     .basis = "judgement: mildly decreasing returns"},
    {SECTION_PARAM(institutes, science_effect), .unit = "1/index point", .def = of(0.1), .min = 0,
     .max = 10, .about = "chi: innovation gain per science-infrastructure point",
     .basis = "judgement"},
    {SECTION_PARAM(institutes, transfer_base), .unit = "probability", .def = of(0.35), .min = 0,
     .max = 1, .about = "transfer probability of an innovation with full reach",
     .basis = "judgement"},
    {SECTION_PARAM(institutes, spinoff_share), .unit = "probability", .def = of(0.08), .min = 0,
     .max = 1, .about = "probability an innovation becomes a spin-off firm", .basis = "judgement"},
    {SECTION_PARAM(institutes, transfer_minutes), .unit = "minutes", .def = of(25.0), .min = 1,
     .max = 1000, .about = "travel time over which a transfer's reach falls by a factor e",
     .basis = "judgement: knowledge flows decay with distance"},
    {SECTION_PARAM(institutes, cross_sector_fit), .unit = "-", .def = of(0.3), .min = 0, .max = 1,
     .about = "weight of a firm of another sector as a transfer target (same sector = 1)",
     .basis = "judgement"},
    {SECTION_PARAM(institutes, transfer_gain), .unit = "share", .def = of(0.016), .min = 0,
     .max = 1, .about = "proportional TFP gain of a firm receiving a transfer",
     .basis = "study: +1.6 % productivity (Chen et al. 2021)"},
    {SECTION_PARAM(institutes, spinoff_premium), .unit = "share", .def = of(0.1), .min = -0.9,
     .max = 10, .about = "spin-off TFP relative to its sector mean", .basis = "judgement"},

    // [tax_sharing]
    {SECTION_PARAM(tax_sharing, start_month), .unit = "month", .def = of(-1), .min = -1, .max = 1e6,
     .about = "month the tax-sharing rule comes into force; -1 never", .basis = "convention"},
    {SECTION_PARAM(tax_sharing, pool_share), .unit = "share", .def = of(0.5), .min = 0, .max = 1,
     .about = "share of each zone's tax (or its increment) pooled and split by the formula",
     .basis = "fact: new revenue split 50:50 in the Sichuan-Chongqing pilots"},
    {SECTION_PARAM(tax_sharing, pool_basis), .unit = "-",
     .def = ParamDefault::choice(PoolBasis::incremental),
     .about = "pool all tax, or only the increment over the month before the start",
     .basis = "fact: stock revenue stays with the original jurisdiction"},
    {SECTION_PARAM(tax_sharing, formula), .unit = "-",
     .def = ParamDefault::choice(PoolFormula::equal),
     .about = "how the pool is split among jurisdictions", .basis = "fact: 50:50 split"},
    {SECTION_PARAM(tax_sharing, weights), .unit = "share", .def = ParamDefault::empty_table(),
     .min = 0, .max = 1e6, .keys = Entity::jurisdiction,
     .about = "pool weights per jurisdiction when formula = \"fixed\" (normalised)",
     .basis = "convention"},
    {SECTION_PARAM(tax_sharing, origin_share), .unit = "share", .def = of(0.5), .min = 0, .max = 1,
     .about = "share of a relocated firm's tax credited to the zone it left",
     .basis = "fact: Jing-Jin-Ji 50:50 origin/destination split"},
    {SECTION_PARAM(tax_sharing, origin_years), .unit = "years", .def = of(3.0), .min = 0,
     .max = 100, .about = "years after a move that the origin share lasts",
     .basis = "judgement: the Jing-Jin-Ji period was not checked"},
    {SECTION_PARAM(tax_sharing, origin_min_tax), .unit = "mCNY/month", .def = of(0.8333), .min = 0,
     .max = 1e6, .about = "monthly (local) tax a moved firm must pay for the origin split to apply",
     .basis = "fact: Jing-Jin-Ji applies to firms paying >= 20 m CNY a year of VAT, CIT and "
              "business tax; x 0.5, the local share of VAT (CALIBRATION-FACTS §4), as the "
              "model's tax is the local part: 20 x 0.5 / 12"},

    // [statistics_sharing]
    {SECTION_PARAM(statistics_sharing, start_month), .unit = "month", .def = of(-1), .min = -1,
     .max = 1e6, .about = "month the statistics-sharing rule comes into force; -1 never",
     .basis = "convention"},
    {SECTION_PARAM(statistics_sharing, pool_share), .unit = "share", .def = of(0.5), .min = 0,
     .max = 1, .about = "share of each zone's GDP (or its increment) pooled and split",
     .basis = "fact: economic indicators split by agreed ratios in the pilots"},
    {SECTION_PARAM(statistics_sharing, pool_basis), .unit = "-",
     .def = ParamDefault::choice(PoolBasis::incremental),
     .about = "pool all GDP, or only the increment over the month before the start",
     .basis = "fact: stock stays with the original jurisdiction"},
    {SECTION_PARAM(statistics_sharing, formula), .unit = "-",
     .def = ParamDefault::choice(PoolFormula::equal),
     .about = "how the pooled GDP is split among jurisdictions", .basis = "fact: 50:50 split"},
    {SECTION_PARAM(statistics_sharing, weights), .unit = "share",
     .def = ParamDefault::empty_table(), .min = 0, .max = 1e6, .keys = Entity::jurisdiction,
     .about = "pool weights per jurisdiction when formula = \"fixed\" (normalised)",
     .basis = "convention"},
    {SECTION_PARAM(statistics_sharing, origin_share), .unit = "share", .def = of(0.5), .min = 0,
     .max = 1, .about = "share of a relocated firm's GDP credited to the zone it left",
     .basis = "fact: Jing-Jin-Ji 50:50"},
    {SECTION_PARAM(statistics_sharing, origin_years), .unit = "years", .def = of(3.0), .min = 0,
     .max = 100, .about = "years after a move that the origin share lasts", .basis = "judgement"},
    {SECTION_PARAM(statistics_sharing, origin_min_tax), .unit = "mCNY/month", .def = of(0.0),
     .min = 0, .max = 1e6, .about = "monthly tax a moved firm must pay for the origin split",
     .basis = "convention"},

    // [joint_promotion]
    {SECTION_PARAM(joint_promotion, start_month), .unit = "month", .def = of(-1), .min = -1,
     .max = 1e6, .about = "month joint investment promotion starts; -1 never",
     .basis = "convention"},
    {SECTION_PARAM(joint_promotion, harmonised_offer), .unit = "mCNY/firm", .def = of(0.3),
     .min = 0, .max = 1e6,
     .about = "without role since strategic promotion: the joint office decides (model.md §14)",
     .basis = "judgement: below the baseline's 0.5"},
    {SECTION_PARAM(joint_promotion, fit_boost), .unit = "-", .def = of(3.0), .min = 0, .max = 100,
     .about = "multiplier on the fit weight when leads are steered to the best-fitting zone",
     .basis = "judgement"},
    {SECTION_PARAM(joint_promotion, finder_share), .unit = "share", .def = of(0.2), .min = 0,
     .max = 1,
     .about = "share of a new firm's tax and GDP credited to the jurisdiction that found it",
     .basis = "fact: first-introducer rewards in county rules; ratio judgement"},
    {SECTION_PARAM(joint_promotion, finder_years), .unit = "years", .def = of(3.0), .min = 0,
     .max = 100, .about = "years the finder's share lasts", .basis = "judgement"},
    {SECTION_PARAM(joint_promotion, subsidise_relocations), .unit = "-",
     .def = ParamDefault::boolean(false),
     .about = "true: moves within the region still receive the offer; false: no poaching",
     .basis = "judgement: one database ends bidding for neighbours' firms"},
    {SECTION_PARAM(joint_promotion, search), .unit = "-", .def = ParamDefault::boolean(true),
     .about = "true: one database shows projects every zone; false: government.zones_known stays",
     .basis = "judgement: a switch to measure the part alone (docs/policies.md)"},
    {SECTION_PARAM(joint_promotion, office), .unit = "-", .def = ParamDefault::boolean(true),
     .about = "true: a joint office sets one package line for every zone; false: each partner "
              "promotes its own zones",
     .basis = "judgement: a switch to measure the part alone (docs/policies.md)"},

    // [assessment]
    {SECTION_PARAM(assessment, start_month), .unit = "month", .def = of(-1), .min = -1, .max = 1e6,
     .about = "month integrated assessment replaces government.weight_*; -1 never",
     .basis = "convention"},
    {SECTION_PARAM(assessment, own_gdp), .unit = "-", .def = of(0.25), .min = 0, .max = 1,
     .about = "score weight on own GDP growth", .basis = "judgement"},
    {SECTION_PARAM(assessment, own_tax), .unit = "-", .def = of(0.25), .min = 0, .max = 1,
     .about = "score weight on own tax growth", .basis = "judgement"},
    {SECTION_PARAM(assessment, region_gdp), .unit = "-", .def = of(0.25), .min = 0, .max = 1,
     .about = "score weight on science-city GDP growth", .basis = "judgement"},
    {SECTION_PARAM(assessment, region_tax), .unit = "-", .def = of(0.25), .min = 0, .max = 1,
     .about = "score weight on science-city tax growth", .basis = "judgement"},

    // [core_traction]
    {SECTION_PARAM(core_traction, start_month), .unit = "month", .def = of(-1), .min = -1,
     .max = 1e6, .about = "month the unified platform and shared science platforms start; -1 never",
     .basis = "convention"},
    {SECTION_PARAM(core_traction, platform_boost), .unit = "share", .def = of(0.5), .min = 0,
     .max = 10, .about = "proportional rise of transfer odds of the core's innovations",
     .basis = "judgement"},
    {SECTION_PARAM(core_traction, travel_relief), .unit = "share", .def = of(0.5), .min = 0,
     .max = 1,
     .about = "share of travel time that no longer hinders the core's transfers and the reach of "
              "its researchers",
     .basis = "judgement"},
    {SECTION_PARAM(core_traction, platform_access), .unit = "share", .def = of(0.5), .min = 0,
     .max = 1,
     .about = "share of the core's institute researchers open to firms through shared "
              "platforms",
     .basis = "judgement: the core has 43 university-institute-local platforms and 6 "
              "cross-disciplinary platforms beside 20+ national institutes (REAL-WORLD-FACTS), "
              "about two per institute; half of the research capacity open to firms, no usage "
              "figure found"},
    {SECTION_PARAM(core_traction, spillover_elasticity), .unit = "-", .def = of(0.1), .min = 0,
     .max = 1,
     .about = "elasticity of firms' TFP in the core's open researchers reachable (1 + access)",
     .basis = "judgement: R&D spillover elasticities of TFP with respect to an outside knowledge "
              "pool are positive and below the own-R&D elasticity; Bloom, Schankerman and Van "
              "Reenen (2013) find technology spillovers dominate (social returns about twice the "
              "private ones), coefficient not retrieved; sweep 0.05-0.2"},

    // [park_city]
    {SECTION_PARAM(park_city, start_month), .unit = "month", .def = of(-1), .min = -1, .max = 1e6,
     .about = "month amenity investment starts; -1 never", .basis = "convention"},
    {SECTION_PARAM(park_city, spending), .unit = "mCNY/month", .def = ParamDefault::empty_table(),
     .min = 0, .max = 1e6, .keys = Entity::zone,
     .about = "amenity investment per zone at scale 1, paid by its owners", .basis = "judgement"},
    {SECTION_PARAM(park_city, cost_per_point), .unit = "mCNY", .def = of(600.0), .min = 1e-6,
     .max = 1e9, .about = "investment (at scale 1) that adds one amenity index point",
     .basis = "judgement"},
    {SECTION_PARAM(park_city, depreciation), .unit = "1/month", .def = of(0.005), .min = 0,
     .max = 1, .about = "monthly loss of the amenity built", .basis = "judgement"},
    {SECTION_PARAM(park_city, max_amenity), .unit = "index", .def = of(10.0), .min = 0, .max = 10,
     .about = "cap on a zone's amenity index", .basis = "convention: the index scale"},

    // [cadence]
    {SECTION_PARAM(cadence, start_month), .unit = "month", .def = of(-1), .min = -1, .max = 1e6,
     .about = "month the new decision cadence replaces government.decision_*; -1 never",
     .basis = "convention"},
    {SECTION_PARAM(cadence, decision_period), .unit = "months", .def = of(1), .min = 1, .max = 120,
     .about = "months between reviews once in force", .basis = "fact: monthly joint meetings"},
    {SECTION_PARAM(cadence, decision_lag), .unit = "months", .def = of(0), .min = 0, .max = 120,
     .about = "months before a reviewed offer takes effect once in force", .basis = "judgement"},

    // [fair_competition]
    {SECTION_PARAM(fair_competition, start_month), .unit = "month", .def = of(-1), .min = -1,
     .max = 1e6,
     .about = "month the fair-competition review bans subsidies for moves within the region; -1 "
              "never",
     .basis = "fact: 2024 fair-competition review (fair-competition.toml: month 43, Aug 2024)"},

};

constexpr std::array<std::string_view, 4> kEntityGroups = {"zone", "sector", "skill",
                                                           "jurisdiction"};
constexpr std::array<std::string_view, 4> kEntityLists = {"zones", "sectors", "skills",
                                                          "jurisdictions"};

}  // namespace

std::string_view entity_group(Entity entity) {
  return entity == Entity::none ? std::string_view{} : kEntityGroups[entity_slot(entity)];
}

std::string_view entity_list(Entity entity) {
  return entity == Entity::none ? std::string_view{} : kEntityLists[entity_slot(entity)];
}

Entity entity_of_group(std::string_view group) {
  for (Entity entity : kEntities) {
    if (entity_group(entity) == group) return entity;
  }
  return Entity::none;
}

std::string ParamSpec::key() const {
  if (group.empty()) return std::string(field);
  if (group == "travel_minutes") return "travel_minutes.<from>.<to>";
  if (entity() != Entity::none) return std::string(group) + ".<name>." + std::string(field);
  return std::string(group) + "." + std::string(field);
}

std::span<const ParamSpec> param_registry() {
  // Section keys, then the promotion sections, then the entity tables (each in its own file so no
  // file outgrows the house limit); one vector built once, in that order.
  static const std::vector<ParamSpec> all = [] {
    std::vector<ParamSpec> v(std::begin(kSectionParams), std::end(kSectionParams));
    for (auto part : {promotion_params(), entity_params()})
      v.insert(v.end(), part.begin(), part.end());
    return v;
  }();
  return all;
}

const ParamSpec* find_param(std::string_view group, std::string_view field) {
  for (const ParamSpec& spec : param_registry()) {
    if (spec.group == group && spec.field == field) return &spec;
  }
  return nullptr;
}

std::vector<std::string_view> param_fields(std::string_view group) {
  std::vector<std::string_view> fields;
  for (const ParamSpec& spec : param_registry()) {
    if (spec.group == group) fields.push_back(spec.field);
  }
  return fields;
}

std::vector<std::string_view> param_groups() {
  std::vector<std::string_view> groups;
  for (const ParamSpec& spec : param_registry()) {
    if (std::find(groups.begin(), groups.end(), spec.group) == groups.end()) {
      groups.push_back(spec.group);
    }
  }
  return groups;
}

std::vector<std::string_view> top_level_keys() {
  std::vector<std::string_view> keys = param_fields("");
  for (std::string_view group : param_groups()) {
    if (!group.empty()) keys.push_back(group);
  }
  return keys;
}

}  // namespace regionsim
