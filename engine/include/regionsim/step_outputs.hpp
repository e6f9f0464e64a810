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
  std::vector<std::int64_t> output;  // value added, yuan
  // zone x skill
  std::vector<std::int64_t> talent_employed, talent_seeking, talent_arrivals, talent_departures;
  // zone
  std::vector<double> wage;  // mean monthly wage of the employed, mCNY (zone wage index if none)
  std::vector<double> rent;  // mCNY per worker place per month
  std::vector<std::int64_t> tax_collected, subsidies_received;  // yuan
  // zone_from x zone_to
  std::vector<std::int64_t> firm_relocations, talent_relocations;
  // jurisdiction
  std::vector<std::int64_t> tax_attributed, gdp_attributed, subsidies_paid, budget;  // yuan

  std::int64_t total_talent() const;
  std::int64_t total_firms() const;
};

}  // namespace regionsim
