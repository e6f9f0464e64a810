// The monthly phases, in the order simulation.cpp runs them:
//   aggregate -> prices and fields -> firm decisions -> talent decisions -> matching ->
//   entries and exits -> government -> record.
// Each phase reads zone-level aggregates and writes only its own agents' slots, plus integer
// flows into the month's scratch (StepFlows).
#pragma once

#include <cstdint>
#include <vector>

#include "model_state.hpp"

namespace regionsim {

// Flows of one month, all integers (counts, yuan), dense row-major.
struct StepFlows {
  std::vector<std::int64_t> entries_zs, exits_zs, output_zs, subsidy_zs;  // Z x S
  std::vector<std::int64_t> firm_moves_zzs;                               // Z x Z x S
  std::vector<std::int64_t> talent_moves_zzk;                             // Z x Z x K
  std::vector<std::int64_t> arrivals_zk, departures_zk;                   // Z x K
  std::vector<std::int64_t> tax_z;                                        // Z
  std::vector<std::int64_t> hires_zs, seekers_zs, vacancies_zs;           // Z x S
  std::vector<std::int64_t> spinoffs_zs;                                  // Z x S
  std::vector<std::int64_t> innovations_z, institute_hires_z;             // Z
  std::vector<std::int64_t> transfers_zz;                                 // Z x Z
  // Tax and GDP as credited to zones after origin splits, and directly to finders (yuan).
  std::vector<Money> credit_tax_z, credit_gdp_z, finder_tax_j, finder_gdp_j;
  std::vector<Money> amenity_spending_j;                                    // J
  std::vector<Money> tax_attributed_j, gdp_attributed_j, subsidies_paid_j;  // J
  std::vector<Money> subsidies_received_z;                                  // Z
  std::vector<std::int32_t> emp_skill;     // firm x K, employed talent counted from talent side
  std::vector<std::int64_t> employer_idx;  // talent -> firm index, -1 if seeking
  std::vector<std::int32_t> firm_slot;     // firm id -> index in the store this month, -1 if none

  void reset(const RegionTables& t);
};

// Builds the constant tables and the month-0 population.
void initialise(ModelState& s);

// Runs one month's phases, aggregate to government, leaving the flows in `f` and s.month
// unchanged (the caller records and advances). `check_counts` verifies each firm's maintained
// employee count right after aggregation.
void simulate_month(ModelState& s, StepFlows& f, bool check_counts = false);

void aggregate(ModelState& s, StepFlows& f);
void update_fields(ModelState& s, const StepFlows& f);
void firm_decisions(ModelState& s, StepFlows& f);
void talent_decisions(ModelState& s, StepFlows& f);
void match_labour(ModelState& s, StepFlows& f);
// Institutes hire researchers, innovate, transfer innovations to firms or spin them off.
void institutes_innovate(ModelState& s, StepFlows& f);
// Transfer probability of an innovation of `sector` made in zone z; fills the weight of each
// receiving zone x sector cell.
double transfer_odds(const ModelState& s, std::size_t z, std::size_t sector,
                     std::vector<double>& cell_weights);
void entries_and_exits(ModelState& s, StepFlows& f);
void government(ModelState& s, StepFlows& f);
// Park-city investment of the month (part of the government phase).
void invest_in_amenities(ModelState& s, StepFlows& f);
StepOutputs record(const ModelState& s, const StepFlows& f);
StepOutputs record_stocks(const ModelState& s);  // stocks only, for the initial state

// Accounting identities between two consecutive records and the month's flows. Throws
// AccountingError naming the month, the identity and both sides.
void check_accounting(const ModelState& s, const StepOutputs& before, const StepOutputs& after,
                      const StepFlows& f);

// Spending of a jurisdiction outside investment promotion, out of the tax attributed to it.
Money other_spending(const ModelState& s, Money tax_attributed);

// Each firm's maintained employee count against a recount from the talent side (after aggregate).
void check_employee_counts(const ModelState& s, const StepFlows& f);

// Utility of zone z to a person of skill k and field s (without the moving terms), shared by the
// talent zone choice and the arrival attractiveness.
double talent_zone_utility(const ModelState& s, std::size_t z, std::size_t k, std::size_t sector);
// Spending of a jurisdiction outside investment promotion, out of the tax attributed to it.
Money other_spending(const ModelState& s, Money tax_attributed);

// Each firm's maintained employee count against a recount from the talent side (after aggregate).
void check_employee_counts(const ModelState& s, const StepFlows& f);

// Utility of zone z to a firm of sector s (without moving terms), shared by relocation and
// incoming projects; the subsidy and fit terms are scaled by the given weights (0 drops the
// offer where it is not paid; joint promotion boosts fit when it steers leads).
double firm_zone_utility(const ModelState& s, std::size_t z, std::size_t sector,
                         double offer_weight = 1.0, double fit_weight = 1.0);

}  // namespace regionsim
