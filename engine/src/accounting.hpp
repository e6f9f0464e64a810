// Accounting identities of the model, checked every month with --check and always in tests.
#pragma once

#include "flows.hpp"
#include "model_state.hpp"

namespace regionsim {

// Identities between two consecutive records and the month's flows. Throws AccountingError
// naming the month, the identity and both sides.
void check_accounting(const ModelState& s, const StepOutputs& before, const StepOutputs& after,
                      const StepFlows& f);

// Each firm's maintained employee count against a recount from the talent side (after
// aggregate).
void check_employee_counts(const ModelState& s, const Roster& roster);

}  // namespace regionsim
