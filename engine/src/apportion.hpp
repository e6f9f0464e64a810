// Splitting an integer total over weighted recipients so that the parts sum to the total exactly
// (largest-remainder / Hamilton method, ties to the lower index). Used for money shares, hires
// over firms and initial populations over zones: every split in the engine goes through here.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace regionsim {

// Parts of `total` (>= 0) proportional to non-negative `weights`. If all weights are zero the
// parts are all zero and the total is lost, which callers rule out by validation.
std::vector<std::int64_t> apportion(std::int64_t total, std::span<const double> weights);

// Same for a signed total (money can be negative): the sign is applied to the split of |total|.
std::vector<std::int64_t> apportion_signed(std::int64_t total, std::span<const double> weights);

}  // namespace regionsim
