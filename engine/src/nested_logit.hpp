// Nested project choice: an incoming investment project first chooses between the region and the
// outside, then among the zones of the region it knows (nested logit, McFadden 1978).
//
// Design decisions
// - Plain spans of utilities in, shares out: no ModelState, so the phases, the governments'
//   expectations and the tests call the same equations. A utility of -infinity marks a zone that
//   is not available (unknown to the project, or full).
// - λ (dissimilarity, in (0, 1]) scales the within-region utilities: λ = 1 is the flat
//   multinomial logit over zones and the outside; λ → 0 makes zones perfect substitutes, so the
//   region competes with the outside as one option worth its best zone.
// - The draw takes two uniforms (the engine's Philox uniform2 gives a pair): the first decides
//   region vs outside, the second the zone. Steering that keeps the inclusive value (fit_boost)
//   therefore never changes whether a project settles in the region, draw for draw.
// - Expected shares over the zones a project may know are exact (enumeration of the possible
//   sets of known zones; zones known for sure or never are not enumerated), so the governments'
//   expectation is the model's own choice probability, not an approximation of it.
#pragma once

#include <cstddef>
#include <span>

namespace regionsim {

inline constexpr int kOutside = -1;

// Inclusive value of the region's nest, λ ln Σ_z exp(V_z / λ); -infinity when no zone is
// available.
double inclusive_value(std::span<const double> utilities, double lambda);

// Unconditional shares of each zone (written to `zone_shares`, same length as `utilities`) for a
// project that knows the available zones; returns the region's share (their sum). The outside
// option has utility `outside`.
double nested_shares(std::span<const double> utilities, double outside, double lambda,
                     std::span<double> zone_shares);

// Choice of one project: kOutside, or the index of the chosen zone. `u_region` decides region vs
// outside, `u_zone` the zone within the region (both uniforms in (0, 1)).
int nested_choice(std::span<const double> utilities, double outside, double lambda, double u_region,
                  double u_zone);

// Steering (joint promotion's fit_boost): leads are redistributed among the available zones by an
// extra utility `fit_gain[z]` per zone, shifted by one constant so that the nest's inclusive value,
// and so the region's share against the outside, is unchanged. Writes the steered utilities.
void fit_boost(std::span<const double> utilities, std::span<const double> fit_gain, double lambda,
               std::span<double> steered);

// Largest number of zones whose knowledge is uncertain (0 < known < 1) that the exact expectation
// enumerates (2^n sets); beyond it expected_nested_shares throws std::invalid_argument.
inline constexpr std::size_t kMaxUncertainZones = 16;

// Expected unconditional shares when each zone z is known independently with probability
// `known[z]` (search friction): the average of nested_shares over every set of known zones,
// weighted by its probability. Returns the expected region share.
double expected_nested_shares(std::span<const double> utilities, std::span<const double> known,
                              double outside, double lambda, std::span<double> zone_shares);

// Expected value of a project to someone who values a settlement in zone z at `value[z]`:
// E[Σ_z share_z value_z] over the sets of known zones (as expected_nested_shares), and its
// derivative along each of `directions` shifts of the utilities: with U_z(t) = U_z + Σ_d t_d
// du[z * directions + d], `gradient[d]` = ∂E/∂t_d at t = 0 (the shares' response only; the caller
// adds any change of `value` itself). The expected shares are written to `zone_shares`.
double expected_nested_value(std::span<const double> utilities, std::span<const double> known,
                             double outside, double lambda, std::span<const double> value,
                             std::span<const double> du, std::size_t directions,
                             std::span<double> gradient, std::span<double> zone_shares);

}  // namespace regionsim
