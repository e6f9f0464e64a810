// Counter-based random numbers (Philox4x32-10, Random123). Every draw is a pure function of
// (run seed, purpose, agent or event id, step, draw index): no generator state exists, so results
// cannot depend on thread count, iteration order, sharding or restarts.
#pragma once

#include <Random123/philox.h>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

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
  kVacancyRounding,
  kTest = 250,
};

class Rng {
 public:
  explicit Rng(std::uint64_t seed)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}} {}

  // Two independent uniforms in the open interval (0, 1); `index` selects further pairs.
  std::array<double, 2> uniform2(Purpose purpose, std::uint64_t id, std::uint32_t step,
                                 std::uint32_t index = 0) const {
    const auto r = words(purpose, id, step, index);
    return {to_unit(r[0], r[1]), to_unit(r[2], r[3])};
  }

  // uniform2(purpose, ids[j], step, index) into u0[j], u1[j] for j < n <= kBatch, all at once.
  // Under AVX2 four counters go through the ten Philox rounds together in registers (vpmuludq
  // gives the four 32x32 -> 64-bit products of a round at once), and consecutive groups of four
  // are independent, so their multiplies overlap; one call at a time waits on each round's
  // multiply. The same arithmetic as r123::Philox4x32, so the same bits in every build
  // (Rng.BatchEqualsOneAtATime); without AVX2 it is the scalar loop.
  static constexpr std::size_t kBatch = 64;
  void uniform2_batch(Purpose purpose, const std::uint64_t* ids, std::size_t n, std::uint32_t step,
                      double* u0, double* u1, std::uint32_t index = 0) const {
    philox_batch(purpose, ids, n, step, index,
                 [&](std::size_t j, std::uint32_t w0, std::uint32_t w1, std::uint32_t w2,
                     std::uint32_t w3) {
                   u0[j] = to_unit(w0, w1);
                   u1[j] = to_unit(w2, w3);
                 });
  }

  // Four uniforms of 32 bits each from one counter: (w + 1/2) / 2^32 for the four Philox words,
  // in the open interval (0, 1). Enough resolution for choices among a few options (a 5-way
  // choice cannot tell 2^-32 from 2^-53), at half the Philox calls per agent of uniform2.
  std::array<double, 4> uniform4(Purpose purpose, std::uint64_t id, std::uint32_t step,
                                 std::uint32_t index = 0) const {
    const auto r = words(purpose, id, step, index);
    return {to_unit32(r[0]), to_unit32(r[1]), to_unit32(r[2]), to_unit32(r[3])};
  }
  // uniform4(purpose, ids[j], step, index) into u[4 * j .. 4 * j + 3] for j < n <= kBatch.
  void uniform4_batch(Purpose purpose, const std::uint64_t* ids, std::size_t n, std::uint32_t step,
                      double* u, std::uint32_t index = 0) const {
    philox_batch(purpose, ids, n, step, index,
                 [&](std::size_t j, std::uint32_t w0, std::uint32_t w1, std::uint32_t w2,
                     std::uint32_t w3) {
                   u[4 * j] = to_unit32(w0);
                   u[4 * j + 1] = to_unit32(w1);
                   u[4 * j + 2] = to_unit32(w2);
                   u[4 * j + 3] = to_unit32(w3);
                 });
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
  // The four Philox words of one counter.
  r123::Philox4x32::ctr_type words(Purpose purpose, std::uint64_t id, std::uint32_t step,
                                   std::uint32_t index) const {
    r123::Philox4x32::ctr_type ctr{
        {static_cast<std::uint32_t>(id), static_cast<std::uint32_t>(id >> 32), step,
         (static_cast<std::uint32_t>(purpose) << 24) | (index & 0xFFFFFFu)}};
    return r123::Philox4x32{}(ctr, key_);
  }
  // emit(j, w0, w1, w2, w3) with the Philox words of (purpose, ids[j], step, index), j < n.
  template <typename Emit>
  void philox_batch(Purpose purpose, const std::uint64_t* ids, std::size_t n, std::uint32_t step,
                    std::uint32_t index, Emit&& emit) const {
    const std::uint32_t tag = (static_cast<std::uint32_t>(purpose) << 24) | (index & 0xFFFFFFu);
#if defined(__AVX2__)
    constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
    __m256i k0[10], k1[10];
    for (std::uint32_t r = 0, a = key_.v[0], b = key_.v[1]; r < 10; ++r, a += kW0, b += kW1) {
      k0[r] = _mm256_set1_epi64x(a);
      k1[r] = _mm256_set1_epi64x(b);
    }
    const __m256i m0 = _mm256_set1_epi64x(0xD2511F53), m1 = _mm256_set1_epi64x(0xCD9E8D57);
    const __m256i low = _mm256_set1_epi64x(0xFFFFFFFF);
    const __m256i c2_init = _mm256_set1_epi64x(step), c3_init = _mm256_set1_epi64x(tag);
    // Two groups of four counters per pass: their rounds interleave, so one group's multiply
    // runs while the other waits on its result.
    alignas(32) std::uint64_t lanes[2][4][4];  // group, word, counter
    for (std::size_t j = 0; j < n; j += 8) {
      alignas(32) std::uint64_t id[8];
      for (std::size_t l = 0; l < 8; ++l)
        id[l] = j + l < n ? ids[j + l] : 0;  // lanes past n compute on id 0, dropped
      const __m256i ida = _mm256_load_si256(reinterpret_cast<const __m256i*>(id));
      const __m256i idb = _mm256_load_si256(reinterpret_cast<const __m256i*>(id + 4));
      __m256i a0 = _mm256_and_si256(ida, low), a1 = _mm256_srli_epi64(ida, 32);
      __m256i b0 = _mm256_and_si256(idb, low), b1 = _mm256_srli_epi64(idb, 32);
      __m256i a2 = c2_init, a3 = c3_init, b2 = c2_init, b3 = c3_init;
      for (int r = 0; r < 10; ++r) {
        const __m256i pa0 = _mm256_mul_epu32(a0, m0), pb0 = _mm256_mul_epu32(b0, m0);
        const __m256i pa1 = _mm256_mul_epu32(a2, m1), pb1 = _mm256_mul_epu32(b2, m1);
        a0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pa1, 32), a1), k0[r]);
        b0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pb1, 32), b1), k0[r]);
        a1 = _mm256_and_si256(pa1, low);
        b1 = _mm256_and_si256(pb1, low);
        a2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pa0, 32), a3), k1[r]);
        b2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pb0, 32), b3), k1[r]);
        a3 = _mm256_and_si256(pa0, low);
        b3 = _mm256_and_si256(pb0, low);
      }
      const __m256i words[2][4] = {{a0, a1, a2, a3}, {b0, b1, b2, b3}};
      for (std::size_t g = 0; g < 2; ++g)
        for (std::size_t w = 0; w < 4; ++w)
          _mm256_store_si256(reinterpret_cast<__m256i*>(lanes[g][w]), words[g][w]);
      for (std::size_t l = 0; l < 8 && j + l < n; ++l) {
        const auto& group = lanes[l / 4];
        emit(j + l, static_cast<std::uint32_t>(group[0][l % 4]),
             static_cast<std::uint32_t>(group[1][l % 4]),
             static_cast<std::uint32_t>(group[2][l % 4]),
             static_cast<std::uint32_t>(group[3][l % 4]));
      }
    }
#else
    for (std::size_t j = 0; j < n; ++j) {
      const auto r = words(purpose, ids[j], step, index);
      emit(j, r[0], r[1], r[2], r[3]);
    }
    (void)tag;
#endif
  }
  static double to_unit32(std::uint32_t w) {
    return (static_cast<double>(w) + 0.5) * 0x1.0p-32;
  }
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
