// What the month benchmarks share: the shipped baseline at a scale given in percent, warmed up.
#pragma once

#include <benchmark/benchmark.h>

#include <string>

#include "regionsim/scenario_loader.hpp"
#include "regionsim/simulation.hpp"

namespace regionsim::bench {

// The baseline at `scale`, long enough for any benchmark (2,400 months end well before the last
// date the loader accepts).
inline Scenario baseline(double scale) {
  return load_scenario(std::string(REGIONSIM_SOURCE_DIR) + "/scenarios/baseline.toml",
                       {"run.scale=" + std::to_string(scale), "run.steps=2400"});
}

// The baseline at state.range(0) percent scale after three months, so the timed months are past
// the start-up transients.
inline Simulation warmed_baseline(const benchmark::State& state) {
  Simulation sim(baseline(static_cast<double>(state.range(0)) / 100.0));
  for (int warm = 0; warm < 3; ++warm)
    sim.step();
  return sim;
}

}  // namespace regionsim::bench
