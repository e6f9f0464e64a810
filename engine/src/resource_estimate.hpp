// How many agents and how much memory an experiment needs, estimated from its scenarios before
// anything is allocated, so that a population of 10^10 or a 10,000-month run with thousands of
// runs is refused in a second (exit code 2, the estimate and the limit) instead of growing until
// the machine runs out of memory.
#pragma once

#include <cstdint>
#include <string>

#include "regionsim/experiment.hpp"

namespace regionsim {

// Agents (firms plus people) one run may hold at month 0. The stores index agents and count
// employees in 32 bits; 10^8 agents are about 10 GB of agent state. [judgement]
inline constexpr double kMaxAgentsPerRun = 1e8;

struct ResourceEstimate {
  double firms = 0, talent = 0;  // at month 0 of the largest run
  double bytes = 0;              // peak, over the runs in flight at once
};

// `threads` is the worker count (runs in flight at once are at most that many).
ResourceEstimate estimate_resources(const Experiment& plan, int threads);

// Throws InputError when one run's agents exceed kMaxAgentsPerRun or the estimate exceeds
// `max_bytes` (0: 80 % of the physical memory).
void check_resources(const Experiment& plan, int threads, double max_bytes);

// 80 % of the physical memory, in bytes: the default cap. [judgement: room for the system]
double default_memory_limit();

}  // namespace regionsim
