// One game of strategic promotion: the packages of every promoter for one sector and one target
// (projects from outside, or firms moving within the science city), with the promoters' objective,
// its gradient, their best responses and the damped iteration to the game's equilibrium. Internal
// to strategic_government.cpp (docs/model.md §14.3 and §14.5); games are independent, so they can
// be solved in parallel, each serially.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "instruments.hpp"
#include "strategic_government.hpp"

namespace regionsim::promotion {

using Levels3 = std::array<double, kInstruments>;

inline Levels3 as_levels(const OfferPackage& o) {
  return {o.settlement, o.refund_scale, o.rent_discount};
}

// One independent game: the offers of every promoter for one sector and one target.
struct Game {
  std::size_t sector = 0;
  OfferTarget target = OfferTarget::kOutside;
  InstrumentLadder ladder;
  std::vector<Levels3> unit_value, unit_cost;  // Z x C, per unit level of each instrument
  std::vector<double> move_weight;  // within: Z x Z, exp(base utility - the row's largest)
  std::vector<double> mass;   // outside: C projects per period; within: Z x C reviews per period
  std::vector<double> value;  // outside: P x Z x C per entry; within: P x Z x Z x C per move
};

struct Context {
  const DecisionInputs& in;
  const std::vector<Promoter>& prom;
  std::size_t P;
};

struct Scratch {
  std::vector<double> utility, shares, margin, du, cost;
  std::vector<Levels3> zone_levels;  // Z
  std::vector<double> firm_pv;       // Z x C
  std::vector<double> offer_factor;  // within: Z x C, exp(β PV - the class's largest)
  std::vector<double> stay_factor;   // within: C, exp(-the class's largest β PV)
};

// Outcome of one game for one promoter: objective (with a given budget weight), its gradient with
// respect to the promoter's own instrument levels, and the present cost of the period's
// commitments, by instrument.
struct Outcome {
  double objective = 0;
  Levels3 gradient{};
  Levels3 spending{};
};

struct GameResult {
  int iterations = 0;
  bool converged = true;
};

inline bool sets_any_zone(const Promoter& p) {
  for (double w : p.setter)
    if (w > 0) return true;
  return false;
}

// The game of sector s and target `target`: ladder, unit values and costs per zone x class, masses
// and the value of each flow to each promoter.
Game make_game(const DecisionInputs& in, const std::vector<Promoter>& prom, std::size_t s,
               OfferTarget target);
// Every game, sector-major, outside then within.
std::vector<Game> make_games(const DecisionInputs& in, const std::vector<Promoter>& prom);

// Objective of promoter p under the packages `pkg` (P), its gradient in p's own levels, and p's
// commitments by instrument.
Outcome evaluate(const Context& cx, const Game& g, std::size_t p,
                 const std::vector<OfferPackage>& pkg, double budget_weight, Scratch& sc);

// Damped simultaneous best responses from `level` (P ladder levels, updated in place).
GameResult solve_game(const Context& cx, const Game& g, std::vector<double>& level,
                      const std::vector<double>& budget_weight, const SolverSettings& st);

std::vector<OfferPackage> packages_of(const Context& cx, const Game& g,
                                      const std::vector<double>& level);

// Expected flows per month of the games under the packages (promoter x sector x target); only
// the within-region games when `within_only`.
ExpectedFlows flows_of(const Context& cx, const std::vector<Game>& games,
                       const InstrumentTable& packages, bool within_only = false);

}  // namespace regionsim::promotion
