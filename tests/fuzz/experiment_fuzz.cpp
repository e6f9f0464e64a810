// The experiment reader under hostile input: any bytes are read as an experiment file placed in
// scenarios/experiments/ (run from the source root, so relative scenario paths can resolve and
// the scenarios they name are loaded too). Reading either succeeds or throws InputError; anything
// else is a finding. Built as a libFuzzer target (REGIONSIM_FUZZ=ON, scripts/fuzz.sh experiment)
// and replayed over its corpus and seeds in every normal build (ctest fuzz_replay_experiment).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "regionsim/experiment.hpp"
#include "regionsim/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    static_cast<void>(regionsim::load_experiment_text(text, "scenarios/experiments/fuzz.toml"));
  } catch (const regionsim::InputError&) {
    // Refused with a message: the expected outcome for bad input.
  }
  return 0;
}
