// Investment-promotion instruments as Chinese development zones use them: a one-off settlement
// subsidy, a refund of a share of the firm's local fiscal contribution for some years in stages
// (the "70 % for 3 years, then 50 % for 2" pattern), and a discount on the rent of floor space.
// Offers are set per sector and separately for projects from outside the region and for firms
// already in the science city; the fair-competition review forbids some of them.
//
// Design decisions
// - A package is three levels (mCNY of settlement subsidy, a scale on the refund schedule, a share
//   of rent waived); its value to a firm and its cost to a government are present values of the
//   same payment stream under different discounting, so the two can differ: a government whose
//   leaders look `horizon_months` ahead weighs later payments by `beyond_weight`.
// - A refund is a share of the firm's own tax and a rent discount a share of its own rent, so both
//   scale with the firm: per unit of value to the firm, each instrument costs a government the
//   same for every firm. That ratio orders the instruments (cheapest_first) without reference to
//   any particular firm.
// - Payments stop when the firm is gone: every stream is weighted by the probability the firm is
//   still there (`monthly_stay` per month). A settlement subsidy is paid on arrival regardless.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "regionsim/scenario.hpp"

namespace regionsim {

// Whom an offer is for: projects from outside the region, or firms already in the science city
// (relocations between its zones).
enum class OfferTarget : std::uint8_t { kOutside = 0, kWithin = 1 };
inline constexpr std::size_t kTargets = 2;

enum class Instrument : std::uint8_t { kSettlement = 0, kRefund = 1, kRent = 2 };
inline constexpr std::size_t kInstruments = 3;

struct RefundStage {
  double share = 0;  // share of the firm's local fiscal contribution refunded
  double years = 0;  // how long the stage lasts
};

// The forms the instruments take (not their levels): the refund template at full scale, how long
// a rent discount lasts, and the caps on each level.
struct InstrumentTerms {
  std::vector<RefundStage> refund_stages{{0.7, 3.0}, {0.5, 2.0}};
  double rent_years = 3.0;
  double settlement_max = 5.0;     // mCNY per firm
  double refund_scale_max = 1.0;   // multiplier on the template's shares
  double rent_discount_max = 1.0;  // share of rent waived
};

struct OfferPackage {
  double settlement = 0;     // mCNY, once, on arrival
  double refund_scale = 0;   // multiplier on the refund template's shares
  double rent_discount = 0;  // share of the rent waived for rent_years
  bool operator==(const OfferPackage&) const = default;
};

// What a package is worth per firm: the firm's local fiscal contribution and its rent bill at
// full price, both mCNY a month.
struct FirmProfile {
  double tax_per_month = 0;
  double rent_per_month = 0;
};

// How a party discounts a firm's payment stream.
struct Valuation {
  double annual_discount_rate = 0;
  double monthly_stay = 1.0;  // probability the firm is still there next month
  std::int64_t horizon_months = std::numeric_limits<std::int64_t>::max();
  double beyond_weight = 1.0;  // weight of payments after the horizon
};

struct InstrumentAmounts {
  double settlement = 0, refund = 0, rent = 0;
  double total() const { return settlement + refund + rent; }
  double operator[](Instrument i) const {
    return i == Instrument::kSettlement ? settlement : i == Instrument::kRefund ? refund : rent;
  }
};

// Months a duration in years covers.
std::int64_t months_in(double years);

// Refund share of the template (at full scale) in the given month since the firm arrived.
double refund_share(const InstrumentTerms& terms, std::int64_t month_since_arrival);

// What the package pays a firm in one month since its arrival (0: the arrival month), by
// instrument, mCNY: the government's spending on that contract that month.
InstrumentAmounts payments_in_month(const OfferPackage& offer, const InstrumentTerms& terms,
                                    const FirmProfile& firm, std::int64_t month_since_arrival);

// Present value of the package's payments, by instrument, under a valuation.
InstrumentAmounts present_values(const OfferPackage& offer, const InstrumentTerms& terms,
                                 const FirmProfile& firm, const Valuation& v);

// The firm's present value of an offer package (its own discount rate and survival).
double firm_value(const OfferPackage& offer, const InstrumentTerms& terms, const FirmProfile& firm,
                  const Valuation& firm_view);

// A government's expected cost of the package per firm that takes it.
double government_cost(const OfferPackage& offer, const InstrumentTerms& terms,
                       const FirmProfile& firm, const Valuation& government_view);

// The fair-competition review (2024 《公平竞争审查条例》): from its start month no refund linked to
// tax paid, and no subsidy of any kind targeted at relocations within the region. Its start month
// is the scenario's FairCompetition lever (regionsim/scenario.hpp).
bool allowed(Instrument i, OfferTarget t, bool fair_competition_in_force);

// The package with every instrument the review forbids set to zero.
OfferPackage permitted(OfferPackage offer, OfferTarget t, bool fair_competition_in_force);

// Cap on an instrument's level (mCNY for the settlement subsidy, a scale or share otherwise).
double instrument_cap(Instrument i, const InstrumentTerms& terms);

// Allowed instruments in order of cost to the government per unit of value to the firm
// (cheapest first, ties in enum order).
struct InstrumentLadder {
  std::array<Instrument, kInstruments> order{};
  std::size_t size = 0;
};
InstrumentLadder cheapest_first(const InstrumentTerms& terms, OfferTarget t,
                                bool fair_competition_in_force, const Valuation& firm_view,
                                const Valuation& government_view);

// The package at a level in [0, ladder.size]: level k + f fills the first k rungs to their caps and
// the next to the fraction f of its cap.
OfferPackage package_at(double level, const InstrumentLadder& ladder, const InstrumentTerms& terms);

// Packages by setter (jurisdiction or committee) x sector x target.
class InstrumentTable {
 public:
  InstrumentTable() = default;
  InstrumentTable(std::size_t setters, std::size_t sectors)
      : setters_(setters), sectors_(sectors), packages_(setters * sectors * kTargets) {}
  OfferPackage& at(std::size_t setter, std::size_t sector, OfferTarget t) {
    return packages_[index(setter, sector, t)];
  }
  const OfferPackage& at(std::size_t setter, std::size_t sector, OfferTarget t) const {
    return packages_[index(setter, sector, t)];
  }
  std::size_t setters() const { return setters_; }
  std::size_t sectors() const { return sectors_; }
  bool operator==(const InstrumentTable&) const = default;

  // Every member, for checkpoints (checkpoint_archive.hpp); `Self` is the table, const or not.
  template <class Archive, class Self>
  static void archive_members(Archive& a, Self& table) {
    a(table.setters_), a(table.sectors_), a(table.packages_);
    a.require(table.packages_.size() == table.setters_ * table.sectors_ * kTargets,
              "instrument table extents do not match its packages");
  }

 private:
  std::size_t index(std::size_t p, std::size_t s, OfferTarget t) const {
    return (p * sectors_ + s) * kTargets + static_cast<std::size_t>(t);
  }
  std::size_t setters_ = 0, sectors_ = 0;
  std::vector<OfferPackage> packages_;
};

}  // namespace regionsim
