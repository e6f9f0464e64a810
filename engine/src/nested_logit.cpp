#include "nested_logit.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace regionsim {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

void check_lambda(double lambda) {
  if (!(lambda > 0.0 && lambda <= 1.0))
    throw std::invalid_argument("nested logit: dissimilarity lambda must be in (0, 1]");
}

double max_available(std::span<const double> v) {
  double m = kNegInf;
  for (double x : v)
    if (x > m) m = x;
  return m;
}

// Region share of a nest whose scaled sum is `sum` = Σ exp((V_z - vmax)/λ): the nest's inclusive
// value is vmax + λ ln(sum), against the outside option.
double region_share(double sum, double vmax, double outside, double lambda) {
  if (!(sum > 0.0)) return 0.0;
  const double iv = vmax + lambda * std::log(sum);
  // 1 / (1 + exp(outside - iv)), written so that neither exponential overflows.
  const double d = outside - iv;
  if (d > 0) {
    const double e = std::exp(-d);
    return e / (1.0 + e);
  }
  return 1.0 / (1.0 + std::exp(d));
}

// Zone z's expected share: e_z times the summed set terms of the sets holding it, which for a
// zone known for sure is every set (certain_total); shared by the shares and the value.
void scatter_zone_shares(std::span<const double> utilities, std::span<const double> known,
                         double vmax, double lambda, double certain_total,
                         std::span<const double> weight, std::span<const double> member_total,
                         std::span<const std::size_t> zone_of, std::span<double> zone_shares) {
  for (std::size_t z = 0; z < utilities.size(); ++z)
    if (known[z] >= 1.0 && utilities[z] > kNegInf)
      zone_shares[z] = std::exp((utilities[z] - vmax) / lambda) * certain_total;
  for (std::size_t i = 0; i < zone_of.size(); ++i)
    zone_shares[zone_of[i]] = weight[i] * member_total[i];
}

}  // namespace

double inclusive_value(std::span<const double> utilities, double lambda) {
  check_lambda(lambda);
  const double vmax = max_available(utilities);
  if (vmax == kNegInf) return kNegInf;
  double sum = 0;
  for (double v : utilities)
    if (v > kNegInf) sum += std::exp((v - vmax) / lambda);
  return vmax + lambda * std::log(sum);
}

double nested_shares(std::span<const double> utilities, double outside, double lambda,
                     std::span<double> zone_shares) {
  check_lambda(lambda);
  const double vmax = max_available(utilities);
  double sum = 0;
  for (std::size_t z = 0; z < utilities.size(); ++z) {
    zone_shares[z] = utilities[z] > kNegInf ? std::exp((utilities[z] - vmax) / lambda) : 0.0;
    sum += zone_shares[z];
  }
  const double region = vmax == kNegInf ? 0.0 : region_share(sum, vmax, outside, lambda);
  for (double& s : zone_shares)
    s = region > 0 ? region * s / sum : 0.0;
  return region;
}

int nested_choice(std::span<const double> utilities, double outside, double lambda, double u_region,
                  double u_zone) {
  check_lambda(lambda);
  const double vmax = max_available(utilities);
  if (vmax == kNegInf) return kOutside;
  double sum = 0;
  for (double v : utilities)
    if (v > kNegInf) sum += std::exp((v - vmax) / lambda);
  if (u_region >= region_share(sum, vmax, outside, lambda)) return kOutside;
  const double target = u_zone * sum;
  double running = 0;
  int last = kOutside;
  for (std::size_t z = 0; z < utilities.size(); ++z) {
    if (!(utilities[z] > kNegInf)) continue;
    running += std::exp((utilities[z] - vmax) / lambda);
    last = static_cast<int>(z);
    if (target < running) return last;
  }
  return last;  // rounding left the running sum a hair below the target
}

void fit_boost(std::span<const double> utilities, std::span<const double> fit_gain, double lambda,
               std::span<double> steered) {
  check_lambda(lambda);
  const std::size_t n = utilities.size();
  for (std::size_t z = 0; z < n; ++z)
    steered[z] = utilities[z] > kNegInf ? utilities[z] + fit_gain[z] : kNegInf;
  const double before = inclusive_value(utilities, lambda);
  if (before == kNegInf) return;
  const double shift = inclusive_value(steered, lambda) - before;
  for (std::size_t z = 0; z < n; ++z)
    if (steered[z] > kNegInf) steered[z] -= shift;
}

double expected_nested_shares(std::span<const double> utilities, std::span<const double> known,
                              double outside, double lambda, std::span<double> zone_shares) {
  check_lambda(lambda);
  const std::size_t n = utilities.size();
  double vmax = kNegInf;
  for (std::size_t z = 0; z < n; ++z)
    if (known[z] > 0.0 && utilities[z] > vmax) vmax = utilities[z];
  for (std::size_t z = 0; z < n; ++z)
    zone_shares[z] = 0.0;
  if (vmax == kNegInf) return 0.0;

  // Zones known for sure form a fixed part of every set; only the uncertain ones are enumerated.
  double certain_sum = 0;
  std::array<double, kMaxUncertainZones> weight{}, prob{};
  std::array<std::size_t, kMaxUncertainZones> zone_of{};
  std::size_t m = 0;
  for (std::size_t z = 0; z < n; ++z) {
    if (!(known[z] > 0.0) || !(utilities[z] > kNegInf)) continue;
    const double e = std::exp((utilities[z] - vmax) / lambda);
    if (known[z] >= 1.0) {
      certain_sum += e;
      continue;
    }
    if (m == kMaxUncertainZones)
      throw std::invalid_argument("expected_nested_shares: too many zones of uncertain knowledge");
    weight[m] = e;
    prob[m] = known[z];
    zone_of[m] = z;
    ++m;
  }

  // For each set K: P(K) · region share(K) / Σ_{z∈K} e_z, so zone z's expected share is
  // e_z · Σ_{K∋z} of that term.
  std::array<double, kMaxUncertainZones> member_total{};
  double certain_total = 0, region = 0;
  const std::size_t sets = std::size_t{1} << m;
  for (std::size_t mask = 0; mask < sets; ++mask) {
    double p = 1.0, sum = certain_sum;
    for (std::size_t i = 0; i < m; ++i) {
      if (mask >> i & 1u) {
        p *= prob[i];
        sum += weight[i];
      } else {
        p *= 1.0 - prob[i];
      }
    }
    const double share = region_share(sum, vmax, outside, lambda);
    if (!(share > 0.0)) continue;
    region += p * share;
    const double g = p * share / sum;
    certain_total += g;
    for (std::size_t i = 0; i < m; ++i)
      if (mask >> i & 1u) member_total[i] += g;
  }
  scatter_zone_shares(utilities, known, vmax, lambda, certain_total, {weight.data(), m},
                      {member_total.data(), m}, {zone_of.data(), m}, zone_shares);
  return region;
}

double expected_nested_value(std::span<const double> utilities, std::span<const double> known,
                             double outside, double lambda, std::span<const double> value,
                             std::span<const double> du, std::size_t directions,
                             std::span<double> gradient, std::span<double> zone_shares) {
  check_lambda(lambda);
  constexpr std::size_t kMaxDirections = 4;
  if (directions > kMaxDirections)
    throw std::invalid_argument("expected_nested_value: at most 4 directions");
  const std::size_t n = utilities.size(), D = directions;
  for (std::size_t d = 0; d < D; ++d)
    gradient[d] = 0.0;
  for (std::size_t z = 0; z < n; ++z)
    zone_shares[z] = 0.0;
  double vmax = kNegInf;
  for (std::size_t z = 0; z < n; ++z)
    if (known[z] > 0.0 && utilities[z] > vmax) vmax = utilities[z];
  if (vmax == kNegInf) return 0.0;

  // Per set K of known zones, with e_z = exp((U_z - vmax)/λ), S = Σ e_z, P_R its region share:
  //   F(K) = P_R A / S,                      A = Σ e_z value_z
  //   ∂F(K)/∂t_d = P_R/S · (A (1 - P_R - 1/λ) B_d / S + C_d / λ),
  //   B_d = Σ e_z du_{z,d},  C_d = Σ e_z value_z du_{z,d}
  // (from ∂ ln P_R/∂U_y = (1 - P_R) e_y/S and ∂ ln(e_z/S)/∂U_y = (1[z=y] - e_y/S)/λ).
  struct Sums {
    double s = 0, a = 0;
    std::array<double, kMaxDirections> b{}, c{};
  };
  auto add = [&](Sums& t, std::size_t z, double e) {
    t.s += e;
    t.a += e * value[z];
    for (std::size_t d = 0; d < D; ++d) {
      t.b[d] += e * du[z * D + d];
      t.c[d] += e * value[z] * du[z * D + d];
    }
  };
  Sums certain;
  std::array<Sums, kMaxUncertainZones> single{};
  std::array<double, kMaxUncertainZones> prob{}, weight{};
  std::array<std::size_t, kMaxUncertainZones> zone_of{};
  std::size_t m = 0;
  for (std::size_t z = 0; z < n; ++z) {
    if (!(known[z] > 0.0) || !(utilities[z] > kNegInf)) continue;
    const double e = std::exp((utilities[z] - vmax) / lambda);
    if (known[z] >= 1.0) {
      add(certain, z, e);
      continue;
    }
    if (m == kMaxUncertainZones)
      throw std::invalid_argument("expected_nested_value: too many zones of uncertain knowledge");
    add(single[m], z, e);
    prob[m] = known[z];
    weight[m] = e;
    zone_of[m] = z;
    ++m;
  }
  // Each set's sums and probability from the set without its lowest zone (a fixed order, so the
  // same bits every time); sets of up to kTabulated uncertain zones are tabulated on the stack.
  constexpr std::size_t kTabulated = 8;
  std::array<Sums, std::size_t{1} << kTabulated> table;
  std::array<double, std::size_t{1} << kTabulated> set_prob;
  const bool tabulate = m <= kTabulated;
  std::array<double, kMaxUncertainZones> member_total{};
  double certain_total = 0, expected = 0;
  const std::size_t sets = std::size_t{1} << m;
  for (std::size_t mask = 0; mask < sets; ++mask) {
    Sums t;
    double p = 1.0;
    if (tabulate && mask > 0) {
      const auto low = static_cast<std::size_t>(std::countr_zero(mask));
      const std::size_t rest = mask & (mask - 1);
      t = table[rest];
      t.s += single[low].s;
      t.a += single[low].a;
      for (std::size_t d = 0; d < D; ++d) {
        t.b[d] += single[low].b[d];
        t.c[d] += single[low].c[d];
      }
      p = set_prob[rest] * prob[low] / (1.0 - prob[low]);
    } else {
      t = certain;
      for (std::size_t i = 0; i < m; ++i) {
        if (mask >> i & 1u) {
          p *= prob[i];
          t.s += single[i].s;
          t.a += single[i].a;
          for (std::size_t d = 0; d < D; ++d) {
            t.b[d] += single[i].b[d];
            t.c[d] += single[i].c[d];
          }
        } else {
          p *= 1.0 - prob[i];
        }
      }
    }
    if (tabulate) {
      table[mask] = t;
      set_prob[mask] = p;
    }
    const double pr = region_share(t.s, vmax, outside, lambda);
    if (!(pr > 0.0)) continue;
    const double g = p * pr / t.s;
    expected += g * t.a;
    for (std::size_t d = 0; d < D; ++d)
      gradient[d] += g * (t.a * (1.0 - pr - 1.0 / lambda) * t.b[d] / t.s + t.c[d] / lambda);
    certain_total += g;
    for (std::size_t i = 0; i < m; ++i)
      if (mask >> i & 1u) member_total[i] += g;
  }
  scatter_zone_shares(utilities, known, vmax, lambda, certain_total, {weight.data(), m},
                      {member_total.data(), m}, {zone_of.data(), m}, zone_shares);
  return expected;
}

}  // namespace regionsim
