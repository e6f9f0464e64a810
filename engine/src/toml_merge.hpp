// Small helpers over toml++ documents for the scenario loader: layering one document over another,
// and printing values back as exact, readable TOML.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

namespace regionsim {

// Keys from the document root down to a node, e.g. {"zone", "lsiz", "ownership"}.
using TomlPath = std::vector<std::string_view>;

// Says whether a table of the layer replaces the base's table at the same path instead of merging
// into it key by key.
using ReplaceWhole = std::function<bool(const TomlPath& path, const toml::table& incoming)>;

// Layers `layer` over `base`: tables merge key by key, anything else replaces what `base` had.
// Nodes are moved, not copied, because toml++ keeps source positions (needed in error messages)
// only across moves.
void merge_layer(toml::table& base, toml::table&& layer, const ReplaceWhole& replace_whole);

// Shortest decimal text that reads back to the same double ("0.1", not "0.10000000000000001"):
// integral values below 1e15 without a fraction ("52000"), plain decimals from 1e-6 ("0.0009"),
// exponents outside that range ("1e-08").
std::string format_number(double value);

// A value as TOML source text on one line: strings quoted and escaped, floats exact and shortest
// (always with a '.' or exponent so they read back as floats), arrays and inline tables inline.
std::string format_toml_value(const toml::node& value);

// `text` as a TOML basic string, quoted and escaped.
std::string quote_toml_string(std::string_view text);

// "file:line:column" of a node read from `file`, or `file` alone when the node has no position
// (the loader made it). Used by the experiment, calibration and targets readers' messages.
std::string source_place(const toml::source_region& source, const std::string& file);

// A value as the user would write it, for a message: format_toml_value shortened to 60
// characters, so a stray table cannot flood the message.
std::string show_value(const toml::node& value);

}  // namespace regionsim
