// The migration response to vacancies (docs/model.md §6, "Arrivals"): each month, a zone x field
// cell's unfilled vacancies that fit in the zone's free floor draw Poisson arrivals at
// ψ = talent.vacancy_arrivals per vacancy, split over skills by the skill mix. Expected counts are
// written out from the documented equation, not taken from the engine; the other arrival term is
// switched off (talent.arrival_rate = 0) so every arrival here is drawn by vacancies.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "entries.hpp"
#include "phases.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

using Prepared = testing::PreparedMonth;

constexpr double kPsi = 0.25;

// Arrivals per zone x skill over `months` months with the same labour-market outcome each month.
std::vector<double> arrivals(const LabourFlows& labour, int months) {
  Prepared p(testing::small_baseline({"talent.arrival_rate=0", "firms.project_rate=0",
                                      "talent.vacancy_arrivals=" + std::to_string(kPsi)}));
  const std::size_t Z = p.state.tables.Z, K = p.state.tables.K;
  std::vector<double> observed(Z * K, 0.0);
  for (int month = 0; month < months; ++month) {
    p.state.month = month;
    StepFlows flows(p.state.tables);
    entries_and_exits(p.view(), labour, p.state.talent, p.state.firms, p.state.ids, flows.entries);
    for (std::size_t z = 0; z < Z; ++z)
      for (std::size_t k = 0; k < K; ++k)
        observed[z * K + k] += static_cast<double>(flows.entries.arrivals(z, k));
  }
  return observed;
}

// A labour-market outcome: in zone z, field s, V = 40 + 10 z + 5 s posted, H = 10 hired, and
// ample free floor except in zone 0, whose floor holds the hires and only half the unfilled
// vacancies.
LabourFlows outcome(const Extents& t, std::int64_t scale) {
  LabourFlows f(t);
  for (std::size_t z = 0; z < t.Z; ++z) {
    std::int64_t unfilled = 0;
    for (std::size_t s = 0; s < t.S; ++s) {
      f.vacancies(z, s) = scale * static_cast<std::int64_t>(40 + 10 * z + 5 * s);
      f.hires(z, s) = 10;
      unfilled += f.vacancies(z, s) - 10;
    }
    f.floor_room(z) = z == 0 ? 10 * static_cast<std::int64_t>(t.S) + unfilled / 2 : 1'000'000;
  }
  return f;
}

// §6: E N_{z,k} = ψ share_k Σ_s (V_{z,s} − H_{z,s}) · min(1, R_z / Σ_s (V − H)), R_z the free floor
// after the month's hires.
std::vector<double> expected(const Scenario& sc, const Extents& t, const LabourFlows& f,
                             int months) {
  std::vector<double> out(t.Z * t.K, 0.0);
  for (std::size_t z = 0; z < t.Z; ++z) {
    double unfilled = 0, hired = 0;
    for (std::size_t s = 0; s < t.S; ++s) {
      unfilled += static_cast<double>(f.vacancies(z, s) - f.hires(z, s));
      hired += static_cast<double>(f.hires(z, s));
    }
    const double room = static_cast<double>(f.floor_room(z)) - hired;
    const double open = std::min(unfilled, room);
    for (std::size_t k = 0; k < t.K; ++k)
      out[z * t.K + k] = months * kPsi * sc.skills[k].share * open;
  }
  return out;
}

TEST(LabourSupply, UnfilledVacanciesDrawArrivalsAtTheDocumentedRate) {
  const Prepared p(testing::small_baseline({}));
  const Extents& t = p.state.tables;
  const int months = 12;
  const LabourFlows f = outcome(t, 1);
  const std::vector<double> want = expected(p.state.scenario, t, f, months);
  const std::vector<double> got = arrivals(f, months);
  // Every zone x skill count against its Poisson mean: chi-square at the 0.1 % level (the
  // Wilson-Hilferty quantile), and the total within 4 standard deviations.
  double chi2 = 0, total_want = 0, total_got = 0, cells = 0;
  for (std::size_t c = 0; c < want.size(); ++c) {
    if (want[c] < 5.0) continue;
    chi2 += (got[c] - want[c]) * (got[c] - want[c]) / want[c];
    total_want += want[c];
    total_got += got[c];
    ++cells;
  }
  ASSERT_GE(cells, 3.0);
  const double c = 2.0 / (9.0 * cells);
  EXPECT_LT(chi2, cells * std::pow(1.0 - c + 3.0902 * std::sqrt(c), 3.0));
  EXPECT_NEAR(total_got, total_want, 4.0 * std::sqrt(total_want));
  // Zone 0's floor holds half its unfilled vacancies: its arrivals are half the uncut rate, far
  // outside the noise (the cut matters).
  double zone0 = 0, zone0_want = 0;
  for (std::size_t k = 0; k < t.K; ++k) {
    zone0 += got[k];
    zone0_want += want[k];
  }
  EXPECT_NEAR(zone0, zone0_want, 4.0 * std::sqrt(zone0_want));
  EXPECT_GT(2.0 * zone0_want - zone0, 6.0 * std::sqrt(zone0_want));
}

TEST(LabourSupply, DoublingUnfilledVacanciesDoublesVacancyArrivals) {
  // The response is linear: with twice the posted vacancies (and the same hires) zones 1.. have
  // 2V − H unfilled; the documented rate says by how much arrivals rise, the counts must follow.
  const Prepared p(testing::small_baseline({}));
  const Extents& t = p.state.tables;
  const int months = 12;
  const LabourFlows once = outcome(t, 1);
  const LabourFlows twice = outcome(t, 2);
  double got1 = 0, got2 = 0, want1 = 0, want2 = 0;
  const std::vector<double> a1 = arrivals(once, months), a2 = arrivals(twice, months);
  const std::vector<double> e1 = expected(p.state.scenario, t, once, months);
  const std::vector<double> e2 = expected(p.state.scenario, t, twice, months);
  for (std::size_t c = t.K; c < a1.size(); ++c) {  // zones 1.., whose floor does not bind
    got1 += a1[c];
    got2 += a2[c];
    want1 += e1[c];
    want2 += e2[c];
  }
  EXPECT_NEAR(got2, want2, 4.0 * std::sqrt(want2));
  // The ratio of Poisson totals: 4 standard deviations of ln(got2/got1) ≈ sqrt(1/want1 + 1/want2).
  EXPECT_NEAR(std::log(got2 / got1), std::log(want2 / want1),
              4.0 * std::sqrt(1.0 / want1 + 1.0 / want2));
  EXPECT_GT(want2 / want1, 2.0);  // more than double: H is fixed while V doubles
}

TEST(LabourSupply, NoVacancyArrivalsWithoutTheResponse) {
  Prepared p(testing::small_baseline(
      {"talent.arrival_rate=0", "talent.vacancy_arrivals=0", "firms.project_rate=0"}));
  StepFlows flows(p.state.tables);
  entries_and_exits(p.view(), outcome(p.state.tables, 1), p.state.talent, p.state.firms,
                    p.state.ids, flows.entries);
  for (std::int64_t n : flows.entries.arrivals.values())
    EXPECT_EQ(n, 0);
}

}  // namespace
}  // namespace regionsim
