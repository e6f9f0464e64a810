// Sharded runs in one process: ThreadShardComm plays the communicator with one thread per shard
// (the MPI build's tests, tests/mpi/mpi_shard_test.sh, do the same with real mpirun). A run split
// over 2 or 3 shards gives the one-process records bit for bit, with the accounting identities
// checked every month on every shard, and each shard holds about its share of the people. The
// exchange helpers (shards.hpp) are checked against their one-process meaning on small inputs.
#include <gtest/gtest.h>

#include <barrier>
#include <cstring>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "checkpoint.hpp"
#include "model_state.hpp"
#include "regionsim/simulation.hpp"
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
  std::vector<std::size_t> people;                     // held by each shard at the end
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
  std::size_t held = 0;
  for (int s = 0; s < shards; ++s) {
    ASSERT_EQ(sharded.errors[static_cast<std::size_t>(s)], "") << "shard " << s;
    const auto& months = sharded.months[static_cast<std::size_t>(s)];
    ASSERT_EQ(months.size(), expected.size());
    for (std::size_t t = 0; t < expected.size(); ++t)
      ASSERT_EQ(months[t], expected[t]) << "shard " << s << ", record " << t;
    held += sharded.people[static_cast<std::size_t>(s)];
  }
  EXPECT_EQ(held, whole.talent_count());
  // Ids alternate between shards, so each holds its share within a few per cent.
  const double share = static_cast<double>(held) / shards;
  for (int s = 0; s < shards; ++s)
    EXPECT_NEAR(static_cast<double>(sharded.people[static_cast<std::size_t>(s)]), share,
                0.05 * share)
        << "shard " << s;
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

}  // namespace
}  // namespace regionsim
