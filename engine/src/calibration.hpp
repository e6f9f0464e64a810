// Calibration by the simulated method of moments (`regionsim calibrate CALIBRATION.toml`): the
// behavioural parameters of a scenario are moved until the model's statistics (targets, as data in
// scenarios/targets/) match the real ones, by a derivative-free optimiser (NLopt).
//
// Design decisions:
// - Describe, then freeze, then fit. A calibration file is read into a CalibrationSpec, then
//   planned against its base scenario and targets (every key, bound and target checked, the start
//   point and both bounds loaded as scenarios) before the first run, so a typo fails in a second.
// - Common random numbers: replicate k of every candidate runs with the same seed, so the loss of
//   a candidate is a deterministic function of the candidate (and the seeds). The optimiser sees
//   a fixed, if piecewise constant, surface instead of fresh noise at every step, and the result
//   is bit-identical for any thread count: runs are pure functions of scenario and seed, and
//   replicate statistics are folded in replicate order.
// - The optimiser works in the unit cube: each parameter is mapped from [lower, upper] (linearly,
//   or by its logarithm for `log = true`) to [0, 1], so one step size and one tolerance fit all.
// - Loss = sum over targets of weight x (simulated mean - value)^2, weight 1/sd^2 by default: the
//   squared distance in units of each target's own uncertainty. A candidate whose statistic is
//   not a number (a zero denominator) gets kFailedLoss, a finite value so the simplex moves away.
// - Multi-starts run one after another, the replicates of an evaluation in parallel (each run's
//   agent loops nested inside, as in experiments). Starts after the first are fixed by the
//   calibration seed, so the whole search is reproducible; a time budget, if reached, is the only
//   thing that can make two searches differ, and the output says when it cut the search short.
// - Where the runs happen is a parameter: an evaluation's replicates are an experiment handed to
//   an ExperimentSimulator (this process by default; the MPI build shares them over ranks,
//   engine/mpi/mpi_calibration.hpp). The moments are folded here, in replicate order, from the
//   months the simulator delivers, so the loss does not depend on where or in what order the
//   runs were simulated.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "calibration_targets.hpp"
#include "experiment_runner.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/scenario.hpp"

namespace regionsim {

enum class Optimiser { neldermead, subplex, bobyqa };

struct FitParameter {
  std::string key;  // a scenario key, as for --set (firms.project_rate, zone.core.amenity)
  double lower = 0, upper = 0;
  std::optional<double> start;  // default: the base scenario's value
  bool log = false;             // search the logarithm (positive bounds only)
  bool integer = false;         // the registry takes integers here: values are rounded
  std::string place;            // file:line:column of its [[parameter]] entry
};

struct CalibrationSpec {
  std::string name, description;
  std::filesystem::path file;           // the calibration file itself
  std::filesystem::path scenario;       // base scenario (resolved against the file's directory)
  std::filesystem::path targets;        // targets file
  std::vector<std::string> target_ids;  // empty: every target the runs can evaluate
  std::vector<std::pair<std::string, double>> weights;    // id -> weight, replacing 1/sd^2
  std::vector<std::string> target_places, weight_places;  // file:line:column of each entry
  std::string set_place;                                  // of `set`
  std::vector<std::string> overrides;                     // --set for every run (scale, steps)
  std::vector<FitParameter> parameters;
  std::int64_t replicates = 4;
  std::uint64_t seed = 1;
  Optimiser optimiser = Optimiser::neldermead;
  int starts = 1;                      // multi-starts: the start point, then seeded random points
  int restarts = 0;                    // per start: local searches restarted from its best point
  std::int64_t max_evaluations = 200;  // over the whole search
  double max_seconds = 0;              // 0 = no time limit
  double x_tolerance = 1e-3;           // in the unit cube
  double initial_step = 0.1;           // initial simplex/trust-region size in the unit cube
};

// Reads a calibration file. Throws InputError "file:line:column: key = value: expected ...".
CalibrationSpec load_calibration(const std::filesystem::path& file);
CalibrationSpec load_calibration_text(std::string_view toml_text,
                                      const std::filesystem::path& file);

// One target as the fit uses it.
struct FitTarget {
  const Target* target = nullptr;
  double weight = 0;
};

// A checked calibration: targets chosen, base scenario loaded, parameter bounds and start valid.
struct CalibrationPlan {
  CalibrationSpec spec;
  TargetSet targets;
  std::vector<FitTarget> fit;  // in the targets file's order
  Scenario base;               // base scenario with the spec's overrides
  std::vector<double> start;   // parameter values
  YearMonth start_month;
};

// Plans the calibration: throws InputError naming the calibration file's line for a bad key,
// bound, start, target id or weight.
CalibrationPlan plan_calibration(const CalibrationSpec& spec);

// The variables a run records, for check_targets.
std::vector<VariableInfo> output_catalogue();

// One candidate evaluated: per target, its statistic in each replicate, their mean, and the loss.
struct Evaluation {
  std::vector<double> parameters;
  int start = 0;  // which multi-start found it
  double loss = 0;
  std::vector<std::vector<double>> moments;  // [target][replicate]
  std::vector<double> mean;                  // [target]
  std::vector<double> contribution;          // [target]: weight x (mean - value)^2
  bool failed = false;                       // a statistic was NaN
};

inline constexpr double kFailedLoss = 1e30;

// Simulates every run of an experiment, delivering each run's months to the sink (from any
// thread, one call at a time). Default: simulate_experiment in this process.
using ExperimentSimulator =
    std::function<ExperimentResult(const Experiment&, const RunOptions&, const RunSink&)>;

// The candidate's replicates as an experiment: run k is replicate k, with the calibration's
// seed for replicate k and the candidate's overrides. A pure function of plan and parameters.
Experiment candidate_experiment(const CalibrationPlan& plan, std::span<const double> parameters);

// Runs the candidate's replicates (in parallel over `threads`, 0 = all cores) and computes its
// moments and loss. Depends only on the plan and `parameters` (not on `simulate`).
Evaluation evaluate_candidate(const CalibrationPlan& plan, std::span<const double> parameters,
                              int threads, const ExperimentSimulator& simulate = {});

// A parameter's value as a coordinate of the unit cube (clamped to [0, 1]) and back.
double unit_coordinate(const FitParameter& p, double x);
double from_unit_coordinate(const FitParameter& p, double u);

// The --set overrides that give the candidate's scenario (values rounded for integer keys).
std::vector<std::string> candidate_overrides(const CalibrationPlan& plan,
                                             std::span<const double> parameters);

struct FitResult {
  std::vector<Evaluation> evaluations;  // in the order made
  std::size_t best = 0;                 // index of the lowest loss (the first on ties)
  double wall_seconds = 0;
  bool time_limited = false;  // the time budget stopped the search
  int threads = 0;
};

// Called after each evaluation (for progress): its index, the evaluation, the best so far.
using FitProgress =
    std::function<void(std::size_t index, const Evaluation& evaluation, const Evaluation& best)>;

// Evaluates one candidate (its parameter values) for the search.
using CandidateEvaluator = std::function<Evaluation(std::span<const double> parameters)>;

// The search: starts x (1 + restarts) local searches by the spec's optimiser, within the budget.
// Each candidate is evaluated by `evaluate` (default: evaluate_candidate with `threads`).
FitResult fit(const CalibrationPlan& plan, int threads, const FitProgress& progress = {},
              const CandidateEvaluator& evaluate = {});

// The fit table: target, value, sd, simulated mean, 90 % interval over replicates, weight x
// squared error and its share of the loss.
std::string fit_table(const CalibrationPlan& plan, const Evaluation& best);

// The fitted scenario: extends the base (path relative to `output_file`'s directory), sets the
// fitted values, with a header comment naming the command, loss and evaluations.
std::string fitted_scenario_toml(const CalibrationPlan& plan, const FitResult& result,
                                 const std::filesystem::path& output_file,
                                 const std::string& command_line);

// Every evaluation (parameters, loss, per-target moments per replicate) and the fit in one HDF5
// (netCDF-4) file, written to a temporary name and renamed.
void write_evaluations(const CalibrationPlan& plan, const FitResult& result,
                       const std::string& path, const std::string& command_line);

}  // namespace regionsim
