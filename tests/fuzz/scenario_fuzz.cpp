// The scenario loader under hostile input: any bytes are read as a scenario file, and lines
// "#set key=value" at the top are --set overrides. Loading either succeeds or throws InputError;
// anything else (another exception, a crash, a sanitizer report, a hang) is a finding.
// Built two ways from this one file: with -fsanitize=fuzzer as a libFuzzer target
// (REGIONSIM_FUZZ=ON, scripts/fuzz.sh), and with a main that replays corpus files through the
// normal build (the ctest `fuzz_corpus_replay`), so every finding stays a regression test.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "regionsim/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  std::size_t at = 0;
  while (at < text.size() && text.substr(at, 5) == "#set ") {
    const std::size_t end = text.find('\n', at);
    overrides.emplace_back(text.substr(at + 5, end == std::string_view::npos ? end : end - at - 5));
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  try {
    static_cast<void>(regionsim::load_scenario_text(text, "fuzz.toml", overrides));
  } catch (const regionsim::InputError&) {
    // Refused with a message: the expected outcome for bad input.
  }
  return 0;
}
