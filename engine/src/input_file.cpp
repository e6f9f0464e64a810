#include "input_file.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include "regionsim/scenario_loader.hpp"
#include "toml_merge.hpp"

namespace regionsim {

namespace fs = std::filesystem;

std::string read_input_file(const fs::path& file, std::string_view kind) {
  std::error_code error;
  std::ifstream in(file, std::ios::binary);
  if (fs::is_directory(file, error) || !in)
    throw InputError("cannot open " + std::string(kind) + " file '" + file.string() + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

toml::table parse_input_toml(std::string_view text, const std::string& file) {
  try {
    return toml::parse(text, std::string_view{file});
  } catch (const toml::parse_error& e) {
    throw InputError(source_place(e.source(), file) +
                     ": TOML syntax error: " + std::string(e.description()));
  }
}

}  // namespace regionsim
