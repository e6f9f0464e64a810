// Firm sizes: the month-0 size distribution against the stated one (Kolmogorov-Smirnov), the
// mean that sets the tail share, firms at their desired size at month 0, and the size-class
// outputs adding up to the firm and employment counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "firm_size.hpp"
#include "phases.hpp"
#include "record.hpp"
#include "size_classes.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

TEST(FirmSize, MeanAndTailShareMatchTheDistribution) {
  const FirmSizeDistribution d = size_distribution(1.1, 10, 30000, 4.8);
  EXPECT_NEAR(d.mean(), 4.8, 1e-9);
  EXPECT_GT(d.tail_share, 0.01);
  EXPECT_LT(d.tail_share, 0.05);
  EXPECT_DOUBLE_EQ(d.cdf(0), 0.0);
  EXPECT_NEAR(d.cdf(30000), 1.0, 1e-12);
  // The CCDF of the tail falls with the stated index: P(X >= 1000) / P(X >= 100) = 10^-1.1
  // (up to the truncation at 30,000).
  const double ratio = d.tail_survival(1000) / d.tail_survival(100);
  EXPECT_NEAR(std::log10(ratio), -1.1, 0.05);
  // Draws land where the inverse CDF puts them.
  EXPECT_EQ(d.draw(0.0, 0.0), 10);        // tail, bottom
  EXPECT_EQ(d.draw(0.999, 0.0), 1);       // body, bottom
  EXPECT_EQ(d.draw(0.999, 0.999999), 9);  // body, top
  EXPECT_GE(d.draw(0.0, 0.9999999), 20000);
}

// Kolmogorov-Smirnov on the month-0 sizes of the real-scale-fifth baseline: the largest gap
// between the sample's CDF and the stated one, against the 1 % critical value 1.63 / sqrt(n)
// (conservative for a discrete distribution). The tail alone is tested as well: it is a small
// share of firms, and a wrong tail would hardly move the whole sample's CDF.
TEST(FirmSize, MonthZeroSizesFollowTheStatedDistribution) {
  testing::PreparedMonth p(testing::small_baseline({"run.scale=0.05"}));
  const FirmSizeDistribution& d = p.state.tables.firm_size;
  std::map<std::int64_t, double> count;
  double n = 0, n_tail = 0;
  for (const std::int32_t e : p.state.firms.employees) {
    count[e] += 1;
    n += 1;
    if (e >= d.tail_min) n_tail += 1;
  }
  ASSERT_GT(n, 5000);
  ASSERT_GT(n_tail, 100);
  double cum = 0, cum_tail = 0, gap = 0, gap_tail = 0;
  const double below_tail = d.cdf(static_cast<std::int64_t>(d.tail_min) - 1);
  for (const auto& [size, c] : count) {
    cum += c;
    gap = std::max(gap, std::abs(cum / n - d.cdf(size)));
    if (size >= d.tail_min) {
      cum_tail += c;
      const double stated = (d.cdf(size) - below_tail) / (1.0 - below_tail);
      gap_tail = std::max(gap_tail, std::abs(cum_tail / n_tail - stated));
    }
  }
  EXPECT_LT(gap, 1.63 / std::sqrt(n));
  EXPECT_LT(gap_tail, 1.63 / std::sqrt(n_tail));
  // The talent of the zones is the stated talent per firm, seekers included.
  double firm_talent = 0;  // employed by firms or seeking: institutes' researchers come on top
  for (const AgentId employer : p.state.talent.employer)
    if (!is_institute(employer)) firm_talent += 1;
  const double talent_per_firm = firm_talent / n;
  EXPECT_NEAR(talent_per_firm, p.state.scenario.talent.per_firm_initial,
              0.15 * p.state.scenario.talent.per_firm_initial);
}

// The stated distribution written out, for the baseline's defaults (tail index 1.1 from 10 to
// 30,000 employees, mean 5.05 x 0.95 talent per firm): tail share 0.0239447, and the class
// probabilities of the half-decade size classes computed by hand from the formulas in
// firm_size.hpp (body P(size <= k) = (1 - p) ln(k + 1) / ln 10; tail the truncated Pareto). The
// month-0 sizes are then tested against them by chi-square on the classes (the last ones pooled
// so that every expected count is above 5).
TEST(FirmSize, MonthZeroSizeClassesMatchTheWrittenOutDistribution) {
  testing::PreparedMonth p(testing::small_baseline({"run.scale=0.05"}));
  const FirmSizeDistribution& d = p.state.tables.firm_size;
  EXPECT_NEAR(d.tail_share, 0.0239446846, 1e-9);
  // P(size <= k) at the upper end of each class 1-2, 3-9, 10-29, 30-99, 100-299, 300-999.
  const std::int64_t upper[] = {2, 9, 29, 99, 299, 999};
  const double cdf[] = {0.4656967367, 0.9760553154, 0.9928513665,
                        0.9981013060, 0.9994354637, 0.9998524812};
  for (std::size_t c = 0; c < std::size(upper); ++c)
    EXPECT_NEAR(d.cdf(upper[c]), cdf[c], 1e-9) << "size " << upper[c];
  // Classes 1-2, 3-9, 10-29, 30-99 and 100 and more.
  const double prob[] = {0.4656967367, 0.5103585786, 0.0167960511, 0.0052499395, 0.0018986940};
  double observed[5] = {0, 0, 0, 0, 0};
  for (const std::int32_t e : p.state.firms.employees) {
    const int c = e < 3 ? 0 : e < 10 ? 1 : e < 30 ? 2 : e < 100 ? 3 : 4;
    observed[c] += 1;
  }
  const double n = observed[0] + observed[1] + observed[2] + observed[3] + observed[4];
  double chi2 = 0;
  for (std::size_t c = 0; c < 5; ++c) {
    const double expected = n * prob[c];
    ASSERT_GT(expected, 5.0) << "class " << c;
    chi2 += (observed[c] - expected) * (observed[c] - expected) / expected;
  }
  EXPECT_LT(chi2, 13.28);  // 1 % critical value of chi-square with 4 degrees of freedom
}

// A firm's productivity makes its drawn size its desired size at reference prices, so at month 0
// firms neither hire nor shed much: posted vacancies are a small share of employment.
TEST(FirmSize, FirmsStartNearTheirDesiredSize) {
  testing::PreparedMonth p(testing::small_baseline({"run.scale=0.02"}));
  firm_decisions(p.view(), p.state.gov.promotion, p.state.firms, p.flows.firms);
  double vacancies = 0, employees = 0, big = 0, big_vacancies = 0;
  for (std::size_t i = 0; i < p.state.firms.size(); ++i) {
    vacancies += p.state.firms.vacancies[i];
    employees += p.state.firms.employees[i];
    if (p.state.firms.employees[i] >= 1000) {
      big += p.state.firms.employees[i];
      big_vacancies += p.state.firms.vacancies[i];
    }
  }
  EXPECT_LT(vacancies, 0.1 * employees);
  if (big > 0) {
    EXPECT_LT(big_vacancies, 0.1 * big);
  }
}

// The sector productivity parameter, which sets entrants' TFP (productivity_for_size), is centred:
// had the initial firms drawn their TFP from it, the employment-weighted mean of log(desired /
// employed) over a sector's firms at month-0 prices would be within 5 % of zero. An off value makes
// a sector's projects arrive too big or too small for where they settle. Scale 0.2 so the thin
// sectors have a few thousand firms.
TEST(FirmSize, EverySectorStartsNearItsDesiredSize) {
  testing::PreparedMonth p(testing::small_baseline({"run.scale=0.2"}));
  const ModelState& s = p.state;
  const double alpha = s.scenario.firms.alpha;
  const Vector mix_wage = s.fields.wage * s.tables.skill_share;
  std::vector<double> log_gap(s.tables.S, 0.0), weight(s.tables.S, 0.0);
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    const std::size_t z = s.firms.zone[i], k = s.firms.sector[i];
    const double labour = s.firms.employees[i];
    if (labour <= 0) continue;
    const double tfp = productivity_for_size(s.scenario.sectors[k].productivity, labour,
                                             s.scenario.firms.reference_size, alpha);
    const double desired = desired_size(alpha, tfp, s.fields.multiplier(z, k), mix_wage(z));
    log_gap[k] += labour * std::log(desired / labour);
    weight[k] += labour;
  }
  for (std::size_t k = 0; k < s.tables.S; ++k) {
    ASSERT_GT(weight[k], 0) << s.scenario.sectors[k].name;
    const double mean_gap = log_gap[k] / weight[k];
    EXPECT_LT(std::abs(mean_gap), 0.05)
        << s.scenario.sectors[k].name << ": employment-weighted mean log(desired/employed) "
        << mean_gap << "; productivity that would centre it: "
        << s.scenario.sectors[k].productivity * std::exp(-(1.0 - alpha) * mean_gap);
  }
}

// Each initial firm's TFP inverts its first-order condition where it stands, so every firm's
// desired size at month-0 prices is its drawn size (to rounding), in every zone and sector.
TEST(FirmSize, EveryInitialFirmStartsAtItsDesiredSize) {
  testing::PreparedMonth p(
      testing::small_baseline({"run.scale=0.05", "firms.relocation_consider=0"}));
  const ModelState& s = p.state;
  const double alpha = s.scenario.firms.alpha;
  const Vector mix_wage = s.fields.wage * s.tables.skill_share;
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    const std::size_t z = s.firms.zone[i], k = s.firms.sector[i];
    const double desired =
        desired_size(alpha, s.firms.tfp[i], s.fields.multiplier(z, k), mix_wage(z));
    ASSERT_NEAR(desired / s.firms.employees[i], 1.0, 1e-9) << "firm " << i;
  }
  // ... so at month 0 no firm lays anyone off and the only vacancies are random roundings of
  // zero gaps (none) and projects' ramp-up (none at month 0).
  firm_decisions(p.view(), p.state.gov.promotion, p.state.firms, p.flows.firms);
  std::int64_t vacancies = 0;
  double layoff = 0;
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    vacancies += s.firms.vacancies[i];
    layoff += s.firms.layoff_prob[i];
  }
  EXPECT_LT(static_cast<double>(vacancies), 0.002 * static_cast<double>(s.firms.size()));
  EXPECT_LT(layoff, 1e-6);
}

// The inversion sees the same prices under every lever in force from month 0 (core traction's
// spillover is taken out of the multiplier), so paired arms start from the same firms.
TEST(FirmSize, InitialTfpIsTheSameUnderEveryLever) {
  auto tfp_of = [](const std::string& file, std::vector<std::string> sets) {
    sets.insert(sets.begin(), {"run.scale=0.02", "run.steps=12"});
    ModelState s(load_scenario(testing::source_path(file), sets));
    initialise(s);
    return s.firms.tfp;
  };
  const auto base = tfp_of("scenarios/baseline.toml", {});
  ASSERT_FALSE(base.empty());
  for (const auto& [file, set] : std::vector<std::pair<std::string, std::string>>{
           {"scenarios/core-traction.toml", "core_traction.start_month=0"},
           {"scenarios/park-city.toml", "park_city.start_month=0"},
           {"scenarios/joint-promotion.toml", "joint_promotion.start_month=0"},
           {"scenarios/separation.toml", "committee.start_month=0"}}) {
    const auto lever = tfp_of(file, {set});
    ASSERT_EQ(lever.size(), base.size()) << file;
    for (std::size_t i = 0; i < base.size(); ++i)
      ASSERT_NEAR(lever[i], base[i], 1e-12 * base[i]) << file << " firm " << i;
  }
}

// The desired size at reference prices, (alpha A M / w)^(1/(1-alpha)), is proportional to the
// drawn size: A(L) / A(L_ref) = (L / L_ref)^(1-alpha).
TEST(FirmSize, ProductivityMakesTheSizeDesired) {
  const double alpha = 0.7, tfp = 0.033, ref = 10;
  EXPECT_DOUBLE_EQ(productivity_for_size(tfp, ref, ref, alpha), tfp);
  for (const double size : {1.0, 37.0, 5000.0}) {
    const double ratio = productivity_for_size(tfp, size, ref, alpha) / tfp;
    EXPECT_NEAR(std::pow(ratio, 1.0 / (1.0 - alpha)), size / ref, 1e-9 * size);
  }
}

TEST(FirmSize, SizeClassOutputsAddUp) {
  EXPECT_EQ(size_class_of(0), 0u);
  EXPECT_EQ(size_class_of(2), 0u);
  EXPECT_EQ(size_class_of(3), 1u);
  EXPECT_EQ(size_class_of(299), 4u);
  EXPECT_EQ(size_class_of(300), 5u);
  EXPECT_EQ(size_class_of(1000000), kSizeClassBounds.size() - 1);
  testing::PreparedMonth p(testing::small_baseline({"run.scale=0.01"}));
  p.state.month = 1;
  const StepOutputs out = record_stocks(p.state);
  const std::size_t classes = kSizeClassBounds.size();
  for (std::size_t z = 0; z < p.state.tables.Z; ++z) {
    std::int64_t firms = 0, employment = 0, by_size = 0, employment_by_size = 0;
    for (std::size_t k = 0; k < p.state.tables.S; ++k) {
      firms += out.firms[z * p.state.tables.S + k];
      employment += out.employment[z * p.state.tables.S + k];
    }
    for (std::size_t c = 0; c < classes; ++c) {
      by_size += out.firms_by_size[z * classes + c];
      employment_by_size += out.employment_by_size[z * classes + c];
    }
    EXPECT_EQ(by_size, firms);
    EXPECT_EQ(employment_by_size, employment);
  }
}

// A project ramps up to its planned team (firms.project_size) but never beyond its own desired
// size: one drawn at 2 employees posts 2 vacancies, not 8 (it would run at four times its desired
// size, lose money and exit after loss_months_exit months).
TEST(FirmSize, RampUpStopsAtTheDesiredSize) {
  EXPECT_EQ(posted_vacancies(2.0, 0.0, 0.25, true, 8.0, 0.5), 2.0);
  EXPECT_EQ(posted_vacancies(2.0, 2.0, 0.25, true, 8.0, 0.5), 0.0);
  EXPECT_EQ(posted_vacancies(2.4, 0.0, 0.25, true, 8.0, 0.5), 3.0);  // whole vacancies, rounded up
  // A large project posts its share of the gap, at least the planned team.
  EXPECT_EQ(posted_vacancies(100.0, 0.0, 0.25, true, 8.0, 0.5), 25.0);
  EXPECT_EQ(posted_vacancies(20.0, 0.0, 0.25, true, 8.0, 0.5), 8.0);
  EXPECT_EQ(posted_vacancies(20.0, 0.0, 0.25, false, 8.0, 0.5), 5.0);
  // Above the desired size nobody is hired, ramping or not.
  EXPECT_EQ(posted_vacancies(5.0, 7.0, 0.25, true, 8.0, 0.5), 0.0);
}

// Outside the ramp-up the share of the gap is rounded at random: floor(x + u) with u uniform has
// mean x exactly, so over an even grid of u the mean is x within 1/N, and each count is floor(x)
// or floor(x) + 1.
TEST(FirmSize, VacanciesAreTheShareOfTheGapOnAverage) {
  constexpr int N = 1000;
  for (const double gap : {0.3, 1.0, 2.6, 17.9}) {
    double sum = 0;
    for (int j = 0; j < N; ++j) {
      const double posted = posted_vacancies(10.0 + gap, 10.0, 0.25, false, 8.0, (j + 0.5) / N);
      EXPECT_TRUE(posted == std::floor(0.25 * gap) || posted == std::floor(0.25 * gap) + 1);
      sum += posted;
    }
    EXPECT_NEAR(sum / N, 0.25 * gap, 1.0 / N) << gap;
  }
}

}  // namespace
}  // namespace regionsim
