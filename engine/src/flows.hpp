// The month's flows, one struct per phase: what a phase writes besides its own agents, read by
// later phases, the accounting checks and the record. Flows a phase adds up per thread (firms,
// talent, aggregation) hold integers only, counts and yuan, so their sum is the same whatever the
// thread count; Grid's += refuses anything else.
#pragma once

#include <cstdint>
#include <vector>

#include "agent_stores.hpp"
#include "grid.hpp"
#include "money.hpp"
#include "promotion_state.hpp"

namespace regionsim {

// Who works where at the start of the month, counted from the talent side (aggregate).
struct Roster {
  std::vector<std::int32_t> employer_idx;  // talent -> firm slot, -1 if seeking or a researcher
                                           // (32 bits like firm_slot: half the bytes per person)
  std::vector<std::int32_t> firm_slot;     // firm id -> slot this month, -1 if none
};

struct FirmFlows {
  ZoneSector<std::int64_t> output;  // value added, yuan
  ZoneSector<std::int64_t> exits;
  ZoneSector<Money> relocation_subsidies;  // promised to firms moving in
  ZoneZoneSector<std::int64_t> moves;
  PerZone<Money> tax;                             // collected where the firms stand
  PerZone<Money> credit_tax, credit_gdp;          // credited to zones after origin splits
  PerJurisdiction<Money> finder_tax, finder_gdp;  // credited directly to finders
  // Refund and rent payments on contracts this month, by payer, and received in each zone.
  PerJurisdiction<Money> refund_paid, rent_paid;
  PerJurisdiction<Money> within_paid;     // of which on contracts signed by firms moving within
  PerJurisdiction<Money> committee_paid;  // of which on contracts a separation committee signed
  PerZone<Money> contract_payments;
  // Expected moves the within-region packages made happen: sum over reviewing firms of
  // P(move | packages) - P(move | none), in units of 1e-9 moves (integers: thread-independent).
  ZoneZoneSector<std::int64_t> induced_nano;
  // Paper relocations (registration only) by destination zone, and the expected number the
  // within packages made happen (units of 1e-9 moves, as induced_nano).
  PerZone<std::int64_t> paper_moves, paper_induced_nano;
  // Per zone x sector x size class: firms producing, their tax, value added and rent bill (yuan):
  // the cell aggregates promotion decisions use.
  std::vector<std::int64_t> cell_firms;
  std::vector<Money> cell_tax, cell_gdp, cell_rent;
  // The firms whose move (real or on paper) was admitted this month, in id order, where they now
  // stand and are registered: the within-region contracts signed after the month are theirs.
  struct Moved {
    AgentId id;
    std::uint8_t reg_zone, zone, sector;
  };
  std::vector<Moved> moved;

  FirmFlows() = default;
  explicit FirmFlows(const Extents& e)
      : output(e),
        exits(e),
        relocation_subsidies(e),
        moves(e),
        tax(e),
        credit_tax(e),
        credit_gdp(e),
        finder_tax(e),
        finder_gdp(e),
        refund_paid(e),
        rent_paid(e),
        within_paid(e),
        committee_paid(e),
        contract_payments(e),
        induced_nano(e),
        paper_moves(e),
        paper_induced_nano(e),
        cell_firms(e.Z * e.S * kPromotionClasses, 0),
        cell_tax(cell_firms.size(), 0),
        cell_gdp(cell_firms.size(), 0),
        cell_rent(cell_firms.size(), 0) {}
  FirmFlows& operator+=(const FirmFlows& o) {
    output += o.output;
    exits += o.exits;
    relocation_subsidies += o.relocation_subsidies;
    moves += o.moves;
    tax += o.tax;
    credit_tax += o.credit_tax;
    credit_gdp += o.credit_gdp;
    finder_tax += o.finder_tax;
    finder_gdp += o.finder_gdp;
    refund_paid += o.refund_paid;
    rent_paid += o.rent_paid;
    within_paid += o.within_paid;
    committee_paid += o.committee_paid;
    contract_payments += o.contract_payments;
    induced_nano += o.induced_nano;
    paper_moves += o.paper_moves;
    paper_induced_nano += o.paper_induced_nano;
    for (std::size_t c = 0; c < cell_firms.size(); ++c) {
      cell_firms[c] += o.cell_firms[c];
      cell_tax[c] += o.cell_tax[c];
      cell_gdp[c] += o.cell_gdp[c];
      cell_rent[c] += o.cell_rent[c];
    }
    return *this;
  }
  // Calls fn on every total's integers, in a fixed order (a sharded run sums them over shards).
  template <class F>
  void for_each_total(F&& fn) {
    fn(output.values()), fn(exits.values()), fn(relocation_subsidies.values());
    fn(moves.values()), fn(tax.values()), fn(credit_tax.values()), fn(credit_gdp.values());
    fn(finder_tax.values()), fn(finder_gdp.values()), fn(refund_paid.values());
    fn(rent_paid.values()), fn(within_paid.values()), fn(committee_paid.values());
    fn(contract_payments.values()), fn(induced_nano.values()), fn(paper_moves.values());
    fn(paper_induced_nano.values()), fn(cell_firms), fn(cell_tax), fn(cell_gdp), fn(cell_rent);
  }
};

struct TalentFlows {
  ZoneSkill<std::int64_t> departures;  // left the region
  ZoneZoneSkill<std::int64_t> moves;

  TalentFlows() = default;
  explicit TalentFlows(const Extents& e) : departures(e), moves(e) {}
  TalentFlows& operator+=(const TalentFlows& o) {
    departures += o.departures;
    moves += o.moves;
    return *this;
  }
};

// People who left each employer this month (left the region, moved zone, laid off, or their
// firm exited), counted by the talent phase with integer atomics and taken off the employers'
// own counts by settle_separations.
struct Separations {
  std::vector<std::int32_t> firm;       // per firm slot
  std::vector<std::int32_t> institute;  // per institute slot
};

struct InstituteFlows {
  PerZone<std::int64_t> hires;  // researchers hired
  PerZone<std::int64_t> innovations;
  ZoneZone<std::int64_t> transfers;  // from the institute's zone to the receiving firm's
  ZoneSector<std::int64_t> spinoffs;
  // What the month's innovations do to firms, in the order they were made: applied by
  // adopt_innovations.
  struct Spinoff {
    std::uint8_t zone, sector;
    double tfp;
  };
  std::vector<AgentId> transferred_to;  // receiving firm of each transfer
  std::vector<Spinoff> spun_off;

  InstituteFlows() = default;
  explicit InstituteFlows(const Extents& e) : hires(e), innovations(e), transfers(e), spinoffs(e) {}
};

struct LabourFlows {
  ZoneSector<std::int64_t> hires, seekers, vacancies;
  PerZone<std::int64_t> floor_room;  // free worker places before matching (hires fit in them)

  LabourFlows() = default;
  explicit LabourFlows(const Extents& e) : hires(e), seekers(e), vacancies(e), floor_room(e) {}
};

struct EntryFlows {
  ZoneSector<std::int64_t> entries;   // incoming investment projects settled
  ZoneSector<Money> entry_subsidies;  // settlement subsidies paid to them
  ZoneSkill<std::int64_t> arrivals;   // talent from outside
  // The projects settled, in creation order (their contracts are signed after the month).
  struct Project {
    AgentId id;
    std::uint8_t zone, sector;
  };
  std::vector<Project> projects;

  EntryFlows() = default;
  explicit EntryFlows(const Extents& e) : entries(e), entry_subsidies(e), arrivals(e) {}
};

// The jurisdictions' books of the month (yuan).
struct GovernmentFlows {
  std::vector<Money> tax_attributed_j, gdp_attributed_j, subsidies_paid_j;  // J
  std::vector<Money> amenity_spending_j;                                    // J
  std::vector<Money> other_spending_j;  // J: outside promotion, after any cut at the debt floor
  std::vector<Money> settlement_paid_j, refund_paid_j, rent_paid_j;  // J
  std::vector<Money> settlement_unpaid_j;   // J: settlements promised but cut at the debt floor
  std::vector<Money> within_paid_j;         // J: of the above, for firms moving within the region
  std::vector<Money> committee_paid_j;      // J: of the above, on packages of separation committees
  std::vector<Money> subsidies_received_z;  // Z
  std::vector<Money> land_revenue_j;        // J: land-lease revenue of the floor supplied
  std::vector<std::int64_t> floor_supplied_z;  // Z: worker places of floor supplied

  GovernmentFlows() = default;
  explicit GovernmentFlows(const Extents& e)
      : tax_attributed_j(e.J, 0),
        gdp_attributed_j(e.J, 0),
        subsidies_paid_j(e.J, 0),
        amenity_spending_j(e.J, 0),
        other_spending_j(e.J, 0),
        settlement_paid_j(e.J, 0),
        refund_paid_j(e.J, 0),
        rent_paid_j(e.J, 0),
        settlement_unpaid_j(e.J, 0),
        within_paid_j(e.J, 0),
        committee_paid_j(e.J, 0),
        subsidies_received_z(e.Z, 0),
        land_revenue_j(e.J, 0),
        floor_supplied_z(e.Z, 0) {}
};

struct StepFlows {
  Roster roster;
  FirmFlows firms;
  TalentFlows talent;
  Separations separations;
  InstituteFlows institutes;
  LabourFlows labour;
  EntryFlows entries;
  GovernmentFlows government;

  StepFlows() = default;
  explicit StepFlows(const Extents& e)
      : firms(e), talent(e), institutes(e), labour(e), entries(e), government(e) {}
};

}  // namespace regionsim
