// Checkpoints (engine/src/checkpoint.hpp): state -> bytes -> state gives the same state and the
// same continuation, and every damaged or foreign checkpoint is refused with its message.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "checkpoint.hpp"
#include "checkpoint_archive.hpp"
#include "model_state.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/simulation.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

template <class T>
std::vector<char> bytes_of(const T& value) {
  StateWriter out;
  out(value);
  return std::move(out.data());
}

CheckpointRun run_of(const Scenario& s) {
  return CheckpointRun{"out/x.h5",    "regionsim run x", 4, 4, 2, -1, 1, 0, 1, s.resolved_toml,
                       s.source_file, s.extends_chain};
}

struct Simulated {
  Simulation sim;
  std::vector<StepOutputs> months;
};

Simulated simulate(const Scenario& s, int months) {
  Simulated r{Simulation(s, true), {}};
  for (int t = 0; t < months; ++t)
    r.months.push_back(r.sim.step());
  return r;
}

// Scenarios whose state carries the most: strategic promotion with contracts, committees, joint
// promotion's finders, park-city amenity, sharing bases.
class CheckpointRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(CheckpointRoundTrip, StateBytesStateIsEqualAndContinuesIdentically) {
  const Scenario s =
      load_scenario(testing::source_path(std::string("scenarios/") + GetParam() + ".toml"),
                    {"run.scale=0.01", "run.steps=30"});
  // Past month 24, when the scenarios' levers act: contracts, committees and reviews exist.
  Simulated whole = simulate(s, 30);
  Simulated part = simulate(s, 27);
  if (std::string(GetParam()) != "baseline") {
    EXPECT_FALSE(part.sim.state().gov.promotion.contracts.empty());
  }
  const std::vector<char> file = encode_checkpoint(run_of(s), part.sim, part.months);
  Checkpoint c = decode_checkpoint(file, "test.ckpt");

  EXPECT_EQ(c.scenario, s);
  EXPECT_EQ(c.run.output, "out/x.h5");
  EXPECT_EQ(c.run.every, 4);
  EXPECT_EQ(c.scenario_hash, fnv1a64(s.resolved_toml));
  // state -> bytes -> state -> bytes: the same bytes, so every listed member came back.
  EXPECT_EQ(bytes_of(*c.state), bytes_of(part.sim.state()));
  EXPECT_EQ(bytes_of(c.initial), bytes_of(part.sim.initial()));
  ASSERT_EQ(c.months.size(), 27u);
  EXPECT_EQ(bytes_of(c.months), bytes_of(part.months));

  Simulation resumed = Simulation::restore(std::move(c.state), std::move(c.initial), true);
  EXPECT_EQ(resumed.month(), 27);
  for (std::size_t t = 27; t < 30; ++t)
    EXPECT_EQ(bytes_of(resumed.step()), bytes_of(whole.months[t])) << GetParam() << " month " << t;
  EXPECT_EQ(bytes_of(resumed.state()), bytes_of(whole.sim.state()));
}

INSTANTIATE_TEST_SUITE_P(Scenarios, CheckpointRoundTrip,
                         ::testing::Values("baseline", "separation", "joint-promotion",
                                           "full-reform", "park-city"));

class CheckpointRefusal : public ::testing::Test {
 protected:
  void SetUp() override {
    const Scenario s = testing::small_baseline({"run.steps=4"});
    Simulated part = simulate(s, 2);
    file = encode_checkpoint(run_of(s), part.sim, part.months);
  }
  std::string refused(const std::vector<char>& bytes) {
    return testing::input_error([&] { decode_checkpoint(bytes, "c.ckpt"); });
  }
  // The header's checksum of a payload changed on purpose (so the later checks are reached).
  void reseal(std::vector<char>& bytes) {
    const std::uint64_t sum = fnv1a64(std::string_view(bytes.data() + kCheckpointHeaderBytes,
                                                       bytes.size() - kCheckpointHeaderBytes));
    std::memcpy(bytes.data() + 64, &sum, sizeof sum);
  }
  std::vector<char> file;
};

TEST_F(CheckpointRefusal, Truncated) {
  std::vector<char> cut(file.begin(), file.end() - 100);
  const std::string payload = std::to_string(file.size() - kCheckpointHeaderBytes);
  EXPECT_EQ(refused(cut), "checkpoint 'c.ckpt' is truncated: " +
                              std::to_string(file.size() - kCheckpointHeaderBytes - 100) + " of " +
                              payload + " payload bytes present; not loaded");
  cut.resize(10);
  EXPECT_EQ(refused(cut),
            "checkpoint 'c.ckpt' is truncated: 10 bytes, less than the 72-byte header; not loaded");
}

TEST_F(CheckpointRefusal, FlippedByte) {
  std::vector<char> bad = file;
  bad[bad.size() / 2] = static_cast<char>(bad[bad.size() / 2] ^ 0x10);
  EXPECT_TRUE(
      refused(bad).starts_with("checkpoint 'c.ckpt' is corrupted: the payload's checksum "
                               "is "));
  EXPECT_TRUE(refused(bad).ends_with("; not loaded"));
}

TEST_F(CheckpointRefusal, NotACheckpoint) {
  std::vector<char> bad = file;
  bad[0] = 'X';
  EXPECT_EQ(refused(bad),
            "checkpoint 'c.ckpt' is not a regionsim checkpoint (it does not start with "
            "RSIMCKPT); not loaded");
}

TEST_F(CheckpointRefusal, OtherFormatOrEngineVersion) {
  std::vector<char> bad = file;
  bad[8] = 9;
  EXPECT_EQ(refused(bad),
            "checkpoint 'c.ckpt' has checkpoint format 9, this regionsim reads 2; not loaded");
  bad = file;
  std::memset(bad.data() + 16, 0, kCheckpointVersionBytes);
  std::memcpy(bad.data() + 16, "0.0.1+abc", 9);
  EXPECT_EQ(refused(bad),
            "checkpoint 'c.ckpt' was written by regionsim 0.0.1+abc, this is "
            "regionsim " +
                checkpoint_engine_version() +
                " (resume it with the version that wrote it); not loaded");
}

TEST_F(CheckpointRefusal, ScenarioHashMismatch) {
  std::vector<char> bad = file;
  const std::uint64_t hash = 0x0123456789abcdefull;
  std::memcpy(bad.data() + 48, &hash, sizeof hash);
  const Scenario s = testing::small_baseline({"run.steps=4"});
  EXPECT_EQ(refused(bad),
            "checkpoint 'c.ckpt' has a scenario hash mismatch: the header says "
            "0123456789abcdef, its scenario hashes to " +
                hex64(fnv1a64(s.resolved_toml)) + "; not loaded");
}

TEST_F(CheckpointRefusal, PayloadThatDoesNotDecodeEvenWithAValidChecksum) {
  std::vector<char> bad = file;
  bad.resize(bad.size() - 8);
  const std::uint64_t size = bad.size() - kCheckpointHeaderBytes;
  std::memcpy(bad.data() + 56, &size, sizeof size);
  reseal(bad);
  EXPECT_EQ(refused(bad), "checkpoint 'c.ckpt' is corrupted: the payload ends early; not loaded");
}

TEST(CheckpointFile, AtomicWriteAndNaming) {
  EXPECT_EQ(checkpoint_path("out/a.h5", 12), "out/a.h5.month-0012.ckpt");
  const auto dir = std::filesystem::temp_directory_path() / "regionsim_checkpoint_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "x.ckpt").string();
  const std::vector<char> bytes = {'a', 'b', 'c'};
  write_file_atomically(path, bytes);
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "abc");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);  // no temporary left
  std::filesystem::remove_all(dir);
  EXPECT_EQ(testing::input_error([&] { read_checkpoint(path); }),
            "checkpoint '" + path + "' is not a regular file; not loaded");
}

}  // namespace
}  // namespace regionsim
