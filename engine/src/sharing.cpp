#include "sharing.hpp"

#include <algorithm>

#include "apportion.hpp"
#include "policies.hpp"

namespace regionsim {

std::vector<Money> split_by_ownership(const RegionTables& t, const std::vector<Money>& per_zone) {
  std::vector<Money> per_j(t.J, 0);
  std::vector<double> shares(t.J);
  for (std::size_t z = 0; z < t.Z; ++z) {
    for (std::size_t j = 0; j < t.J; ++j)
      shares[j] = t.ownership(z, j);
    const auto parts = apportion_signed(per_zone[z], shares);
    for (std::size_t j = 0; j < t.J; ++j)
      per_j[j] += parts[j];
  }
  return per_j;
}

std::vector<double> pool_weights(const MonthView& m, const SharingRule& rule) {
  const RegionTables& t = m.tables;
  std::vector<double> w(t.J, 0.0);
  for (std::size_t j = 0; j < t.J; ++j) {
    if (rule.formula == PoolFormula::equal) {
      w[j] = 1.0;
    } else if (rule.formula == PoolFormula::fixed) {
      w[j] = rule.weights[j];
    } else {
      for (std::size_t z = 0; z < t.Z; ++z) {
        // population: residents of the land each jurisdiction owns; ownership: land shares.
        const double size = rule.formula == PoolFormula::population
                                ? static_cast<double>(m.fields.residents(z))
                                : 1.0;
        w[j] += t.ownership(z, j) * size;
      }
    }
  }
  // A degenerate formula (all weights zero) falls back to equal shares rather than losing money.
  if (std::all_of(w.begin(), w.end(), [](double x) { return x <= 0.0; }))
    std::fill(w.begin(), w.end(), 1.0);
  return w;
}

std::vector<Money> attribute(const MonthView& m, const SharingRule& rule, const SharingInputs& in) {
  const RegionTables& t = m.tables;
  const bool sharing = in_force(rule.start_month, m.month);
  if (sharing && m.month == rule.start_month)
    in.base_z =
        m.month == 0 ? in.credited_z : in.previous_z;  // existing revenue stays where it was
  Money pool = 0;
  std::vector<Money> kept = in.credited_z;
  if (sharing) {
    for (std::size_t z = 0; z < t.Z; ++z) {
      const Money basis =
          rule.pool_basis == PoolBasis::all ? kept[z] : std::max<Money>(0, kept[z] - in.base_z[z]);
      const Money pooled = share_of(basis, rule.pool_share);
      pool += pooled;
      kept[z] -= pooled;
    }
  }
  std::vector<Money> out = split_by_ownership(t, kept);
  for (std::size_t j = 0; j < t.J; ++j)
    out[j] += in.finder_j[j];
  if (pool != 0) {
    const auto parts = apportion_signed(pool, pool_weights(m, rule));
    for (std::size_t j = 0; j < t.J; ++j)
      out[j] += parts[j];
  }
  return out;
}

}  // namespace regionsim
