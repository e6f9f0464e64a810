// Calibration targets as data (scenarios/targets/*.toml): each target names a statistic of a run's
// recorded series, the real value it should match, its uncertainty and where the value comes from.
//
// Design decisions:
// - A target is a *statistic of outputs*, not of model state: whatever computes it later (the
//   simulated method of moments, a report) needs only the recorded series, handed in through a
//   callback, so this file depends on no recorder, registry or file format.
// - Periods are calendar months ("2022-01"), not record indices, because the sources date their
//   figures; the run's start month maps them to records at evaluation time.
// - Every conversion from the published figure to the model's definition is written out
//   (`figure` x `conversion` x `share` = `value`) and the reader checks the product, so a
//   target's number can always be traced back to its source.
// - Reading checks structure only; `check_targets` checks variable and dimension names against a
//   catalogue the caller supplies (the output registry's, when there is one).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace regionsim {

struct YearMonth {
  int year = 0;
  int month = 0;  // 1..12
};

// Records from `start` to `at` (negative before it): record 0 is the start month.
inline std::int64_t months_between(YearMonth start, YearMonth at) {
  return (std::int64_t{at.year} - start.year) * 12 + (at.month - start.month);
}

// Which cells of a series count, and with what weight: each listed dimension keeps only its listed
// labels (weight 1 each, or the weight written); dimensions not listed count whole.
struct Selection {
  struct Label {
    std::string name;
    double weight = 1;
  };
  struct Dim {
    std::string name;
    std::vector<Label> labels;
  };
  std::vector<Dim> dims;
};

// How a term folds its months into one number.
enum class TimeReduce {
  mean,    // mean of the monthly values (a stock's level over the period)
  sum,     // sum over the months (a flow's total)
  annual,  // sum x 12 / months (a flow per year)
  first,   // the first month of the period
  last,    // the last month of the period (a stock at a date)
};

// One variable, or several of identical dimensions summed ("talent_employed" + "talent_seeking"),
// over a selection of cells and a period of months.
struct Term {
  std::vector<std::string> variables;
  Selection select;
  TimeReduce reduce = TimeReduce::mean;
  YearMonth from, to;  // inclusive
  std::string place;   // file:line:column, for messages
};

enum class Statistic {
  level,          // one term
  ratio,          // sum of numerator terms / sum of denominator terms
  share,          // a selection of a variable / a wider selection of it (`of`)
  weighted_mean,  // an intensive variable (a wage) averaged over cells and months by a weight
  tail_index,     // slope of the counter-cumulative size distribution from a size-class histogram
};

struct Target {
  std::string id;
  std::string about;
  std::string units;
  Statistic statistic = Statistic::level;
  std::vector<Term> numerator;    // level, share, weighted_mean, tail_index: exactly one
  std::vector<Term> denominator;  // ratio and share
  std::string weights;            // weighted_mean: the weighting variable
  std::string size_dim;  // tail_index: the dimension of size classes (labels = lower bounds)
  double min_size = 0;   // tail_index: smallest class bound in the fit

  double value = 0;              // what the model statistic should match
  double sd = 0;                 // its uncertainty, absolute, in `units`
  std::optional<double> figure;  // the published figure, in the model's units
  double conversion = 1;         // to the model's definition (gross output -> value added, ...)
  double share = 1;              // of the figure's coverage that the model's cells represent
  std::string conversion_note, share_note;

  bool fact = false;  // true: a cited figure supports the value as it stands
  std::string reasoning;
  std::string source;
  int year = 0;
  std::string needs;     // non-empty: outputs or features the engine lacks today
  bool derived = false;  // computed from other targets: no independent information
  std::string place;
};

struct TargetSet {
  std::string name;
  std::string description;
  std::string file;
  std::vector<Target> targets;

  const Target* find(std::string_view id) const;
};

// Reads and validates a targets file. Throws InputError ("file:line:column: key = value: expected
// ...") on any bad input.
TargetSet load_targets(const std::filesystem::path& file);
TargetSet load_targets_text(std::string_view toml_text, std::string_view origin);

// What a run records: a variable's dimensions after `time`.
struct VariableInfo {
  std::string name;
  std::vector<std::string> dims;
};

// Checks every variable and dimension a target names against `catalogue`. A target that names an
// unknown variable fails (InputError, with a did-you-mean) unless it declares `needs`; the ids of
// those are returned: they cannot be evaluated on this engine's outputs.
std::vector<std::string> check_targets(const TargetSet& set,
                                       std::span<const VariableInfo> catalogue);

// One run's recorded series of a variable: `values` is row-major over (time, dims...).
struct SeriesData {
  std::vector<std::string> dims;
  std::vector<std::vector<std::string>> labels;  // one list per dimension
  std::vector<double> values;
};

// The series of a variable in the run, or nullptr if the run did not record it.
using SeriesLookup = std::function<const SeriesData*(std::string_view variable)>;

// The target's statistic on one run whose record 0 is month `start`. Throws InputError when the
// run lacks a variable, label or month the target names; returns NaN when a denominator is zero or
// a tail cannot be fitted.
double evaluate_target(const Target& target, const SeriesLookup& series, YearMonth start);

}  // namespace regionsim
