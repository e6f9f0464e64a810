#include "sharded_runner.hpp"

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

#include "regionsim/shard.hpp"
#include "regionsim/simulation.hpp"

namespace regionsim {

namespace {

using Clock = std::chrono::steady_clock;

bool flagged(const std::vector<char>& flags, std::size_t run) {
  return run < flags.size() && flags[run] != 0;
}

// A run in progress on this shard: a root, or an arm forked from it.
struct ShardRun {
  std::size_t run;
  Simulation sim;
  std::vector<StepOutputs> months;
  std::int64_t first;  // the month it started from here (restored or forked at)
  Clock::time_point start = Clock::now();
};

}  // namespace

std::size_t ShardedWork::delivered(std::size_t root, const std::vector<char>& skip_runs) const {
  std::size_t n = flagged(skip_runs, root) ? 0 : 1;
  for (const std::size_t arm : arms[root])
    n += flagged(skip_runs, arm) ? 0 : 1;
  return n;
}

ShardedWork sharded_work(const Experiment& plan, const RunOptions& options) {
  ShardedWork work;
  work.arms.resize(plan.runs.size());
  if (options.resume) {
    for (std::size_t r = 0; r < plan.runs.size(); ++r)
      if (!flagged(options.skip_runs, r)) work.roots.push_back(r);
    return work;
  }
  work.roots = experiment_roots(plan, options.skip_runs);
  work.arms = experiment_arms(plan);
  return work;
}

void simulate_sharded(const Experiment& plan, const RunOptions& options, const RunSink& sink,
                      const RunHooks& hooks, ExperimentResult& result) {
  const std::optional<std::pair<std::size_t, std::int64_t>> fail_at = injected_failure();
  const int fail_shard = injected_failure_shard();
  ShardComm& shard = *options.shard;
  const std::int64_t steps = plan.runs.front().scenario.run.steps;
  const ShardedWork work = sharded_work(plan, options);
  result.months_simulated = 0;
  result.months_shared = 0;

  // One month of `r`; a failure names the rank, run, month and shard (the caller ends the job,
  // so the other shards never wait for this one).
  const auto step = [&](ShardRun& r) {
    try {
      if (fail_at && fail_at->first == r.run && fail_at->second == r.sim.month() &&
          (fail_shard < 0 || fail_shard == shard.shard()))
        throw std::runtime_error("failure injected by REGIONSIM_TEST_FAIL_RUN (a test-only hook)");
      r.months.push_back(r.sim.step());
      if (options.after_month) options.after_month(r.run, r.sim, r.months);
    } catch (const std::exception& e) {
      const ExperimentRun& failed = plan.runs[r.run];
      throw std::runtime_error("rank " + std::to_string(shard.process()) + ": run " +
                               std::to_string(r.run) + " '" + run_label(plan, failed) +
                               "' (replicate " + std::to_string(failed.replicate) +
                               ") failed in month " + std::to_string(r.sim.month()) + " (shard " +
                               std::to_string(shard.shard()) + " of " +
                               std::to_string(shard.shards()) + " of a sharded run): " + e.what());
    }
    if (hooks.between_months) hooks.between_months();
  };
  const auto finish = [&](ShardRun& r) {
    shard.set_held(static_cast<std::int64_t>(r.sim.talent_count()),
                   static_cast<std::int64_t>(r.sim.firm_count()));
    result.months_simulated += static_cast<std::int64_t>(r.months.size()) - r.first;
    if (flagged(options.skip_runs, r.run)) return;  // kept from an interrupted file
    sink(r.run, r.months);
    result.final_months[r.run] = r.months.back();
    result.months_done[r.run] = static_cast<std::int64_t>(r.months.size());
    result.run_seconds[r.run] = std::chrono::duration<double>(Clock::now() - r.start).count();
  };

  std::size_t in_order = 0;
  const auto next_root = [&]() -> std::optional<std::size_t> {
    if (hooks.next_root) return hooks.next_root();
    if (in_order < work.roots.size()) return work.roots[in_order++];
    return std::nullopt;
  };
  while (const std::optional<std::size_t> next = next_root()) {
    const std::size_t root = *next;
    std::vector<StepOutputs> months;
    months.reserve(static_cast<std::size_t>(steps));
    // With --resume every shard continues from its checkpoint of the month they agree on
    // (RunCheckpoints::resume_sharded), else from month 0.
    std::optional<Simulation> restored;
    if (options.restore) restored = options.restore(root, months);
    ShardRun main{root,
                  restored ? std::move(*restored)
                           : Simulation(plan.runs[root].scenario, options.check, options.shard),
                  std::move(months), 0};
    restored.reset();
    main.first = main.sim.month();
    main.sim.time_phases(&shard.phase_times());
    // The arms fork when the root reaches their month and are stepped after it, one by one: the
    // same order on every shard.
    std::vector<ShardRun> arms;
    std::size_t next_arm = 0;
    const std::vector<std::size_t>& arms_of_root = work.arms[root];
    while (main.sim.month() < steps) {
      step(main);
      for (; next_arm < arms_of_root.size() &&
             plan.runs[arms_of_root[next_arm]].fork_month == main.sim.month();
           ++next_arm) {
        const std::size_t arm = arms_of_root[next_arm];
        if (flagged(options.skip_runs, arm)) continue;
        arms.push_back(
            {arm, main.sim.fork(plan.runs[arm].scenario), main.months, main.sim.month()});
        result.months_shared += main.sim.month();
      }
    }
    finish(main);
    for (ShardRun& arm : arms) {
      arm.start = Clock::now();
      arm.sim.time_phases(&shard.phase_times());
      while (arm.sim.month() < steps)
        step(arm);
      finish(arm);
    }
  }
}

}  // namespace regionsim
