// Floor supply and land-lease revenue (land.hpp), and the rationing of hires to floor space used
// by the labour market.
#include "land.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "apportion.hpp"
#include "money.hpp"
#include "phases.hpp"
#include "sharing.hpp"

namespace regionsim {

namespace {
constexpr double kM2PerKm2 = 1e6;
}  // namespace

double floor_limit(const LandParams& p, double area_km2, double initial_capacity) {
  if (area_km2 <= 0) return std::numeric_limits<double>::infinity();
  return std::max(initial_capacity, area_km2 * kM2PerKm2 * p.buildable_share / p.land_per_place);
}

std::int64_t floor_room(double capacity, std::int64_t occupied) {
  return std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(capacity)) - occupied);
}

std::vector<std::int64_t> ration_to_room(std::int64_t room, std::span<const std::int64_t> wanted) {
  const std::int64_t total = std::accumulate(wanted.begin(), wanted.end(), std::int64_t{0});
  if (total <= room) return {wanted.begin(), wanted.end()};
  const std::vector<double> weights(wanted.begin(), wanted.end());
  return apportion(std::max<std::int64_t>(room, 0), weights);
}

std::int64_t floor_supply(const LandParams& p, double capacity, double occupancy, double limit) {
  if (occupancy <= p.supply_occupancy || capacity >= limit) return 0;
  const double places = std::min(std::ceil(p.build_rate * capacity), std::floor(limit - capacity));
  return std::max<std::int64_t>(0, static_cast<std::int64_t>(places));
}

std::int64_t lease_revenue(const LandParams& p, std::int64_t places) {
  // lease_price is in yuan per m2, and Money counts yuan.
  return std::llround(static_cast<double>(places) * p.land_per_place * p.lease_price);
}

void supply_floor_space(const MonthInputs& m, ZoneFields& z, GovernmentFlows& f) {
  const RegionTables& t = m.tables;
  const LandParams& p = m.scenario.land;
  std::vector<Money> revenue(t.Z, 0);
  for (std::size_t i = 0; i < t.Z; ++i) {
    const std::int64_t places =
        floor_supply(p, z.floor_capacity(i), z.floor_occupancy(i), t.floor_limit(i));
    f.floor_supplied_z[i] = places;
    z.floor_capacity(i) += static_cast<double>(places);
    revenue[i] = lease_revenue(p, places);
  }
  f.land_revenue_j = split_by_ownership(t, revenue);
}

}  // namespace regionsim
