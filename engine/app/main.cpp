// The regionsim command line: run, validate, params. Bad input of any kind ends with one clear
// message on stderr and exit code 2; a broken accounting identity (an engine bug) with code 3.
#include <unistd.h>
#include <boost/program_options.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "nc_writer.hpp"
#include "regionsim/run.hpp"
#include "regionsim/scenario_loader.hpp"
#include "regionsim/simulation.hpp"
#include "regionsim_version.hpp"

namespace po = boost::program_options;
using namespace regionsim;

namespace {

constexpr int kBadInput = 2;
constexpr int kAccounting = 3;

const char* kUsage =
    R"(regionsim — agent-based simulation of firms, talent and jurisdictions in a science city

Usage:
  regionsim run SCENARIO.toml [-o FILE.h5] [--seed N] [--steps N] [--threads N] [--set key=value]... [--check] [--overwrite]
  regionsim validate SCENARIO.toml [--set key=value]...
  regionsim params [--markdown]
  regionsim COMMAND --help
  regionsim --version

Examples:
  regionsim run scenarios/baseline.toml -o out/baseline.h5
  regionsim run scenarios/baseline.toml --set run.scale=0.1 --set zone.core.amenity=8 --check
  regionsim validate scenarios/baseline.toml
  regionsim params
)";

std::vector<std::string> overrides_from(const po::variables_map& vm) {
  std::vector<std::string> sets;
  if (vm.count("set")) sets = vm["set"].as<std::vector<std::string>>();
  if (vm.count("seed")) sets.push_back("run.seed=" + std::to_string(vm["seed"].as<long long>()));
  if (vm.count("steps")) sets.push_back("run.steps=" + std::to_string(vm["steps"].as<long long>()));
  return sets;
}

po::variables_map parse(const std::vector<std::string>& args,
                        const po::options_description& visible,
                        const po::positional_options_description& positional) {
  po::options_description all;
  all.add(visible).add_options()("scenario", po::value<std::string>(), "scenario file");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

po::options_description scenario_options(const std::string& caption) {
  po::options_description opts(caption);
  opts.add_options()("help,h", "show this help")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override any scenario key, e.g. --set talent.beta_wage=3 (repeatable)");
  return opts;
}

int cmd_run(const std::vector<std::string>& args) {
  auto opts = scenario_options(
      "regionsim run SCENARIO.toml [options]\n\n"
      "Runs one scenario and writes its monthly time series to a netCDF-4/HDF5 file, then prints\n"
      "the final month by zone. The file is written as FILE.partial-PID and renamed when "
      "complete.\n\n"
      "Examples:\n"
      "  regionsim run scenarios/baseline.toml -o out/baseline.h5\n"
      "  regionsim run scenarios/baseline.toml --steps 24 --set run.scale=0.1 --check\n\nOptions");
  opts.add_options()("output,o", po::value<std::string>(),
                     "results file (default out/<scenario name>.h5)")(
      "seed", po::value<long long>(), "random seed (same as --set run.seed=N)")(
      "steps", po::value<long long>(), "months to simulate (same as --set run.steps=N)")(
      "threads", po::value<int>()->default_value(0),
      "worker threads, 0 = all cores (results do not depend on it)")(
      "check", "check the accounting identities every month; stop at the first broken one")(
      "overwrite", "replace the output file if it exists");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const auto vm = parse(args, opts, pos);
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return 0;
  }
  if (!vm.count("scenario"))
    throw InputError("run: missing SCENARIO.toml (see regionsim run --help)");
  if (vm["threads"].as<int>() < 0)
    throw InputError("--threads: expected 0 (all cores) or a positive count");
  const Scenario scenario = load_scenario(vm["scenario"].as<std::string>(), overrides_from(vm));
  RunOptions options;
  options.output =
      vm.count("output") ? vm["output"].as<std::string>() : "out/" + scenario.name + ".h5";
  options.overwrite = vm.count("overwrite") > 0;
  options.check = vm.count("check") > 0;
  options.threads = vm["threads"].as<int>();
  options.progress = ::isatty(STDERR_FILENO) != 0;
  const RunResult result = run_to_file(scenario, options);
  std::cout << summary_table(scenario, result.final_month);
  std::cout << "Wrote " << options.output << " (" << result.months << " months, " << result.threads
            << " threads, " << result.wall_seconds << " s"
            << (options.check ? ", accounting checked every month" : "") << ")\n";
  return 0;
}

int cmd_validate(const std::vector<std::string>& args) {
  auto opts = scenario_options(
      "regionsim validate SCENARIO.toml [--set key=value]...\n\n"
      "Loads, merges and checks a scenario without running it; prints the resolved scenario.\n\n"
      "Example:\n  regionsim validate scenarios/baseline.toml --set run.scale=0.5\n\nOptions");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const auto vm = parse(args, opts, pos);
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return 0;
  }
  if (!vm.count("scenario"))
    throw InputError("validate: missing SCENARIO.toml (see regionsim validate --help)");
  const Scenario scenario = load_scenario(vm["scenario"].as<std::string>(), overrides_from(vm));
  std::cout << scenario.resolved_toml << "\n# " << vm["scenario"].as<std::string>() << ": valid ("
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
  const auto vm = parse(args, opts, {});
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return 0;
  }
  std::cout << (vm.count("markdown") ? params_markdown() : params_table_text());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
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
  try {
    if (args[0] == "run") return cmd_run(rest);
    if (args[0] == "validate") return cmd_validate(rest);
    if (args[0] == "params") return cmd_params(rest);
    std::cerr << "regionsim: unknown command '" << args[0]
              << "'; expected run, validate or params\n"
              << kUsage;
    return kBadInput;
  } catch (const InputError& e) {
    std::cerr << "regionsim: " << e.what() << "\n";
    return kBadInput;
  } catch (const po::error& e) {
    std::cerr << "regionsim " << args[0] << ": " << e.what() << " (see regionsim " << args[0]
              << " --help)\n";
    return kBadInput;
  } catch (const AccountingError& e) {
    std::cerr << "regionsim: " << e.what() << "\n";
    return kAccounting;
  } catch (const std::exception& e) {
    std::cerr << "regionsim: error: " << e.what() << "\n";
    return 1;
  }
}
