// Month-0 state: constant region tables from the scenario, then firms and talent placed by the
// zones' planned specialisation, then the calibration measured on that population. Everything is
// apportioned or drawn by id, so the initial population is the same on every thread count.
#include <algorithm>
#include <cmath>

#include "apportion.hpp"
#include "entries.hpp"
#include "firm_size.hpp"
#include "institutes.hpp"
#include "land.hpp"
#include "matching.hpp"
#include "month.hpp"
#include "phases.hpp"
#include "policies.hpp"
#include "shards.hpp"

namespace regionsim {

namespace {

RegionTables build_tables(const Scenario& sc) {
  RegionTables t;
  t.Z = sc.zones.size();
  t.S = sc.sectors.size();
  t.K = sc.skills.size();
  t.J = sc.jurisdictions.size();
  const double scale = sc.run.scale;
  t.travel = Matrix(t.Z, t.Z);
  t.decay = Matrix(t.Z, t.Z);
  for (std::size_t a = 0; a < t.Z; ++a)
    for (std::size_t b = 0; b < t.Z; ++b) {
      t.travel(a, b) = sc.travel_minutes[a][b];
      t.decay(a, b) = std::exp(-sc.travel_minutes[a][b] / sc.firms.decay_minutes);
    }
  t.io = Matrix::Zero(t.S, t.S);
  for (std::size_t user = 0; user < t.S; ++user)
    for (std::size_t supplier = 0; supplier < t.S; ++supplier)
      t.io(supplier, user) = sc.sectors[user].inputs[supplier];
  t.ownership = Matrix(t.Z, t.J);
  t.specialisation = Matrix(t.Z, t.S);
  t.floor_capacity = Vector(t.Z);
  t.floor_limit = Vector(t.Z);
  t.housing_capacity = Vector(t.Z);
  t.base_amenity = Vector(t.Z);
  t.science = Vector(t.Z);
  for (std::size_t z = 0; z < t.Z; ++z) {
    const ZoneSpec& zone = sc.zones[z];
    for (std::size_t j = 0; j < t.J; ++j)
      t.ownership(z, j) = zone.ownership[j];
    double total = 0;
    for (double w : zone.specialisation)
      total += w;
    for (std::size_t k = 0; k < t.S; ++k)
      t.specialisation(z, k) = zone.specialisation[k] / total;
    t.floor_capacity(z) = zone.floor_capacity * scale;
    t.floor_limit(z) = floor_limit(sc.land, zone.area_km2, zone.floor_capacity) * scale;
    t.housing_capacity(z) = zone.housing_capacity * scale;
    t.base_amenity(z) = zone.amenity;
    t.science(z) = zone.science;
  }
  t.base_wage = Vector(t.K);
  t.skill_share = Vector(t.K);
  for (std::size_t k = 0; k < t.K; ++k) {
    t.base_wage(k) = sc.skills[k].base_wage;
    t.skill_share(k) = sc.skills[k].share;
  }
  t.sector_tfp = Vector(t.S);
  t.sector_entry = Vector(t.S);
  t.sector_hte = Vector(t.S);
  for (std::size_t k = 0; k < t.S; ++k) {
    t.sector_tfp(k) = sc.sectors[k].productivity;
    t.sector_entry(k) = sc.sectors[k].entry_weight;
    t.sector_hte(k) = sc.sectors[k].hte_share;
  }
  t.sector_entry /= t.sector_entry.sum();
  t.spillover = Vector::Ones(t.Z) + sc.firms.spillover * (t.decay * t.science);
  // Talent per firm counts seekers; the firms' sizes are the employed part of it.
  t.firm_size =
      size_distribution(sc.firms.size_tail_index, sc.firms.size_tail_min, sc.firms.size_max,
                        sc.talent.per_firm_initial * (1.0 - sc.talent.initial_seeking));
  return t;
}

// Draws the skill of a person from the skill shares with one uniform.
std::uint8_t draw_skill(const ModelState& s, AgentId id) {
  const double u = s.rng.uniform(Purpose::kInitSkill, id, 0);
  double cum = 0;
  for (std::size_t k = 0; k + 1 < s.tables.K; ++k) {
    cum += s.tables.skill_share(static_cast<Eigen::Index>(k));
    if (u < cum) return static_cast<std::uint8_t>(k);
  }
  return static_cast<std::uint8_t>(s.tables.K - 1);
}

// Firms by the zones' planned specialisation, each with a size drawn from the firm-size
// distribution, the productivity that makes it its desired size, and that many employees; the
// zone's seekers come on top, in proportion (talent.initial_seeking of the zone's talent).
void place_firms_and_talent(ModelState& s) {
  const Scenario& sc = s.scenario;
  const RegionTables& t = s.tables;
  const double seekers_per_employee =
      sc.talent.initial_seeking < 1 ? sc.talent.initial_seeking / (1.0 - sc.talent.initial_seeking)
                                    : 0.0;
  for (std::size_t z = 0; z < t.Z; ++z) {
    const auto n =
        static_cast<std::int64_t>(std::llround(sc.zones[z].initial_firms * sc.run.scale));
    std::vector<double> weights(t.S);
    for (std::size_t k = 0; k < t.S; ++k)
      weights[k] = t.specialisation(z, k);
    const auto per_sector = apportion(n, weights);
    std::int64_t employed = 0;
    for (std::size_t sector = 0; sector < t.S; ++sector)
      for (std::int64_t j = 0; j < per_sector[sector]; ++j) {
        const AgentId id = s.ids.firm++;
        const auto u = s.rng.uniform2(Purpose::kInitTfp, id, 0);
        const std::int64_t size = t.firm_size.draw(u[0], u[1]);
        employed += size;
        // A shard of a sharded run builds only its own firms and people, the firms' staff with
        // them (ids are taken all the same).
        if (!holds(s.shard, id)) {
          s.ids.talent += static_cast<AgentId>(size);
          continue;
        }
        const double a = productivity_for_size(t.sector_tfp(sector), static_cast<double>(size),
                                               sc.firms.reference_size, sc.firms.alpha);
        s.firms.push(id, static_cast<std::uint8_t>(z), static_cast<std::uint8_t>(sector), a, -1);
        // Month 0 catches firms at random points of their history: a firm already making losses
        // has some months of them behind it, so initial strugglers do not all exit together
        // when the loss limit is first reached.
        s.firms.loss_months.back() =
            static_cast<std::int32_t>(s.rng.uniform(Purpose::kInitLossMonths, id, 0) *
                                      static_cast<double>(sc.firms.loss_months_exit));
        s.firms.employees.back() = static_cast<std::int32_t>(size);
        s.firms.hte.back() = s.rng.uniform(Purpose::kInitHte, id, 0) < t.sector_hte(sector);
        for (std::int64_t e = 0; e < size; ++e) {
          const AgentId person = s.ids.talent++;
          s.talent.push(person, static_cast<std::uint8_t>(z), draw_skill(s, person),
                        static_cast<std::uint8_t>(sector), id);
        }
      }
    const auto seeking = static_cast<std::int64_t>(
        std::llround(seekers_per_employee * static_cast<double>(employed)));
    const auto seekers_by_sector = apportion(seeking, weights);
    for (std::size_t sector = 0; sector < t.S; ++sector)
      for (std::int64_t j = 0; j < seekers_by_sector[sector]; ++j) {
        const AgentId id = s.ids.talent++;
        if (!holds(s.shard, id)) continue;
        s.talent.push(id, static_cast<std::uint8_t>(z), draw_skill(s, id),
                      static_cast<std::uint8_t>(sector), kNoFirm);
      }
  }
}

// Institutes with their researchers, who come on top of the firms' talent.
void place_institutes(ModelState& s) {
  const Scenario& sc = s.scenario;
  const RegionTables& t = s.tables;
  const auto staff = static_cast<std::int64_t>(std::llround(sc.institutes.researchers));
  AgentId next = 0;
  for (std::size_t z = 0; z < t.Z; ++z) {
    const std::int64_t n = institutes_in_zone(sc, z);
    std::vector<double> fields(t.S);
    for (std::size_t k = 0; k < t.S; ++k)
      fields[k] = t.specialisation(z, k);
    const auto per_field = apportion(staff, fields);
    for (std::int64_t m = 0; m < n; ++m) {
      const AgentId institute = kInstituteBit | next++;
      s.institutes.push(institute, static_cast<std::uint8_t>(z));
      for (std::size_t sector = 0; sector < t.S; ++sector)
        for (std::int64_t j = 0; j < per_field[sector]; ++j) {
          const AgentId person = s.ids.talent++;
          if (!holds(s.shard, person)) continue;
          s.talent.push(person, static_cast<std::uint8_t>(z), sc.region.research_skill,
                        static_cast<std::uint8_t>(sector), institute);
        }
      s.institutes.researchers.back() = static_cast<std::int32_t>(staff);
    }
  }
}

void initial_prices_and_policies(ModelState& s) {
  const Scenario& sc = s.scenario;
  const RegionTables& t = s.tables;
  ZoneFields& f = s.fields;
  f.wage_index = Vector(t.Z);
  f.rent = Vector(t.Z);
  f.amenity = t.base_amenity;
  f.amenity_built = Vector::Zero(t.Z);
  f.floor_capacity = t.floor_capacity;
  for (std::size_t z = 0; z < t.Z; ++z) {
    f.wage_index(z) = sc.zones[z].wage_index;
    f.rent(z) = sc.zones[z].initial_rent;
  }
  // Everyone starts judging cells by the job-finding rate at the target tightness.
  const double start_rate = job_finding_rate(
      1.0, sc.labour.target_tightness, sc.labour.match_efficiency, sc.labour.match_elasticity);
  f.job_rate = Matrix::Constant(t.Z, t.S, start_rate);
  f.tightness = Vector::Constant(t.Z, sc.labour.target_tightness);

  Jurisdictions& g = s.gov;
  g.offer = Matrix(t.J, t.S);
  for (std::size_t j = 0; j < t.J; ++j) {
    // A jurisdiction courts the sectors planned for its zones: its offer per sector scales with
    // the ownership-weighted planned specialisation of the land it owns.
    Vector fit = Vector::Zero(t.S);
    double land = 0;
    for (std::size_t z = 0; z < t.Z; ++z) {
      fit += t.ownership(z, j) * t.specialisation.row(z).transpose();
      land += t.ownership(z, j);
    }
    if (land > 0) fit /= land;
    const double mean_fit = fit.mean();
    for (std::size_t k = 0; k < t.S; ++k)
      g.offer(j, k) = sc.jurisdictions[j].initial_offer * (1.0 + fit(k)) / (1.0 + mean_fit);
  }
  g.pending_offer = g.offer;
  g.budget.resize(t.J);
  for (std::size_t j = 0; j < t.J; ++j)
    g.budget[j] = to_money(sc.jurisdictions[j].initial_budget * sc.run.scale);
  g.direction.assign(t.J, 1.0);
  g.last_score.assign(t.J, 0.0);
  g.period_gdp.assign(t.J, 0);
  g.period_tax.assign(t.J, 0);
  g.prev_period_gdp.assign(t.J, 0);
  g.prev_period_tax.assign(t.J, 0);
  g.period_subsidies.assign(t.J, 0);
  g.score.assign(t.J, 0.0);
  g.tax_base_z.assign(t.Z, 0);
  g.gdp_base_z.assign(t.Z, 0);
  g.prev_credit_tax_z.assign(t.Z, 0);
  g.prev_credit_gdp_z.assign(t.Z, 0);
}

// Each initial firm's TFP is set so that its drawn size is its desired size where it stands, at
// month-0 wages and location multipliers: desired L* = (alpha theta M / w)^(1/(1-alpha)) = L gives
// theta = w L^(1-alpha) / (alpha M). The sector parameter (productivity_for_size) put firms at
// their size only in an average location: at month 0 of the baseline the core's firms wanted
// 20-50 % fewer staff and the New Economy zone's 3-11 % more, a drift from month 1 that no policy
// caused. A core-traction spillover in force at month 0 is taken out of M, so the inversion sees
// the same prices in every scenario of a region (FirmSize.InitialTfpIsTheSameUnderEveryLever).
void start_firms_at_their_desired_size(ModelState& s) {
  const RegionTables& t = s.tables;
  const double alpha = s.scenario.firms.alpha;
  const Vector mix_wage = s.fields.wage * t.skill_share;
  const Vector gain = core_traction_on(inputs_of(s))
                          ? platform_spillover(inputs_of(s), s.fields.researchers)
                          : Vector::Ones(t.Z);
  FirmStore& f = s.firms;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const std::size_t z = f.zone[i];
    const double m = s.fields.multiplier(z, f.sector[i]) / gain(z);
    f.tfp[i] = tfp_for_desired_size(alpha, static_cast<double>(f.employees[i]), m, mix_wage(z));
  }
}

// Reference levels that make location multipliers average 1 at the start, so a sector's
// productivity parameter is the TFP of an average location in month 0; they are measured on the
// month-0 population, so prices are set twice: once to measure, once with the references.
void calibrate(ModelState& s) {
  const RegionTables& t = s.tables;
  Calibration& c = s.calibration;
  StepFlows flows(t);
  aggregate(inputs_of(s), s.talent, s.firms, s.ids.firm, s.fields, flows.roster);
  c.agglomeration_ref = Matrix(1, t.S);
  for (std::size_t k = 0; k < t.S; ++k) {
    double total = 0;
    for (std::size_t z = 0; z < t.Z; ++z)
      total += static_cast<double>(s.fields.employment(z, k));
    c.agglomeration_ref(0, k) = total / static_cast<double>(t.Z) + 1.0;
  }
  c.multiplier_norm = 1.0;
  update_fields(inputs_of(s), s.gov.promotion, s.fields);
  double weighted = 0, weight = 0;
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t k = 0; k < t.S; ++k) {
      const auto e = static_cast<double>(s.fields.employment(z, k));
      weighted += e * s.fields.multiplier(z, k);
      weight += e;
    }
  c.multiplier_norm = weight > 0 ? weighted / weight : 1.0;
  // A core-traction spillover in force at month 0 is a policy effect, not part of the average
  // location: take it out of the norm.
  if (core_traction_on(inputs_of(s))) {
    const Vector gain = platform_spillover(inputs_of(s), s.fields.researchers);
    weighted = 0;
    for (std::size_t z = 0; z < t.Z; ++z)
      for (std::size_t k = 0; k < t.S; ++k)
        weighted +=
            static_cast<double>(s.fields.employment(z, k)) * s.fields.multiplier(z, k) / gain(z);
    c.multiplier_norm = weight > 0 ? weighted / weight : 1.0;
  }
  double rent_weighted = 0;
  for (std::size_t z = 0; z < t.Z; ++z)
    rent_weighted += static_cast<double>(s.fields.employed(z)) * s.fields.rent(z);
  c.rent_ref = weight > 0 ? rent_weighted / weight : 1.0;
  update_fields(inputs_of(s), s.gov.promotion, s.fields);
  start_firms_at_their_desired_size(s);
  c.arrival_index0 = Grid<double, dim::Skill, dim::Sector>(t);
  for (std::size_t k = 0; k < t.K; ++k)
    for (std::size_t sector = 0; sector < t.S; ++sector)
      c.arrival_index0(k, sector) = arrival_attractiveness(view_of(s), k, sector, nullptr);
}

}  // namespace

void initialise(ModelState& s) {
  s.tables = build_tables(s.scenario);
  place_firms_and_talent(s);
  place_institutes(s);
  std::vector<std::int64_t> built{static_cast<std::int64_t>(s.talent.size()),
                                  static_cast<std::int64_t>(s.firms.size())};
  sum_over_shards(s.shard, built);  // each shard built its own
  s.calibration.initial_talent = built[0];
  s.calibration.initial_firms = built[1];
  initial_prices_and_policies(s);
  calibrate(s);
}

}  // namespace regionsim
