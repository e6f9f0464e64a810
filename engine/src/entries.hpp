#pragma once

#include <vector>

#include "model_state.hpp"

namespace regionsim {

// Log-sum of zone utilities for arriving talent of skill k (the region's attractiveness), and
// optionally each zone's logit share of arrivals.
double arrival_attractiveness(const ModelState& s, std::size_t k, std::vector<double>* zone_shares);

}  // namespace regionsim
