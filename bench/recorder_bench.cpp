// What writing results costs next to simulating them: one run of the shipped baseline (120 months
// at scale 1) written to a fresh file, uncompressed and with zlib after byte shuffle at several
// levels and chunk lengths (months per chunk). Counters: the file's size and the write time per
// run, to set against BM_Month (engine_bench) times 120.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "nc_writer.hpp"
#include "output_registry.hpp"
#include "recorder.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/scenario_loader.hpp"
#include "regionsim/simulation.hpp"

namespace {

namespace fs = std::filesystem;

struct Sample {
  regionsim::Experiment plan;
  std::vector<regionsim::StepOutputs> months;
};

// 120 simulated months of the baseline, made once for every benchmark.
const Sample& sample() {
  static const Sample made = [] {
    Sample s;
    const regionsim::Scenario scenario = regionsim::load_scenario(
        std::string(REGIONSIM_SOURCE_DIR) + "/scenarios/baseline.toml", {"run.steps=120"});
    s.plan = regionsim::single_run_plan(scenario);
    regionsim::Simulation sim(scenario);
    for (int t = 0; t < 120; ++t)
      s.months.push_back(sim.step());
    return s;
  }();
  return made;
}

// Args: zlib level (0 = uncompressed), months per chunk.
void BM_WriteRun(benchmark::State& state) {
  const Sample& s = sample();
  const fs::path path = fs::temp_directory_path() / "regionsim_recorder_bench.h5";
  regionsim::RunMetadata meta{"2026-01-01T00:00:00Z", 1, "", static_cast<int>(state.range(0)),
                              static_cast<std::size_t>(state.range(1))};
  double bytes = 0;
  for (auto _ : state) {
    fs::remove(path);
    regionsim::Recorder recorder(path.string(), s.plan, meta);
    recorder.write_run(0, s.months);
    const double seconds[] = {0.0};
    recorder.finish("2026-01-01T00:00:01Z", 1.0, seconds);
    bytes = static_cast<double>(fs::file_size(path));
  }
  fs::remove(path);
  state.counters["file_MB"] = bytes / 1e6;
}
BENCHMARK(BM_WriteRun)
    ->Args({0, 12})
    ->Args({1, 12})
    ->Args({4, 12})
    ->Args({6, 12})
    ->Args({4, 24})
    ->Args({4, 60})
    ->Args({4, 120})
    ->Args({0, 0})  // as the engine writes: 0 = the whole run
    ->Args({4, 0})
    ->ArgNames({"zlib", "months_per_chunk"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// As the engine writes while a run goes (recorder_flush.hpp): a snapshot of the file put on disk
// every `every` months (0 = only at the end), zlib 4, one chunk per run. Against Args {4, 0}
// above, the cost of readable partial output.
void BM_WriteRunFlushed(benchmark::State& state) {
  const Sample& s = sample();
  const fs::path path = fs::temp_directory_path() / "regionsim_recorder_bench_flushed.h5";
  const regionsim::RunMetadata meta{"2026-01-01T00:00:00Z", 1, "", 4, 0};
  const auto every = static_cast<std::size_t>(state.range(0));
  std::size_t snapshots = 0;
  for (auto _ : state) {
    fs::remove(path);
    regionsim::Recorder recorder(path.string(), s.plan, meta);
    const std::span<const regionsim::StepOutputs> months(s.months);
    std::size_t done = 0;
    snapshots = 0;
    for (std::size_t m = every; every > 0 && m < months.size(); m += every, ++snapshots) {
      recorder.write_run(0, months.subspan(done, m - done));
      done = m;
      const std::int64_t progress[] = {static_cast<std::int64_t>(m)};
      recorder.snapshot(progress);
    }
    recorder.write_run(0, months.subspan(done));
    const double seconds[] = {0.0};
    recorder.finish("2026-01-01T00:00:01Z", 1.0, seconds);
  }
  fs::remove(path);
  state.counters["snapshots"] = static_cast<double>(snapshots);
}
BENCHMARK(BM_WriteRunFlushed)
    ->Arg(0)
    ->Arg(1)
    ->Arg(6)
    ->Arg(12)
    ->Arg(24)
    ->ArgName("every")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
