// Shared fixtures for the engine tests: the shipped baseline at a small scale.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "accounting.hpp"
#include "month.hpp"
#include "phases.hpp"
#include "record.hpp"
#include "regionsim/scenario.hpp"
#include "regionsim/scenario_loader.hpp"

namespace regionsim::testing {

inline bool contains(const std::string& text, std::string_view fragment) {
  return text.find(fragment) != std::string::npos;
}

inline std::string source_path(const std::string& relative) {
  return std::string(REGIONSIM_SOURCE_DIR) + "/" + relative;
}

// The message of the InputError `action` throws; a test failure if it throws nothing or
// another type.
template <typename Action>
inline std::string input_error(Action&& action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  } catch (const std::exception& error) {
    ADD_FAILURE() << "expected InputError, got: " << error.what();
    return {};
  }
  ADD_FAILURE() << "expected InputError, nothing was thrown";
  return {};
}

// Baseline at 1% of real scale (about 1,200 firms and 6,300 talent) unless overridden.
inline Scenario small_baseline(std::vector<std::string> overrides = {}) {
  overrides.insert(overrides.begin(), {"run.scale=0.01", "run.steps=24"});
  return load_scenario(source_path("scenarios/baseline.toml"), overrides);
}

// A month prepared up to the decisions: state initialised, aggregates and prices computed, so a
// test can run one phase and compare it with the analytic expectation.
struct PreparedMonth {
  ModelState state;
  StepFlows flows;
  explicit PreparedMonth(const Scenario& s, std::int64_t month = 0) : state(s) {
    initialise(state);
    state.month = month;
    flows = StepFlows(state.tables);
    aggregate(inputs_of(state), state.talent, state.firms, state.ids.firm, state.fields,
              flows.roster);
    update_fields(inputs_of(state), state.gov.promotion, state.fields);
  }
  MonthView view() const { return view_of(state); }
};
// A resolved scenario without its `name` and `description` lines: what makes two arms the same
// simulation (a test stand-in for common_prefix_months while scenarios without levers differ from
// month 0 or not at all).
inline std::string without_name(const std::string& resolved_toml) {
  std::string out;
  std::size_t start = 0;
  while (start < resolved_toml.size()) {
    std::size_t end = resolved_toml.find('\n', start);
    if (end == std::string::npos) end = resolved_toml.size();
    const std::string line = resolved_toml.substr(start, end - start);
    if (!line.starts_with("name =") && !line.starts_with("description =")) out += line + "\n";
    start = end + 1;
  }
  return out;
}

}  // namespace regionsim::testing
