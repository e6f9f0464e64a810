// Checkpoint member lists of a month's record and of the whole model state
// (checkpoint_archive.hpp). The scenario and the random generator are not in the list: the
// checkpoint carries the resolved scenario as text and rebuilds both from it (the generator is
// only the run's seed, DETERMINISM.md: counter-based draws have no position to save).
#include "checkpoint_archive.hpp"
#include "model_state.hpp"
#include "step_outputs_fields.hpp"

namespace regionsim {

namespace {

static_assert(sizeof(void*) != 8 ||
                  sizeof(ModelState) ==
                      sizeof(Scenario) + sizeof(RegionTables) + sizeof(Calibration) + sizeof(Rng) +
                          8 + sizeof(NextIds) + sizeof(TalentStore) + sizeof(FirmStore) +
                          sizeof(InstituteStore) + sizeof(ZoneFields) + sizeof(Jurisdictions) +
                          sizeof(StepOutputs) + sizeof(void*),  // ModelState::shard, not saved
              "ModelState changed: list the new member in engine/src/checkpoint_state.cpp");

template <class A, StatePart<StepOutputs> O>
void visit(A& a, O& o) {
  visit_step_outputs(o, [&](auto& field) { a(field); });
}

template <class A, StatePart<ModelState> S>
void visit(A& a, S& s) {
  a(s.tables), a(s.calibration), a(s.month), a(s.ids), a(s.talent), a(s.firms);
  a(s.institutes), a(s.fields), a(s.gov), a(s.last);
}

}  // namespace

REGIONSIM_ARCHIVE_BY_VISIT(StepOutputs)
REGIONSIM_ARCHIVE_BY_VISIT(ModelState)

}  // namespace regionsim
