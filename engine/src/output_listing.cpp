// `regionsim outputs`: the output registry as a text table and as the Markdown of docs/output.md.
#include <algorithm>
#include <array>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "output_registry.hpp"

namespace regionsim {
namespace {

using Row = std::array<std::string, 7>;
// Not constexpr: clang (clang-tidy) has no constexpr std::string in static storage.
const Row kHeader = {"variable",    "dims",         "type",     "units",
                     "units_label", "cell_methods", "long_name"};
enum Column : std::size_t { kName, kDims, kType, kUnits, kUnitsLabel, kCellMethods, kLongName };

struct Section {
  std::string heading;
  bool series = false;  // time series have units_label and cell_methods; the others leave them out
  std::vector<Row> rows;
};

std::string joined(const std::vector<FileVar>& dims) {
  std::string text;
  for (const FileVar dim : dims)
    text.append(text.empty() ? "" : ", ").append(file_variable(dim).name);
  return text;
}

Row row_of(const OutputSpec& spec) {
  return {std::string(spec.name),
          joined(dimensions_of(spec.dims)),
          std::string(nc_type_name(nc_type(spec.source.value))),
          std::string(spec.units),
          std::string(spec.units_label),
          std::string(cell_methods(spec.timing)),
          std::string(spec.long_name)};
}

// A variable's dimensions: its own for a coordinate, (time, nv) for the time bounds, run for the
// rest; a character variable's string length last.
std::string dims_of(const FileVariableSpec& spec) {
  std::string dims =
      spec.id == FileVar::time_bnds ? name_of(FileVar::time) + ", " + name_of(FileVar::nv)
      : spec.role == FileVarRole::dimension || spec.role == FileVarRole::bare_dimension
          ? std::string(spec.name)
          : name_of(FileVar::run);
  if (spec.type == NcType::character) dims += ", " + std::string(spec.name) + "_strlen";
  return dims;
}

Row row_of(const FileVariableSpec& spec) {
  const bool swept = spec.id == FileVar::swept_key;
  return {std::string(spec.name),
          dims_of(spec),
          swept                                      ? "float64 or char"
          : spec.role == FileVarRole::bare_dimension ? ""  // no values: only a length
                                                     : std::string(nc_type_name(spec.type)),
          std::string(spec.units),
          "",
          "",
          std::string(spec.long_name) + (swept ? " <key>" : "")};
}

std::string_view role_heading(FileVarRole role) {
  switch (role) {
    case FileVarRole::dimension:
      return "Coordinates of the dimensions";
    case FileVarRole::cell_bounds:
      return "Bounds of the time coordinate";
    case FileVarRole::bare_dimension:
      return "Dimensions without a coordinate variable";
    case FileVarRole::run_coordinate:
      return "Along run: what each run is (auxiliary coordinates)";
    case FileVarRole::run_provenance:
      return "Along run: how each run was made";
  }
  return "?";
}

std::vector<Section> sections() {
  std::vector<Section> out;
  for (const OutputGroup group : kOutputGroups) {
    Section section{std::string(group_heading(group)), true, {}};
    for (const OutputSpec& spec : output_registry())
      if (spec.group == group) section.rows.push_back(row_of(spec));
    out.push_back(std::move(section));
  }
  for (const FileVarRole role :
       {FileVarRole::dimension, FileVarRole::cell_bounds, FileVarRole::bare_dimension,
        FileVarRole::run_coordinate, FileVarRole::run_provenance}) {
    Section section{std::string(role_heading(role)), false, {}};
    for (const FileVariableSpec& spec : file_variables())
      if (spec.role == role) section.rows.push_back(row_of(spec));
    out.push_back(std::move(section));
  }
  return out;
}

// Columns shown for a section: units_label and cell_methods only for time series.
bool shown(const Section& section, std::size_t column) {
  return (column != kCellMethods && column != kUnitsLabel) || section.series;
}

std::string code(const std::string& text) {
  return text.empty() ? text : "`" + text + "`";
}

// Plain text in a Markdown cell: "<key>" would otherwise be read as an HTML tag.
std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text)
    out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : std::string(1, c);
  return out;
}

}  // namespace

std::string outputs_table_text() {
  const std::vector<Section> all = sections();
  std::array<std::size_t, std::tuple_size_v<Row>> width{};
  const auto widen = [&width](const Row& row) {
    for (std::size_t c = 0; c < row.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  };
  widen(kHeader);
  for (const Section& section : all)
    std::for_each(section.rows.begin(), section.rows.end(), widen);

  std::ostringstream out;
  const auto print = [&](const Row& row) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c)
      line += row[c] + std::string(c + 1 < row.size() ? width[c] - row[c].size() + 2 : 0, ' ');
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << '\n';
  };
  print(kHeader);
  for (const Section& section : all) {
    out << '\n' << section.heading << '\n';
    std::for_each(section.rows.begin(), section.rows.end(), print);
  }
  return out.str();
}

std::string outputs_markdown() {
  std::ostringstream out;
  bool first = true;
  for (const Section& section : sections()) {
    out << (first ? "" : "\n") << "### " << section.heading << "\n\n|";
    first = false;
    std::string rule = "|";
    for (std::size_t c = 0; c < kHeader.size(); ++c) {
      if (!shown(section, c)) continue;
      out << ' ' << kHeader[c] << " |";
      rule += "---|";
    }
    out << '\n' << rule << '\n';
    for (const Row& row : section.rows) {
      out << '|';
      for (std::size_t c = 0; c < row.size(); ++c) {
        if (!shown(section, c)) continue;
        const bool quoted = c == kName || c == kUnits || c == kCellMethods;
        out << ' ' << (quoted ? code(row[c]) : escaped(row[c])) << " |";
      }
      out << '\n';
    }
  }
  return out.str();
}

}  // namespace regionsim
