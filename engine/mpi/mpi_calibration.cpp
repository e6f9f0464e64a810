#include "mpi_calibration.hpp"

#include <mpi.h>

#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "mpi_experiment.hpp"
#include "mpi_session.hpp"

namespace regionsim::mpi {

namespace {

// 0 -> every other rank: the next candidate's parameter values (doubles), or none when the search
// has ended. Apart from the tags of mpi_experiment.cpp, which only ever go between an
// evaluation's start and end.
constexpr int kCandidate = 16;
// As in mpi_experiment.cpp: a waiting rank sleeps rather than spin a core in MPI.
constexpr auto kPoll = std::chrono::milliseconds(1);

void announce(const std::vector<double>& parameters) {
  for (int r = 1; r < size(); ++r)
    MPI_Send(parameters.data(), static_cast<int>(parameters.size()), MPI_DOUBLE, r, kCandidate,
             MPI_COMM_WORLD);
}

// The next candidate from rank 0, or std::nullopt at the end of the search.
std::optional<std::vector<double>> next_candidate() {
  MPI_Status status;
  for (int flag = 0; flag == 0;) {
    MPI_Iprobe(0, kCandidate, MPI_COMM_WORLD, &flag, &status);
    if (flag == 0) std::this_thread::sleep_for(kPoll);
  }
  int count = 0;
  MPI_Get_count(&status, MPI_DOUBLE, &count);
  std::vector<double> parameters(static_cast<std::size_t>(count));
  MPI_Recv(parameters.data(), count, MPI_DOUBLE, 0, kCandidate, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  if (parameters.empty()) return std::nullopt;
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
