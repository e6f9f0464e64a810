// A distributed calibration (`mpirun -n P regionsim calibrate ...`): rank 0 drives the optimiser
// as one process would; each evaluation's replicate runs are shared over all ranks.
//
// Design decisions
// - Evaluation-level distribution. The search is sequential (each candidate depends on the losses
//   before it), its evaluations are not: an evaluation's replicates are an experiment, which
//   simulate_distributed shares over the ranks with dynamic balancing as it does for `run`
//   (rank 0 simulates too, in a thread of its own).
// - Rank 0 announces each candidate (its parameter values, bit for bit) to the other ranks, which
//   build the same experiment from the same plan (candidate_experiment) and serve it. Every run's
//   months go to rank 0, whose evaluate_candidate computes the moments and folds them in
//   replicate order, exactly as one process: the losses, hence the whole search, are bit-identical
//   for any number of ranks and threads.
// - The time budget (max_seconds) is read on rank 0's clock before each evaluation, as in one
//   process: it is the only thing that can end a search at a different evaluation.
// - A failing run on any rank ends the job through the path of `run` (mpi_experiment.hpp):
//   rank 0 names the rank, the run and the month and aborts every rank.
#pragma once

#include "calibration.hpp"

namespace regionsim::mpi {

// Rank 0: the search of fit(), each evaluation's runs shared over all ranks; tells the other
// ranks to stop when the search ends.
FitResult fit_distributed(const CalibrationPlan& plan, int threads, const FitProgress& progress);

// Ranks above 0: simulate a share of every evaluation rank 0 announces, return when the search
// has ended.
void serve_calibration(const CalibrationPlan& plan, int threads);

}  // namespace regionsim::mpi
