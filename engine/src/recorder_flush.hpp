// Puts a running experiment's file on disk as it goes (docs/output.md, "Partial files"): an empty
// snapshot when the runs start, then every `every` months of a run and whenever a run finishes,
// the months not yet written go into the recorder and a snapshot marked complete = "false"
// replaces OUTPUT.partial-PID. A run or experiment killed at any instant (SIGKILL included)
// leaves the latest snapshot: a whole file that h5py and xarray open, with the finished runs and
// the other runs' months flushed so far.
//
// Design decisions
// - A snapshot recompresses every chunk written since the last one (a run's series is one chunk,
//   filled as the months come), so its cost grows with the file. Snapshots at month boundaries
//   are skipped until kSnapshotSpacing times the previous snapshot's duration has passed since it
//   ended: snapshots then take at most ~1 % of the wall time, whatever the scale. [judgement]
//   Measured at scale 1 an unthrottled snapshot every 12 months cost ~8 % of a baseline run
//   (docs/output.md, "Partial files"). A finished run's snapshot is never skipped (its chunks are
//   complete and compressed once anyway), so an experiment's finished runs are always on disk.
// - Called from the threads simulating the runs, so one mutex orders every use of the recorder
//   (HDF5 is not thread-safe).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

#include "recorder.hpp"

namespace regionsim {

inline constexpr double kSnapshotSpacing = 99;  // 1 % of the wall time at most

class RecorderFlush {
 public:
  // `months` of each run in the finished file; `every` 0: no snapshots, the file at the end only.
  // Puts the empty snapshot on disk. REGIONSIM_TEST_FLUSH_UNTHROTTLED=1 (test-only) takes every
  // snapshot at month boundaries, so tests know which months a killed run left.
  RecorderFlush(Recorder& recorder, std::size_t runs, std::int64_t months, std::int64_t every);

  // After month months.back() of `run` (months[t] is month t, the run's records so far).
  void after_month(std::size_t run, std::span<const StepOutputs> months);
  // Run `run` ended (finished, or stopped by a signal) with `months`; a snapshot follows unless
  // every run is complete (the final file is then written at once).
  void run_finished(std::size_t run, std::span<const StepOutputs> months);
  // Run `run` was copied whole from an interrupted file (--resume) before the runs started.
  void kept(std::size_t run) { done_[run] = months_; }

 private:
  using Clock = std::chrono::steady_clock;
  void write_new(std::size_t run, std::span<const StepOutputs> months);
  void snapshot();
  Recorder& recorder_;
  std::int64_t months_;
  std::int64_t every_;
  bool throttled_ = true;
  std::mutex mutex_;
  std::vector<std::int64_t> done_;  // months of each run written to the recorder
  Clock::time_point next_;          // month-boundary snapshots wait until then
};

}  // namespace regionsim
