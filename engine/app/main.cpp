// The regionsim command line: run, validate, params, outputs. Bad input of any kind ends with one
// clear message on stderr and exit code 2; a broken accounting identity (an engine bug) with
// code 3.
#include <hdf5.h>
#include <unistd.h>
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <limits>
#include <new>
#include <numeric>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "calibrate_command.hpp"
#include "checkpoint.hpp"
#include "cli_options.hpp"
#include "interrupt.hpp"
#include "nc_writer.hpp"
#include "output_path.hpp"
#include "output_registry.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"
#include "regionsim/scenario_loader.hpp"
#include "regionsim/simulation.hpp"
#include "regionsim_version.hpp"
#include "summary.hpp"
#ifdef REGIONSIM_MPI
#include "mpi_experiment.hpp"
#include "mpi_session.hpp"
#include "mpi_shard.hpp"
#endif

namespace po = boost::program_options;
using namespace regionsim;

namespace {

constexpr int kBadInput = 2;
constexpr int kAccounting = 3;
constexpr int kInterrupted = 128;  // + the signal number, as a shell reports a signal

const char* kUsage =
    R"(regionsim — agent-based simulation of firms, talent and jurisdictions in a science city

Usage:
  regionsim run SCENARIO.toml... [--replicates N] [--sweep key=start:stop:step | key=v1,v2,...]...
                [-o FILE.h5] [--seed N] [--steps N] [--threads N] [--set key=value]... [--check] [--overwrite]
                [--resume] [--clean-partial] [--max-memory GB] [--no-compress]
                [--checkpoint-every N] [--checkpoint-keep K] [--flush-every N]
  regionsim run --experiment EXPERIMENT.toml [the same options]
  regionsim resume CHECKPOINT [-o FILE.h5] [--overwrite] [--threads N] [--check] [--clean-partial]
  regionsim calibrate CALIBRATION.toml [-o PREFIX] [--threads N] [--overwrite]
  regionsim validate SCENARIO.toml [--set key=value]...
  regionsim validate --experiment EXPERIMENT.toml
  regionsim params [--markdown]
  regionsim outputs [--markdown]
  regionsim COMMAND --help
  regionsim --version

Examples:
  regionsim run scenarios/baseline.toml -o out/baseline.h5
  regionsim run scenarios/baseline.toml --set run.scale=0.1 --set zone.core.amenity=8 --check
  regionsim run scenarios/baseline.toml --replicates 10 --sweep talent.beta_wage=2:4:0.5 -o out/sweep.h5
  regionsim run --experiment scenarios/experiments/default.toml
  regionsim run scenarios/baseline.toml --checkpoint-every 12 -o out/baseline.h5
  regionsim resume out/baseline.h5.month-0048.ckpt
  regionsim validate scenarios/baseline.toml
  regionsim params
  regionsim outputs
)";

std::vector<std::string> overrides_from(const po::variables_map& vm) {
  std::vector<std::string> sets;
  if (vm.count("set")) sets = vm["set"].as<std::vector<std::string>>();
  if (vm.count("seed")) sets.push_back("run.seed=" + std::to_string(vm["seed"].as<long long>()));
  if (vm.count("steps")) sets.push_back("run.steps=" + std::to_string(vm["steps"].as<long long>()));
  return sets;
}

po::options_description scenario_options(const std::string& caption) {
  po::options_description opts(caption);
  opts.add_options()("help,h", "show this help")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override any scenario key, e.g. --set talent.beta_wage=3 (repeatable)");
  return opts;
}

// Arguments as a shell would need them, for the file's provenance.
std::string command_line(const std::string& command, const std::vector<std::string>& args) {
  std::string line = "regionsim " + command;
  for (const std::string& arg : args) {
    const bool plain = !arg.empty() && arg.find_first_not_of(
                                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789_-+=.,:/@%") == std::string::npos;
    std::string quoted = "'";
    for (const char c : arg)
      quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += " " + (plain ? arg : quoted + "'");
  }
  return line;
}

// The experiment the command line describes: scenario files or an experiment file, with the
// options on top (--set appended to the file's set, --sweep added to its sweeps).
ExperimentSpec experiment_spec(const po::variables_map& vm) {
  const auto files = cli::positional_files(vm);
  ExperimentSpec spec;
  if (vm.count("experiment")) {
    if (!files.empty()) throw InputError("give scenario files or --experiment FILE, not both");
    spec = load_experiment_file(vm["experiment"].as<std::string>());
  } else {
    if (files.empty()) throw InputError("missing SCENARIO.toml or --experiment FILE");
    spec.scenarios.assign(files.begin(), files.end());
  }
  if (vm.count("replicates")) {
    const long long n = vm["replicates"].as<long long>();
    if (n < 1)
      throw InputError("--replicates " + std::to_string(n) + ": expected a count of at least 1");
    spec.replicates = n;
  }
  if (vm.count("seed")) {
    const long long seed = vm["seed"].as<long long>();
    if (seed < 0)
      throw InputError("--seed " + std::to_string(seed) + ": expected a seed from 0 to " +
                       std::to_string(std::numeric_limits<long long>::max()));
    spec.seed = static_cast<std::uint64_t>(seed);
  }
  if (vm.count("steps")) spec.steps = vm["steps"].as<long long>();
  if (vm.count("set"))
    for (const auto& set : vm["set"].as<std::vector<std::string>>())
      spec.overrides.push_back(set);
  if (vm.count("sweep"))
    for (const auto& sweep : vm["sweep"].as<std::vector<std::string>>())
      spec.sweeps.push_back(parse_sweep(sweep));
  return spec;
}

int report_run(const Experiment& plan, const RunOptions& options, const ExperimentResult& result);

int cmd_run(const std::vector<std::string>& args) {
  auto opts = scenario_options(
      "regionsim run SCENARIO.toml... [options]\n"
      "regionsim run --experiment EXPERIMENT.toml [options]\n\n"
      "Runs scenarios x sweep points x replicates into one netCDF-4/HDF5 file along its `run`\n"
      "dimension, then prints the final month: by zone for a single run, by scenario for several.\n"
      "Replicate k has the same seed in every scenario and sweep point (paired arms). The file is\n"
      "written as FILE.partial-PID and renamed when complete.\n\n"
      "Examples:\n"
      "  regionsim run scenarios/baseline.toml -o out/baseline.h5\n"
      "  regionsim run scenarios/baseline.toml --steps 24 --set run.scale=0.1 --check\n"
      "  regionsim run scenarios/baseline.toml other.toml --replicates 10 -o out/compare.h5\n"
      "  regionsim run scenarios/baseline.toml --sweep talent.beta_wage=2:4:0.5 --replicates 5\n"
      "  regionsim run --experiment scenarios/experiments/default.toml\n\nOptions");
  opts.add_options()("output,o", po::value<std::string>(),
                     "results file (default out/<scenario or experiment name>.h5)")(
      "experiment", po::value<std::string>(),
      "run the experiment declared in this TOML file (scenarios/experiments/)")(
      "replicates", po::value<long long>(), "replicates per scenario and sweep point (default 1)")(
      "sweep", po::value<std::vector<std::string>>()->composing(),
      "sweep a scenario key: key=start:stop:step or key=v1,v2,... (repeatable; the sweeps are "
      "crossed)")("seed", po::value<long long>(),
                  "base random seed; replicate 0 uses it as is (default: the scenario's run.seed)")(
      "steps", po::value<long long>(), "months to simulate (same as --set run.steps=N)")(
      "threads", po::value<int>()->default_value(0),
      "worker threads, 0 = all cores (results do not depend on it)")(
      "check", "check the accounting identities every month; stop at the first broken one")(
      "overwrite", "replace the output file if it exists (regular files only, never an input)")(
      "clean-partial", "remove FILE.partial-PID files left by processes that no longer run")(
      "shard",
      "under mpirun: split every run's firms and people over the ranks (one large run over "
      "processes, the same results as one process; docs/scaling.md) instead of sharing out "
      "whole runs")(
      "ranks-per-run", po::value<int>(),
      "with --shard: groups of N ranks, each group sharding its share of the runs (e.g. 64 ranks "
      "as 16 groups of 4; N must divide the ranks; default: all ranks one group)")(
      "resume",
      "keep the runs an interrupted run of this experiment finished (FILE.incomplete.h5) and "
      "simulate the rest, each from its latest checkpoint if any (--checkpoint-every)")(
      "checkpoint-every", po::value<long long>(),
      "write each run's whole state every N months to FILE.month-NNNN.ckpt (continue a single "
      "run with regionsim resume, an experiment with the same command and --resume)")(
      "checkpoint-keep", po::value<long long>()->default_value(2),
      "checkpoints kept, the latest (removed once the output is complete)")(
      "flush-every", po::value<long long>()->default_value(12),
      "put the running file on disk every N months of a run, as FILE.partial-PID marked "
      "complete = \"false\" (readable if the run is killed); 0: only the finished file")(
      "max-memory", po::value<double>(),
      "refuse runs estimated to need more than this many GB (default 80 % of the memory)")(
      "no-compress",
      "write the time series uncompressed (default: zlib level 4 after byte shuffle, in chunks of "
      "one run x all months)");
  const auto parsed = cli::parse_or_help(args, opts);
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  const int threads = cli::checked_threads(vm);
  ExperimentSpec spec;
  try {
    spec = experiment_spec(vm);
  } catch (const InputError& e) {
    throw InputError(std::string("run: ") + e.what() + " (see regionsim run --help)");
  }
  const Experiment plan = plan_experiment(spec);
  RunOptions options;
  if (!vm.count("output"))
    check_file_name_part("output name (from the scenario or experiment name)", plan.name);
  options.output = vm.count("output") ? vm["output"].as<std::string>() : "out/" + plan.name + ".h5";
  options.overwrite = vm.count("overwrite") > 0;
  options.check = vm.count("check") > 0;
  options.compression = vm.count("no-compress") > 0 ? 0 : options.compression;
  options.threads = threads;
  options.progress = ::isatty(STDERR_FILENO) != 0;
  options.command_line = command_line("run", args);
  options.clean_partial = vm.count("clean-partial") > 0;
  options.resume = vm.count("resume") > 0;
  if (vm.count("checkpoint-every")) {
    options.checkpoint_every = vm["checkpoint-every"].as<long long>();
    if (options.checkpoint_every < 1)
      throw InputError("--checkpoint-every " + std::to_string(options.checkpoint_every) +
                       ": expected a number of months of at least 1");
  }
  options.flush_every = vm["flush-every"].as<long long>();
  if (options.flush_every < 0)
    throw InputError("--flush-every " + std::to_string(options.flush_every) +
                     ": expected a number of months, 0 or more");
  options.checkpoint_keep = vm["checkpoint-keep"].as<long long>();
  if (options.checkpoint_keep < 1)
    throw InputError("--checkpoint-keep " + std::to_string(options.checkpoint_keep) +
                     ": expected a count of at least 1");
  if (vm.count("max-memory")) {
    const double gb = vm["max-memory"].as<double>();
    if (!(gb > 0 && gb < 1e6)) throw InputError("--max-memory: expected a size in GB above 0");
    options.max_memory = gb * 1e9;
  }
  if (vm.count("ranks-per-run") && !vm.count("shard"))
    throw InputError("run --ranks-per-run: only with --shard (see regionsim run --help)");
#ifdef REGIONSIM_MPI
  // --shard: every rank holds a share of every run's firms and people; rank 0 writes the file.
  if (vm.count("shard") && mpi::started()) {
    const std::optional<ExperimentResult> sharded = mpi::run_experiment_sharded(
        plan, options, vm.count("ranks-per-run") ? vm["ranks-per-run"].as<int>() : 0);
    if (!sharded) return 0;
    return report_run(plan, options, *sharded);
  }
  // Under mpirun with several ranks: the runs are shared, rank 0 writes the file and reports, each
  // rank writes the checkpoints of its runs. A signal ends the job (mpirun forwards it) without an
  // incomplete file; the temporary file is left under its partial name for --resume.
  if (mpi::distributed()) {
    const std::optional<ExperimentResult> shared = mpi::run_experiment_distributed(plan, options);
    if (!shared) return 0;
    return report_run(plan, options, *shared);
  }
#endif
  options.stop = &install_interrupt_handlers();
  return report_run(plan, options, run_experiment(plan, options));
}

int cmd_resume(const std::vector<std::string>& args) {
  po::options_description opts(
      "regionsim resume CHECKPOINT [options]\n\n"
      "Continues the run a checkpoint (written by regionsim run --checkpoint-every) saved, to its\n"
      "last month, and writes the whole output: by default the run's own output file, with the\n"
      "data the uninterrupted run would have written, bit for bit. A checkpoint of another\n"
      "regionsim version, or truncated or corrupted, is refused.\n\n"
      "Example:\n  regionsim resume out/baseline.h5.month-0048.ckpt\n\nOptions");
  opts.add_options()("help,h", "show this help")(
      "output,o", po::value<std::string>(), "results file (default: the run's own output file)")(
      "overwrite", "replace the output file if it exists (regular files only, never an input)")(
      "threads", po::value<int>()->default_value(0),
      "worker threads, 0 = all cores (results do not depend on it)")(
      "check", "check the accounting identities every month; stop at the first broken one")(
      "clean-partial", "remove FILE.partial-PID files left by processes that no longer run");
  const auto parsed = cli::parse_or_help(args, opts);
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  const auto files = cli::positional_files(vm);
  if (files.size() != 1)
    throw InputError("resume: expected one CHECKPOINT file (see regionsim resume --help)");
  const int threads = cli::checked_threads(vm);
#ifdef REGIONSIM_MPI
  if (mpi::distributed()) throw InputError("resume is not supported under MPI (several ranks)");
#endif
  RunOptions options;
  if (vm.count("output")) options.output = vm["output"].as<std::string>();
  options.overwrite = vm.count("overwrite") > 0;
  options.check = vm.count("check") > 0;
  options.threads = threads;
  options.clean_partial = vm.count("clean-partial") > 0;
  options.progress = ::isatty(STDERR_FILENO) != 0;
  options.stop = &install_interrupt_handlers();
  const ResumedRun resumed = resume_run(files.front(), options);
  return report_run(resumed.plan, resumed.options, resumed.result);
}

// The summary printed after `regionsim run`.
int report_run(const Experiment& plan, const RunOptions& options, const ExperimentResult& result) {
  const bool single = plan.runs.size() == 1;
  std::cout << (single ? summary_table(plan.runs.front().scenario, result.final_months.front())
                       : experiment_summary(plan, result));
  std::cout << "Wrote " << options.output << " (";
  if (!single) std::cout << plan.runs.size() << " runs of ";
  std::cout << result.months << " months, " << result.threads << " threads, " << result.wall_seconds
            << " s" << (options.check ? ", accounting checked every month" : "");
  if (result.months_shared > 0) {
    const double busy = std::accumulate(result.run_seconds.begin(), result.run_seconds.end(), 0.0);
    const double per_month =
        result.months_simulated > 0 ? busy / static_cast<double>(result.months_simulated) : 0.0;
    char saved[32];
    std::snprintf(saved, sizeof saved, "%.1f",
                  static_cast<double>(result.months_shared) * per_month);
    std::cout << "; shared warm-up: " << result.months_shared << " run-months not simulated, about "
              << saved << " s of run time saved";
  }
  std::cout << ")\n";
  return 0;
}

int cmd_validate(const std::vector<std::string>& args) {
  auto opts = scenario_options(
      "regionsim validate SCENARIO.toml [--set key=value]...\n"
      "regionsim validate --experiment EXPERIMENT.toml [--set key=value]...\n\n"
      "Loads, merges and checks a scenario without running it; prints the resolved scenario.\n"
      "With --experiment, plans the experiment (every run's scenario checked) and lists its "
      "runs.\n\n"
      "Examples:\n  regionsim validate scenarios/baseline.toml --set run.scale=0.5\n"
      "  regionsim validate --experiment scenarios/experiments/default.toml\n\nOptions");
  opts.add_options()("experiment", po::value<std::string>(), "plan this experiment file instead");
  const auto parsed = cli::parse_or_help(args, opts);
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  const auto files = cli::positional_files(vm);
  if (vm.count("experiment")) {
    if (!files.empty())
      throw InputError("validate: give SCENARIO.toml or --experiment FILE, not both");
    ExperimentSpec spec = load_experiment_file(vm["experiment"].as<std::string>());
    for (const auto& set : overrides_from(vm))
      spec.overrides.push_back(set);
    const Experiment plan = plan_experiment(spec);
    std::cout << "run  replicate  seed                 forked_from  scenario\n";
    for (std::size_t r = 0; r < plan.runs.size(); ++r) {
      const ExperimentRun& run = plan.runs[r];
      std::printf("%-4zu %-10lld %-20llu %-12lld %s\n", r, static_cast<long long>(run.replicate),
                  static_cast<unsigned long long>(run.seed), static_cast<long long>(run.fork_month),
                  run_label(plan, run).c_str());
    }
    std::fflush(stdout);
    std::cout << "# " << vm["experiment"].as<std::string>() << ": valid (" << plan.runs.size()
              << " runs)\n";
    return 0;
  }
  if (files.size() != 1)
    throw InputError("validate: expected one SCENARIO.toml (see regionsim validate --help)");
  const Scenario scenario = load_scenario(files.front(), overrides_from(vm));
  std::cout << scenario.resolved_toml << "\n# " << files.front() << ": valid ("
            << scenario.zones.size() << " zones, " << scenario.sectors.size() << " sectors, "
            << scenario.jurisdictions.size() << " jurisdictions)\n";
  return 0;
}

int cmd_params(const std::vector<std::string>& args) {
  po::options_description opts(
      "regionsim params [--markdown]\n\n"
      "Prints every scenario parameter with its unit, default, valid range and basis.\n"
      "docs/parameters.md is this output with --markdown.\n\nExample:\n  regionsim params "
      "--markdown > docs/parameters.md\n\nOptions");
  opts.add_options()("help,h", "show this help")("markdown", "print as Markdown");
  const auto parsed = cli::parse_or_help(args, opts, "");
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  std::cout << (vm.count("markdown") ? params_markdown() : params_table_text());
  return 0;
}

int cmd_outputs(const std::vector<std::string>& args) {
  po::options_description opts(
      "regionsim outputs [--markdown]\n\n"
      "Prints every variable a results file holds: dimensions, type, units, cell methods (a stock\n"
      "at the end of the month or a flow over it) and long name. The variable tables of\n"
      "docs/output.md are this output with --markdown.\n\nExample:\n  regionsim outputs "
      "--markdown\n\nOptions");
  opts.add_options()("help,h", "show this help")("markdown", "print as Markdown");
  const auto parsed = cli::parse_or_help(args, opts, "");
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  std::cout << (vm.count("markdown") ? outputs_markdown() : outputs_table_text());
  return 0;
}

}  // namespace

// The last resort: an exception escaping a noexcept function or a thread ends here rather than in
// an unexplained abort.
[[noreturn]] void on_terminate() {
  std::string what = "unknown error";
  if (const std::exception_ptr current = std::current_exception()) {
    try {
      std::rethrow_exception(current);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
  }
  std::fprintf(stderr, "regionsim: internal error: %s\n", what.c_str());
  std::fflush(nullptr);
  std::_Exit(1);
}

namespace {

int run_command(const std::vector<std::string>& args);

// The prefix of a bad-input message. Under mpirun every rank reads the same files, so bad input
// fails on every rank at once: rank 0 reports it and its abort (main) ends the job; another rank
// first gives that abort time to arrive and reports, naming itself, only an error rank 0 did not
// have (a file its node cannot read), so a user sees one message, not one per rank.
std::string bad_input_prefix() {
#ifdef REGIONSIM_MPI
  if (regionsim::mpi::distributed() && regionsim::mpi::rank() != 0) {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    return "regionsim (rank " + std::to_string(regionsim::mpi::rank()) + ")";
  }
#endif
  return "regionsim";
}

}  // namespace

int main(int argc, char** argv) {
  // Files are closed explicitly; HDF5's own clean-up at exit would only revisit a file whose close
  // failed (a full disk) and crash there.
  H5dont_atexit();
  std::set_terminate(on_terminate);
#ifdef REGIONSIM_MPI
  regionsim::mpi::start(&argc, &argv);
#endif
  const int code = run_command(std::vector<std::string>(argv + 1, argv + argc));
#ifdef REGIONSIM_MPI
  // A failure on any rank ends every rank now: the others may be waiting for work or results.
  if (regionsim::mpi::distributed() && code != 0) regionsim::mpi::abort_job(code);
  regionsim::mpi::finish();
#endif
  return code;
}

namespace {

int run_command(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? kBadInput : 0;
  }
  if (args[0] == "--version") {
    std::cout << "regionsim " << build_info::kVersion << " (" << build_info::kGitCommit << ", "
              << build_info::kBuildType << ")\n";
    return 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
#ifdef REGIONSIM_MPI
  // `run` and `calibrate` are shared over ranks; the other commands run on rank 0 alone.
  if (regionsim::mpi::distributed() && regionsim::mpi::rank() != 0 && args[0] != "run" &&
      args[0] != "calibrate")
    return 0;
#endif
  try {
    if (args[0] == "run") return cmd_run(rest);
    if (args[0] == "resume") return cmd_resume(rest);
    if (args[0] == "calibrate") return cmd_calibrate(rest, command_line("calibrate", rest));
    if (args[0] == "validate") return cmd_validate(rest);
    if (args[0] == "params") return cmd_params(rest);
    if (args[0] == "outputs") return cmd_outputs(rest);
    std::cerr << "regionsim: unknown command '" << args[0]
              << "'; expected run, resume, calibrate, validate, params or outputs\n"
              << kUsage;
    return kBadInput;
  } catch (const InputError& e) {
    std::cerr << bad_input_prefix() << ": " << e.what() << "\n";
    return kBadInput;
  } catch (const po::error& e) {
    std::cerr << bad_input_prefix() << " " << args[0] << ": " << e.what() << " (see regionsim "
              << args[0] << " --help)\n";
    return kBadInput;
  } catch (const AccountingError& e) {
    std::cerr << "regionsim: " << e.what() << "\n";
    return kAccounting;
  } catch (const RunInterrupted& e) {
    std::cerr << "\nregionsim: " << e.what() << "\n";
    return kInterrupted + e.signal();
  } catch (const std::bad_alloc&) {
    std::cerr << "regionsim: error: out of memory; try a smaller run.scale, fewer runs or fewer "
                 "--threads\n";
    return 1;
  } catch (const std::system_error& e) {
    std::cerr << "regionsim: error: " << e.what()
              << (e.code() == std::errc::resource_unavailable_try_again
                      ? " (the system refused another thread; try fewer --threads)"
                      : "")
              << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "regionsim: error: " << e.what() << "\n";
    return 1;
  } catch (...) {
    std::cerr << "regionsim: error: unknown exception\n";
    return 1;
  }
}

}  // namespace
