#include "regionsim/simulation.hpp"

#include <string>

#include "accounting.hpp"
#include "flows.hpp"
#include "month.hpp"
#include "phases.hpp"
#include "promotion.hpp"
#include "record.hpp"
#include "regionsim/limits.hpp"
#include "shards.hpp"

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

Simulation::Simulation(const Scenario& scenario, bool check, ShardComm* shard)
    : state_(std::make_unique<ModelState>(within_limits(scenario))), check_(check) {
  // A shard builds only its own people; the month-0 calibration measures the run's totals
  // (summed over the shards).
  state_->shard = shard;
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

Simulation Simulation::restore(std::unique_ptr<ModelState> state, StepOutputs initial, bool check,
                               ShardComm* shard) {
  within_limits(state->scenario);
  state->shard = shard;
  return Simulation(std::move(state), std::move(initial), check);
}

Simulation::~Simulation() = default;
Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;

void simulate_month(ModelState& s, StepFlows& f, bool check_counts, PhaseClock* timing) {
  PhaseClock none(nullptr);
  PhaseClock& clock = timing != nullptr ? *timing : none;
  // Fresh flows, but the per-agent buffers of the previous month (if `f` held one) are kept for
  // their capacity: aggregate and talent_decisions overwrite every entry they read.
  Roster roster = std::move(f.roster);
  Separations left = std::move(f.separations);
  f = StepFlows(s.tables);
  f.roster = std::move(roster);
  f.separations = std::move(left);
  const MonthInputs in = inputs_of(s);
  aggregate(in, s.talent, s.firms, s.ids.firm, s.fields, f.roster);
  if (check_counts) check_employee_counts(s, f.roster);
  clock.lap(Phase::kAggregate);
  update_fields(in, s.gov.promotion, s.fields);
  clock.lap(Phase::kFields);
  // Decisions read the month through `m`; the fields change again only in the steps named so.
  const MonthView m{in, s.fields};
  firm_decisions(m, s.gov.promotion, s.firms, f.firms);
  clock.lap(Phase::kFirmDecisions);
  talent_decisions(m, s.firms, s.institutes, f.roster, s.talent, f.talent, f.separations);
  combine_talent_decisions(s.shard, f.talent, f.separations);
  settle_separations(f.separations, s.firms, s.institutes);
  clock.lap(Phase::kTalentDecisions);
  hire_researchers(m, s.institutes, s.talent, f.institutes);
  innovate(m, s.institutes, s.firms, s.ids.innovation, f.institutes);
  adopt_innovations(m, f.institutes, s.firms, s.ids.firm);
  clock.lap(Phase::kInstitutes);
  match_labour(m, s.talent, s.firms, f.labour);
  update_job_rates(in, f.labour, s.fields);
  clock.lap(Phase::kMatching);
  // A sharded run's people hired by or separated from another shard's firm this month leave
  // with the month's compaction (in entries_and_exits) and join the firm's (or their own) shard.
  const std::vector<Migrant> leaving = take_leaving_people(s.shard, s.talent);
  entries_and_exits(m, f.labour, s.talent, s.firms, s.ids, f.entries);
  welcome_people(s.shard, s.talent, leaving);
  sign_contracts(m, f.firms, f.entries, s.ids.firm, s.gov.promotion);
  clock.lap(Phase::kEntriesExits);
  invest_in_amenities(in, s.fields, f.government);
  supply_floor_space(in, s.fields, f.government);
  clock.lap(Phase::kInvestment);
  government(m, f.firms, f.entries, s.gov, f.government);
  clock.lap(Phase::kGovernment);
}

const StepOutputs& Simulation::step() {
  ModelState& s = *state_;
  if (!flows_) flows_ = std::make_unique<StepFlows>();
  StepFlows& flows = *flows_;
  PhaseClock clock(phase_times_);
  simulate_month(s, flows, check_, &clock);
  StepOutputs out = record(s, flows);
  if (check_) check_accounting(s, s.last, out, flows);
  clock.lap(Phase::kRecord);
  if (phase_times_ != nullptr) ++phase_times_->months;
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
