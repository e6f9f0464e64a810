// Evaluating a calibration target's statistic on one run's recorded series, and checking the
// names a targets file uses against a catalogue of output variables. The series come through a
// callback, so this knows nothing of the recorder or the file format.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "calibration_targets.hpp"
#include "regionsim/scenario_loader.hpp"
#include "text.hpp"

namespace regionsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items)
    out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string year_month(YearMonth at) {
  const std::string m = std::to_string(at.month);
  return std::to_string(at.year) + "-" + (at.month < 10 ? "0" + m : m);
}

[[noreturn]] void fail(const Target& t, const Term& term, const std::string& message) {
  throw InputError(term.place + ": target." + t.id + ": " + message);
}

std::size_t cell_count(const SeriesData& s) {
  std::size_t cells = 1;
  for (const auto& labels : s.labels)
    cells *= labels.size();
  return cells;
}

const SeriesData& series_of(const SeriesLookup& lookup, const std::string& variable,
                            const Target& t, const Term& term) {
  const SeriesData* s = lookup(variable);
  if (s == nullptr)
    fail(t, term,
         "the run has no variable '" + variable + "'" +
             (t.needs.empty() ? "" : " (this target needs: " + t.needs + ")"));
  if (s->dims.size() != s->labels.size() || cell_count(*s) == 0 ||
      s->values.size() % cell_count(*s) != 0)
    fail(t, term,
         "the series of '" + variable + "' is malformed (dims, labels and values disagree)");
  return *s;
}

std::ptrdiff_t dim_index(const SeriesData& s, std::string_view dim) {
  const auto it = std::find(s.dims.begin(), s.dims.end(), dim);
  return it == s.dims.end() ? -1 : it - s.dims.begin();
}

// Weight of every cell (row-major over the series' dimensions) under `select`. Dimensions listed
// in `skip` are left whole; a selected dimension the series lacks is an error unless in `skip`.
std::vector<double> cell_weights(const SeriesData& s, const std::string& variable,
                                 const Selection& select, const Target& t, const Term& term,
                                 const std::vector<std::string>& skip = {}) {
  std::vector<std::vector<double>> per_dim;
  for (const auto& labels : s.labels)
    per_dim.emplace_back(labels.size(), 1.0);
  for (const Selection::Dim& dim : select.dims) {
    if (std::find(skip.begin(), skip.end(), dim.name) != skip.end()) continue;
    const std::ptrdiff_t d = dim_index(s, dim.name);
    if (d < 0)
      fail(t, term,
           "variable '" + variable + "' has no dimension '" + dim.name + "' (its dimensions: " +
               (s.dims.empty() ? std::string("none besides time") : joined(s.dims)) + ")");
    const auto& labels = s.labels[static_cast<std::size_t>(d)];
    std::vector<double>& w = per_dim[static_cast<std::size_t>(d)];
    std::fill(w.begin(), w.end(), 0.0);
    for (const Selection::Label& label : dim.labels) {
      const auto it = std::find(labels.begin(), labels.end(), label.name);
      if (it == labels.end())
        fail(t, term,
             "no " + dim.name + " '" + label.name + "' in the run (" + dim.name +
                 " labels: " + joined(labels) + ")");
      w[static_cast<std::size_t>(it - labels.begin())] = label.weight;
    }
  }
  std::vector<double> out(cell_count(s), 1.0);
  std::size_t stride = out.size();
  for (std::size_t d = 0; d < per_dim.size(); ++d) {
    stride /= per_dim[d].size();
    for (std::size_t c = 0; c < out.size(); ++c)
      out[c] *= per_dim[d][(c / stride) % per_dim[d].size()];
  }
  return out;
}

// Record indices [first, last] of the term's period; refused if the run did not record them.
std::pair<std::size_t, std::size_t> records(const SeriesData& s, const Target& t, const Term& term,
                                            YearMonth start) {
  const auto months = static_cast<std::int64_t>(s.values.size() / cell_count(s));
  const std::int64_t first = months_between(start, term.from);
  const std::int64_t last = months_between(start, term.to);
  if (first < 0 || last >= months)
    fail(t, term,
         "period " + year_month(term.from) + ".." + year_month(term.to) + " is records " +
             std::to_string(first) + ".." + std::to_string(last) + ", but the run recorded " +
             std::to_string(months) + " months from " + year_month(start));
  return {static_cast<std::size_t>(first), static_cast<std::size_t>(last)};
}

double reduce_months(const std::vector<double>& monthly, TimeReduce reduce) {
  double sum = 0;
  for (const double x : monthly)
    sum += x;
  const auto n = static_cast<double>(monthly.size());
  switch (reduce) {
    case TimeReduce::mean:
      return sum / n;
    case TimeReduce::sum:
      return sum;
    case TimeReduce::annual:
      return sum * 12.0 / n;
    case TimeReduce::first:
      return monthly.front();
    case TimeReduce::last:
      return monthly.back();
  }
  return kNaN;
}

// The selected total of each month of the period.
std::vector<double> monthly_totals(const SeriesData& s, const std::vector<double>& weights,
                                   std::size_t first, std::size_t last) {
  const std::size_t cells = weights.size();
  std::vector<double> out;
  for (std::size_t m = first; m <= last; ++m) {
    double total = 0;
    for (std::size_t c = 0; c < cells; ++c)
      if (weights[c] != 0) total += weights[c] * s.values[m * cells + c];
    out.push_back(total);
  }
  return out;
}

double term_value(const Term& term, const Target& t, const SeriesLookup& lookup, YearMonth start) {
  double value = 0;
  for (const std::string& variable : term.variables) {
    const SeriesData& s = series_of(lookup, variable, t, term);
    const auto [first, last] = records(s, t, term, start);
    value += reduce_months(
        monthly_totals(s, cell_weights(s, variable, term.select, t, term), first, last),
        term.reduce);
  }
  return value;
}

double terms_value(const std::vector<Term>& terms, const Target& t, const SeriesLookup& lookup,
                   YearMonth start) {
  double value = 0;
  for (const Term& term : terms)
    value += term_value(term, t, lookup, start);
  return value;
}

// Σ_months Σ_cells x·w / Σ_months Σ_cells w, the weight of a cell of x being the weights
// variable summed over its dimensions that x lacks (talent_employed over skills, for a wage).
double weighted_mean(const Target& t, const SeriesLookup& lookup, YearMonth start) {
  const Term& term = t.numerator.front();
  const std::string& variable = term.variables.front();
  const SeriesData& x = series_of(lookup, variable, t, term);
  const SeriesData& w = series_of(lookup, t.weights, t, term);
  const auto [first, last] = records(x, t, term, start);
  records(w, t, term, start);
  // Selection: x's own dimensions on x, the rest on the weights, so no label counts twice.
  for (const Selection::Dim& dim : term.select.dims)
    if (dim_index(x, dim.name) < 0 && dim_index(w, dim.name) < 0)
      fail(t, term,
           "neither '" + variable + "' nor '" + t.weights + "' has dimension '" + dim.name + "'");
  std::vector<std::string> skip_on_x, skip_on_w;
  for (const Selection::Dim& dim : term.select.dims) {
    if (dim_index(x, dim.name) < 0) skip_on_x.push_back(dim.name);
    if (dim_index(x, dim.name) >= 0 || dim_index(w, dim.name) < 0) skip_on_w.push_back(dim.name);
  }
  const std::vector<double> x_select = cell_weights(x, variable, term.select, t, term, skip_on_x);
  const std::vector<double> w_select = cell_weights(w, t.weights, term.select, t, term, skip_on_w);

  // Map each cell of the weights to the cell of x with the same labels on x's dimensions.
  std::vector<std::ptrdiff_t> w_dim_in_x;
  for (std::size_t d = 0; d < w.dims.size(); ++d) {
    const std::ptrdiff_t xd = dim_index(x, w.dims[d]);
    if (xd >= 0 && x.labels[static_cast<std::size_t>(xd)] != w.labels[d])
      fail(t, term,
           "'" + variable + "' and '" + t.weights + "' label " + w.dims[d] + " differently");
    w_dim_in_x.push_back(xd);
  }
  for (const std::string& d : x.dims)
    if (dim_index(w, d) < 0)
      fail(t, term, "weights '" + t.weights + "' lack dimension '" + d + "' of '" + variable + "'");
  const std::size_t x_cells = cell_count(x), w_cells = cell_count(w);
  std::vector<std::size_t> w_to_x(w_cells, 0);
  for (std::size_t c = 0; c < w_cells; ++c) {
    std::size_t rest = c, stride_w = w_cells;
    std::vector<std::size_t> x_index(x.dims.size(), 0);
    for (std::size_t d = 0; d < w.dims.size(); ++d) {
      stride_w /= w.labels[d].size();
      const std::size_t i = rest / stride_w;
      rest %= stride_w;
      if (w_dim_in_x[d] >= 0) x_index[static_cast<std::size_t>(w_dim_in_x[d])] = i;
    }
    std::size_t flat = 0;
    for (std::size_t d = 0; d < x.dims.size(); ++d)
      flat = flat * x.labels[d].size() + x_index[d];
    w_to_x[c] = flat;
  }

  double numerator = 0, denominator = 0;
  for (std::size_t m = first; m <= last; ++m) {
    std::vector<double> weight(x_cells, 0.0);
    for (std::size_t c = 0; c < w_cells; ++c)
      weight[w_to_x[c]] += w_select[c] * w.values[m * w_cells + c];
    for (std::size_t c = 0; c < x_cells; ++c) {
      numerator += x_select[c] * weight[c] * x.values[m * x_cells + c];
      denominator += x_select[c] * weight[c];
    }
  }
  return denominator != 0 ? numerator / denominator : kNaN;
}

// Least-squares slope of ln P(size >= b) on ln b over the classes with lower bound b >= min_size,
// from the mean class counts of the period; the tail index is minus that slope.
double tail_index(const Target& t, const SeriesLookup& lookup, YearMonth start) {
  const Term& term = t.numerator.front();
  const std::string& variable = term.variables.front();
  const SeriesData& s = series_of(lookup, variable, t, term);
  const std::ptrdiff_t d = dim_index(s, t.size_dim);
  if (d < 0) fail(t, term, "variable '" + variable + "' has no dimension '" + t.size_dim + "'");
  const auto& labels = s.labels[static_cast<std::size_t>(d)];
  std::vector<double> bounds;
  for (const std::string& label : labels) {
    double b = 0;
    const auto [end, error] = std::from_chars(label.data(), label.data() + label.size(), b);
    if (error != std::errc() || end != label.data() + label.size() || !(b > 0))
      fail(t, term,
           t.size_dim + " label '" + label +
               "' is not a size: expected each class labelled by its lower bound");
    bounds.push_back(b);
  }
  const auto [first, last] = records(s, t, term, start);
  const std::vector<double> select = cell_weights(s, variable, term.select, t, term);
  const std::size_t cells = select.size();
  std::size_t inner = 1;
  for (std::size_t k = static_cast<std::size_t>(d) + 1; k < s.labels.size(); ++k)
    inner *= s.labels[k].size();
  std::vector<double> counts(labels.size(), 0.0);
  for (std::size_t m = first; m <= last; ++m)
    for (std::size_t c = 0; c < cells; ++c)
      counts[(c / inner) % labels.size()] += select[c] * s.values[m * cells + c];

  std::vector<std::size_t> order(labels.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return bounds[a] < bounds[b]; });
  double total = 0;
  for (const double c : counts)
    total += c;
  if (!(total > 0)) return kNaN;
  std::vector<double> xs, ys;
  double above = total;  // firms in this class and every larger one
  for (const std::size_t k : order) {
    if (bounds[k] >= t.min_size && above > 0) {
      xs.push_back(std::log(bounds[k]));
      ys.push_back(std::log(above / total));
    }
    above -= counts[k];
  }
  if (xs.size() < 2) return kNaN;
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= static_cast<double>(xs.size());
  my /= static_cast<double>(xs.size());
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) * (xs[i] - mx);
  }
  return -sxy / sxx;
}

}  // namespace

double evaluate_target(const Target& t, const SeriesLookup& lookup, YearMonth start) {
  switch (t.statistic) {
    case Statistic::level:
      return term_value(t.numerator.front(), t, lookup, start);
    case Statistic::ratio:
    case Statistic::share: {
      const double denominator = terms_value(t.denominator, t, lookup, start);
      const double numerator = terms_value(t.numerator, t, lookup, start);
      return denominator != 0 ? numerator / denominator : kNaN;
    }
    case Statistic::weighted_mean:
      return weighted_mean(t, lookup, start);
    case Statistic::tail_index:
      return tail_index(t, lookup, start);
  }
  return kNaN;
}

std::vector<std::string> check_targets(const TargetSet& set,
                                       std::span<const VariableInfo> catalogue) {
  std::vector<std::string_view> names;
  for (const VariableInfo& v : catalogue)
    names.push_back(v.name);
  auto find = [&](const std::string& name) -> const VariableInfo* {
    for (const VariableInfo& v : catalogue)
      if (v.name == name) return &v;
    return nullptr;
  };
  std::vector<std::string> pending;
  for (const Target& t : set.targets) {
    std::vector<const Term*> terms;
    for (const Term& term : t.numerator)
      terms.push_back(&term);
    for (const Term& term : t.denominator)
      terms.push_back(&term);
    std::vector<std::pair<const Term*, std::string>> uses;
    for (const Term* term : terms)
      for (const std::string& v : term->variables)
        uses.emplace_back(term, v);
    if (!t.weights.empty()) uses.emplace_back(&t.numerator.front(), t.weights);

    bool missing = false;
    for (const auto& [term, name] : uses) {
      if (find(name) != nullptr) continue;
      if (!t.needs.empty()) {
        missing = true;
        continue;
      }
      const auto match = closest_match(name, names);
      fail(t, *term,
           "variable '" + name + "' is not an output of this engine" +
               (match ? "; did you mean '" + std::string(*match) + "'?" : "") +
               " (a target on a planned output states needs = \"...\")");
    }
    if (missing) {
      pending.push_back(t.id);
      continue;
    }

    const VariableInfo* weights = t.weights.empty() ? nullptr : find(t.weights);
    for (const Term* term : terms) {
      const VariableInfo& first = *find(term->variables.front());
      for (const std::string& v : term->variables)
        if (find(v)->dims != first.dims)
          fail(t, *term,
               "variables '" + first.name + "' and '" + v +
                   "' are summed but have different dimensions");
      for (const Selection::Dim& dim : term->select.dims) {
        const auto has = [&](const VariableInfo* info) {
          return info != nullptr &&
                 std::find(info->dims.begin(), info->dims.end(), dim.name) != info->dims.end();
        };
        if (!has(&first) && !has(weights))
          fail(t, *term,
               "variable '" + first.name + "' has no dimension '" + dim.name +
                   "' (its dimensions: " +
                   (first.dims.empty() ? std::string("none besides time") : joined(first.dims)) +
                   ")");
      }
      if (t.statistic == Statistic::tail_index &&
          std::find(first.dims.begin(), first.dims.end(), t.size_dim) == first.dims.end())
        fail(t, *term, "variable '" + first.name + "' has no dimension '" + t.size_dim + "'");
    }
    if (weights != nullptr)
      for (const std::string& d : find(t.numerator.front().variables.front())->dims)
        if (std::find(weights->dims.begin(), weights->dims.end(), d) == weights->dims.end())
          fail(t, t.numerator.front(),
               "weights '" + t.weights + "' lack dimension '" + d + "' of the variable");
  }
  return pending;
}

}  // namespace regionsim
