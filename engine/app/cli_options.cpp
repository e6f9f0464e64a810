#include "cli_options.hpp"

#include <algorithm>
#include <iostream>
#include <thread>

#include "regionsim/scenario_loader.hpp"

namespace regionsim::cli {

namespace {

// [judgement] 8 threads a core is far beyond any gain (the engine is memory-bound) and far below
// where thread creation fails; the floor keeps small machines able to test oversubscription.
constexpr int kThreadsPerCore = 8;
constexpr int kMinThreadLimit = 64;

}  // namespace

std::optional<po::variables_map> parse_or_help(const std::vector<std::string>& args,
                                               const po::options_description& visible,
                                               const std::string& positional_name) {
  po::options_description all;
  all.add(visible);
  po::positional_options_description positional;  // empty: a positional argument is refused
  if (!positional_name.empty()) {
    all.add_options()(positional_name.c_str(), po::value<std::vector<std::string>>(),
                      "positional files");
    positional.add(positional_name.c_str(), -1);
  }
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return std::nullopt;
  }
  return vm;
}

std::vector<std::string> positional_files(const po::variables_map& vm,
                                          const std::string& positional_name) {
  return vm.count(positional_name) ? vm[positional_name].as<std::vector<std::string>>()
                                   : std::vector<std::string>{};
}

int thread_limit() {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(kMinThreadLimit, kThreadsPerCore * std::max(cores, 1));
}

int checked_threads(const po::variables_map& vm) {
  const int threads = vm["threads"].as<int>();
  if (threads < 0) throw InputError("--threads: expected 0 (all cores) or a positive count");
  if (threads > thread_limit())
    throw InputError("--threads " + std::to_string(threads) + ": expected at most " +
                     std::to_string(thread_limit()) + " (" + std::to_string(kThreadsPerCore) +
                     " per core, at least " + std::to_string(kMinThreadLimit) +
                     "); results do not depend on the thread count");
  return threads;
}

}  // namespace regionsim::cli
