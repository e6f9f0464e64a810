// Test fixture for strategic promotion: packages put in force by hand, without a decision, so a
// phase's response to a known package can be compared with the equations of docs/model.md §14.
#pragma once

#include <vector>

#include "model_state.hpp"
#include "month_view.hpp"
#include "promotion.hpp"

namespace regionsim::testing {

// Every jurisdiction sets its zones in ownership shares and pays for them itself; `outside[j]`
// and `within[j]` are its packages for every sector. Cell profiles (tax and rent per firm a month)
// are uniform. The zone fields are refreshed.
inline void install_packages(ModelState& s, const std::vector<OfferPackage>& outside,
                             const std::vector<OfferPackage>& within, double tax_per_firm = 0.05,
                             double rent_per_firm = 0.01) {
  const RegionTables& t = s.tables;
  PackagesInForce in;
  in.packages = InstrumentTable(t.J, t.S);
  in.setter.assign(t.J * t.Z, 0.0);
  in.payer.assign(t.J * t.J, 0.0);
  for (std::size_t j = 0; j < t.J; ++j) {
    in.committee.push_back(0);
    in.index.push_back(j);
    in.payer[j * t.J + j] = 1.0;
    for (std::size_t z = 0; z < t.Z; ++z)
      in.setter[j * t.Z + z] = t.ownership(z, j);
    for (std::size_t k = 0; k < t.S; ++k) {
      in.packages.at(j, k, OfferTarget::kOutside) = outside[j];
      in.packages.at(j, k, OfferTarget::kWithin) = within[j];
    }
  }
  Promotion& pr = s.gov.promotion;
  pr.in_force = in;
  pr.tax_per_firm.assign(t.Z * t.S * kPromotionClasses, tax_per_firm);
  pr.rent_per_firm.assign(t.Z * t.S * kPromotionClasses, rent_per_firm);
  set_zone_packages(inputs_of(s), pr, s.fields);
}

inline void install_packages(ModelState& s, const OfferPackage& outside,
                             const OfferPackage& within) {
  install_packages(s, std::vector<OfferPackage>(s.tables.J, outside),
                   std::vector<OfferPackage>(s.tables.J, within));
}

}  // namespace regionsim::testing
