// Executing a planned experiment. One task arena of the requested threads holds everything: runs
// are tasks of an outer parallel loop and each run's agent loops are nested inside it, so many
// small runs spread over the cores run by run, one large run spreads its agents, and TBB never
// oversubscribes. Each run is isolated (a thread waiting inside a run's agent loop only helps that
// run), and shared warm-ups fork arms as tasks of their own when their first month is reached.
// Results do not depend on any of this: every run is a pure function of its scenario and seed.
#pragma once

#include <cstddef>
#include <functional>
#include <span>

#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"
#include "regionsim/step_outputs.hpp"

namespace regionsim {

// Receives each finished run with all its months (months[t] is month t), one call at a time, from
// whichever thread finished it.
using RunSink = std::function<void(std::size_t run, std::span<const StepOutputs> months)>;

ExperimentResult simulate_experiment(const Experiment& plan, const RunOptions& options,
                                     const RunSink& sink);

}  // namespace regionsim
