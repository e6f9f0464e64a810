#include "recorder.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "money.hpp"
#include "regionsim/experiment.hpp"
#include "run_layout.hpp"

namespace regionsim {

namespace {

const std::vector<std::string> kZoneSector = {"zone", "sector"};
const std::vector<std::string> kZoneSkill = {"zone", "skill"};
const std::vector<std::string> kZone = {"zone"};
const std::vector<std::string> kFlow = {"zone_from", "zone_to"};
const std::vector<std::string> kJurisdiction = {"jurisdiction"};
const std::vector<std::string> kJurisdictionSector = {"jurisdiction", "sector"};
const std::vector<std::string> kRegion = {};

// Converts the record's integers (counts, yuan) to what the file stores: counts as int64, money
// as float64 mCNY, prices as float64.
struct Column {
  std::vector<std::int64_t> counts;
  std::vector<double> values;
  bool money = false;
};

Column column(const StepOutputs& o, const std::string& name) {
  const auto money = [](const std::vector<std::int64_t>& yuan) {
    Column c;
    c.money = true;
    c.values.reserve(yuan.size());
    for (auto v : yuan)
      c.values.push_back(to_mcny(v));
    return c;
  };
  const auto counts = [](const std::vector<std::int64_t>& n) { return Column{n, {}, false}; };
  if (name == "firms") return counts(o.firms);
  if (name == "employment") return counts(o.employment);
  if (name == "output") return money(o.output);
  if (name == "vacancies") return counts(o.vacancies);
  if (name == "firm_entries") return counts(o.firm_entries);
  if (name == "firm_exits") return counts(o.firm_exits);
  if (name == "talent_employed") return counts(o.talent_employed);
  if (name == "talent_seeking") return counts(o.talent_seeking);
  if (name == "talent_arrivals") return counts(o.talent_arrivals);
  if (name == "talent_departures") return counts(o.talent_departures);
  if (name == "wage") return Column{{}, o.wage, true};
  if (name == "rent") return Column{{}, o.rent, true};
  if (name == "firm_relocations") return counts(o.firm_relocations);
  if (name == "talent_relocations") return counts(o.talent_relocations);
  if (name == "tax_collected") return money(o.tax_collected);
  if (name == "subsidies_received") return money(o.subsidies_received);
  if (name == "tax_attributed") return money(o.tax_attributed);
  if (name == "gdp_attributed") return money(o.gdp_attributed);
  if (name == "subsidies_paid") return money(o.subsidies_paid);
  if (name == "budget") return money(o.budget);
  if (name == "amenity_spending") return money(o.amenity_spending);
  if (name == "score") return Column{{}, o.score, true};
  if (name == "subsidy_offer") return Column{{}, o.subsidy_offer, true};
  if (name == "innovations") return counts(o.innovations);
  if (name == "spinoffs") return counts(o.spinoffs);
  if (name == "transfers") return counts(o.transfers);
  if (name == "institute_researchers") return counts(o.institute_researchers);
  if (name == "amenity") return Column{{}, o.amenity, true};
  if (name == "specialisation_index") return Column{{}, o.specialisation_index, true};
  if (name == "zero_sum_relocations") return counts({o.zero_sum_relocations});
  if (name == "subsidy_per_net_new_firm") return Column{{}, {o.subsidy_per_net_new_firm}, true};
  if (name == "theil_output") return Column{{}, {o.theil_output}, true};
  throw std::logic_error("recorder: no column for output variable '" + name + "'");
}

bool is_float(const OutputVariable& v) {
  return v.real || v.units.find("mCNY") != std::string::npos;
}

std::vector<std::string> names_of(const auto& entities) {
  std::vector<std::string> names;
  for (const auto& e : entities)
    names.push_back(e.name);
  return names;
}

std::chrono::year_month_day parse_date(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%u", &y, &m, &d) != 3)
    throw std::invalid_argument("start date '" + text + "' is not YYYY-MM-DD");
  return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m},
                                     std::chrono::day{d}};
}

}  // namespace

const std::vector<OutputVariable>& output_variables() {
  static const std::vector<OutputVariable> vars = {
      {"firms", kZoneSector, "1", "firms located in the zone at the end of the month"},
      {"employment", kZoneSector, "persons",
       "employees of the zone's firms at the end of the month"},
      {"output", kZoneSector, "mCNY month-1", "value added produced in the month"},
      {"vacancies", kZoneSector, "1", "vacancies posted in the month, before matching"},
      {"firm_entries", kZoneSector, "1",
       "investment projects that settled in the zone in the month"},
      {"firm_exits", kZoneSector, "1", "firms that closed in the month"},
      {"talent_employed", kZoneSkill, "persons",
       "employed talent living in the zone at the end of the month"},
      {"talent_seeking", kZoneSkill, "persons",
       "talent seeking a job in the zone at the end of the month"},
      {"talent_arrivals", kZoneSkill, "persons",
       "talent arriving from outside the region in the month"},
      {"talent_departures", kZoneSkill, "persons", "talent leaving the region in the month"},
      {"wage", kZone, "mCNY month-1 person-1", "mean monthly wage of the employed in the zone"},
      {"rent", kZone, "mCNY month-1 workplace-1", "rent of firm floor space per worker place"},
      {"firm_relocations", kFlow, "1", "firms moving from zone_from to zone_to in the month"},
      {"talent_relocations", kFlow, "persons",
       "talent moving from zone_from to zone_to in the month (own choice or with the employer)"},
      {"tax_collected", kZone, "mCNY month-1", "local tax paid by firms located in the zone"},
      {"subsidies_received", kZone, "mCNY month-1",
       "investment-promotion subsidies received by firms entering or moving into the zone"},
      {"tax_attributed", kJurisdiction, "mCNY month-1",
       "tax credited to the jurisdiction by the attribution rule"},
      {"gdp_attributed", kJurisdiction, "mCNY month-1",
       "value added credited to the jurisdiction's statistics"},
      {"subsidies_paid", kJurisdiction, "mCNY month-1",
       "investment-promotion subsidies paid by the jurisdiction"},
      {"budget", kJurisdiction, "mCNY", "jurisdiction's budget balance at the end of the month"},
      {"amenity_spending", kJurisdiction, "mCNY month-1",
       "park-city amenity investment paid by the jurisdiction"},
      {"score", kJurisdiction, "1",
       "assessment score at the latest review (weighted log growth of the period)", true},
      {"subsidy_offer", kJurisdictionSector, "mCNY firm-1",
       "one-off subsidy offered per incoming firm, in force at the end of the month"},
      {"innovations", kZone, "1",
       "innovations made by the zone's research institutes in the month"},
      {"spinoffs", kZone, "1", "spin-off firms founded from the zone's institutes in the month"},
      {"transfers", kFlow, "1",
       "innovations of zone_from's institutes transferred to firms in zone_to in the month"},
      {"institute_researchers", kZone, "persons",
       "researchers employed by the zone's institutes at the end of the month"},
      {"amenity", kZone, "1", "park-city amenity index in force at the end of the month", true},
      {"specialisation_index", kZone, "1",
       "Krugman specialisation index of employment against the rest of the region (0-2)", true},
      {"zero_sum_relocations", kRegion, "1", "firm moves between zones of the region in the month"},
      {"subsidy_per_net_new_firm", kRegion, "mCNY firm-1",
       "subsidies paid since month 0 per net new firm in the region (NaN if none)"},
      {"theil_output", kRegion, "1",
       "Theil index of output across zones against residents (0 = output spread like people)",
       true},
  };
  return vars;
}

std::vector<double> month_offsets_in_days(const std::string& start_date, std::int64_t months) {
  using namespace std::chrono;
  const year_month_day start = parse_date(start_date);
  const sys_days origin{start};
  std::vector<double> days;
  days.reserve(static_cast<std::size_t>(months));
  for (std::int64_t t = 0; t < months; ++t) {
    const year_month_day d =
        year_month_day{start.year(), start.month(), day{1}} + std::chrono::months{t};
    days.push_back(static_cast<double>((sys_days{d} - origin).count()));
  }
  return days;
}

Recorder::Recorder(const std::string& path, const Experiment& plan, const RunMetadata& meta)
    : file_(path),
      days_(month_offsets_in_days(plan.runs.front().scenario.run.start_date,
                                  plan.runs.front().scenario.run.steps)) {
  const Scenario& scenario = plan.runs.front().scenario;
  const auto zones = names_of(scenario.zones);
  file_.define_dimension("run", plan.runs.size());
  file_.define_dimension("time", 0, true);
  file_.define_dimension("zone", zones.size());
  file_.define_dimension("sector", scenario.sectors.size());
  file_.define_dimension("skill", scenario.skills.size());
  file_.define_dimension("jurisdiction", scenario.jurisdictions.size());
  file_.define_dimension("zone_from", zones.size());
  file_.define_dimension("zone_to", zones.size());

  const RunLayout layout = define_run_dimension(file_, plan);
  wall_seconds_ = layout.wall_seconds;
  file_.define_variable("time", NcType::float64, {"time"},
                        {{"units", "days since " + scenario.run.start_date},
                         {"calendar", std::string("proleptic_gregorian")},
                         {"standard_name", std::string("time")},
                         {"long_name", std::string("first day of the simulated month")}});
  file_.set_string_coordinate("zone", zones,
                              {{"long_name", std::string("zone of the science city")}});
  file_.set_string_coordinate("sector", names_of(scenario.sectors),
                              {{"long_name", std::string("industrial sector")}});
  file_.set_string_coordinate("skill", names_of(scenario.skills),
                              {{"long_name", std::string("skill group of talent")}});
  file_.set_string_coordinate("jurisdiction", names_of(scenario.jurisdictions),
                              {{"long_name", std::string("administrative jurisdiction")}});
  file_.set_string_coordinate("zone_from", zones, {{"long_name", std::string("zone moved from")}});
  file_.set_string_coordinate("zone_to", zones, {{"long_name", std::string("zone moved to")}});
  // The whole time axis up front: runs finish in any order, each writes all its months at once.
  for (std::size_t t = 0; t < days_.size(); ++t)
    file_.write_unlimited_coordinate(t, days_[t]);

  for (const OutputVariable& v : output_variables()) {
    std::vector<std::string> dims = {"run", "time"};
    dims.insert(dims.end(), v.dims.begin(), v.dims.end());
    vars_.push_back(file_.define_variable(
        v.name, is_float(v) ? NcType::float64 : NcType::int64, dims,
        {{"units", v.units}, {"long_name", v.long_name}, {"coordinates", layout.coordinates}}));
  }

  set_root_provenance(file_, plan, meta);
}

Recorder::~Recorder() = default;

void Recorder::write_run(std::size_t run, std::span<const StepOutputs> months) {
  const std::size_t prefix[] = {run};
  const auto& vars = output_variables();
  for (const StepOutputs& out : months) {
    const std::size_t index = static_cast<std::size_t>(out.month);
    if (index >= days_.size())
      throw std::logic_error("recorder: month " + std::to_string(index) + " is past the time axis");
    for (std::size_t v = 0; v < vars.size(); ++v) {
      const Column c = column(out, vars[v].name);
      if (c.money)
        file_.write_record(vars_[v], prefix, index, std::span<const double>(c.values));
      else
        file_.write_record(vars_[v], prefix, index, std::span<const std::int64_t>(c.counts));
    }
  }
  written_ = std::max(written_, static_cast<std::int64_t>(months.size()));
}

void Recorder::finish(const std::string& ended_at, double wall_seconds,
                      std::span<const double> run_seconds) {
  file_.write_variable(wall_seconds_, run_seconds);
  file_.set_root_attribute("ended_at", ended_at);
  file_.set_root_attribute("wall_seconds", wall_seconds);
  file_.set_root_attribute("months_written", written_);
  file_.set_root_attribute("complete", std::string("true"));
  file_.close();
}

}  // namespace regionsim
