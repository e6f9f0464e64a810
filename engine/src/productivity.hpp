// Productivity of a new firm (initial, incoming project or spin-off): log-normal around a mean,
// mean-preserving, so the dispersion parameter does not shift the sector's average productivity.
#pragma once

#include <cmath>

namespace regionsim {

// mean * exp(sd * z - sd^2 / 2) for a standard normal draw z: E = mean, sd of the log = sd.
inline double lognormal_productivity(double mean, double sd, double standard_normal) {
  return mean * std::exp(sd * standard_normal - 0.5 * sd * sd);
}

}  // namespace regionsim
