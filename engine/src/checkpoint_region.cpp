// Checkpoint member lists of the region's tables, the month-0 calibration and the zone fields
// (checkpoint_archive.hpp). The constant tables are saved rather than rebuilt from the scenario:
// an arm forked from a shared warm-up keeps the tables of the run it forked from
// (Simulation::fork), so only the saved ones are certain to be the ones the run used.
#include "checkpoint_archive.hpp"
#include "model_state.hpp"

namespace regionsim {

namespace {

// Sizes on the 64-bit Linux targets, from the members' sizes: a member added to one of these
// structs fails the check until it is listed below and the count updated.
constexpr bool k64 = sizeof(void*) == 8;
constexpr std::size_t kVec = sizeof(std::vector<int>), kMat = sizeof(Matrix), kV = sizeof(Vector);
static_assert(!k64 || sizeof(FirmSizeDistribution) == 4 * sizeof(double),
              "FirmSizeDistribution changed: list the new member in checkpoint_region.cpp");
static_assert(!k64 || sizeof(RegionTables) ==
                          sizeof(Extents) + 5 * kMat + 11 * kV + sizeof(FirmSizeDistribution),
              "RegionTables changed: list the new member in engine/src/checkpoint_region.cpp");
static_assert(!k64 || sizeof(Calibration) == kMat + 2 * sizeof(double) + 2 * sizeof(std::int64_t) +
                                                 sizeof(Grid<double, dim::Skill, dim::Sector>),
              "Calibration changed: list the new member in engine/src/checkpoint_region.cpp");
static_assert(!k64 || sizeof(ZoneFields) == 2 * sizeof(ZoneSector<std::int64_t>) +
                                                3 * sizeof(PerZone<std::int64_t>) + 4 * kMat +
                                                8 * kV + 5 * kVec,
              "ZoneFields changed: list the new member in engine/src/checkpoint_region.cpp");

template <class A, StatePart<FirmSizeDistribution> D>
void visit(A& a, D& d) {
  a(d.tail_index), a(d.tail_min), a(d.size_max), a(d.tail_share);
}

template <class A, StatePart<RegionTables> T>
void visit(A& a, T& t) {
  a(t.Z), a(t.S), a(t.K), a(t.J);
  a(t.travel), a(t.decay), a(t.io), a(t.ownership), a(t.specialisation);
  a(t.floor_capacity), a(t.housing_capacity), a(t.base_amenity), a(t.science);
  a(t.floor_limit), a(t.base_wage), a(t.skill_share), a(t.sector_tfp), a(t.sector_entry);
  a(t.sector_hte), a(t.spillover), a(t.firm_size);
}

template <class A, StatePart<Calibration> C>
void visit(A& a, C& c) {
  a(c.agglomeration_ref), a(c.rent_ref), a(c.multiplier_norm), a(c.initial_talent);
  a(c.initial_firms), a(c.arrival_index0);
}

template <class A, StatePart<ZoneFields> F>
void visit(A& a, F& f) {
  a(f.employment), a(f.firm_count), a(f.residents), a(f.employed), a(f.researchers);
  a(f.multiplier), a(f.wage_index), a(f.wage), a(f.rent), a(f.floor_capacity);
  a(f.floor_occupancy), a(f.housing_occupancy), a(f.job_rate), a(f.tightness), a(f.offer);
  a(f.package), a(f.package_payer), a(f.within_value), a(f.paper_value), a(f.committee_zone);
  a(f.amenity), a(f.amenity_built);
}

}  // namespace

REGIONSIM_ARCHIVE_BY_VISIT(FirmSizeDistribution)
REGIONSIM_ARCHIVE_BY_VISIT(RegionTables)
REGIONSIM_ARCHIVE_BY_VISIT(Calibration)
REGIONSIM_ARCHIVE_BY_VISIT(ZoneFields)

}  // namespace regionsim
