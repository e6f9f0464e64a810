#include "policy_schedule.hpp"

#include <algorithm>
#include <tuple>
#include <type_traits>

namespace regionsim {

namespace {

// Earliest month either version of a lever acts in (-1 for never).
std::int64_t first_start(std::int64_t a, std::int64_t b) {
  if (a < 0) return b;
  if (b < 0) return a;
  return std::min(a, b);
}

// The scenario as simulated month by month from the start: the levers at rest (they act only from
// their start month, judged separately), and without labels, provenance or the run's length.
Scenario acting_from_the_start(Scenario s) {
  std::apply([](auto&... lever) { ((lever = std::remove_cvref_t<decltype(lever)>{}), ...); },
             s.levers());
  s.name.clear();
  s.source_file.clear();
  s.extends_chain.clear();
  s.resolved_toml.clear();
  s.run.steps = 0;
  return s;
}

}  // namespace

std::int64_t common_prefix_months(const Scenario& a, const Scenario& b) {
  std::int64_t prefix = std::min(a.run.steps, b.run.steps);
  const auto limit_by = [&prefix](const auto& lever_a, const auto& lever_b) {
    if (lever_a == lever_b) return;
    // A lever that differs but never starts in either scenario does not act at all.
    const std::int64_t start = first_start(lever_a.start_month, lever_b.start_month);
    if (start >= 0) prefix = std::min(prefix, start);
  };
  std::apply(
      [&](const auto&... lever_a) {
        std::apply([&](const auto&... lever_b) { (limit_by(lever_a, lever_b), ...); }, b.levers());
      },
      a.levers());
  return acting_from_the_start(a) == acting_from_the_start(b) ? prefix : 0;
}

}  // namespace regionsim
