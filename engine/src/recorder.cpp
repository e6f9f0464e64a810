#include "recorder.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <stdexcept>

#include "money.hpp"
#include "output_registry.hpp"
#include "regionsim/experiment.hpp"
#include "run_layout.hpp"
#include "size_classes.hpp"

namespace regionsim {

namespace {

// A run's months of one time series, as the registry says it is stored (counts as int64, money
// in yuan as float64 million CNY, reals as they are), written in one call: whole chunks at once.
void write_series(NcWriter& file, VarId var, const OutputSource& source, std::size_t run,
                  std::span<const StepOutputs> months, std::vector<std::int64_t>& counts,
                  std::vector<double>& reals) {
  const std::size_t prefix[] = {run};
  const std::size_t first = static_cast<std::size_t>(months.front().month);
  counts.clear();
  reals.clear();
  for (const StepOutputs& out : months) {
    switch (source.value) {
      case OutputValue::count: {
        const std::span<const std::int64_t> record = source.integers(out);
        counts.insert(counts.end(), record.begin(), record.end());
        break;
      }
      case OutputValue::money: {
        const std::span<const std::int64_t> yuan = source.integers(out);
        std::transform(yuan.begin(), yuan.end(), std::back_inserter(reals), to_mcny);
        break;
      }
      case OutputValue::real: {
        const std::span<const double> record = source.reals(out);
        reals.insert(reals.end(), record.begin(), record.end());
        break;
      }
    }
  }
  if (source.value == OutputValue::count) {
    file.write_records(var, prefix, first, months.size(), std::span<const std::int64_t>(counts));
  } else {
    file.write_records(var, prefix, first, months.size(), std::span<const double>(reals));
  }
}

std::vector<std::string> labels_of(std::span<const std::string_view> labels) {
  return {labels.begin(), labels.end()};
}

std::vector<std::string> names_of(const auto& entities) {
  std::vector<std::string> names;
  names.reserve(entities.size());
  for (const auto& e : entities)
    names.push_back(e.name);
  return names;
}

std::chrono::year_month_day parse_date(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%u", &y, &m, &d) != 3)
    throw std::invalid_argument("start date '" + text + "' is not YYYY-MM-DD");
  return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m},
                                     std::chrono::day{d}};
}

}  // namespace

std::vector<double> month_offsets_in_days(const std::string& start_date, std::int64_t months) {
  using namespace std::chrono;
  const year_month_day start = parse_date(start_date);
  const sys_days origin{start};
  std::vector<double> days;
  days.reserve(static_cast<std::size_t>(months));
  for (std::int64_t t = 0; t < months; ++t) {
    const year_month_day d =
        year_month_day{start.year(), start.month(), day{1}} + std::chrono::months{t};
    days.push_back(static_cast<double>((sys_days{d} - origin).count()));
  }
  return days;
}

Recorder::Recorder(const std::string& path, const Experiment& plan, const RunMetadata& meta)
    : file_(path, NcWriter::Storage::memory),
      days_(month_offsets_in_days(plan.runs.front().scenario.run.start_date,
                                  plan.runs.front().scenario.run.steps + 1)) {
  const Scenario& scenario = plan.runs.front().scenario;
  const auto zones = names_of(scenario.zones);
  // The fixed dimensions after run and time, in file order, with their coordinates' names.
  const std::pair<FileVar, std::vector<std::string>> named[] = {
      {FileVar::zone, zones},
      {FileVar::sector, names_of(scenario.sectors)},
      {FileVar::skill, names_of(scenario.skills)},
      {FileVar::jurisdiction, names_of(scenario.jurisdictions)},
      {FileVar::zone_from, zones},
      {FileVar::zone_to, zones},
      {FileVar::size_class, size_class_labels()},
      {FileVar::target, labels_of(kTargetLabels)},
      {FileVar::instrument, labels_of(kInstrumentLabels)}};
  file_.define_dimension(name_of(FileVar::run), plan.runs.size());
  file_.define_dimension(name_of(FileVar::time), 0, true);
  for (const auto& [var, values] : named)
    file_.define_dimension(name_of(var), values.size());
  file_.define_dimension(name_of(FileVar::nv), 2);

  const RunLayout layout = define_run_dimension(file_, plan);
  wall_seconds_ = layout.wall_seconds;
  const FileVariableSpec& time = file_variable(FileVar::time);
  const std::string calendar = "proleptic_gregorian";
  file_.define_variable(name_of(FileVar::time), time.type, {name_of(FileVar::time)},
                        {{"units", time_units(scenario.run.start_date)},
                         {"calendar", calendar},
                         {"standard_name", std::string("time")},
                         {"long_name", std::string(time.long_name)},
                         {"bounds", name_of(FileVar::time_bnds)}});
  for (const auto& [var, values] : named)
    file_.set_text_coordinate(name_of(var), values, attributes_of(var));
  // CF lets bounds omit units; they repeat time's so that every reader decodes them alike.
  const VarId bounds = file_.define_variable(
      name_of(FileVar::time_bnds), NcType::float64, {name_of(FileVar::time), name_of(FileVar::nv)},
      {{"units", time_units(scenario.run.start_date)},
       {"calendar", calendar},
       {"long_name", std::string(file_variable(FileVar::time_bnds).long_name)}});
  // The whole time axis up front: runs finish in any order, each writes all its months at once.
  // Month t spans [start of t, start of t + 1).
  const std::size_t months = days_.size() - 1;
  for (std::size_t t = 0; t < months; ++t) {
    file_.write_unlimited_coordinate(t, days_[t]);
    const double cell[] = {days_[t], days_[t + 1]};
    file_.write_record(bounds, {}, t, std::span<const double>(cell));
  }

  file_.set_compression({meta.compression, true,
                         meta.months_per_chunk > 0 ? meta.months_per_chunk
                                                   : static_cast<std::size_t>(scenario.run.steps)});
  for (const OutputSpec& spec : output_registry()) {
    std::vector<std::string> dims;
    for (const FileVar dim : dimensions_of(spec.dims))
      dims.push_back(name_of(dim));
    vars_.push_back(file_.define_variable(std::string(spec.name), nc_type(spec.source.value), dims,
                                          {{"units", std::string(spec.units)},
                                           {"units_label", std::string(spec.units_label)},
                                           {"long_name", std::string(spec.long_name)},
                                           {"cell_methods", std::string(cell_methods(spec.timing))},
                                           {"coordinates", layout.coordinates}}));
  }

  set_root_provenance(file_, plan, meta);
  start_date_ = scenario.run.start_date;
}

Recorder::~Recorder() = default;

void Recorder::write_run(std::size_t run, std::span<const StepOutputs> months) {
  if (months.empty()) return;
  const std::size_t first = static_cast<std::size_t>(months.front().month);
  for (std::size_t i = 0; i < months.size(); ++i) {
    const std::size_t index = static_cast<std::size_t>(months[i].month);
    if (index != first + i) throw std::logic_error("recorder: months of a run must be consecutive");
    if (index + 1 >= days_.size())
      throw std::logic_error("recorder: month " + std::to_string(index) + " is past the time axis");
  }
  const std::span<const OutputSpec> series = output_registry();
  std::vector<std::int64_t> counts;
  std::vector<double> reals;
  for (std::size_t v = 0; v < series.size(); ++v)
    write_series(file_, vars_[v], series[v].source, run, months, counts, reals);
  written_ = std::max(written_, months.back().month + 1);
}

std::string month_label(const std::string& start_date, std::int64_t month) {
  using namespace std::chrono;
  const year_month_day d =
      year_month_day{parse_date(start_date).year(), parse_date(start_date).month(), day{1}} +
      months{month};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()));
  return text;
}

void Recorder::set_progress_attributes(std::span<const std::int64_t> months_done) {
  std::string done;
  for (const std::int64_t m : months_done) {
    if (!done.empty()) done += ',';
    done += std::to_string(m);
  }
  file_.set_root_attribute("months_done", done);
  file_.set_root_attribute("months_written", written_);
  file_.set_root_attribute("last_month",
                           written_ > 0 ? month_label(start_date_, written_ - 1) : std::string());
}

void Recorder::snapshot(std::span<const std::int64_t> months_done) {
  set_progress_attributes(months_done);
  file_.set_root_attribute("complete", std::string("false"));
  file_.publish();
}

void Recorder::finish(const std::string& ended_at, double wall_seconds,
                      std::span<const double> run_seconds, const std::string& interrupted_by,
                      std::span<const std::int64_t> months_done) {
  file_.write_variable(wall_seconds_, run_seconds);
  file_.set_root_attribute("ended_at", ended_at);
  file_.set_root_attribute("wall_seconds", wall_seconds);
  file_.set_root_attribute("months_written", written_);
  file_.set_root_attribute("last_month",
                           written_ > 0 ? month_label(start_date_, written_ - 1) : std::string());
  // Snapshots set these while the run went; the final file states them as they ended.
  if (!months_done.empty()) set_progress_attributes(months_done);
  if (!interrupted_by.empty()) file_.set_root_attribute("interrupted_by", interrupted_by);
  file_.set_root_attribute("complete", std::string(interrupted_by.empty() ? "true" : "false"));
  file_.publish();
  file_.close();
}

}  // namespace regionsim
