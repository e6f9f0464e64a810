// Phase timing (Simulation::time_phases) for benchmarks: it times every phase of every month and
// never changes results.
#include <gtest/gtest.h>

#include <vector>

#include "regionsim/simulation.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

// The records' integer series every mechanism feeds into, and the prices.
std::vector<std::vector<double>> fingerprint(const StepOutputs& m) {
  std::vector<std::vector<double>> out;
  for (const auto* v : {&m.firms, &m.employment, &m.output, &m.talent_employed, &m.talent_seeking,
                        &m.firm_relocations, &m.tax_attributed, &m.subsidies_paid, &m.budget})
    out.emplace_back(v->begin(), v->end());
  out.push_back(m.wage);
  out.push_back(m.rent);
  return out;
}

TEST(PhaseTimes, TimesEveryPhaseOfEveryMonthWithoutChangingResults) {
  const Scenario scenario = testing::small_baseline({"run.steps=6"});
  Simulation plain(scenario);
  Simulation timed(scenario);
  PhaseTimes times;
  timed.time_phases(&times);
  for (int t = 0; t < 6; ++t)
    ASSERT_EQ(fingerprint(plain.step()), fingerprint(timed.step())) << "month " << t;
  EXPECT_EQ(times.months, 6);
  for (std::size_t p = 0; p < kPhaseCount; ++p)
    EXPECT_GT(times.ns[p], 0) << kPhaseNames[p];
  // Each lap counts only its own phase: recording takes less than the month's other phases
  // together (a clock the month's phases did not advance would count the whole month again in the
  // last lap).
  const auto record = times.ns[static_cast<std::size_t>(Phase::kRecord)];
  EXPECT_LT(record, times.total_ns() - record);
  // Timing stops when asked: the totals no longer grow.
  timed.time_phases(nullptr);
  const PhaseTimes before = times;
  timed.step();
  EXPECT_EQ(times.ns, before.ns);
  EXPECT_EQ(times.months, 6);
}

}  // namespace
}  // namespace regionsim
