// The checkpoint reader under hostile input (engine/src/checkpoint.hpp). Any bytes are read twice:
// as a checkpoint file, through every check `regionsim resume` makes (header, engine version,
// size, checksum, scenario hash, scenario, state), and, past the 72-byte header, as a payload
// decoded without those checks, so the fuzzer reaches the state decoder without having to forge
// checksums. A checkpoint's engine version includes the git commit, so any committed seed is of
// "another version" and would stop at the version check: the whole-file read is repeated with the
// version field stamped with this build's, so seeds (intact checksums) reach the size, checksum,
// scenario-hash and state checks too. Either succeeds or throws InputError (a refusal with its
// message) or, for the bare payload, CheckpointFormatError; anything else, a crash or an allocation
// beyond the input's size is a finding. Built as a libFuzzer target (REGIONSIM_FUZZ=ON,
// scripts/fuzz.sh checkpoint) and replayed over tests/fuzz/corpus-checkpoint in every normal build
// (ctest fuzz_replay_checkpoint).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "checkpoint.hpp"
#include "checkpoint_archive.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const char> bytes(reinterpret_cast<const char*>(data), size);
  try {
    static_cast<void>(regionsim::decode_checkpoint(bytes, "fuzz.ckpt"));
  } catch (const regionsim::InputError&) {
    // Refused with a message: the expected outcome for bad input.
  }
  if (size < regionsim::kCheckpointHeaderBytes) return 0;
  // As if this build had written it: bytes 16..48 hold the NUL-padded version (checkpoint.cpp).
  constexpr std::size_t kVersionAt = 16;
  std::vector<char> stamped(bytes.begin(), bytes.end());
  const std::string version = regionsim::checkpoint_engine_version();
  std::fill_n(stamped.begin() + kVersionAt, regionsim::kCheckpointVersionBytes, '\0');
  std::memcpy(stamped.data() + kVersionAt, version.data(),
              std::min(version.size(), regionsim::kCheckpointVersionBytes - 1));
  try {
    static_cast<void>(regionsim::decode_checkpoint(stamped, "fuzz.ckpt"));
  } catch (const regionsim::InputError&) {
  }
  try {
    static_cast<void>(
        regionsim::decode_checkpoint_payload(bytes.subspan(regionsim::kCheckpointHeaderBytes)));
  } catch (const regionsim::InputError&) {
  } catch (const regionsim::CheckpointFormatError&) {
  }
  return 0;
}
