// The month's record: stocks counted from the agent stores, flows from the month's scratch.
#pragma once

#include "flows.hpp"
#include "model_state.hpp"

namespace regionsim {

StepOutputs record(const ModelState& s, const StepFlows& f);
StepOutputs record_stocks(const ModelState& s);  // stocks only, for the initial state

}  // namespace regionsim
