// Promotion instruments (docs/model.md §14.1): values and costs against geometric sums written out
// here, the staged refund schedule, and what the fair-competition review forbids.
#include "instruments.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace regionsim {
namespace {

// Σ_{m=a}^{b-1} x^m
double geo(double x, int a, int b) {
  return (std::pow(x, a) - std::pow(x, b)) / (1.0 - x);
}

TEST(Instruments, RefundFollowsTheSeventyThenFiftyPattern) {
  const InstrumentTerms terms;  // default: 70 % for 3 years, then 50 % for 2
  EXPECT_EQ(refund_share(terms, 0), 0.7);
  EXPECT_EQ(refund_share(terms, 35), 0.7);
  EXPECT_EQ(refund_share(terms, 36), 0.5);
  EXPECT_EQ(refund_share(terms, 59), 0.5);
  EXPECT_EQ(refund_share(terms, 60), 0.0);
}

TEST(Instruments, PaymentsInAMonth) {
  const InstrumentTerms terms;
  const OfferPackage offer{2.0, 0.5, 0.4};
  const FirmProfile firm{0.1, 0.05};
  const InstrumentAmounts first = payments_in_month(offer, terms, firm, 0);
  EXPECT_EQ(first.settlement, 2.0);
  EXPECT_DOUBLE_EQ(first.refund, 0.5 * 0.7 * 0.1);
  EXPECT_DOUBLE_EQ(first.rent, 0.4 * 0.05);
  const InstrumentAmounts later = payments_in_month(offer, terms, firm, 40);
  EXPECT_EQ(later.settlement, 0.0);
  EXPECT_DOUBLE_EQ(later.refund, 0.5 * 0.5 * 0.1);
  EXPECT_EQ(later.rent, 0.0);  // the rent discount lasts 3 years
}

TEST(Instruments, FirmValueIsThePresentValueOfThePayments) {
  const InstrumentTerms terms;
  const OfferPackage offer{1.5, 1.0, 0.5};
  const FirmProfile firm{0.2, 0.08};
  const double r = 0.10, stay = 0.995;
  const double x = std::pow(1.0 + r, -1.0 / 12.0) * stay;
  const double expected =
      1.5 + 0.7 * 0.2 * geo(x, 0, 36) + 0.5 * 0.2 * geo(x, 36, 60) + 0.5 * 0.08 * geo(x, 0, 36);
  EXPECT_NEAR(firm_value(offer, terms, firm, {r, stay}), expected, 1e-12);
}

TEST(Instruments, GovernmentCostWeighsPaymentsAfterItsHorizonLess) {
  const InstrumentTerms terms;
  const OfferPackage offer{1.5, 1.0, 0.5};
  const FirmProfile firm{0.2, 0.08};
  const double r = 0.05, stay = 0.995, beyond = 0.5;
  const double x = std::pow(1.0 + r, -1.0 / 12.0) * stay;
  // Horizon 24 months: the refund's months 24..35 and 36..59 and the rent's 24..35 at half weight.
  const double expected = 1.5 + 0.7 * 0.2 * (geo(x, 0, 24) + beyond * geo(x, 24, 36)) +
                          0.5 * 0.2 * beyond * geo(x, 36, 60) +
                          0.5 * 0.08 * (geo(x, 0, 24) + beyond * geo(x, 24, 36));
  EXPECT_NEAR(government_cost(offer, terms, firm, {r, stay, 24, beyond}), expected, 1e-12);
}

TEST(Instruments, FairCompetitionForbidsTaxLinkedRefundsAndRelocationSubsidies) {
  const OfferPackage offer{1.0, 0.8, 0.3};
  EXPECT_EQ(permitted(offer, OfferTarget::kOutside, false), offer);
  EXPECT_EQ(permitted(offer, OfferTarget::kWithin, false), offer);
  EXPECT_EQ(permitted(offer, OfferTarget::kOutside, true), (OfferPackage{1.0, 0.0, 0.3}));
  EXPECT_EQ(permitted(offer, OfferTarget::kWithin, true), OfferPackage{});
  const FairCompetition review{30};
  EXPECT_FALSE(review.in_force(29));
  EXPECT_TRUE(review.in_force(30));
  EXPECT_FALSE(FairCompetition{}.in_force(1000));
}

TEST(Instruments, LadderPutsTheCheapestInstrumentPerUnitOfValueFirst) {
  const InstrumentTerms terms;
  const Valuation firm{0.10, 0.995};
  const Valuation government{0.05, 0.995, 36, 0.5};
  // Per unit of value: settlement costs 1; the refund's and the rent discount's ratios follow
  // from the sums (the rent discount lies inside the horizon, the refund's last 2 years do not).
  const double xf = std::pow(1.10, -1.0 / 12.0) * 0.995, xg = std::pow(1.05, -1.0 / 12.0) * 0.995;
  const double refund_ratio = (0.7 * geo(xg, 0, 36) + 0.5 * 0.5 * geo(xg, 36, 60)) /
                              (0.7 * geo(xf, 0, 36) + 0.5 * geo(xf, 36, 60));
  const double rent_ratio = geo(xg, 0, 36) / geo(xf, 0, 36);
  ASSERT_LT(refund_ratio, 1.0);
  ASSERT_GT(rent_ratio, 1.0);
  const InstrumentLadder all =
      cheapest_first(terms, OfferTarget::kOutside, false, firm, government);
  ASSERT_EQ(all.size, 3u);
  EXPECT_EQ(all.order[0], Instrument::kRefund);
  EXPECT_EQ(all.order[1], Instrument::kSettlement);
  EXPECT_EQ(all.order[2], Instrument::kRent);

  const InstrumentLadder fair =
      cheapest_first(terms, OfferTarget::kOutside, true, firm, government);
  ASSERT_EQ(fair.size, 2u);
  EXPECT_EQ(fair.order[0], Instrument::kSettlement);
  EXPECT_EQ(cheapest_first(terms, OfferTarget::kWithin, true, firm, government).size, 0u);
}

TEST(Instruments, PackageAtFillsRungsInOrder) {
  const InstrumentTerms terms;  // caps: 5 mCNY, scale 1, full rent
  InstrumentLadder ladder;
  ladder.order = {Instrument::kRefund, Instrument::kSettlement, Instrument::kRent};
  ladder.size = 3;
  EXPECT_EQ(package_at(0.0, ladder, terms), OfferPackage{});
  EXPECT_EQ(package_at(0.5, ladder, terms), (OfferPackage{0.0, 0.5, 0.0}));
  EXPECT_EQ(package_at(1.5, ladder, terms), (OfferPackage{2.5, 1.0, 0.0}));
  EXPECT_EQ(package_at(3.0, ladder, terms), (OfferPackage{5.0, 1.0, 1.0}));
}

TEST(Instruments, TableIndexesSetterSectorAndTarget) {
  InstrumentTable table(2, 3);
  table.at(1, 2, OfferTarget::kWithin).settlement = 4.0;
  EXPECT_EQ(table.at(1, 2, OfferTarget::kWithin).settlement, 4.0);
  EXPECT_EQ(table.at(1, 2, OfferTarget::kOutside).settlement, 0.0);
  EXPECT_EQ(table.at(0, 2, OfferTarget::kWithin).settlement, 0.0);
}

}  // namespace
}  // namespace regionsim
