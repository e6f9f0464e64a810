// Experiments: scenarios x sweep points x replicates in one results file.
//
// Design decisions
// - Describe, then freeze, then run. An ExperimentSpec (from the command line or an experiment
//   file) is planned once into an Experiment: every run's scenario loaded, overridden and
//   validated, seeds fixed and shared warm-ups decided before any run starts, so a typo in the
//   tenth sweep value fails in a second, not after nine runs.
// - Paired arms (common random numbers): a run's seed depends on the base seed and the replicate
//   only, never on the scenario or the sweep point, so replicate k of every arm sees the same
//   random streams and differences between arms measure the policy, not the noise.
// - Every run is reproducible alone: `ExperimentRun::overrides` are the --set overrides (seed
//   included) that give the same scenario from the same file, hence the same data.
// - Shared warm-up: arms at the same sweep point and replicate that coincide for their first m
//   months (common_prefix_months) fork from one simulation of those months instead of repeating
//   them; the data is bit-identical either way.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "regionsim/run.hpp"
#include "regionsim/scenario.hpp"
#include "regionsim/step_outputs.hpp"

namespace regionsim {

// One value of a swept key: `text` is applied as `--set key=text`, `label` is how the value reads
// (the string without quotes for text), `number` is set when the value is a number.
struct SweepValue {
  std::string text;
  std::string label;
  std::optional<double> number;
};

struct SweepAxis {
  std::string key;  // any scenario key, e.g. talent.beta_wage
  std::vector<SweepValue> values;

  // Every value is a number: the file's coordinate is float64, otherwise string.
  bool numeric() const;
  // The coordinate's name in the file: the key with dots replaced by "__" (talent__beta_wage).
  std::string coordinate_name() const;
};

// What an experiment is, as described by the command line or an experiment file.
struct ExperimentSpec {
  std::string name;         // empty: the scenario names joined by '+'
  std::string description;  // informative, recorded in the file
  std::string source_file;  // the experiment file; empty for a command-line experiment
  std::vector<std::filesystem::path> scenarios;
  std::int64_t replicates = 1;
  std::optional<std::uint64_t> seed;   // base seed; default: the scenarios' own (equal) run.seed
  std::optional<std::int64_t> steps;   // short for the override run.steps=N
  std::vector<std::string> overrides;  // "key=value" for every run, before the sweep values
  std::vector<SweepAxis> sweeps;       // crossed, the first axis outermost
};

// Parses "key=start:stop:step" (stop included when the steps reach it) or "key=v1,v2,...".
// A range of integers gives integers, a range of decimals gives decimals rounded to the places
// written ("0.1:0.3:0.1" gives 0.1, 0.2, 0.3). Throws InputError naming `where` and the text.
SweepAxis parse_sweep(std::string_view text, std::string_view where = "--sweep");

// Reads an experiment file (scenarios/experiments/*.toml): keys name, description, scenarios
// (paths relative to the file), replicates, seed, steps, set, and a [sweep] table of key -> array
// of values or "start:stop:step". Throws InputError naming file:line:column, key and expectation.
ExperimentSpec load_experiment_file(const std::filesystem::path& file);
// The same from text already read; `file` names it in messages and anchors its relative paths.
ExperimentSpec load_experiment_text(std::string_view toml_text, const std::filesystem::path& file);

// Seed of replicate k: the base seed itself for k = 0, so a run without replicates keeps the seed
// it always had; for k >= 1 the splitmix64 mix of the base seed and k, cut to 63 bits so that it
// fits run.seed (a TOML integer). The same for every scenario and sweep point.
std::uint64_t replicate_seed(std::uint64_t base, std::int64_t replicate);

// FNV-1a 64-bit hash of text (the resolved scenario), stable across builds and platforms.
std::uint64_t fnv1a64(std::string_view text);
std::string hex64(std::uint64_t value);  // 16 lowercase hex digits

struct ExperimentRun {
  std::size_t scenario_index = 0;  // into Experiment::scenario_names
  std::size_t point = 0;           // sweep point, index into the cross product of the axes
  std::int64_t replicate = 0;
  std::uint64_t seed = 0;
  std::vector<std::size_t> sweep_values;  // per axis, the index of this run's value
  // The --set overrides applied to the scenario file (spec overrides, steps, sweep values, seed,
  // in that order): `regionsim run FILE --set ...` with these reproduces the run's data.
  std::vector<std::string> overrides;
  Scenario scenario;  // resolved and validated
  // Shared warm-up: this run continues a copy of run `fork_parent` after `fork_month` months
  // (its records before then are the parent's); -1 and -1 when simulated from month 0.
  std::int64_t fork_parent = -1;
  std::int64_t fork_month = -1;
};

// A planned experiment: frozen, every run validated.
struct Experiment {
  std::string name, description, source_file;
  std::vector<std::string> scenario_names;  // in the order given
  std::vector<std::string> scenario_files;
  std::vector<SweepAxis> sweeps;
  std::size_t points = 1;  // sweep points (product of the axes' sizes)
  std::int64_t replicates = 1;
  std::uint64_t base_seed = 0;
  // Scenario-major, then sweep point, then replicate:
  // run index = (scenario_index * points + point) * replicates + replicate.
  std::vector<ExperimentRun> runs;
};

// Months over which two arms of the same replicate simulate identically.
using PrefixMonths = std::function<std::int64_t(const Scenario&, const Scenario&)>;

// Loads and validates every run's scenario, fixes seeds and decides shared warm-ups. `prefix`
// defaults to common_prefix_months; `share_warmup = false` simulates every run from month 0.
// Throws InputError for bad input (naming the run, scenario file and sweep values).
Experiment plan_experiment(const ExperimentSpec& spec, const PrefixMonths& prefix = {},
                           bool share_warmup = true);

// The plan of one run of an already loaded scenario (`regionsim run X.toml`).
Experiment single_run_plan(const Scenario& scenario);

// "baseline" or "joint [talent.beta_wage=2.5]": the arm and its sweep values.
std::string run_label(const Experiment& plan, const ExperimentRun& run);

struct ExperimentResult {
  std::vector<StepOutputs> final_months;  // per run
  std::vector<double> run_seconds;        // per run: simulating its own months (after a fork)
  std::int64_t months = 0;                // months per run
  std::int64_t months_simulated = 0;      // over all runs
  std::int64_t months_shared = 0;         // not simulated thanks to shared warm-ups
  double wall_seconds = 0;
  int threads = 0;
  std::vector<std::int64_t> months_done;  // per run: months simulated and recorded
  int interrupted = 0;                    // the signal that stopped the runs early; 0 if none
};

// Runs every run of the plan into one file (same naming, refusal and temporary-name rules as
// run_to_file), runs in parallel over the threads and agents in parallel within runs.
ExperimentResult run_experiment(const Experiment& plan, const RunOptions& options);

}  // namespace regionsim
