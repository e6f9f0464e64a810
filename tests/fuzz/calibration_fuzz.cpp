// The calibration reader under hostile input: any bytes are read as a calibration file placed in
// scenarios/calibration/ (run from the source root, so its base scenario and targets file can
// resolve and are read too). Reading either succeeds or throws InputError; anything else is a
// finding. Built as a libFuzzer target (REGIONSIM_FUZZ=ON, scripts/fuzz.sh calibration) and
// replayed over its corpus and seeds in every normal build (ctest fuzz_replay_calibration).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "calibration.hpp"
#include "regionsim/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    static_cast<void>(regionsim::load_calibration_text(text, "scenarios/calibration/fuzz.toml"));
  } catch (const regionsim::InputError&) {
    // Refused with a message: the expected outcome for bad input.
  }
  return 0;
}
