// Running a scenario to a results file: the one place that decides output naming, refuses to
// overwrite, writes under a temporary name and renames only a complete file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "regionsim/scenario.hpp"
#include "regionsim/step_outputs.hpp"

namespace regionsim {

struct RunOptions {
  std::string output;        // results file (.h5)
  bool overwrite = false;    // replace an existing output file
  bool check = false;        // accounting identities every month
  int threads = 0;           // 0 = all cores
  bool progress = false;     // progress line on stderr
  std::string command_line;  // recorded in the file when not empty
  int compression = 4;       // zlib level of the time series (with shuffle); 0 = uncompressed
};

struct RunResult {
  StepOutputs final_month;
  std::int64_t months = 0;
  double wall_seconds = 0;
  int threads = 0;
  std::size_t talent = 0, firms = 0;
};

// Refuses (InputError) before any work if the output exists and overwrite is off.
RunResult run_to_file(const Scenario& scenario, const RunOptions& options);

}  // namespace regionsim
