// Land (land.hpp): the floor-supply rule, lease revenue and the rationing of hires to floor space
// with their values written out, then whole runs with the accounting checks on, where a zone's
// floor is scarce and where the budgets meet their debt floor.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "land.hpp"
#include "regionsim/simulation.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

LandParams defaults() {
  return {.supply_occupancy = 0.9,
          .build_rate = 0.01,
          .buildable_share = 0.1,
          .land_per_place = 20,
          .lease_price = 300};
}

TEST(Land, RationingApportionsTheRoomByLargestRemainder) {
  const std::vector<std::int64_t> wanted = {6, 3, 5};
  // Room for all of them: nobody is cut.
  EXPECT_EQ(ration_to_room(20, wanted), wanted);
  EXPECT_EQ(ration_to_room(14, wanted), wanted);
  // Room 10 of 14: quotas 4.29, 2.14, 3.57 -> floors 4, 2, 3 and the one place left to the
  // largest remainder (the third).
  EXPECT_EQ(ration_to_room(10, wanted), (std::vector<std::int64_t>{4, 2, 4}));
  // Room 7 of 14: quotas 3, 1.5, 2.5 -> 3, 1, 2 and the tie of remainders to the lower index.
  EXPECT_EQ(ration_to_room(7, wanted), (std::vector<std::int64_t>{3, 2, 2}));
  EXPECT_EQ(ration_to_room(0, wanted), (std::vector<std::int64_t>{0, 0, 0}));
  // Every part stays within what was wanted.
  const std::vector<std::int64_t> uneven = {1, 0, 9};
  EXPECT_EQ(ration_to_room(5, uneven), (std::vector<std::int64_t>{1, 0, 4}));
}

TEST(Land, FreeFloorIsWholeWorkerPlaces) {
  EXPECT_EQ(floor_room(100.7, 90), 10);
  EXPECT_EQ(floor_room(100.0, 100), 0);
  EXPECT_EQ(floor_room(50.0, 60), 0);  // over capacity (firms moved in): no room, not negative
}

TEST(Land, OwnersSupplyAboveTheTriggerUpToTheBuildableLand) {
  const LandParams p = defaults();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(floor_supply(p, 4500, 0.95, inf), 45);     // 1 % of 4,500 places
  EXPECT_EQ(floor_supply(p, 4510, 0.95, inf), 46);     // whole places, rounded up
  EXPECT_EQ(floor_supply(p, 4500, 0.90, inf), 0);      // at the trigger: no supply
  EXPECT_EQ(floor_supply(p, 4500, 0.95, 4520.5), 20);  // the land runs out
  EXPECT_EQ(floor_supply(p, 4500, 0.95, 4500), 0);
  // 132 km2 with a tenth buildable at 20 m2 a place: 660,000 places; never below the initial.
  EXPECT_DOUBLE_EQ(floor_limit(p, 132, 22500), 660000);
  EXPECT_DOUBLE_EQ(floor_limit(p, 0.1, 22500), 22500);
  EXPECT_EQ(floor_limit(p, 0, 22500), inf);
  // 45 places x 20 m2 x CNY 300 per m2.
  EXPECT_EQ(lease_revenue(p, 45), 270000);
}

// A core whose floor is nearly full at the start (capacity at its initial employment): with the
// accounting checks on (hires within the free floor every month, lease revenue of the supplied
// floor, budgets), the core's capacity grows only by supply, its owner earns the lease revenue,
// and its occupancy never rises above 1 by hiring.
TEST(Land, ScarceFloorIsSuppliedAndHiringStaysWithinIt) {
  Scenario s = testing::small_baseline({"run.steps=24", "land.build_rate=0.03"});
  s.zones[0].floor_capacity = 18000;  // about the core's initial employment at scale 1
  Simulation sim(s, /*check=*/true);
  const std::size_t J = s.jurisdictions.size();
  std::vector<double> capacity = sim.last().floor_capacity;
  std::vector<double> occupancy = sim.last().floor_occupancy;
  std::int64_t supplied_core = 0, revenue_tianfu = 0;
  for (int month = 0; month < 24; ++month) {
    const StepOutputs& out = sim.step();
    for (std::size_t z = 0; z < s.zones.size(); ++z) {
      EXPECT_DOUBLE_EQ(out.floor_capacity[z],
                       capacity[z] + static_cast<double>(out.floor_supplied[z]))
          << "zone " << z << " month " << month;
      // Neither hiring nor firms moving in raise occupancy above 1.
      if (occupancy[z] <= 1.0) {
        EXPECT_LE(out.floor_occupancy[z], 1.0 + 1e-12) << "zone " << z;
      }
    }
    capacity = out.floor_capacity;
    occupancy = out.floor_occupancy;
    supplied_core += out.floor_supplied[0];
    ASSERT_EQ(out.land_lease_revenue.size(), J);
    revenue_tianfu += out.land_lease_revenue[0];
  }
  EXPECT_GT(supplied_core, 0);
  // Tianfu owns the core alone (and no other zone): its revenue is the core's supply's.
  EXPECT_EQ(revenue_tianfu, lease_revenue(s.land, supplied_core));
}

// Budgets at their debt floor: no initial budget, no room below zero, and all tax spent outside
// promotion. With the checks on, the floor holds every month by cutting that spending.
TEST(Land, BudgetsStayAboveTheDebtLimit) {
  std::vector<std::string> overrides = {"run.steps=24", "government.spending_share=1"};
  for (const char* j : {"tianfu", "cdht", "shuangliu", "eastern"}) {
    overrides.push_back(std::string("jurisdiction.") + j + ".initial_budget=0");
    overrides.push_back(std::string("jurisdiction.") + j + ".debt_limit=0");
  }
  Simulation sim(testing::small_baseline(overrides), /*check=*/true);
  for (int month = 0; month < 24; ++month) {
    const StepOutputs& out = sim.step();
    for (const std::int64_t b : out.budget)
      EXPECT_GE(b, 0) << "month " << month;
  }
}

}  // namespace
}  // namespace regionsim
