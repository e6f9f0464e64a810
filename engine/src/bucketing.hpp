// Grouping agent indices by a small key (a zone x sector cell, a zone) in parallel, with each
// group in index (= id) order: blocks of a fixed size are counted in parallel, their offsets laid
// out in block order, and filled in parallel, so the result is the same on any thread count.
#pragma once

#include <cstddef>
#include <vector>

#include "parallel.hpp"

namespace regionsim {

struct Buckets {
  std::vector<std::size_t> start;  // bucket k holds items[start[k] .. start[k+1])
  std::vector<std::size_t> items;  // agent indices
};

// key(i) returns the bucket of index i in [0, buckets), or a negative value to leave i out.
template <typename Key>
Buckets bucket_indices(std::size_t n, std::size_t buckets, Key&& key) {
  constexpr std::size_t kBlock = 16384;
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<std::size_t> offset(blocks * buckets, 0);
  parallel_chunks(blocks, 1, [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t b = r.begin(); b != r.end(); ++b)
      for (std::size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) {
        const auto k = key(i);
        if (k >= 0) ++offset[b * buckets + static_cast<std::size_t>(k)];
      }
  });
  Buckets out;
  out.start.assign(buckets + 1, 0);
  std::size_t position = 0;
  for (std::size_t k = 0; k < buckets; ++k) {
    out.start[k] = position;
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t count = offset[b * buckets + k];
      offset[b * buckets + k] = position;
      position += count;
    }
  }
  out.start[buckets] = position;
  out.items.resize(position);
  parallel_chunks(blocks, 1, [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t b = r.begin(); b != r.end(); ++b) {
      std::size_t* next = offset.data() + b * buckets;
      for (std::size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) {
        const auto k = key(i);
        if (k >= 0) out.items[next[static_cast<std::size_t>(k)]++] = i;
      }
    }
  });
  return out;
}

}  // namespace regionsim
