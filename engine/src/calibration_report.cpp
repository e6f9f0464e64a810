// What a calibration leaves behind: the fit table, the fitted scenario (a TOML layer on the base)
// and every evaluation in one netCDF-4/HDF5 file.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "calibration.hpp"
#include "nc_writer.hpp"
#include "regionsim/experiment.hpp"
#include "toml_merge.hpp"

namespace regionsim {

namespace {

namespace fs = std::filesystem;

// Linear interpolation between order statistics (R's type 7, numpy's default).
double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  if (values.empty()) return std::nan("");
  const double h = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

std::string g(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string value_of(const FitParameter& p, double x) {
  return p.integer ? std::to_string(std::llround(x)) : format_number(x);
}

}  // namespace

std::string fit_table(const CalibrationPlan& plan, const Evaluation& best) {
  std::size_t width = 6;
  for (const FitTarget& f : plan.fit)
    width = std::max(width, f.target->id.size());
  std::string out = pad("target", width) +
                    "  value       sd          simulated   90% interval            "
                    "w*err^2     share\n";
  for (std::size_t t = 0; t < plan.fit.size(); ++t) {
    const Target& target = *plan.fit[t].target;
    // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on "[" + string.
    std::string interval = "[";
    interval.append(g(quantile(best.moments[t], 0.05))).append(", ");
    interval.append(g(quantile(best.moments[t], 0.95))).append("]");
    const double share = best.loss > 0 ? 100.0 * best.contribution[t] / best.loss : 0.0;
    char pct[16];
    std::snprintf(pct, sizeof pct, "%5.1f%%", share);
    out += pad(target.id, width) + "  " + pad(g(target.value), 10) + "  " + pad(g(target.sd), 10) +
           "  " + pad(g(best.mean[t]), 10) + "  " + pad(interval, 22) + "  " +
           pad(g(best.contribution[t]), 10) + "  " + pct + "\n";
  }
  out += "loss " + g(best.loss) + " (sum of weight x (simulated mean - value)^2; weight 1/sd^2 " +
         "unless the calibration file sets it) over " + std::to_string(plan.fit.size()) +
         " targets, " + std::to_string(plan.spec.replicates) + " replicates\n";
  return out;
}

std::string fitted_scenario_toml(const CalibrationPlan& plan, const FitResult& result,
                                 const fs::path& output_file, const std::string& command_line) {
  const CalibrationSpec& spec = plan.spec;
  const Evaluation& best = result.evaluations.at(result.best);
  const fs::path dir = fs::absolute(output_file).parent_path();
  const std::string base = fs::absolute(spec.scenario).lexically_relative(dir).generic_string();
  std::string out;
  out += "# Calibrated by the simulated method of moments (docs/calibration.md):\n";
  out += "#   " + command_line + "\n";
  out += "# Calibration file " + spec.file.generic_string() + ", targets " +
         spec.targets.generic_string() + ".\n";
  out += "# Loss " + format_number(best.loss) + " over " + std::to_string(plan.fit.size()) +
         " targets, best of " + std::to_string(result.evaluations.size()) + " evaluations (" +
         std::to_string(spec.replicates) + " replicates each, seed " + std::to_string(spec.seed) +
         (result.time_limited ? "; stopped by the time budget" : "") + ").\n";
  if (!spec.overrides.empty()) {
    out += "# Runs of the calibration used:";
    for (const std::string& o : spec.overrides)
      out += " --set " + o;
    out += "\n";
  }
  out += "name = " + quote_toml_string(spec.name + "-fitted") + "\n";
  out += "description = " +
         quote_toml_string("The " + fs::path(spec.scenario).stem().string() +
                           " scenario with parameters fitted by " + spec.file.filename().string()) +
         "\n";
  out += "extends = " + quote_toml_string(base) + "\n";
  // One table per key prefix, in the order the calibration file lists its parameters.
  std::vector<std::string> tables;
  std::map<std::string, std::string> lines;
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    const FitParameter& p = spec.parameters[i];
    const std::size_t dot = p.key.rfind('.');
    const std::string table = dot == std::string::npos ? "" : p.key.substr(0, dot);
    if (!lines.contains(table)) tables.push_back(table);
    lines[table] += p.key.substr(dot == std::string::npos ? 0 : dot + 1) + " = " +
                    value_of(p, best.parameters[i]) + "  # fitted within [" +
                    format_number(p.lower) + ", " + format_number(p.upper) + "], started at " +
                    value_of(p, plan.start[i]) + "\n";
  }
  for (const std::string& table : tables)
    out += (table.empty() ? "\n" : "\n[" + table + "]\n") + lines[table];
  return out;
}

void write_evaluations(const CalibrationPlan& plan, const FitResult& result,
                       const std::string& path, const std::string& command_line) {
  const CalibrationSpec& spec = plan.spec;
  const std::size_t n = result.evaluations.size(), p = spec.parameters.size(), t = plan.fit.size(),
                    r = static_cast<std::size_t>(spec.replicates);
  const std::string partial = path + ".partial-" + std::to_string(::getpid());
  try {
    NcWriter file(partial);
    file.define_dimension("evaluation", n);
    file.define_dimension("parameter", p);
    file.define_dimension("target", t);
    file.define_dimension("replicate", r);
    std::vector<std::string> keys, ids;
    for (const FitParameter& fp : spec.parameters)
      keys.push_back(fp.key);
    for (const FitTarget& f : plan.fit)
      ids.push_back(f.target->id);
    file.set_text_coordinate("parameter", keys, {{"long_name", std::string("scenario key")}});
    file.set_text_coordinate("target", ids, {{"long_name", std::string("calibration target id")}});
    std::vector<std::int64_t> index(n), reps(r), seeds(r);
    for (std::size_t i = 0; i < n; ++i)
      index[i] = static_cast<std::int64_t>(i);
    for (std::size_t k = 0; k < r; ++k) {
      reps[k] = static_cast<std::int64_t>(k);
      seeds[k] = static_cast<std::int64_t>(replicate_seed(spec.seed, reps[k]));
    }
    file.set_numeric_coordinate("evaluation", index,
                                {{"long_name", std::string("evaluation, in the order made")}});
    file.set_numeric_coordinate("replicate", reps, {{"long_name", std::string("replicate")}});

    const auto real = [&](const std::string& name, const std::vector<std::string>& dims,
                          const std::vector<double>& values, const std::string& long_name) {
      file.write_variable(
          file.define_variable(name, NcType::float64, dims, {{"long_name", long_name}}), values);
    };
    const auto integer = [&](const std::string& name, const std::vector<std::string>& dims,
                             const std::vector<std::int64_t>& values,
                             const std::string& long_name) {
      file.write_variable(
          file.define_variable(name, NcType::int64, dims, {{"long_name", long_name}}), values);
    };
    integer("seed", {"replicate"}, seeds,
            "run.seed of the replicate, the same for every candidate");
    std::vector<double> lower, upper, start, fitted, value, sd, weight;
    const Evaluation& best = result.evaluations.at(result.best);
    for (std::size_t i = 0; i < p; ++i) {
      lower.push_back(spec.parameters[i].lower);
      upper.push_back(spec.parameters[i].upper);
      start.push_back(plan.start[i]);
      fitted.push_back(best.parameters[i]);
    }
    for (const FitTarget& f : plan.fit) {
      value.push_back(f.target->value);
      sd.push_back(f.target->sd);
      weight.push_back(f.weight);
    }
    real("lower", {"parameter"}, lower, "lower bound of the search");
    real("upper", {"parameter"}, upper, "upper bound of the search");
    real("initial", {"parameter"}, start, "value at the first starting point");
    real("fitted", {"parameter"}, fitted, "value at the lowest loss");
    real("target_value", {"target"}, value, "the real value the statistic should match");
    real("target_sd", {"target"}, sd, "uncertainty of the target value");
    real("weight", {"target"}, weight, "weight of the squared error in the loss");

    std::vector<double> params, loss, moments, mean, contribution;
    std::vector<std::int64_t> starts, failed;
    for (const Evaluation& e : result.evaluations) {
      params.insert(params.end(), e.parameters.begin(), e.parameters.end());
      loss.push_back(e.loss);
      starts.push_back(e.start);
      failed.push_back(e.failed ? 1 : 0);
      for (const auto& m : e.moments)
        moments.insert(moments.end(), m.begin(), m.end());
      mean.insert(mean.end(), e.mean.begin(), e.mean.end());
      contribution.insert(contribution.end(), e.contribution.begin(), e.contribution.end());
    }
    real("parameter_value", {"evaluation", "parameter"}, params, "candidate's parameter values");
    real("loss", {"evaluation"}, loss, "loss of the candidate (1e30 when a statistic failed)");
    integer("start", {"evaluation"}, starts, "multi-start that made the evaluation");
    integer("failed", {"evaluation"}, failed, "1 when a statistic was not a number");
    real("moment", {"evaluation", "target", "replicate"}, moments,
         "target statistic of each replicate run");
    real("simulated_mean", {"evaluation", "target"}, mean, "mean of the statistic over replicates");
    real("contribution", {"evaluation", "target"}, contribution,
         "weight x (simulated mean - target value)^2");

    file.set_root_attribute("title", "regionsim calibration: " + spec.name);
    if (!command_line.empty()) file.set_root_attribute("command_line", command_line);
    file.set_root_attribute("calibration_file", spec.file.generic_string());
    file.set_root_attribute("scenario_file", spec.scenario.generic_string());
    file.set_root_attribute("targets_file", spec.targets.generic_string());
    file.set_root_attribute("best_evaluation", static_cast<std::int64_t>(result.best));
    file.set_root_attribute("best_loss", best.loss);
    file.set_root_attribute("wall_seconds", result.wall_seconds);
    file.set_root_attribute("threads", static_cast<std::int64_t>(result.threads));
    file.set_root_attribute("time_limited", std::string(result.time_limited ? "true" : "false"));
    file.set_root_attribute("fit_table", fit_table(plan, best));
    file.close();
    fs::rename(partial, path);
  } catch (...) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw;
  }
}

}  // namespace regionsim
