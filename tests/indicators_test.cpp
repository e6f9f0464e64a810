// Region-level indicators against values worked out by hand from their definitions in
// docs/model.md §12 (Krugman specialisation index, Theil index), not from the engine's code.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "indicators.hpp"

namespace regionsim {
namespace {

// K_z = sum_s | E_zs / E_z - E_(-z)s / E_(-z) |. Two zones, two sectors, employment
// (30, 10) and (10, 50): K_0 = |30/40 - 10/60| + |10/40 - 50/60| = 7/12 + 7/12 = 7/6, and K_1
// is the same sum with the roles swapped.
TEST(KrugmanIndex, TwoZonesByHand) {
  const std::vector<double> k = krugman_index({30, 10, 10, 50}, 2, 2);
  ASSERT_EQ(k.size(), 2U);
  EXPECT_NEAR(k[0], 7.0 / 6.0, 1e-12);
  EXPECT_NEAR(k[1], 7.0 / 6.0, 1e-12);
}

// Three zones: a zone with exactly the rest's mix scores 0, fully specialised zones against a
// differently specialised rest score up to 2, and an empty zone scores 0.
TEST(KrugmanIndex, SameMixIsZeroFullSpecialisationIsTwoEmptyZoneIsZero) {
  // zone 0: (10, 10); zone 1: (0, 20); zone 2: (20, 0) -> the rest of zone 0 is (20, 20).
  const std::vector<double> k = krugman_index({10, 10, 0, 20, 20, 0}, 3, 2);
  EXPECT_NEAR(k[0], 0.0, 1e-12);
  // zone 1 against (30, 10): |0 - 3/4| + |1 - 1/4| = 1.5.
  EXPECT_NEAR(k[1], 1.5, 1e-12);
  // zone 2 against (10, 30): |1 - 1/4| + |0 - 3/4| = 1.5.
  EXPECT_NEAR(k[2], 1.5, 1e-12);
  const std::vector<double> polar = krugman_index({40, 0, 0, 40, 0, 0}, 3, 2);
  EXPECT_NEAR(polar[0], 2.0, 1e-12);
  EXPECT_NEAR(polar[1], 2.0, 1e-12);
  EXPECT_EQ(polar[2], 0.0);
}

// T = sum_z (Y_z / Y) ln((Y_z / Y) / (P_z / P)): all output in one of two equally populated zones
// gives ln 2; output spread like population gives 0; (3, 1) against (1, 1) gives
// 3/4 ln(3/2) + 1/4 ln(1/2).
TEST(TheilIndex, ByHand) {
  EXPECT_NEAR(theil_index({5, 0}, {1, 1}), std::log(2.0), 1e-12);
  EXPECT_NEAR(theil_index({2, 4, 6}, {1, 2, 3}), 0.0, 1e-12);
  EXPECT_NEAR(theil_index({3, 1}, {1, 1}), 0.75 * std::log(1.5) + 0.25 * std::log(0.5), 1e-12);
  EXPECT_EQ(theil_index({0, 0}, {1, 1}), 0.0);
}

}  // namespace
}  // namespace regionsim
