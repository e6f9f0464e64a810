#include "resource_estimate.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

#include "regionsim/scenario_loader.hpp"

namespace regionsim {

namespace {

// Bytes per agent while a month is simulated: the stores' 12 (a person) and 45 (a firm) bytes
// per column entry, doubled by vector growth and again by the month's scratch (choices, shuffles,
// compaction). [judgement]
constexpr double kBytesPerPerson = 64;
constexpr double kBytesPerFirm = 256;
// Populations may grow over a run (entries, arrivals): room for twice month 0. [judgement]
constexpr double kGrowthMargin = 2;

std::string gigabytes(double bytes) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g GB", bytes / 1e9);
  return buffer;
}

struct RunSize {
  double firms = 0, talent = 0, bytes = 0;
};

RunSize size_of(const Scenario& s) {
  RunSize size;
  double institutes = 0;
  for (const ZoneSpec& zone : s.zones) {
    size.firms += std::round(zone.initial_firms * s.run.scale);
    institutes +=
        zone.institutes > 0 ? std::max(1.0, std::round(zone.institutes * s.run.scale)) : 0;
  }
  size.talent =
      size.firms * s.talent.per_firm_initial + institutes * std::round(s.institutes.researchers);
  const double Z = static_cast<double>(s.zones.size()), S = static_cast<double>(s.sectors.size()),
               J = static_cast<double>(s.jurisdictions.size());
  // A month's records, kept until the run is written: zone x sector series, zone series, the
  // zone x zone flows, jurisdiction series, 8 bytes each. [judgement: an upper bound of
  // StepOutputs]
  const double per_month = 8 * (10 * Z * S + 20 * Z + 2 * Z * Z + 10 * J + J * S);
  size.bytes = kGrowthMargin * (size.firms * kBytesPerFirm + size.talent * kBytesPerPerson) +
               per_month * static_cast<double>(s.run.steps);
  return size;
}

}  // namespace

double default_memory_limit() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return 1e18;
  return 0.8 * static_cast<double>(pages) * static_cast<double>(page);
}

ResourceEstimate estimate_resources(const Experiment& plan, int threads) {
  ResourceEstimate estimate;
  std::vector<double> bytes;
  for (const ExperimentRun& run : plan.runs) {
    const RunSize size = size_of(run.scenario);
    estimate.firms = std::max(estimate.firms, size.firms);
    estimate.talent = std::max(estimate.talent, size.talent);
    bytes.push_back(size.bytes);
  }
  // The largest runs in flight together.
  const std::size_t at_once =
      std::min(bytes.size(), static_cast<std::size_t>(std::max(threads, 1)));
  std::partial_sort(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(at_once),
                    bytes.end(), std::greater<>());
  for (std::size_t i = 0; i < at_once; ++i)
    estimate.bytes += bytes[i];
  return estimate;
}

void check_resources(const Experiment& plan, int threads, double max_bytes) {
  for (const ExperimentRun& run : plan.runs) {
    const RunSize size = size_of(run.scenario);
    if (size.firms + size.talent > kMaxAgentsPerRun) {
      char text[160];
      std::snprintf(text, sizeof text,
                    "%.3g firms and %.3g people at month 0; expected at most %.3g", size.firms,
                    size.talent, kMaxAgentsPerRun);
      throw InputError(run.scenario.source_file + ": " + text +
                       " agents per run (zone.*.initial_firms x talent.per_firm_initial + "
                       "zone.*.institutes x institutes.researchers, times run.scale); lower "
                       "run.scale");
    }
  }
  const double limit = max_bytes > 0 ? max_bytes : default_memory_limit();
  const ResourceEstimate estimate = estimate_resources(plan, threads);
  const std::size_t at_once =
      std::min(plan.runs.size(), static_cast<std::size_t>(std::max(threads, 1)));
  if (estimate.bytes > limit)
    throw InputError("the runs would need about " + gigabytes(estimate.bytes) +
                     " of memory (the largest " + std::to_string(at_once) +
                     " runs in flight at once), more than the limit of " + gigabytes(limit) +
                     (max_bytes > 0 ? " (--max-memory)" : " (80 % of this machine's memory)") +
                     "; lower run.scale, run.steps or --threads, or raise --max-memory GB");
}

}  // namespace regionsim
