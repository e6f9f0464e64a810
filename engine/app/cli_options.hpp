// What every regionsim subcommand does with its options the same way: parse them (positional
// files included), answer --help, and check --threads. One place, so the commands cannot drift
// apart in what they accept or in how they word a refusal.
#pragma once

#include <boost/program_options.hpp>

#include <optional>
#include <string>
#include <vector>

namespace regionsim::cli {

namespace po = boost::program_options;

// Parses `args` against `visible`, every positional argument going to `positional_name` (a
// hidden option holding the file names; an empty name refuses positional arguments). Prints
// `visible` and returns nothing on --help, so the command returns 0 at once.
std::optional<po::variables_map> parse_or_help(const std::vector<std::string>& args,
                                               const po::options_description& visible,
                                               const std::string& positional_name = "scenario");

// The positional files `parse_or_help` collected under `positional_name` (none: empty).
std::vector<std::string> positional_files(const po::variables_map& vm,
                                          const std::string& positional_name = "scenario");

// The most worker threads accepted: beyond a few per core they only add scheduling overhead
// (results never depend on the count), and beyond a few thousand pthread_create fails.
int thread_limit();

// --threads from `vm`, refused (InputError) below 0 or above thread_limit().
int checked_threads(const po::variables_map& vm);

}  // namespace regionsim::cli
