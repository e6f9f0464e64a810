// Which governance levers are in force in a month, and the settings that follow from them.
// Every lever is a scenario section with a start month (-1: never), so a scenario switches a
// lever on by one line and experiments can share the months before the first start.
#pragma once

#include <cmath>
#include <cstdint>

#include "month_view.hpp"

namespace regionsim {

inline bool in_force(std::int64_t start_month, std::int64_t month) {
  return start_month >= 0 && month >= start_month;
}

inline bool joint_promotion_on(const MonthInputs& m) {
  return in_force(m.scenario.joint_promotion.start_month, m.month);
}
inline bool committee_on(const MonthInputs& m) {
  return in_force(m.scenario.committee.start_month, m.month);
}
inline bool core_traction_on(const MonthInputs& m) {
  return in_force(m.scenario.core_traction.start_month, m.month);
}

inline bool fair_competition_on(const MonthInputs& m) {
  return in_force(m.scenario.fair_competition.start_month, m.month);
}

inline std::int64_t decision_period(const MonthInputs& m) {
  return in_force(m.scenario.cadence.start_month, m.month) ? m.scenario.cadence.decision_period
                                                           : m.scenario.government.decision_period;
}
inline std::int64_t decision_lag(const MonthInputs& m) {
  return in_force(m.scenario.cadence.start_month, m.month) ? m.scenario.cadence.decision_lag
                                                           : m.scenario.government.decision_lag;
}

// Probability an investment project learns of a zone: joint promotion's one shared database (its
// search part) shows every zone.
inline double zones_known(const MonthInputs& m) {
  return joint_promotion_on(m) && m.scenario.joint_promotion.search
             ? 1.0
             : m.scenario.government.zones_known;
}

// Part of `amount` (yuan) given by a share, rounded to the yuan; the rest stays with the caller.
inline Money share_of(Money amount, double share) {
  return static_cast<Money>(std::llround(share * static_cast<double>(amount)));
}

// Months a share lasting `years` covers.
inline std::int64_t months_of(double years) {
  return static_cast<std::int64_t>(std::llround(years * 12.0));
}

}  // namespace regionsim
