// Zone x sector labour matching. In each cell the number of hires follows a Cobb-Douglas matching
// function of seekers and vacancies; who is hired is decided by a per-seeker draw (the H lowest
// draws win, ties by id), and the hires are apportioned to firms by their vacancies. Both sides
// are resolved from cell totals and id-keyed draws, so no agent-to-agent exchange is needed and
// the result is the same in any order.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "apportion.hpp"
#include "labour_market.hpp"
#include "parallel.hpp"
#include "phases.hpp"

namespace regionsim {

std::int64_t matching_hires(std::int64_t seekers, std::int64_t vacancies, double efficiency,
                            double elasticity, double u) {
  if (seekers <= 0 || vacancies <= 0) return 0;
  const double expected = efficiency * std::pow(static_cast<double>(seekers), elasticity) *
                          std::pow(static_cast<double>(vacancies), 1.0 - elasticity);
  // Stochastic rounding keeps small cells from being stuck at zero hires.
  const double whole = std::floor(expected);
  const auto hires = static_cast<std::int64_t>(whole) + (u < expected - whole ? 1 : 0);
  return std::min({hires, seekers, vacancies});
}

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
      std::int64_t open = 0;
      std::vector<double> weights(cell_firms.size());
      for (std::size_t m = 0; m < cell_firms.size(); ++m) {
        weights[m] = firms.vacancies[cell_firms[m]];
        open += firms.vacancies[cell_firms[m]];
      }
      const auto n_seekers = static_cast<std::int64_t>(cell_seekers.size());
      f.seekers_zs[cell] = n_seekers;
      f.vacancies_zs[cell] = open;
      const std::int64_t hires =
          matching_hires(n_seekers, open, p.match_efficiency, p.match_elasticity,
                         s.rng.uniform(Purpose::kMatchRound, cell, step));
      f.hires_zs[cell] = hires;
      if (hires == 0) continue;

      struct Candidate {
        double u;
        std::size_t index;
      };
      std::vector<Candidate> order(cell_seekers.size());
      for (std::size_t m = 0; m < cell_seekers.size(); ++m)
        order[m] = {s.rng.uniform(Purpose::kMatchOrder, talent.id[cell_seekers[m]], step),
                    cell_seekers[m]};
      const auto by_draw = [](const Candidate& a, const Candidate& b) {
        return a.u < b.u || (a.u == b.u && a.index < b.index);
      };
      std::nth_element(order.begin(), order.begin() + hires - 1, order.end(), by_draw);
      std::sort(order.begin(), order.begin() + hires,
                [](const Candidate& a, const Candidate& b) { return a.index < b.index; });

      const auto per_firm = apportion(hires, weights);
      std::size_t next = 0;
      for (std::size_t m = 0; m < cell_firms.size(); ++m) {
        const std::size_t firm = cell_firms[m];
        for (std::int64_t h = 0; h < per_firm[m]; ++h)
          talent.employer[order[next++].index] = firms.id[firm];
        firms.employees[firm] += static_cast<std::int32_t>(per_firm[m]);
        firms.vacancies[firm] -= static_cast<std::int32_t>(per_firm[m]);
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
        const auto u = static_cast<double>(f.seekers_zs[cell]);
        const double expected = std::min(
            1.0, p.match_efficiency * std::pow(u, p.match_elasticity) *
                     std::pow(static_cast<double>(f.vacancies_zs[cell]), 1.0 - p.match_elasticity) /
                     u);
        s.fields.job_rate(z, k) += kJobRateSmoothing * (expected - s.fields.job_rate(z, k));
      }
    }
    s.fields.tightness(z) =
        static_cast<double>(open) / static_cast<double>(std::max<std::int64_t>(looking, 1));
  }
}

}  // namespace regionsim
