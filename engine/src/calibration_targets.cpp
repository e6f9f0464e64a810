// Reading a calibration targets file (scenarios/targets/*.toml) into a TargetSet. Every bad value
// is reported as "file:line:column: key = value: expected ...", like the scenario loader and the
// experiment files; a target's keys are named target.<id>.<key>.
#include "calibration_targets.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>

#include <toml++/toml.h>

#include "input_file.hpp"
#include "regionsim/scenario_loader.hpp"
#include "text.hpp"
#include "toml_merge.hpp"

namespace regionsim {

namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 3> kFileKeys = {"name", "description", "target"};
constexpr std::array<std::string_view, 28> kTargetKeys = {
    "id",        "about",       "statistic",       "variable", "select",     "of",     "reduce",
    "numerator", "denominator", "weights",         "dim",      "min_size",   "period", "units",
    "figure",    "conversion",  "conversion_note", "share",    "share_note", "value",  "sd",
    "rel_sd",    "basis",       "reasoning",       "source",   "year",       "needs",  "derived"};
constexpr std::array<std::string_view, 4> kTermKeys = {"variable", "select", "reduce", "period"};
constexpr std::array<std::string_view, 9> kStatistics = {
    "mean", "sum", "annual", "first", "last", "ratio", "share", "weighted_mean", "tail_index"};
constexpr std::array<std::string_view, 5> kReductions = {"mean", "sum", "annual", "first", "last"};
// Keys each statistic uses besides the descriptive ones every target may have.
constexpr std::array<std::string_view, 9> kStatisticKeys = {
    "variable", "select", "of", "reduce", "numerator", "denominator", "weights", "dim", "min_size"};

// Published figures are written rounded; a product off by more than this is a mistake.
constexpr double kProductTolerance = 0.005;

std::string show(const toml::node& node) {
  std::string text = format_toml_value(node);
  return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

template <std::size_t N>
std::string listing(const std::array<std::string_view, N>& items) {
  std::string out;
  for (const auto item : items)
    out += (out.empty() ? "" : ", ") + std::string(item);
  return out;
}

bool valid_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::optional<YearMonth> parse_year_month(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  for (const std::size_t i : {0, 1, 2, 3, 5, 6})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  const YearMonth at{std::stoi(std::string(text.substr(0, 4))),
                     std::stoi(std::string(text.substr(5, 2)))};
  if (at.month < 1 || at.month > 12) return std::nullopt;
  return at;
}

std::optional<TimeReduce> reduction_named(std::string_view name) {
  constexpr std::array<TimeReduce, 5> kValues = {
      TimeReduce::mean, TimeReduce::sum, TimeReduce::annual, TimeReduce::first, TimeReduce::last};
  for (std::size_t i = 0; i < kReductions.size(); ++i)
    if (kReductions[i] == name) return kValues[i];
  return std::nullopt;
}

class TargetReader {
 public:
  TargetReader(const toml::table& doc, std::string file) : doc_(doc), file_(std::move(file)) {}

  TargetSet read() {
    TargetSet set;
    set.file = file_;
    set.name = fs::path(file_).stem().string();
    check_keys(doc_, kFileKeys, "", "targets file keys");
    if (const toml::node* n = doc_.get("name")) set.name = text(*n, "name");
    if (const toml::node* n = doc_.get("description")) set.description = text(*n, "description");
    const toml::node* list = doc_.get("target");
    const toml::array* targets = list ? list->as_array() : nullptr;
    if (list == nullptr) throw InputError(file_ + ": no targets: expected [[target]] tables");
    if (targets == nullptr || targets->empty() || !targets->is_array_of_tables())
      fail(*list, "target = " + show(*list) + ": expected [[target]] tables");
    for (std::size_t i = 0; i < targets->size(); ++i) {
      Target target = read_target(*targets->get(i)->as_table(), i);
      if (const Target* earlier = set.find(target.id))
        throw InputError(target.place + ": target." + target.id + ": id '" + target.id +
                         "' is used twice (first at " + earlier->place +
                         "); expected a distinct id");
      set.targets.push_back(std::move(target));
    }
    return set;
  }

 private:
  [[noreturn]] void fail(const toml::node& at, const std::string& message) const {
    throw InputError(source_place(at.source(), file_) + ": " + message);
  }

  template <std::size_t N>
  void check_keys(const toml::table& table, const std::array<std::string_view, N>& known,
                  const std::string& prefix, const std::string& what) const {
    for (auto&& [key, node] : table) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
      const auto match = closest_match(key.str(), known);
      throw InputError(source_place(key.source().begin ? key.source() : node.source(), file_) +
                       ": " + prefix + "unknown key '" + std::string(key.str()) + "'" +
                       (match ? "; did you mean '" + std::string(*match) + "'?" : "") + " (" +
                       what + ": " + listing(known) + ")");
    }
  }

  std::string text(const toml::node& node, const std::string& key) const {
    if (const auto* s = node.as_string(); s != nullptr && !s->get().empty()) return s->get();
    fail(node, key + " = " + show(node) + ": expected a non-empty string");
  }

  double number(const toml::node& node, const std::string& key, const std::string& expected,
                bool positive) const {
    std::optional<double> x;
    if (const auto* i = node.as_integer()) x = static_cast<double>(i->get());
    if (const auto* f = node.as_floating_point()) x = f->get();
    if (!x || !std::isfinite(*x) || (positive && *x <= 0))
      fail(node, key + " = " + show(node) + ": expected " + expected);
    return *x;
  }

  std::vector<std::string> variables(const toml::node& node, const std::string& key) const {
    const std::string expected = ": expected an output variable name or an array of them";
    if (const auto* s = node.as_string(); s != nullptr && !s->get().empty()) return {s->get()};
    const toml::array* list = node.as_array();
    if (list == nullptr || list->empty()) fail(node, key + " = " + show(node) + expected);
    std::vector<std::string> out;
    for (const toml::node& item : *list) {
      const auto* s = item.as_string();
      if (s == nullptr || s->get().empty()) fail(item, key + " = " + show(node) + expected);
      if (std::find(out.begin(), out.end(), s->get()) != out.end())
        fail(item, key + " = " + show(node) + ": names '" + s->get() + "' twice" + expected);
      out.push_back(s->get());
    }
    return out;
  }

  Selection selection(const toml::node& node, const std::string& key) const {
    const toml::table* table = node.as_table();
    if (table == nullptr)
      fail(node, key + " = " + show(node) +
                     ": expected a table of dimension = [labels] or { label = weight }, such as "
                     "{ zone = [\"nevz\", \"ngit\"] }");
    Selection out;
    for (auto&& [dim, value] : *table) {
      const std::string at = key + "." + std::string(dim.str());
      Selection::Dim d{std::string(dim.str()), {}};
      auto add = [&](const toml::node& item, std::string label, double weight) {
        for (const Selection::Label& l : d.labels)
          if (l.name == label) fail(item, at + ": label '" + label + "' is listed twice");
        d.labels.push_back({std::move(label), weight});
      };
      if (const toml::array* labels = value.as_array(); labels != nullptr && !labels->empty()) {
        for (const toml::node& item : *labels) {
          const auto* s = item.as_string();
          if (s == nullptr || s->get().empty())
            fail(item, at + " = " + show(value) + ": expected an array of labels (strings)");
          add(item, s->get(), 1.0);
        }
      } else if (const toml::table* weights = value.as_table();
                 weights != nullptr && !weights->empty()) {
        for (auto&& [label, weight] : *weights)
          add(weight, std::string(label.str()),
              number(weight, at + "." + std::string(label.str()), "a weight > 0", true));
      } else {
        fail(value, at + " = " + show(value) +
                        ": expected a non-empty array of labels or a table { label = weight }");
      }
      out.dims.push_back(std::move(d));
    }
    return out;
  }

  std::pair<YearMonth, YearMonth> period(const toml::node& node, const std::string& key) const {
    const toml::array* list = node.as_array();
    const std::string expected =
        ": expected [\"YYYY-MM\", \"YYYY-MM\"], the first month not after the second";
    if (list == nullptr || list->size() != 2) fail(node, key + " = " + show(node) + expected);
    std::array<YearMonth, 2> months;
    for (std::size_t i = 0; i < 2; ++i) {
      const auto* s = list->get(i)->as_string();
      const auto at = s ? parse_year_month(s->get()) : std::nullopt;
      if (!at) fail(node, key + " = " + show(node) + expected);
      months[i] = *at;
    }
    if (months_between(months[0], months[1]) < 0) fail(node, key + " = " + show(node) + expected);
    return {months[0], months[1]};
  }

  TimeReduce reduction(const toml::node& node, const std::string& key) const {
    const auto* s = node.as_string();
    const auto r = s ? reduction_named(s->get()) : std::nullopt;
    if (!r) {
      const auto match = s ? closest_match(s->get(), kReductions) : std::nullopt;
      fail(node, key + " = " + show(node) + ": expected one of " + listing(kReductions) +
                     (match ? "; did you mean '" + std::string(*match) + "'?" : ""));
    }
    return *r;
  }

  // A numerator or denominator entry; `select` and `period` default to the target's.
  Term term(const toml::node& node, const std::string& key, const Term& defaults) const {
    const toml::table* table = node.as_table();
    if (table == nullptr)
      fail(node, key + " = " + show(node) +
                     ": expected a table { variable = ..., reduce = ... } or an array of them");
    check_keys(*table, kTermKeys, key + ": ", "term keys");
    Term out = defaults;
    out.place = source_place(node.source(), file_);
    const toml::node* variable = table->get("variable");
    const toml::node* reduce = table->get("reduce");
    if (variable == nullptr || reduce == nullptr)
      fail(node, key + ": expected both variable and reduce (" + listing(kReductions) + ")");
    out.variables = variables(*variable, key + ".variable");
    out.reduce = reduction(*reduce, key + ".reduce");
    if (const toml::node* n = table->get("select")) out.select = selection(*n, key + ".select");
    if (const toml::node* n = table->get("period"))
      std::tie(out.from, out.to) = period(*n, key + ".period");
    else if (out.from.year == 0)
      fail(node, key +
                     ": no period here or in the target: expected period = [\"YYYY-MM\", "
                     "\"YYYY-MM\"]");
    return out;
  }

  std::vector<Term> terms(const toml::node& node, const std::string& key,
                          const Term& defaults) const {
    std::vector<Term> out;
    if (const toml::array* list = node.as_array(); list != nullptr && !list->empty()) {
      for (std::size_t i = 0; i < list->size(); ++i)
        out.push_back(term(*list->get(i), key + "[" + std::to_string(i) + "]", defaults));
    } else {
      out.push_back(term(node, key, defaults));
    }
    return out;
  }

  Target read_target(const toml::table& table, std::size_t index) {
    Target t;
    t.place = source_place(table.source(), file_);
    std::string key = "target[" + std::to_string(index) + "]";
    const toml::node* id = table.get("id");
    if (id == nullptr) throw InputError(t.place + ": " + key + ": id is required");
    const auto* id_text = id->as_string();
    if (id_text == nullptr || !valid_id(id_text->get()))
      fail(*id, key + ".id = " + show(*id) + ": expected a name of [a-z0-9_]");
    t.id = id_text->get();
    key = "target." + t.id;
    check_keys(table, kTargetKeys, key + ": ", "target keys");

    auto required = [&](std::string_view name) -> const toml::node& {
      if (const toml::node* n = table.get(name)) return *n;
      throw InputError(t.place + ": " + key + ": " + std::string(name) + " is required");
    };
    auto optional_text = [&](std::string_view name) {
      const toml::node* n = table.get(name);
      return n ? text(*n, key + "." + std::string(name)) : std::string();
    };

    t.about = text(required("about"), key + ".about");
    t.units = text(required("units"), key + ".units");
    read_statistic(table, key, required("statistic"), t);

    t.value = number(required("value"), key + ".value", "a finite number", false);
    read_uncertainty(table, key, t);
    if (const toml::node* n = table.get("figure"))
      t.figure = number(*n, key + ".figure", "a finite number", false);
    if (const toml::node* n = table.get("conversion"))
      t.conversion = number(*n, key + ".conversion", "a ratio > 0", true);
    if (const toml::node* n = table.get("share"))
      t.share = number(*n, key + ".share", "a share > 0", true);
    t.conversion_note = optional_text("conversion_note");
    t.share_note = optional_text("share_note");
    if (t.conversion != 1 && t.conversion_note.empty())
      fail(*table.get("conversion"),
           key + ".conversion = " + show(*table.get("conversion")) +
               ": expected conversion_note saying how the figure becomes the model's definition");
    if (t.share != 1 && t.share_note.empty())
      fail(*table.get("share"), key + ".share = " + show(*table.get("share")) +
                                    ": expected share_note stating the judgement behind it");
    if ((t.conversion != 1 || t.share != 1) && !t.figure)
      fail(table, key +
                      ": conversion and share apply to a figure: expected figure = the "
                      "published number in the model's units");
    if (t.figure) {
      const double product = *t.figure * t.conversion * t.share;
      if (std::abs(product - t.value) > kProductTolerance * std::abs(t.value))
        fail(required("value"), key + ".value = " + show(required("value")) +
                                    ": expected figure x conversion x share = " +
                                    format_number(product) + " (within 0.5 %)");
    }

    const toml::node& basis = required("basis");
    const auto* basis_text = basis.as_string();
    if (basis_text == nullptr || (basis_text->get() != "fact" && basis_text->get() != "judgement"))
      fail(basis, key + ".basis = " + show(basis) + ": expected \"fact\" or \"judgement\"");
    t.fact = basis_text->get() == "fact";
    t.reasoning = optional_text("reasoning");
    if (!t.fact && t.reasoning.empty())
      fail(basis, key + ".basis = \"judgement\": expected reasoning explaining the judgement");
    t.source = text(required("source"), key + ".source");
    const toml::node& year = required("year");
    const auto* y = year.as_integer();
    if (y == nullptr || y->get() < 1949 || y->get() > 2100)
      fail(year, key + ".year = " + show(year) + ": expected the figure's year, such as 2022");
    t.year = static_cast<int>(y->get());
    t.needs = optional_text("needs");
    if (const toml::node* n = table.get("derived")) {
      const auto* b = n->as_boolean();
      if (b == nullptr) fail(*n, key + ".derived = " + show(*n) + ": expected true or false");
      t.derived = b->get();
    }
    return t;
  }

  void read_uncertainty(const toml::table& table, const std::string& key, Target& t) const {
    const toml::node* sd = table.get("sd");
    const toml::node* rel = table.get("rel_sd");
    if ((sd == nullptr) == (rel == nullptr))
      throw InputError(t.place + ": " + key +
                       ": expected exactly one of sd (absolute, in units) and rel_sd (relative to "
                       "value)");
    if (sd != nullptr) t.sd = number(*sd, key + ".sd", "a standard deviation > 0", true);
    if (rel != nullptr) {
      t.sd = number(*rel, key + ".rel_sd", "a relative standard deviation > 0", true) *
             std::abs(t.value);
      if (!(t.sd > 0)) fail(*rel, key + ".rel_sd: a relative uncertainty of value 0; use sd");
    }
  }

  void read_statistic(const toml::table& table, const std::string& key, const toml::node& node,
                      Target& t) const {
    const auto* name = node.as_string();
    const auto* found =
        name ? std::find(kStatistics.begin(), kStatistics.end(), name->get()) : kStatistics.end();
    if (found == kStatistics.end()) {
      const auto match = name ? closest_match(name->get(), kStatistics) : std::nullopt;
      fail(node, key + ".statistic = " + show(node) + ": expected one of " + listing(kStatistics) +
                     (match ? "; did you mean '" + std::string(*match) + "'?" : ""));
    }
    const std::string_view statistic = *found;
    const auto level = reduction_named(statistic);

    // Which statistic keys this statistic takes; "period" is required unless every term has one.
    std::vector<std::string_view> allowed = {"select"};
    std::vector<std::string_view> needed;
    if (level) {
      needed = {"variable", "period"};
      t.statistic = Statistic::level;
    } else if (statistic == "ratio") {
      needed = {"numerator", "denominator"};
      t.statistic = Statistic::ratio;
    } else if (statistic == "share") {
      needed = {"variable", "of", "reduce", "period"};
      t.statistic = Statistic::share;
    } else if (statistic == "weighted_mean") {
      needed = {"variable", "weights", "period"};
      t.statistic = Statistic::weighted_mean;
    } else {
      needed = {"variable", "dim", "min_size", "period"};
      t.statistic = Statistic::tail_index;
    }
    allowed.insert(allowed.end(), needed.begin(), needed.end());
    for (const std::string_view k : kStatisticKeys) {
      const toml::node* n = table.get(k);
      const bool is_allowed = std::find(allowed.begin(), allowed.end(), k) != allowed.end();
      if (n != nullptr && !is_allowed)
        fail(*n, key + "." + std::string(k) + ": not used by statistic \"" +
                     std::string(statistic) + "\" (expected only " + keys_of(needed) + ")");
      if (n == nullptr && std::find(needed.begin(), needed.end(), k) != needed.end())
        fail(table, key + ": " + std::string(k) + " is required for statistic \"" +
                        std::string(statistic) + "\" (expected " + keys_of(needed) + ")");
    }

    if (t.statistic != Statistic::ratio && table.get("period") == nullptr)
      fail(table, key + ": period is required for statistic \"" + std::string(statistic) +
                      "\" (expected " + keys_of(needed) + ")");

    Term base;
    base.place = source_place(node.source(), file_);
    if (const toml::node* n = table.get("select")) base.select = selection(*n, key + ".select");
    if (const toml::node* n = table.get("period"))
      std::tie(base.from, base.to) = period(*n, key + ".period");
    if (t.statistic == Statistic::ratio) {
      t.numerator = terms(*table.get("numerator"), key + ".numerator", base);
      t.denominator = terms(*table.get("denominator"), key + ".denominator", base);
      return;
    }
    base.variables = variables(*table.get("variable"), key + ".variable");
    base.place = source_place(table.get("variable")->source(), file_);
    if (level) base.reduce = *level;
    if (t.statistic == Statistic::share) {
      base.reduce = reduction(*table.get("reduce"), key + ".reduce");
      Term whole = base;
      whole.select = selection(*table.get("of"), key + ".of");
      t.denominator.push_back(std::move(whole));
    }
    if (t.statistic == Statistic::weighted_mean) {
      const auto weights = variables(*table.get("weights"), key + ".weights");
      if (weights.size() != 1 || base.variables.size() != 1)
        fail(*table.get("weights"), key + ": expected one variable and one weights variable");
      t.weights = weights.front();
    }
    if (t.statistic == Statistic::tail_index) {
      if (base.variables.size() != 1)
        fail(*table.get("variable"), key + ".variable: expected one histogram variable");
      t.size_dim = text(*table.get("dim"), key + ".dim");
      t.min_size = number(*table.get("min_size"), key + ".min_size", "a size > 0", true);
    }
    t.numerator.push_back(std::move(base));
  }

  static std::string keys_of(const std::vector<std::string_view>& keys) {
    std::string out;
    for (const auto k : keys)
      out += (out.empty() ? "" : ", ") + std::string(k);
    return out;
  }

  const toml::table& doc_;
  std::string file_;
};

}  // namespace

const Target* TargetSet::find(std::string_view id) const {
  for (const Target& t : targets)
    if (t.id == id) return &t;
  return nullptr;
}

TargetSet load_targets_text(std::string_view toml_text, std::string_view origin) {
  const toml::table doc = parse_input_toml(toml_text, std::string(origin));
  return TargetReader(doc, std::string(origin)).read();
}

TargetSet load_targets(const fs::path& file) {
  return load_targets_text(read_input_file(file, "targets"), file.string());
}

}  // namespace regionsim
