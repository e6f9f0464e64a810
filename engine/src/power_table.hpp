// Powers of small head counts, tabulated once a month: (L / divisor)^exponent for L = 0 .. n-1.
// The firm phase raises every firm's employee count to the output elasticity and (above the
// reference size) to the exit hazard's size elasticity; most firms employ fewer than a thousand,
// so a table of a thousand entries replaces two libm pow calls per firm with two loads. Each entry
// is std::pow of the same operands the firm would have passed, so the results are the same bits.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace regionsim {

class PowerTable {
 public:
  static constexpr std::int32_t kEntries = 1024;

  PowerTable(double divisor, double exponent) : divisor_(divisor), exponent_(exponent) {
    value_.resize(kEntries);
    for (std::int32_t l = 0; l < kEntries; ++l)
      value_[static_cast<std::size_t>(l)] = raw(static_cast<double>(l));
  }

  // (count / divisor)^exponent, bit-identical to std::pow(count / divisor, exponent).
  double operator()(std::int32_t count) const {
    if (count >= 0 && count < kEntries) return value_[static_cast<std::size_t>(count)];
    return raw(static_cast<double>(count));
  }

 private:
  double raw(double count) const { return std::pow(count / divisor_, exponent_); }

  double divisor_;
  double exponent_;
  std::vector<double> value_;
};

}  // namespace regionsim
