#include "regionsim/simulation.hpp"

#include <string>

#include "phases.hpp"
#include "regionsim/limits.hpp"

namespace regionsim {

namespace {

// The loader refuses larger regions as bad input; a Scenario built in code is checked here, since
// its indices would wrap around in the agents' one-byte columns.
const Scenario& within_limits(const Scenario& s) {
  auto check = [](std::size_t count, std::size_t limit, const char* what) {
    if (count > limit)
      throw std::invalid_argument("Simulation: " + std::to_string(count) + " " + what +
                                  "; the engine supports at most " + std::to_string(limit));
  };
  check(s.zones.size(), kMaxZones, "zones");
  check(s.sectors.size(), kMaxSectors, "sectors");
  check(s.skills.size(), kMaxSkills, "skills");
  check(s.jurisdictions.size(), kMaxJurisdictions, "jurisdictions");
  return s;
}

}  // namespace

Simulation::Simulation(const Scenario& scenario, bool check)
    : state_(std::make_unique<ModelState>(within_limits(scenario))), check_(check) {
  initialise(*state_);
  initial_ = record_stocks(*state_);
  state_->last = initial_;
}

Simulation::Simulation(std::unique_ptr<ModelState> state, StepOutputs initial, bool check)
    : state_(std::move(state)), initial_(std::move(initial)), check_(check) {}

Simulation Simulation::fork(const Scenario& arm) const {
  if (arm.run.seed != state_->scenario.run.seed)
    throw std::logic_error("Simulation::fork: arm '" + arm.name + "' has seed " +
                           std::to_string(arm.run.seed) + ", the simulation " +
                           std::to_string(state_->scenario.run.seed) +
                           "; only arms of the same replicate share a warm-up");
  // ModelState is a value type (agent stores, Eigen tables, books): copying it copies the run.
  auto copy = std::make_unique<ModelState>(*state_);
  copy->scenario = arm;
  return Simulation(std::move(copy), initial_, check_);
}

Simulation::~Simulation() = default;
Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;

void simulate_month(ModelState& s, StepFlows& f, bool check_counts) {
  f.reset(s.tables);
  aggregate(s, f);
  if (check_counts) check_employee_counts(s, f);
  update_fields(s, f);
  firm_decisions(s, f);
  talent_decisions(s, f);
  institutes_innovate(s, f);
  match_labour(s, f);
  entries_and_exits(s, f);
  government(s, f);
}

const StepOutputs& Simulation::step() {
  ModelState& s = *state_;
  StepFlows flows;
  simulate_month(s, flows, check_);
  StepOutputs out = record(s, flows);
  if (check_) check_accounting(s, s.last, out, flows);
  s.last = std::move(out);
  ++s.month;
  return s.last;
}

const StepOutputs& Simulation::last() const {
  return state_->last;
}
std::int64_t Simulation::month() const {
  return state_->month;
}
std::size_t Simulation::talent_count() const {
  return state_->talent.size();
}
std::size_t Simulation::firm_count() const {
  return state_->firms.size();
}
const Scenario& Simulation::scenario() const {
  return state_->scenario;
}

}  // namespace regionsim
