// Aggregation of agents into zone-level quantities, and the prices and fields built from them:
// wages, rents, the location multiplier of productivity (agglomeration, input-output access,
// knowledge spillovers) and the utilities agents compare zones by.
#include <algorithm>
#include <atomic>
#include <cmath>

#include "parallel.hpp"
#include "phases.hpp"

namespace regionsim {

void StepFlows::reset(const RegionTables& t) {
  const std::size_t zs = t.Z * t.S;
  entries_zs.assign(zs, 0);
  exits_zs.assign(zs, 0);
  output_zs.assign(zs, 0);
  subsidy_zs.assign(zs, 0);
  firm_moves_zzs.assign(t.Z * zs, 0);
  talent_moves_zzk.assign(t.Z * t.Z * t.K, 0);
  arrivals_zk.assign(t.Z * t.K, 0);
  departures_zk.assign(t.Z * t.K, 0);
  tax_z.assign(t.Z, 0);
  hires_zs.assign(zs, 0);
  seekers_zs.assign(zs, 0);
  vacancies_zs.assign(zs, 0);
  spinoffs_zs.assign(zs, 0);
  innovations_z.assign(t.Z, 0);
  transfers_zz.assign(t.Z * t.Z, 0);
  institute_hires_z.assign(t.Z, 0);
  credit_tax_z.assign(t.Z, 0);
  credit_gdp_z.assign(t.Z, 0);
  finder_tax_j.assign(t.J, 0);
  finder_gdp_j.assign(t.J, 0);
  amenity_spending_j.assign(t.J, 0);
  tax_attributed_j.assign(t.J, 0);
  gdp_attributed_j.assign(t.J, 0);
  subsidies_paid_j.assign(t.J, 0);
  subsidies_received_z.assign(t.Z, 0);
  emp_skill.clear();
  employer_idx.clear();
}

void aggregate(ModelState& s, StepFlows& f) {
  const RegionTables& t = s.tables;
  const std::size_t n_firms = s.firms.size();
  const std::size_t n_talent = s.talent.size();
  f.emp_skill.assign(n_firms * t.K, 0);
  f.employer_idx.assign(n_talent, -1);
  // Firm ids are dense (a global counter), so a flat id -> slot table replaces a binary search
  // per employed person.
  f.firm_slot.assign(s.next_firm_id, -1);
  for (std::size_t i = 0; i < n_firms; ++i)
    f.firm_slot[s.firms.id[i]] = static_cast<std::int32_t>(i);

  // Talent side: who works where, counted per firm and skill with integer atomics (exact in any
  // order); residents, firm employees and institute researchers per zone through per-thread
  // counters.
  Counters people(3 * t.Z);
  parallel_count(n_talent, people, [&](std::size_t i, std::vector<std::int64_t>& local) {
    const std::size_t z = s.talent.zone[i];
    ++local[z];
    const AgentId employer = s.talent.employer[i];
    if (employer == kNoFirm) return;
    if (is_institute(employer)) {
      ++local[2 * t.Z + z];
      return;
    }
    const std::int64_t firm = f.firm_slot[employer];
    f.employer_idx[i] = firm;
    ++local[t.Z + z];
    std::atomic_ref<std::int32_t>(
        f.emp_skill[static_cast<std::size_t>(firm) * t.K + s.talent.skill[i]])
        .fetch_add(1, std::memory_order_relaxed);
  });
  const auto counts = people.sum();
  const auto part = [&](std::size_t k) {
    return std::vector<std::int64_t>(counts.begin() + static_cast<std::ptrdiff_t>(k * t.Z),
                                     counts.begin() + static_cast<std::ptrdiff_t>((k + 1) * t.Z));
  };
  s.fields.residents_z = part(0);
  s.fields.employed_z = part(1);
  s.fields.researchers_z = part(2);

  // Firm side: employment and firm counts per zone x sector (few thousand firms: serial).
  s.fields.employment_zs.assign(t.Z * t.S, 0);
  s.fields.firms_zs.assign(t.Z * t.S, 0);
  for (std::size_t i = 0; i < n_firms; ++i) {
    const std::size_t cell = s.firms.zone[i] * t.S + s.firms.sector[i];
    s.fields.employment_zs[cell] += s.firms.employees[i];
    ++s.fields.firms_zs[cell];
  }
}

void update_fields(ModelState& s, const StepFlows& /*f*/) {
  const RegionTables& t = s.tables;
  const Scenario& sc = s.scenario;
  ZoneFields& z = s.fields;
  constexpr double kMaxMonthlyChange = 0.05;  // no price moves more than ~5% in a month

  if (s.month > 0) {
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
      employment(i, k) = static_cast<double>(z.employment_zs[i * t.S + k]);
    z.floor_occupancy(i) =
        static_cast<double>(z.employed_z[i]) / std::max(t.floor_capacity(i), 1.0);
    z.housing_occupancy(i) =
        static_cast<double>(z.residents_z[i]) / std::max(t.housing_capacity(i), 1.0);
  }
  if (s.month > 0) {
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
  z.multiplier = Matrix(t.Z, t.S);
  for (std::size_t i = 0; i < t.Z; ++i)
    for (std::size_t k = 0; k < t.S; ++k) {
      const double agglomeration =
          std::pow((employment(i, k) + 1.0) / t.agglomeration_ref(0, k), sc.firms.agglomeration);
      z.multiplier(i, k) = agglomeration * io_gain(i, k) * t.spillover(i) / t.multiplier_norm;
    }

  // Offers in force per zone: each owner's offer weighted by its ownership share.
  z.offer = t.ownership * s.gov.offer;
}

double talent_zone_utility(const ModelState& s, std::size_t z, std::size_t k, std::size_t sector) {
  const TalentParams& p = s.scenario.talent;
  const ZoneFields& f = s.fields;
  return p.beta_wage * std::log(f.wage(z, k)) + p.beta_amenity * f.amenity(z) -
         p.beta_congestion * f.housing_occupancy(z) + p.beta_jobs * f.job_rate(z, sector);
}

double firm_zone_utility(const ModelState& s, std::size_t z, std::size_t sector,
                         double offer_weight, double fit_weight) {
  const FirmParams& p = s.scenario.firms;
  const ZoneFields& f = s.fields;
  // Log of the maximised operating profit at the zone's productivity multiplier and wage level
  // (Cobb-Douglas in labour): (ln M - alpha ln w) / (1 - alpha), up to a firm-specific constant.
  const double profit_potential =
      (std::log(f.multiplier(z, sector)) - p.alpha * std::log(f.wage_index(z))) / (1.0 - p.alpha);
  // Rent relative to the region's initial mean, so a zone at average conditions is worth about
  // as much as the outside option of an incoming project (utility 0).
  return p.reloc_beta_profit * profit_potential -
         p.reloc_beta_rent * std::log(f.rent(z) / s.tables.rent_ref) +
         offer_weight * p.reloc_beta_subsidy * f.offer(z, sector) +
         fit_weight * p.reloc_beta_fit * s.tables.specialisation(z, sector);
}

}  // namespace regionsim
