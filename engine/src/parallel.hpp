// Small helpers for the phases' parallel loops. Reductions are over integers only (counts and
// fixed-point money), whose sums are the same in every order, so thread-local partial sums can be
// combined in any order without changing a single bit.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <cstdint>

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

// A parallel loop over n agents in which each thread adds into its own copy of `zero` (a flow
// struct of integer grids with +=), fetched once per chunk: a thread-local lookup per agent would
// cost more than most agents' work. body(i, local) handles agent i. Returns the copies summed;
// integers sum to the same in any order, so the result does not depend on the thread count.
template <typename Flows, typename Body>
Flows parallel_sum(std::size_t n, const Flows& zero, Body&& body) {
  tbb::enumerable_thread_specific<Flows> local(zero);
  parallel_chunks(n, kAgentGrain, [&](const tbb::blocked_range<std::size_t>& r) {
    Flows& mine = local.local();
    for (std::size_t i = r.begin(); i != r.end(); ++i)
      body(i, mine);
  });
  Flows total = zero;
  for (const Flows& part : local)
    total += part;
  return total;
}

// parallel_sum by chunk: body(range, local) handles agents [range.begin(), range.end()), for
// phases that work on a batch of agents at a time (batched random draws).
template <typename Flows, typename RangeBody>
Flows parallel_sum_ranges(std::size_t n, const Flows& zero, RangeBody&& body) {
  tbb::enumerable_thread_specific<Flows> local(zero);
  parallel_chunks(n, kAgentGrain,
                  [&](const tbb::blocked_range<std::size_t>& r) { body(r, local.local()); });
  Flows total = zero;
  for (const Flows& part : local)
    total += part;
  return total;
}

}  // namespace regionsim
