// The month's record: stocks counted from the agent stores after the month, flows from the
// scratch. Counts stay integers and money stays in yuan.
#include <algorithm>
#include <limits>

#include "indicators.hpp"
#include "parallel.hpp"
#include "promotion.hpp"
#include "record.hpp"
#include "shards.hpp"
#include "size_classes.hpp"

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

namespace {

// Packages in force per zone (what the fields hold for next month's decisions: the record shows
// the packages in force at the end of the month), the latest decision's convergence. (Contracts
// with payments still due are counted in the firm pass of record_stocks.)
void record_promotion_stocks(const ModelState& s, StepOutputs& out) {
  const RegionTables& t = s.tables;
  const Promotion& pr = s.gov.promotion;
  const std::size_t n = t.Z * t.S * kTargets;
  out.offer_settlement.assign(n, 0.0);
  out.offer_refund_scale.assign(n, 0.0);
  out.offer_rent_discount.assign(n, 0.0);
  const PackagesInForce& in = pr.in_force;
  for (std::size_t p = 0; p < in.promoters(); ++p)
    for (std::size_t z = 0; z < t.Z; ++z) {
      const double w = in.setter[p * t.Z + z];
      if (!(w > 0)) continue;
      for (std::size_t k = 0; k < t.S; ++k)
        for (std::size_t g = 0; g < kTargets; ++g) {
          const OfferPackage& q = in.packages.at(p, k, static_cast<OfferTarget>(g));
          const std::size_t i = (z * t.S + k) * kTargets + g;
          out.offer_settlement[i] += w * q.settlement;
          out.offer_refund_scale[i] += w * q.refund_scale;
          out.offer_rent_discount[i] += w * q.rent_discount;
        }
    }
  out.committee_zone.assign(t.Z, 0);
  out.committee_active = 0;
  for (std::size_t p = 0; p < in.promoters(); ++p) {
    if (in.committee[p] != kSeparationCommittee) continue;
    out.committee_active = 1;
    for (std::size_t z = 0; z < t.Z; ++z)
      if (in.setter[p * t.Z + z] > 0) out.committee_zone[z] = 1;
  }
  out.decision_converged = pr.decision_converged ? 1 : 0;
  out.decision_iterations = pr.decision_iterations;
}

// Spending by instrument, and the month's moves split into those the packages made happen
// (expected, from the choice probabilities) and the rest.
void record_promotion_flows(const ModelState& s, const StepFlows& f, StepOutputs& out) {
  const RegionTables& t = s.tables;
  const GovernmentFlows& g = f.government;
  out.promotion_spending.assign(t.J * kInstruments, 0);
  for (std::size_t j = 0; j < t.J; ++j) {
    out.promotion_spending[j * kInstruments + 0] = g.settlement_paid_j[j];
    out.promotion_spending[j * kInstruments + 1] = g.refund_paid_j[j];
    out.promotion_spending[j * kInstruments + 2] = g.rent_paid_j[j];
  }
  out.promotion_spending_within = g.within_paid_j;
  out.committee_spending = g.committee_paid_j;
  const std::vector<std::int64_t>& nano = f.firms.induced_nano.values();
  const std::vector<std::int64_t>& moves = f.firms.moves.values();
  out.relocations_induced.resize(nano.size());
  out.relocations_other.resize(nano.size());
  for (std::size_t i = 0; i < nano.size(); ++i) {
    out.relocations_induced[i] = static_cast<double>(nano[i]) * 1e-9;
    out.relocations_other[i] = static_cast<double>(moves[i]) - out.relocations_induced[i];
  }
  out.paper_relocations = f.firms.paper_moves.values();
  out.paper_relocations_induced.clear();
  for (const std::int64_t v : f.firms.paper_induced_nano.values())
    out.paper_relocations_induced.push_back(static_cast<double>(v) * 1e-9);
}

// Whether firm i holds a contract with payments still due this month.
struct ContractsDue {
  const ModelState& s;
  std::int64_t refund_months = 0, rent_months = 0;

  explicit ContractsDue(const ModelState& state) : s(state) {
    const InstrumentTerms terms = instrument_terms(s.scenario);
    for (const RefundStage& stage : terms.refund_stages)
      refund_months += months_in(stage.years);
    rent_months = months_in(terms.rent_years);
  }
  bool operator()(std::size_t i) const {
    const Promotion& pr = s.gov.promotion;
    const AgentId id = s.firms.id[i];
    if (id >= pr.contract_of.size() || pr.contract_of[id] < 0) return false;
    const Contract& c = pr.contracts[static_cast<std::size_t>(pr.contract_of[id])];
    const std::int64_t since = s.month - c.month;  // months paid so far, this one included
    return (c.package.refund_scale > 0 && since < refund_months) ||
           (c.package.rent_discount > 0 && since < rent_months);
  }
};

// Every firm-side stock, counted in one parallel pass over the firms (integers: the same sums in
// any order and on any number of threads).
struct FirmStocks {
  ZoneSector<std::int64_t> firms, employment, hte;
  std::vector<std::int64_t> registered_elsewhere, firms_by_size, employment_by_size,
      contracts_active;

  explicit FirmStocks(const Extents& e)
      : firms(e),
        employment(e),
        hte(e),
        registered_elsewhere(e.Z, 0),
        firms_by_size(e.Z * kSizeClassBounds.size(), 0),
        employment_by_size(e.Z * kSizeClassBounds.size(), 0),
        contracts_active(e.Z, 0) {}
  FirmStocks& operator+=(const FirmStocks& o) {
    firms += o.firms;
    employment += o.employment;
    hte += o.hte;
    add(registered_elsewhere, o.registered_elsewhere);
    add(firms_by_size, o.firms_by_size);
    add(employment_by_size, o.employment_by_size);
    add(contracts_active, o.contracts_active);
    return *this;
  }
  // Every count summed over the shards, in one message.
  void sum_over(ShardComm* shard) {
    sum_over_shards(shard,
                    {&firms.values(), &employment.values(), &hte.values(), &registered_elsewhere,
                     &firms_by_size, &employment_by_size, &contracts_active});
  }

 private:
  static void add(std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
    for (std::size_t i = 0; i < a.size(); ++i)
      a[i] += b[i];
  }
};

struct TalentStocks {
  ZoneSkill<std::int64_t> employed, seeking;

  explicit TalentStocks(const Extents& e) : employed(e), seeking(e) {}
  TalentStocks& operator+=(const TalentStocks& o) {
    employed += o.employed;
    seeking += o.seeking;
    return *this;
  }
};

}  // namespace

StepOutputs record_stocks(const ModelState& s) {
  const RegionTables& t = s.tables;
  StepOutputs out;
  out.month = s.month - 1;
  out.zones = t.Z;
  out.sectors = t.S;
  out.skills = t.K;
  out.jurisdictions = t.J;
  const std::size_t classes = kSizeClassBounds.size();
  const ContractsDue contract_due(s);
  FirmStocks fs =
      parallel_sum(s.firms.size(), FirmStocks(t), [&](std::size_t i, FirmStocks& local) {
        const std::size_t z = s.firms.zone[i], sector = s.firms.sector[i];
        const std::int32_t employees = s.firms.employees[i];
        if (s.firms.reg_zone[i] != z) ++local.registered_elsewhere[z];
        ++local.firms(z, sector);
        local.hte(z, sector) += s.firms.hte[i];
        local.employment(z, sector) += employees;
        const std::size_t cell = z * classes + size_class_of(employees);
        ++local.firms_by_size[cell];
        local.employment_by_size[cell] += employees;
        if (contract_due(i)) ++local.contracts_active[z];
      });
  // A sharded run's shards each counted the firms they hold.
  fs.sum_over(s.shard);
  out.firms = fs.firms.values();
  out.employment = fs.employment.values();
  out.hte_firms = fs.hte.values();
  out.registered_elsewhere = std::move(fs.registered_elsewhere);
  out.firms_by_size = std::move(fs.firms_by_size);
  out.employment_by_size = std::move(fs.employment_by_size);
  out.contracts_active = std::move(fs.contracts_active);
  // Employed and seeking people per zone x skill, counted per thread and summed (integers).
  TalentStocks stocks =
      parallel_sum(s.talent.size(), TalentStocks(t), [&](std::size_t i, TalentStocks& local) {
        ++(s.talent.employer[i] == kNoFirm ? local.seeking : local.employed)(s.talent.zone[i],
                                                                             s.talent.skill[i]);
      });
  sum_grid_over_shards(s.shard, stocks.employed, stocks.seeking);
  out.talent_employed = stocks.employed.values();
  out.talent_seeking = stocks.seeking.values();
  out.wage.assign(t.Z, 0.0);
  out.rent.assign(t.Z, 0.0);
  for (std::size_t z = 0; z < t.Z; ++z) {
    std::int64_t employed = 0;
    double paid = 0;
    for (std::size_t k = 0; k < t.K; ++k) {
      employed += stocks.employed(z, k);
      paid += static_cast<double>(stocks.employed(z, k)) * s.fields.wage(z, k);
    }
    out.wage[z] = employed > 0 ? paid / static_cast<double>(employed)
                               : s.fields.wage.row(z).dot(t.skill_share);
    out.rent[z] = s.fields.rent(z);
  }
  out.floor_capacity.assign(s.fields.floor_capacity.data(), s.fields.floor_capacity.data() + t.Z);
  out.floor_occupancy.assign(t.Z, 0.0);
  for (std::size_t z = 0; z < t.Z; ++z) {
    std::int64_t jobs = 0;
    for (std::size_t k = 0; k < t.S; ++k)
      jobs += out.employment[z * t.S + k];
    out.floor_occupancy[z] = static_cast<double>(jobs) / std::max(out.floor_capacity[z], 1.0);
  }
  out.budget = s.gov.budget;
  out.score = s.gov.score;
  out.subsidy_offer.assign(s.gov.offer.data(), s.gov.offer.data() + s.gov.offer.size());
  record_promotion_stocks(s, out);
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
  out.vacancies = f.labour.vacancies.values();
  out.firm_entries = f.entries.entries.values();
  out.firm_exits = f.firms.exits.values();
  out.output = f.firms.output.values();
  out.talent_arrivals = f.entries.arrivals.values();
  out.talent_departures = f.talent.departures.values();
  out.tax_collected = f.firms.tax.values();
  out.subsidies_received = f.government.subsidies_received_z;
  ZoneZone<std::int64_t> firm_relocations(t), talent_relocations(t);
  for (std::size_t a = 0; a < t.Z; ++a)
    for (std::size_t b = 0; b < t.Z; ++b) {
      for (std::size_t k = 0; k < t.S; ++k)
        firm_relocations(a, b) += f.firms.moves(a, b, k);
      for (std::size_t k = 0; k < t.K; ++k)
        talent_relocations(a, b) += f.talent.moves(a, b, k);
    }
  out.firm_relocations = firm_relocations.values();
  out.talent_relocations = talent_relocations.values();
  out.tax_attributed = f.government.tax_attributed_j;
  out.gdp_attributed = f.government.gdp_attributed_j;
  out.subsidies_paid = f.government.subsidies_paid_j;
  out.amenity_spending = f.government.amenity_spending_j;
  out.land_lease_revenue = f.government.land_revenue_j;
  out.floor_supplied = f.government.floor_supplied_z;
  out.spinoffs_zs = f.institutes.spinoffs.values();
  out.spinoffs.assign(t.Z, 0);
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t k = 0; k < t.S; ++k)
      out.spinoffs[z] += f.institutes.spinoffs(z, k);
  out.innovations = f.institutes.innovations.values();
  out.transfers = f.institutes.transfers.values();

  for (std::size_t a = 0; a < t.Z; ++a)
    for (std::size_t b = 0; b < t.Z; ++b)
      if (a != b) out.zero_sum_relocations += firm_relocations(a, b);
  const std::int64_t net_new_firms = out.total_firms() - s.calibration.initial_firms;
  out.subsidy_per_net_new_firm =
      net_new_firms > 0 ? to_mcny(s.gov.cumulative_subsidies) / static_cast<double>(net_new_firms)
                        : std::numeric_limits<double>::quiet_NaN();
  const ZoneSkillView<std::int64_t> employed(out.talent_employed, t),
      seeking(out.talent_seeking, t);
  std::vector<double> output_z(t.Z, 0.0), residents_z(t.Z, 0.0);
  for (std::size_t z = 0; z < t.Z; ++z) {
    for (std::size_t k = 0; k < t.S; ++k)
      output_z[z] += to_mcny(f.firms.output(z, k));
    for (std::size_t k = 0; k < t.K; ++k)
      residents_z[z] += static_cast<double>(employed(z, k) + seeking(z, k));
  }
  out.theil_output = theil_index(output_z, residents_z);
  record_promotion_flows(s, f, out);
  return out;
}

}  // namespace regionsim
