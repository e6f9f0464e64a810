// Dense tables over the region's small dimensions (zones, sectors, skills, jurisdictions):
// row-major, sized from the scenario's extents by their named dimensions, indexed g(z, k) rather
// than z * S + k at every site. A zone x sector grid and a zone x skill grid are different types,
// so one cannot be added to or passed for the other.
#pragma once

#include <array>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace regionsim {

// Counts of zones, sectors, skills and jurisdictions of a scenario.
struct Extents {
  std::size_t Z = 0, S = 0, K = 0, J = 0;
};

namespace dim {
struct Zone {
  static std::size_t of(const Extents& e) { return e.Z; }
};
struct Sector {
  static std::size_t of(const Extents& e) { return e.S; }
};
struct Skill {
  static std::size_t of(const Extents& e) { return e.K; }
};
struct Jurisdiction {
  static std::size_t of(const Extents& e) { return e.J; }
};
}  // namespace dim

namespace detail {
// Row-major position of index (i0, i1, ...) in a table of the given extents.
template <std::size_t N, typename... Index>
std::size_t row_major(const std::array<std::size_t, N>& extent, Index... i) {
  std::size_t at = 0, d = 0;
  ((at = at * extent[d++] + static_cast<std::size_t>(i)), ...);
  return at;
}
}  // namespace detail

template <typename T, typename... Dims>
class Grid {
 public:
  static constexpr std::size_t kRank = sizeof...(Dims);

  Grid() = default;
  explicit Grid(const Extents& e, T fill = T{})
      : extent_{Dims::of(e)...}, values_((Dims::of(e) * ... * std::size_t{1}), fill) {}

  template <typename... Index>
  T& operator()(Index... i) {
    static_assert(sizeof...(Index) == kRank, "one index per dimension");
    return values_[detail::row_major(extent_, i...)];
  }
  template <typename... Index>
  const T& operator()(Index... i) const {
    static_assert(sizeof...(Index) == kRank, "one index per dimension");
    return values_[detail::row_major(extent_, i...)];
  }

  std::size_t extent(std::size_t d) const { return extent_[d]; }
  std::size_t size() const { return values_.size(); }
  // The values in row-major order: the layout of StepOutputs and the output files.
  const std::vector<T>& values() const { return values_; }
  std::vector<T>& values() { return values_; }
  auto begin() const { return values_.begin(); }
  auto end() const { return values_.end(); }

  // Per-thread partial grids are summed with this. Integers only: a sum of doubles depends on the
  // order the threads' parts are added in, and so on the thread count (DETERMINISM.md).
  Grid& operator+=(const Grid& other) {
    static_assert(std::is_integral_v<T>, "grids summed across threads hold integers");
    for (std::size_t i = 0; i < values_.size(); ++i)
      values_[i] += other.values_[i];
    return *this;
  }

  bool operator==(const Grid&) const = default;

  // Every member, for checkpoints (checkpoint_archive.hpp); `Self` is Grid or const Grid. A
  // reader's `a.require` refuses extents that do not match the values read.
  template <class Archive, class Self>
  static void archive_members(Archive& a, Self& grid) {
    a(grid.extent_), a(grid.values_);
    std::size_t cells = 1;
    for (const std::size_t e : grid.extent_)
      cells *= e;
    a.require(cells == grid.values_.size(), "grid extents do not match its values");
  }

 private:
  std::array<std::size_t, kRank> extent_{};
  std::vector<T> values_;
};

// Read-only grid indexing over row-major values held elsewhere (the records' plain vectors).
template <typename T, typename... Dims>
class GridView {
 public:
  GridView(const std::vector<T>& values, const Extents& e)
      : extent_{Dims::of(e)...}, values_(values.data()) {}

  template <typename... Index>
  const T& operator()(Index... i) const {
    static_assert(sizeof...(Index) == sizeof...(Dims), "one index per dimension");
    return values_[detail::row_major(extent_, i...)];
  }

 private:
  std::array<std::size_t, sizeof...(Dims)> extent_{};
  const T* values_;
};

template <typename T>
using PerZone = Grid<T, dim::Zone>;
template <typename T>
using PerJurisdiction = Grid<T, dim::Jurisdiction>;
template <typename T>
using ZoneSector = Grid<T, dim::Zone, dim::Sector>;
template <typename T>
using ZoneSkill = Grid<T, dim::Zone, dim::Skill>;
template <typename T>
using ZoneZone = Grid<T, dim::Zone, dim::Zone>;
// Moves from zone to zone by sector (firms) or skill (talent).
template <typename T>
using ZoneZoneSector = Grid<T, dim::Zone, dim::Zone, dim::Sector>;
template <typename T>
using ZoneZoneSkill = Grid<T, dim::Zone, dim::Zone, dim::Skill>;

template <typename T>
using ZoneSectorView = GridView<T, dim::Zone, dim::Sector>;
template <typename T>
using ZoneSkillView = GridView<T, dim::Zone, dim::Skill>;

}  // namespace regionsim
