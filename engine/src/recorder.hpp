// Writes a run's monthly records to a netCDF-4/HDF5 file (NcWriter) with named dimensions,
// character-array name coordinates, CF time with bounds, and units, a readable units label, long
// name and cell methods on every time series: the variables of the output registry, nothing else.
// Separate from the model: it only sees StepOutputs and the frozen Scenario. The file is built in
// memory and put on disk whole (NcWriter::Storage::memory): by snapshot() while the runs go,
// marked complete = "false", and by finish(); the file at `path` is always a consistent one.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "nc_writer.hpp"
#include "regionsim/scenario.hpp"
#include "regionsim/step_outputs.hpp"

namespace regionsim {

// Months per compressed chunk of a time series: 0 = the whole run (one run x all months, at
// most 1 MiB a chunk). Measured with bench/recorder_bench.cpp against 12, 24 and 60 months
// (docs/output.md, "Compression"): the whole run gives the smallest file and the least CPU, and a
// run's series are written whole anyway, so each chunk is complete when written.
inline constexpr std::size_t kMonthsPerChunk = 0;

struct RunMetadata {
  std::string started_at;  // ISO 8601 UTC
  int threads = 0;
  std::string command_line;  // recorded when not empty
  int compression = 4;       // zlib level of the time series; 0 = uncompressed
  std::size_t months_per_chunk = kMonthsPerChunk;
};

struct Experiment;

// One file for every run of an experiment, along the leading `run` dimension. All runs share the
// first run's dimensions and time axis (the planner checks they agree).
class Recorder {
 public:
  Recorder(const std::string& path, const Experiment& plan, const RunMetadata& meta);
  ~Recorder();
  // Writes consecutive months of run `run` (each StepOutputs carries its month index): all of
  // them at once, or a few at a time as the run goes. Not thread-safe: one call at a time.
  void write_run(std::size_t run, std::span<const StepOutputs> months);
  // Puts the file as written so far at `path` (replacing the previous snapshot), marked
  // complete = "false" with `months_done` (per run, comma-separated), `months_written` and
  // `last_month` (YYYY-MM of the latest month any run has written).
  void snapshot(std::span<const std::int64_t> months_done);
  // Copies run `run`'s `months` months of every time series from `from` (an interrupted run's
  // file of the same experiment, resume.hpp) and fills `last` (sized as a StepOutputs of this
  // run) with its final month. Defined in recorder_copy.cpp.
  void copy_run(std::size_t run, const std::string& from, std::int64_t months, StepOutputs& last);
  // Writes per-run wall times and the closing attributes and closes the file, reporting any HDF5
  // failure. `interrupted_by` non-empty marks the file incomplete: complete = "false",
  // `months_done` the months each run recorded (comma-separated, in run order).
  void finish(const std::string& ended_at, double wall_seconds, std::span<const double> run_seconds,
              const std::string& interrupted_by = {},
              std::span<const std::int64_t> months_done = {});

 private:
  NcWriter file_;
  std::vector<VarId> vars_;
  VarId wall_seconds_;
  std::vector<double> days_;  // time coordinate value per month, then the end of the last
  std::int64_t written_ = 0;
  std::string start_date_;
  void set_progress_attributes(std::span<const std::int64_t> months_done);
};

// "YYYY-MM" of month `month` (0 = the first) of a run starting on `start_date` (YYYY-MM-DD).
std::string month_label(const std::string& start_date, std::int64_t month);

// Days from `start_date` (YYYY-MM-DD) to the first day of each of `months` months.
std::vector<double> month_offsets_in_days(const std::string& start_date, std::int64_t months);

}  // namespace regionsim
