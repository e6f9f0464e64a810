// The parameter registry rendered for people: `regionsim params` (an aligned text table),
// docs/parameters.md (Markdown, checked against this output by a test), and the default, range
// and unit texts that the loader's messages quote.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <sstream>

#include "param_registry.hpp"
#include "regionsim/scenario_loader.hpp"
#include "text.hpp"
#include "toml_merge.hpp"

namespace regionsim {
namespace {

// Range limits span 1e-6 to 1e9: exponents read better than rows of zeros ("1e9").
std::string format_limit(double limit) {
  const double size = std::fabs(limit);
  if (size == 0 || (size >= 1e-3 && size < 1e5)) return format_number(limit);
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, limit, std::chars_format::scientific);
  std::string text(buffer, result.ptr);  // "1e+09", "1e-06"
  const std::size_t e = text.find('e');
  std::string exponent = text.substr(e + 1);
  const bool negative = exponent.front() == '-';
  exponent = exponent.substr(exponent.find_first_not_of("+-0"));
  return text.substr(0, e + 1) + (negative ? "-" : "") + exponent;
}

std::string group_heading(std::string_view group) {
  if (group.empty()) return "top level";
  std::string heading = "[";
  heading.append(group).append(entity_of_group(group) != Entity::none ? ".<name>]" : "]");
  return heading;
}

std::string plural(Entity entity) {
  return std::string(entity_list(entity));
}

// Terminal columns line up by characters, not bytes ("km²").
std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

using Row = std::array<std::string, 6>;
// Not constexpr: clang (clang-tidy) has no constexpr std::string in static storage.
const Row kHeader = {"key", "unit", "default", "range", "description", "basis"};

Row row_of(const ParamSpec& spec) {
  return {spec.key(),       std::string(spec.unit),  default_text(spec),
          range_text(spec), std::string(spec.about), std::string(spec.basis)};
}

}  // namespace

std::string unit_suffix(const ParamSpec& spec) {
  if (spec.unit.empty() || spec.unit == "-") return {};
  return " (" + std::string(spec.unit) + ")";
}

std::string default_text(const ParamSpec& spec) {
  using Source = ParamDefault::Source;
  switch (spec.def.source) {
    case Source::required:
      return "required";
    case Source::number:
      return format_number(spec.def.number);
    case Source::boolean:
      return spec.def.number != 0 ? "true" : "false";
    case Source::text:
      return quote_toml_string(spec.def.text);
    case Source::empty_table:
      return "{}";
    case Source::file_stem:
      return "file name stem";
    case Source::first_listed:
      return "first in region." + std::string(entity_list(spec.keys));
    case Source::absent:
      return "none";
  }
  return {};
}

std::string interval_text(const ParamSpec& spec) {
  std::string interval = "[";
  interval.append(format_limit(spec.min)).append(", ").append(format_limit(spec.max)).append("]");
  return interval;
}

std::string range_text(const ParamSpec& spec) {
  std::string interval = interval_text(spec);  // not const: returned by move
  const std::string over = spec.entity() == Entity::none ? "" : plural(spec.entity());
  switch (spec.kind()) {
    case ParamKind::integer:
      return "integer in " + interval;
    case ParamKind::boolean:
      return "true or false";
    case ParamKind::text:
      return spec.field == "name" ? "non-empty text" : "text";
    case ParamKind::choice:
      return "one of " + join(spec.choices(), "|");
    case ParamKind::entity:
      return "a name in region." + std::string(entity_list(spec.keys));
    case ParamKind::date:
      return "YYYY-MM-01";
    case ParamKind::name_list:
      return format_number(spec.min) + " to " + format_number(spec.max) + ", unique, of [a-z0-9_-]";
    case ParamKind::weights: {
      std::string each = "each " + interval + " by " + std::string(entity_group(spec.keys));
      switch (spec.rule) {
        case SumRule::normalise:
          return each + ", one > 0; normalised to sum 1";
        case SumRule::sum_to_one:
          return each + ", summing to 1";
        case SumRule::at_most_one:
          return each + ", summing to at most 1";
        case SumRule::none:
          return each;
      }
      return each;
    }
    case ParamKind::real:
      switch (spec.rule) {
        case SumRule::normalise:
          return interval + ", one > 0; normalised over " + over;
        case SumRule::sum_to_one:
          return interval + ", summing to 1 over " + over;
        case SumRule::at_most_one:
          return interval + ", summing to at most 1 over " + over;
        case SumRule::none:
          return interval;
      }
  }
  return interval;
}

std::string params_table_text() {
  std::vector<std::pair<std::string, std::vector<Row>>> sections;
  for (std::string_view group : param_groups()) {
    std::vector<Row> rows;
    for (const ParamSpec& spec : param_registry()) {
      if (spec.group == group) rows.push_back(row_of(spec));
    }
    sections.emplace_back(group_heading(group), std::move(rows));
  }

  // One set of column widths for all sections, so the whole listing reads as one table.
  std::array<std::size_t, 6> width{};
  auto widen = [&width](const Row& row) {
    for (std::size_t c = 0; c < row.size(); ++c)
      width[c] = std::max(width[c], display_width(row[c]));
  };
  widen(kHeader);
  for (const auto& section : sections)
    std::for_each(section.second.begin(), section.second.end(), widen);

  std::ostringstream out;
  auto print = [&](const Row& row) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      out << row[c];
      if (c + 1 < row.size()) out << std::string(width[c] - display_width(row[c]) + 2, ' ');
    }
    out << '\n';
  };
  print(kHeader);
  for (const auto& [heading, rows] : sections) {
    out << '\n' << heading << '\n';
    std::for_each(rows.begin(), rows.end(), print);
  }
  return out.str();
}

std::string params_markdown() {
  std::ostringstream out;
  out << "# Scenario parameters\n\n"
         "<!-- Generated from engine/src/param_registry.cpp; do not edit by hand. Regenerate with\n"
         "     build/release/regionsim params --markdown > docs/parameters.md -->\n\n"
         "Every key a scenario file may set, with its unit, default, valid range, meaning and the\n"
         "basis of the default. A key left out takes its default; `required` keys have none.\n"
         "Entity fields belong to one named entity: `zone.<name>.amenity` is `amenity` in the\n"
         "`[zone.<name>]` table of a zone listed in `region.zones`. Money is in million CNY\n"
         "(mCNY), time in months. Basis tags: *fact* (shared/data/REAL-WORLD-FACTS.md), *study*\n"
         "(a published estimate), *calibration* (month 0 near a steady state), *judgement*\n"
         "(explained in docs/model.md), *convention* (a setting of the run).\n";
  for (std::string_view group : param_groups()) {
    out << "\n## " << group_heading(group) << "\n\n"
        << "| key | unit | default | range | description | basis |\n"
        << "|---|---|---|---|---|---|\n";
    for (const ParamSpec& spec : param_registry()) {
      if (spec.group != group) continue;
      const Row row = row_of(spec);
      out << "| `" << row[0] << "` |";
      for (std::size_t c = 1; c < row.size(); ++c)
        out << ' ' << row[c] << " |";
      out << '\n';
    }
  }
  return out.str();
}

}  // namespace regionsim
