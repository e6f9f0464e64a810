// Money as fixed point: an integer count of yuan (1e-6 of the model's mCNY unit). Sums of integers
// do not depend on their order, so totals are identical for any thread or process split, and
// accounting identities (tax shared = tax collected) hold exactly rather than to a tolerance.
#pragma once

#include <cmath>
#include <cstdint>

namespace regionsim {

using Money = std::int64_t;  // yuan

inline constexpr double kYuanPerMcny = 1e6;

inline Money to_money(double mcny) {
  return static_cast<Money>(std::llround(mcny * kYuanPerMcny));
}
inline double to_mcny(Money yuan) {
  return static_cast<double>(yuan) / kYuanPerMcny;
}

}  // namespace regionsim
