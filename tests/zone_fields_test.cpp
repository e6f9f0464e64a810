// Prices and fields (engine/src/zone_fields.cpp) against docs/model.md §4, each expected value
// written out from the documented equation: the wage and rent rules with their monthly clamp and
// the location multiplier (agglomeration, input-output access, knowledge spillovers, normalised to
// average 1 at month 0). Deterministic rules: agreement to 1e-12 (relative).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "phases.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

using Prepared = testing::PreparedMonth;

double clamp5(double x) {
  return std::clamp(x, -0.05, 0.05);
}

TEST(Prices, WageAndRentFollowTheirRulesIncludingTheClamp) {
  Prepared p(testing::small_baseline());
  ModelState& s = p.state;
  const LabourParams& lp = s.scenario.labour;
  const std::size_t Z = s.tables.Z;
  // Tightness and floor capacity chosen to put zones on both sides of the targets and both
  // clamps (θ = 0 also exercises the 10⁻³ floor).
  const std::vector<double> theta = {0.0, 0.2, lp.target_tightness, 1.5, 40.0};
  std::vector<double> wage_before(Z), rent_before(Z), occupancy(Z);
  for (std::size_t z = 0; z < Z; ++z) {
    s.fields.tightness(z) = theta[z % theta.size()];
    const double wanted = lp.target_occupancy * (0.2 + 0.45 * static_cast<double>(z));
    s.fields.floor_capacity(z) = static_cast<double>(s.fields.employed(z)) / wanted;
    occupancy[z] = static_cast<double>(s.fields.employed(z)) / s.fields.floor_capacity(z);
    wage_before[z] = s.fields.wage_index(z);
    rent_before[z] = s.fields.rent(z);
  }
  s.month = 5;
  update_fields(inputs_of(s), s.gov.promotion, s.fields);
  int clamped = 0;
  for (std::size_t z = 0; z < Z; ++z) {
    // ln W ← ln W + clamp(λ_w ln(max(θ, 10⁻³)/θ*), ±0.05)
    const double w_step =
        lp.wage_adjust * std::log(std::max(theta[z % theta.size()], 1e-3) / lp.target_tightness);
    EXPECT_NEAR(s.fields.wage_index(z), wage_before[z] * std::exp(clamp5(w_step)),
                1e-12 * wage_before[z])
        << "zone " << z;
    // ln r ← ln r + clamp(λ_r (O/O* − 1), ±0.05)
    const double r_step = lp.rent_adjust * (occupancy[z] / lp.target_occupancy - 1.0);
    EXPECT_NEAR(s.fields.rent(z), rent_before[z] * std::exp(clamp5(r_step)), 1e-12 * rent_before[z])
        << "zone " << z;
    for (std::size_t k = 0; k < s.tables.K; ++k)
      EXPECT_NEAR(s.fields.wage(z, k), s.fields.wage_index(z) * s.scenario.skills[k].base_wage,
                  1e-12 * s.fields.wage(z, k));
    clamped += std::abs(w_step) > 0.05;
    clamped += std::abs(r_step) > 0.05;
  }
  EXPECT_GT(clamped, 0);  // the clamp was exercised
}

TEST(Prices, WagesAndRentsHoldInTheFirstMonth) {
  Prepared p(testing::small_baseline());
  const Vector wages = p.state.fields.wage_index, rents = p.state.fields.rent;
  p.state.fields.tightness.setConstant(10.0);
  update_fields(inputs_of(p.state), p.state.gov.promotion, p.state.fields);
  for (std::size_t z = 0; z < p.state.tables.Z; ++z) {
    EXPECT_EQ(p.state.fields.wage_index(z), wages(z));
    EXPECT_EQ(p.state.fields.rent(z), rents(z));
  }
}

// M_{z,s} = G·IO·K / M̄ with
//   G = ((E_{z,s}+1)/Ē_s)^γ,  IO = 1 + δ Σ_{s'} a_{s',s} Acc_{z,s'},
//   Acc_{z,s'} = Σ_{z'} e^{−τ/τ₀} E_{z',s'} / (Σ_{z'} E_{z',s'} + 1),  K = 1 + κ Σ_{z'} e^{−τ/τ₀}
//   σ_{z'},
// Ē_s = mean initial employment of s per zone + 1, M̄ the employment-weighted mean of G·IO·K at
// month 0.
TEST(LocationMultiplier, MatchesTheDocumentedEquationAndAveragesOneAtTheStart) {
  Prepared p(testing::small_baseline({"run.scale=0.05"}));
  const Scenario& sc = p.state.scenario;
  const ZoneFields& f = p.state.fields;
  const std::size_t Z = sc.zones.size(), S = sc.sectors.size();
  auto E = [&](std::size_t z, std::size_t s) { return static_cast<double>(f.employment(z, s)); };
  auto decay = [&](std::size_t a, std::size_t b) {
    return std::exp(-sc.travel_minutes[a][b] / sc.firms.decay_minutes);
  };
  std::vector<double> raw(Z * S);
  double weighted = 0, weight = 0;
  for (std::size_t z = 0; z < Z; ++z) {
    double knowledge = 1.0;
    for (std::size_t y = 0; y < Z; ++y)
      knowledge += sc.firms.spillover * decay(z, y) * sc.zones[y].science;
    for (std::size_t s = 0; s < S; ++s) {
      double mean = 0;
      for (std::size_t y = 0; y < Z; ++y)
        mean += E(y, s);
      const double ref = mean / static_cast<double>(Z) + 1.0;
      const double agglomeration = std::pow((E(z, s) + 1.0) / ref, sc.firms.agglomeration);
      double io = 1.0;
      for (std::size_t supplier = 0; supplier < S; ++supplier) {
        double reach = 0, total = 0;
        for (std::size_t y = 0; y < Z; ++y) {
          reach += decay(z, y) * E(y, supplier);
          total += E(y, supplier);
        }
        io += sc.firms.io_strength * sc.sectors[s].inputs[supplier] * reach / (total + 1.0);
      }
      raw[z * S + s] = agglomeration * io * knowledge;
      weighted += E(z, s) * raw[z * S + s];
      weight += E(z, s);
    }
  }
  const double norm = weighted / weight;
  double mean_multiplier = 0;
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t s = 0; s < S; ++s) {
      EXPECT_NEAR(f.multiplier(z, s), raw[z * S + s] / norm, 1e-12 * f.multiplier(z, s))
          << "zone " << z << " sector " << s;
      mean_multiplier += E(z, s) * f.multiplier(z, s) / weight;
    }
  EXPECT_NEAR(mean_multiplier, 1.0, 1e-12);
}

// docs/model.md §4: under core traction every sector's multiplier in zone z is multiplied by
//   P_z = (1 + φ (R_c / R̄_c) e^{−τ_{z,c}(1 − ϱ)/τ₀})^{ε_R},
// R̄_c = institutes in the core at the run's scale × institutes.researchers; M̄ excludes P, so the
// ratio to the same month without the lever is P_z exactly. Checked at the start and with the
// core's researchers halved (the term follows the researchers, not a fixed index).
TEST(CoreTraction, SpilloverFollowsTheCoresResearchersWithinReach) {
  const std::vector<std::string> lever = {"core_traction.start_month=0",
                                          "core_traction.platform_access=0.6",
                                          "core_traction.spillover_elasticity=0.15"};
  Prepared off(testing::small_baseline());
  Prepared on(testing::small_baseline(lever));
  const Scenario& sc = on.state.scenario;
  const CoreTraction& ct = sc.core_traction;
  const std::size_t Z = sc.zones.size(), S = sc.sectors.size(), core = sc.region.core_zone;
  const double institutes =
      std::max(1.0, std::round(sc.zones[core].institutes * sc.run.scale));  // scale 0.01: 1
  const double planned = institutes * std::round(sc.institutes.researchers);
  EXPECT_EQ(on.state.calibration.multiplier_norm, off.state.calibration.multiplier_norm);
  for (const double cut : {1.0, 0.5}) {
    for (Prepared* p : {&off, &on}) {
      p->state.fields.researchers(core) = static_cast<std::int64_t>(
          std::llround(cut * static_cast<double>(off.state.fields.researchers(core))));
      update_fields(inputs_of(p->state), p->state.gov.promotion, p->state.fields);
    }
    const double researchers = static_cast<double>(on.state.fields.researchers(core));
    ASSERT_GT(researchers, 0.0);
    for (std::size_t z = 0; z < Z; ++z) {
      const double reach =
          std::exp(-sc.travel_minutes[z][core] * (1.0 - ct.travel_relief) / sc.firms.decay_minutes);
      const double gain = std::pow(1.0 + ct.platform_access * researchers / planned * reach,
                                   ct.spillover_elasticity);
      for (std::size_t s = 0; s < S; ++s)
        EXPECT_NEAR(on.state.fields.multiplier(z, s), off.state.fields.multiplier(z, s) * gain,
                    1e-12 * gain)
            << "zone " << z << " sector " << s << " researchers x" << cut;
    }
  }
}

}  // namespace
}  // namespace regionsim
