// The `run` dimension of a results file: coordinates that say what each run is (scenario,
// replicate, seed, swept values), per-run provenance variables, and the file's root attributes.
// The recorder calls these; the model never sees them.
#pragma once

#include <cstdint>

#include <string>

#include "nc_writer.hpp"
#include "recorder.hpp"
#include "regionsim/experiment.hpp"

namespace regionsim {

// The version of the file layout written in every file's `format_version` attribute. Readers
// (analysis/regionsim) read this and earlier versions, and refuse later ones with a clear message.
// 1: files without the attribute (string labels, no bounds, uncompressed); 2: CF bounds and UDUNITS
// units with labels, character labels, compressed series.
inline constexpr std::int64_t kFormatVersion = 2;

struct RunLayout {
  std::string
      coordinates;     // the data variables' `coordinates` attribute: "scenario replicate seed ..."
  VarId wall_seconds;  // written when the experiment ends
};

// Defines and writes the run coordinate and everything along it except wall_seconds. Call after
// the dimensions and before any data variable.
RunLayout define_run_dimension(NcWriter& file, const Experiment& plan);

// Root attributes known when the file is opened (the closing ones are written by the recorder).
void set_root_provenance(NcWriter& file, const Experiment& plan, const RunMetadata& meta);

}  // namespace regionsim
