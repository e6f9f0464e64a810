// Everything a run carries from one month to the next: the agent stores, the zone-level
// aggregates through which agents interact, prices, and the jurisdictions' books. Zone, sector,
// skill and jurisdiction tables are small and dense; matrix work uses Eigen.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

#include "agent_stores.hpp"
#include "firm_size.hpp"
#include "grid.hpp"
#include "money.hpp"
#include "promotion_state.hpp"
#include "regionsim/scenario.hpp"
#include "regionsim/shard.hpp"
#include "regionsim/step_outputs.hpp"
#include "rng.hpp"

namespace regionsim {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXd;

// Constant tables derived once from the scenario.
struct RegionTables : Extents {
  Matrix travel;          // Z x Z minutes
  Matrix decay;           // Z x Z exp(-travel / decay_minutes)
  Matrix io;              // S x S, io(s', s) = input coefficient of supplier s' in user s
  Matrix ownership;       // Z x J shares
  Matrix specialisation;  // Z x S planned weights (rows sum to 1)
  Vector floor_capacity, housing_capacity, base_amenity, science;  // Z, capacities scaled
  Vector floor_limit;  // Z worker places the buildable land holds, scaled (inf: area unknown)
  Vector base_wage;    // K
  Vector skill_share;  // K
  Vector sector_tfp, sector_entry;  // S
  Vector sector_hte;                // S: share of high-tech enterprises at month 0
  Vector spillover;                 // Z: 1 + spillover * sum_z' decay(z,z') science(z')
  FirmSizeDistribution firm_size;   // desired sizes of new firms (firm_size.hpp)
};

// Reference levels measured on the month-0 population (initialise): location multipliers average
// 1 at the start, so a sector's productivity parameter is the TFP of an average location in month
// 0; rents, arrivals and projects are scaled to the region as it started.
struct Calibration {
  Matrix agglomeration_ref;      // 1 x S: mean initial employment per zone of each sector (+1)
  double rent_ref = 1.0;         // initial employment-weighted mean rent, mCNY per worker place
  double multiplier_norm = 1.0;  // initial employment-weighted mean location multiplier
  std::int64_t initial_talent = 0;
  std::int64_t initial_firms = 0;
  Grid<double, dim::Skill, dim::Sector> arrival_index0;  // attractiveness at month 0
};

// Zone-level aggregates and prices: the only channel between agents.
struct ZoneFields {
  ZoneSector<std::int64_t> employment;  // start of month
  ZoneSector<std::int64_t> firm_count;
  PerZone<std::int64_t> residents;    // talent living there
  PerZone<std::int64_t> employed;     // firm employees living there
  PerZone<std::int64_t> researchers;  // employed by institutes
  Matrix multiplier;      // Z x S location TFP multiplier (agglomeration, input-output, spillovers)
  Vector wage_index;      // Z
  Matrix wage;            // Z x K mCNY per month
  Vector rent;            // Z mCNY per worker place per month
  Vector floor_capacity;  // Z worker places, grown only by the owners' supply (land.cpp)
  Vector floor_occupancy;    // Z employment / floor capacity
  Vector housing_occupancy;  // Z residents / housing capacity
  Matrix job_rate;           // Z x S hires per seeker last month
  Vector tightness;          // Z vacancies per seeker last month
  Matrix offer;              // Z x S value to an incoming project of the zone's package for outside
                             // projects, mCNY (firm view, project size class)
  std::vector<OfferPackage> package;  // Z x S x target: the packages in force in each zone
  std::vector<double> package_payer;  // Z x J: who pays for the zone's packages
  std::vector<double> within_value;   // Z x S x class: value of the within package to a mover
  std::vector<double> paper_value;    // Z x S x class: the same to a firm moving only its
                                      // registration (no floor space there: no rent discount)
  std::vector<std::uint8_t> committee_zone;  // Z: 1 if a separation committee sets its packages
  Vector amenity;        // Z: base amenity plus what park-city investment has built
  Vector amenity_built;  // Z: the built part, depreciating
};

struct Jurisdictions {
  Matrix offer;          // J x S settlement subsidy for outside projects in force, mCNY per firm
  Matrix pending_offer;  // J x S without role since strategic promotion (initial_population)
  std::int64_t pending_from = -1;
  std::vector<Money> budget;
  std::vector<double> direction;   // without role since strategic promotion
  std::vector<double> last_score;  // without role since strategic promotion
  std::vector<Money> period_gdp, period_tax, prev_period_gdp, prev_period_tax;
  std::vector<Money> period_subsidies;
  Money region_period_gdp = 0, region_period_tax = 0;
  Money region_prev_period_gdp = 0, region_prev_period_tax = 0;
  std::vector<double> score;      // the latest review's score, held between reviews
  std::int64_t last_review = -1;  // month of the latest review
  // Amounts of the month before a sharing rule starts: the base of "incremental" pooling.
  std::vector<Money> tax_base_z, gdp_base_z;
  std::vector<Money> prev_credit_tax_z, prev_credit_gdp_z;  // last month's credited amounts
  Money cumulative_subsidies = 0;                           // since month 0, for cost per firm
  Promotion promotion;  // packages, decisions and contracts (promotion_state.hpp)
};

// Global counters new agents and events take their ids from, in a fixed order.
struct NextIds {
  AgentId talent = 0;
  AgentId firm = 0;
  AgentId project = 0;
  AgentId innovation = 0;
};

struct ModelState {
  Scenario scenario;
  RegionTables tables;
  Calibration calibration;
  Rng rng;
  std::int64_t month = 0;  // next month to simulate
  NextIds ids;
  TalentStore talent;
  FirmStore firms;
  InstituteStore institutes;
  ZoneFields fields;
  Jurisdictions gov;
  StepOutputs last;  // the previous month's record (stocks for the accounting checks)
  // A sharded run's other shards (regionsim/shard.hpp): `talent` then holds this shard's people
  // only. Not owned, not part of a checkpoint; nullptr: the whole run is in this process.
  ShardComm* shard = nullptr;

  explicit ModelState(const Scenario& s) : scenario(s), rng(s.run.seed) {}
};

}  // namespace regionsim
