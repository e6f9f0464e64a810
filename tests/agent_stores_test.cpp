// Store compaction keeps the live agents in id order in every column, whatever the pattern of
// dead ones (none, all, the first, the last, runs, scattered), and leaves every flag set.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "agent_stores.hpp"

namespace regionsim {
namespace {

TalentStore talent_of(std::size_t n) {
  TalentStore t;
  for (std::size_t i = 0; i < n; ++i)
    t.push(3 * i + 1, static_cast<std::uint8_t>(i % 5), static_cast<std::uint8_t>(i % 3),
           static_cast<std::uint8_t>(i % 7), i % 4 == 0 ? kNoFirm : 1000 + i);
  return t;
}

// The reference: copy the live rows one by one into a fresh store.
TalentStore survivors_of(const TalentStore& t) {
  TalentStore s;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t.alive[i]) s.push(t.id[i], t.zone[i], t.skill[i], t.sector[i], t.employer[i]);
  return s;
}

void expect_same(const TalentStore& a, const TalentStore& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.zone, b.zone);
  EXPECT_EQ(a.skill, b.skill);
  EXPECT_EQ(a.sector, b.sector);
  EXPECT_EQ(a.employer, b.employer);
  EXPECT_EQ(a.alive, b.alive);
}

TEST(AgentStores, TalentCompactionKeepsTheLiveRowsInOrderForEveryPattern) {
  std::mt19937_64 gen(7);
  for (std::size_t n : {0u, 1u, 2u, 100u, 70000u}) {
    for (int pattern = 0; pattern < 6; ++pattern) {
      TalentStore t = talent_of(n);
      for (std::size_t i = 0; i < n; ++i) {
        bool dead = false;
        switch (pattern) {
          case 0: dead = false; break;                         // nobody died
          case 1: dead = true; break;                          // everybody died
          case 2: dead = i == 0; break;                        // the first
          case 3: dead = i + 1 == n; break;                    // the last
          case 4: dead = (i / 37) % 3 == 1; break;             // runs
          default: dead = std::uniform_real_distribution<>(0, 1)(gen) < 0.02;  // scattered
        }
        if (dead) t.alive[i] = 0;
      }
      const TalentStore expected = survivors_of(t);
      t.compact();
      expect_same(t, expected);
    }
  }
}

TEST(AgentStores, FirmCompactionMovesEveryColumnTogether) {
  FirmStore f;
  for (std::size_t i = 0; i < 5000; ++i) {
    f.push(2 * i, static_cast<std::uint8_t>(i % 5), static_cast<std::uint8_t>(i % 6),
           0.5 + static_cast<double>(i), static_cast<std::int32_t>(i % 100));
    f.employees.back() = static_cast<std::int32_t>(i);
    f.layoff_prob.back() = static_cast<double>(i) * 1e-4;
    f.moved_step.back() = static_cast<std::int32_t>(i % 13);
    f.hte.back() = static_cast<std::uint8_t>(i % 2);
    f.alive.back() = i % 11 == 3 ? 0 : 1;
  }
  f.compact();
  ASSERT_EQ(f.size(), 5000u - 455u);  // i % 11 == 3 for 455 of 0..4999
  for (std::size_t j = 0; j < f.size(); ++j) {
    const auto i = static_cast<std::size_t>(f.id[j] / 2);
    EXPECT_NE(i % 11, 3u);
    EXPECT_EQ(f.zone[j], i % 5);
    EXPECT_EQ(f.sector[j], i % 6);
    EXPECT_EQ(f.tfp[j], 0.5 + static_cast<double>(i));
    EXPECT_EQ(f.employees[j], static_cast<std::int32_t>(i));
    EXPECT_EQ(f.layoff_prob[j], static_cast<double>(i) * 1e-4);
    EXPECT_EQ(f.moved_step[j], static_cast<std::int32_t>(i % 13));
    EXPECT_EQ(f.entry_step[j], static_cast<std::int32_t>(i % 100));
    EXPECT_EQ(f.hte[j], i % 2);
    EXPECT_EQ(f.alive[j], 1);
    if (j > 0) {
      EXPECT_LT(f.id[j - 1], f.id[j]);
    }
  }
}

}  // namespace
}  // namespace regionsim
