// A scenario parsed, merged (extends + --set overrides) and validated once, then frozen: the
// simulation only ever reads this value. Units and ranges of every field live in the parameter
// registry (engine/src/param_registry.cpp), which is also the single source of defaults, of
// `regionsim params` and of docs/parameters.md. Every part compares by value (`==`), so two
// scenarios, or one lever of two scenarios, can be told apart without their TOML.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "regionsim/limits.hpp"

namespace regionsim {

struct ZoneSpec {
  std::string name;
  double area_km2 = 0;          // planned area; informative, recorded as a coordinate attribute
  double floor_capacity = 0;    // firm floor space in worker places, at scale 1
  double housing_capacity = 0;  // residents (talent) the zone houses comfortably, at scale 1
  double amenity = 0;           // park-city amenity index
  double science = 0;           // science-infrastructure index (labs, facilities, platforms)
  double initial_firms = 0;     // firms present at month 0, at scale 1
  double initial_rent = 0;      // mCNY per worker place per month at month 0
  double wage_index = 1;        // initial zone wage level relative to the skill base wage
  std::vector<double> specialisation;  // planned weight per sector (normalised to sum 1)
  std::vector<double> ownership;       // share per jurisdiction, sums to 1
  double institutes = 0;               // research institutes at month 0, at scale 1

  bool operator==(const ZoneSpec&) const = default;
};

struct SectorSpec {
  std::string name;
  double productivity = 0;     // mean TFP A: mCNY of value added per month per worker^alpha
  double entry_weight = 0;     // share of incoming investment projects in this sector
  double hte_share = 0;        // share of the sector's firms with high-tech status at month 0
  std::vector<double> inputs;  // inputs[s'] = input-output coefficient a(s' -> this sector)

  bool operator==(const SectorSpec&) const = default;
};

struct SkillSpec {
  std::string name;
  double share = 0;      // share of talent with this skill (at start and among arrivals)
  double base_wage = 0;  // mCNY per month at zone wage index 1

  bool operator==(const SkillSpec&) const = default;
};

struct JurisdictionSpec {
  std::string name;
  double initial_budget = 0;  // mCNY at month 0, at scale 1
  double initial_offer = 0;   // without role since strategic promotion (kept parsed)
  double debt_limit = -1;     // mCNY at scale 1 the budget may fall below zero; -1: half the
                              // initial budget

  bool operator==(const JurisdictionSpec&) const = default;
};

// Roles some listed entities play, named in [region] rather than implied by list position.
struct RegionRoles {
  ZoneIndex core_zone = 0;        // the core: core traction boosts the transfers of its institutes
  SkillIndex research_skill = 0;  // the skill research institutes employ

  bool operator==(const RegionRoles&) const = default;
};

struct RunParams {
  std::int64_t steps = 0;  // months simulated
  std::uint64_t seed = 0;
  double scale = 0;        // multiplies every population and capacity
  std::string start_date;  // ISO date of month 0, e.g. 2021-01-01

  bool operator==(const RunParams&) const = default;
};

struct TalentParams {
  double per_firm_initial = 0;     // talent per firm at month 0
  double initial_seeking = 0;      // share seeking a job at month 0
  double reconsider_employed = 0;  // monthly probability an employed person reviews its zone
  double reconsider_seeking = 0;   // same for a seeker
  double beta_wage = 0;            // utility per unit log wage
  double beta_amenity = 0;         // utility per amenity point
  double beta_congestion = 0;      // disutility per unit of housing occupancy (residents/capacity)
  double beta_jobs = 0;            // utility per unit of job-finding probability
  double move_cost = 0;            // utility cost of any move between zones
  double beta_travel = 0;          // utility cost per minute of travel time of a move
  double leave_employed = 0;       // monthly hazard of leaving the region, employed
  double leave_seeking = 0;        // monthly hazard of leaving the region, seeking
  double arrival_rate = 0;         // monthly arrivals as a share of the initial talent stock
  double arrival_elasticity = 0;   // elasticity of arrivals to the region's attractiveness
  double vacancy_arrivals = 0;     // monthly arrivals per unfilled vacancy that has floor space

  bool operator==(const TalentParams&) const = default;
};

struct FirmParams {
  double alpha = 0;                    // labour elasticity of output
  double productivity_growth = 0;      // nominal growth of productivity a year (common trend)
  double agglomeration = 0;            // elasticity of TFP to same-sector employment in the zone
  double io_strength = 0;              // TFP gain per unit of input-output access
  double spillover = 0;                // TFP gain per unit of travel-decayed science infrastructure
  double decay_minutes = 0;            // travel time over which access and spillovers fall by e
  double size_tail_index = 0;          // Pareto index of the firm-size CCDF above size_tail_min
  double size_tail_min = 0;            // employees where the Pareto tail starts
  double size_max = 0;                 // largest firm size drawn (truncation of the tail)
  double reference_size = 0;           // size the sector productivity parameters are set for
  double hire_adjust = 0;              // share of the gap to desired employment posted as vacancies
  double layoff_adjust = 0;            // share of the excess over desired employment laid off
  double exit_hazard = 0;              // monthly exogenous exit probability up to reference_size
  double exit_size_elasticity = 0;     // fall of the hazard with size above reference_size
  std::int64_t loss_months_exit = 0;   // consecutive loss months after which a firm exits
  double relocation_consider = 0;      // monthly probability a firm reviews its location
  double reloc_beta_profit = 0;        // utility per unit of log expected TFP at the destination
  double reloc_beta_rent = 0;          // disutility per unit of log rent
  double reloc_beta_subsidy = 0;       // utility per mCNY of subsidy offered per worker place
  double reloc_beta_fit = 0;           // utility per unit of planned specialisation weight
  double reloc_move_cost = 0;          // utility cost of moving (per firm)
  double reloc_beta_travel = 0;        // utility cost per minute of travel time of a move
  double paper_move_cost = 0;          // utility cost of moving only the registration
  double project_rate = 0;             // incoming investment projects per month per initial firm
  double project_outside_utility = 0;  // utility of locating outside the region
  double project_site_weight = 0;      // weight of ln(free floor) in a project's zone utility
  double site_reference = 1;           // free places at scale 1 where that term is 0
  double nest_lambda = 1;              // nested-logit dissimilarity of the region's zones (0, 1]
  double project_size = 0;             // desired initial employment of a new project (mean)
  double vat_rate = 0;                 // local tax share of value added
  double cit_rate = 0;                 // local tax share of profit
  double hte_cit_factor = 0;           // CIT of a high-tech enterprise relative to others
  double hte_certification = 0;        // monthly certification rate per unit of sector HTE share

  bool operator==(const FirmParams&) const = default;
};

struct LabourParams {
  double match_efficiency = 0;  // mu in H = mu U^eta V^(1-eta)
  double match_elasticity = 0;  // eta
  double wage_adjust = 0;       // monthly log wage change per unit log tightness gap
  double target_tightness = 0;  // vacancies per seeker at which wages are stable
  double rent_adjust = 0;       // monthly log rent change per unit occupancy gap
  double target_occupancy = 0;  // floor occupancy at which rents are stable

  bool operator==(const LabourParams&) const = default;
};

// Firm floor space as land (docs/model.md §3.2): a zone's capacity grows only when its owners
// supply new floor, which they do while occupancy is above a trigger, at a build rate, up to the
// zone's buildable land; each supply earns them land-lease revenue.
struct LandParams {
  double supply_occupancy = 0;  // floor occupancy above which the owners supply new floor
  double build_rate = 0;        // monthly supply as a share of the zone's current capacity
  double buildable_share = 0;   // share of the zone's area_km2 that can hold firm floor space
  double land_per_place = 0;    // m2 of land per worker place of floor
  double lease_price = 0;       // CNY per m2 of land leased (industrial land)

  bool operator==(const LandParams&) const = default;
};

struct GovernmentParams {
  std::int64_t decision_period = 0;  // months between subsidy reviews
  std::int64_t decision_lag = 0;     // months before a reviewed offer takes effect
  double zones_known = 0;            // probability a project learns of a zone (search friction)
  double offer_step = 0;             // log step of an offer change per review
  double offer_max = 0;              // cap on one offer, mCNY per firm
  double spending_share = 0;         // share of tax revenue spent outside promotion
  double budget_cap_share = 0;       // offers are cut while commitments exceed this budget share
  double weight_gdp = 0;             // score weight on own GDP growth
  double weight_tax = 0;             // score weight on own tax growth
  double tournament = 0;             // weight of own GDP growth relative to the peers' mean
  std::int64_t horizon_months = 36;  // months ahead the promoters' leaders weigh fully
  double beyond_horizon_weight = 0;  // weight of payments after the horizon
  double budget_weight = 1;          // score cost of a mCNY spent, in mCNY of own tax

  bool operator==(const GovernmentParams&) const = default;
};

struct InstituteParams {
  double researchers = 0;            // target researchers per institute
  double hire_adjust = 0;            // share of the gap to the target posted as vacancies monthly
  double innovation_rate = 0;        // iota in lambda = iota R^rho (1 + chi science)
  double researcher_elasticity = 0;  // rho
  double science_effect = 0;         // chi, per science index point
  double transfer_base = 0;          // transfer probability with full reach and no platform
  double spinoff_share = 0;          // probability an innovation becomes a spin-off firm
  double transfer_minutes = 0;       // travel time over which transfer reach falls by e
  double cross_sector_fit = 0;       // weight of a firm of another sector as a transfer target
  double transfer_gain = 0;          // proportional TFP gain of a firm receiving a transfer
  double spinoff_premium = 0;        // spin-off TFP relative to its sector mean

  bool operator==(const InstituteParams&) const = default;
};

// The choices of a sharing rule. In TOML they are the words of the parameter registry's
// `choices` (engine/src/param_registry.hpp maps each word to its value, in this order).
enum class PoolBasis {
  all,          // every zone's whole amount
  incremental,  // only the increment over the month before the rule starts
};
enum class PoolFormula {
  ownership,   // by the land each jurisdiction owns
  equal,       // equal shares
  population,  // by the residents of the land each owns
  fixed,       // by the rule's weights
};

// A tax- or statistics-sharing rule: part of each zone's amount is pooled and split by a formula,
// and a relocated firm's amount is split between origin and destination for some years.
struct SharingRule {
  std::int64_t start_month = -1;  // -1: never in force
  double pool_share = 0;          // share of each zone's amount (or increment) that is pooled
  PoolBasis pool_basis = PoolBasis::incremental;
  PoolFormula formula = PoolFormula::equal;  // how the pooled amount is split
  std::vector<double> weights;               // per jurisdiction, for PoolFormula::fixed
  double origin_share = 0;    // share of a relocated firm's amount credited to its origin
  double origin_years = 0;    // years after the move the origin share lasts
  double origin_min_tax = 0;  // mCNY/month of tax a firm must pay to qualify for the split

  bool operator==(const SharingRule&) const = default;
};

struct JointPromotion {
  std::int64_t start_month = -1;
  double harmonised_offer = 0;  // one offer line for every jurisdiction and sector, mCNY/firm
  double fit_boost = 0;         // multiplier on the fit weight when steering leads
  double finder_share = 0;      // share of a new firm's tax and GDP credited to its finder
  double finder_years = 0;      // years the finder's share lasts
  bool subsidise_relocations = false;  // moves within the region still get the offer
  // Parts that can be switched off one at a time (docs/policies.md, joint promotion's parts).
  bool search = true;  // one database: projects know every zone
  bool office = true;  // a joint office sets one harmonised package line for every zone

  bool operator==(const JointPromotion&) const = default;
};

// How many management committees separation sets up: one for the whole remit, or one per zone.
enum class CommitteeMode {
  science_city,  // one committee for every zone in the remit
  per_zone,      // one committee per zone in the remit (a co-built zone's own committee)
};

// A management committee under economic/administrative separation (docs/model.md §14.8): from its
// start month it sets the promotion instruments of the zones in its remit to maximise the remit's
// combined score, paid for by the owning jurisdictions in the funding shares. Land, housing and
// amenity stay with the administrative jurisdictions.
struct CommitteeRule {
  std::int64_t start_month = -1;  // -1: never
  std::vector<double> remit;      // per zone, 1 in the remit, 0 not; empty: every zone
  CommitteeMode mode = CommitteeMode::science_city;
  std::vector<double> funding;  // per jurisdiction (normalised); empty: land shares of the remit

  bool operator==(const CommitteeRule&) const = default;
};

// The forms of the promotion instruments (instruments.hpp): the staged refund of the local fiscal
// contribution, the rent discount's duration, the cap on the settlement subsidy, discounting.
struct InstrumentParams {
  double refund_share_1 = 0, refund_years_1 = 0;  // first stage of the refund template
  double refund_share_2 = 0, refund_years_2 = 0;  // second stage
  double rent_years = 0;                          // how long a rent discount lasts
  double settlement_max = 0;                      // cap on the settlement subsidy, mCNY/firm
  double firm_discount_rate = 0;                  // a year, firms' view of a package
  double government_discount_rate = 0;            // a year, governments' view of its cost

  bool operator==(const InstrumentParams&) const = default;
};

struct Assessment {
  std::int64_t start_month = -1;
  double own_gdp = 0, own_tax = 0, region_gdp = 0, region_tax = 0;  // score weights
  double tournament = 0;  // tournament weight under integrated assessment

  bool operator==(const Assessment&) const = default;
};

struct CoreTraction {
  std::int64_t start_month = -1;
  double platform_boost = 0;   // proportional rise of transfer odds from the core's institutes
  double travel_relief = 0;    // share of travel time that no longer hinders transfers (and the
                               // reach of the core's researchers)
  double platform_access = 0;  // share of the core's researchers open to firms via platforms
  double spillover_elasticity = 0;  // elasticity of TFP in the open researchers reachable

  bool operator==(const CoreTraction&) const = default;
};

struct ParkCity {
  std::int64_t start_month = -1;
  std::vector<double> spending;  // per zone, mCNY per month at scale 1, paid by the owners
  double cost_per_point = 0;     // mCNY (at scale 1) per amenity index point
  double depreciation = 0;       // monthly loss of the amenity built
  double max_amenity = 0;        // cap on a zone's amenity index

  bool operator==(const ParkCity&) const = default;
};

struct Cadence {
  std::int64_t start_month = -1;
  std::int64_t decision_period = 0;  // months between reviews once in force
  std::int64_t decision_lag = 0;

  bool operator==(const Cadence&) const = default;
};

// The 2024 fair-competition review: from its start month no subsidy may target relocations
// within the region, and no refund may be linked to tax paid (docs/model.md §14.2): promoters
// cannot offer them and payments on contracts that carry them stop.
struct FairCompetition {
  std::int64_t start_month = -1;  // -1: never

  bool in_force(std::int64_t month) const { return start_month >= 0 && month >= start_month; }

  bool operator==(const FairCompetition&) const = default;
};

struct Scenario {
  std::string name;
  std::string source_file;                 // the file given on the command line
  std::vector<std::string> extends_chain;  // files merged, base first
  std::string resolved_toml;               // the fully merged scenario as TOML text

  RunParams run;
  RegionRoles region;
  TalentParams talent;
  FirmParams firms;
  LabourParams labour;
  LandParams land;
  GovernmentParams government;
  InstrumentParams instruments;
  InstituteParams institutes;
  SharingRule tax_sharing;
  SharingRule statistics_sharing;
  JointPromotion joint_promotion;
  Assessment assessment;
  CoreTraction core_traction;
  ParkCity park_city;
  Cadence cadence;
  FairCompetition fair_competition;
  CommitteeRule committee;

  std::vector<ZoneSpec> zones;
  std::vector<SectorSpec> sectors;
  std::vector<SkillSpec> skills;
  std::vector<JurisdictionSpec> jurisdictions;
  std::vector<std::vector<double>> travel_minutes;  // [from zone][to zone]

  // The governance levers: sections that act only from their start_month on. Arms of an
  // experiment that differ only in levers share a warm-up until the first differing lever starts
  // (common_prefix_months); a new lever section is added here.
  auto levers() const {
    return std::tie(tax_sharing, statistics_sharing, joint_promotion, assessment, core_traction,
                    park_city, cadence, fair_competition, committee);
  }
  auto levers() {
    return std::tie(tax_sharing, statistics_sharing, joint_promotion, assessment, core_traction,
                    park_city, cadence, fair_competition, committee);
  }

  bool operator==(const Scenario&) const = default;
};

}  // namespace regionsim
