// The strategic-promotion keys of the parameter registry (issue 8, docs/model.md §14): the
// promoters' horizon, tournament and budget weights, and the forms of the instruments.
#include "param_table.hpp"

namespace regionsim {
namespace {

using namespace binding;

constexpr ParamSpec kPromotionParams[] = {
    {SECTION_PARAM(government, tournament), .unit = "-", .def = of(0.25), .min = 0, .max = 1,
     .about = "weight of own GDP growth relative to the peers' mean in a promoter's score",
     .basis = "contested: Li & Zhou 2005, Chen, Li & Zhou 2005 vs Pang et al. 2023; sweep it"},
    {SECTION_PARAM(government, horizon_months), .unit = "months", .def = of(36), .min = 1,
     .max = 240, .about = "months ahead a promoter weighs gains and payments fully",
     .basis = "judgement: a leader's tenure (Li & Zhou 2005)"},
    {SECTION_PARAM(government, beyond_horizon_weight), .unit = "-", .def = of(0.5), .min = 0,
     .max = 1, .about = "weight of payments due after the horizon", .basis = "judgement"},
    {SECTION_PARAM(government, budget_weight), .unit = "-", .def = of(1.0), .min = 0, .max = 10,
     .about = "score cost of a mCNY of promotion spending, in mCNY of own tax",
     .basis = "judgement: a yuan spent is a yuan of tax not had"},
    {SECTION_PARAM(assessment, tournament), .unit = "-", .def = of(0.0), .min = 0, .max = 1,
     .about = "tournament weight while integrated assessment is in force",
     .basis = "judgement: integrated assessment removes the contest between partners (issue 8)"},

    // [committee]
    {SECTION_PARAM(committee, start_month), .unit = "month", .def = of(-1), .min = -1, .max = 1e6,
     .about = "month a management committee takes over promotion of its remit; -1 never",
     .basis = "convention"},
    {SECTION_PARAM(committee, remit), .unit = "flag", .def = ParamDefault::empty_table(), .min = 0,
     .max = 1, .keys = Entity::zone,
     .about = "zones whose promotion the committee sets: 1 in the remit, 0 not; empty: every zone",
     .basis = "judgement: the Future Science and Technology City committee covers the whole city"},
    {SECTION_PARAM(committee, mode), .unit = "-",
     .def = ParamDefault::choice(CommitteeMode::science_city),
     .about = "one committee for the whole remit, or one per zone in it (per co-built zone)",
     .basis = "judgement: one management committee per science city is the Chengdu pattern"},
    {SECTION_PARAM(committee, funding), .unit = "share", .def = ParamDefault::empty_table(),
     .min = 0, .max = 1e6, .keys = Entity::jurisdiction,
     .about = "shares in which the owners pay the committee's spending (normalised); empty: land "
              "shares of the remit",
     .basis = "judgement: co-built parks split costs as they split the land"},

    // [instruments]
    {SECTION_PARAM(instruments, refund_share_1), .unit = "share", .def = of(0.7), .min = 0,
     .max = 1, .about = "refund of the local fiscal contribution, first stage, at full scale",
     .basis = "fact, low confidence: the 70 % x 3 y, 50 % x 2 y template (REAL-WORLD-FACTS.md)"},
    {SECTION_PARAM(instruments, refund_years_1), .unit = "years", .def = of(3.0), .min = 0,
     .max = 20, .about = "length of the refund's first stage", .basis = "fact, low confidence"},
    {SECTION_PARAM(instruments, refund_share_2), .unit = "share", .def = of(0.5), .min = 0,
     .max = 1, .about = "refund share in the second stage", .basis = "fact, low confidence"},
    {SECTION_PARAM(instruments, refund_years_2), .unit = "years", .def = of(2.0), .min = 0,
     .max = 20, .about = "length of the refund's second stage", .basis = "fact, low confidence"},
    {SECTION_PARAM(instruments, rent_years), .unit = "years", .def = of(3.0), .min = 0, .max = 20,
     .about = "how long a rent discount lasts", .basis = "judgement"},
    {SECTION_PARAM(instruments, settlement_max), .unit = "mCNY/firm", .def = of(5.0), .min = 0,
     .max = 1e6, .about = "cap on the one-off settlement subsidy",
     .basis = "judgement: = the former government.offer_max"},
    {SECTION_PARAM(instruments, firm_discount_rate), .unit = "1/year", .def = of(0.10), .min = 0,
     .max = 1, .about = "discount rate at which firms value a package", .basis = "judgement"},
    {SECTION_PARAM(instruments, government_discount_rate), .unit = "1/year", .def = of(0.05),
     .min = 0, .max = 1, .about = "discount rate at which promoters count its cost",
     .basis = "judgement"},
};

}  // namespace

std::span<const ParamSpec> promotion_params() {
  return kPromotionParams;
}

}  // namespace regionsim
