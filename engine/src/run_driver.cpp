#include <tbb/task_arena.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <numeric>
#include <sstream>

#include "experiment_runner.hpp"
#include "money.hpp"
#include "recorder.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"
#include "regionsim/scenario_loader.hpp"
#include "regionsim/simulation.hpp"

namespace regionsim {

namespace {

namespace fs = std::filesystem;

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void refuse_existing(const std::string& output, bool overwrite) {
  if (!overwrite && fs::exists(output))
    throw InputError(
        "output file '" + output +
        "' already exists; pass --overwrite to replace it or -o to choose another name");
}

}  // namespace

ExperimentResult run_experiment(const Experiment& plan, const RunOptions& options) {
  refuse_existing(options.output, options.overwrite);
  const fs::path target(options.output);
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  // The temporary name is unique per process so two runs never write into each other's file; a
  // crash leaves a file whose name says it is partial.
  const std::string partial = options.output + ".partial-" + std::to_string(::getpid());

  ExperimentResult result;
  try {
    const int threads =
        options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
    Recorder recorder(partial, plan, RunMetadata{utc_now(), threads, options.command_line});
    result = simulate_experiment(plan, options,
                                 [&](std::size_t run, std::span<const StepOutputs> months) {
                                   recorder.write_run(run, months);
                                 });
    recorder.finish(utc_now(), result.wall_seconds, result.run_seconds);
  } catch (...) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw;
  }
  try {
    refuse_existing(options.output, options.overwrite);  // someone created it while we ran
    fs::rename(partial, options.output);
  } catch (...) {
    std::fprintf(stderr, "regionsim: the complete results were kept in '%s'\n", partial.c_str());
    throw;
  }
  return result;
}

RunResult run_to_file(const Scenario& scenario, const RunOptions& options) {
  const ExperimentResult run = run_experiment(single_run_plan(scenario), options);
  RunResult result;
  result.final_month = run.final_months.front();
  result.months = run.months;
  result.wall_seconds = run.wall_seconds;
  result.threads = run.threads;
  result.talent = static_cast<std::size_t>(result.final_month.total_talent());
  result.firms = static_cast<std::size_t>(result.final_month.total_firms());
  return result;
}

std::string summary_table(const Scenario& scenario, const StepOutputs& m) {
  std::ostringstream out;
  out << "Final month " << m.month + 1 << " of scenario '" << scenario.name << "' (seed "
      << scenario.run.seed << ")\n";
  out << std::left << std::setw(8) << "zone" << std::right << std::setw(8) << "firms"
      << std::setw(11) << "employed" << std::setw(9) << "seeking" << std::setw(13) << "output/mo"
      << std::setw(10) << "wage" << std::setw(10) << "rent" << std::setw(11) << "tax/mo"
      << std::setw(9) << "moves in"
      << "\n";
  std::int64_t firms_total = 0, employed_total = 0, seeking_total = 0;
  double output_total = 0, tax_total = 0;
  for (std::size_t z = 0; z < m.zones; ++z) {
    std::int64_t firms = 0, employed = 0, seeking = 0, moves_in = 0;
    Money output = 0;
    for (std::size_t s = 0; s < m.sectors; ++s) {
      firms += m.firms[z * m.sectors + s];
      output += m.output[z * m.sectors + s];
    }
    for (std::size_t k = 0; k < m.skills; ++k) {
      employed += m.talent_employed[z * m.skills + k];
      seeking += m.talent_seeking[z * m.skills + k];
    }
    for (std::size_t y = 0; y < m.zones; ++y)
      if (y != z) moves_in += m.firm_relocations[y * m.zones + z];
    firms_total += firms;
    employed_total += employed;
    seeking_total += seeking;
    output_total += to_mcny(output);
    tax_total += to_mcny(m.tax_collected[z]);
    out << std::left << std::setw(8) << scenario.zones[z].name << std::right << std::setw(8)
        << firms << std::setw(11) << employed << std::setw(9) << seeking << std::fixed
        << std::setprecision(1) << std::setw(13) << to_mcny(output) << std::setprecision(4)
        << std::setw(10) << m.wage[z] << std::setw(10) << m.rent[z] << std::setprecision(1)
        << std::setw(11) << to_mcny(m.tax_collected[z]) << std::setw(9) << moves_in << "\n";
  }
  out << std::left << std::setw(8) << "region" << std::right << std::setw(8) << firms_total
      << std::setw(11) << employed_total << std::setw(9) << seeking_total << std::fixed
      << std::setprecision(1) << std::setw(13) << output_total << std::setw(10) << ""
      << std::setw(10) << "" << std::setw(11) << tax_total << "\n";
  out << "Money in million CNY (mCNY); wage per person and rent per worker place per month.\n";
  return out.str();
}

std::string experiment_summary(const Experiment& plan, const ExperimentResult& result) {
  // Rows are arms at sweep points; replicates are consecutive runs of a row.
  const auto replicates = static_cast<std::size_t>(plan.replicates);
  const auto sum = [](const std::vector<std::int64_t>& v) {
    return std::accumulate(v.begin(), v.end(), std::int64_t{0});
  };
  std::vector<std::string> labels;
  std::size_t width = 8;
  for (std::size_t row = 0; row * replicates < plan.runs.size(); ++row) {
    labels.push_back(run_label(plan, plan.runs[row * replicates]));
    width = std::max(width, labels.back().size() + 2);
  }
  std::ostringstream out;
  out << "Experiment '" << plan.name << "': " << plan.runs.size() << " runs ("
      << plan.scenario_names.size() << " scenario(s) x " << plan.points << " sweep point(s) x "
      << plan.replicates << " replicate(s)); month " << result.months
      << ", mean over replicates of region totals\n";
  out << std::left << std::setw(static_cast<int>(width)) << "scenario" << std::right
      << std::setw(10) << "firms" << std::setw(12) << "employed" << std::setw(13) << "output/mo"
      << std::setw(11) << "tax/mo"
      << "\n";
  for (std::size_t row = 0; row < labels.size(); ++row) {
    double firms = 0, employed = 0, output = 0, tax = 0;
    for (std::size_t r = 0; r < replicates; ++r) {
      const StepOutputs& m = result.final_months[row * replicates + r];
      firms += static_cast<double>(m.total_firms());
      employed += static_cast<double>(sum(m.talent_employed));
      output += to_mcny(sum(m.output));
      tax += to_mcny(sum(m.tax_collected));
    }
    const double n = static_cast<double>(replicates);
    out << std::left << std::setw(static_cast<int>(width)) << labels[row] << std::right
        << std::fixed << std::setprecision(1) << std::setw(10) << firms / n << std::setw(12)
        << employed / n << std::setw(13) << output / n << std::setw(11) << tax / n << "\n";
  }
  out << "Money in million CNY (mCNY) per month.\n";
  return out.str();
}

}  // namespace regionsim
