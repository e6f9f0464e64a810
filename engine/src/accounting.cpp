// Accounting identities, checked every month with --check and always in tests. All sides are
// integers (counts, yuan), so the identities hold exactly or the engine has a bug.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "accounting.hpp"
#include "government.hpp"
#include "land.hpp"
#include "promotion.hpp"
#include "regionsim/simulation.hpp"
#include "shards.hpp"

namespace regionsim {

namespace {

class Checker {
 public:
  Checker(const ModelState& s, std::int64_t month) : s_(s), month_(month) {}
  void equal(const std::string& identity, std::int64_t lhs, std::int64_t rhs) const {
    if (lhs == rhs) return;
    std::ostringstream msg;
    msg << "accounting identity broken in month " << month_ << " (scenario '" << s_.scenario.name
        << "'): " << identity << ": left side " << lhs << ", right side " << rhs;
    throw AccountingError(msg.str());
  }
  std::string zone(std::size_t z) const { return s_.scenario.zones[z].name; }
  std::string sector(std::size_t k) const { return s_.scenario.sectors[k].name; }
  std::string skill(std::size_t k) const { return s_.scenario.skills[k].name; }
  std::string jurisdiction(std::size_t j) const { return s_.scenario.jurisdictions[j].name; }

 private:
  const ModelState& s_;
  std::int64_t month_;
};

// Net moves into zone z of category k (sector or skill).
template <typename Moves>
std::int64_t net_moves_in(const Moves& moves, std::size_t z, std::size_t k) {
  std::int64_t net = 0;
  for (std::size_t y = 0; y < moves.extent(0); ++y)
    net += moves(y, z, k) - moves(z, y, k);
  return net;
}

}  // namespace

void check_accounting(const ModelState& s, const StepOutputs& before, const StepOutputs& after,
                      const StepFlows& f) {
  const RegionTables& t = s.tables;
  const Checker check(s, after.month);

  const ZoneSectorView<std::int64_t> firms_before(before.firms, t), firms_after(after.firms, t);
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t k = 0; k < t.S; ++k)
      check.equal("firms[" + check.zone(z) + "," + check.sector(k) +
                      "] = before + entries + spin-offs - exits + moves in - out",
                  firms_after(z, k),
                  firms_before(z, k) + f.entries.entries(z, k) + f.institutes.spinoffs(z, k) -
                      f.firms.exits(z, k) + net_moves_in(f.firms.moves, z, k));
  const ZoneSkillView<std::int64_t> employed_before(before.talent_employed, t),
      seeking_before(before.talent_seeking, t), employed_after(after.talent_employed, t),
      seeking_after(after.talent_seeking, t);
  for (std::size_t z = 0; z < t.Z; ++z)
    for (std::size_t k = 0; k < t.K; ++k)
      check.equal("talent[" + check.zone(z) + "," + check.skill(k) +
                      "] = before + arrivals - departures + moves in - out",
                  employed_after(z, k) + seeking_after(z, k),
                  employed_before(z, k) + seeking_before(z, k) + f.entries.arrivals(z, k) -
                      f.talent.departures(z, k) + net_moves_in(f.talent.moves, z, k));

  // Firms' own employee counts, and institutes' researcher counts, against the people who name
  // them as employer, zone by zone.
  const ZoneSectorView<std::int64_t> employment(after.employment, t);
  std::vector<std::int64_t> at_firms(t.Z, 0), at_institutes(t.Z, 0), employed(t.Z, 0);
  for (std::size_t i = 0; i < s.talent.size(); ++i) {
    if (s.talent.employer[i] == kNoFirm) continue;
    ++(is_institute(s.talent.employer[i]) ? at_institutes : at_firms)[s.talent.zone[i]];
  }
  sum_over_shards(s.shard, at_firms);
  sum_over_shards(s.shard, at_institutes);
  for (std::size_t z = 0; z < t.Z; ++z) {
    std::int64_t firm_side = 0;
    for (std::size_t k = 0; k < t.S; ++k)
      firm_side += employment(z, k);
    for (std::size_t k = 0; k < t.K; ++k)
      employed[z] += employed_after(z, k);
    check.equal("employment[" + check.zone(z) +
                    "]: firms' employee counts = talent employed by firms there",
                firm_side, at_firms[z]);
    check.equal("researchers[" + check.zone(z) +
                    "]: institutes' counts = talent employed by institutes there",
                after.institute_researchers[z], at_institutes[z]);
    check.equal("talent_employed[" + check.zone(z) + "] = employed by firms + by institutes",
                employed[z], at_firms[z] + at_institutes[z]);
  }

  // Land: hires never exceed a zone's free floor, and the owners' land-lease revenue is the
  // revenue of the floor supplied in the zones.
  const ZoneSectorView<std::int64_t> hires(f.labour.hires.values(), t);
  Money lease_zones = 0, lease_owners = 0;
  for (std::size_t z = 0; z < t.Z; ++z) {
    std::int64_t hired = 0;
    for (std::size_t k = 0; k < t.S; ++k)
      hired += hires(z, k);
    check.equal("hires[" + check.zone(z) + "] <= free floor before matching (worker places)",
                std::min(hired, f.labour.floor_room(z)), hired);
    lease_zones += lease_revenue(s.scenario.land, after.floor_supplied[z]);
  }
  // Neither hiring nor firms moving in take a zone's employment above its floor capacity (or, if
  // it started the month above it, above where it started).
  const ZoneSectorView<std::int64_t> employment_before(before.employment, t);
  for (std::size_t z = 0; z < t.Z; ++z) {
    std::int64_t jobs_before = 0, jobs_after = 0;
    for (std::size_t k = 0; k < t.S; ++k) {
      jobs_before += employment_before(z, k);
      jobs_after += employment(z, k);
    }
    const std::int64_t limit =
        std::max(jobs_before, static_cast<std::int64_t>(std::floor(before.floor_capacity[z])));
    check.equal("employment[" + check.zone(z) +
                    "] <= max(floor capacity, employment at the start of the month)",
                std::min(jobs_after, limit), jobs_after);
  }
  for (auto v : after.land_lease_revenue)
    lease_owners += v;
  check.equal("land-lease revenue of jurisdictions = revenue of the floor supplied in zones (yuan)",
              lease_owners, lease_zones);

  Money collected = 0, attributed = 0, output = 0, gdp = 0, received = 0, paid = 0, promised = 0;
  for (auto v : after.tax_collected)
    collected += v;
  for (auto v : after.tax_attributed)
    attributed += v;
  for (auto v : after.output)
    output += v;
  for (auto v : after.gdp_attributed)
    gdp += v;
  for (auto v : after.subsidies_received)
    received += v;
  for (auto v : after.subsidies_paid)
    paid += v;
  for (auto v : f.firms.relocation_subsidies)
    promised += v;
  for (auto v : f.entries.entry_subsidies)
    promised += v;
  for (auto v : f.firms.contract_payments)
    promised += v;
  Money unpaid = 0;  // settlements cut at the debt floor (§14.7)
  for (auto v : f.government.settlement_unpaid_j)
    unpaid += v;
  check.equal("sum of tax attributed to jurisdictions = sum of tax collected in zones (yuan)",
              attributed, collected);
  check.equal("sum of GDP attributed to jurisdictions = sum of output in zones (yuan)", gdp,
              output);
  check.equal("subsidies paid by jurisdictions = subsidies received in zones (yuan)", paid,
              received);
  check.equal(
      "subsidies received in zones + settlements cut at the debt floor = settlement subsidies to "
      "entering and relocating firms + refund and rent payments on contracts (yuan)",
      received + unpaid, promised);
  for (std::size_t j = 0; j < t.J; ++j) {
    check.equal(
        "budget[" + check.jurisdiction(j) +
            "] = before + tax attributed + land-lease revenue - other spending - subsidies - "
            "amenity spending (yuan)",
        after.budget[j],
        before.budget[j] + after.tax_attributed[j] + after.land_lease_revenue[j] -
            f.government.other_spending_j[j] - after.subsidies_paid[j] - after.amenity_spending[j]);
    // The debt floor holds every month unless contract payments and committed park-city spending
    // alone break it, in which case all spending outside promotion and every settlement of the
    // month have been cut (§14.7).
    const Money floor = -debt_limit(s.scenario, j);
    const bool all_cut =
        f.government.other_spending_j[j] == 0 && f.government.settlement_paid_j[j] == 0;
    if (!all_cut)
      check.equal("budget[" + check.jurisdiction(j) + "] >= -debt_limit (yuan)",
                  std::max(after.budget[j], floor), after.budget[j]);
    check.equal("settlement cut[" + check.jurisdiction(j) + "] >= 0 (yuan)",
                std::max<Money>(f.government.settlement_unpaid_j[j], 0),
                f.government.settlement_unpaid_j[j]);
    check.equal("other spending[" + check.jurisdiction(j) +
                    "] <= spending_share x tax attributed (cut only at the debt floor)",
                std::min(f.government.other_spending_j[j],
                         other_spending(s.scenario.government, after.tax_attributed[j])),
                f.government.other_spending_j[j]);
    check.equal("subsidies paid[" + check.jurisdiction(j) + "] = settlement + refund + rent (yuan)",
                after.subsidies_paid[j],
                f.government.settlement_paid_j[j] + f.government.refund_paid_j[j] +
                    f.government.rent_paid_j[j]);
  }
}

// Firm-side employee counts maintained incrementally against a recount from the talent side:
// catches a missed increment or decrement the month it happens.
void check_employee_counts(const ModelState& s, const Roster& roster) {
  const Checker check(s, s.month);
  std::vector<std::int64_t> named(s.firms.size(), 0);
  for (std::size_t i = 0; i < s.talent.size(); ++i)
    if (roster.employer_idx[i] >= 0) ++named[static_cast<std::size_t>(roster.employer_idx[i])];
  // A firm's staff sit on its shard (holds_person): the shard's own people name all of them.
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    const std::int64_t counted = named[i];
    if (counted != s.firms.employees[i])
      check.equal(
          "employees of firm " + std::to_string(s.firms.id[i]) + " = talent naming it as employer",
          s.firms.employees[i], counted);
  }
}

}  // namespace regionsim
