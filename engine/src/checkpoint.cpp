#include "checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>

#include "checkpoint_archive.hpp"
#include "model_state.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim_version.hpp"

namespace regionsim {

namespace {

namespace fs = std::filesystem;

// Header fields at fixed offsets (docs/output.md, "Checkpoint format").
constexpr std::size_t kFormatAt = 8, kHeaderSizeAt = 12, kVersionAt = 16, kHashAt = 48,
                      kPayloadSizeAt = 56, kChecksumAt = 64;
static_assert(kChecksumAt + 8 == kCheckpointHeaderBytes);
static_assert(kVersionAt + kCheckpointVersionBytes == kHashAt);

template <class T>
T get(std::span<const char> bytes, std::size_t at) {
  T value;
  std::memcpy(&value, bytes.data() + at, sizeof value);
  return value;
}
template <class T>
void put(std::vector<char>& bytes, std::size_t at, T value) {
  std::memcpy(bytes.data() + at, &value, sizeof value);
}

std::uint64_t checksum(std::span<const char> payload) {
  return fnv1a64(std::string_view(payload.data(), payload.size()));
}

template <class A, StatePart<CheckpointRun> R>
void visit_run(A& a, R& r) {
  a(r.output), a(r.command_line), a(r.compression), a(r.every), a(r.keep), a(r.run), a(r.runs);
  a(r.shard), a(r.shards);
  a(r.resolved_toml), a(r.source_file), a(r.extends_chain);
}
static_assert(sizeof(void*) != 8 || sizeof(CheckpointRun) == 4 * sizeof(std::string) + 56 +
                                                                 sizeof(std::vector<std::string>),
              "CheckpointRun changed: list the new member in visit_run (checkpoint.cpp)");

// The scenario a checkpoint carries, as the run had it: resolved text is a fixed point of the
// loader, and the provenance the text does not hold is put back.
Scenario scenario_of(const CheckpointRun& run) {
  Scenario scenario = load_scenario_text(run.resolved_toml, "the checkpoint's scenario");
  scenario.source_file = run.source_file;
  scenario.extends_chain = run.extends_chain;
  return scenario;
}

// The payload after the run settings: state, month -1 record, the months so far.
void decode_state(StateReader& in, Checkpoint& c) {
  c.state = std::make_unique<ModelState>(c.scenario);
  in(*c.state);
  in(c.initial);
  in(c.months);
  in.require(in.left() == 0, "bytes are left after the last month's record");
  in.require(c.state->month >= 0 && c.months.size() == static_cast<std::size_t>(c.state->month),
             "the records do not match the state's month");
  const Extents& e = c.state->tables;
  in.require(e.Z == c.scenario.zones.size() && e.S == c.scenario.sectors.size() &&
                 e.K == c.scenario.skills.size() && e.J == c.scenario.jurisdictions.size(),
             "the state's tables do not match the scenario's region");
}

}  // namespace

CheckpointError::CheckpointError(const std::string& file, const std::string& what)
    : InputError("checkpoint '" + file + "' " + what + "; not loaded") {}

Checkpoint::Checkpoint() = default;
Checkpoint::~Checkpoint() = default;
Checkpoint::Checkpoint(Checkpoint&&) noexcept = default;
Checkpoint& Checkpoint::operator=(Checkpoint&&) noexcept = default;

std::string checkpoint_engine_version() {
  return std::string(build_info::kVersion) + "+" + build_info::kGitCommit;
}

std::vector<char> encode_checkpoint(const CheckpointRun& run, const Simulation& sim,
                                    std::span<const StepOutputs> months) {
  StateWriter out;
  out.data().resize(kCheckpointHeaderBytes);
  visit_run(out, run);
  out(sim.state());
  out(sim.initial());
  out(static_cast<std::uint64_t>(months.size()));  // the layout of a std::vector, uncopied
  for (const StepOutputs& month : months)
    out(month);
  std::vector<char>& bytes = out.data();
  const std::span<const char> payload(bytes.data() + kCheckpointHeaderBytes,
                                      bytes.size() - kCheckpointHeaderBytes);
  std::memcpy(bytes.data(), kCheckpointMagic, sizeof kCheckpointMagic);
  put(bytes, kFormatAt, kCheckpointFormat);
  put(bytes, kHeaderSizeAt, static_cast<std::uint32_t>(kCheckpointHeaderBytes));
  const std::string version = checkpoint_engine_version();
  std::memcpy(bytes.data() + kVersionAt, version.data(),
              std::min(version.size(), kCheckpointVersionBytes - 1));
  put(bytes, kHashAt, fnv1a64(run.resolved_toml));
  put(bytes, kPayloadSizeAt, static_cast<std::uint64_t>(payload.size()));
  put(bytes, kChecksumAt, checksum(payload));
  return std::move(bytes);
}

Checkpoint decode_checkpoint_payload(std::span<const char> payload) {
  StateReader in(payload);
  Checkpoint c;
  visit_run(in, c.run);
  c.scenario_hash = fnv1a64(c.run.resolved_toml);
  c.scenario = scenario_of(c.run);
  decode_state(in, c);
  return c;
}

Checkpoint decode_checkpoint(std::span<const char> bytes, const std::string& file) {
  const auto refuse = [&](const std::string& what) { return CheckpointError(file, what); };
  if (bytes.size() < kCheckpointHeaderBytes)
    throw refuse("is truncated: " + std::to_string(bytes.size()) + " bytes, less than the " +
                 std::to_string(kCheckpointHeaderBytes) + "-byte header");
  if (std::memcmp(bytes.data(), kCheckpointMagic, sizeof kCheckpointMagic) != 0)
    throw refuse("is not a regionsim checkpoint (it does not start with RSIMCKPT)");
  if (const auto format = get<std::uint32_t>(bytes, kFormatAt); format != kCheckpointFormat)
    throw refuse("has checkpoint format " + std::to_string(format) + ", this regionsim reads " +
                 std::to_string(kCheckpointFormat));
  if (get<std::uint32_t>(bytes, kHeaderSizeAt) != kCheckpointHeaderBytes)
    throw refuse("is corrupted: its header size is not " + std::to_string(kCheckpointHeaderBytes));
  const std::span<const char> version_field = bytes.subspan(kVersionAt, kCheckpointVersionBytes);
  const std::string version(version_field.data(),
                            strnlen(version_field.data(), kCheckpointVersionBytes));
  if (version != checkpoint_engine_version())
    throw refuse("was written by regionsim " + version + ", this is regionsim " +
                 checkpoint_engine_version() + " (resume it with the version that wrote it)");
  const auto expected = get<std::uint64_t>(bytes, kPayloadSizeAt);
  const std::span<const char> payload = bytes.subspan(kCheckpointHeaderBytes);
  if (payload.size() < expected)
    throw refuse("is truncated: " + std::to_string(payload.size()) + " of " +
                 std::to_string(expected) + " payload bytes present");
  if (payload.size() > expected)
    throw refuse("is corrupted: " + std::to_string(payload.size() - expected) +
                 " bytes follow the payload");
  if (const std::uint64_t sum = checksum(payload); sum != get<std::uint64_t>(bytes, kChecksumAt))
    throw refuse("is corrupted: the payload's checksum is " + hex64(sum) + ", the header says " +
                 hex64(get<std::uint64_t>(bytes, kChecksumAt)));
  StateReader in(payload);
  Checkpoint c;
  try {
    visit_run(in, c.run);
  } catch (const CheckpointFormatError& e) {
    throw refuse(std::string("is corrupted: ") + e.what());
  }
  c.scenario_hash = get<std::uint64_t>(bytes, kHashAt);
  if (const std::uint64_t hash = fnv1a64(c.run.resolved_toml); hash != c.scenario_hash)
    throw refuse("has a scenario hash mismatch: the header says " + hex64(c.scenario_hash) +
                 ", its scenario hashes to " + hex64(hash));
  try {
    c.scenario = scenario_of(c.run);
  } catch (const InputError& e) {
    throw refuse(std::string("carries a scenario this regionsim refuses: ") + e.what());
  }
  if (c.scenario.resolved_toml != c.run.resolved_toml)
    throw refuse("carries a scenario this regionsim resolves differently");
  try {
    decode_state(in, c);
  } catch (const CheckpointFormatError& e) {
    throw refuse(std::string("is corrupted: ") + e.what());
  }
  return c;
}

Checkpoint read_checkpoint(const std::string& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw CheckpointError(file, "is not a regular file");
  std::ifstream in(file, std::ios::binary);
  std::vector<char> bytes(static_cast<std::size_t>(fs::file_size(file, ec)));
  if (ec || !in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    throw CheckpointError(file, "cannot be read");
  return decode_checkpoint(bytes, file);
}

std::string checkpoint_path(const std::string& output, std::int64_t month, std::int64_t run,
                            std::int64_t shard, std::int64_t shards) {
  char number[96];
  if (run < 0)
    std::snprintf(number, sizeof number, ".month-%04lld", static_cast<long long>(month));
  else
    std::snprintf(number, sizeof number, ".run-%04lld.month-%04lld", static_cast<long long>(run),
                  static_cast<long long>(month));
  std::string path = output + number;
  if (shards > 1) {
    std::snprintf(number, sizeof number, ".shard-%lld-of-%lld", static_cast<long long>(shard),
                  static_cast<long long>(shards));
    path += number;
  }
  return path + ".ckpt";
}

void write_file_atomically(const std::string& path, std::span<const char> bytes) {
  const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
  const auto fail = [&](const char* what) {
    const int error = errno;
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw std::system_error(error, std::generic_category(),
                            std::string(what) + " checkpoint '" + path + "'");
  };
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create");
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      errno = error;
      fail("cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    errno = error;
    fail("cannot sync");
  }
  if (::close(fd) != 0) fail("cannot close");
  if (std::rename(temporary.c_str(), path.c_str()) != 0) fail("cannot rename into");
  // The rename reaches the disk with the directory.
  const fs::path parent = fs::path(path).parent_path();
  const int dir = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

Checkpointer::Checkpointer(CheckpointRun run, std::int64_t resumed_month) : run_(std::move(run)) {
  adopt(resumed_month);
  // Test-only (docs/output.md): REGIONSIM_TEST_KILL_AFTER_CHECKPOINT=M (or M:R) makes the process
  // SIGKILL itself right after writing a checkpoint of month M (of run R of an experiment), so the
  // kill-and-resume test kills at an exact month. The engine never sets the environment, so
  // reading it races with nothing.
  const char* kill = std::getenv("REGIONSIM_TEST_KILL_AFTER_CHECKPOINT");  // NOLINT
  long long month = 0, which = -1;
  const int fields = kill != nullptr ? std::sscanf(kill, "%lld:%lld", &month, &which) : 0;
  if (fields == 1 || (fields == 2 && which == run_.run)) kill_after_ = month;
}

void Checkpointer::adopt(std::int64_t resumed_month) {
  // A resumed run's earlier checkpoints (the one resumed from included) are its own: they are
  // kept as its latest and removed with its others.
  for (std::int64_t m = run_.every; run_.every > 0 && m <= resumed_month; m += run_.every) {
    std::error_code ec;
    const std::string path = checkpoint_path(run_.output, m, run_.run, run_.shard, run_.shards);
    if (fs::is_regular_file(path, ec)) files_.push_back(path);
  }
}

void Checkpointer::after_month(const Simulation& sim, std::span<const StepOutputs> months) {
  const std::int64_t month = sim.month();
  if (run_.every <= 0 || month % run_.every != 0 || month >= sim.scenario().run.steps) return;
  const std::string path = checkpoint_path(run_.output, month, run_.run, run_.shard, run_.shards);
  try {
    const auto start = std::chrono::steady_clock::now();
    write_file_atomically(path, encode_checkpoint(run_, sim, months));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::error_code ec;
    const double mb = static_cast<double>(fs::file_size(path, ec)) / 1e6;
    std::fprintf(stderr, "regionsim: checkpoint after month %lld: '%s' (%.1f MB, %.2f s)\n",
                 static_cast<long long>(month), path.c_str(), mb, seconds);
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "regionsim: warning: %s; the run goes on without it\n", e.what());
    return;
  }
  if (files_.empty() || files_.back() != path) files_.push_back(path);
  while (files_.size() > static_cast<std::size_t>(std::max<std::int64_t>(run_.keep, 1))) {
    std::error_code ignored;
    fs::remove(files_.front(), ignored);
    files_.pop_front();
  }
  if (month == kill_after_) ::kill(::getpid(), SIGKILL);
}

void Checkpointer::remove_all() {
  for (const std::string& file : files_) {
    std::error_code ignored;
    fs::remove(file, ignored);
  }
  files_.clear();
}

}  // namespace regionsim
