// Firm-size classes of the firms_by_size and employment_by_size outputs: half-decades of
// employees, each class named by its lower bound (the calibration targets' tail-index statistic
// parses the labels as numbers). Class "1" also holds firms with no staff yet (a project ramping
// up, a firm that lost everyone).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace regionsim {

inline constexpr std::array<std::int64_t, 10> kSizeClassBounds = {1,   3,    10,   30,    100,
                                                                  300, 1000, 3000, 10000, 30000};

// The class of a firm of `employees`: the last bound at or below it (0 for no staff).
inline std::size_t size_class_of(std::int64_t employees) {
  std::size_t c = 0;
  while (c + 1 < kSizeClassBounds.size() && employees >= kSizeClassBounds[c + 1])
    ++c;
  return c;
}

inline std::vector<std::string> size_class_labels() {
  std::vector<std::string> labels;
  labels.reserve(kSizeClassBounds.size());
  for (std::int64_t bound : kSizeClassBounds)
    labels.push_back(std::to_string(bound));
  return labels;
}

}  // namespace regionsim
