#include "summary.hpp"

#include <algorithm>
#include <iomanip>
#include <numeric>
#include <sstream>
#include <vector>

#include "money.hpp"

namespace regionsim {

std::string summary_table(const Scenario& scenario, const StepOutputs& m) {
  std::ostringstream out;
  out << "Final month " << m.month + 1 << " of scenario '" << scenario.name << "' (seed "
      << scenario.run.seed << ")\n";
  out << std::left << std::setw(8) << "zone" << std::right << std::setw(8) << "firms"
      << std::setw(11) << "employed" << std::setw(9) << "seeking" << std::setw(13) << "output/mo"
      << std::setw(10) << "wage" << std::setw(10) << "rent" << std::setw(11) << "tax/mo"
      << std::setw(9) << "moves in"
      << "\n";
  std::int64_t firms_total = 0, employed_total = 0, seeking_total = 0;
  double output_total = 0, tax_total = 0;
  for (std::size_t z = 0; z < m.zones; ++z) {
    std::int64_t firms = 0, employed = 0, seeking = 0, moves_in = 0;
    Money output = 0;
    for (std::size_t s = 0; s < m.sectors; ++s) {
      firms += m.firms[z * m.sectors + s];
      output += m.output[z * m.sectors + s];
    }
    for (std::size_t k = 0; k < m.skills; ++k) {
      employed += m.talent_employed[z * m.skills + k];
      seeking += m.talent_seeking[z * m.skills + k];
    }
    for (std::size_t y = 0; y < m.zones; ++y)
      if (y != z) moves_in += m.firm_relocations[y * m.zones + z];
    firms_total += firms;
    employed_total += employed;
    seeking_total += seeking;
    output_total += to_mcny(output);
    tax_total += to_mcny(m.tax_collected[z]);
    out << std::left << std::setw(8) << scenario.zones[z].name << std::right << std::setw(8)
        << firms << std::setw(11) << employed << std::setw(9) << seeking << std::fixed
        << std::setprecision(1) << std::setw(13) << to_mcny(output) << std::setprecision(4)
        << std::setw(10) << m.wage[z] << std::setw(10) << m.rent[z] << std::setprecision(1)
        << std::setw(11) << to_mcny(m.tax_collected[z]) << std::setw(9) << moves_in << "\n";
  }
  out << std::left << std::setw(8) << "region" << std::right << std::setw(8) << firms_total
      << std::setw(11) << employed_total << std::setw(9) << seeking_total << std::fixed
      << std::setprecision(1) << std::setw(13) << output_total << std::setw(10) << ""
      << std::setw(10) << "" << std::setw(11) << tax_total << "\n";
  out << "Money in million CNY (mCNY); wage per person and rent per worker place per month.\n";
  return out.str();
}

std::string experiment_summary(const Experiment& plan, const ExperimentResult& result) {
  // Rows are arms at sweep points; replicates are consecutive runs of a row.
  const auto replicates = static_cast<std::size_t>(plan.replicates);
  const auto sum = [](const std::vector<std::int64_t>& v) {
    return std::accumulate(v.begin(), v.end(), std::int64_t{0});
  };
  std::vector<std::string> labels;
  std::size_t width = 8;
  for (std::size_t row = 0; row * replicates < plan.runs.size(); ++row) {
    labels.push_back(run_label(plan, plan.runs[row * replicates]));
    width = std::max(width, labels.back().size() + 2);
  }
  std::ostringstream out;
  out << "Experiment '" << plan.name << "': " << plan.runs.size() << " runs ("
      << plan.scenario_names.size() << " scenario(s) x " << plan.points << " sweep point(s) x "
      << plan.replicates << " replicate(s)); month " << result.months
      << ", mean over replicates of region totals\n";
  out << std::left << std::setw(static_cast<int>(width)) << "scenario" << std::right
      << std::setw(10) << "firms" << std::setw(12) << "employed" << std::setw(13) << "output/mo"
      << std::setw(11) << "tax/mo"
      << "\n";
  for (std::size_t row = 0; row < labels.size(); ++row) {
    double firms = 0, employed = 0, output = 0, tax = 0;
    for (std::size_t r = 0; r < replicates; ++r) {
      const StepOutputs& m = result.final_months[row * replicates + r];
      firms += static_cast<double>(m.total_firms());
      employed += static_cast<double>(sum(m.talent_employed));
      output += to_mcny(sum(m.output));
      tax += to_mcny(sum(m.tax_collected));
    }
    const double n = static_cast<double>(replicates);
    out << std::left << std::setw(static_cast<int>(width)) << labels[row] << std::right
        << std::fixed << std::setprecision(1) << std::setw(10) << firms / n << std::setw(12)
        << employed / n << std::setw(13) << output / n << std::setw(11) << tax / n << "\n";
  }
  out << "Money in million CNY (mCNY) per month.\n";
  return out.str();
}

}  // namespace regionsim
