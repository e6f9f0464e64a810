// Aggregation of agents into zone-level quantities, and the prices and fields built from them:
// wages, rents and the location multiplier of productivity (agglomeration, input-output access,
// knowledge spillovers from science infrastructure and, under core traction, from the core's
// institute researchers opened to firms by shared platforms).
#include <algorithm>
#include <cmath>

#include "assert.hpp"
#include "firm_size.hpp"
#include "institutes.hpp"
#include "parallel.hpp"
#include "phases.hpp"
#include "policies.hpp"
#include "promotion.hpp"
#include "shards.hpp"

namespace regionsim {

namespace {

// Head counts per zone, counted per thread.
struct HeadCounts {
  PerZone<std::int64_t> residents, employed, researchers;

  explicit HeadCounts(const Extents& e) : residents(e), employed(e), researchers(e) {}
  HeadCounts& operator+=(const HeadCounts& o) {
    residents += o.residents;
    employed += o.employed;
    researchers += o.researchers;
    return *this;
  }
};

struct FirmCounts {
  ZoneSector<std::int64_t> employment, firms;

  explicit FirmCounts(const Extents& e) : employment(e), firms(e) {}
  FirmCounts& operator+=(const FirmCounts& o) {
    employment += o.employment;
    firms += o.firms;
    return *this;
  }
};

}  // namespace

void aggregate(const MonthInputs& m, const TalentStore& talent, const FirmStore& firms,
               AgentId firm_id_bound, ZoneFields& fields, Roster& roster) {
  const RegionTables& t = m.tables;
  const std::size_t n_firms = firms.size();
  // Every entry is written by the loops below: no fill first (the buffers are reused across
  // months), and the fill of the id table is a parallel loop of its own (serial, it kept the
  // second thread idle for part of the phase).
  roster.employer_idx.resize(talent.size());
  // Firm ids are dense (a global counter), so a flat id -> slot table replaces a binary search
  // per employed person.
  roster.firm_slot.resize(firm_id_bound);
  constexpr std::size_t kFillGrain = std::size_t{1} << 16;
  parallel_chunks(firm_id_bound, kFillGrain, [&](const tbb::blocked_range<std::size_t>& r) {
    std::fill(roster.firm_slot.begin() + static_cast<std::ptrdiff_t>(r.begin()),
              roster.firm_slot.begin() + static_cast<std::ptrdiff_t>(r.end()), -1);
  });
  parallel_chunks(n_firms, kAgentGrain, [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i)
      roster.firm_slot[firms.id[i]] = static_cast<std::int32_t>(i);
  });

  // Talent side: who works where (the employer's slot); residents, firm employees and institute
  // researchers per zone through per-thread counts. (Head counts per firm are kept by the firms
  // themselves; --check recounts them from the roster, check_employee_counts.)
  HeadCounts counts =
      parallel_sum(talent.size(), HeadCounts(t), [&](std::size_t i, HeadCounts& local) {
        const std::size_t z = talent.zone[i];
        ++local.residents(z);
        const AgentId employer = talent.employer[i];
        if (employer == kNoFirm || is_institute(employer)) {
          roster.employer_idx[i] = -1;
          if (employer != kNoFirm) ++local.researchers(z);
          return;
        }
        const std::int32_t firm = roster.firm_slot[employer];
        REGIONSIM_ASSERT(firm >= 0 || !sharded(m.shard),
                         "an employee sits on another shard than the employer");
        roster.employer_idx[i] = firm;
        ++local.employed(z);
      });
  // Firm side: employment and firm counts per zone x sector.
  FirmCounts firm_counts =
      parallel_sum(n_firms, FirmCounts(t), [&](std::size_t i, FirmCounts& local) {
        local.employment(firms.zone[i], firms.sector[i]) += firms.employees[i];
        ++local.firms(firms.zone[i], firms.sector[i]);
      });
  // A sharded run's shards each counted their own people and firms.
  sum_grid_over_shards(m.shard, counts.residents, counts.employed, counts.researchers,
                       firm_counts.employment, firm_counts.firms);
  fields.residents = counts.residents;
  fields.employed = counts.employed;
  fields.researchers = counts.researchers;
  fields.employment = firm_counts.employment;
  fields.firm_count = firm_counts.firms;
}

void update_fields(const MonthInputs& m, const Promotion& promotion, ZoneFields& z) {
  const RegionTables& t = m.tables;
  const Scenario& sc = m.scenario;
  const Calibration& c = m.calibration;
  constexpr double kMaxMonthlyChange = 0.05;  // no price moves more than ~5% in a month

  if (m.month > 0) {
    for (std::size_t i = 0; i < t.Z; ++i) {
      const double gap = std::log(std::max(z.tightness(i), 1e-3) / sc.labour.target_tightness);
      z.wage_index(i) *=
          std::exp(std::clamp(sc.labour.wage_adjust * gap, -kMaxMonthlyChange, kMaxMonthlyChange));
    }
  }
  z.floor_occupancy = Vector(t.Z);
  z.housing_occupancy = Vector(t.Z);
  Matrix employment(t.Z, t.S);
  for (std::size_t i = 0; i < t.Z; ++i) {
    for (std::size_t k = 0; k < t.S; ++k)
      employment(i, k) = static_cast<double>(z.employment(i, k));
    z.floor_occupancy(i) = static_cast<double>(z.employed(i)) / std::max(z.floor_capacity(i), 1.0);
    z.housing_occupancy(i) =
        static_cast<double>(z.residents(i)) / std::max(t.housing_capacity(i), 1.0);
  }
  if (m.month > 0) {
    for (std::size_t i = 0; i < t.Z; ++i) {
      const double gap = z.floor_occupancy(i) / sc.labour.target_occupancy - 1.0;
      z.rent(i) *=
          std::exp(std::clamp(sc.labour.rent_adjust * gap, -kMaxMonthlyChange, kMaxMonthlyChange));
    }
  }
  z.wage = z.wage_index * t.base_wage.transpose();

  // Input-output access: the travel-decayed share of each supplier sector's employment reachable
  // from a zone, weighted by the user sector's input coefficients.
  const Vector sector_total = employment.colwise().sum().transpose().array() + 1.0;
  Matrix access = t.decay * employment;
  for (std::size_t k = 0; k < t.S; ++k)
    access.col(k) /= sector_total(k);
  const Matrix io_gain = Matrix::Ones(t.Z, t.S) + sc.firms.io_strength * (access * t.io);
  // The common productivity trend (nominal growth of value added per worker) rides on the
  // multipliers: 1 at month 0 and without a trend.
  const double trend = std::exp(log_productivity_trend(sc.firms.productivity_growth, m.month));
  z.multiplier = Matrix(t.Z, t.S);
  for (std::size_t i = 0; i < t.Z; ++i)
    for (std::size_t k = 0; k < t.S; ++k) {
      const double agglomeration =
          std::pow((employment(i, k) + 1.0) / c.agglomeration_ref(0, k), sc.firms.agglomeration);
      z.multiplier(i, k) =
          agglomeration * io_gain(i, k) * t.spillover(i) / c.multiplier_norm * trend;
    }
  // Core traction: the core's shared platforms open its institutes' researchers to firms. Without
  // the lever nothing is multiplied, so scenarios without it keep their outputs bit for bit.
  if (core_traction_on(m)) {
    const Vector gain = platform_spillover(m, z.researchers);
    for (std::size_t i = 0; i < t.Z; ++i)
      z.multiplier.row(i) *= gain(i);
  }

  // Packages in force per zone and what they are worth to firms.
  set_zone_packages(m, promotion, z);
}

Vector platform_spillover(const MonthInputs& m, const PerZone<std::int64_t>& researchers) {
  const RegionTables& t = m.tables;
  const Scenario& sc = m.scenario;
  Vector gain = Vector::Ones(t.Z);
  if (!core_traction_on(m)) return gain;
  const CoreTraction& ct = sc.core_traction;
  const std::size_t core = sc.region.core_zone;
  const double planned = planned_researchers(sc, core);
  if (!(planned > 0)) return gain;
  // The core's researchers in units of its planned staff, as far as the platforms open them.
  const double open = ct.platform_access * static_cast<double>(researchers(core)) / planned;
  for (std::size_t i = 0; i < t.Z; ++i) {
    // Reach falls with travel time to the core as other spillovers do (§4), the unified platform
    // relieving part of it as it does for transfers.
    const double reach =
        std::exp(-t.travel(i, core) * (1.0 - ct.travel_relief) / sc.firms.decay_minutes);
    gain(i) = std::pow(1.0 + open * reach, ct.spillover_elasticity);
  }
  return gain;
}

}  // namespace regionsim
