// Throughput of the engine on the shipped baseline: one simulated month at several scales and
// thread counts (the serial variant is the same code under a one-thread limit), and the
// counter-based RNG that every decision draws from.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <string>

#include "bench_support.hpp"
#include "rng.hpp"

namespace {

// Args: scale in percent, threads.
void BM_Month(benchmark::State& state) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(state.range(1)));
  regionsim::Simulation sim = regionsim::bench::warmed_baseline(state);
  for (auto _ : state)
    benchmark::DoNotOptimize(sim.step());
  const auto agents = static_cast<double>(sim.talent_count() + sim.firm_count());
  state.counters["agents"] = agents;
  state.counters["agent_months/s"] =
      benchmark::Counter(agents, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Month)
    ->ArgsProduct({{25, 100, 400}, {1, 2}})
    ->ArgNames({"scale%", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_PhiloxUniformPair(benchmark::State& state) {
  const regionsim::Rng rng(1);
  std::uint64_t id = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(rng.uniform2(regionsim::Purpose::kTest, id++, 7));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PhiloxUniformPair);

void BM_Poisson(benchmark::State& state) {
  const regionsim::Rng rng(1);
  const double lambda = static_cast<double>(state.range(0));
  std::uint64_t id = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(rng.poisson(lambda, regionsim::Purpose::kTest, id++, 7));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Poisson)->Arg(3)->Arg(300);

}  // namespace
