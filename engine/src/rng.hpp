// Counter-based random numbers (Philox4x32-10, Random123). Every draw is a pure function of
// (run seed, purpose, agent or event id, step, draw index): no generator state exists, so results
// cannot depend on thread count, iteration order, sharding or restarts.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <span>

namespace regionsim {

// One value per decision. Append new purposes at the end: renumbering would change the draws
// of existing decisions and so every result ever produced.
enum class Purpose : std::uint8_t {
  kInitSector = 1,
  kInitSkill,
  kInitTfp,
  kInitSeeking,
  kTalentLeave,
  kTalentReconsider,
  kTalentZoneChoice,
  kLayoff,
  kFirmExit,
  kFirmRelocGate,
  kFirmRelocChoice,
  kMatchOrder,
  kMatchRound,
  kArrivals,
  kArrivalSector,
  kProjects,
  kProjectTfp,
  kProjectSearch,
  kProjectChoice,
  kGovernment,
  kInstituteMatchRound,
  kInstituteMatchOrder,
  kInnovations,
  kInnovationSector,
  kInnovationOutcome,
  kTransferTarget,
  kSpinoffTfp,
  kProjectFinder,
  kInitLossMonths,
  kInitHte,
  kHteCertification,
  kTest = 250,
};

class Rng {
 public:
  explicit Rng(std::uint64_t seed)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}} {}

  // Two independent uniforms in the open interval (0, 1); `index` selects further pairs.
  std::array<double, 2> uniform2(Purpose purpose, std::uint64_t id, std::uint32_t step,
                                 std::uint32_t index = 0) const {
    r123::Philox4x32::ctr_type ctr{
        {static_cast<std::uint32_t>(id), static_cast<std::uint32_t>(id >> 32), step,
         (static_cast<std::uint32_t>(purpose) << 24) | (index & 0xFFFFFFu)}};
    const auto r = r123::Philox4x32{}(ctr, key_);
    return {to_unit(r[0], r[1]), to_unit(r[2], r[3])};
  }

  // uniform2(purpose, ids[j], step, index) into u0[j], u1[j] for j < n <= kBatch, all at once:
  // the ten Philox rounds run lane by lane over the whole batch, so the compiler vectorises them
  // (vpmuludq under AVX2) and the independent multiplies overlap, where one call at a time waits
  // on each round's multiply. The same arithmetic as r123::Philox4x32, so the same bits
  // (Rng.BatchEqualsOneAtATime).
  static constexpr std::size_t kBatch = 64;
  void uniform2_batch(Purpose purpose, const std::uint64_t* ids, std::size_t n, std::uint32_t step,
                      double* u0, double* u1, std::uint32_t index = 0) const {
    constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
    constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
    alignas(64) std::uint32_t c0[kBatch], c1[kBatch], c2[kBatch], c3[kBatch];
    const std::uint32_t tag = (static_cast<std::uint32_t>(purpose) << 24) | (index & 0xFFFFFFu);
    for (std::size_t j = 0; j < kBatch; ++j) {  // lanes past n compute on id 0 and are dropped
      const std::uint64_t id = j < n ? ids[j] : 0;
      c0[j] = static_cast<std::uint32_t>(id);
      c1[j] = static_cast<std::uint32_t>(id >> 32);
      c2[j] = step;
      c3[j] = tag;
    }
    std::uint32_t k0 = key_.v[0], k1 = key_.v[1];
    for (int round = 0; round < 10; ++round) {
      if (round > 0) k0 += kW0, k1 += kW1;
      for (std::size_t j = 0; j < kBatch; ++j) {
        const std::uint64_t p0 = static_cast<std::uint64_t>(kM0) * c0[j];
        const std::uint64_t p1 = static_cast<std::uint64_t>(kM1) * c2[j];
        const std::uint32_t n0 = static_cast<std::uint32_t>(p1 >> 32) ^ c1[j] ^ k0;
        const std::uint32_t n2 = static_cast<std::uint32_t>(p0 >> 32) ^ c3[j] ^ k1;
        c0[j] = n0;
        c1[j] = static_cast<std::uint32_t>(p1);
        c2[j] = n2;
        c3[j] = static_cast<std::uint32_t>(p0);
      }
    }
    for (std::size_t j = 0; j < n; ++j) {
      u0[j] = to_unit(c0[j], c1[j]);
      u1[j] = to_unit(c2[j], c3[j]);
    }
  }
  double uniform(Purpose purpose, std::uint64_t id, std::uint32_t step,
                 std::uint32_t index = 0) const {
    return uniform2(purpose, id, step, index)[0];
  }

  // Standard normal by Box-Muller on one uniform pair.
  double normal(Purpose purpose, std::uint64_t id, std::uint32_t step,
                std::uint32_t index = 0) const {
    const auto u = uniform2(purpose, id, step, index);
    return std::sqrt(-2.0 * std::log(u[0])) * std::cos(6.283185307179586 * u[1]);
  }

  // Poisson count with mean `lambda`: inversion below 10, Hormann's PTRS rejection above (which
  // consumes a variable but deterministic number of draw indices).
  std::int64_t poisson(double lambda, Purpose purpose, std::uint64_t id, std::uint32_t step) const;

 private:
  static double to_unit(std::uint32_t hi, std::uint32_t lo) {
    const std::uint64_t bits = ((static_cast<std::uint64_t>(hi) << 32) | lo) >> 11;
    return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
  }
  r123::Philox4x32::key_type key_;
};

// ln(k!) without lgamma, whose glibc version writes the global `signgam` (a data race).
double log_factorial(std::int64_t k);

// Index of the option chosen by a multinomial logit with the given utilities and one uniform u.
// Utilities of -infinity are unavailable options. Returns -1 when none is available.
int logit_choice(std::span<const double> utilities, double u);

// Index drawn in proportion to non-negative weights with one uniform u: the first whose running
// sum exceeds u times the total (the last if rounding leaves none).
std::size_t pick_by_weight(std::span<const double> weights, double u);

}  // namespace regionsim
