// Reading the TOML inputs other than scenarios (experiments, calibrations, targets): one way to
// say that a file cannot be opened or is not TOML, naming the file, line and column.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <toml++/toml.h>

namespace regionsim {

// The whole file as text; throws InputError("cannot open <kind> file '<file>'") when it is missing,
// unreadable or a directory.
std::string read_input_file(const std::filesystem::path& file, std::string_view kind);

// `text` parsed as TOML with `file` as its source name; throws InputError
// "<file>:<line>:<col>: TOML syntax error: ..." on a syntax error.
toml::table parse_input_toml(std::string_view text, const std::string& file);

}  // namespace regionsim
