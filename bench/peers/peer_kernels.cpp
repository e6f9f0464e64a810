// Three C++ ways to run the migration kernel (migration_kernel.hpp) and a STREAM-style triad, for
// bench/peers/run_peers.py, which also times the NumPy version and prints the ratios.
//
//   peer_kernels object N MONTHS          object-per-agent loop: one heap object per agent with a
//                                         virtual step(), one std::mt19937, the agent computes its
//                                         own logit (as agent-per-object toolkits do)
//   peer_kernels kernel N MONTHS THREADS  regionsim's way: structure of arrays, counter-based
//                                         Philox draws (engine/src/rng.hpp), one probability table
//                                         per class, parallel chunks with per-thread counts
//   peer_kernels triad N                  a = b + s c over doubles, best of 5: memory bandwidth
//
// Each prints one line "name ns_per_agent_step=X checksum=Y" (triad: "triad GB_per_s=X").
#include <tbb/global_control.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "migration_kernel.hpp"
#include "parallel.hpp"
#include "rng.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using peers::Counts;
using peers::kClasses;
using peers::kZones;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::int64_t checksum(const Counts& c) {
  std::int64_t s = 0;
  for (int z = 0; z < kZones; ++z)
    s = s * 31 + c[z];
  return s;
}

// --- object per agent ---------------------------------------------------------------------------

struct Model;
struct Agent {
  virtual ~Agent() = default;
  virtual void step(Model& model) = 0;
};
struct Model {
  std::mt19937 gen{12345};
  std::uniform_real_distribution<double> unif{0.0, 1.0};
  Counts last{}, next{};
  std::int64_t n = 0;
};
struct Person final : Agent {
  int zone = 0, skill = 0;
  void step(Model& m) override {
    double e[kZones], sum = 0;
    for (int z = 0; z < kZones; ++z)
      sum += e[z] = std::exp(peers::utility(z, skill, m.last, m.n));
    const double u = m.unif(m.gen) * sum;
    double run = 0;
    zone = kZones - 1;
    for (int z = 0; z < kZones; ++z)
      if (u < (run += e[z])) {
        zone = z;
        break;
      }
    ++m.next[zone];
  }
};

int run_object(std::int64_t n, int months) {
  Model m;
  m.n = n;
  std::vector<std::unique_ptr<Agent>> agents;
  agents.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    auto p = std::make_unique<Person>();
    p->zone = static_cast<int>(i % kZones);
    p->skill = static_cast<int>(i % kClasses);
    ++m.last[p->zone];
    agents.push_back(std::move(p));
  }
  const auto t0 = Clock::now();
  for (int t = 0; t < months; ++t) {
    m.next = {};
    for (auto& a : agents)
      a->step(m);
    m.last = m.next;
  }
  const double s = seconds_since(t0);
  std::printf("object ns_per_agent_step=%.3f checksum=%lld\n",
              s * 1e9 / (static_cast<double>(n) * months),
              static_cast<long long>(checksum(m.last)));
  return 0;
}

// --- regionsim's kernel -------------------------------------------------------------------------

struct ZoneCounts {
  Counts c{};
  ZoneCounts& operator+=(const ZoneCounts& o) {
    for (int z = 0; z < kZones; ++z)
      c[z] += o.c[z];
    return *this;
  }
};

int run_kernel(std::int64_t n, int months, int threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  const std::size_t N = static_cast<std::size_t>(n);
  std::vector<std::uint8_t> zone(N), skill(N);
  Counts last{};
  for (std::size_t i = 0; i < N; ++i) {
    zone[i] = static_cast<std::uint8_t>(i % kZones);
    skill[i] = static_cast<std::uint8_t>(i % kClasses);
    ++last[zone[i]];
  }
  const regionsim::Rng rng(12345);
  const auto t0 = Clock::now();
  for (int t = 0; t < months; ++t) {
    const peers::Table table = peers::cumulative_probabilities(last, n);
    const std::uint32_t step = static_cast<std::uint32_t>(t);
    // Four agents per Philox call (Rng::uniform4_batch: four 32-bit uniforms per counter,
    // enough for a 5-way choice), the calls batched as in the engine's talent decisions (AVX2,
    // counters side by side), and the zone found without branches (peers::pick_branch_free).
    const std::size_t quads = (N + 3) / 4;
    const ZoneCounts sum = regionsim::parallel_sum_ranges(
        quads, ZoneCounts{}, [&](const tbb::blocked_range<std::size_t>& range, ZoneCounts& local) {
          std::array<std::uint64_t, regionsim::Rng::kBatch> ids;
          std::array<double, 4 * regionsim::Rng::kBatch> u;
          for (std::size_t b = range.begin(); b < range.end(); b += regionsim::Rng::kBatch) {
            const std::size_t n_quads = std::min(regionsim::Rng::kBatch, range.end() - b);
            for (std::size_t k = 0; k < n_quads; ++k)
              ids[k] = b + k;
            rng.uniform4_batch(regionsim::Purpose::kTest, ids.data(), n_quads, step, u.data());
            const std::size_t first = 4 * b, end = std::min(N, 4 * (b + n_quads));
            for (std::size_t i = first; i < end; ++i) {
              const auto z =
                  static_cast<std::uint8_t>(peers::pick_branch_free(table[skill[i]], u[i - first]));
              zone[i] = z;
              ++local.c[z];
            }
          }
        });
    last = sum.c;
  }
  const double s = seconds_since(t0);
  std::printf("kernel threads=%d ns_per_agent_step=%.3f checksum=%lld\n", threads,
              s * 1e9 / (static_cast<double>(n) * months), static_cast<long long>(checksum(last)));
  return 0;
}

// --- STREAM-style triad -------------------------------------------------------------------------

int run_triad(std::int64_t n) {
  const std::size_t N = static_cast<std::size_t>(n);
  std::vector<double> a(N, 0.0), b(N, 1.0), c(N, 2.0);
  double best = 1e30;
  for (int r = 0; r < 5; ++r) {
    const auto t0 = Clock::now();
    regionsim::parallel_chunks(N, 1 << 16, [&](const tbb::blocked_range<std::size_t>& range) {
      for (std::size_t i = range.begin(); i != range.end(); ++i)
        a[i] = b[i] + 3.0 * c[i];
    });
    best = std::min(best, seconds_since(t0));
  }
  // Three arrays of doubles move per element (two read, one written), as STREAM counts.
  std::printf("triad GB_per_s=%.2f check=%.1f\n", 3.0 * 8.0 * static_cast<double>(N) / best / 1e9,
              a[N / 2]);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  const std::int64_t n = argc > 2 ? std::atoll(argv[2]) : 0;
  const int months = argc > 3 ? std::atoi(argv[3]) : 0;
  const int threads = argc > 4 ? std::atoi(argv[4]) : 1;
  if (mode == "object" && n > 0 && months > 0) return run_object(n, months);
  if (mode == "kernel" && n > 0 && months > 0 && threads > 0) return run_kernel(n, months, threads);
  if (mode == "triad" && n > 0) return run_triad(n);
  std::fprintf(stderr, "usage: peer_kernels object N MONTHS | kernel N MONTHS THREADS | triad N\n");
  return 2;
}
