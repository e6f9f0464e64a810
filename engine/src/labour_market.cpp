// Zone x sector labour matching between seekers and the firms posting vacancies, cell by cell in
// parallel with the shared matching mechanism (matching.hpp), the hires cut to each zone's free
// floor space (land.hpp), then the job-finding rates and tightness people and wages react to.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "cell_lists.hpp"
#include "land.hpp"
#include "matching.hpp"
#include "parallel.hpp"
#include "phases.hpp"
#include "shards.hpp"

namespace regionsim {

// Weight of the latest month in the smoothed job-finding rate (a half-life of about two months).
constexpr double kJobRateSmoothing = 0.3;

void match_labour(const MonthView& m, TalentStore& talent, FirmStore& firms, LabourFlows& f) {
  const RegionTables& t = m.tables;
  const LabourParams& p = m.scenario.labour;
  const auto step = m.step();
  // A cell is numbered by its row-major place in zone x sector grids, which is also its random
  // stream id.
  const std::size_t cells = t.Z * t.S;
  const CellLists seekers = group_by_cell(
      talent.size(), cells,
      [&](std::size_t i) { return talent.alive[i] && talent.employer[i] == kNoFirm; },
      [&](std::size_t i) { return talent.zone[i] * t.S + talent.sector[i]; });
  const CellLists hiring = group_by_cell(
      firms.size(), cells,
      [&](std::size_t i) { return !firms.exiting[i] && firms.vacancies[i] > 0; },
      [&](std::size_t i) { return firms.zone[i] * t.S + firms.sector[i]; });
  // The hiring firms of every cell over the whole run, in id order (a sharded run's shards each
  // hold some: the month's postings travel, not the store).
  const std::vector<std::vector<Posting>> postings = postings_over_shards(m.shard, firms, hiring);

  // Free floor per zone before matching: its capacity less the employees of its firms.
  std::vector<std::int64_t> occupied(t.Z, 0);
  for (std::size_t i = 0; i < firms.size(); ++i)
    occupied[firms.zone[i]] += firms.employees[i];
  sum_over_shards(m.shard, occupied);
  for (std::size_t z = 0; z < t.Z; ++z)
    f.floor_room(z) = floor_room(m.fields.floor_capacity(z), occupied[z]);

  // Seekers per cell over the whole run (a sharded run's shards each hold some of them).
  std::vector<std::int64_t> seekers_total(cells);
  for (std::size_t cell = 0; cell < cells; ++cell)
    seekers_total[cell] = static_cast<std::int64_t>(seekers[cell].size());
  sum_over_shards(m.shard, seekers_total);

  std::vector<CellMatch> matches(cells);
  std::vector<std::int64_t> cell_hires(cells);
  parallel_chunks(cells, 1, [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t cell = range.begin(); cell != range.end(); ++cell) {
      std::vector<std::int32_t> posted(postings[cell].size());
      for (std::size_t e = 0; e < posted.size(); ++e)
        posted[e] = postings[cell][e].vacancies;
      matches[cell] =
          match_cell_totals(seekers_total[cell], posted, p.match_efficiency, p.match_elasticity,
                            m.rng.uniform(Purpose::kMatchRound, cell, step));
      cell_hires[cell] = matches[cell].hires;
      f.seekers.values()[cell] = seekers_total[cell];
      f.vacancies.values()[cell] = matches[cell].vacancies;
    }
  });
  // The seekers with the lowest draws are hired (matching.hpp), over the whole run; a position
  // of -1 is a seeker another shard holds and hires.
  const std::vector<std::vector<std::int64_t>> hired =
      hired_seekers(m.shard, seekers, talent.id, cell_hires, [&](std::size_t cell, std::size_t n) {
        return m.rng.uniform(Purpose::kMatchOrder, talent.id[seekers[cell][n]], step);
      });

  // Hires respect floor space: a zone's matched hires are cut to its free floor (land.hpp), over
  // its cells by their hires and within a cell over the employers by theirs. Integer counts in a
  // fixed order, so the cut is the same on any number of threads.
  std::vector<std::int64_t> wanted(t.S);
  for (std::size_t z = 0; z < t.Z; ++z) {
    for (std::size_t k = 0; k < t.S; ++k)
      wanted[k] = matches[z * t.S + k].hires;
    const std::vector<std::int64_t> allowed = ration_to_room(f.floor_room(z), wanted);
    for (std::size_t k = 0; k < t.S; ++k) {
      CellMatch& match = matches[z * t.S + k];
      if (allowed[k] == match.hires) continue;
      match.per_employer = ration_to_room(allowed[k], match.per_employer);
      match.hires = allowed[k];
    }
  }

  parallel_chunks(cells, 1, [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t cell = range.begin(); cell != range.end(); ++cell) {
      const CellMatch& match = matches[cell];
      f.hires.values()[cell] = match.hires;
      if (match.hires == 0) continue;
      const std::span<const std::size_t> cell_seekers = seekers[cell];
      const std::span<const std::size_t> own = hiring[cell];  // this shard's, in id order
      std::size_t next = 0, held = 0;
      for (std::size_t e = 0; e < postings[cell].size(); ++e) {
        const AgentId employer = postings[cell][e].id;
        // Hired seekers held here get the job; they move to the employer's shard at the end of
        // the month (welcome_people).
        for (std::int64_t h = 0; h < match.per_employer[e]; ++h) {
          const std::int64_t position = hired[cell][next++];
          if (position >= 0)
            talent.employer[cell_seekers[static_cast<std::size_t>(position)]] = employer;
        }
        if (held == own.size() || firms.id[own[held]] != employer) continue;  // another shard's
        const std::size_t firm = own[held++];
        firms.employees[firm] += static_cast<std::int32_t>(match.per_employer[e]);
        firms.vacancies[firm] -= static_cast<std::int32_t>(match.per_employer[e]);
      }
    }
  });
}

void update_job_rates(const MonthInputs& m, const LabourFlows& f, ZoneFields& fields) {
  const RegionTables& t = m.tables;
  const LabourParams& p = m.scenario.labour;
  // Month 0's firms start at their desired size and post no vacancies by construction, so its
  // market is no signal: the job-finding rates and tightness stay at the values everyone starts
  // from. Taken as a signal, its tightness of 0 cut every wage by the 5 % monthly cap in month 1,
  // and the cut set off a wave of hiring (6 % of employment in vacancies) and wage rises.
  if (m.month == 0) return;
  for (std::size_t z = 0; z < t.Z; ++z) {
    std::int64_t open = 0, looking = 0;
    for (std::size_t k = 0; k < t.S; ++k) {
      open += f.vacancies(z, k);
      looking += f.seekers(z, k);
      // People judge a cell by its expected job-finding rate (the matching function, not the
      // realised draw) smoothed over months: small cells would otherwise swing between 0 and 1.
      if (f.seekers(z, k) > 0) {
        const double expected = job_finding_rate(static_cast<double>(f.seekers(z, k)),
                                                 static_cast<double>(f.vacancies(z, k)),
                                                 p.match_efficiency, p.match_elasticity);
        fields.job_rate(z, k) += kJobRateSmoothing * (expected - fields.job_rate(z, k));
      }
    }
    fields.tightness(z) =
        static_cast<double>(open) / static_cast<double>(std::max<std::int64_t>(looking, 1));
  }
}

}  // namespace regionsim
