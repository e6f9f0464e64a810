#include "experiment_runner.hpp"

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "regionsim/shard.hpp"
#include "regionsim/simulation.hpp"
#include "sharded_runner.hpp"

namespace regionsim {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One progress line on stderr for the whole experiment, rewritten in place at most ten times a
// second by whichever thread gets there; silent when disabled (stderr not a terminal).
class Progress {
 public:
  Progress(bool enabled, std::size_t runs, std::int64_t months)
      : enabled_(enabled), runs_(runs), months_(months) {}

  void month_done(std::size_t agents) {
    ++months_done_;
    agents_.store(agents, std::memory_order_relaxed);
    if (enabled_) print(false);
  }
  void run_done() { ++runs_done_; }
  // The final line, once every run is written.
  void close() {
    if (enabled_) print(true);
  }

 private:
  void print(bool last) {
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock && !last) return;
    if (!lock) lock.lock();
    const std::int64_t done = months_done_.load();
    const std::size_t agents = agents_.load(std::memory_order_relaxed);
    const auto now = Clock::now();
    if (!last && now - printed_ < std::chrono::milliseconds(100)) return;
    printed_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
    const double eta = rate > 0 ? static_cast<double>(months_ - done) / rate : 0.0;
    if (runs_ == 1) {
      std::fprintf(stderr, "\rmonth %lld/%lld  agents %zu  %.1f steps/s  ETA %.0fs   ",
                   static_cast<long long>(done), static_cast<long long>(months_), agents, rate,
                   eta);
    } else {
      std::fprintf(stderr, "\rruns %zu/%zu done  months %lld/%lld  %.1f months/s  ETA %.0fs   ",
                   runs_done_.load(), runs_, static_cast<long long>(done),
                   static_cast<long long>(months_), rate, eta);
    }
    if (last) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

  bool enabled_;
  std::size_t runs_;
  std::int64_t months_;  // to simulate, over all runs
  std::atomic<std::int64_t> months_done_{0};
  std::atomic<std::size_t> runs_done_{0};
  std::atomic<std::size_t> agents_{0};  // of the run that simulated the latest month
  std::mutex mutex_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point printed_{};
};

// A TBB task body whose only state is an atomic pointer. TBB copies bodies and hands them to
// other threads inside its uninstrumented library, so ThreadSanitizer cannot see that hand-over;
// a plain captured pointer read by a worker long after the spawning thread wrote it is reported
// as a race once TSan's history of the write is gone. Through an atomic, every copy is a
// release and every use an acquire: the spawning thread's set-up is visible wherever the body
// runs. `Fn` is a captureless lambda taking (State&, args...).
template <class State, class Fn>
class AtomicBody {
 public:
  AtomicBody(State* state, Fn fn) : fn_(fn) { state_.store(state, std::memory_order_release); }
  AtomicBody(const AtomicBody& other) : fn_(other.fn_) {
    state_.store(other.state_.load(std::memory_order_acquire), std::memory_order_release);
  }
  AtomicBody& operator=(const AtomicBody&) = delete;
  template <class... Args>
  void operator()(Args&&... args) const {
    fn_(*state_.load(std::memory_order_acquire), std::forward<Args>(args)...);
  }

 private:
  std::atomic<State*> state_;
  Fn fn_;
};

class Executor {
 public:
  Executor(const Experiment& plan, const RunOptions& options, const RunSink& sink,
           const RunHooks& hooks, ExperimentResult& result, Progress& progress)
      : plan_(plan),
        options_(options),
        sink_(sink),
        hooks_(hooks),
        result_(result),
        progress_(progress),
        steps_(plan.runs.front().scenario.run.steps),
        fail_at_(injected_failure()) {}

  // run_root in a cancellation context of its own. When a run fails, its exception cancels the
  // loop over roots, and TBB passes a cancellation down to every loop nested in it: the other
  // running runs' parallel loops would then skip their bodies without a word (it happened: a
  // half-built promotion decision, then a segfault). In their own context they are not cancelled;
  // they stop at the end of their month instead (failed_, via stopping()).
  void run_root_isolated(std::size_t root, const std::vector<std::size_t>& children) {
    tbb::task_group_context own(tbb::task_group_context::isolated);
    tbb::task_group group(own);
    group.run_and_wait([&] { run_root(root, children); });
  }

  // Simulates run `root` from month 0 and every run forking from it (`children`, by fork month).
  void run_root(std::size_t root, const std::vector<std::size_t>& children) {
    const auto start = Clock::now();
    std::vector<StepOutputs> months;
    months.reserve(static_cast<std::size_t>(steps_));
    Simulation sim = start_run(root, months);
    tbb::task_group forks;
    std::vector<std::unique_ptr<Fork>> owned;  // outlive their tasks: waited for below
    // A root continued from a checkpoint has passed the fork months of arms already kept (the
    // driver restores a root only past arms kept or continued from checkpoints of their own;
    // arms fork after a month is simulated, so one at the month restored has passed too).
    std::size_t next = 0;
    while (sim.month() > 0 && next < children.size() &&
           plan_.runs[children[next]].fork_month <= sim.month())
      ++next;
    const auto fork_ready = [&] {
      if (stopping()) return;  // arms not yet forked stay empty in an interrupted file
      for (; next < children.size() && plan_.runs[children[next]].fork_month == sim.month();
           ++next) {
        const std::size_t run = children[next];
        if (skipped(run)) continue;  // kept from an interrupted file
        owned.push_back(
            std::make_unique<Fork>(*this, run, sim.fork(plan_.runs[run].scenario), months));
        forks.run(
            AtomicBody(owned.back().get(), [](Fork& fork) { fork.executor.continue_run(fork); }));
      }
    };
    try {
      while (sim.month() < steps_ && !stopping()) {
        step(root, sim, months);
        progress_.month_done(sim.talent_count() + sim.firm_count());
        fork_ready();
      }
      finish(root, months, seconds_since(start));
    } catch (...) {
      failed_.store(true, std::memory_order_relaxed);
      if (hooks_.failed) hooks_.failed(root, sim.month());
      forks.cancel();
      forks.wait();
      collect();
      throw;
    }
    forks.wait();
    collect();  // the forks' last accesses happen-before their destruction here
  }

  // Called once every task has finished: acquiring the mutex every finished run released makes
  // their results visible (to ThreadSanitizer too) in the calling thread.
  void collect() { const std::lock_guard lock(sink_mutex_); }

 private:
  struct Fork {
    Fork(Executor& e, std::size_t r, Simulation s, std::vector<StepOutputs> m)
        : executor(e), run(r), sim(std::move(s)), months(std::move(m)) {}
    Executor& executor;
    std::size_t run;
    Simulation sim;
    std::vector<StepOutputs> months;  // the shared warm-up's records, then the run's own
  };

  void continue_run(Fork& fork) {
    const auto start = Clock::now();
    try {
      while (fork.sim.month() < steps_ && !stopping()) {
        step(fork.run, fork.sim, fork.months);
        progress_.month_done(fork.sim.talent_count() + fork.sim.firm_count());
      }
    } catch (...) {
      failed_.store(true, std::memory_order_relaxed);
      if (hooks_.failed) hooks_.failed(fork.run, fork.sim.month());
      throw;
    }
    finish(fork.run, fork.months, seconds_since(start));
  }

  // Run `root` from a checkpoint (RunOptions::restore) or else from month 0.
  Simulation start_run(std::size_t root, std::vector<StepOutputs>& months) {
    if (options_.restore)
      if (std::optional<Simulation> restored = options_.restore(root, months))
        return std::move(*restored);
    return Simulation(plan_.runs[root].scenario, options_.check);
  }

  // One month of `run` appended to its records.
  void step(std::size_t run, Simulation& sim, std::vector<StepOutputs>& months) {
    if (fail_at_ && fail_at_->first == run && fail_at_->second == sim.month())
      throw std::runtime_error("failure injected by REGIONSIM_TEST_FAIL_RUN (a test-only hook)");
    months.push_back(sim.step());
    if (options_.after_month) options_.after_month(run, sim, months);
  }

  bool skipped(std::size_t run) const {
    return run < options_.skip_runs.size() && options_.skip_runs[run] != 0;
  }

  // A signal asked every run to stop at the end of its month, or another run failed (the
  // experiment fails with it, so what the others would compute is not needed).
  bool stopping() const {
    return failed_.load(std::memory_order_relaxed) ||
           (options_.stop != nullptr && options_.stop->load(std::memory_order_relaxed) != 0);
  }

  // HDF5 is not thread-safe: finished runs reach the sink one at a time.
  void finish(std::size_t run, const std::vector<StepOutputs>& months, double seconds) {
    const std::lock_guard lock(sink_mutex_);
    if (!skipped(run)) sink_(run, months);
    if (!months.empty()) result_.final_months[run] = months.back();
    result_.months_done[run] = static_cast<std::int64_t>(months.size());
    result_.run_seconds[run] = seconds;
    progress_.run_done();
  }

  const Experiment& plan_;
  const RunOptions& options_;
  const RunSink& sink_;
  const RunHooks& hooks_;
  ExperimentResult& result_;
  Progress& progress_;
  std::int64_t steps_;
  std::optional<std::pair<std::size_t, std::int64_t>> fail_at_;
  std::mutex sink_mutex_;
  std::atomic<bool> failed_{false};
};

}  // namespace

int injected_failure_shard() {
  const char* text = std::getenv("REGIONSIM_TEST_FAIL_SHARD");  // NOLINT(concurrency-mt-unsafe)
  return text == nullptr ? -1 : std::atoi(text);
}

std::optional<std::pair<std::size_t, std::int64_t>> injected_failure() {
  // The engine never sets the environment, so reading it races with nothing.
  const char* text = std::getenv("REGIONSIM_TEST_FAIL_RUN");  // NOLINT(concurrency-mt-unsafe)
  unsigned long long run = 0;
  long long month = 0;
  if (text == nullptr || std::sscanf(text, "%llu:%lld", &run, &month) != 2) return std::nullopt;
  return std::pair{static_cast<std::size_t>(run), static_cast<std::int64_t>(month)};
}

std::vector<std::size_t> experiment_roots(const Experiment& plan,
                                          const std::vector<char>& skip_runs,
                                          const std::vector<char>& restored_runs) {
  const auto flagged = [](const std::vector<char>& flags, std::size_t r) {
    return r < flags.size() && flags[r] != 0;
  };
  std::vector<std::size_t> roots;
  std::vector<std::vector<std::size_t>> children(plan.runs.size());
  for (std::size_t r = 0; r < plan.runs.size(); ++r) {
    // An arm continued from its own checkpoint is a root of its own.
    if (plan.runs[r].fork_parent < 0 || flagged(restored_runs, r))
      roots.push_back(r);
    else
      children.at(static_cast<std::size_t>(plan.runs[r].fork_parent)).push_back(r);
  }
  // A root is simulated unless it and every arm forking from it were kept (resume).
  const auto kept = [&](std::size_t r) { return flagged(skip_runs, r); };
  std::erase_if(roots, [&](std::size_t root) {
    return kept(root) && std::all_of(children[root].begin(), children[root].end(), kept);
  });
  return roots;
}

std::vector<std::vector<std::size_t>> experiment_arms(const Experiment& plan,
                                                      const std::vector<char>& restored_runs) {
  std::vector<std::vector<std::size_t>> arms(plan.runs.size());
  for (std::size_t r = 0; r < plan.runs.size(); ++r)
    if (plan.runs[r].fork_parent >= 0 && !(r < restored_runs.size() && restored_runs[r] != 0))
      arms.at(static_cast<std::size_t>(plan.runs[r].fork_parent)).push_back(r);
  for (auto& list : arms)
    std::stable_sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
      return plan.runs[a].fork_month < plan.runs[b].fork_month;
    });
  return arms;
}

ExperimentResult empty_result(const Experiment& plan, int threads) {
  ExperimentResult result;
  result.threads = threads;
  result.months = plan.runs.front().scenario.run.steps;
  result.final_months.resize(plan.runs.size());
  result.run_seconds.resize(plan.runs.size());
  result.months_done.assign(plan.runs.size(), 0);
  for (const ExperimentRun& run : plan.runs) {
    if (run.fork_parent < 0) {
      result.months_simulated += result.months;
    } else {
      result.months_simulated += result.months - run.fork_month;
      result.months_shared += run.fork_month;
    }
  }
  return result;
}

ExperimentResult simulate_experiment(const Experiment& plan, const RunOptions& options,
                                     const RunSink& sink, const RunHooks& hooks) {
  const int threads =
      options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  // global_control lets --threads exceed the cores (TBB's default cap); the arena holds the runs.
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  tbb::task_arena arena(threads);

  ExperimentResult result = empty_result(plan, threads);
  // A sharded run's shards step its runs together (sharded_runner.hpp).
  if (options.shard != nullptr) {
    const auto start = Clock::now();
    arena.execute([&] { simulate_sharded(plan, options, sink, hooks, result); });
    result.wall_seconds = seconds_since(start);
    return result;
  }

  const std::vector<std::size_t> roots =
      experiment_roots(plan, options.skip_runs, options.restored_runs);
  const std::vector<std::vector<std::size_t>> children =
      experiment_arms(plan, options.restored_runs);

  Progress progress(options.progress, plan.runs.size(), result.months_simulated);
  Executor executor(plan, options, sink, hooks, result, progress);
  const auto start = Clock::now();
  struct Work {
    Executor& executor;
    const std::vector<std::size_t>& roots;
    const std::vector<std::vector<std::size_t>>& children;
    const RunHooks& hooks;
  } work{executor, roots, children, hooks};
  if (hooks.next_root) {
    // Roots handed out one at a time by the caller: `threads` workers each pull the next when
    // done, so a process with several threads keeps as many roots in flight.
    const AtomicBody pull(&work, [](Work& w) {
      while (const std::optional<std::size_t> root = w.hooks.next_root())
        tbb::this_task_arena::isolate(
            [&] { w.executor.run_root_isolated(*root, w.children[*root]); });
    });
    arena.execute([&] {
      tbb::task_group workers;
      for (int t = 0; t < threads; ++t)
        workers.run(pull);
      workers.wait();
    });
  } else {
    const AtomicBody body(&work, [](Work& w, const tbb::blocked_range<std::size_t>& range) {
      for (std::size_t i = range.begin(); i != range.end(); ++i) {
        const std::size_t root = w.roots[i];
        tbb::this_task_arena::isolate(
            [&] { w.executor.run_root_isolated(root, w.children[root]); });
      }
    });
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, roots.size(), 1), body,
                        tbb::simple_partitioner());
    });
  }
  executor.collect();
  progress.close();
  if (options.stop != nullptr) result.interrupted = options.stop->load();
  result.wall_seconds = seconds_since(start);
  return result;
}

}  // namespace regionsim
