#include "run_checkpoints.hpp"

#include <cstdio>
#include <filesystem>

#include "model_state.hpp"
#include "regionsim/shard.hpp"

namespace regionsim {

// A single run's checkpoints carry no run index (FILE.h5.month-NNNN.ckpt).
std::int64_t run_index(const Experiment& plan, std::size_t run) {
  return plan.runs.size() == 1 ? -1 : static_cast<std::int64_t>(run);
}

// Reads checkpoint `path` of run `run` whole, refusing one of another run or experiment, or of
// another shard than `shard` of `shards`.
Checkpoint check_checkpoint(const std::string& path, const Experiment& plan, std::size_t run,
                            std::int64_t shard, std::int64_t shards) {
  Checkpoint checkpoint = read_checkpoint(path);
  const CheckpointRun& saved = checkpoint.run;
  if (saved.run != run_index(plan, run) ||
      saved.runs != static_cast<std::int64_t>(plan.runs.size()) ||
      checkpoint.scenario_hash != fnv1a64(plan.runs[run].scenario.resolved_toml))
    throw CheckpointError(path,
                          "belongs to another run or experiment (its run, run count or scenario "
                          "hash differs from this one's)");
  if (saved.shard != shard || saved.shards != shards)
    throw CheckpointError(path, "holds shard " + std::to_string(saved.shard) + " of " +
                                    std::to_string(saved.shards) + ", expected shard " +
                                    std::to_string(shard) + " of " + std::to_string(shards));
  return checkpoint;
}

RunCheckpoints::RunCheckpoints(const Experiment& plan, const RunOptions& options) {
  if (options.checkpoint_every <= 0) return;
  output_ = options.output;
  every_ = options.checkpoint_every;
  sharded_ = options.shard != nullptr;
  for (std::size_t r = 0; r < plan.runs.size(); ++r) {
    const Scenario& scenario = plan.runs[r].scenario;
    CheckpointRun run{options.output,
                      options.command_line,
                      options.compression,
                      options.checkpoint_every,
                      options.checkpoint_keep,
                      run_index(plan, r),
                      static_cast<std::int64_t>(plan.runs.size()),
                      options.shard != nullptr ? options.shard->shard() : 0,
                      options.shard != nullptr ? options.shard->shards() : 1,
                      scenario.resolved_toml,
                      scenario.source_file,
                      scenario.extends_chain};
    writers_.push_back(std::make_unique<Checkpointer>(std::move(run), options.resumed_month));
    steps_.push_back(scenario.run.steps);
  }
}

void RunCheckpoints::resume_from_latest(const Experiment& plan, RunOptions& run_options) {
  if (writers_.empty() || !run_options.resume) return;
  if (run_options.shard != nullptr) return resume_sharded(plan, run_options);
  const std::size_t runs = plan.runs.size();
  const auto kept = [&](std::size_t r) {
    return r < run_options.skip_runs.size() && run_options.skip_runs[r] != 0;
  };
  std::vector<std::int64_t> months(runs, 0);
  for (std::size_t r = 0; r < runs; ++r) {
    if (kept(r)) continue;
    const std::int64_t steps = plan.runs[r].scenario.run.steps;
    for (std::int64_t m = steps - 1; m >= 1 && months[r] == 0; --m) {
      const std::string path = checkpoint_path(run_options.output, m, run_index(plan, r));
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) continue;
      // Read whole and checked now, so a bad checkpoint is refused before any month is simulated;
      // read again when its run starts (restore_from).
      months[r] = check_checkpoint(path, plan, r).state->month;
    }
  }
  // An arm still to be forked (neither kept nor restored) needs its root at its fork month.
  for (std::size_t r = 0; r < runs; ++r) {
    const ExperimentRun& arm = plan.runs[r];
    if (arm.fork_parent < 0 || kept(r) || months[r] > 0) continue;
    std::int64_t& root = months[static_cast<std::size_t>(arm.fork_parent)];
    if (root >= arm.fork_month) root = 0;
  }
  restore_from(plan, run_options, months, true);
}

void RunCheckpoints::restore_from(const Experiment& plan, RunOptions& run_options,
                                  const std::vector<std::int64_t>& months, bool announce) {
  const std::size_t runs = plan.runs.size();
  run_options.restored_months = months;
  run_options.restored_months.resize(runs, 0);
  run_options.restored_runs.assign(runs, 0);
  bool any = false;
  for (std::size_t r = 0; r < runs; ++r) {
    const std::int64_t month = run_options.restored_months[r];
    if (month <= 0) continue;
    any = true;
    run_options.restored_runs[r] = 1;
    if (r < writers_.size()) writers_[r]->adopt(month);
    if (announce)
      std::fprintf(stderr,
                   "regionsim: --resume: run %zu continues from its checkpoint of month %lld\n", r,
                   static_cast<long long>(month));
  }
  if (!any) return;
  run_options.restore = [&plan, output = run_options.output, months = run_options.restored_months,
                         check = run_options.check](
                            std::size_t run,
                            std::vector<StepOutputs>& recorded) -> std::optional<Simulation> {
    if (months.at(run) <= 0) return std::nullopt;
    Checkpoint c =
        check_checkpoint(checkpoint_path(output, months[run], run_index(plan, run)), plan, run);
    recorded = std::move(c.months);
    return Simulation::restore(std::move(c.state), std::move(c.initial), check);
  };
}

void RunCheckpoints::remove_all() {
  for (const auto& writer : writers_)
    writer->remove_all();
  // A sharded run's checkpoints were written by every shard, and may be of several layouts (one
  // resumed on another number of ranks per run): remove every one this output's runs have.
  if (sharded_) return remove_every_layout(output_, steps_.size());
  // Under MPI another rank wrote the checkpoints of the runs it simulated: remove them by name.
  for (std::size_t r = 0; r < steps_.size(); ++r)
    for (std::int64_t m = every_; every_ > 0 && m < steps_[r]; m += every_) {
      std::error_code ignored;
      std::filesystem::remove(
          checkpoint_path(output_, m, steps_.size() == 1 ? -1 : static_cast<std::int64_t>(r)),
          ignored);
    }
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
