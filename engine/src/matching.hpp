// The matching mechanism of every labour market in the model (firms' cells and institutes'
// zones): a Cobb-Douglas matching function of seekers and vacancies gives a cell's hires, rounded
// stochastically with one draw of the cell; the seekers with the lowest own draws are hired; the
// hires are split over the employers by their vacancies. Everything is resolved from cell totals
// and id-keyed draws, so the outcome does not depend on the order cells are processed in.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "apportion.hpp"

namespace regionsim {

// Expected hires: efficiency * seekers^elasticity * vacancies^(1 - elasticity).
double matching_function(double seekers, double vacancies, double efficiency, double elasticity);

// Expected hires per seeker, capped at one: min(1, matching_function / seekers), seekers > 0.
double job_finding_rate(double seekers, double vacancies, double efficiency, double elasticity);

// Hires in one cell: the matching function stochastically rounded with the uniform u (small cells
// are not stuck at zero hires), capped by both sides of the market.
std::int64_t matching_hires(std::int64_t seekers, std::int64_t vacancies, double efficiency,
                            double elasticity, double u);

// Positions of the `hires` lowest of n draws, draw(m) being the m-th (ties to the lower
// position), in ascending position.
template <typename Draw>
std::vector<std::size_t> lowest_draws(std::size_t n, std::int64_t hires, Draw&& draw) {
  struct Candidate {
    double u;
    std::size_t position;
  };
  std::vector<Candidate> order(n);
  for (std::size_t m = 0; m < n; ++m)
    order[m] = {draw(m), m};
  const auto by_draw = [](const Candidate& a, const Candidate& b) {
    return a.u < b.u || (a.u == b.u && a.position < b.position);
  };
  const auto lowest = static_cast<std::ptrdiff_t>(hires);
  std::nth_element(order.begin(), order.begin() + lowest - 1, order.end(), by_draw);
  std::vector<std::size_t> hired(static_cast<std::size_t>(hires));
  for (std::size_t h = 0; h < hired.size(); ++h)
    hired[h] = order[h].position;
  std::sort(hired.begin(), hired.end());
  return hired;
}

struct CellMatch {
  std::int64_t vacancies = 0;              // posted in the cell
  std::int64_t hires = 0;                  // realised
  std::vector<std::size_t> hired;          // positions of the hired seekers, ascending
  std::vector<std::int64_t> per_employer;  // hires of each employer (empty when no hires)
};

// A cell's market from its totals: the vacancies posted, the hires (seekers over the whole run,
// `round_u` the cell's rounding draw) and their split over the employers; `hired` is left empty
// for the caller to choose (match_cell, or hired_seekers in shards.hpp for a sharded run).
inline CellMatch match_cell_totals(std::int64_t seekers, std::span<const std::int32_t> vacancies,
                                   double efficiency, double elasticity, double round_u) {
  CellMatch out;
  std::vector<double> weights(vacancies.size());
  for (std::size_t e = 0; e < vacancies.size(); ++e) {
    weights[e] = vacancies[e];
    out.vacancies += vacancies[e];
  }
  out.hires = matching_hires(seekers, out.vacancies, efficiency, elasticity, round_u);
  if (out.hires == 0) return out;
  out.per_employer = apportion(out.hires, weights);
  return out;
}

// Matches one cell of `seekers` (in id order) with employers posting `vacancies`; round_u is the
// cell's rounding draw and seeker_u(m) the m-th seeker's own draw (only asked for when someone is
// hired). Callers then give hired[n] to the employers in order, per_employer[e] each.
template <typename SeekerDraw>
CellMatch match_cell(std::size_t seekers, std::span<const std::int32_t> vacancies,
                     double efficiency, double elasticity, double round_u, SeekerDraw&& seeker_u) {
  CellMatch out = match_cell_totals(static_cast<std::int64_t>(seekers), vacancies, efficiency,
                                    elasticity, round_u);
  if (out.hires == 0) return out;
  out.hired = lowest_draws(seekers, out.hires, seeker_u);
  return out;
}

}  // namespace regionsim
