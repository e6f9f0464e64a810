// Resuming an interrupted experiment (`regionsim run ... --resume`): the runs that finished before
// the interruption are read back from FILE.incomplete.h5 instead of being simulated again.
//
// Design decisions
// - Only whole runs are kept. A run stopped mid-way restarts from month 0 (checkpoints of the
//   simulation state are not implemented yet), so every kept series is exactly what a complete
//   run writes, and the resumed file's data are identical to an uninterrupted run's.
// - The incomplete file must be this experiment's: the same number of runs, and every run's seed
//   and resolved-scenario hash equal; otherwise it is refused with the first difference, never
//   mixed in.
// - Kept runs are copied value by value into the new file through the same writer, so chunking,
//   compression and bytes of the data are those of a fresh run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "regionsim/experiment.hpp"

namespace regionsim {

struct KeptRuns {
  std::string file;             // the incomplete file read
  std::vector<char> kept;       // per run of the plan: 1 when complete in `file`
  std::vector<double> seconds;  // per run: the wall time recorded for it
  std::size_t count() const;
};

// Reads `incomplete` (written by an interrupted run of `plan`); throws InputError when it is not
// this experiment's or unreadable.
KeptRuns read_kept_runs(const std::string& incomplete, const Experiment& plan);

}  // namespace regionsim
