// Firm floor space as land (docs/model.md §3.2). Design decisions:
// - A zone's floor capacity grows only when its owners supply new floor: while the zone's
//   occupancy at the start of the month is above land.supply_occupancy they add land.build_rate
//   of its capacity (whole worker places), up to what its buildable land holds. Each supply earns
//   the owners land-lease revenue, split by ownership share exactly to the yuan.
// - Hiring respects capacity: a zone's hires in a month never exceed its free floor (whole worker
//   places). When the matched hires of its cells exceed it, the room is apportioned over the
//   cells by their hires and within a cell over the employers by theirs (largest remainder, ties
//   to the lower index), and each employer keeps the first of its hires in the matching's order.
//   It is a pure function of integer counts made in a fixed order: no draws, no thread effects.
// - Moves respect capacity too: a firm sees a zone without free floor for its employees as closed,
//   and moves are admitted in firm id order while the destination's floor holds them (firms.cpp).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "regionsim/scenario.hpp"

namespace regionsim {

// Worker places the zone's buildable land holds at scale 1, never below its initial capacity;
// infinite when the zone's area is unknown (0).
double floor_limit(const LandParams& p, double area_km2, double initial_capacity);

// Whole worker places free in a zone of `capacity` with `occupied` employees (0 when full).
std::int64_t floor_room(double capacity, std::int64_t occupied);

// The parts of `wanted` that fit in `room`: all of them when their sum fits, otherwise `room`
// apportioned by `wanted` (each part at most its wanted count).
std::vector<std::int64_t> ration_to_room(std::int64_t room, std::span<const std::int64_t> wanted);

// Whole worker places supplied this month in a zone of `capacity` (start of month), occupancy
// `occupancy` and buildable limit `limit`.
std::int64_t floor_supply(const LandParams& p, double capacity, double occupancy, double limit);

// Land-lease revenue (yuan) of supplying `places` worker places.
std::int64_t lease_revenue(const LandParams& p, std::int64_t places);

}  // namespace regionsim
