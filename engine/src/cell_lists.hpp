// Agents grouped into cells (zone x sector, or zone), each cell in id order: a counting sort done
// in parallel with one pass over the agents. The agents are cut into fixed blocks of kCellBlock
// ids; each block lists its members (with their cells) in a block-local buffer and counts them
// per cell, an exclusive prefix sum over (cell, block) gives every block its own write cursor in
// every cell, and the blocks then copy their short lists into place independently. Blocks are
// fixed by id, not by thread, and within a cell the blocks follow in id order, so the lists are
// exactly the serial counting sort's on any number of threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

#include "parallel.hpp"

namespace regionsim {

inline constexpr std::size_t kCellBlock = std::size_t{1} << 14;

struct CellLists {
  std::vector<std::size_t> start;    // cells + 1 offsets into members
  std::vector<std::size_t> members;  // agent indices

  std::span<const std::size_t> operator[](std::size_t cell) const {
    return {members.data() + start[cell], start[cell + 1] - start[cell]};
  }
};

// Agents i < n with in_cell(i) true, grouped by cell_of(i) < cells. Both are called from several
// threads and must only read.
template <typename InCell, typename CellOf>
CellLists group_by_cell(std::size_t n, std::size_t cells, InCell&& in_cell, CellOf&& cell_of) {
  const std::size_t blocks = (n + kCellBlock - 1) / kCellBlock;
  struct Member {
    std::size_t cell, index;
  };
  std::vector<std::vector<Member>> listed(blocks);
  // cursor[b * cells + c]: first the count of block b in cell c, then where block b writes in c.
  std::vector<std::size_t> cursor(blocks * cells, 0);
  parallel_chunks(blocks, 1, [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t b = r.begin(); b != r.end(); ++b) {
      std::vector<Member>& mine = listed[b];
      const std::size_t end = std::min(n, (b + 1) * kCellBlock);
      for (std::size_t i = b * kCellBlock; i < end; ++i)
        if (in_cell(i)) mine.push_back({cell_of(i), i});
      std::size_t* const count = cursor.data() + b * cells;
      for (const Member& e : mine)
        ++count[e.cell];
    }
  });
  CellLists lists;
  lists.start.assign(cells + 1, 0);
  std::size_t total = 0;
  for (std::size_t c = 0; c < cells; ++c) {
    lists.start[c] = total;
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t k = cursor[b * cells + c];
      cursor[b * cells + c] = total;
      total += k;
    }
  }
  lists.start[cells] = total;
  lists.members.resize(total);
  parallel_chunks(blocks, 1, [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t b = r.begin(); b != r.end(); ++b) {
      std::size_t* const fill = cursor.data() + b * cells;
      for (const Member& e : listed[b])
        lists.members[fill[e.cell]++] = e.index;
    }
  });
  return lists;
}

}  // namespace regionsim
