// Firm decisions of the month: production, wages, rent and tax; exit after sustained losses or
// by hazard; relocation by logit over zones; labour demand (vacancies and layoffs).
#include <algorithm>
#include <cmath>
#include <limits>

#include "parallel.hpp"
#include "phases.hpp"

namespace regionsim {

namespace {

// Layout of the per-thread counters of this phase.
struct FirmCounterLayout {
  std::size_t Z, S;
  std::size_t output(std::size_t z, std::size_t s) const { return z * S + s; }
  std::size_t exits(std::size_t z, std::size_t s) const { return Z * S + z * S + s; }
  std::size_t subsidy(std::size_t z, std::size_t s) const { return 2 * Z * S + z * S + s; }
  std::size_t tax(std::size_t z) const { return 3 * Z * S + z; }
  std::size_t move(std::size_t from, std::size_t to, std::size_t s) const {
    return 3 * Z * S + Z + (from * Z + to) * S + s;
  }
  std::size_t size() const { return 3 * Z * S + Z + Z * Z * S; }
};

}  // namespace

void firm_decisions(ModelState& s, StepFlows& f) {
  const RegionTables& t = s.tables;
  const FirmParams& p = s.scenario.firms;
  const ZoneFields& zf = s.fields;
  FirmStore& firms = s.firms;
  const auto step = static_cast<std::uint32_t>(s.month);
  const FirmCounterLayout at{t.Z, t.S};
  Counters counters(at.size());
  const double inv_labour_share = 1.0 / (1.0 - p.alpha);
  constexpr double kMaxDesired = 1e6;  // guards pow() against absurd parameter mixes

  // Mean wage of a new hire in each zone, at the region's skill mix.
  const Vector mix_wage = zf.wage * t.skill_share;

  parallel_over(firms.size(), [&](std::size_t i) {
    auto& local = counters.local();
    const std::size_t z = firms.zone[i];
    const std::size_t sector = firms.sector[i];
    const double labour = firms.employees[i];
    double wage_bill = 0;
    for (std::size_t k = 0; k < t.K; ++k) wage_bill += f.emp_skill[i * t.K + k] * zf.wage(z, k);
    const double value_added = labour > 0 ? firms.tfp[i] * zf.multiplier(z, sector) * std::pow(labour, p.alpha) : 0.0;
    const double profit = value_added - wage_bill - zf.rent(z) * labour;
    const double vat = p.vat_rate * value_added;
    const double tax = vat + p.cit_rate * std::max(0.0, profit - vat);
    local[at.output(z, sector)] += to_money(value_added);
    local[at.tax(z)] += to_money(tax);
    firms.loss_months[i] = profit - tax < 0 ? firms.loss_months[i] + 1 : 0;

    const bool exits = firms.loss_months[i] >= p.loss_months_exit ||
                       s.rng.uniform(Purpose::kFirmExit, firms.id[i], step) < p.exit_hazard;
    if (exits) {
      firms.exiting[i] = 1;
      firms.vacancies[i] = 0;
      firms.layoff_prob[i] = 0;
      ++local[at.exits(z, sector)];
      return;
    }

    std::size_t dest = z;
    if (s.rng.uniform(Purpose::kFirmRelocGate, firms.id[i], step) < p.relocation_consider) {
      double utility[256];
      for (std::size_t c = 0; c < t.Z; ++c) {
        const bool full = c != z && zf.floor_occupancy(c) >= 1.0;
        utility[c] = full ? -std::numeric_limits<double>::infinity()
                          : firm_zone_utility(s, c, sector) -
                                (c != z ? p.reloc_move_cost + p.reloc_beta_travel * t.travel(z, c) : 0.0);
      }
      const int choice = logit_choice({utility, t.Z}, s.rng.uniform(Purpose::kFirmRelocChoice, firms.id[i], step));
      dest = static_cast<std::size_t>(choice);
    }
    if (dest != z) {
      firms.origin_zone[i] = static_cast<std::uint8_t>(z);
      firms.zone[i] = static_cast<std::uint8_t>(dest);
      firms.moved_step[i] = static_cast<std::int32_t>(s.month);
      ++local[at.move(z, dest, sector)];
      local[at.subsidy(dest, sector)] += to_money(zf.offer(dest, sector));
    }

    // Labour demand where the firm now stands: desired employment equates the marginal product
    // of labour with the firm's mean wage; the gap closes gradually (search and firing costs).
    const double own_wage = labour > 0 ? wage_bill / labour : mix_wage(z);
    const double wage_here = own_wage * zf.wage_index(dest) / zf.wage_index(z);
    const double desired = std::min(
        kMaxDesired, std::pow(p.alpha * firms.tfp[i] * zf.multiplier(dest, sector) / wage_here, inv_labour_share));
    double gap = desired - labour;
    const bool ramping_up = firms.entry_step[i] >= 0 && s.month - firms.entry_step[i] <= 12 && labour < p.project_size;
    double posted = gap > 0 ? std::ceil(p.hire_adjust * gap) : 0.0;
    if (ramping_up) posted = std::max(posted, std::ceil(p.project_size - labour));
    firms.vacancies[i] = static_cast<std::int32_t>(posted);
    firms.layoff_prob[i] = gap < 0 && labour > 0 ? std::min(1.0, p.layoff_adjust * (-gap) / labour) : 0.0;
  });

  const auto sums = counters.sum();
  for (std::size_t z = 0; z < t.Z; ++z) {
    f.tax_z[z] = sums[at.tax(z)];
    for (std::size_t k = 0; k < t.S; ++k) {
      f.output_zs[z * t.S + k] = sums[at.output(z, k)];
      f.exits_zs[z * t.S + k] = sums[at.exits(z, k)];
      f.subsidy_zs[z * t.S + k] = sums[at.subsidy(z, k)];
      for (std::size_t to = 0; to < t.Z; ++to) f.firm_moves_zzs[(z * t.Z + to) * t.S + k] = sums[at.move(z, to, k)];
    }
  }
}

}  // namespace regionsim
