#include "output_registry.hpp"

#include <stdexcept>
#include <type_traits>

namespace regionsim {
namespace {

// --- Binding a time series to its StepOutputs field ----------------------------------------------

// One record of a field: a dense array as it is, a region-level scalar as one value.
template <auto Member>
auto record_of(const StepOutputs& o) {
  using Field = std::remove_cvref_t<decltype(o.*Member)>;
  if constexpr (std::is_arithmetic_v<Field>) {
    return std::span<const Field>(&(o.*Member), 1);
  } else {
    return std::span<const typename Field::value_type>(o.*Member);
  }
}

// The value type must match the field's C++ type: a count or money binding of a double field (or
// the reverse) does not compile.
template <auto Member>
constexpr OutputSource count() {
  return {OutputValue::count, &record_of<Member>, nullptr};
}
template <auto Member>
constexpr OutputSource money() {
  return {OutputValue::money, &record_of<Member>, nullptr};
}
template <auto Member>
constexpr OutputSource real() {
  return {OutputValue::real, nullptr, &record_of<Member>};
}

using D = OutputDims;
using G = OutputGroup;
using S = StepOutputs;
constexpr Timing stock = Timing::stock;
constexpr Timing flow = Timing::flow;

// Every time series, in file order. Units are UDUNITS strings: counts are "1" (what is counted is
// in the label), money is "1e6 CNY" (CNY is defined in docs/udunits/regionsim-udunits2.xml; UDUNITS
// has no currency). A flow is the amount in the month ("time: sum"), so its units are an amount,
// and "per month" is in the label; a wage or rent is a monthly rate at the end of the month. An
// index computed from a month's flows (Theil of output) is a stock: its value belongs to the month
// and summing it over months means nothing.
constexpr OutputSpec kOutputs[] = {
    {"firms", D::zone_sector, "1", "firms", stock, count<&S::firms>(), G::firms,
     "firms located in the zone at the end of the month"},
    {"employment", D::zone_sector, "1", "persons", stock, count<&S::employment>(), G::firms,
     "employees of the zone's firms at the end of the month"},
    {"output", D::zone_sector, "1e6 CNY", "million CNY per month", flow, money<&S::output>(),
     G::firms, "value added produced in the month"},
    {"vacancies", D::zone_sector, "1", "vacancies per month", flow, count<&S::vacancies>(),
     G::firms, "vacancies posted in the month, before matching"},
    {"hte_firms", D::zone_sector, "1", "firms", stock, count<&S::hte_firms>(), G::firms,
     "high-tech enterprises (15 % CIT) located in the zone at the end of the month"},
    {"firms_by_size", D::zone_size, "1", "firms", stock, count<&S::firms_by_size>(), G::firms,
     "firms located in the zone at the end of the month, by size class (employees)"},
    {"employment_by_size", D::zone_size, "1", "persons", stock, count<&S::employment_by_size>(),
     G::firms, "employees of the zone's firms at the end of the month, by the firms' size class"},
    {"firm_entries", D::zone_sector, "1", "firms per month", flow, count<&S::firm_entries>(),
     G::firms, "investment projects that settled in the zone in the month"},
    {"firm_exits", D::zone_sector, "1", "firms per month", flow, count<&S::firm_exits>(), G::firms,
     "firms that closed in the month"},
    {"talent_employed", D::zone_skill, "1", "persons", stock, count<&S::talent_employed>(),
     G::talent, "employed talent living in the zone at the end of the month"},
    {"talent_seeking", D::zone_skill, "1", "persons", stock, count<&S::talent_seeking>(), G::talent,
     "talent seeking a job in the zone at the end of the month"},
    {"talent_arrivals", D::zone_skill, "1", "persons per month", flow, count<&S::talent_arrivals>(),
     G::talent, "talent arriving from outside the region in the month"},
    {"talent_departures", D::zone_skill, "1", "persons per month", flow,
     count<&S::talent_departures>(), G::talent, "talent leaving the region in the month"},
    {"wage", D::zone, "1e6 CNY month-1", "million CNY per month per person", stock,
     real<&S::wage>(), G::prices, "mean monthly wage of the employed in the zone"},
    {"rent", D::zone, "1e6 CNY month-1", "million CNY per month per workplace", stock,
     real<&S::rent>(), G::prices, "rent of firm floor space per worker place"},
    {"floor_capacity", D::zone, "1", "worker places", stock, real<&S::floor_capacity>(), G::prices,
     "firm floor space in the zone at the end of the month (grows only by supply)"},
    {"floor_occupancy", D::zone, "1", "share", stock, real<&S::floor_occupancy>(), G::prices,
     "employees of the zone's firms per worker place of floor space at the end of the month"},
    {"floor_supplied", D::zone, "1", "worker places per month", flow, count<&S::floor_supplied>(),
     G::prices, "floor space the zone's owners supplied in the month"},
    {"firm_relocations", D::zone_pair, "1", "firms per month", flow, count<&S::firm_relocations>(),
     G::moves, "firms moving from zone_from to zone_to in the month"},
    {"talent_relocations", D::zone_pair, "1", "persons per month", flow,
     count<&S::talent_relocations>(), G::moves,
     "talent moving from zone_from to zone_to in the month (own choice or with the employer)"},
    {"tax_collected", D::zone, "1e6 CNY", "million CNY per month", flow, money<&S::tax_collected>(),
     G::zone_finance, "local tax paid by firms located in the zone"},
    {"subsidies_received", D::zone, "1e6 CNY", "million CNY per month", flow,
     money<&S::subsidies_received>(), G::zone_finance,
     "investment-promotion subsidies received by firms entering or moving into the zone"},
    {"tax_attributed", D::jurisdiction, "1e6 CNY", "million CNY per month", flow,
     money<&S::tax_attributed>(), G::jurisdictions,
     "tax credited to the jurisdiction by the attribution rule"},
    {"gdp_attributed", D::jurisdiction, "1e6 CNY", "million CNY per month", flow,
     money<&S::gdp_attributed>(), G::jurisdictions,
     "value added credited to the jurisdiction's statistics"},
    {"subsidies_paid", D::jurisdiction, "1e6 CNY", "million CNY per month", flow,
     money<&S::subsidies_paid>(), G::jurisdictions,
     "investment-promotion subsidies paid by the jurisdiction"},
    {"budget", D::jurisdiction, "1e6 CNY", "million CNY", stock, money<&S::budget>(),
     G::jurisdictions, "jurisdiction's budget balance at the end of the month"},
    {"amenity_spending", D::jurisdiction, "1e6 CNY", "million CNY per month", flow,
     money<&S::amenity_spending>(), G::jurisdictions,
     "park-city amenity investment paid by the jurisdiction"},
    {"land_lease_revenue", D::jurisdiction, "1e6 CNY", "million CNY per month", flow,
     money<&S::land_lease_revenue>(), G::jurisdictions,
     "land-lease revenue of the floor space the jurisdiction supplied (its ownership share)"},
    {"score", D::jurisdiction, "1", "score", stock, real<&S::score>(), G::jurisdictions,
     "assessment score at the latest review (weighted log growth of the period)"},
    {"subsidy_offer", D::jurisdiction_sector, "1e6 CNY", "million CNY per firm", stock,
     real<&S::subsidy_offer>(), G::offers,
     "one-off subsidy offered per incoming firm, in force at the end of the month"},
    {"offer_settlement", D::zone_sector_target, "1e6 CNY", "million CNY per firm", stock,
     real<&S::offer_settlement>(), G::promotion,
     "settlement subsidy of the package in force in the zone, for projects from outside or for "
     "firms moving within the region"},
    {"offer_refund_scale", D::zone_sector_target, "1", "multiple of the refund template", stock,
     real<&S::offer_refund_scale>(), G::promotion,
     "scale on the refund template (70 % x 3 y, 50 % x 2 y of local tax) of the zone's package"},
    {"offer_rent_discount", D::zone_sector_target, "1", "share of rent", stock,
     real<&S::offer_rent_discount>(), G::promotion,
     "share of rent waived (for instruments.rent_years) by the zone's package"},
    {"promotion_spending", D::jurisdiction_instrument, "1e6 CNY", "million CNY per month", flow,
     money<&S::promotion_spending>(), G::promotion,
     "promotion payments of the jurisdiction by instrument (committees' by funding share)"},
    {"promotion_spending_within", D::jurisdiction, "1e6 CNY", "million CNY per month", flow,
     money<&S::promotion_spending_within>(), G::promotion,
     "part of promotion_spending paid to firms that moved within the region (settlement on the "
     "move, refunds and rent discounts on their contracts)"},
    {"relocations_induced", D::zone_pair_sector, "1", "firms per month (expected)", flow,
     real<&S::relocations_induced>(), G::promotion,
     "expected moves the within-region packages made happen: P(move with packages) - P(move "
     "without) "
     "summed over reviewing firms"},
    {"relocations_other", D::zone_pair_sector, "1", "firms per month", flow,
     real<&S::relocations_other>(), G::promotion,
     "moves minus relocations_induced (a cell may be fractional or negative; sums are meaningful)"},
    {"paper_relocations", D::zone, "1", "firms per month", flow, count<&S::paper_relocations>(),
     G::promotion,
     "firms that moved only their registration (tax and statistics) into the zone in the month; "
     "their activity, jobs and floor space stay where they were (not in firm_relocations)"},
    {"paper_relocations_induced", D::zone, "1", "firms per month (expected)", flow,
     real<&S::paper_relocations_induced>(), G::promotion,
     "expected paper relocations into the zone its within-region package made happen: P(with "
     "packages) - P(without) summed over reviewing firms"},
    {"registered_elsewhere", D::zone, "1", "firms", stock, count<&S::registered_elsewhere>(),
     G::firms,
     "firms active in the zone at the end of the month whose registration (tax, statistics) is in "
     "another zone"},
    {"committee_active", D::region, "1", "0 or 1", stock, count<&S::committee_active>(),
     G::promotion,
     "1 if packages a separation management committee decided are in force (committee.*)"},
    {"committee_zone", D::zone, "1", "0 or 1", stock, count<&S::committee_zone>(), G::promotion,
     "1 if the zone's packages are set by a separation committee: offer_* of such a zone are the "
     "committee's instrument levels"},
    {"committee_spending", D::jurisdiction, "1e6 CNY", "million CNY per month", flow,
     money<&S::committee_spending>(), G::promotion,
     "part of promotion_spending paid on packages of separation committees, by the funding "
     "jurisdiction (settlements in committee zones, refunds and rent discounts on their "
     "contracts)"},
    {"contracts_active", D::zone, "1", "firms", stock, count<&S::contracts_active>(), G::promotion,
     "firms in the zone with refund or rent payments still due on a contract"},
    {"decision_converged", D::region, "1", "0 or 1", stock, count<&S::decision_converged>(),
     G::promotion, "1 if the latest promotion decision met its stopping rule in every game"},
    {"decision_iterations", D::region, "1", "iterations", stock, count<&S::decision_iterations>(),
     G::promotion,
     "best-response iterations of the latest promotion decision (largest over its games)"},
    {"innovations", D::zone, "1", "innovations per month", flow, count<&S::innovations>(),
     G::innovation, "innovations made by the zone's research institutes in the month"},
    {"spinoffs", D::zone, "1", "firms per month", flow, count<&S::spinoffs>(), G::innovation,
     "spin-off firms founded from the zone's institutes in the month"},
    {"transfers", D::zone_pair, "1", "innovations per month", flow, count<&S::transfers>(),
     G::innovation,
     "innovations of zone_from's institutes transferred to firms in zone_to in the month"},
    {"institute_researchers", D::zone, "1", "persons", stock, count<&S::institute_researchers>(),
     G::innovation, "researchers employed by the zone's institutes at the end of the month"},
    {"amenity", D::zone, "1", "index", stock, real<&S::amenity>(), G::indicators,
     "park-city amenity index in force at the end of the month"},
    {"specialisation_index", D::zone, "1", "index (0 to 2)", stock,
     real<&S::specialisation_index>(), G::indicators,
     "Krugman specialisation index of employment against the rest of the region (0-2)"},
    {"zero_sum_relocations", D::region, "1", "firms per month", flow,
     count<&S::zero_sum_relocations>(), G::indicators,
     "firm moves between zones of the region in the month"},
    {"subsidy_per_net_new_firm", D::region, "1e6 CNY", "million CNY per firm", stock,
     real<&S::subsidy_per_net_new_firm>(), G::indicators,
     "subsidies paid since month 0 per net new firm in the region (NaN if none)"},
    {"theil_output", D::region, "1", "index", stock, real<&S::theil_output>(), G::indicators,
     "Theil index of output across zones against residents (0 = output spread like people)"},
};

using F = FileVar;
using R = FileVarRole;

// The variables without `time`, in the order of FileVar (checked below).
constexpr FileVariableSpec kFileVariables[] = {
    {F::run, "run", R::dimension, NcType::int64, "",
     "run index (scenario-major, then sweep point, then replicate)"},
    {F::scenario, "scenario", R::run_coordinate, NcType::character, "", "scenario name"},
    {F::replicate, "replicate", R::run_coordinate, NcType::int64, "",
     "replicate; runs of equal replicate share random streams (paired arms)"},
    {F::seed, "seed", R::run_coordinate, NcType::int64, "", "random seed of the run"},
    {F::swept_key, "<key>", R::run_coordinate, NcType::float64, "", "swept scenario key"},
    {F::scenario_toml, "scenario_toml", R::run_provenance, NcType::character, "",
     "fully resolved scenario of the run (TOML); running it reproduces the run"},
    {F::scenario_extends_chain, "scenario_extends_chain", R::run_provenance, NcType::character, "",
     "scenario files merged through extends, base first, one per line"},
    {F::scenario_hash, "scenario_hash", R::run_provenance, NcType::character, "",
     "FNV-1a 64-bit hash of scenario_toml, hexadecimal"},
    {F::forked_from_month, "forked_from_month", R::run_provenance, NcType::int64, "month",
     "months taken from a shared warm-up before the run's own simulation (-1: none)"},
    {F::wall_seconds, "wall_seconds", R::run_provenance, NcType::float64, "s",
     "wall-clock time spent simulating the run's own months"},
    {F::time, "time", R::dimension, NcType::float64, "days since <run.start_date>",
     "first day of the simulated month"},
    {F::time_bnds, "time_bnds", R::cell_bounds, NcType::float64, "days since <run.start_date>",
     "the month a record covers: its first day and the first day of the next month"},
    {F::zone, "zone", R::dimension, NcType::character, "", "zone of the science city"},
    {F::sector, "sector", R::dimension, NcType::character, "", "industrial sector"},
    {F::skill, "skill", R::dimension, NcType::character, "", "skill group of talent"},
    {F::jurisdiction, "jurisdiction", R::dimension, NcType::character, "",
     "administrative jurisdiction"},
    {F::zone_from, "zone_from", R::dimension, NcType::character, "", "zone moved from"},
    {F::zone_to, "zone_to", R::dimension, NcType::character, "", "zone moved to"},
    {F::size_class, "size_class", R::dimension, NcType::character, "",
     "firm-size class: its lower bound in employees (class 1 includes firms without staff)"},
    {F::target, "target", R::dimension, NcType::character, "",
     "whom a promotion package is for: projects from outside or firms moving within the region"},
    {F::instrument, "instrument", R::dimension, NcType::character, "", "promotion instrument"},
    {F::nv, "nv", R::bare_dimension, NcType::float64, "", "the two ends of a cell (bounds)"},
    {F::text_length, "<name>_strlen", R::bare_dimension, NcType::float64, "",
     "length in bytes of the longest value of the character variable <name>"},
};

constexpr bool in_id_order() {
  for (std::size_t i = 0; i < std::size(kFileVariables); ++i)
    if (static_cast<std::size_t>(kFileVariables[i].id) != i) return false;
  return true;
}
static_assert(in_id_order(), "kFileVariables must list the variables in the order of FileVar");

constexpr FileVar kZoneSector[] = {F::zone, F::sector};
constexpr FileVar kZoneSkill[] = {F::zone, F::skill};
constexpr FileVar kZoneSize[] = {F::zone, F::size_class};
constexpr FileVar kZone[] = {F::zone};
constexpr FileVar kZonePair[] = {F::zone_from, F::zone_to};
constexpr FileVar kJurisdiction[] = {F::jurisdiction};
constexpr FileVar kJurisdictionSector[] = {F::jurisdiction, F::sector};
constexpr FileVar kZoneSectorTarget[] = {F::zone, F::sector, F::target};
constexpr FileVar kZonePairSector[] = {F::zone_from, F::zone_to, F::sector};
constexpr FileVar kJurisdictionInstrument[] = {F::jurisdiction, F::instrument};

std::span<const FileVar> after_time(OutputDims dims) {
  switch (dims) {
    case OutputDims::zone_sector:
      return kZoneSector;
    case OutputDims::zone_skill:
      return kZoneSkill;
    case OutputDims::zone_size:
      return kZoneSize;
    case OutputDims::zone:
      return kZone;
    case OutputDims::zone_pair:
      return kZonePair;
    case OutputDims::jurisdiction:
      return kJurisdiction;
    case OutputDims::jurisdiction_sector:
      return kJurisdictionSector;
    case OutputDims::zone_sector_target:
      return kZoneSectorTarget;
    case OutputDims::zone_pair_sector:
      return kZonePairSector;
    case OutputDims::jurisdiction_instrument:
      return kJurisdictionInstrument;
    case OutputDims::region:
      return {};
  }
  throw std::logic_error("output registry: unknown dimensions");
}

}  // namespace

std::span<const OutputSpec> output_registry() {
  return kOutputs;
}

std::string_view cell_methods(Timing timing) {
  // The time coordinate is the first day of the month and time_bnds the month itself; a stock is
  // the value at the end of the month (the upper bound), which the comment says.
  return timing == Timing::stock ? "time: point (comment: end of the month)" : "time: sum";
}

NcType nc_type(OutputValue value) {
  return value == OutputValue::count ? NcType::int64 : NcType::float64;
}

std::string_view group_heading(OutputGroup group) {
  switch (group) {
    case OutputGroup::firms:
      return "Firms and production";
    case OutputGroup::talent:
      return "Talent";
    case OutputGroup::prices:
      return "Prices";
    case OutputGroup::moves:
      return "Moves between zones";
    case OutputGroup::zone_finance:
      return "Public finance by zone";
    case OutputGroup::jurisdictions:
      return "Jurisdictions";
    case OutputGroup::offers:
      return "Subsidy offers";
    case OutputGroup::promotion:
      return "Strategic promotion";
    case OutputGroup::innovation:
      return "Research institutes and the innovation chain";
    case OutputGroup::indicators:
      return "Region indicators";
  }
  throw std::logic_error("output registry: unknown group");
}

std::span<const FileVariableSpec> file_variables() {
  return kFileVariables;
}

const FileVariableSpec& file_variable(FileVar id) {
  return kFileVariables[static_cast<std::size_t>(id)];
}

std::vector<FileVar> dimensions_of(OutputDims dims) {
  std::vector<FileVar> all = {FileVar::run, FileVar::time};
  const std::span<const FileVar> after = after_time(dims);
  all.insert(all.end(), after.begin(), after.end());
  return all;
}

std::string name_of(FileVar id) {
  return std::string(file_variable(id).name);
}

Attributes attributes_of(FileVar id) {
  const FileVariableSpec& spec = file_variable(id);
  Attributes attrs;
  if (!spec.units.empty()) attrs.emplace_back("units", std::string(spec.units));
  attrs.emplace_back("long_name", std::string(spec.long_name));
  return attrs;
}

std::string time_units(std::string_view start_date) {
  constexpr std::string_view placeholder = "<run.start_date>";
  std::string units(file_variable(FileVar::time).units);
  return units.replace(units.find(placeholder), placeholder.size(), start_date);
}

}  // namespace regionsim
