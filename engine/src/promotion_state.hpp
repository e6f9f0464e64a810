// What strategic investment promotion carries from month to month (issue 8, docs/model.md §14.6):
// the promoters' packages in force and decided, whom each promoter's packages cover and who pays
// for them, the warm start of the next decision, the firm profiles the decision valued packages
// on, and the book of contracts signed with firms.
//
// Design decisions
// - A contract keeps the terms and the payers of the day it was signed, so an obligation stays with
//   the jurisdictions that signed it even if a committee later takes the zone over.
// - Contracts are appended in the order firms are handled serially (store order, that is id
//   order), never in thread order; a firm refers to its contract through a table indexed by firm
//   id (ids are dense), so the firm store needs no new column.
// - Nothing here is a pointer: a checkpoint or a fork copies it as a value.
#pragma once

#include <cstdint>
#include <vector>

#include "instruments.hpp"

namespace regionsim {

// Promotion size classes (not the outputs' half-decade classes of size_classes.hpp): [0, 10), [10,
// 50), [50, inf) [judgement: micro, small and larger firms; a refund or rent discount is worth more
// to a larger firm].
inline constexpr std::int32_t kPromotionClassBounds[] = {10, 50};
inline constexpr std::size_t kPromotionClasses = 3;
inline std::size_t promotion_class(double employees) {
  std::size_t c = 0;
  for (std::int32_t b : kPromotionClassBounds)
    if (employees >= b) ++c;
  return c;
}

// The promoters' packages and who they cover: setter(p, z) is promoter p's share in setting (and
// paying for) zone z's packages, payer(p, j) the share of p's spending jurisdiction j pays.
inline constexpr std::uint8_t kJointOffice = 1, kSeparationCommittee = 2;
struct PackagesInForce {
  InstrumentTable packages;    // P x S x target
  std::vector<double> setter;  // P x Z
  std::vector<double> payer;   // P x J
  // P: 0 a jurisdiction, kJointOffice or kSeparationCommittee (a Committee of either objective)
  std::vector<std::uint8_t> committee;
  std::vector<std::size_t> index;  // P: jurisdiction or committee index
  std::size_t promoters() const { return committee.size(); }
};

struct Contract {
  std::int32_t month = 0;  // signed at the end of this month; payments start the month after
  std::uint8_t zone = 0, sector = 0;
  OfferTarget target = OfferTarget::kOutside;
  OfferPackage package;
  std::vector<double> payer;   // J: shares of the payments each jurisdiction makes
  std::uint8_t committee = 0;  // 1 if a separation committee's package (committee_spending)
};

struct Promotion {
  PackagesInForce in_force, pending;
  std::vector<double> levels;  // P x S x target: the next decision's warm start
  // Which promoters `levels` belong to (committee flag * 1024 + index), to drop the warm start
  // when the promoter set changes.
  std::vector<std::int64_t> levels_key;
  // Per zone x sector x size class, mCNY a month per firm at the latest decision: what packages
  // are valued on, by governments and firms alike (cell means, not any firm's own draw).
  std::vector<double> tax_per_firm, rent_per_firm;
  bool decision_converged = true;
  std::int64_t decision_iterations = 0;
  std::vector<Contract> contracts;
  std::vector<std::int32_t> contract_of;  // firm id -> contract index, -1 none
};

}  // namespace regionsim
