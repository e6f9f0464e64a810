#include "toml_merge.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "text.hpp"

namespace regionsim {
namespace {

void merge_at(toml::table& base, toml::table&& layer, TomlPath& path,
              const ReplaceWhole& replace_whole) {
  for (auto&& [key, node] : layer) {
    path.push_back(key.str());
    toml::table* base_table = base[key.str()].as_table();
    toml::table* layer_table = node.as_table();
    if (base_table != nullptr && layer_table != nullptr && !replace_whole(path, *layer_table)) {
      merge_at(*base_table, std::move(*layer_table), path, replace_whole);
    } else {
      base.insert_or_assign(key, std::move(node));
    }
    path.pop_back();
  }
}

// Bare keys need no quotes; anything else (possible only in bad input being reported) does.
std::string format_key(std::string_view key) {
  return is_bare_key(key) ? std::string(key) : quote_toml_string(key);
}

}  // namespace

void merge_layer(toml::table& base, toml::table&& layer, const ReplaceWhole& replace_whole) {
  TomlPath path;
  merge_at(base, std::move(layer), path, replace_whole);
}

std::string format_number(double value) {
  if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e15) {
    // Exact: |value| < 1e15 < 2^63.
    return std::to_string(static_cast<long long>(value));
  }
  // Plain decimals read best in the range people write them in; exponents only beyond it.
  const bool plain = std::isfinite(value) && std::fabs(value) >= 1e-6 && std::fabs(value) < 1e15;
  char buffer[64];
  const auto result =
      plain ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed)
            : std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string quote_toml_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(c));
          out += escape;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string format_toml_value(const toml::node& value) {
  if (const auto* text = value.as_string()) return quote_toml_string(text->get());
  if (const auto* integer = value.as_integer()) return std::to_string(integer->get());
  if (const auto* boolean = value.as_boolean()) return boolean->get() ? "true" : "false";
  if (const auto* real = value.as_floating_point()) {
    const double x = real->get();
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    std::string text = format_number(x);
    if (text.find_first_of(".e") == std::string::npos) text += ".0";
    return text;
  }
  if (const auto* array = value.as_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < array->size(); ++i) {
      out += (i == 0 ? "" : ", ") + format_toml_value(*array->get(i));
    }
    return out + "]";
  }
  if (const auto* table = value.as_table()) {
    if (table->empty()) return "{}";
    std::string out = "{ ";
    bool first = true;
    for (auto&& [key, node] : *table) {
      out += (first ? "" : ", ") + format_key(key.str()) + " = " + format_toml_value(node);
      first = false;
    }
    return out + " }";
  }
  // Dates and times: toml++ prints these in TOML syntax already.
  std::ostringstream out;
  value.visit([&out](const auto& node) {
    if constexpr (toml::is_date<decltype(node)> || toml::is_time<decltype(node)> ||
                  toml::is_date_time<decltype(node)>) {
      out << node;
    }
  });
  return out.str();
}

std::string show_value(const toml::node& value) {
  constexpr std::size_t kMaxLength = 60;
  std::string text = format_toml_value(value);
  if (text.size() > kMaxLength) text = text.substr(0, kMaxLength - 3) + "...";
  return text;
}

std::string source_place(const toml::source_region& source, const std::string& file) {
  if (!source.begin) return file;
  return file + ":" + std::to_string(source.begin.line) + ":" + std::to_string(source.begin.column);
}

}  // namespace regionsim
