// Every field of StepOutputs in one list, for whatever copies records as bytes: the MPI messages
// (engine/mpi/mpi_records.cpp) and checkpoints (checkpoint_outputs.cpp). A field added to
// StepOutputs must be added here: the size check fails the build until it is (the size on the
// 64-bit Linux targets; update it with the list).
#pragma once

#include "regionsim/step_outputs.hpp"

namespace regionsim {

static_assert(sizeof(void*) != 8 || sizeof(StepOutputs) == 1288,
              "StepOutputs changed: add the new field to visit_step_outputs() in "
              "engine/src/step_outputs_fields.hpp and update this size");

// Calls f(field) for every field in a fixed order; `Outputs` is StepOutputs, const or not.
template <class Outputs, class F>
void visit_step_outputs(Outputs& o, F&& f) {
  f(o.month), f(o.zones), f(o.sectors), f(o.skills), f(o.jurisdictions);
  f(o.firms), f(o.employment), f(o.vacancies), f(o.firm_entries), f(o.firm_exits);
  f(o.output), f(o.hte_firms), f(o.firms_by_size), f(o.employment_by_size);
  f(o.talent_employed), f(o.talent_seeking), f(o.talent_arrivals), f(o.talent_departures);
  f(o.wage), f(o.rent), f(o.tax_collected), f(o.subsidies_received);
  f(o.floor_capacity), f(o.floor_occupancy), f(o.floor_supplied);
  f(o.firm_relocations), f(o.talent_relocations);
  f(o.tax_attributed), f(o.gdp_attributed), f(o.subsidies_paid), f(o.budget);
  f(o.amenity_spending), f(o.land_lease_revenue), f(o.score), f(o.subsidy_offer);
  f(o.spinoffs_zs), f(o.innovations), f(o.spinoffs), f(o.institute_researchers), f(o.transfers);
  f(o.offer_settlement), f(o.offer_refund_scale), f(o.offer_rent_discount);
  f(o.relocations_induced), f(o.relocations_other);
  f(o.paper_relocations), f(o.paper_relocations_induced), f(o.registered_elsewhere);
  f(o.promotion_spending), f(o.promotion_spending_within), f(o.contracts_active);
  f(o.decision_converged), f(o.decision_iterations);
  f(o.committee_active), f(o.committee_zone), f(o.committee_spending);
  f(o.amenity), f(o.specialisation_index);
  f(o.zero_sum_relocations), f(o.subsidy_per_net_new_firm), f(o.theil_output);
}

}  // namespace regionsim
