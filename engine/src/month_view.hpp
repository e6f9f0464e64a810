// What the phases of a month read and none of them writes. MonthInputs: the scenario, the
// constant tables, the month-0 calibration, the random streams and the month. MonthView: those
// plus the zone fields (aggregates and prices) the agents decide on. A phase takes the view by
// const reference; its signature names everything else it may write (its own agents, its own
// flows). The fields change only in the steps simulate_month names for it (aggregate,
// update_fields, update_job_rates, invest_in_amenities); the view refers to them, so a phase that
// runs after such a step sees the update.
#pragma once

#include <cstdint>

#include "model_state.hpp"

namespace regionsim {

struct MonthInputs {
  const Scenario& scenario;
  const RegionTables& tables;
  const Calibration& calibration;
  const Rng& rng;
  std::int64_t month;
  // The other shards of a sharded run (regionsim/shard.hpp, shards.hpp); nullptr: the whole run
  // is here.
  ShardComm* shard = nullptr;

  // The month as the random streams' counter.
  std::uint32_t step() const { return static_cast<std::uint32_t>(month); }
};

struct MonthView : MonthInputs {
  const ZoneFields& fields;
};

inline MonthInputs inputs_of(const ModelState& s) {
  return {s.scenario, s.tables, s.calibration, s.rng, s.month, s.shard};
}
inline MonthView view_of(const ModelState& s) {
  return {inputs_of(s), s.fields};
}

}  // namespace regionsim
