// Planning an experiment: sweep values, seeds, the cross product of runs, every run's scenario
// loaded and validated, and which arms share a warm-up.
#include "regionsim/experiment.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

#include "policy_schedule.hpp"
#include "regionsim/scenario_loader.hpp"
#include "text.hpp"
#include "toml_merge.hpp"

namespace regionsim {

namespace {

constexpr std::size_t kMaxSweepValues = 10000;
constexpr std::int64_t kMaxRuns = 1000000;

std::optional<double> parse_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

bool is_integer_text(std::string_view text) {
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// Digits after the decimal point, or -1 when written with an exponent.
int decimals(std::string_view text) {
  if (text.find_first_of("eE") != std::string_view::npos) return -1;
  const auto dot = text.find('.');
  return dot == std::string_view::npos ? 0 : static_cast<int>(text.size() - dot - 1);
}

SweepValue number_value(const std::string& text, double number) {
  return SweepValue{text, text, number};
}

std::vector<SweepValue> parse_range(std::string_view range, const std::string& where) {
  std::vector<std::string_view> parts = split(range, ':');
  for (auto& part : parts)
    part = trim(part);
  const auto fail = [&](const std::string& why) { return InputError(where + ": " + why); };
  if (parts.size() != 3) throw fail("expected start:stop:step with three numbers");
  const auto start = parse_number(parts[0]), stop = parse_number(parts[1]),
             step = parse_number(parts[2]);
  if (!start || !stop || !step) throw fail("expected start:stop:step with three numbers");
  if (*step == 0) throw fail("the step is 0; expected a step that goes from start towards stop");
  const double span = (*stop - *start) / *step;
  if (span < -1e-9)
    throw fail("the step goes away from stop; expected a step that goes from start towards stop");
  if (span > static_cast<double>(kMaxSweepValues))
    throw fail("more than " + std::to_string(kMaxSweepValues) + " values; expected a coarser step");
  const auto count = static_cast<std::int64_t>(std::floor(span + 1e-9)) + 1;
  const bool integers =
      is_integer_text(parts[0]) && is_integer_text(parts[1]) && is_integer_text(parts[2]);
  int places = 0;
  for (const auto part : parts) {
    const int d = decimals(part);
    places = d < 0 || places < 0 ? -1 : std::max(places, d);
  }
  std::vector<SweepValue> values;
  for (std::int64_t i = 0; i < count; ++i) {
    const double x = *start + static_cast<double>(i) * *step;
    if (integers) {
      const auto n = static_cast<long long>(std::llround(x));
      values.push_back(number_value(std::to_string(n), static_cast<double>(n)));
    } else if (places >= 0) {
      // Rounded to the places written: 0.1 + 2 * 0.1 reads 0.3, not 0.30000000000000004.
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.*f", std::max(places, 1), x);
      values.push_back(number_value(buffer, *parse_number(buffer)));
    } else {
      std::string text = format_number(x);
      if (text.find_first_of(".e") == std::string::npos) text += ".0";
      values.push_back(number_value(text, x));
    }
  }
  return values;
}

// Keys a sweep may not take: they would change what a run is rather than a parameter of it.
void check_sweep_key(const SweepAxis& axis, const std::string& where) {
  if (axis.key == "run.seed")
    throw InputError(where +
                     ": run.seed cannot be swept; use replicates (--replicates N), whose "
                     "seeds derive from the base seed");
  if (axis.key == "name" || axis.key == "extends")
    throw InputError(
        where + ": " + axis.key +
        " cannot be swept; it names a scenario, expected a scenario key such as talent.beta_wage");
}

std::vector<std::string> names_of(const auto& entities) {
  std::vector<std::string> names;
  names.reserve(entities.size());
  for (const auto& e : entities)
    names.push_back(e.name);
  return names;
}

// All runs share one file, so they share its time axis and its dimensions.
void check_same_layout(const Experiment& plan, const std::string& where) {
  const ExperimentRun& first = plan.runs.front();
  const Scenario& a = first.scenario;
  for (const ExperimentRun& run : plan.runs) {
    const Scenario& b = run.scenario;
    std::string what;
    if (b.run.steps != a.run.steps)
      what = "run.steps = " + std::to_string(b.run.steps) + ", but " + std::to_string(a.run.steps) +
             " in";
    else if (b.run.start_date != a.run.start_date)
      what = "run.start_date = " + b.run.start_date + ", but " + a.run.start_date + " in";
    else if (names_of(b.zones) != names_of(a.zones) || names_of(b.sectors) != names_of(a.sectors) ||
             names_of(b.skills) != names_of(a.skills) ||
             names_of(b.jurisdictions) != names_of(a.jurisdictions))
      what = "other region lists (zones, sectors, skills or jurisdictions) than";
    if (!what.empty())
      throw InputError(where + ": run '" + run_label(plan, run) + "' has " + what + " run '" +
                       run_label(plan, first) +
                       "'; the runs of one file share its time axis and dimensions");
  }
}

// Each run forks from the earliest earlier arm of its sweep point and replicate that is simulated
// from month 0 and shares the longest prefix with it; arms sharing none run from month 0. Arms of
// one replicate differ from those of another only in the seed, which they share, so the decision
// is made on replicate 0 and holds for every replicate.
void share_warmups(Experiment& plan, const PrefixMonths& prefix) {
  const std::size_t arms = plan.scenario_names.size();
  const auto replicates = static_cast<std::size_t>(plan.replicates);
  const auto index = [&](std::size_t s, std::size_t p) {
    return (s * plan.points + p) * replicates;
  };
  for (std::size_t p = 0; p < plan.points; ++p) {
    for (std::size_t s = 1; s < arms; ++s) {
      const ExperimentRun& run = plan.runs[index(s, p)];
      std::int64_t best = 0;
      std::size_t parent = 0;
      for (std::size_t t = 0; t < s; ++t) {
        const ExperimentRun& other = plan.runs[index(t, p)];
        if (other.fork_parent >= 0) continue;
        const std::int64_t m =
            std::min(prefix(other.scenario, run.scenario), run.scenario.run.steps);
        if (m > best) {
          best = m;
          parent = t;
        }
      }
      if (best == 0) continue;
      for (std::size_t r = 0; r < replicates; ++r) {
        plan.runs[index(s, p) + r].fork_parent = static_cast<std::int64_t>(index(parent, p) + r);
        plan.runs[index(s, p) + r].fork_month = best;
      }
    }
  }
}

}  // namespace

bool SweepAxis::numeric() const {
  return std::all_of(values.begin(), values.end(),
                     [](const SweepValue& v) { return v.number.has_value(); });
}

std::string SweepAxis::coordinate_name() const {
  std::string name;
  for (const char c : key)
    name += c == '.' ? std::string("__") : std::string(1, c);
  return name;
}

SweepAxis parse_sweep(std::string_view text, std::string_view where_text) {
  const std::string where = std::string(where_text) + " " + std::string(text);
  const auto equals = text.find('=');
  if (equals == std::string_view::npos || trim(text.substr(0, equals)).empty())
    throw InputError(where + ": expected key=start:stop:step or key=v1,v2,...");
  SweepAxis axis;
  axis.key = std::string(trim(text.substr(0, equals)));
  const std::string_view spec = trim(text.substr(equals + 1));
  if (spec.find(':') != std::string_view::npos && spec.find(',') == std::string_view::npos) {
    axis.values = parse_range(spec, where);
  } else {
    for (const std::string_view part : split(spec, ',')) {
      const std::string item(trim(part));
      if (item.empty()) throw InputError(where + ": an empty value; expected key=v1,v2,...");
      axis.values.push_back(SweepValue{item, item, parse_number(item)});
    }
  }
  check_sweep_key(axis, where);
  return axis;
}

std::uint64_t replicate_seed(std::uint64_t base, std::int64_t replicate) {
  if (replicate == 0) return base;
  // splitmix64 (Steele, Lea, Flood 2014) of the base seed advanced by k golden-ratio increments.
  std::uint64_t z = base + static_cast<std::uint64_t>(replicate) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return z >> 1;
}

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

std::string hex64(std::uint64_t value) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

std::string run_label(const Experiment& plan, const ExperimentRun& run) {
  std::string label = plan.scenario_names.at(run.scenario_index);
  std::vector<std::string> values;
  for (std::size_t a = 0; a < plan.sweeps.size(); ++a)
    values.push_back(plan.sweeps[a].key + "=" + plan.sweeps[a].values[run.sweep_values[a]].label);
  if (!values.empty()) label += " [" + join(values, ", ") + "]";
  return label;
}

Experiment plan_experiment(const ExperimentSpec& spec, const PrefixMonths& prefix,
                           bool share_warmup) {
  const std::string where = spec.source_file.empty() ? std::string("experiment") : spec.source_file;
  if (spec.scenarios.empty())
    throw InputError(where + ": no scenario; expected at least one scenario file");
  if (spec.replicates < 1)
    throw InputError(where + ": replicates = " + std::to_string(spec.replicates) +
                     ": expected at least 1");
  Experiment plan;
  plan.description = spec.description;
  plan.source_file = spec.source_file;
  plan.sweeps = spec.sweeps;
  plan.replicates = spec.replicates;
  std::set<std::string> keys;
  for (const SweepAxis& axis : spec.sweeps) {
    check_sweep_key(axis, where + ": sweep " + axis.key);
    if (axis.values.empty()) throw InputError(where + ": sweep " + axis.key + " has no values");
    if (!keys.insert(axis.key).second)
      throw InputError(where + ": sweep " + axis.key + " is given twice; expected each key once");
    // Two equal values would be two identical runs labelled as different sweep points.
    for (std::size_t i = 0; i < axis.values.size(); ++i)
      for (std::size_t k = 0; k < i; ++k) {
        const SweepValue &a = axis.values[k], &b = axis.values[i];
        if (a.number && b.number ? *a.number == *b.number : a.label == b.label)
          throw InputError(where + ": sweep " + axis.key + " gives the value " + b.label +
                           " twice (values " + std::to_string(k + 1) + " and " +
                           std::to_string(i + 1) + "); expected distinct values");
      }
    plan.points *= axis.values.size();
  }
  const auto total = static_cast<double>(spec.scenarios.size()) * static_cast<double>(plan.points) *
                     static_cast<double>(spec.replicates);
  if (total > static_cast<double>(kMaxRuns))
    throw InputError(where + ": " + std::to_string(static_cast<long long>(total)) +
                     " runs; expected at most " + std::to_string(kMaxRuns));

  std::vector<std::string> common = spec.overrides;
  if (spec.steps) common.push_back("run.steps=" + std::to_string(*spec.steps));

  // Each scenario once as given, for its name and its own seed.
  std::map<std::string, std::string> files_by_name;
  std::optional<std::uint64_t> seed = spec.seed;
  std::string seed_from;
  for (const auto& file : spec.scenarios) {
    const Scenario s = load_scenario(file, common);
    if (auto [it, fresh] = files_by_name.emplace(s.name, file.string()); !fresh)
      throw InputError(where + ": scenarios '" + it->second + "' and '" + file.string() +
                       "' are both named '" + s.name +
                       "'; expected a distinct name per arm (set name = \"...\" in one of them)");
    if (!spec.seed && seed && *seed != s.run.seed)
      throw InputError(
          where + ": scenario '" + file.string() + "' has run.seed = " +
          std::to_string(s.run.seed) + " but '" + seed_from + "' has " + std::to_string(*seed) +
          "; paired arms need one base seed: give --seed N (or seed = N in the experiment file)");
    if (!seed) {
      seed = s.run.seed;
      seed_from = file.string();
    }
    plan.scenario_names.push_back(s.name);
    plan.scenario_files.push_back(file.string());
  }
  plan.base_seed = *seed;
  plan.name = spec.name.empty() ? join(plan.scenario_names, "+") : spec.name;

  for (std::size_t s = 0; s < spec.scenarios.size(); ++s) {
    for (std::size_t p = 0; p < plan.points; ++p) {
      std::vector<std::size_t> chosen(spec.sweeps.size());
      std::size_t rest = p;
      for (std::size_t a = spec.sweeps.size(); a-- > 0;) {
        chosen[a] = rest % spec.sweeps[a].values.size();
        rest /= spec.sweeps[a].values.size();
      }
      for (std::int64_t r = 0; r < spec.replicates; ++r) {
        ExperimentRun run;
        run.scenario_index = s;
        run.point = p;
        run.replicate = r;
        run.seed = replicate_seed(plan.base_seed, r);
        run.sweep_values = chosen;
        run.overrides = common;
        for (std::size_t a = 0; a < spec.sweeps.size(); ++a)
          run.overrides.push_back(spec.sweeps[a].key + "=" + spec.sweeps[a].values[chosen[a]].text);
        run.overrides.push_back("run.seed=" + std::to_string(run.seed));
        try {
          run.scenario = load_scenario(spec.scenarios[s], run.overrides);
        } catch (const InputError& e) {
          throw InputError(where + ": run '" + run_label(plan, run) + "' (replicate " +
                           std::to_string(r) + "): " + e.what());
        }
        plan.runs.push_back(std::move(run));
      }
    }
  }
  check_same_layout(plan, where);
  if (share_warmup) share_warmups(plan, prefix ? prefix : PrefixMonths(common_prefix_months));
  return plan;
}

Experiment single_run_plan(const Scenario& scenario) {
  Experiment plan;
  plan.name = scenario.name;
  plan.scenario_names = {scenario.name};
  plan.scenario_files = {scenario.source_file};
  plan.base_seed = scenario.run.seed;
  ExperimentRun run;
  run.seed = scenario.run.seed;
  run.scenario = scenario;
  plan.runs.push_back(std::move(run));
  return plan;
}

}  // namespace regionsim
