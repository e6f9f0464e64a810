// Checkpoint member lists of the jurisdictions' books and strategic promotion: packages in force
// and decided, the decision's warm start, and the contracts with their payers
// (checkpoint_archive.hpp). Committee state lives in these (the promoters' `committee` flags,
// ZoneFields::committee_zone), so it is covered too.
#include "checkpoint_archive.hpp"
#include "model_state.hpp"

namespace regionsim {

namespace {

// Sizes on the 64-bit Linux targets, from the members' sizes: a member added to one of these
// structs fails the check until it is listed below and the count updated.
constexpr bool k64 = sizeof(void*) == 8;
constexpr std::size_t kVec = sizeof(std::vector<int>), kMat = sizeof(Matrix);
static_assert(sizeof(OfferPackage) == 3 * sizeof(double),
              "OfferPackage changed: list the new member in checkpoint_government.cpp");
static_assert(!k64 || sizeof(Contract) == 8 + sizeof(OfferPackage) + kVec + 8,
              "Contract changed: list the new member in engine/src/checkpoint_government.cpp");
static_assert(!k64 || sizeof(PackagesInForce) == sizeof(InstrumentTable) + 4 * kVec,
              "PackagesInForce changed: list the new member in checkpoint_government.cpp");
static_assert(!k64 || sizeof(Promotion) == 2 * sizeof(PackagesInForce) + 4 * kVec + 8 + 8 +
                                               sizeof(std::vector<Contract>) + kVec,
              "Promotion changed: list the new member in engine/src/checkpoint_government.cpp");
static_assert(!k64 || sizeof(Jurisdictions) == 2 * kMat + 8 + 13 * kVec + 4 * sizeof(Money) + 8 +
                                                   sizeof(Money) + sizeof(Promotion),
              "Jurisdictions changed: list the new member in checkpoint_government.cpp");

template <class A, StatePart<OfferPackage> P>
void visit(A& a, P& p) {
  a(p.settlement), a(p.refund_scale), a(p.rent_discount);
}

template <class A, StatePart<Contract> C>
void visit(A& a, C& c) {
  a(c.month), a(c.zone), a(c.sector), a(c.target), a(c.package), a(c.payer), a(c.committee);
}

template <class A, StatePart<PackagesInForce> P>
void visit(A& a, P& p) {
  a(p.packages), a(p.setter), a(p.payer), a(p.committee), a(p.index);
}

template <class A, StatePart<Promotion> P>
void visit(A& a, P& p) {
  a(p.in_force), a(p.pending), a(p.levels), a(p.levels_key), a(p.tax_per_firm);
  a(p.rent_per_firm), a(p.decision_converged), a(p.decision_iterations), a(p.contracts);
  a(p.contract_of);
}

template <class A, StatePart<Jurisdictions> J>
void visit(A& a, J& j) {
  a(j.offer), a(j.pending_offer), a(j.pending_from), a(j.budget), a(j.direction);
  a(j.last_score), a(j.period_gdp), a(j.period_tax), a(j.prev_period_gdp);
  a(j.prev_period_tax), a(j.period_subsidies), a(j.region_period_gdp), a(j.region_period_tax);
  a(j.region_prev_period_gdp), a(j.region_prev_period_tax), a(j.score), a(j.last_review);
  a(j.tax_base_z), a(j.gdp_base_z), a(j.prev_credit_tax_z), a(j.prev_credit_gdp_z);
  a(j.cumulative_subsidies), a(j.promotion);
}

}  // namespace

REGIONSIM_ARCHIVE_BY_VISIT(OfferPackage)
REGIONSIM_ARCHIVE_BY_VISIT(Contract)
REGIONSIM_ARCHIVE_BY_VISIT(PackagesInForce)
REGIONSIM_ARCHIVE_BY_VISIT(Promotion)
REGIONSIM_ARCHIVE_BY_VISIT(Jurisdictions)

}  // namespace regionsim
