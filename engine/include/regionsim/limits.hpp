// The index types of the region's small tables and the largest counts a scenario may declare.
// Agents store their zone, sector, skill and jurisdiction in one byte each (a person is a few
// bytes; hundreds of thousands of them are scanned every month), so these limits are part of the
// engine's contract: the scenario loader refuses a region with more, naming the key and the
// limit, rather than letting an index wrap around inside a run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

namespace regionsim {

using ZoneIndex = std::uint8_t;
using SectorIndex = std::uint8_t;
using SkillIndex = std::uint8_t;
using JurisdictionIndex = std::uint8_t;

// Each limit is the largest value of its index type, one below the number of values: indices run
// from 0 to count - 1 <= 254, so the value 255 stays free. It serves as the "none" sentinel
// (kNoJurisdiction, a firm no jurisdiction found) and as the "past the end" index a choice loop
// uses for an option outside the region (an investment project settling elsewhere), and a count
// itself always fits its index type.
template <typename Index>
inline constexpr std::size_t kMaxCountOf = std::numeric_limits<Index>::max();

inline constexpr std::size_t kMaxZones = kMaxCountOf<ZoneIndex>;                  // 255
inline constexpr std::size_t kMaxSectors = kMaxCountOf<SectorIndex>;              // 255
inline constexpr std::size_t kMaxSkills = kMaxCountOf<SkillIndex>;                // 255
inline constexpr std::size_t kMaxJurisdictions = kMaxCountOf<JurisdictionIndex>;  // 255

inline constexpr JurisdictionIndex kNoJurisdiction = kMaxJurisdictions;

}  // namespace regionsim
