#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include "money.hpp"
#include "recorder.hpp"
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

void print_progress(std::int64_t month, std::int64_t months, std::size_t agents, double elapsed) {
  const double rate = elapsed > 0 ? static_cast<double>(month) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(months - month) / rate : 0.0;
  std::fprintf(stderr, "\rmonth %lld/%lld  agents %zu  %.1f steps/s  ETA %.0fs   ",
               static_cast<long long>(month), static_cast<long long>(months), agents, rate, eta);
  if (month == months) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace

RunResult run_to_file(const Scenario& scenario, const RunOptions& options) {
  refuse_existing(options.output, options.overwrite);
  const fs::path target(options.output);
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  // The temporary name is unique per process so two runs never write into each other's file; a
  // crash leaves a file whose name says it is partial.
  const std::string partial = options.output + ".partial-" + std::to_string(::getpid());

  const int threads =
      options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  RunResult result;
  result.threads = threads;
  const auto start = std::chrono::steady_clock::now();
  try {
    Recorder recorder(partial, scenario, RunMetadata{utc_now(), threads});
    Simulation sim(scenario, options.check);
    for (std::int64_t t = 0; t < scenario.run.steps; ++t) {
      const StepOutputs& out = sim.step();
      recorder.write(out);
      if (options.progress) {
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        print_progress(t + 1, scenario.run.steps, sim.talent_count() + sim.firm_count(), elapsed);
      }
    }
    result.final_month = sim.last();
    result.months = sim.month();
    result.talent = sim.talent_count();
    result.firms = sim.firm_count();
    result.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    recorder.finish(utc_now(), result.wall_seconds);
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

}  // namespace regionsim
