// Sharded runs in one process: ThreadShardComm plays the communicator with one thread per shard
// (the MPI build's tests, tests/mpi/mpi_shard_test.sh, do the same with real mpirun). A run split
// over 2 or 3 shards gives the one-process records bit for bit, with the accounting identities
// checked every month on every shard, and each shard holds about its share of the people. The
// exchange helpers (shards.hpp) are checked against their one-process meaning on small inputs.
#include <gtest/gtest.h>

#include <barrier>
#include <cmath>
#include <cstring>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "checkpoint.hpp"
#include "model_state.hpp"
#include "regionsim/simulation.hpp"
#include "rng.hpp"
#include "shards.hpp"
#include "step_outputs_fields.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

// The shards' meeting point: each collective posts every shard's bytes, waits for all, reads.
class Exchange {
 public:
  explicit Exchange(int shards) : posted_(static_cast<std::size_t>(shards)), sync_(shards) {}
  std::vector<std::vector<std::byte>> all(int shard, std::vector<std::byte> mine) {
    posted_[static_cast<std::size_t>(shard)] = std::move(mine);
    sync_.arrive_and_wait();
    std::vector<std::vector<std::byte>> copy = posted_;
    sync_.arrive_and_wait();  // nobody posts the next collective before all have read this one
    return copy;
  }

 private:
  std::vector<std::vector<std::byte>> posted_;
  std::barrier<> sync_;
};

class ThreadShardComm final : public ShardComm {
 public:
  ThreadShardComm(Exchange& exchange, int shard, int shards)
      : exchange_(exchange), shard_(shard), shards_(shards) {}
  int shard() const override { return shard_; }
  int shards() const override { return shards_; }
  void sum(std::span<std::int64_t> values) override { sum_of(values); }
  void sum(std::span<std::int32_t> values) override { sum_of(values); }
  std::span<const std::byte> gather(std::span<const std::byte> mine) override {
    inbox_.clear();
    for (const auto& part : exchange_.all(shard_, {mine.begin(), mine.end()}))
      inbox_.insert(inbox_.end(), part.begin(), part.end());
    return inbox_;
  }

 private:
  template <typename T>
  void sum_of(std::span<T> values) {
    std::vector<std::byte> mine(values.size_bytes());
    std::memcpy(mine.data(), values.data(), mine.size());
    const auto parts = exchange_.all(shard_, std::move(mine));
    std::vector<T> total(values.size(), 0);
    for (const auto& part : parts) {
      std::vector<T> v(values.size());
      std::memcpy(v.data(), part.data(), part.size());
      for (std::size_t i = 0; i < v.size(); ++i)
        total[i] += v[i];
    }
    std::copy(total.begin(), total.end(), values.begin());
  }
  Exchange& exchange_;
  int shard_, shards_;
  std::vector<std::byte> inbox_;
};

// A record as bytes, field by field (names as characters), for exact comparison.
std::vector<char> record_bytes(const StepOutputs& o) {
  std::vector<char> bytes;
  visit_step_outputs(o, [&](const auto& field) {
    using Field = std::decay_t<decltype(field)>;
    if constexpr (requires {
                    field.data();
                    field.size();
                  }) {
      if constexpr (std::is_same_v<typename Field::value_type, std::string>) {
        for (const std::string& s : field)
          bytes.insert(bytes.end(), s.begin(), s.end() + 1);
      } else {
        const auto* p = reinterpret_cast<const char*>(field.data());
        bytes.insert(bytes.end(), p, p + field.size() * sizeof(typename Field::value_type));
      }
    } else {
      const auto* p = reinterpret_cast<const char*>(&field);
      bytes.insert(bytes.end(), p, p + sizeof field);
    }
  });
  return bytes;
}

// Every record of `sim` from month -1 to its last month (simulating the months left).
std::vector<std::vector<char>> all_records(Simulation& sim) {
  std::vector<std::vector<char>> records{record_bytes(sim.initial())};
  while (sim.month() < sim.scenario().run.steps)
    records.push_back(record_bytes(sim.step()));
  return records;
}

struct ShardedResult {
  std::vector<std::vector<std::vector<char>>> months;  // [shard][month] record bytes
  std::vector<std::size_t> people, firms;              // held by each shard at the end
  std::vector<std::string> errors;                     // what a shard threw (the checks)
};

// With `restart_at` > 0 every shard writes its checkpoint after that month (as the bytes of a
// checkpoint file of shard s of `shards`), drops its simulation and continues from the decoded
// checkpoint, as a sharded run resumed with --resume does.
ShardedResult run_sharded(const Scenario& scenario, int shards, std::int64_t restart_at = 0) {
  Exchange exchange(shards);
  ShardedResult result;
  result.months.resize(static_cast<std::size_t>(shards));
  result.people.resize(static_cast<std::size_t>(shards));
  result.firms.resize(static_cast<std::size_t>(shards));
  result.errors.resize(static_cast<std::size_t>(shards));
  std::vector<std::thread> threads;
  for (int s = 0; s < shards; ++s)
    threads.emplace_back([&, s] {
      // The checks compare run totals, so a broken identity throws on every shard in the same
      // month (no shard is left waiting at the exchange).
      try {
        ThreadShardComm comm(exchange, s, shards);
        Simulation sim(scenario, /*check=*/true, &comm);
        auto& months = result.months[static_cast<std::size_t>(s)];
        std::vector<StepOutputs> records;
        months.push_back(record_bytes(sim.initial()));
        while (sim.month() < scenario.run.steps) {
          records.push_back(sim.step());
          months.push_back(record_bytes(records.back()));
          if (sim.month() != restart_at) continue;
          CheckpointRun run{"x.h5",
                            "test",
                            4,
                            restart_at,
                            2,
                            -1,
                            1,
                            s,
                            shards,
                            scenario.resolved_toml,
                            scenario.source_file,
                            scenario.extends_chain};
          const std::vector<char> file = encode_checkpoint(run, sim, records);
          sim = Simulation(scenario, false);  // the shard's state is gone
          Checkpoint saved = decode_checkpoint(file, "shard.ckpt");
          bool same = saved.run.shard == s && saved.run.shards == shards &&
                      saved.months.size() == records.size();
          for (std::size_t t = 0; same && t < records.size(); ++t)
            same = record_bytes(saved.months[t]) == record_bytes(records[t]);
          if (!same) throw std::runtime_error("the checkpoint does not hold this shard's run");
          sim = Simulation::restore(std::move(saved.state), std::move(saved.initial),
                                    /*check=*/true, &comm);
        }
        result.people[static_cast<std::size_t>(s)] = sim.talent_count();
        result.firms[static_cast<std::size_t>(s)] = sim.firm_count();
      } catch (const std::exception& e) {
        result.errors[static_cast<std::size_t>(s)] = e.what();
      }
    });
  for (std::thread& t : threads)
    t.join();
  return result;
}

class ShardedRun : public ::testing::TestWithParam<int> {};

TEST_P(ShardedRun, GivesTheOneProcessRecordsBitForBitAndSplitsThePeople) {
  const int shards = GetParam();
  // Joint promotion at 2 % for 18 months: entries, exits, moves, matching and institutes all
  // have traffic every month.
  const Scenario scenario = load_scenario(testing::source_path("scenarios/joint-promotion.toml"),
                                          {"run.scale=0.02", "run.steps=18"});
  Simulation whole(scenario, /*check=*/true);
  const std::vector<std::vector<char>> expected = all_records(whole);

  const ShardedResult sharded = run_sharded(scenario, shards);
  std::size_t held = 0, held_firms = 0;
  for (int s = 0; s < shards; ++s) {
    ASSERT_EQ(sharded.errors[static_cast<std::size_t>(s)], "") << "shard " << s;
    const auto& months = sharded.months[static_cast<std::size_t>(s)];
    ASSERT_EQ(months.size(), expected.size());
    for (std::size_t t = 0; t < expected.size(); ++t)
      ASSERT_EQ(months[t], expected[t]) << "shard " << s << ", record " << t;
    held += sharded.people[static_cast<std::size_t>(s)];
    held_firms += sharded.firms[static_cast<std::size_t>(s)];
  }
  EXPECT_EQ(held, whole.talent_count());
  EXPECT_EQ(held_firms, whole.firm_count());
  // Firm ids alternate between shards, so each holds its share of the firms within a few per
  // cent. People sit with their employer (--check recounted every firm's staff on its own shard
  // every month above), so their split follows the firms' sizes, which are heavy-tailed: at 2 %
  // scale (some 600 firms) a few large ones move it by up to a quarter; at scale 1.6 the shards
  // hold within 2.5 % of each other (docs/scaling.md).
  const double firm_share = static_cast<double>(held_firms) / shards;
  const double share = static_cast<double>(held) / shards;
  for (int s = 0; s < shards; ++s) {
    EXPECT_NEAR(static_cast<double>(sharded.firms[static_cast<std::size_t>(s)]), firm_share,
                0.05 * firm_share)
        << "shard " << s;
    EXPECT_NEAR(static_cast<double>(sharded.people[static_cast<std::size_t>(s)]), share,
                0.35 * share)
        << "shard " << s;
  }
}

INSTANTIATE_TEST_SUITE_P(Shards, ShardedRun, ::testing::Values(1, 2, 3));

// Per-shard checkpoints: every shard saves its own people and the replicated rest after month 9
// and continues from its checkpoint; the records are still the one-process run's, bit for bit,
// and each shard still holds only its people (a checkpoint of the whole state would double them).
TEST(ShardedRunCheckpoint, EachShardContinuesFromItsOwnCheckpointBitForBit) {
  const Scenario scenario = load_scenario(testing::source_path("scenarios/joint-promotion.toml"),
                                          {"run.scale=0.02", "run.steps=18"});
  Simulation whole(scenario, /*check=*/true);
  const std::vector<std::vector<char>> expected = all_records(whole);
  const ShardedResult plain = run_sharded(scenario, 2);
  const ShardedResult restarted = run_sharded(scenario, 2, /*restart_at=*/9);
  for (std::size_t s = 0; s < 2; ++s) {
    ASSERT_EQ(restarted.errors[s], "") << "shard " << s;
    ASSERT_EQ(restarted.months[s].size(), expected.size());
    for (std::size_t t = 0; t < expected.size(); ++t)
      ASSERT_EQ(restarted.months[s][t], expected[t]) << "shard " << s << ", record " << t;
    EXPECT_EQ(restarted.people[s], plain.people[s]) << "shard " << s;
  }
}

// The lowest draws over the shards are the lowest of the whole list, ties to the lower id, and
// the events summed over shards are the one-process counts.
TEST(ShardExchange, LowestOverShardsAndEventSumsMatchOneProcess) {
  // Five seekers of one cell: ids 10..14 split by id mod 2; draws with a tie (ids 11 and 12).
  const std::vector<double> draws{0.5, 0.2, 0.2, 0.9, 0.1};
  const std::vector<std::int64_t> hires{3};
  Exchange exchange(2);
  std::vector<std::vector<AgentId>> chosen(2);
  std::vector<std::vector<std::int32_t>> counts(2);
  std::vector<std::pair<std::vector<std::int32_t>, std::vector<std::int32_t>>> both(2);
  std::vector<std::thread> threads;
  for (int s = 0; s < 2; ++s)
    threads.emplace_back([&, s] {
      ThreadShardComm comm(exchange, s, 2);
      std::vector<std::vector<Candidate>> mine(1);
      for (AgentId id = 10; id < 15; ++id)
        if (holds(&comm, id)) mine[0].push_back({draws[id - 10], id});
      chosen[static_cast<std::size_t>(s)] = lowest_over_shards(comm, hires, mine)[0];
      // Shard s saw leavers at slots s and 3.
      std::vector<std::int32_t> left(5, 0);
      left[static_cast<std::size_t>(s)] = 2;
      left[3] = 1 + s;
      sum_events_over_shards(&comm, left);
      counts[static_cast<std::size_t>(s)] = left;
      // Two lists in one message: firm slots then institute slots, each summed in its own list.
      std::vector<std::int32_t> firms(3, 0), institutes(2, 0);
      firms[2] = 1;
      institutes[static_cast<std::size_t>(s)] = 5;
      institutes[1] += s;
      sum_events_over_shards(&comm, {&firms, &institutes});
      both[static_cast<std::size_t>(s)] = {firms, institutes};
    });
  for (std::thread& t : threads)
    t.join();
  // Lowest three: 14 (0.1), then the tie 11 and 12 (0.2): ascending ids.
  const std::vector<AgentId> expected{11, 12, 14};
  EXPECT_EQ(chosen[0], expected);
  EXPECT_EQ(chosen[1], expected);
  const std::vector<std::int32_t> total{2, 2, 0, 3, 0};
  EXPECT_EQ(counts[0], total);
  EXPECT_EQ(counts[1], total);
  for (const auto& [firms, institutes] : both) {
    EXPECT_EQ(firms, (std::vector<std::int32_t>{0, 0, 2}));
    EXPECT_EQ(institutes, (std::vector<std::int32_t>{5, 6}));
  }
  // Without shards the helpers leave everything as it is.
  std::vector<std::int32_t> alone{1, 0, 4};
  sum_events_over_shards(nullptr, alone);
  EXPECT_EQ(alone, (std::vector<std::int32_t>{1, 0, 4}));
}

TEST(ShardExchange, RehomeSendsEachPersonToTheEmployersShardAndPostingsMergeInIdOrder) {
  // Two shards; firms 100 (shard 0) and 101 (shard 1). Before: shard 0 holds people 2, 3 (hired
  // by firm 101 this month), 4 (works for 100) and 7 (lost a job at firm 101's shard earlier
  // but was never moved: a seeker of odd id); shard 1 holds 1 (now a seeker, id odd: stays),
  // 6 (left firm 101: goes home to 0), 8 (works for 100: goes to 0) and 9 (works for 101).
  Exchange exchange(2);
  std::vector<TalentStore> after(2);
  std::vector<std::vector<std::vector<Posting>>> postings(2);
  std::vector<std::thread> threads;
  for (int s = 0; s < 2; ++s)
    threads.emplace_back([&, s] {
      ThreadShardComm comm(exchange, s, 2);
      TalentStore people;
      const auto add = [&](AgentId id, AgentId employer) {
        people.push(id, static_cast<ZoneIndex>(id % 3), 0, static_cast<SectorIndex>(id % 2),
                    employer);
      };
      FirmStore firms;
      if (s == 0) {
        add(2, 101);
        add(3, 101);
        add(4, 100);
        add(7, kNoFirm);
        firms.push(100, 0, 0, 1.0, -1);
        firms.vacancies.back() = 4;
      } else {
        add(1, kNoFirm);
        add(6, kNoFirm);
        add(8, 100);
        add(9, 101);
        firms.push(101, 0, 0, 1.0, -1);
        firms.vacancies.back() = 2;
        firms.push(103, 0, 0, 1.0, -1);
        firms.vacancies.back() = 5;
      }
      const std::vector<Migrant> leaving = take_leaving_people(&comm, people);
      people.compact();  // as entries_and_exits does between the two steps
      welcome_people(&comm, people, leaving);
      after[static_cast<std::size_t>(s)] = people;
      // One cell; shard 0 posts for firm 100, shard 1 for 101 and 103.
      const CellLists hiring = group_by_cell(
          firms.size(), 1, [](std::size_t) { return true; },
          [](std::size_t) { return std::size_t{0}; });
      postings[static_cast<std::size_t>(s)] = postings_over_shards(&comm, firms, hiring);
    });
  for (std::thread& t : threads)
    t.join();
  EXPECT_EQ(after[0].id, (std::vector<AgentId>{4, 6, 8}));
  EXPECT_EQ(after[0].employer, (std::vector<AgentId>{100, kNoFirm, 100}));
  EXPECT_EQ(after[1].id, (std::vector<AgentId>{1, 2, 3, 7, 9}));
  EXPECT_EQ(after[1].employer, (std::vector<AgentId>{kNoFirm, 101, 101, kNoFirm, 101}));
  // The columns travel with the person.
  for (const TalentStore& people : after)
    for (std::size_t i = 0; i < people.size(); ++i) {
      EXPECT_EQ(people.zone[i], people.id[i] % 3);
      EXPECT_EQ(people.sector[i], people.id[i] % 2);
      EXPECT_EQ(people.alive[i], 1);
    }
  for (const auto& cells : postings) {
    ASSERT_EQ(cells.size(), 1u);
    ASSERT_EQ(cells[0].size(), 3u);
    EXPECT_EQ(cells[0][0].id, 100u);
    EXPECT_EQ(cells[0][0].vacancies, 4);
    EXPECT_EQ(cells[0][1].id, 101u);
    EXPECT_EQ(cells[0][2].id, 103u);
    EXPECT_EQ(cells[0][2].vacancies, 5);
  }
}

TEST(ShardExchange, PicksOverShardsAreThePicksByWeightOfOneProcess) {
  // 300 agents with ids 7, 10, 13, ... (gaps between ids), weights 1..40, in two lists; held by
  // id mod 3. Every pick over the shards must be the agent pick_by_weight picks from the whole
  // list in id order, for draws spread over [0, 1) and the extremes.
  std::vector<AgentId> ids;
  std::vector<std::int64_t> weights;
  for (AgentId k = 0; k < 300; ++k) {
    ids.push_back(7 + 3 * k + k / 7);
    weights.push_back(static_cast<std::int64_t>(1 + (k * 37 + 11) % 40));
  }
  const auto list_of = [](AgentId id) -> std::size_t { return id % 5 == 0 ? 1 : 0; };
  std::vector<double> draws{0.0, 1e-12, 0.999999999999};
  for (int n = 0; n < 60; ++n)
    draws.push_back((n * 0.61803398875) - static_cast<int>(n * 0.61803398875));
  // One process: pick_by_weight over each list.
  std::vector<std::vector<double>> list_weights(2);
  std::vector<std::vector<AgentId>> list_ids(2);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    list_weights[list_of(ids[i])].push_back(static_cast<double>(weights[i]));
    list_ids[list_of(ids[i])].push_back(ids[i]);
  }
  std::vector<WeightedPick> picks;
  std::vector<AgentId> expected;
  for (std::size_t l = 0; l < 2; ++l) {
    double total = 0;
    for (const double w : list_weights[l])
      total += w;
    for (const double u : draws) {
      picks.push_back({l, std::min(static_cast<std::int64_t>(total),
                                   static_cast<std::int64_t>(std::floor(u * total)) + 1)});
      expected.push_back(list_ids[l][pick_by_weight(list_weights[l], u)]);
    }
  }
  constexpr int kShards = 3;
  Exchange exchange(kShards);
  std::vector<std::vector<AgentId>> picked(kShards);
  std::vector<std::thread> threads;
  for (int s = 0; s < kShards; ++s)
    threads.emplace_back([&, s] {
      ThreadShardComm comm(exchange, s, kShards);
      std::vector<AgentId> mine;
      std::vector<std::int64_t> mine_weight;
      std::vector<std::vector<std::size_t>> lists(2);
      for (std::size_t i = 0; i < ids.size(); ++i) {
        if (!holds(&comm, ids[i])) continue;
        lists[list_of(ids[i])].push_back(mine.size());
        mine.push_back(ids[i]);
        mine_weight.push_back(weights[i]);
      }
      picked[static_cast<std::size_t>(s)] =
          picks_over_shards(comm, mine, mine_weight, lists, picks);
    });
  for (std::thread& t : threads)
    t.join();
  for (int s = 0; s < kShards; ++s)
    EXPECT_EQ(picked[static_cast<std::size_t>(s)], expected) << "shard " << s;
}

}  // namespace
}  // namespace regionsim
