// A run's months: the month-0 state, and one month as its phases in order.
#pragma once

#include "flows.hpp"
#include "model_state.hpp"
#include "regionsim/phase_times.hpp"

namespace regionsim {

// Builds the constant tables, the month-0 population and its calibration. With s.shard set (a
// sharded run), only the shard's own people are built and the calibration sums over the shards.
void initialise(ModelState& s);

// Runs one month's phases, aggregate to government, leaving the flows in `f` and s.month
// unchanged (the caller records and advances). `check_counts` verifies each firm's maintained
// employee count right after aggregation; `clock` times the phases when it has somewhere to.
void simulate_month(ModelState& s, StepFlows& f, bool check_counts = false,
                    PhaseClock* clock = nullptr);

}  // namespace regionsim
