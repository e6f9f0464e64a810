// The tables `regionsim run` prints after a run: the final month by zone for a single run, or
// replicate means by scenario and sweep point for an experiment. They belong to the command line,
// not the engine: the file holds the results, these are a glance at them.
#pragma once

#include <string>

#include "regionsim/experiment.hpp"
#include "regionsim/scenario.hpp"
#include "regionsim/step_outputs.hpp"

namespace regionsim {

// The final-month table by zone printed after a single run.
std::string summary_table(const Scenario& scenario, const StepOutputs& month);

// One line per scenario (and sweep point) with replicate means of final-month region totals.
std::string experiment_summary(const Experiment& plan, const ExperimentResult& result);

}  // namespace regionsim
