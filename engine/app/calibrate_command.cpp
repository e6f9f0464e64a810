#include "calibrate_command.hpp"

#include <unistd.h>
#include <boost/program_options.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "calibration.hpp"
#include "cli_options.hpp"
#include "regionsim/scenario_loader.hpp"
#include "toml_merge.hpp"
#ifdef REGIONSIM_MPI
#include "mpi_calibration.hpp"
#include "mpi_session.hpp"
#endif

namespace regionsim {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

// Writes `text` under a temporary name and renames it, so a reader never sees half a file.
void write_text_file(const std::string& path, const std::string& text) {
  const std::string partial = path + ".partial-" + std::to_string(::getpid());
  {
    std::ofstream out(partial, std::ios::binary);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write '" + partial + "'");
  }
  fs::rename(partial, path);
}

std::string parameters_text(const CalibrationPlan& plan, const std::vector<double>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i ? " " : "") + plan.spec.parameters[i].key + "=" + format_number(values[i]);
  return out;
}

}  // namespace

int cmd_calibrate(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description opts(
      "regionsim calibrate CALIBRATION.toml [options]\n\n"
      "Fits the parameters a calibration file lists to its targets by the simulated method of\n"
      "moments (docs/calibration.md): each candidate runs `replicates` simulations with the same\n"
      "seeds as every other candidate; the loss is the weighted squared distance of the simulated\n"
      "means from the targets. Writes PREFIX.toml (the fitted scenario, extending the base),\n"
      "PREFIX-fit.txt (the fit table) and PREFIX.h5 (every evaluation); refuses to replace them\n"
      "without --overwrite. Progress and the best loss so far go to stderr. Under mpirun (the MPI\n"
      "build) each candidate's runs are shared over the ranks, with the same outputs\n"
      "(docs/scaling.md).\n\n"
      "Example:\n  regionsim calibrate scenarios/calibration/baseline-2022.toml -o out/cal/b22\n\n"
      "Options");
  opts.add_options()("help,h", "show this help")(
      "output,o", po::value<std::string>(),
      "prefix of the output files (default out/calibration/<name>)")(
      "threads", po::value<int>()->default_value(0),
      "worker threads, 0 = all cores (results do not depend on it)")(
      "max-evaluations", po::value<long long>(), "replace optimiser.max_evaluations")(
      "max-seconds", po::value<double>(), "replace optimiser.max_seconds (0 = no limit)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "add an override for every run, after the file's `set` (repeatable)")(
      "overwrite", "replace existing output files");
  const auto parsed = cli::parse_or_help(args, opts, "calibration");
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  const auto files = cli::positional_files(vm, "calibration");
  if (files.size() != 1)
    throw InputError("calibrate: expected one CALIBRATION.toml (see regionsim calibrate --help)");
  const int threads = cli::checked_threads(vm);

  CalibrationSpec spec = load_calibration(files.front());
  if (vm.count("set"))
    for (const auto& set : vm["set"].as<std::vector<std::string>>())
      spec.overrides.push_back(set);
  if (vm.count("max-evaluations")) {
    if (vm["max-evaluations"].as<long long>() < 1)
      throw InputError("--max-evaluations: expected a count of at least 1");
    spec.max_evaluations = vm["max-evaluations"].as<long long>();
  }
  if (vm.count("max-seconds")) {
    if (!(vm["max-seconds"].as<double>() >= 0))
      throw InputError("--max-seconds: expected seconds >= 0 (0 = no limit)");
    spec.max_seconds = vm["max-seconds"].as<double>();
  }
#ifdef REGIONSIM_MPI
  // Under mpirun with several ranks, the ranks above 0 serve rank 0's evaluations and write
  // nothing; only rank 0 checks, reports and writes the outputs.
  if (mpi::distributed() && mpi::rank() != 0) {
    mpi::serve_calibration(plan_calibration(spec), threads);
    return 0;
  }
#endif
  const std::string prefix =
      vm.count("output") ? vm["output"].as<std::string>() : "out/calibration/" + spec.name;
  const std::string toml_file = prefix + ".toml", table_file = prefix + "-fit.txt",
                    h5_file = prefix + ".h5";
  const bool overwrite = vm.count("overwrite") > 0;
  for (const std::string& path : {toml_file, table_file, h5_file})
    if (!overwrite && fs::exists(path))
      throw InputError("output file '" + path +
                       "' already exists; pass --overwrite to replace it or -o to choose another "
                       "prefix");

  const CalibrationPlan plan = plan_calibration(spec);
  std::fprintf(stderr,
               "calibrate: %zu parameters, %zu targets, %lld replicates per candidate, up to %lld "
               "evaluations\n",
               plan.spec.parameters.size(), plan.fit.size(),
               static_cast<long long>(plan.spec.replicates),
               static_cast<long long>(plan.spec.max_evaluations));
  const auto began = std::chrono::steady_clock::now();
  const FitProgress progress = [&](std::size_t index, const Evaluation& e, const Evaluation& best) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    std::fprintf(stderr, "eval %zu (start %d)  loss %.6g  best %.6g  %s  %.0f s\n", index + 1,
                 e.start + 1, e.loss, best.loss, parameters_text(plan, e.parameters).c_str(),
                 seconds);
    std::fflush(stderr);
  };
#ifdef REGIONSIM_MPI
  const FitResult result = mpi::distributed() ? mpi::fit_distributed(plan, threads, progress)
                                              : fit(plan, threads, progress);
#else
  const FitResult result = fit(plan, threads, progress);
#endif

  const fs::path dir = fs::path(prefix).parent_path();
  if (!dir.empty()) fs::create_directories(dir);
  const Evaluation& best = result.evaluations.at(result.best);
  const std::string table = fit_table(plan, best);
  write_evaluations(plan, result, h5_file, command_line);
  write_text_file(table_file, "# " + command_line + "\n# best: " +
                                  parameters_text(plan, best.parameters) + "\n" + table);
  write_text_file(toml_file, fitted_scenario_toml(plan, result, toml_file, command_line));
  std::cout << table << "best: " << parameters_text(plan, best.parameters) << " (evaluation "
            << result.best + 1 << " of " << result.evaluations.size() << ", " << result.wall_seconds
            << " s, " << result.threads << " threads"
            << (result.time_limited ? ", stopped by the time budget" : "") << ")\nWrote "
            << toml_file << ", " << table_file << ", " << h5_file << "\n";
  return 0;
}

}  // namespace regionsim
