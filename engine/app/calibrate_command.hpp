// `regionsim calibrate CALIBRATION.toml`: the command line of the calibration (engine/src/
// calibration.hpp), kept beside main.cpp so that main only dispatches to it.
#pragma once

#include <string>
#include <vector>

namespace regionsim {

// Runs the command with the arguments after "calibrate"; `command_line` is recorded in the
// outputs. Throws InputError or boost::program_options::error for bad input, as main expects.
int cmd_calibrate(const std::vector<std::string>& args, const std::string& command_line);

}  // namespace regionsim
