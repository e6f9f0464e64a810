// The monthly phases, in the order simulate_month (simulation.cpp) runs them:
//   aggregate -> prices and fields -> firm decisions -> talent decisions -> researchers hired ->
//   innovation -> labour matching -> entries and exits -> park-city investment -> floor supply ->
//   government.
// A phase reads the month through a read-only MonthView and writes only what its signature names:
// its own agents and its own flows. Where one phase's outcome changes other agents or the fields,
// the handoff is a named step of its own (settle_separations, adopt_innovations,
// update_job_rates), so simulate_month reads as the list of everything that changes in a month.
#pragma once

#include "flows.hpp"
#include "month_view.hpp"

namespace regionsim {

// Head counts per zone and who works where, from the talent side; employment and firm counts per
// zone x sector from the firm side. `firm_id_bound` exceeds every firm id.
void aggregate(const MonthInputs& m, const TalentStore& talent, const FirmStore& firms,
               AgentId firm_id_bound, ZoneFields& fields, Roster& roster);

// Wages, rents, occupancies and location multipliers from the aggregates; the promotion packages
// in force per zone and their value to firms.
void update_fields(const MonthInputs& m, const Promotion& promotion, ZoneFields& fields);
// Core traction's spillover factor on each zone's location multiplier from the core's institute
// researchers opened to firms by the shared platforms (docs/model.md §4); all 1 without the lever.
Vector platform_spillover(const MonthInputs& m, const PerZone<std::int64_t>& researchers);

// Production, tax, exit, relocation and labour demand of every firm; refund and rent payments on
// the contracts of `promotion`.
void firm_decisions(const MonthView& m, const Promotion& promotion, FirmStore& firms, FirmFlows& f);

// Following a relocated employer, losing the job, leaving the region or moving zone; `left`
// counts who left which employer.
void talent_decisions(const MonthView& m, const FirmStore& firms, const InstituteStore& institutes,
                      const Roster& roster, TalentStore& talent, TalentFlows& f, Separations& left);
// Handoff in a sharded run: each shard counted its own people's moves, departures and leavers;
// every shard gets the run's totals (nothing to do without shards).
void combine_talent_decisions(ShardComm* shard, TalentFlows& f, Separations& left);
// Handoff: the employers' own head counts lose those who left them.
void settle_separations(const Separations& left, FirmStore& firms, InstituteStore& institutes);

// Institutes hire researchers from the seekers of their zone, before firms do.
void hire_researchers(const MonthView& m, InstituteStore& institutes, TalentStore& talent,
                      InstituteFlows& f);
// Institutes innovate; each innovation is transferred to a firm, spun off or shelved (recorded in
// `f`, applied to firms by adopt_innovations).
void innovate(const MonthView& m, const InstituteStore& institutes, const FirmStore& firms,
              AgentId& next_innovation_id, InstituteFlows& f);
// Handoff: transfers raise the receiving firms' productivity; spin-offs join the firms.
void adopt_innovations(const MonthView& m, const InstituteFlows& f, FirmStore& firms,
                       AgentId& next_firm_id);

// Seekers and hiring firms matched cell by cell.
void match_labour(const MonthView& m, TalentStore& talent, FirmStore& firms, LabourFlows& f);
// Handoff: the job-finding rates and tightness people and wages react to from now on.
void update_job_rates(const MonthInputs& m, const LabourFlows& f, ZoneFields& fields);

// Exited firms leave; talent (some of it drawn by the month's unfilled vacancies, `labour`) and
// investment projects arrive from outside.
void entries_and_exits(const MonthView& m, const LabourFlows& labour, TalentStore& talent,
                       FirmStore& firms, NextIds& ids, EntryFlows& f);

// Park-city investment: the amenity it builds (in the fields) and what each owner spends on it.
void invest_in_amenities(const MonthInputs& m, ZoneFields& fields, GovernmentFlows& f);

// Land: owners of zones whose floor is nearly full supply new floor space (in the fields) and
// earn land-lease revenue for it (land.hpp).
void supply_floor_space(const MonthInputs& m, ZoneFields& fields, GovernmentFlows& f);

// Attribution of tax and GDP, subsidies, budgets and the review of offers.
void government(const MonthView& m, const FirmFlows& firms, const EntryFlows& entries,
                Jurisdictions& gov, GovernmentFlows& f);

}  // namespace regionsim
