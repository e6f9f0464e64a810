#include "zone_utility.hpp"

#include <cmath>

#include "firm_size.hpp"

namespace regionsim {

double talent_zone_utility(const MonthView& m, std::size_t z, std::size_t k, std::size_t sector) {
  const TalentParams& p = m.scenario.talent;
  const ZoneFields& f = m.fields;
  return p.beta_wage * std::log(f.wage(z, k)) + p.beta_amenity * f.amenity(z) -
         p.beta_congestion * f.housing_occupancy(z) + p.beta_jobs * f.job_rate(z, sector);
}

double firm_zone_utility(const MonthView& m, std::size_t z, std::size_t sector, double offer_weight,
                         double fit_weight) {
  const FirmParams& p = m.scenario.firms;
  const ZoneFields& f = m.fields;
  // Log of the maximised operating profit at the zone's productivity multiplier and wage level
  // (Cobb-Douglas in labour): (ln M - alpha ln w) / (1 - alpha), up to a firm-specific constant.
  // Net of the common productivity trend: along balanced growth (wages growing with it) the
  // potential stays put, so projects do not favour the region over the outside more each year.
  const double profit_potential =
      (std::log(f.multiplier(z, sector)) - p.alpha * std::log(f.wage_index(z))) / (1.0 - p.alpha) -
      log_productivity_trend(p.productivity_growth, m.month);
  // Rent relative to the region's initial mean, so a zone at average conditions is worth about
  // as much as the outside option of an incoming project (utility 0).
  return p.reloc_beta_profit * profit_potential -
         p.reloc_beta_rent * std::log(f.rent(z) / m.calibration.rent_ref) +
         offer_weight * p.reloc_beta_subsidy * f.offer(z, sector) +
         fit_weight * p.reloc_beta_fit * m.tables.specialisation(z, sector);
}

double project_zone_utility(const MonthView& m, std::size_t z, std::size_t sector,
                            double offer_weight, double fit_weight) {
  const FirmParams& p = m.scenario.firms;
  const double utility = firm_zone_utility(m, z, sector, offer_weight, fit_weight);
  // A weight of 0 adds nothing at all (not 0 x ln), so the rule can be switched off exactly.
  if (p.project_site_weight == 0) return utility;
  const ZoneFields& f = m.fields;
  const double free_places = f.floor_capacity(z) - static_cast<double>(f.employed(z));
  const double reference = m.scenario.run.scale * p.site_reference;
  return utility + p.project_site_weight * p.nest_lambda * std::log(free_places / reference);
}

}  // namespace regionsim
