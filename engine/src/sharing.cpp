#include "sharing.hpp"

#include <algorithm>

#include "apportion.hpp"
#include "policies.hpp"

namespace regionsim {

std::vector<double> pool_weights(const ModelState& s, const SharingRule& rule) {
  const RegionTables& t = s.tables;
  std::vector<double> w(t.J, 0.0);
  for (std::size_t j = 0; j < t.J; ++j) {
    if (rule.formula == "equal") {
      w[j] = 1.0;
    } else if (rule.formula == "fixed") {
      w[j] = rule.weights[j];
    } else {
      for (std::size_t z = 0; z < t.Z; ++z) {
        // "population": residents of the land each jurisdiction owns; "ownership": land shares.
        const double size =
            rule.formula == "population" ? static_cast<double>(s.fields.residents_z[z]) : 1.0;
        w[j] += t.ownership(z, j) * size;
      }
    }
  }
  // A degenerate formula (all weights zero) falls back to equal shares rather than losing money.
  if (std::all_of(w.begin(), w.end(), [](double x) { return x <= 0.0; }))
    std::fill(w.begin(), w.end(), 1.0);
  return w;
}

std::vector<Money> attribute(const ModelState& s, const SharingRule& rule,
                             const SharingInputs& in) {
  const RegionTables& t = s.tables;
  std::vector<Money> out = in.finder_j;
  const bool sharing = in_force(rule.start_month, s.month);
  if (sharing && s.month == rule.start_month)
    in.base_z =
        s.month == 0 ? in.credited_z : in.previous_z;  // existing revenue stays where it was
  Money pool = 0;
  std::vector<double> shares(t.J);
  for (std::size_t z = 0; z < t.Z; ++z) {
    Money kept = in.credited_z[z];
    if (sharing) {
      const Money basis = rule.pool_basis == "all" ? kept : std::max<Money>(0, kept - in.base_z[z]);
      const Money pooled = share_of(basis, rule.pool_share);
      pool += pooled;
      kept -= pooled;
    }
    for (std::size_t j = 0; j < t.J; ++j)
      shares[j] = t.ownership(z, j);
    const auto parts = apportion_signed(kept, shares);
    for (std::size_t j = 0; j < t.J; ++j)
      out[j] += parts[j];
  }
  if (pool != 0) {
    const auto parts = apportion_signed(pool, pool_weights(s, rule));
    for (std::size_t j = 0; j < t.J; ++j)
      out[j] += parts[j];
  }
  return out;
}

}  // namespace regionsim
