// Separation's management committee as the decision inputs see it (docs/model.md §14.8): who is a
// committee, its remit, funding shares and envelope, and how it shares the zones with the joint
// office. Values written out from the baseline's ownership table (core: tianfu; nevz, ngit: cdht;
// lsiz: cdht/shuangliu 50:50; fstc: cdht/eastern 50:50).
#include <gtest/gtest.h>

#include "promotion.hpp"
#include "strategic_government.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

using Prepared = testing::PreparedMonth;

DecisionInputs inputs(const std::vector<std::string>& overrides) {
  Prepared p(testing::small_baseline(overrides));
  return decision_inputs(p.view(), p.flows.firms, p.state.gov);
}

TEST(Committee, OffBeforeItsStartMonth) {
  const DecisionInputs in = inputs({"run.scale=0.05", "committee.start_month=5"});
  EXPECT_TRUE(in.committees.empty());
}

TEST(Committee, OneForTheScienceCityFundedInLandShares) {
  const DecisionInputs in = inputs({"run.scale=0.05", "committee.start_month=0"});
  ASSERT_EQ(in.committees.size(), 1u);
  const Committee& k = in.committees[0];
  EXPECT_EQ(k.objective, Committee::Objective::kRemit);
  EXPECT_EQ(k.remit, std::vector<std::uint8_t>(in.Z, 1));
  // Land of the five zones: tianfu 1, cdht 1 + 0.5 + 0.5 + 1 = 3, shuangliu 0.5, eastern 0.5.
  const std::vector<double> land = {1.0 / 5, 3.0 / 5, 0.5 / 5, 0.5 / 5};
  double funds = 0;
  for (std::size_t j = 0; j < in.J; ++j) {
    EXPECT_DOUBLE_EQ(k.funding[j], land[j]);
    funds += land[j] * in.available_funds[j];
  }
  EXPECT_DOUBLE_EQ(k.available_funds, funds);
}

TEST(Committee, OnePerZoneSplitsEachOwnersFunds) {
  const DecisionInputs in =
      inputs({"run.scale=0.05", "committee.start_month=0", "committee.mode=per_zone",
              "committee.remit.lsiz=1", "committee.remit.fstc=1"});
  ASSERT_EQ(in.committees.size(), 2u);
  const Committee& lsiz = in.committees[0];
  const Committee& fstc = in.committees[1];
  EXPECT_EQ(lsiz.remit, (std::vector<std::uint8_t>{0, 0, 1, 0, 0}));
  EXPECT_EQ(fstc.remit, (std::vector<std::uint8_t>{0, 0, 0, 1, 0}));
  EXPECT_EQ(lsiz.funding, (std::vector<double>{0, 0.5, 0.5, 0}));
  EXPECT_EQ(fstc.funding, (std::vector<double>{0, 0.5, 0, 0.5}));
  // cdht's land in the two remits is 0.5 + 0.5: each committee may use half of its half share.
  const std::vector<double>& f = in.available_funds;
  EXPECT_DOUBLE_EQ(lsiz.available_funds, 0.5 * f[1] * 0.5 + 0.5 * f[2]);
  EXPECT_DOUBLE_EQ(fstc.available_funds, 0.5 * f[1] * 0.5 + 0.5 * f[3]);
}

TEST(Committee, GivenFundingSharesAreNormalised) {
  const DecisionInputs in = inputs({"run.scale=0.05", "committee.start_month=0",
                                    "committee.funding.cdht=3", "committee.funding.tianfu=1"});
  ASSERT_EQ(in.committees.size(), 1u);
  EXPECT_EQ(in.committees[0].funding, (std::vector<double>{0.25, 0.75, 0, 0}));
}

TEST(Committee, JointOfficeKeepsOnlyTheZonesOutsideTheRemit) {
  const DecisionInputs in = inputs({"run.scale=0.05", "committee.start_month=0",
                                    "committee.remit.core=1", "joint_promotion.start_month=0"});
  ASSERT_EQ(in.committees.size(), 2u);
  EXPECT_EQ(in.committees[0].objective, Committee::Objective::kRemit);
  EXPECT_EQ(in.committees[0].remit, (std::vector<std::uint8_t>{1, 0, 0, 0, 0}));
  EXPECT_EQ(in.committees[1].objective, Committee::Objective::kOwners);
  EXPECT_EQ(in.committees[1].remit, (std::vector<std::uint8_t>{0, 1, 1, 1, 1}));
  // With the default remit (every zone) the joint office has nothing left to promote.
  const DecisionInputs all =
      inputs({"run.scale=0.05", "committee.start_month=0", "joint_promotion.start_month=0"});
  ASSERT_EQ(all.committees.size(), 1u);
  EXPECT_EQ(all.committees[0].objective, Committee::Objective::kRemit);
}

TEST(Committee, JointOfficeSwitchedOffLeavesThePartnersPromoting) {
  const DecisionInputs in =
      inputs({"run.scale=0.05", "joint_promotion.start_month=0", "joint_promotion.office=false"});
  EXPECT_TRUE(in.committees.empty());
  // ... while its search part still shows projects every zone.
  EXPECT_EQ(in.zone_known, std::vector<double>(in.Z, 1.0));
  const DecisionInputs no_search =
      inputs({"run.scale=0.05", "joint_promotion.start_month=0", "joint_promotion.search=false"});
  EXPECT_LT(no_search.zone_known[0], 1.0);
}

}  // namespace
}  // namespace regionsim
