// Where a month's time goes: one simulated month of the shipped baseline, split by phase
// (regionsim/phase_times.hpp), at scales giving about 10^5 to 10^6 agents, on 1 and 2 threads.
// Each phase's counter is its nanoseconds per agent-month (agents = talent + firms at the start
// of the timed months), so phases compare with one another and across scales; "month" is the
// whole step. Run:
//   build/release/bench/phase_bench --benchmark_min_time=2
//     --benchmark_out=bench/results/phase_bench-$(hostname).csv --benchmark_out_format=csv
// (one line).
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <string>

#include "bench_support.hpp"
#include "regionsim/phase_times.hpp"

namespace {

// Args: scale in percent, threads.
void BM_MonthByPhase(benchmark::State& state) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(state.range(1)));
  regionsim::Simulation sim = regionsim::bench::warmed_baseline(state);
  const auto agents = static_cast<double>(sim.talent_count() + sim.firm_count());
  regionsim::PhaseTimes times;
  sim.time_phases(&times);
  for (auto _ : state)
    benchmark::DoNotOptimize(sim.step());
  sim.time_phases(nullptr);
  const double agent_months = agents * static_cast<double>(times.months);
  for (std::size_t p = 0; p < regionsim::kPhaseCount; ++p)
    state.counters[std::string(regionsim::kPhaseNames[p]) + "_ns"] =
        static_cast<double>(times.ns[p]) / agent_months;
  state.counters["month_ns"] = static_cast<double>(times.total_ns()) / agent_months;
  state.counters["agents"] = agents;
  state.counters["agent_months/s"] =
      benchmark::Counter(agents, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_MonthByPhase)
    ->ArgsProduct({{50, 100, 400}, {1, 2}})
    ->ArgNames({"scale%", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
