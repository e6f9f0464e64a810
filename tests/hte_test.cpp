// High-tech enterprises: the month-0 share by sector, certification at the stated rate, and the
// hte_firms output counting them.
#include <gtest/gtest.h>

#include <cmath>

#include "phases.hpp"
#include "record.hpp"
#include "regionsim/simulation.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

TEST(HighTech, MonthZeroShareFollowsTheSectorShares) {
  testing::PreparedMonth p(testing::small_baseline({"run.scale=0.05"}));
  const ModelState& s = p.state;
  double expected = 0, variance = 0, observed = 0;
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    const double share = s.tables.sector_hte(s.firms.sector[i]);
    expected += share;
    variance += share * (1 - share);
    observed += s.firms.hte[i];
  }
  EXPECT_GT(expected, 50);
  EXPECT_NEAR(observed, expected, 5 * std::sqrt(variance));
  const StepOutputs out = record_stocks(s);
  std::int64_t recorded = 0;
  for (const std::int64_t n : out.hte_firms)
    recorded += n;
  EXPECT_EQ(static_cast<double>(recorded), observed);
}

// Certification: a non-HTE firm of sector k is certified with probability rate x hte_share(k) a
// month, so the month's new HTEs are near their expectation.
TEST(HighTech, CertificationFollowsItsRate) {
  testing::PreparedMonth p(testing::small_baseline(
      {"run.scale=0.05", "firms.hte_certification=0.5", "firms.exit_hazard=0"}));
  ModelState& s = p.state;
  const auto before = s.firms.hte;
  double expected = 0, variance = 0;
  for (std::size_t i = 0; i < s.firms.size(); ++i)
    if (!before[i]) {
      const double q = 0.5 * s.tables.sector_hte(s.firms.sector[i]);
      expected += q;
      variance += q * (1 - q);
    }
  firm_decisions(p.view(), s.gov.promotion, s.firms, p.flows.firms);
  double certified = 0;
  for (std::size_t i = 0; i < s.firms.size(); ++i)
    if (!before[i] && s.firms.hte[i] && !s.firms.exiting[i]) certified += 1;
  EXPECT_NEAR(certified, expected, 5 * std::sqrt(variance) + 1);
}

// A high-tech enterprise pays less tax than the same firm without the status (CIT at 15 %).
TEST(HighTech, StatusLowersTheTaxOfAProfitableFirm) {
  auto tax_of_core = [](bool all_hte) {
    testing::PreparedMonth p(testing::small_baseline(
        {"firms.exit_hazard=0", "firms.relocation_consider=0", "firms.hte_certification=0"}));
    for (auto& h : p.state.firms.hte)
      h = all_hte;
    firm_decisions(p.view(), p.state.gov.promotion, p.state.firms, p.flows.firms);
    return p.flows.firms.tax(0);
  };
  EXPECT_LT(tax_of_core(true), tax_of_core(false));
}

}  // namespace
}  // namespace regionsim
