// When two scenarios start to differ: the basis of experiments' shared warm-up.
#include <gtest/gtest.h>

#include "policy_schedule.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

using testing::small_baseline;

TEST(CommonPrefix, IdenticalScenariosShareTheWholeRun) {
  EXPECT_EQ(common_prefix_months(small_baseline(), small_baseline({"name=other"})), 24);
  EXPECT_EQ(common_prefix_months(small_baseline(), small_baseline({"run.steps=12"})), 12);
}

TEST(CommonPrefix, ALeverDivergesAtItsStartMonth) {
  EXPECT_EQ(common_prefix_months(small_baseline(), small_baseline({"tax_sharing.start_month=7"})),
            7);
  EXPECT_EQ(common_prefix_months(
                small_baseline({"joint_promotion.start_month=9"}),
                small_baseline({"joint_promotion.start_month=5", "park_city.start_month=8"})),
            5);
  // Settings of a lever that never starts change nothing.
  EXPECT_EQ(common_prefix_months(small_baseline(), small_baseline({"tax_sharing.pool_share=0.9"})),
            24);
}

TEST(CommonPrefix, LeversCompareByValueWhateverTheirType) {
  // A choice and a switch of a lever, compared as the enums and booleans they are.
  EXPECT_EQ(common_prefix_months(
                small_baseline({"tax_sharing.start_month=4"}),
                small_baseline({"tax_sharing.start_month=4", "tax_sharing.formula=population"})),
            4);
  EXPECT_EQ(common_prefix_months(small_baseline({"joint_promotion.start_month=6"}),
                                 small_baseline({"joint_promotion.start_month=6",
                                                 "joint_promotion.subsidise_relocations=true"})),
            6);
  // A Scenario changed in code, without a TOML text to compare: the last lever listed.
  Scenario b = small_baseline();
  b.cadence.start_month = 3;
  EXPECT_EQ(common_prefix_months(small_baseline(), b), 3);
}

TEST(CommonPrefix, AnyOtherDifferenceActsFromMonthZero) {
  EXPECT_EQ(common_prefix_months(small_baseline(), small_baseline({"region.core_zone=nevz"})), 0);
  EXPECT_EQ(common_prefix_months(small_baseline(), small_baseline({"talent.beta_wage=3"})), 0);
  EXPECT_EQ(common_prefix_months(small_baseline(), small_baseline({"run.seed=9"})), 0);
  EXPECT_EQ(common_prefix_months(small_baseline(), small_baseline({"zone.core.amenity=8"})), 0);
}

}  // namespace
}  // namespace regionsim
