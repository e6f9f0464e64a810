// Strategic investment promotion in the monthly phases (docs/model.md §14.6): the packages in force
// per zone as a field, what they are worth to firms, the contracts firms sign when they settle or
// move, and the period's decision (promotion_inputs.cpp builds what it uses from the state).
#pragma once

#include "flows.hpp"
#include "month_view.hpp"
#include "strategic_government.hpp"

namespace regionsim {

// Instrument forms and the two valuations, from the scenario.
InstrumentTerms instrument_terms(const Scenario& s);
Valuation firm_valuation(const Scenario& s);

// How far jurisdiction j's budget may fall below zero (yuan).
Money debt_limit(const Scenario& s, std::size_t j);

// The zone fields of promotion: packages in force per zone x sector x target (setter-weighted
// sum of the promoters' packages, with what the fair-competition review forbids removed), who pays
// for them, and their value to an incoming project (`offer`) and to a mover of each size class
// (`within_value`).
void set_zone_packages(const MonthInputs& m, const Promotion& pr, ZoneFields& f);

// Index of a zone x sector x class cell.
inline std::size_t cell_index(const Extents& e, std::size_t z, std::size_t s, std::size_t c) {
  return (z * e.S + s) * kPromotionClasses + c;
}

// Handoff after entries: firms that moved this month sign the within package of their new zone
// (any contract they held ends), projects that settled sign their zone's outside package. In id
// order, then creation order backwards, so the book is the same whatever the thread count; a
// sharded run's shards each sign for the firms they hold (both lists are the run's).
void sign_contracts(const MonthView& m, const FirmFlows& firms, const EntryFlows& entries,
                    AgentId id_bound, Promotion& pr);

// The decision of the month: decide() on the inputs built from the state; the packages take
// effect after the decision lag.
void decide_promotion(const MonthView& m, const FirmFlows& firms, Jurisdictions& g);

// Puts decided packages in force once their month has come (end of month `m.month`).
void apply_pending_packages(const MonthInputs& m, Jurisdictions& g);

// Promotion's inputs from the state (promotion_inputs.cpp).
DecisionInputs decision_inputs(const MonthView& m, const FirmFlows& firms, const Jurisdictions& g);

}  // namespace regionsim
