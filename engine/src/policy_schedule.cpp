#include "policy_schedule.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace regionsim {

namespace {

// Scenario sections that are governance levers: each acts only from its start_month on.
constexpr std::array<std::string_view, 7> kLevers = {
    "tax_sharing",   "statistics_sharing", "joint_promotion", "assessment",
    "core_traction", "park_city",          "cadence"};

// Earliest month a lever section can act in either scenario (-1 for never).
std::int64_t first_start(const toml::table& a, const toml::table& b, std::string_view lever) {
  std::int64_t first = -1;
  for (const toml::table* t : {&a, &b}) {
    const std::int64_t start = (*t)[lever]["start_month"].value_or(std::int64_t{-1});
    if (start >= 0) first = first < 0 ? start : std::min(first, start);
  }
  return first;
}

}  // namespace

std::int64_t common_prefix_months(const Scenario& a, const Scenario& b) {
  const std::int64_t steps = std::min(a.run.steps, b.run.steps);
  toml::table ta = toml::parse(a.resolved_toml);
  toml::table tb = toml::parse(b.resolved_toml);
  std::int64_t prefix = steps;
  for (std::string_view lever : kLevers) {
    const toml::table* la = ta[lever].as_table();
    const toml::table* lb = tb[lever].as_table();
    const bool same = (la == nullptr && lb == nullptr) || (la && lb && *la == *lb);
    if (!same) {
      const std::int64_t start = first_start(ta, tb, lever);
      // A lever that differs but never starts in either scenario does not act at all.
      if (start >= 0) prefix = std::min(prefix, start);
    }
    ta.erase(lever);
    tb.erase(lever);
  }
  // Labels and the run length do not change what is simulated month by month.
  for (std::string_view label : {"name", "description"}) {
    ta.erase(label);
    tb.erase(label);
  }
  if (auto* run = ta["run"].as_table()) run->erase("steps");
  if (auto* run = tb["run"].as_table()) run->erase("steps");
  return ta == tb ? prefix : 0;
}

}  // namespace regionsim
