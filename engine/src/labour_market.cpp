// Zone x sector labour matching between seekers and the firms posting vacancies, cell by cell in
// parallel with the shared matching mechanism (matching.hpp), then the job-finding rates and
// tightness people and wages react to.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "matching.hpp"
#include "parallel.hpp"
#include "phases.hpp"

namespace regionsim {

// Weight of the latest month in the smoothed job-finding rate (a half-life of about two months).
constexpr double kJobRateSmoothing = 0.3;

void match_labour(ModelState& s, StepFlows& f) {
  const RegionTables& t = s.tables;
  const LabourParams& p = s.scenario.labour;
  TalentStore& talent = s.talent;
  FirmStore& firms = s.firms;
  const auto step = static_cast<std::uint32_t>(s.month);
  const std::size_t cells = t.Z * t.S;

  // Counting sort of seekers and hiring firms into cells, each cell in id order.
  std::vector<std::size_t> seeker_start(cells + 1, 0), firm_start(cells + 1, 0);
  for (std::size_t i = 0; i < talent.size(); ++i)
    if (talent.alive[i] && talent.employer[i] == kNoFirm)
      ++seeker_start[talent.zone[i] * t.S + talent.sector[i] + 1];
  for (std::size_t i = 0; i < firms.size(); ++i)
    if (!firms.exiting[i] && firms.vacancies[i] > 0)
      ++firm_start[firms.zone[i] * t.S + firms.sector[i] + 1];
  std::partial_sum(seeker_start.begin(), seeker_start.end(), seeker_start.begin());
  std::partial_sum(firm_start.begin(), firm_start.end(), firm_start.begin());
  std::vector<std::size_t> seekers(seeker_start[cells]), hiring(firm_start[cells]);
  {
    auto fill = seeker_start;
    for (std::size_t i = 0; i < talent.size(); ++i)
      if (talent.alive[i] && talent.employer[i] == kNoFirm)
        seekers[fill[talent.zone[i] * t.S + talent.sector[i]]++] = i;
    fill = firm_start;
    for (std::size_t i = 0; i < firms.size(); ++i)
      if (!firms.exiting[i] && firms.vacancies[i] > 0)
        hiring[fill[firms.zone[i] * t.S + firms.sector[i]]++] = i;
  }

  parallel_chunks(cells, 1, [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t cell = range.begin(); cell != range.end(); ++cell) {
      const std::span<std::size_t> cell_seekers(seekers.data() + seeker_start[cell],
                                                seeker_start[cell + 1] - seeker_start[cell]);
      const std::span<std::size_t> cell_firms(hiring.data() + firm_start[cell],
                                              firm_start[cell + 1] - firm_start[cell]);
      std::vector<std::int32_t> posted(cell_firms.size());
      for (std::size_t m = 0; m < cell_firms.size(); ++m)
        posted[m] = firms.vacancies[cell_firms[m]];
      const CellMatch match =
          match_cell(cell_seekers.size(), posted, p.match_efficiency, p.match_elasticity,
                     s.rng.uniform(Purpose::kMatchRound, cell, step), [&](std::size_t m) {
                       return s.rng.uniform(Purpose::kMatchOrder, talent.id[cell_seekers[m]], step);
                     });
      f.seekers_zs[cell] = static_cast<std::int64_t>(cell_seekers.size());
      f.vacancies_zs[cell] = match.vacancies;
      f.hires_zs[cell] = match.hires;
      if (match.hires == 0) continue;
      std::size_t next = 0;
      for (std::size_t m = 0; m < cell_firms.size(); ++m) {
        const std::size_t firm = cell_firms[m];
        for (std::int64_t h = 0; h < match.per_employer[m]; ++h)
          talent.employer[cell_seekers[match.hired[next++]]] = firms.id[firm];
        firms.employees[firm] += static_cast<std::int32_t>(match.per_employer[m]);
        firms.vacancies[firm] -= static_cast<std::int32_t>(match.per_employer[m]);
      }
    }
  });

  // Job-finding rates and tightness that people and wages react to next month.
  for (std::size_t z = 0; z < t.Z; ++z) {
    std::int64_t open = 0, looking = 0;
    for (std::size_t k = 0; k < t.S; ++k) {
      const std::size_t cell = z * t.S + k;
      open += f.vacancies_zs[cell];
      looking += f.seekers_zs[cell];
      // People judge a cell by its expected job-finding rate (the matching function, not the
      // realised draw) smoothed over months: small cells would otherwise swing between 0 and 1.
      if (f.seekers_zs[cell] > 0) {
        const double expected = job_finding_rate(static_cast<double>(f.seekers_zs[cell]),
                                                 static_cast<double>(f.vacancies_zs[cell]),
                                                 p.match_efficiency, p.match_elasticity);
        s.fields.job_rate(z, k) += kJobRateSmoothing * (expected - s.fields.job_rate(z, k));
      }
    }
    s.fields.tightness(z) =
        static_cast<double>(open) / static_cast<double>(std::max<std::int64_t>(looking, 1));
  }
}

}  // namespace regionsim
