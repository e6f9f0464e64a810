// What one simulated month reports: the recorder writes it, the accounting checks read it.
// Dense row-major arrays; counts stay integers and money stays fixed point (yuan) until here.
#pragma once

#include <cstdint>
#include <vector>

namespace regionsim {

struct StepOutputs {
  std::int64_t month = 0;  // 0-based month index this record closes
  std::size_t zones = 0, sectors = 0, skills = 0, jurisdictions = 0;

  // zone x sector
  std::vector<std::int64_t> firms, employment, vacancies, firm_entries, firm_exits;
  std::vector<std::int64_t> output;     // value added, yuan
  std::vector<std::int64_t> hte_firms;  // high-tech enterprises
  // zone x size_class (size_classes.hpp)
  std::vector<std::int64_t> firms_by_size, employment_by_size;
  // zone x skill
  std::vector<std::int64_t> talent_employed, talent_seeking, talent_arrivals, talent_departures;
  // zone
  std::vector<double> wage;  // mean monthly wage of the employed, mCNY (zone wage index if none)
  std::vector<double> rent;  // mCNY per worker place per month
  std::vector<std::int64_t> tax_collected, subsidies_received;  // yuan
  std::vector<double> floor_capacity;        // worker places at the end of the month
  std::vector<double> floor_occupancy;       // employees of the zone's firms / floor capacity
  std::vector<std::int64_t> floor_supplied;  // worker places supplied in the month
  // zone_from x zone_to
  std::vector<std::int64_t> firm_relocations, talent_relocations;
  // jurisdiction
  std::vector<std::int64_t> tax_attributed, gdp_attributed, subsidies_paid, budget;  // yuan
  std::vector<std::int64_t> amenity_spending;                                        // yuan
  std::vector<std::int64_t> land_lease_revenue;                                      // yuan
  std::vector<double> score;          // latest review's score
  std::vector<double> subsidy_offer;  // jurisdiction x sector, mCNY per firm, in force
  // innovation chain
  std::vector<std::int64_t> spinoffs_zs;                                   // zone x sector
  std::vector<std::int64_t> innovations, spinoffs, institute_researchers;  // zone
  std::vector<std::int64_t> transfers;                                     // zone_from x zone_to
  // strategic promotion (docs/model.md §14)
  // zone x sector x target (outside, within): the package in force in the zone
  std::vector<double> offer_settlement, offer_refund_scale, offer_rent_discount;
  // zone_from x zone_to x sector: expected moves the within packages made happen, and the rest
  std::vector<double> relocations_induced, relocations_other;
  // zone: paper relocations (registration only) into the zone, and those the within packages
  // made happen (expected); firms active in the zone registered in another
  std::vector<std::int64_t> paper_relocations;
  std::vector<double> paper_relocations_induced;
  std::vector<std::int64_t> registered_elsewhere;
  std::vector<std::int64_t> promotion_spending;         // jurisdiction x instrument, yuan
  std::vector<std::int64_t> promotion_spending_within;  // jurisdiction: on moves within, yuan
  std::vector<std::int64_t> contracts_active;           // zone: firms with payments still due
  std::int64_t decision_converged = 1;                  // of the latest decision, 0/1
  // separation's management committees (docs/model.md §14.8)
  std::int64_t committee_active = 0;             // 1 if a committee's packages are in force
  std::vector<std::int64_t> committee_zone;      // zone: 1 if a committee sets its packages
  std::vector<std::int64_t> committee_spending;  // jurisdiction: on committee packages, yuan
  std::int64_t decision_iterations = 0;          // of the latest decision
  // region-level indicators
  std::vector<double> amenity;               // zone: amenity index in force
  std::vector<double> specialisation_index;  // zone: Krugman index against the rest
  std::int64_t zero_sum_relocations = 0;     // firm moves between zones of the region
  double subsidy_per_net_new_firm = 0;       // cumulative subsidies / net new firms (NaN if <= 0)
  double theil_output = 0;                   // Theil index of output across zones vs residents

  std::int64_t total_talent() const;
  std::int64_t total_firms() const;
};

}  // namespace regionsim
