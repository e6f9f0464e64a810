// When scenarios start to differ: the basis of the shared warm-up of experiment arms.
#pragma once

#include <cstdint>

#include "regionsim/scenario.hpp"

namespace regionsim {

// Months over which two scenarios simulate identically (same seed assumed): run.steps when they
// are the same scenario; otherwise the earliest start month of a policy lever in which they
// differ, or 0 when they differ in anything that acts from the start (structure, behaviour,
// initial values). An arm may fork from a simulation of the other scenario after this many months
// and give bit-identical results.
std::int64_t common_prefix_months(const Scenario& a, const Scenario& b);

}  // namespace regionsim
