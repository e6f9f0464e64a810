// Cost of one strategic promotion decision (strategic_government.hpp) at the default region's size
// — 5 zones, 6 sectors, 4 jurisdictions, 3 size classes — from a cold start and warm-started from
// the previous period's levels, on one thread. Compare with BM_Month in engine_bench: a decision is
// meant to cost a few per cent of one simulated month.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <cmath>
#include <vector>

#include "strategic_government.hpp"

namespace {

using regionsim::DecisionInputs;

// A region shaped like the shipped baseline: zone sizes, ownership with two co-built zones,
// travel times, firms of three size classes, projects that know half the zones.
DecisionInputs default_region(double tournament) {
  DecisionInputs in;
  const std::size_t Z = 5, S = 6, J = 4, C = 3;
  in.Z = Z, in.S = S, in.J = J, in.C = C;
  in.ownership = {1, 0, 0, 0, 0, 1, 0, 0, 0, .5, .5, 0, 0, .5, 0, .5, 0, 1, 0, 0};
  in.gdp_credit.assign(J * Z, 0.0);
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t j = 0; j < J; ++j)
      in.gdp_credit[j * Z + z] = in.ownership[z * J + j];
  in.tax_credit = in.gdp_credit;
  const double firms_z[5] = {4000, 7000, 3000, 2000, 4000};
  const double travel[5][5] = {{0, 25, 30, 45, 40},
                               {25, 0, 30, 50, 35},
                               {30, 30, 0, 60, 45},
                               {45, 50, 60, 0, 70},
                               {40, 35, 45, 70, 0}};
  const double class_share[3] = {0.7, 0.25, 0.05}, class_gdp[3] = {0.1, 0.5, 3.0};
  in.zone_gdp.assign(Z, 0.0);
  in.zone_tax.assign(Z, 0.0);
  in.firms.resize(Z * S * C);
  in.review_rate.assign(Z * S * C, 0.004);
  in.gdp_per_firm.resize(Z * S * C);
  in.tax_per_firm.resize(Z * S * C);
  in.rent_per_firm.resize(Z * S * C);
  for (std::size_t z = 0; z < Z; ++z)
    for (std::size_t s = 0; s < S; ++s)
      for (std::size_t c = 0; c < C; ++c) {
        const std::size_t i = (z * S + s) * C + c;
        in.firms[i] = firms_z[z] / S * class_share[c];
        in.gdp_per_firm[i] = class_gdp[c] * (1 + 0.05 * static_cast<double>(z));
        in.tax_per_firm[i] = 0.1 * in.gdp_per_firm[i];
        in.rent_per_firm[i] = 0.07 * in.gdp_per_firm[i];
        in.zone_gdp[z] += in.firms[i] * in.gdp_per_firm[i];
        in.zone_tax[z] += in.firms[i] * in.tax_per_firm[i];
      }
  for (std::size_t j = 0; j < J; ++j) {
    double tax = 0;
    for (std::size_t z = 0; z < Z; ++z)
      tax += in.ownership[z * J + j] * in.zone_tax[z];
    in.available_funds.push_back(24 * tax);
  }
  in.project_rate.assign(S, 20);
  in.project_class_share.assign(S * C, 0.0);
  for (std::size_t s = 0; s < S; ++s)
    in.project_class_share[s * C] = 1.0;  // projects arrive small
  in.project_utility.resize(Z * S);
  for (std::size_t i = 0; i < Z * S; ++i)
    in.project_utility[i] = 0.3 * std::sin(static_cast<double>(i));
  in.outside_utility.assign(S, 0.0);
  in.zone_known.assign(Z, 0.5);
  in.nest_lambda = 0.7;
  in.move_utility.resize(Z * Z * S);
  for (std::size_t a = 0; a < Z; ++a)
    for (std::size_t b = 0; b < Z; ++b)
      for (std::size_t s = 0; s < S; ++s)
        in.move_utility[(a * Z + b) * S + s] = a == b ? 0.0 : -3.0 - 0.02 * travel[a][b];
  in.monthly_stay = 0.995;
  in.weights.tournament = tournament;
  return in;
}

// Arg: tournament weight in per cent.
void BM_DecisionCold(benchmark::State& state) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
  const DecisionInputs in = default_region(static_cast<double>(state.range(0)) / 100.0);
  int iterations = 0;
  for (auto _ : state) {
    const regionsim::Decision d = regionsim::decide(in);
    iterations = d.iterations;
    benchmark::DoNotOptimize(d.levels.data());
  }
  state.counters["iterations"] = iterations;
}
BENCHMARK(BM_DecisionCold)->Arg(0)->Arg(25)->Unit(benchmark::kMillisecond);

// The next period's decision: the same inputs with projects' utilities moved a little, from the
// previous equilibrium.
void BM_DecisionWarm(benchmark::State& state) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
  const DecisionInputs in = default_region(static_cast<double>(state.range(0)) / 100.0);
  const regionsim::Decision previous = regionsim::decide(in);
  DecisionInputs next = in;
  for (double& u : next.project_utility)
    u += 0.02;
  int iterations = 0;
  for (auto _ : state) {
    const regionsim::Decision d = regionsim::decide(next, {}, previous.levels);
    iterations = d.iterations;
    benchmark::DoNotOptimize(d.levels.data());
  }
  state.counters["iterations"] = iterations;
}
BENCHMARK(BM_DecisionWarm)->Arg(0)->Arg(25)->Unit(benchmark::kMillisecond);

}  // namespace
