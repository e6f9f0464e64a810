#include "run_checkpoints.hpp"

#include <cstdio>
#include <filesystem>

#include "model_state.hpp"

namespace regionsim {

namespace {

// A single run's checkpoints carry no run index (FILE.h5.month-NNNN.ckpt).
std::int64_t run_index(const Experiment& plan, std::size_t run) {
  return plan.runs.size() == 1 ? -1 : static_cast<std::int64_t>(run);
}

}  // namespace

RunCheckpoints::RunCheckpoints(const Experiment& plan, const RunOptions& options) {
  if (options.checkpoint_every <= 0) return;
  for (std::size_t r = 0; r < plan.runs.size(); ++r) {
    const Scenario& scenario = plan.runs[r].scenario;
    CheckpointRun run{options.output,
                      options.command_line,
                      options.compression,
                      options.checkpoint_every,
                      options.checkpoint_keep,
                      run_index(plan, r),
                      static_cast<std::int64_t>(plan.runs.size()),
                      scenario.resolved_toml,
                      scenario.source_file,
                      scenario.extends_chain};
    writers_.push_back(std::make_unique<Checkpointer>(std::move(run), options.resumed_month));
  }
}

void RunCheckpoints::resume_from_latest(const Experiment& plan, RunOptions& run_options) {
  if (writers_.empty() || !run_options.resume) return;
  const std::size_t runs = plan.runs.size();
  const auto kept = [&](std::size_t r) {
    return r < run_options.skip_runs.size() && run_options.skip_runs[r] != 0;
  };
  std::vector<std::shared_ptr<Checkpoint>> loaded(runs);
  for (std::size_t r = 0; r < runs; ++r) {
    if (kept(r)) continue;
    const std::int64_t steps = plan.runs[r].scenario.run.steps;
    for (std::int64_t m = steps - 1; m >= 1 && !loaded[r]; --m) {
      const std::string path = checkpoint_path(run_options.output, m, run_index(plan, r));
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) continue;
      loaded[r] = std::make_shared<Checkpoint>(read_checkpoint(path));
      const CheckpointRun& saved = loaded[r]->run;
      if (saved.run != run_index(plan, r) || saved.runs != static_cast<std::int64_t>(runs) ||
          loaded[r]->scenario_hash != fnv1a64(plan.runs[r].scenario.resolved_toml))
        throw CheckpointError(path,
                              "belongs to another run or experiment (its run, run count "
                              "or scenario hash differs from this one's)");
    }
  }
  // An arm still to be forked (neither kept nor restored) needs its root at its fork month.
  for (std::size_t r = 0; r < runs; ++r) {
    const ExperimentRun& arm = plan.runs[r];
    if (arm.fork_parent < 0 || kept(r) || loaded[r]) continue;
    auto& root = loaded[static_cast<std::size_t>(arm.fork_parent)];
    if (root && root->state->month >= arm.fork_month) root.reset();
  }
  run_options.restored_runs.assign(runs, 0);
  for (std::size_t r = 0; r < runs; ++r) {
    if (!loaded[r]) continue;
    run_options.restored_runs[r] = 1;
    writers_[r]->adopt(loaded[r]->state->month);
    std::fprintf(stderr,
                 "regionsim: --resume: run %zu continues from its checkpoint of month %lld\n", r,
                 static_cast<long long>(loaded[r]->state->month));
  }
  run_options.restore = [loaded, check = run_options.check](
                            std::size_t run,
                            std::vector<StepOutputs>& months) -> std::optional<Simulation> {
    const std::shared_ptr<Checkpoint>& c = loaded[run];
    if (!c || !c->state) return std::nullopt;
    months = std::move(c->months);
    return Simulation::restore(std::move(c->state), std::move(c->initial), check);
  };
}

void RunCheckpoints::remove_all() {
  for (const auto& writer : writers_)
    writer->remove_all();
}

std::string RunCheckpoints::latest() const {
  std::string newest;
  std::int64_t month = -1;
  for (const auto& writer : writers_) {
    if (writer->files().empty()) continue;
    // Names end in month-NNNN.ckpt: the longest-lived run's last one is the newest month.
    const std::string& file = writer->files().back();
    const std::size_t at = file.rfind(".month-");
    const std::int64_t m = at == std::string::npos ? 0 : std::stoll(file.substr(at + 7));
    if (m > month) month = m, newest = file;
  }
  return newest;
}

}  // namespace regionsim
