// The internal assertion tier: on in the debug, asan and tsan builds, compiled out of release.
#include "assert.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "rng.hpp"

namespace regionsim {
namespace {

TEST(Assert, HoldsQuietly) {
  int evaluated = 0;
  REGIONSIM_ASSERT(++evaluated > 0, "never fails");
  EXPECT_EQ(evaluated, kAssertsEnabled ? 1 : 0);  // off: the condition is not even evaluated
}

// The invariant the choice loops assert: a logit choice over no finite alternative picks none.
int choice_among(const std::vector<double>& utilities) {
  const int pick = logit_choice(utilities, 0.5);
  REGIONSIM_ASSERT(pick >= 0, "logit choice without an alternative");
  return pick;
}

TEST(AssertDeathTest, ABrokenInvariantAbortsWithItsMessage) {
  if (!kAssertsEnabled) GTEST_SKIP() << "REGIONSIM_ASSERTS is off in this build (release)";
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_DEATH(choice_among({-inf, -inf}),
               "assertion `pick >= 0` failed: logit choice without an alternative");
}

}  // namespace
}  // namespace regionsim
