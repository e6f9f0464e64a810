// Grids: row-major layout (the layout of the records), sizes from named dimensions, and the
// integer sum per-thread flows are combined with.
#include <gtest/gtest.h>

#include "grid.hpp"

namespace regionsim {
namespace {

const Extents kRegion{.Z = 3, .S = 4, .K = 2, .J = 5};

TEST(Grid, IsSizedByItsNamedDimensions) {
  EXPECT_EQ(ZoneSector<int>(kRegion).size(), 3u * 4u);
  EXPECT_EQ(ZoneSkill<int>(kRegion).size(), 3u * 2u);
  EXPECT_EQ(PerJurisdiction<int>(kRegion).size(), 5u);
  const ZoneZoneSector<int> moves(kRegion);
  EXPECT_EQ(moves.size(), 3u * 3u * 4u);
  EXPECT_EQ(moves.extent(0), 3u);
  EXPECT_EQ(moves.extent(2), 4u);
}

TEST(Grid, IsRowMajor) {
  ZoneSector<std::int64_t> g(kRegion);
  g(2, 1) = 7;
  EXPECT_EQ(g.values()[2 * 4 + 1], 7);
  ZoneZoneSkill<std::int64_t> moves(kRegion);
  moves(1, 2, 1) = 5;
  EXPECT_EQ(moves.values()[(1 * 3 + 2) * 2 + 1], 5);
  const ZoneSectorView<std::int64_t> view(g.values(), kRegion);
  EXPECT_EQ(view(2, 1), 7);
}

TEST(Grid, SumsElementwise) {
  ZoneSkill<std::int64_t> a(kRegion), b(kRegion);
  a(0, 1) = 2;
  b(0, 1) = 3;
  b(2, 0) = -1;
  a += b;
  EXPECT_EQ(a(0, 1), 5);
  EXPECT_EQ(a(2, 0), -1);
  EXPECT_EQ(a(1, 1), 0);
}

}  // namespace
}  // namespace regionsim
