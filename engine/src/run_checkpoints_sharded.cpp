// --resume of sharded runs (RunCheckpoints::resume_sharded). When a run starts, its shards agree
// on the checkpoints to continue from: their own (OUT...month-NNNN.shard-S-of-P.ckpt) of the
// latest month every shard has, or, when later, the complete set of a month written by a run
// sharded over another number of processes. From another layout every shard reads all of the
// month's checkpoints, takes the replicated state (firms, institutes, fields, books, records) from
// the first and merges the people it holds from all: stores are sorted by id, so the merge is the
// store a run on this layout holds at that month, and the run continues bit for bit.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

#include "model_state.hpp"
#include "run_checkpoints.hpp"
#include "shards.hpp"

namespace regionsim {

namespace {

namespace fs = std::filesystem;

// What a checkpoint's name says after `OUT[.run-RRRR].month-`: the month, and shard S of P
// (0 of 1 when unsharded). False for any other name (temporary files included).
bool parse_checkpoint_name(const std::string& rest, long long& month, long long& shard,
                           long long& shards) {
  int used = 0;
  if (std::sscanf(rest.c_str(), "%lld.shard-%lld-of-%lld.ckpt%n", &month, &shard, &shards, &used) ==
          3 &&
      used == static_cast<int>(rest.size()))
    return month >= 1 && shards >= 1 && shard >= 0 && shard < shards;
  used = 0;
  shard = 0;
  shards = 1;
  return std::sscanf(rest.c_str(), "%lld.ckpt%n", &month, &used) == 1 &&
         used == static_cast<int>(rest.size()) && month >= 1;
}

fs::path directory_of(const std::string& output) {
  const fs::path parent = fs::path(output).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// The name's beginning shared by run `run`'s checkpoints: `OUT.month-` or `OUT.run-RRRR.month-`.
std::string run_prefix(const std::string& output, std::int64_t run) {
  char part[48] = ".month-";
  if (run >= 0) std::snprintf(part, sizeof part, ".run-%04lld.month-", static_cast<long long>(run));
  return fs::path(output).filename().string() + part;
}

// A complete set of one run's checkpoints of one month: written by `shards` processes.
struct Layout {
  std::int64_t shards = 0;
  std::int64_t month = 0;
};

// The latest month of which run `run` of `output` has every shard's checkpoint from a layout
// other than `own` shards (by the names in its directory); month 0 if none.
Layout latest_other_layout(const std::string& output, std::int64_t run, std::int64_t own) {
  const std::string prefix = run_prefix(output, run);
  std::map<std::pair<long long, long long>, std::set<long long>> found;  // (month, P) -> shards
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory_of(output), ec)) {
    const std::string file = entry.path().filename().string();
    long long month = 0, shard = 0, shards = 1;
    if (file.rfind(prefix, 0) != 0 ||
        !parse_checkpoint_name(file.substr(prefix.size()), month, shard, shards) || shards == own)
      continue;
    found[{month, shards}].insert(shard);
  }
  Layout latest;
  for (const auto& [key, shards_present] : found)
    if (static_cast<long long>(shards_present.size()) == key.second && key.first > latest.month)
      latest = {key.second, key.first};
  return latest;
}

// The rows of one store (`store` of ModelState) `comm`'s shard holds by `keep(store, row)`, from
// one month's checkpoints of every shard of another layout (each store sorted by id): every
// column in `columns` merged into one store sorted by id again.
template <class Store, class Keep, class... Column>
Store held_rows(const std::vector<Checkpoint>& parts, Store ModelState::*store, Keep&& keep,
                Column Store::*... columns) {
  std::vector<std::pair<AgentId, std::pair<std::size_t, std::size_t>>> held;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const Store& from = (*parts[p].state).*store;
    for (std::size_t i = 0; i < from.size(); ++i)
      if (keep(from, i)) held.push_back({from.id[i], {p, i}});
  }
  std::sort(held.begin(), held.end());
  Store merged;
  const auto copy = [&](auto column) {
    (merged.*column).reserve(held.size());
    for (const auto& [id, at] : held)
      (merged.*column).push_back(((*parts[at.first].state).*store.*column)[at.second]);
  };
  (copy(columns), ...);
  return merged;
}

// The people `comm`'s shard holds (with their employer, or by their own id).
TalentStore held_people(const std::vector<Checkpoint>& parts, const ShardComm* comm) {
  static_assert(sizeof(TalentStore) == 6 * sizeof(std::vector<AgentId>),
                "TalentStore changed: copy the new column in held_people");
  return held_rows(
      parts, &ModelState::talent,
      [&](const TalentStore& t, std::size_t i) {
        return holds_person(comm, t.id[i], t.employer[i]);
      },
      &TalentStore::id, &TalentStore::zone, &TalentStore::skill, &TalentStore::sector,
      &TalentStore::employer, &TalentStore::alive);
}

// The firms `comm`'s shard holds (by id).
FirmStore held_firms(const std::vector<Checkpoint>& parts, const ShardComm* comm) {
  static_assert(sizeof(FirmStore) == 16 * sizeof(std::vector<AgentId>),
                "FirmStore changed: copy the new column in held_firms");
  return held_rows(
      parts, &ModelState::firms,
      [&](const FirmStore& f, std::size_t i) { return holds(comm, f.id[i]); }, &FirmStore::id,
      &FirmStore::zone, &FirmStore::reg_zone, &FirmStore::sector, &FirmStore::tfp,
      &FirmStore::employees, &FirmStore::vacancies, &FirmStore::layoff_prob,
      &FirmStore::loss_months, &FirmStore::origin_zone, &FirmStore::moved_step,
      &FirmStore::entry_step, &FirmStore::finder, &FirmStore::alive, &FirmStore::exiting,
      &FirmStore::hte);
}

// The contracts of the firms `comm`'s shard holds, from the books of every part (each signed only
// for its own firms, so a firm's contract is in one part at most): the rest of `into` is kept.
void take_held_contracts(const std::vector<Checkpoint>& parts, const ShardComm* comm,
                         Promotion& into) {
  std::size_t bound = 0;
  for (const Checkpoint& part : parts)
    bound = std::max(bound, part.state->gov.promotion.contract_of.size());
  std::vector<std::int32_t> contract_of(bound, -1);
  std::vector<Contract> contracts;
  for (AgentId id = 0; id < bound; ++id) {
    if (!holds(comm, id)) continue;
    for (const Checkpoint& part : parts) {
      const Promotion& from = part.state->gov.promotion;
      if (id >= from.contract_of.size() || from.contract_of[id] < 0) continue;
      contract_of[id] = static_cast<std::int32_t>(contracts.size());
      contracts.push_back(from.contracts[static_cast<std::size_t>(from.contract_of[id])]);
      break;
    }
  }
  into.contract_of = std::move(contract_of);
  into.contracts = std::move(contracts);
}

}  // namespace

void remove_every_layout(const std::string& output, std::size_t runs) {
  const std::string single = run_prefix(output, -1);
  const std::string of_run = fs::path(output).filename().string() + ".run-";
  std::vector<fs::path> doomed;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory_of(output), ec)) {
    const std::string file = entry.path().filename().string();
    std::string rest;
    if (runs == 1) {
      if (file.rfind(single, 0) != 0) continue;
      rest = file.substr(single.size());
    } else {
      long long run = -1;
      int used = 0;
      if (file.rfind(of_run, 0) != 0 ||
          std::sscanf(file.c_str() + of_run.size(), "%lld.month-%n", &run, &used) != 1 ||
          used == 0 || run < 0 || run >= static_cast<long long>(runs))
        continue;
      rest = file.substr(of_run.size() + static_cast<std::size_t>(used));
    }
    long long month = 0, shard = 0, shards = 1;
    if (parse_checkpoint_name(rest, month, shard, shards)) doomed.push_back(entry.path());
  }
  for (const fs::path& file : doomed)
    fs::remove(file, ec);
}

void RunCheckpoints::resume_sharded(const Experiment& plan, RunOptions& run_options) {
  run_options.restore = [this, &plan, output = run_options.output, check = run_options.check,
                         shard = run_options.shard](
                            std::size_t run,
                            std::vector<StepOutputs>& recorded) -> std::optional<Simulation> {
    const std::int64_t steps = plan.runs[run].scenario.run.steps;
    const std::int64_t index = run_index(plan, run);
    const std::int64_t shards = shard->shards();
    // The latest month of which every shard has its own checkpoint: a job killed while some
    // shards were writing continues from the month before.
    std::vector<std::int64_t> present(static_cast<std::size_t>(std::max<std::int64_t>(steps, 1)));
    for (std::int64_t m = 1; m < steps; ++m) {
      std::error_code ec;
      present[static_cast<std::size_t>(m)] =
          fs::is_regular_file(checkpoint_path(output, m, index, shard->shard(), shards), ec);
    }
    shard->sum(present);
    std::int64_t own = steps - 1;
    while (own > 0 && present[static_cast<std::size_t>(own)] != shards)
      --own;
    // Another layout's latest complete month; every shard must see the same files.
    const Layout other = latest_other_layout(output, index, shards);
    std::vector<std::int64_t> seen{other.shards, other.month};
    shard->sum(seen);
    if (seen[0] != other.shards * shards || seen[1] != other.month * shards)
      throw std::runtime_error(
          "--resume: the shards of run " + std::to_string(run) +
          " see different checkpoint files (is the output's directory on a file system every "
          "rank shares?)");
    const bool announce = shard->shard() == 0;
    if (own <= 0 && other.month <= 0) {
      if (announce)
        std::fprintf(stderr,
                     "regionsim: --resume: run %zu has no checkpoint common to its %lld shards; "
                     "it starts from month 0\n",
                     run, static_cast<long long>(shards));
      return std::nullopt;
    }
    if (own >= other.month) {
      Checkpoint c = check_checkpoint(checkpoint_path(output, own, index, shard->shard(), shards),
                                      plan, run, shard->shard(), shards);
      if (run < writers_.size()) writers_[run]->adopt(own);
      if (announce)
        std::fprintf(stderr,
                     "regionsim: --resume: run %zu continues from its checkpoints of month %lld "
                     "(%lld shards)\n",
                     run, static_cast<long long>(own), static_cast<long long>(shards));
      recorded = std::move(c.months);
      return Simulation::restore(std::move(c.state), std::move(c.initial), check, shard);
    }
    // Re-split: every shard reads the whole set and keeps its firms and people.
    std::vector<Checkpoint> parts;
    for (std::int64_t s = 0; s < other.shards; ++s)
      parts.push_back(check_checkpoint(checkpoint_path(output, other.month, index, s, other.shards),
                                       plan, run, s, other.shards));
    for (const Checkpoint& part : parts)
      if (part.state->month != other.month || part.months.size() != parts[0].months.size())
        throw CheckpointError(checkpoint_path(output, other.month, index, 0, other.shards),
                              "and the other shards' checkpoints of its month disagree");
    if (announce)
      std::fprintf(stderr,
                   "regionsim: --resume: run %zu continues from the checkpoints of month %lld "
                   "written by %lld shard(s), re-split over %lld\n",
                   run, static_cast<long long>(other.month), static_cast<long long>(other.shards),
                   static_cast<long long>(shards));
    Checkpoint& first = parts.front();
    TalentStore people = held_people(parts, shard);
    FirmStore firms = held_firms(parts, shard);
    take_held_contracts(parts, shard, first.state->gov.promotion);
    first.state->talent = std::move(people);
    first.state->firms = std::move(firms);
    recorded = std::move(first.months);
    return Simulation::restore(std::move(first.state), std::move(first.initial), check, shard);
  };
}

}  // namespace regionsim
