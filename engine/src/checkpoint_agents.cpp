// Checkpoint member lists of the agent stores and the id counters (checkpoint_archive.hpp). A
// member added to a store fails the size check below until it is listed here.
#include "agent_stores.hpp"
#include "checkpoint_archive.hpp"
#include "model_state.hpp"

namespace regionsim {

namespace {

// Sizes on the 64-bit Linux targets: one std::vector per column.
constexpr bool k64 = sizeof(void*) == 8;
static_assert(!k64 || sizeof(TalentStore) == 6 * sizeof(std::vector<int>),
              "TalentStore changed: list the new column in engine/src/checkpoint_agents.cpp");
static_assert(!k64 || sizeof(FirmStore) == 16 * sizeof(std::vector<int>),
              "FirmStore changed: list the new column in engine/src/checkpoint_agents.cpp");
static_assert(!k64 || sizeof(InstituteStore) == 4 * sizeof(std::vector<int>),
              "InstituteStore changed: list the new column in engine/src/checkpoint_agents.cpp");
static_assert(sizeof(NextIds) == 4 * sizeof(AgentId),
              "NextIds changed: list the new counter in engine/src/checkpoint_agents.cpp");

// Every column must hold one value per agent: a reader refuses stores whose columns disagree.
template <class A, class... Columns>
void same_length(A& a, const Columns&... columns) {
  const std::size_t n[] = {columns.size()...};
  for (const std::size_t size : n)
    a.require(size == n[0], "an agent store's columns differ in length");
}

template <class A, StatePart<TalentStore> T>
void visit(A& a, T& t) {
  a(t.id), a(t.zone), a(t.skill), a(t.sector), a(t.employer), a(t.alive);
  same_length(a, t.id, t.zone, t.skill, t.sector, t.employer, t.alive);
}

template <class A, StatePart<FirmStore> F>
void visit(A& a, F& f) {
  a(f.id), a(f.zone), a(f.reg_zone), a(f.sector), a(f.tfp), a(f.employees), a(f.vacancies);
  a(f.layoff_prob), a(f.loss_months), a(f.origin_zone), a(f.moved_step), a(f.entry_step);
  a(f.finder), a(f.alive), a(f.exiting), a(f.hte);
  same_length(a, f.id, f.zone, f.reg_zone, f.sector, f.tfp, f.employees, f.vacancies, f.layoff_prob,
              f.loss_months, f.origin_zone, f.moved_step, f.entry_step, f.finder, f.alive,
              f.exiting, f.hte);
}

template <class A, StatePart<InstituteStore> I>
void visit(A& a, I& i) {
  a(i.id), a(i.zone), a(i.researchers), a(i.vacancies);
  same_length(a, i.id, i.zone, i.researchers, i.vacancies);
}

template <class A, StatePart<NextIds> N>
void visit(A& a, N& n) {
  a(n.talent), a(n.firm), a(n.project), a(n.innovation);
}

}  // namespace

REGIONSIM_ARCHIVE_BY_VISIT(TalentStore)
REGIONSIM_ARCHIVE_BY_VISIT(FirmStore)
REGIONSIM_ARCHIVE_BY_VISIT(InstituteStore)
REGIONSIM_ARCHIVE_BY_VISIT(NextIds)

}  // namespace regionsim
