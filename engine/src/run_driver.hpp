// The file side of running an experiment (run_driver.cpp): output checks, the temporary name,
// resume, the incomplete file and publishing, around whatever simulates the runs. One process
// simulates them with simulate_experiment; the MPI build (engine/mpi) passes its distributed
// simulation instead, so both write the file through the same code.
#pragma once

#include <functional>

#include "experiment_runner.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"

namespace regionsim {

// Simulates the plan's runs (those not in options.skip_runs), handing each finished run to the
// sink in the calling thread or one at a time.
using SimulateRuns =
    std::function<ExperimentResult(const Experiment&, const RunOptions&, const RunSink&)>;

// run_experiment with the runs simulated by `simulate`.
ExperimentResult run_experiment_with(const Experiment& plan, const RunOptions& options,
                                     const SimulateRuns& simulate);

}  // namespace regionsim
