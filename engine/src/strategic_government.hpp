// Strategic investment promotion: every decision period each promoter — a jurisdiction, or a
// management committee for the zones in its remit — chooses its instruments per sector and target
// (projects from outside, firms already in the science city) to maximise its objective: the change
// of its assessment score under the rules in force, minus the budget cost, given how projects and
// firms respond. docs/model.md §14 states the equations; this header is their interface.
//
// Design decisions
// - Plain aggregates in, decisions out (no ModelState): cells are zone x sector x size class, never
//   agents, and hold only what a government can know — counts, average tax, GDP and rent per firm,
//   base utilities of the model's own choice rules, the probability a project knows a zone. Not the
//   firms' private draws, not which zones a given project knows.
// - Expected responses are the model's own choice probabilities: the nested logit of projects
//   (expected over the zones they may know) and the relocation logit of firms.
// - Each promoter's package for a (sector, target) is one level along a ladder of its allowed
//   instruments, cheapest per unit of value to the firm first (instruments.hpp). Sectors and
//   targets are independent games (an offer to one never changes the choices of another), solved
//   in parallel; inside a game the iteration is serial, so results do not depend on thread count.
// - Equilibrium: damped simultaneous (Jacobi) best responses from a warm start, in a fixed order,
//   stopping when no level moves by more than `tolerance` or after `max_iterations`. A best
//   response compares the ladder's corners and the roots of the first-order condition inside each
//   rung (analytic derivatives of the choice probabilities, Illinois steps with fixed counts): the
//   same inputs give the same bits.
// - Budgets: a promoter whose commitments exceed `spending_cap_share` of its available funds raises
//   the shadow price of its money and the period is solved again (a fixed number of rounds); if it
//   still overspends, its levels are scaled down until it does not. No funds: no offers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "instruments.hpp"

namespace regionsim {

// Assessment score weights in force (growth rates of what is credited).
struct AssessmentWeights {
  double own_gdp = 0.5, own_tax = 0.5;        // the promoter's own credited GDP and tax
  double region_gdp = 0.0, region_tax = 0.0;  // science-city totals (integrated assessment)
  double tournament = 0.25;  // own GDP growth minus the peer jurisdictions' mean (Li & Zhou 2005)
};

// A management committee runs promotion for the zones in its remit, funded by the owners.
struct Committee {
  enum class Objective : std::uint8_t {
    kRemit,   // the remit's combined GDP and tax (no tournament)
    kOwners,  // the sum of the funding jurisdictions' own objectives (a joint office)
  };
  std::vector<std::uint8_t> remit;  // Z: 1 if the committee sets the zone's instruments
  std::vector<double> funding;      // J: shares in which the owners pay its spending
  Objective objective = Objective::kRemit;
  double available_funds = 0;  // mCNY it may commit
};

struct SolverSettings {
  double damping = 1.0;  // share of the step to the best response taken per iteration ...
  double min_damping = 1.0 / 1024;  // ... halved, down to this, when steps stop shrinking
  int max_iterations = 60;          // iterations of the best-response loop per game
  double tolerance = 1e-3;          // on ladder levels (0.1 % of one instrument's cap)
  double switch_margin = 0.01;      // relative gain needed to leave the nearest local optimum
  double root_tolerance = 1e-6;     // of the first-order condition's root within a rung
  int root_iterations = 40;         // Illinois steps per rung
  int budget_rounds = 4;            // re-solves with raised shadow prices
  int guard_bisections = 30;        // bisections of the final budget guard
};

// Everything a decision uses, as aggregates. Layouts are row-major in the order named.
struct DecisionInputs {
  std::size_t Z = 0, S = 0, J = 0, C = 0;  // zones, sectors, jurisdictions, size classes

  // Who sets instruments where: by default each zone's owners in ownership shares; a zone in a
  // committee's remit is set by that committee alone.
  std::vector<double> ownership;  // Z x J, rows sum to 1
  std::vector<Committee> committees;

  // Crediting rules in force, for marginal amounts: share of zone z's GDP (tax) credited to
  // jurisdiction j — ownership, pooled shares and the pool formula folded in (columns sum to 1).
  std::vector<double> gdp_credit, tax_credit;  // J x Z
  // Origin split of a relocated firm's amounts: share credited to the zone it left, and months.
  double gdp_origin_share = 0, tax_origin_share = 0;
  std::int64_t gdp_origin_months = 0, tax_origin_months = 0;
  std::vector<double> zone_gdp, zone_tax;  // Z, mCNY/month now: the growth denominators

  std::vector<double> available_funds;  // J: budget + debt limit, mCNY

  // Projects from outside.
  std::vector<double> project_rate;         // S: arrivals per month
  std::vector<double> project_class_share;  // S x C
  std::vector<double> project_utility;      // Z x S, without offers (-inf: no floor space)
  std::vector<double> outside_utility;      // S
  std::vector<double> zone_known;           // Z: probability a project knows the zone
  double nest_lambda = 1.0;                 // dissimilarity of the region's nest

  // Firms already in the science city.
  std::vector<double> firms;         // Z x S x C
  std::vector<double> review_rate;   // Z x S x C: probability a firm reviews its zone per month
  std::vector<double> move_utility;  // Z(from) x Z(to) x S, without offers, moving costs included

  // Per firm, per month, in each cell.
  std::vector<double> gdp_per_firm, tax_per_firm, rent_per_firm;  // Z x S x C, mCNY

  double beta_offer = 1.0;  // choice utility per mCNY of a package's value to the firm

  InstrumentTerms terms;
  bool fair_competition = false;
  bool within_offers = true;  // false: partners do not court each other's firms (joint promotion)
  double firm_discount_rate = 0.10;        // a year
  double government_discount_rate = 0.05;  // a year
  double monthly_stay = 1.0;               // probability a firm is still there next month
  std::int64_t horizon_months = 36;        // the assessment horizon of the promoters
  double beyond_horizon_weight = 0.5;      // weight of payments after the horizon

  AssessmentWeights weights;
  double budget_weight = 1.0;       // score cost of a mCNY spent, in mCNY of own tax
  std::int64_t period_months = 6;   // months the decision is in force
  double spending_cap_share = 0.5;  // commitments allowed per period, share of available funds
};

// A promoter's identity and what it values, derived from the inputs.
struct Promoter {
  bool committee = false;
  std::size_t index = 0;       // jurisdiction or committee index
  std::vector<double> setter;  // Z: its share in setting (and paying) each zone's instruments
  std::vector<double> gdp_value, tax_value;  // Z: objective (mCNY) per mCNY of credited change
  double available_funds = 0;
};

// Jurisdictions (those setting at least one zone) first, then committees.
std::vector<Promoter> promoters(const DecisionInputs& in);

// Expected flows per month under a set of packages, from the choice probabilities.
struct ExpectedFlows {
  std::vector<double> entries;      // Z x S projects settling
  std::vector<double> moves;        // Z(from) x Z(to) x S relocations (diagonal zero)
  std::vector<double> commitments;  // P x kInstruments: present cost to each promoter of the
                                    // packages taken in a month (government view)
};
ExpectedFlows expected_flows(const DecisionInputs& in, const std::vector<Promoter>& promoters,
                             const InstrumentTable& packages);

struct Decision {
  std::vector<Promoter> promoters;
  InstrumentTable packages;           // P x S x target
  std::vector<double> levels;         // P x S x target, ladder levels (the next warm start)
  std::vector<double> shadow_price;   // P: multiplier on the budget weight
  std::vector<std::uint8_t> guarded;  // P: 1 if the final budget guard scaled its levels down
  int iterations = 0;                 // largest number over the games, last budget round
  bool converged = false;             // every game met the tolerance
  ExpectedFlows flows;                // with the decided packages
  std::vector<double> moves_without_offers;  // Z x Z x S, within-region packages withdrawn
};

// The period's decision. `warm_levels` (P x S x target, as returned last period) starts the
// iteration; empty starts from zero.
Decision decide(const DecisionInputs& in, const SolverSettings& settings = {},
                const std::vector<double>& warm_levels = {});

}  // namespace regionsim
