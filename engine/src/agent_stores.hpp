// Structure-of-arrays agent stores. Agents are addressed by stable 64-bit ids; a store is kept
// sorted by id (new agents get ids above every existing one, dead ones are compacted away in
// order), so iteration order is the id order on every thread count, rank and restart.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "regionsim/limits.hpp"

namespace regionsim {

using AgentId = std::uint64_t;
inline constexpr AgentId kNoFirm = std::numeric_limits<AgentId>::max();
// Institute ids carry this bit, so an employer id says by itself whether it is a firm or an
// institute (firm ids stay far below it).
inline constexpr AgentId kInstituteBit = AgentId{1} << 62;
inline bool is_institute(AgentId employer) {
  return employer != kNoFirm && (employer & kInstituteBit) != 0;
}

struct TalentStore {
  std::vector<AgentId> id;
  std::vector<ZoneIndex> zone;  // where the person lives and works
  std::vector<SkillIndex> skill;
  std::vector<SectorIndex> sector;  // field of work: the labour-market cell it searches in
  std::vector<AgentId> employer;    // firm or institute id, or kNoFirm while seeking
  std::vector<std::uint8_t> alive;  // 0 once departed; compacted away at the end of a step

  std::size_t size() const { return id.size(); }
  void push(AgentId i, ZoneIndex z, SkillIndex k, SectorIndex s, AgentId firm) {
    id.push_back(i);
    zone.push_back(z);
    skill.push_back(k);
    sector.push_back(s);
    employer.push_back(firm);
    alive.push_back(1);
  }
  void compact();
};

struct FirmStore {
  std::vector<AgentId> id;
  std::vector<ZoneIndex> zone;      // where it produces, employs and rents floor space
  std::vector<ZoneIndex> reg_zone;  // where it is registered: its tax and GDP are credited here
                                    // (== zone unless it moved only its registration)
  std::vector<SectorIndex> sector;
  std::vector<double> tfp;                // own productivity, before location multipliers
  std::vector<std::int32_t> employees;    // maintained incrementally; checked against talent
  std::vector<std::int32_t> vacancies;    // posted this month
  std::vector<double> layoff_prob;        // per-employee layoff probability this month
  std::vector<std::int32_t> loss_months;  // consecutive months with an after-tax loss
  std::vector<ZoneIndex> origin_zone;     // registration zone before the latest move, real or
                                          // paper (== reg_zone if never moved)
  std::vector<std::int32_t> moved_step;   // month of the latest move, real or paper, -1 if never
  std::vector<std::int32_t> entry_step;   // month of entry, -1 for the initial population
  std::vector<JurisdictionIndex> finder;  // jurisdiction that found the project under joint
                                          // promotion, kNoJurisdiction otherwise
  std::vector<std::uint8_t> alive;        // 0 once exited
  std::vector<std::uint8_t> exiting;      // decided to exit this month
  std::vector<std::uint8_t> hte;          // 1 if certified high-tech enterprise (15 % CIT)

  std::size_t size() const { return id.size(); }
  void push(AgentId i, ZoneIndex z, SectorIndex s, double a, std::int32_t step) {
    id.push_back(i);
    zone.push_back(z);
    reg_zone.push_back(z);
    sector.push_back(s);
    tfp.push_back(a);
    employees.push_back(0);
    vacancies.push_back(0);
    layoff_prob.push_back(0.0);
    loss_months.push_back(0);
    origin_zone.push_back(z);
    moved_step.push_back(-1);
    entry_step.push_back(step);
    finder.push_back(kNoJurisdiction);
    alive.push_back(1);
    exiting.push_back(0);
    hte.push_back(0);
  }
  void compact();
};

// Research institutes: few, fixed in place, employing researchers.
struct InstituteStore {
  std::vector<AgentId> id;  // with kInstituteBit set
  std::vector<ZoneIndex> zone;
  std::vector<std::int32_t> researchers;  // maintained incrementally; checked against talent
  std::vector<std::int32_t> vacancies;

  std::size_t size() const { return id.size(); }
  void push(AgentId i, ZoneIndex z) {
    id.push_back(i);
    zone.push_back(z);
    researchers.push_back(0);
    vacancies.push_back(0);
  }
  std::int64_t index_of(AgentId institute) const;
};

}  // namespace regionsim
