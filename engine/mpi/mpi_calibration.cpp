#include "mpi_calibration.hpp"

#include <mpi.h>

#include <cstring>
#include <optional>
#include <vector>

#include "mpi_experiment.hpp"
#include "mpi_session.hpp"

namespace regionsim::mpi {

namespace {

// 0 -> every other rank: the next candidate's parameter values (the doubles' bytes), or none
// when the search has ended. Apart from the tags of mpi_experiment.cpp, which only ever go
// between an evaluation's start and end.
constexpr int kCandidate = 16;

void announce(const std::vector<double>& parameters) {
  for (int r = 1; r < size(); ++r)
    MPI_Send(parameters.data(), static_cast<int>(parameters.size() * sizeof(double)), MPI_BYTE, r,
             kCandidate, MPI_COMM_WORLD);
}

// The next candidate from rank 0, bit for bit, or std::nullopt at the end of the search.
std::optional<std::vector<double>> next_candidate() {
  const std::vector<char> bytes = receive_from_root(kCandidate);
  if (bytes.empty()) return std::nullopt;
  std::vector<double> parameters(bytes.size() / sizeof(double));
  std::memcpy(parameters.data(), bytes.data(), bytes.size());
  return parameters;
}

}  // namespace

FitResult fit_distributed(const CalibrationPlan& plan, int threads, const FitProgress& progress) {
  const CandidateEvaluator evaluate = [&](std::span<const double> parameters) {
    announce(std::vector<double>(parameters.begin(), parameters.end()));
    return evaluate_candidate(plan, parameters, threads, simulate_distributed);
  };
  FitResult result = fit(plan, threads, progress, evaluate);
  announce({});
  return result;
}

void serve_calibration(const CalibrationPlan& plan, int threads) {
  RunOptions options;
  options.threads = threads;
  while (const std::optional<std::vector<double>> parameters = next_candidate())
    serve_distributed(candidate_experiment(plan, *parameters), options);
}

}  // namespace regionsim::mpi
