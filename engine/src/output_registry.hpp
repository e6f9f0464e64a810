// The output registry: every variable a results file holds, declared once. A time series names
// its dimensions, units, long name, whether it is a stock or a flow (CF `cell_methods`), its value
// type and the StepOutputs field its values come from; the variables without `time` (coordinates
// and what each run is) name their type, units and long name. The recorder, `regionsim outputs`
// and docs/output.md all read these tables, so a variable is added in one place.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nc_writer.hpp"
#include "regionsim/step_outputs.hpp"

namespace regionsim {

// How a time series is held in StepOutputs and stored in the file.
enum class OutputValue {
  count,  // int64 count, stored as int64
  money,  // int64 yuan, stored as float64 mCNY
  real,   // float64 (an index, a score, a price already in mCNY), stored as is
};

// A stock is the value at the end of the month (CF "time: point"); a flow is the total over the
// month (CF "time: sum"), so summing a flow over records gives the total over the months.
enum class Timing { stock, flow };

// Dimensions after (run, time).
enum class OutputDims {
  zone_sector,
  zone_skill,
  zone_size,
  zone,
  zone_pair,
  jurisdiction,
  jurisdiction_sector,
  zone_sector_target,
  zone_pair_sector,
  jurisdiction_instrument,
  region
};

// Where a time series' values come from: one record is a row-major span over its dimensions.
struct OutputSource {
  OutputValue value = OutputValue::count;
  std::span<const std::int64_t> (*integers)(const StepOutputs&) = nullptr;  // count, money
  std::span<const double> (*reals)(const StepOutputs&) = nullptr;           // real
};

// The headings time series are grouped under in the docs, in their order.
enum class OutputGroup {
  firms,
  talent,
  prices,
  moves,
  zone_finance,
  jurisdictions,
  offers,
  promotion,
  innovation,
  indicators
};
inline constexpr OutputGroup kOutputGroups[] = {
    OutputGroup::firms,     OutputGroup::talent,       OutputGroup::prices,
    OutputGroup::moves,     OutputGroup::zone_finance, OutputGroup::jurisdictions,
    OutputGroup::offers,    OutputGroup::promotion,    OutputGroup::innovation,
    OutputGroup::indicators};

struct OutputSpec {
  std::string_view name;
  OutputDims dims;
  std::string_view units;        // UDUNITS ("1", "1e6 CNY", "1e6 CNY month-1")
  std::string_view units_label;  // for readers: "persons", "million CNY per month"
  Timing timing;
  OutputSource source;
  OutputGroup group;
  std::string_view long_name;
};

// Every time series, in file order.
std::span<const OutputSpec> output_registry();

std::string_view cell_methods(Timing timing);
NcType nc_type(OutputValue value);
std::string_view group_heading(OutputGroup group);

// The variables without `time`, each named by its own id so the recorder and the run layout take
// their descriptions from the table without looking names up.
enum class FileVar {
  run,
  scenario,
  replicate,
  seed,
  swept_key,  // one per swept key, named after it ("talent__beta_wage")
  scenario_toml,
  scenario_extends_chain,
  scenario_hash,
  forked_from_month,
  wall_seconds,
  time,
  time_bnds,
  zone,
  sector,
  skill,
  jurisdiction,
  zone_from,
  zone_to,
  size_class,
  target,
  instrument,
  nv,
  text_length,  // one per character variable, named after it ("zone_strlen")
};

// Labels of the promotion dimensions, in index order (OfferTarget, Instrument).
inline constexpr std::string_view kTargetLabels[] = {"outside", "within"};
inline constexpr std::string_view kInstrumentLabels[] = {"settlement", "refund", "rent"};

enum class FileVarRole {
  dimension,       // the coordinate variable of a dimension
  cell_bounds,     // the bounds of a coordinate (CF `bounds`)
  bare_dimension,  // a dimension without a coordinate variable
  run_coordinate,  // along run, named in every time series' `coordinates` attribute
  run_provenance,  // along run: how the run was made
};

struct FileVariableSpec {
  FileVar id;
  std::string_view name;  // for swept_key, the pattern "<key>"
  FileVarRole role;
  NcType type;             // swept_key: float64, or character when a value is not a number
  std::string_view units;  // "" for none; time's depend on the start date (time_units)
  std::string_view long_name;
};

// The variables without `time`, coordinates first, in the order of FileVar.
std::span<const FileVariableSpec> file_variables();
const FileVariableSpec& file_variable(FileVar id);

// A time series' dimensions, outer to inner: run, time, then `dims`.
std::vector<FileVar> dimensions_of(OutputDims dims);

// A variable's name, and its `units` (when it has any) and `long_name` attributes.
std::string name_of(FileVar id);
Attributes attributes_of(FileVar id);

// The `units` of the time coordinate.
std::string time_units(std::string_view start_date);

// `regionsim outputs`: every variable as an aligned text table, or the Markdown that
// docs/output.md holds between its "generated" markers.
std::string outputs_table_text();
std::string outputs_markdown();

}  // namespace regionsim
