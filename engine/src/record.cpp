// The month's record: stocks counted from the agent stores after the month, flows from the
// scratch. Counts stay integers and money stays in yuan.
#include <algorithm>
#include <limits>

#include "indicators.hpp"
#include "parallel.hpp"
#include "phases.hpp"

namespace regionsim {

std::int64_t StepOutputs::total_talent() const {
  std::int64_t n = 0;
  for (std::size_t i = 0; i < talent_employed.size(); ++i)
    n += talent_employed[i] + talent_seeking[i];
  return n;
}

std::int64_t StepOutputs::total_firms() const {
  std::int64_t n = 0;
  for (auto v : firms)
    n += v;
  return n;
}

StepOutputs record_stocks(const ModelState& s) {
  const RegionTables& t = s.tables;
  StepOutputs out;
  out.month = s.month - 1;
  out.zones = t.Z;
  out.sectors = t.S;
  out.skills = t.K;
  out.jurisdictions = t.J;
  out.firms.assign(t.Z * t.S, 0);
  out.employment.assign(t.Z * t.S, 0);
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    const std::size_t cell = s.firms.zone[i] * t.S + s.firms.sector[i];
    ++out.firms[cell];
    out.employment[cell] += s.firms.employees[i];
  }
  out.talent_employed.assign(t.Z * t.K, 0);
  out.talent_seeking.assign(t.Z * t.K, 0);
  // Employed cells first, seeking cells after them, counted per thread and summed (integers).
  Counters talent(2 * t.Z * t.K);
  parallel_count(s.talent.size(), talent, [&](std::size_t i, std::vector<std::int64_t>& local) {
    const std::size_t cell = s.talent.zone[i] * t.K + s.talent.skill[i];
    ++local[(s.talent.employer[i] == kNoFirm ? t.Z * t.K : 0) + cell];
  });
  const auto counts = talent.sum();
  std::copy_n(counts.begin(), t.Z * t.K, out.talent_employed.begin());
  std::copy_n(counts.begin() + static_cast<std::ptrdiff_t>(t.Z * t.K), t.Z * t.K, out.talent_seeking.begin());
  out.wage.assign(t.Z, 0.0);
  out.rent.assign(t.Z, 0.0);
  for (std::size_t z = 0; z < t.Z; ++z) {
    std::int64_t employed = 0;
    double paid = 0;
    for (std::size_t k = 0; k < t.K; ++k) {
      employed += out.talent_employed[z * t.K + k];
      paid += static_cast<double>(out.talent_employed[z * t.K + k]) * s.fields.wage(z, k);
    }
    out.wage[z] = employed > 0 ? paid / static_cast<double>(employed)
                               : s.fields.wage.row(z).dot(t.skill_share);
    out.rent[z] = s.fields.rent(z);
  }
  out.budget = s.gov.budget;
  out.score = s.gov.score;
  out.subsidy_offer.assign(s.gov.offer.data(), s.gov.offer.data() + s.gov.offer.size());
  out.institute_researchers.assign(t.Z, 0);
  for (std::size_t i = 0; i < s.institutes.size(); ++i)
    out.institute_researchers[s.institutes.zone[i]] += s.institutes.researchers[i];
  out.amenity.assign(s.fields.amenity.data(), s.fields.amenity.data() + t.Z);
  out.specialisation_index = krugman_index(out.employment, t.Z, t.S);
  return out;
}

StepOutputs record(const ModelState& s, const StepFlows& f) {
  const RegionTables& t = s.tables;
  StepOutputs out = record_stocks(s);
  out.month = s.month;
  out.vacancies = f.vacancies_zs;
  out.firm_entries = f.entries_zs;
  out.firm_exits = f.exits_zs;
  out.output = f.output_zs;
  out.talent_arrivals = f.arrivals_zk;
  out.talent_departures = f.departures_zk;
  out.tax_collected = f.tax_z;
  out.subsidies_received = f.subsidies_received_z;
  out.firm_relocations.assign(t.Z * t.Z, 0);
  out.talent_relocations.assign(t.Z * t.Z, 0);
  for (std::size_t pair = 0; pair < t.Z * t.Z; ++pair) {
    for (std::size_t k = 0; k < t.S; ++k)
      out.firm_relocations[pair] += f.firm_moves_zzs[pair * t.S + k];
    for (std::size_t k = 0; k < t.K; ++k)
      out.talent_relocations[pair] += f.talent_moves_zzk[pair * t.K + k];
  }
  out.tax_attributed = f.tax_attributed_j;
  out.gdp_attributed = f.gdp_attributed_j;
  out.subsidies_paid = f.subsidies_paid_j;
  out.amenity_spending = f.amenity_spending_j;
  out.spinoffs_zs = f.spinoffs_zs;
  out.spinoffs.assign(t.Z, 0);
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t k = 0; k < t.S; ++k)
      out.spinoffs[z] += f.spinoffs_zs[z * t.S + k];
  out.innovations = f.innovations_z;
  out.transfers = f.transfers_zz;

  for (std::size_t a = 0; a < t.Z; ++a)
    for (std::size_t b = 0; b < t.Z; ++b)
      if (a != b) out.zero_sum_relocations += out.firm_relocations[a * t.Z + b];
  const std::int64_t net_new_firms = out.total_firms() - t.initial_firms;
  out.subsidy_per_net_new_firm =
      net_new_firms > 0 ? to_mcny(s.gov.cumulative_subsidies) / static_cast<double>(net_new_firms)
                        : std::numeric_limits<double>::quiet_NaN();
  std::vector<double> output_z(t.Z, 0.0), residents_z(t.Z, 0.0);
  for (std::size_t z = 0; z < t.Z; ++z) {
    for (std::size_t k = 0; k < t.S; ++k)
      output_z[z] += to_mcny(out.output[z * t.S + k]);
    for (std::size_t k = 0; k < t.K; ++k)
      residents_z[z] +=
          static_cast<double>(out.talent_employed[z * t.K + k] + out.talent_seeking[z * t.K + k]);
  }
  out.theil_output = theil_index(output_z, residents_z);
  return out;
}

}  // namespace regionsim
