// One simulation run: a frozen Scenario advanced month by month. Thread count is set by the
// caller (tbb::global_control or a task_arena) and never changes the results.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "regionsim/phase_times.hpp"
#include "regionsim/scenario.hpp"
#include "regionsim/step_outputs.hpp"

namespace regionsim {

// A broken accounting identity: a bug in the engine, never bad input. Names the month, the
// identity and both sides.
class AccountingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ModelState;
class ShardComm;
struct StepFlows;

class Simulation {
 public:
  // `check` turns on the accounting identities every month (tests always do). With `shard` the
  // run is one shard of a sharded run (regionsim/shard.hpp): every shard constructs it with the
  // same scenario and steps it in step; `shard` must outlive it.
  explicit Simulation(const Scenario& scenario, bool check = false, ShardComm* shard = nullptr);
  ~Simulation();
  Simulation(Simulation&&) noexcept;
  Simulation& operator=(Simulation&&) noexcept;

  // Simulates the next month and returns its record.
  const StepOutputs& step();
  // The record of the initial state (month -1): the stocks the first month starts from.
  const StepOutputs& initial() const { return initial_; }
  // The latest month's record (the initial state before the first step).
  const StepOutputs& last() const;
  std::int64_t month() const;  // months simulated so far
  std::size_t talent_count() const;
  std::size_t firm_count() const;
  const Scenario& scenario() const;

  // A copy of this simulation's state that continues under `arm`: the shared warm-up of
  // experiment arms. Bit-identical to simulating `arm` from month 0 when the two scenarios
  // coincide for the months simulated so far (common_prefix_months >= month()); tables derived
  // from the scenario at month 0 are kept, so arms may differ only in what acts later. `arm` must
  // have the same seed (the same replicate), else std::logic_error.
  Simulation fork(const Scenario& arm) const;

  // The state behind the simulation, written by checkpoints (engine/src/checkpoint.hpp).
  const ModelState& state() const { return *state_; }
  // A simulation continuing from a checkpoint's state; `initial` is its month -1 record. A sharded
  // run's shard continues from its own checkpoint with `shard`, the same shard of as many.
  static Simulation restore(std::unique_ptr<ModelState> state, StepOutputs initial, bool check,
                            ShardComm* shard = nullptr);

  // Adds the wall time of each phase of every later step() to `*times` (nullptr: stop timing).
  // `times` must outlive the timing; timing never changes results.
  void time_phases(PhaseTimes* times) { phase_times_ = times; }

 private:
  Simulation(std::unique_ptr<ModelState> state, StepOutputs initial, bool check);

  std::unique_ptr<ModelState> state_;
  StepOutputs initial_;
  bool check_ = false;
  PhaseTimes* phase_times_ = nullptr;
  // The month's flows, kept between steps so the per-agent buffers (roster, separations) are
  // reused instead of allocated and zeroed every month; no state passes from month to month.
  std::unique_ptr<StepFlows> flows_;
};

}  // namespace regionsim
