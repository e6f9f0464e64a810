// Planning a calibration (targets chosen and checked, parameters checked against the scenario)
// and evaluating one candidate: its replicates run as one experiment with common seeds, each run's
// targets computed from its months in memory (no file round trip).
#include <algorithm>
#include <cmath>
#include <mutex>
#include <set>

#include <toml++/toml.h>

#include "calibration.hpp"
#include "experiment_runner.hpp"
#include "money.hpp"
#include "output_registry.hpp"
#include "param_registry.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/scenario_loader.hpp"
#include "size_classes.hpp"
#include "text.hpp"
#include "toml_merge.hpp"

namespace regionsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

YearMonth start_of(const Scenario& s) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(s.run.start_date.c_str(), "%d-%d-%d", &y, &m, &d) != 3)
    throw InputError("run.start_date = \"" + s.run.start_date + "\": expected YYYY-MM-DD");
  return YearMonth{y, m};
}

std::string year_month(YearMonth at) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", at.year, at.month);
  return buf;
}

// The last record any term of the target reads, and the first.
std::pair<std::int64_t, std::int64_t> record_span(const Target& t, YearMonth start) {
  std::int64_t first = std::numeric_limits<std::int64_t>::max();
  std::int64_t last = std::numeric_limits<std::int64_t>::min();
  for (const auto* terms : {&t.numerator, &t.denominator})
    for (const Term& term : *terms) {
      first = std::min(first, months_between(start, term.from));
      last = std::max(last, months_between(start, term.to));
    }
  return {first, last};
}

// The registry's kind of a key ("firms.project_rate", "zone.core.amenity"), or null if unknown.
const ParamSpec* spec_of(const std::string& key) {
  const std::vector<std::string_view> parts = split(key, '.');
  if (parts.size() == 2) return find_param(parts[0], parts[1]);
  if (parts.size() == 3) return find_param(parts[0], parts[2]);
  return nullptr;
}

std::string value_text(const FitParameter& p, double x) {
  if (p.integer) return std::to_string(std::llround(x));
  return format_number(x);
}

std::vector<std::string> labels_of(const Scenario& s, FileVar dim) {
  std::vector<std::string> out;
  const auto names = [&](const auto& entities) {
    for (const auto& e : entities)
      out.push_back(e.name);
  };
  switch (dim) {
    case FileVar::zone:
    case FileVar::zone_from:
    case FileVar::zone_to:
      names(s.zones);
      break;
    case FileVar::sector:
      names(s.sectors);
      break;
    case FileVar::skill:
      names(s.skills);
      break;
    case FileVar::jurisdiction:
      names(s.jurisdictions);
      break;
    case FileVar::size_class:  // the targets on the size distribution select by these labels
      out = size_class_labels();
      break;
    default:
      break;
  }
  return out;
}

// A run's months of the variables `wanted`, as the recorder would store them (money in mCNY).
std::vector<std::pair<std::string, SeriesData>> series_of_run(
    const Scenario& scenario, std::span<const StepOutputs> months,
    const std::set<std::string, std::less<>>& wanted) {
  std::vector<std::pair<std::string, SeriesData>> out;
  for (const OutputSpec& spec : output_registry()) {
    if (!wanted.contains(spec.name)) continue;
    SeriesData data;
    for (const FileVar dim : dimensions_of(spec.dims)) {
      if (dim == FileVar::run || dim == FileVar::time) continue;
      data.dims.push_back(name_of(dim));
      data.labels.push_back(labels_of(scenario, dim));
    }
    for (const StepOutputs& month : months) {
      switch (spec.source.value) {
        case OutputValue::count:
          for (const std::int64_t v : spec.source.integers(month))
            data.values.push_back(static_cast<double>(v));
          break;
        case OutputValue::money:
          for (const std::int64_t v : spec.source.integers(month))
            data.values.push_back(to_mcny(v));
          break;
        case OutputValue::real:
          for (const double v : spec.source.reals(month))
            data.values.push_back(v);
          break;
      }
    }
    out.emplace_back(std::string(spec.name), std::move(data));
  }
  return out;
}

double to_unit(const FitParameter& p, double x) {
  if (p.log) return (std::log(x) - std::log(p.lower)) / (std::log(p.upper) - std::log(p.lower));
  return (x - p.lower) / (p.upper - p.lower);
}

}  // namespace

std::vector<VariableInfo> output_catalogue() {
  std::vector<VariableInfo> out;
  for (const OutputSpec& spec : output_registry()) {
    VariableInfo info{std::string(spec.name), {}};
    for (const FileVar dim : dimensions_of(spec.dims))
      if (dim != FileVar::run && dim != FileVar::time) info.dims.push_back(name_of(dim));
    out.push_back(std::move(info));
  }
  return out;
}

CalibrationPlan plan_calibration(const CalibrationSpec& spec) {
  CalibrationPlan plan;
  plan.spec = spec;
  const std::string file = spec.file.string();
  try {
    plan.base = load_scenario(spec.scenario, spec.overrides);
  } catch (const InputError& e) {
    throw InputError((spec.set_place.empty() ? file : spec.set_place) +
                     ": scenario with set: " + e.what());
  }
  plan.start_month = start_of(plan.base);
  plan.targets = load_targets(spec.targets);
  const std::vector<std::string> pending = check_targets(plan.targets, output_catalogue());
  const std::int64_t steps = plan.base.run.steps;
  const auto is_pending = [&](const std::string& id) {
    return std::find(pending.begin(), pending.end(), id) != pending.end();
  };

  // Targets: the listed ones (each checked), or every one these runs can evaluate.
  std::vector<std::string_view> ids;
  for (const Target& t : plan.targets.targets)
    ids.push_back(t.id);
  std::vector<bool> chosen(plan.targets.targets.size(), spec.target_ids.empty());
  for (std::size_t i = 0; i < spec.target_ids.size(); ++i) {
    const std::string& id = spec.target_ids[i];
    const std::string at = i < spec.target_places.size() ? spec.target_places[i] : file;
    const auto it = std::find(ids.begin(), ids.end(), id);
    if (it == ids.end())
      throw InputError(at + ": use = \"" + id + "\": expected a target id of " +
                       spec.targets.string() + did_you_mean(id, ids));
    const Target& t = plan.targets.targets[static_cast<std::size_t>(it - ids.begin())];
    if (is_pending(id))
      throw InputError(at + ": use = \"" + id + "\": expected a target the engine can evaluate; " +
                       "it needs " + t.needs);
    const auto [first, last] = record_span(t, plan.start_month);
    if (first < 0 || last >= steps)
      throw InputError(at + ": use = \"" + id + "\": its months reach record " +
                       std::to_string(last) + " (from " + year_month(plan.start_month) +
                       "): expected runs of at least " + std::to_string(last + 1) +
                       " months starting no later than its first month (run.steps = " +
                       std::to_string(steps) + ")");
    if (chosen[static_cast<std::size_t>(it - ids.begin())])
      throw InputError(at + ": use = \"" + id + "\": expected each target once");
    chosen[static_cast<std::size_t>(it - ids.begin())] = true;
  }
  for (std::size_t i = 0; i < plan.targets.targets.size(); ++i) {
    const Target& t = plan.targets.targets[i];
    if (spec.target_ids.empty()) {
      const auto [first, last] = record_span(t, plan.start_month);
      if (t.derived || is_pending(t.id) || first < 0 || last >= steps) continue;
    }
    if (chosen[i]) plan.fit.push_back(FitTarget{&t, 1.0 / (t.sd * t.sd)});
  }
  if (plan.fit.empty())
    throw InputError(file + ": no target to fit: expected runs long enough for some target of " +
                     spec.targets.string() + " (run.steps = " + std::to_string(steps) + ")");
  for (std::size_t i = 0; i < spec.weights.size(); ++i) {
    const std::string& id = spec.weights[i].first;
    const double weight = spec.weights[i].second;
    const auto it = std::find_if(plan.fit.begin(), plan.fit.end(),
                                 [&](const FitTarget& f) { return f.target->id == id; });
    if (it == plan.fit.end()) {
      std::vector<std::string_view> fitted;
      for (const FitTarget& f : plan.fit)
        fitted.push_back(f.target->id);
      throw InputError(spec.weight_places[i] + ": weights." + id +
                       ": expected the id of a fitted target (" + join(fitted) + ")" +
                       did_you_mean(id, fitted));
    }
    it->weight = weight;
  }

  // Parameters: known numeric keys whose bounds load, and a start within them.
  const toml::table resolved = toml::parse(plan.base.resolved_toml);
  for (FitParameter& p : plan.spec.parameters) {
    const std::string what = p.place + ": parameter key = \"" + p.key + "\": ";
    const ParamSpec* param = spec_of(p.key);
    if (param != nullptr && param->kind() != ParamKind::real && param->kind() != ParamKind::integer)
      throw InputError(what + "expected a numeric scenario key; this one takes " +
                       (param->kind() == ParamKind::boolean ? "true or false" : "text or a table"));
    p.integer = param != nullptr && param->kind() == ParamKind::integer;
    for (const double bound : {p.lower, p.upper}) {
      std::vector<std::string> overrides = spec.overrides;
      overrides.push_back(p.key + "=" + value_text(p, bound));
      try {
        (void)load_scenario(spec.scenario, overrides);
      } catch (const InputError& e) {
        throw InputError(what + "bound " + format_number(bound) + " is not valid: " + e.what());
      }
    }
    double start = kNaN;
    if (p.start) {
      start = *p.start;
    } else {
      const toml::node_view<const toml::node> node = resolved.at_path(p.key);
      if (const auto v = node.value<double>()) start = *v;
      if (!(start >= p.lower && start <= p.upper))
        throw InputError(what + "the base scenario's value " + format_number(start) +
                         " is outside [" + format_number(p.lower) + ", " + format_number(p.upper) +
                         "]: expected bounds around it or a `start`");
    }
    plan.start.push_back(start);
  }
  return plan;
}

std::vector<std::string> candidate_overrides(const CalibrationPlan& plan,
                                             std::span<const double> parameters) {
  std::vector<std::string> out = plan.spec.overrides;
  for (std::size_t i = 0; i < plan.spec.parameters.size(); ++i)
    out.push_back(plan.spec.parameters[i].key + "=" +
                  value_text(plan.spec.parameters[i], parameters[i]));
  return out;
}

double unit_coordinate(const FitParameter& p, double x) {
  return std::clamp(to_unit(p, x), 0.0, 1.0);
}

double from_unit_coordinate(const FitParameter& p, double u) {
  u = std::clamp(u, 0.0, 1.0);
  const double x = p.log ? std::exp(std::log(p.lower) + u * (std::log(p.upper) - std::log(p.lower)))
                         : p.lower + u * (p.upper - p.lower);
  // Ten significant digits: the start written 0.012 comes back as 0.012, not 0.011999999999999999
  // (exp of log), and the fitted scenario reads as written; far below any tolerance of a search.
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", x);
  return std::clamp(std::strtod(text, nullptr), p.lower, p.upper);
}

Experiment candidate_experiment(const CalibrationPlan& plan, std::span<const double> parameters) {
  const CalibrationSpec& spec = plan.spec;
  Experiment experiment;
  experiment.name = spec.name;
  experiment.scenario_names = {spec.name};
  experiment.scenario_files = {spec.scenario.string()};
  experiment.replicates = spec.replicates;
  experiment.base_seed = spec.seed;
  const std::vector<std::string> overrides = candidate_overrides(plan, parameters);
  for (std::int64_t k = 0; k < spec.replicates; ++k) {
    ExperimentRun run;
    run.replicate = k;
    run.seed = replicate_seed(spec.seed, k);
    run.overrides = overrides;
    run.overrides.push_back("run.seed=" + std::to_string(run.seed));
    run.scenario = load_scenario(spec.scenario, run.overrides);
    experiment.runs.push_back(std::move(run));
  }
  return experiment;
}

Evaluation evaluate_candidate(const CalibrationPlan& plan, std::span<const double> parameters,
                              int threads, const ExperimentSimulator& simulate) {
  const CalibrationSpec& spec = plan.spec;
  const Experiment experiment = candidate_experiment(plan, parameters);

  std::set<std::string, std::less<>> wanted;
  for (const FitTarget& f : plan.fit) {
    for (const auto* terms : {&f.target->numerator, &f.target->denominator})
      for (const Term& term : *terms)
        wanted.insert(term.variables.begin(), term.variables.end());
    if (!f.target->weights.empty()) wanted.insert(f.target->weights);
  }

  Evaluation e;
  e.parameters.assign(parameters.begin(), parameters.end());
  const auto replicates = static_cast<std::size_t>(spec.replicates);
  e.moments.assign(plan.fit.size(), std::vector<double>(replicates, kNaN));
  RunOptions options;
  options.threads = threads;
  const RunSink sink = [&](std::size_t run, std::span<const StepOutputs> months) {
    const auto series = series_of_run(experiment.runs[run].scenario, months, wanted);
    const SeriesLookup lookup = [&](std::string_view name) -> const SeriesData* {
      for (const auto& [n, data] : series)
        if (n == name) return &data;
      return nullptr;
    };
    for (std::size_t t = 0; t < plan.fit.size(); ++t)
      e.moments[t][run] = evaluate_target(*plan.fit[t].target, lookup, plan.start_month);
  };
  if (simulate)
    (void)simulate(experiment, options, sink);
  else
    (void)simulate_experiment(experiment, options, sink);

  // Folded in replicate order, whatever order the runs finished in.
  e.mean.assign(plan.fit.size(), 0.0);
  e.contribution.assign(plan.fit.size(), 0.0);
  for (std::size_t t = 0; t < plan.fit.size(); ++t) {
    double sum = 0;
    for (const double m : e.moments[t])
      sum += m;
    e.mean[t] = sum / static_cast<double>(replicates);
    const double error = e.mean[t] - plan.fit[t].target->value;
    e.contribution[t] = plan.fit[t].weight * error * error;
    if (!std::isfinite(e.contribution[t])) e.failed = true;
    e.loss += e.contribution[t];
  }
  if (e.failed) e.loss = kFailedLoss;
  return e;
}

}  // namespace regionsim
