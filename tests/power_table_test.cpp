// The firm phase's table of head-count powers gives the bits std::pow gives, inside the table and
// beyond it, for the exponents the firm phase uses (output elasticity, negative size elasticity).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "firm_size.hpp"
#include "power_table.hpp"

namespace regionsim {
namespace {

TEST(PowerTable, EqualsStdPowBitForBitInsideAndBeyondTheTable) {
  struct Case {
    double divisor, exponent;
  };
  for (const Case c : {Case{1.0, 0.7}, Case{1.0, 0.6180339887}, Case{10.0, -0.5},
                       Case{7.5, -0.35}, Case{1.0, 1.0}}) {
    const PowerTable table(c.divisor, c.exponent);
    for (std::int32_t l : {0, 1, 2, 3, 10, 11, 999, PowerTable::kEntries - 1, PowerTable::kEntries,
                           PowerTable::kEntries + 1, 20000, 1 << 30}) {
      const double expected = std::pow(static_cast<double>(l) / c.divisor, c.exponent);
      const double got = table(l);
      if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(got)) << l;
        continue;
      }
      // Equality of doubles on purpose: the table must not change a single output bit.
      EXPECT_EQ(got, expected) << "L=" << l << " divisor=" << c.divisor
                               << " exponent=" << c.exponent;
    }
  }
}

TEST(PowerTable, ExitHazardFromTheTableEqualsTheDirectFormula) {
  const double hazard = 0.0141, elasticity = 0.5, reference = 10.0;
  const PowerTable factor(reference, -elasticity);
  for (std::int32_t l = 0; l < 5000; l += 7) {
    const double direct = exit_hazard_at(hazard, elasticity, reference, static_cast<double>(l));
    const double tabled = exit_hazard_at(hazard, elasticity, reference, static_cast<double>(l),
                                         [&] { return factor(l); });
    EXPECT_EQ(tabled, direct) << l;
  }
  // Small firms keep the fitted hazard; large ones fall as the size power says.
  EXPECT_EQ(exit_hazard_at(hazard, elasticity, reference, 10.0, [&] { return factor(10); }),
            hazard);
  EXPECT_NEAR(exit_hazard_at(hazard, elasticity, reference, 40.0, [&] { return factor(40); }),
              hazard / 2, 1e-15);
}

}  // namespace
}  // namespace regionsim
