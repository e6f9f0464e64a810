// Checkpoints: a run's complete state and the months it recorded so far, written every N months
// so that `regionsim resume` continues it into an output file bit-identical to the uninterrupted
// run's (docs/output.md, "Checkpoints").
//
// Design decisions
// - One file per checkpoint: a fixed 72-byte header (magic, format version, engine version,
//   scenario hash, payload size, FNV-1a 64 checksum of the payload) and the payload: the run's
//   settings, the resolved scenario as TOML text, the model state (checkpoint_archive.hpp), the
//   month -1 record and every month's record so far. The records make the resumed file whole
//   without reading any other file.
// - Only the engine version that wrote a checkpoint reads it (the state's layout is the code's),
//   and a checkpoint is never loaded in part: the header, the size, the checksum, the scenario's
//   hash and the scenario itself are checked before the state is used; any failure is a
//   CheckpointError (bad input, exit 2) naming the file and what is wrong.
// - Written under a temporary name, fsync'ed, renamed over, then the directory fsync'ed: a kill at
//   any moment leaves the previous checkpoints intact and never a torn one under the real name.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"
#include "regionsim/scenario.hpp"
#include "regionsim/scenario_loader.hpp"
#include "regionsim/simulation.hpp"
#include "regionsim/step_outputs.hpp"

namespace regionsim {

struct ModelState;

inline constexpr char kCheckpointMagic[8] = {'R', 'S', 'I', 'M', 'C', 'K', 'P', 'T'};
inline constexpr std::uint32_t kCheckpointFormat = 2;  // 2: CheckpointRun's shard, shards
inline constexpr std::size_t kCheckpointHeaderBytes = 72;
inline constexpr std::size_t kCheckpointVersionBytes = 32;  // NUL-padded engine version text

// A checkpoint refused: the message names the file and what is wrong. Bad input (exit 2).
class CheckpointError : public InputError {
 public:
  CheckpointError(const std::string& file, const std::string& what);
};

// The run a checkpoint belongs to, besides its state: enough to continue it into the same file.
struct CheckpointRun {
  std::string output;        // the run's results file
  std::string command_line;  // of the run that wrote the checkpoint (the output's provenance)
  std::int32_t compression = 4;
  std::int64_t every = 0;  // months between checkpoints; a resumed run keeps writing them
  std::int64_t keep = 2;   // checkpoints kept (the latest)
  std::int64_t run = -1;   // the run's index in an experiment of `runs` runs; -1: a single run
  std::int64_t runs = 1;
  // A sharded run's checkpoint holds one shard's people (and the replicated rest): shard `shard`
  // of `shards`. 0 of 1: the whole run.
  std::int64_t shard = 0;
  std::int64_t shards = 1;
  std::string resolved_toml;  // the scenario, whose FNV-1a 64 hash is in the header
  std::string source_file;    // the scenario's provenance, not in its text
  std::vector<std::string> extends_chain;
};

struct Checkpoint {
  CheckpointRun run;
  std::uint64_t scenario_hash = 0;
  Scenario scenario;                  // loaded from run.resolved_toml
  std::unique_ptr<ModelState> state;  // its scenario set, the month next to simulate in it
  StepOutputs initial;                // the month -1 record
  std::vector<StepOutputs> months;    // months[t] is month t, t < state->month

  Checkpoint();
  ~Checkpoint();
  Checkpoint(Checkpoint&&) noexcept;
  Checkpoint& operator=(Checkpoint&&) noexcept;
};

// The engine version a checkpoint must carry to be read: version and git commit.
std::string checkpoint_engine_version();

// The whole checkpoint file for `sim` after its latest month, `months` recorded so far.
std::vector<char> encode_checkpoint(const CheckpointRun& run, const Simulation& sim,
                                    std::span<const StepOutputs> months);
// Checks and decodes a checkpoint file's bytes; `file` names it in messages. Throws
// CheckpointError for anything but a whole, intact checkpoint of this engine version.
Checkpoint decode_checkpoint(std::span<const char> bytes, const std::string& file);
Checkpoint read_checkpoint(const std::string& file);
// Decodes a payload alone, without the header's checks (the fuzz target's second entry point);
// throws CheckpointFormatError or InputError.
Checkpoint decode_checkpoint_payload(std::span<const char> payload);

// `output`.month-NNNN.ckpt: the checkpoint after `month` months of the run writing `output`;
// with `run` >= 0, of run `run` of an experiment writing it: `output`.run-RRRR.month-NNNN.ckpt.
// Of shard S of a run sharded over P > 1 processes: `...month-NNNN.shard-S-of-P.ckpt`.
std::string checkpoint_path(const std::string& output, std::int64_t month, std::int64_t run = -1,
                            std::int64_t shard = 0, std::int64_t shards = 1);
// Writes `bytes` to `path` atomically (temporary name, fsync, rename, fsync of the directory).
// Throws std::system_error naming the file on failure.
void write_file_atomically(const std::string& path, std::span<const char> bytes);

// Writes a run's checkpoints every `run.every` months and keeps the latest `run.keep` of those it
// wrote (with those of the run it was resumed from, at `resumed_month`, when their names say they
// are this output's); removes them all once the run's output is complete.
class Checkpointer {
 public:
  explicit Checkpointer(CheckpointRun run, std::int64_t resumed_month = 0);
  // Takes the run's checkpoints up to `resumed_month` (the one resumed from and its
  // predecessors, those that exist) as its own.
  void adopt(std::int64_t resumed_month);
  // After each month: writes a checkpoint when the month count is a multiple of `every` and the
  // run is not over. A failed write is reported on stderr and the run goes on.
  void after_month(const Simulation& sim, std::span<const StepOutputs> months);
  void remove_all();
  const std::deque<std::string>& files() const { return files_; }

 private:
  CheckpointRun run_;
  std::deque<std::string> files_;  // oldest first
  std::int64_t kill_after_ = -1;   // test-only (REGIONSIM_TEST_KILL_AFTER_CHECKPOINT)
};

// `regionsim resume`: continues the run of checkpoint `file` to its last month into
// options.output (empty: the run's own output path), with the run's compression, command line
// and checkpoint settings. Throws CheckpointError for a checkpoint it refuses, and what
// run_experiment throws.
struct ResumedRun {
  Experiment plan;
  RunOptions options;  // as used
  ExperimentResult result;
};
ResumedRun resume_run(const std::string& file, RunOptions options);

}  // namespace regionsim
