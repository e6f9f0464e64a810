#include "instruments.hpp"

#include <algorithm>
#include <cmath>

namespace regionsim {

namespace {

double monthly_factor(double annual_rate) {
  return std::pow(1.0 + annual_rate, -1.0 / 12.0);
}

// Σ_{m=a}^{b-1} x^m: months a to b of a stream discounted (and weighted by survival) by x a month.
double discounted_months(double x, std::int64_t a, std::int64_t b) {
  if (b <= a) return 0.0;
  if (x == 1.0) return static_cast<double>(b - a);
  return (std::pow(x, static_cast<double>(a)) - std::pow(x, static_cast<double>(b))) / (1.0 - x);
}

// The same with the months from `horizon` on weighted by `beyond`.
double weighted_months(double x, std::int64_t a, std::int64_t b, std::int64_t horizon,
                       double beyond) {
  const std::int64_t h = std::clamp(horizon, a, std::max(a, b));
  return discounted_months(x, a, h) + beyond * discounted_months(x, h, b);
}

void set_level(OfferPackage& offer, Instrument i, double level) {
  switch (i) {
    case Instrument::kSettlement:
      offer.settlement = level;
      break;
    case Instrument::kRefund:
      offer.refund_scale = level;
      break;
    case Instrument::kRent:
      offer.rent_discount = level;
      break;
  }
}

}  // namespace

double instrument_cap(Instrument i, const InstrumentTerms& terms) {
  switch (i) {
    case Instrument::kSettlement:
      return terms.settlement_max;
    case Instrument::kRefund:
      return terms.refund_scale_max;
    case Instrument::kRent:
      return terms.rent_discount_max;
  }
  return 0.0;
}

std::int64_t months_in(double years) {
  return static_cast<std::int64_t>(std::llround(years * 12.0));
}

double refund_share(const InstrumentTerms& terms, std::int64_t month_since_arrival) {
  std::int64_t end = 0;
  for (const RefundStage& stage : terms.refund_stages) {
    end += months_in(stage.years);
    if (month_since_arrival < end) return stage.share;
  }
  return 0.0;
}

InstrumentAmounts payments_in_month(const OfferPackage& offer, const InstrumentTerms& terms,
                                    const FirmProfile& firm, std::int64_t month_since_arrival) {
  InstrumentAmounts paid;
  if (month_since_arrival < 0) return paid;
  if (month_since_arrival == 0) paid.settlement = offer.settlement;
  paid.refund = offer.refund_scale * refund_share(terms, month_since_arrival) * firm.tax_per_month;
  if (month_since_arrival < months_in(terms.rent_years))
    paid.rent = offer.rent_discount * firm.rent_per_month;
  return paid;
}

InstrumentAmounts present_values(const OfferPackage& offer, const InstrumentTerms& terms,
                                 const FirmProfile& firm, const Valuation& v) {
  InstrumentAmounts pv;
  pv.settlement = offer.settlement;  // paid on arrival, before any discounting or exit
  const double x = monthly_factor(v.annual_discount_rate) * v.monthly_stay;
  std::int64_t start = 0;
  for (const RefundStage& stage : terms.refund_stages) {
    const std::int64_t end = start + months_in(stage.years);
    pv.refund += offer.refund_scale * stage.share * firm.tax_per_month *
                 weighted_months(x, start, end, v.horizon_months, v.beyond_weight);
    start = end;
  }
  pv.rent = offer.rent_discount * firm.rent_per_month *
            weighted_months(x, 0, months_in(terms.rent_years), v.horizon_months, v.beyond_weight);
  return pv;
}

double firm_value(const OfferPackage& offer, const InstrumentTerms& terms, const FirmProfile& firm,
                  const Valuation& firm_view) {
  return present_values(offer, terms, firm, firm_view).total();
}

double government_cost(const OfferPackage& offer, const InstrumentTerms& terms,
                       const FirmProfile& firm, const Valuation& government_view) {
  return present_values(offer, terms, firm, government_view).total();
}

bool allowed(Instrument i, OfferTarget t, bool fair_competition_in_force) {
  if (!fair_competition_in_force) return true;
  if (t == OfferTarget::kWithin) return false;  // no subsidy targeted at moves within the region
  return i != Instrument::kRefund;              // no reward linked to tax paid
}

OfferPackage permitted(OfferPackage offer, OfferTarget t, bool fair_competition_in_force) {
  for (Instrument i : {Instrument::kSettlement, Instrument::kRefund, Instrument::kRent})
    if (!allowed(i, t, fair_competition_in_force)) set_level(offer, i, 0.0);
  return offer;
}

InstrumentLadder cheapest_first(const InstrumentTerms& terms, OfferTarget t,
                                bool fair_competition_in_force, const Valuation& firm_view,
                                const Valuation& government_view) {
  // A unit firm: the ratio of cost to value does not depend on the firm's tax or rent level.
  const FirmProfile unit{1.0, 1.0};
  const OfferPackage full{1.0, 1.0, 1.0};
  const InstrumentAmounts value = present_values(full, terms, unit, firm_view);
  const InstrumentAmounts cost = present_values(full, terms, unit, government_view);
  std::array<double, kInstruments> ratio{};
  InstrumentLadder ladder;
  for (Instrument i : {Instrument::kSettlement, Instrument::kRefund, Instrument::kRent}) {
    if (!allowed(i, t, fair_competition_in_force) || !(instrument_cap(i, terms) > 0.0) ||
        !(value[i] > 0.0))
      continue;
    ratio[static_cast<std::size_t>(i)] = cost[i] / value[i];
    ladder.order[ladder.size++] = i;
  }
  std::stable_sort(ladder.order.begin(), ladder.order.begin() + static_cast<long>(ladder.size),
                   [&](Instrument a, Instrument b) {
                     return ratio[static_cast<std::size_t>(a)] < ratio[static_cast<std::size_t>(b)];
                   });
  return ladder;
}

OfferPackage package_at(double level, const InstrumentLadder& ladder,
                        const InstrumentTerms& terms) {
  OfferPackage offer;
  for (std::size_t k = 0; k < ladder.size; ++k) {
    const double fill = std::clamp(level - static_cast<double>(k), 0.0, 1.0);
    set_level(offer, ladder.order[k], fill * instrument_cap(ladder.order[k], terms));
  }
  return offer;
}

}  // namespace regionsim
