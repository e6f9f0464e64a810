// Wall time spent in each phase of the monthly step, for benchmarks and profiling (bench/
// phase_bench.cpp). Timing reads a steady clock between phases only when asked for
// (Simulation::time_phases): about a dozen clock reads a month, nothing per agent, and it never
// changes results.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace regionsim {

// The phases in the order a month runs them (simulate_month, simulation.cpp); each includes the
// handoff steps that follow it.
enum class Phase : std::uint8_t {
  kAggregate,        // head counts, rosters, employment
  kFields,           // wages, rents, multipliers, package values
  kFirmDecisions,    // production, tax, exit, relocation, labour demand
  kTalentDecisions,  // following employers, job loss, leaving, moving (and settling separations)
  kInstitutes,       // researchers hired, innovation, transfers and spin-offs
  kMatching,         // seekers and vacancies matched (and the job rates)
  kEntriesExits,     // exits removed, projects and talent arriving, contracts signed
  kInvestment,       // park-city amenity and floor supply
  kGovernment,       // attribution, budgets, promotion decisions
  kRecord,           // the month's outputs and the accounting checks when on
  kCount
};
inline constexpr std::size_t kPhaseCount = static_cast<std::size_t>(Phase::kCount);
inline constexpr std::array<const char*, kPhaseCount> kPhaseNames = {
    "aggregate", "fields",        "firm_decisions", "talent_decisions", "institutes",
    "matching",  "entries_exits", "investment",     "government",       "record"};

// Nanoseconds per phase summed over the months timed.
struct PhaseTimes {
  std::array<std::int64_t, kPhaseCount> ns{};
  std::int64_t months = 0;
  std::int64_t total_ns() const {
    std::int64_t sum = 0;
    for (const std::int64_t v : ns)
      sum += v;
    return sum;
  }
};

// Adds the time since the previous lap to a phase; does nothing without a PhaseTimes.
class PhaseClock {
 public:
  explicit PhaseClock(PhaseTimes* times) : times_(times), last_(times ? now() : 0) {}
  void lap(Phase phase) {
    if (times_ == nullptr) return;
    const std::int64_t t = now();
    times_->ns[static_cast<std::size_t>(phase)] += t - last_;
    last_ = t;
  }

 private:
  static std::int64_t now() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  PhaseTimes* times_;
  std::int64_t last_;
};

}  // namespace regionsim
