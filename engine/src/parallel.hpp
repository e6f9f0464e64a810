// Small helpers for the phases' parallel loops. Reductions are over integers only (counts and
// fixed-point money), whose sums are the same in every order, so thread-local partial sums can be
// combined in any order without changing a single bit.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <cstdint>
#include <vector>

namespace regionsim {

inline constexpr std::size_t kAgentGrain = 4096;

// Runs body(range) over [0, n) in parallel chunks of about `grain`. The release/acquire pair
// around the loop costs one atomic per chunk and makes the happens-before edges that TBB's own
// (uninstrumented) scheduler provides visible to ThreadSanitizer: main's writes before the loop
// reach every chunk, and every chunk's writes reach main after it.
template <typename RangeBody>
void parallel_chunks(std::size_t n, std::size_t grain, RangeBody&& body) {
  std::atomic<std::size_t> handoff{0};
  handoff.store(1, std::memory_order_release);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      (void)handoff.load(std::memory_order_acquire);
                      body(r);
                      handoff.fetch_add(1, std::memory_order_release);
                    });
  (void)handoff.load(std::memory_order_acquire);
}

// Per-thread integer counters, summed at the end.
class Counters {
 public:
  explicit Counters(std::size_t n) : local_(std::vector<std::int64_t>(n, 0)), n_(n) {}
  std::vector<std::int64_t>& local() { return local_.local(); }
  std::vector<std::int64_t> sum() {
    std::vector<std::int64_t> total(n_, 0);
    for (const auto& part : local_)
      for (std::size_t i = 0; i < n_; ++i)
        total[i] += part[i];
    return total;
  }

 private:
  tbb::enumerable_thread_specific<std::vector<std::int64_t>> local_;
  std::size_t n_;
};

// A parallel loop over agents with per-thread counters fetched once per chunk (a thread-local lookup per agent
// would cost more than most agents' work): body(i, local).
template <typename Body>
void parallel_count(std::size_t n, Counters& counters, Body&& body) {
  parallel_chunks(n, kAgentGrain, [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<std::int64_t>& local = counters.local();
    for (std::size_t i = r.begin(); i != r.end(); ++i)
      body(i, local);
  });
}

}  // namespace regionsim
