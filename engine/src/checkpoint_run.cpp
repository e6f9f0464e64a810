// `regionsim resume`: a checkpoint's run continued through the same driver as `regionsim run`
// (run_driver.cpp), so the output is written, named, interrupted and published the same way.
#include <cstdio>
#include <filesystem>

#include "checkpoint.hpp"
#include "model_state.hpp"

namespace regionsim {

ResumedRun resume_run(const std::string& file, RunOptions options) {
  auto checkpoint = std::make_shared<Checkpoint>(read_checkpoint(file));
  const CheckpointRun& run = checkpoint->run;
  if (run.run >= 0)
    throw CheckpointError(file,
                          "is run " + std::to_string(run.run) + " of an experiment of " +
                              std::to_string(run.runs) +
                              " runs: continue it with the experiment's command and --resume");
  if (run.shards > 1)
    throw CheckpointError(file, "holds shard " + std::to_string(run.shard) + " of " +
                                    std::to_string(run.shards) +
                                    " of a sharded run: continue it with the run's command, "
                                    "--shard and --resume under mpirun -n " +
                                    std::to_string(run.shards));
  const std::int64_t month = checkpoint->state->month;
  ResumedRun resumed;
  resumed.plan = single_run_plan(checkpoint->scenario);
  if (options.output.empty()) options.output = run.output;
  options.command_line = run.command_line;  // the output's provenance: what made its data
  options.compression = run.compression;
  options.checkpoint_every = run.every;
  options.checkpoint_keep = run.keep;
  // The checkpoint resumed from and its predecessors join the run's own when it is one of them
  // (they are then removed with them); a checkpoint from elsewhere is left alone.
  std::error_code ec;
  if (std::filesystem::equivalent(file, checkpoint_path(options.output, month), ec))
    options.resumed_month = month;
  options.restore = [checkpoint, check = options.check](
                        std::size_t,
                        std::vector<StepOutputs>& months) -> std::optional<Simulation> {
    if (!checkpoint->state) return std::nullopt;
    months = std::move(checkpoint->months);
    return Simulation::restore(std::move(checkpoint->state), std::move(checkpoint->initial), check);
  };
  std::fprintf(stderr, "regionsim: resuming '%s' after month %lld of %lld into '%s'\n",
               file.c_str(), static_cast<long long>(month),
               static_cast<long long>(checkpoint->scenario.run.steps), options.output.c_str());
  resumed.result = run_experiment(resumed.plan, options);
  resumed.options = std::move(options);
  return resumed;
}

}  // namespace regionsim
