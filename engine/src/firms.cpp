// Firm decisions of the month: production, wages, rent and tax; exit after sustained losses or
// by hazard; relocation by logit over zones; labour demand (vacancies and layoffs).
#include <algorithm>
#include <cmath>
#include <limits>

#include "assert.hpp"
#include "parallel.hpp"
#include "phases.hpp"
#include "policies.hpp"

namespace regionsim {

namespace {

// Layout of the per-thread counters of this phase.
struct FirmCounterLayout {
  std::size_t Z, S, J;
  std::size_t output(std::size_t z, std::size_t s) const { return z * S + s; }
  std::size_t exits(std::size_t z, std::size_t s) const { return Z * S + z * S + s; }
  std::size_t subsidy(std::size_t z, std::size_t s) const { return 2 * Z * S + z * S + s; }
  std::size_t tax(std::size_t z) const { return 3 * Z * S + z; }
  std::size_t move(std::size_t from, std::size_t to, std::size_t s) const {
    return 3 * Z * S + Z + (from * Z + to) * S + s;
  }
  std::size_t credit_tax(std::size_t z) const { return 3 * Z * S + Z + Z * Z * S + z; }
  std::size_t credit_gdp(std::size_t z) const { return 3 * Z * S + 2 * Z + Z * Z * S + z; }
  std::size_t finder_tax(std::size_t j) const { return 3 * Z * S + 3 * Z + Z * Z * S + j; }
  std::size_t finder_gdp(std::size_t j) const { return 3 * Z * S + 3 * Z + Z * Z * S + J + j; }
  std::size_t size() const { return 3 * Z * S + 3 * Z + Z * Z * S + 2 * J; }
};

// Credits a firm's tax (or value added) to zones and finders: under joint promotion the
// jurisdiction that found a new firm gets its finder's share for some years; under a sharing rule
// a firm that moved gives its origin zone the origin share for some years; the rest stays where
// the firm is.
struct Crediting {
  const ModelState& s;
  bool finder_on;
  std::int64_t finder_months;
  double finder_share;

  Money credit(std::vector<std::int64_t>& local, std::size_t i, Money amount, double firm_tax,
               const SharingRule& rule, std::size_t zone_slot0, std::size_t finder_slot0) const {
    const FirmStore& firms = s.firms;
    Money rest = amount;
    if (finder_on && firms.finder[i] != kNoJurisdiction &&
        s.month - firms.entry_step[i] < finder_months) {
      const Money part = share_of(amount, finder_share);
      local[finder_slot0 + firms.finder[i]] += part;
      rest -= part;
    }
    const bool split = in_force(rule.start_month, s.month) &&
                       firms.moved_step[i] >= rule.start_month && firms.moved_step[i] < s.month &&
                       s.month - firms.moved_step[i] < months_of(rule.origin_years) &&
                       firms.origin_zone[i] != firms.zone[i] && firm_tax >= rule.origin_min_tax;
    if (split) {
      const Money part = share_of(rest, rule.origin_share);
      local[zone_slot0 + firms.origin_zone[i]] += part;
      rest -= part;
    }
    local[zone_slot0 + firms.zone[i]] += rest;
    return rest;
  }
};

}  // namespace

void firm_decisions(ModelState& s, StepFlows& f) {
  const RegionTables& t = s.tables;
  const FirmParams& p = s.scenario.firms;
  const ZoneFields& zf = s.fields;
  FirmStore& firms = s.firms;
  const auto step = static_cast<std::uint32_t>(s.month);
  const FirmCounterLayout at{t.Z, t.S, t.J};
  const Crediting crediting{s, joint_promotion_on(s),
                            months_of(s.scenario.joint_promotion.finder_years),
                            s.scenario.joint_promotion.finder_share};
  // Under joint promotion's shared database, moves within the region may no longer be courted.
  const double relocation_offer =
      joint_promotion_on(s) && !s.scenario.joint_promotion.subsidise_relocations ? 0.0 : 1.0;
  Counters counters(at.size());
  tbb::enumerable_thread_specific<std::vector<double>> utilities(std::vector<double>(t.Z));
  const double inv_labour_share = 1.0 / (1.0 - p.alpha);
  constexpr double kMaxDesired = 1e6;  // guards pow() against absurd parameter mixes

  // The going wage per employee in each zone, at the region's skill mix.
  const Vector mix_wage = zf.wage * t.skill_share;

  parallel_count(firms.size(), counters, [&](std::size_t i, std::vector<std::int64_t>& local) {
    const std::size_t z = firms.zone[i];
    const std::size_t sector = firms.sector[i];
    const double labour = firms.employees[i];
    // Firms pay the zone's going wage for the region's skill mix: who exactly a small firm happens
    // to have hired does not swing its costs (and so its desired size) by tens of percent.
    const double wage_bill = labour * mix_wage(z);
    const double value_added =
        labour > 0 ? firms.tfp[i] * zf.multiplier(z, sector) * std::pow(labour, p.alpha) : 0.0;
    const double profit = value_added - wage_bill - zf.rent(z) * labour;
    const double vat = p.vat_rate * value_added;
    const double tax = vat + p.cit_rate * std::max(0.0, profit - vat);
    const Money value_added_yuan = to_money(value_added);
    const Money tax_yuan = to_money(tax);
    local[at.output(z, sector)] += value_added_yuan;
    local[at.tax(z)] += tax_yuan;
    crediting.credit(local, i, tax_yuan, tax, s.scenario.tax_sharing, at.credit_tax(0),
                     at.finder_tax(0));
    crediting.credit(local, i, value_added_yuan, tax, s.scenario.statistics_sharing,
                     at.credit_gdp(0), at.finder_gdp(0));
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
      std::vector<double>& utility = utilities.local();
      for (std::size_t c = 0; c < t.Z; ++c) {
        const bool full = c != z && zf.floor_occupancy(c) >= 1.0;
        utility[c] =
            full ? -std::numeric_limits<double>::infinity()
                 : firm_zone_utility(s, c, sector, relocation_offer, 1.0) -
                       (c != z ? p.reloc_move_cost + p.reloc_beta_travel * t.travel(z, c) : 0.0);
      }
      const int choice =
          logit_choice(utility, s.rng.uniform(Purpose::kFirmRelocChoice, firms.id[i], step));
      REGIONSIM_ASSERT(choice >= 0, "firm relocation choice without an alternative (staying?)");
      dest = static_cast<std::size_t>(choice);
    }
    if (dest != z) {
      firms.origin_zone[i] = static_cast<std::uint8_t>(z);
      firms.zone[i] = static_cast<std::uint8_t>(dest);
      firms.moved_step[i] = static_cast<std::int32_t>(s.month);
      ++local[at.move(z, dest, sector)];
      local[at.subsidy(dest, sector)] += to_money(relocation_offer * zf.offer(dest, sector));
    }

    // Labour demand where the firm now stands: desired employment equates the marginal product
    // of labour with the going wage; the gap closes gradually (search and firing costs).
    const double wage_here = mix_wage(dest);
    const double desired = std::min(
        kMaxDesired, std::pow(p.alpha * firms.tfp[i] * zf.multiplier(dest, sector) / wage_here,
                              inv_labour_share));
    double gap = desired - labour;
    const bool ramping_up =
        firms.entry_step[i] >= 0 && s.month - firms.entry_step[i] <= 12 && labour < p.project_size;
    double posted = gap > 0 ? std::ceil(p.hire_adjust * gap) : 0.0;
    if (ramping_up) posted = std::max(posted, std::ceil(p.project_size - labour));
    firms.vacancies[i] = static_cast<std::int32_t>(posted);
    firms.layoff_prob[i] =
        gap < 0 && labour > 0 ? std::min(1.0, p.layoff_adjust * (-gap) / labour) : 0.0;
  });

  const auto sums = counters.sum();
  for (std::size_t j = 0; j < t.J; ++j) {
    f.finder_tax_j[j] = sums[at.finder_tax(j)];
    f.finder_gdp_j[j] = sums[at.finder_gdp(j)];
  }
  for (std::size_t z = 0; z < t.Z; ++z) {
    f.tax_z[z] = sums[at.tax(z)];
    f.credit_tax_z[z] = sums[at.credit_tax(z)];
    f.credit_gdp_z[z] = sums[at.credit_gdp(z)];
    for (std::size_t k = 0; k < t.S; ++k) {
      f.output_zs[z * t.S + k] = sums[at.output(z, k)];
      f.exits_zs[z * t.S + k] = sums[at.exits(z, k)];
      f.subsidy_zs[z * t.S + k] = sums[at.subsidy(z, k)];
      for (std::size_t to = 0; to < t.Z; ++to)
        f.firm_moves_zzs[(z * t.Z + to) * t.S + k] = sums[at.move(z, to, k)];
    }
  }
}

}  // namespace regionsim
