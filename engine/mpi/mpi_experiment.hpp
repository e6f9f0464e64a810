// A distributed experiment (`mpirun -n P regionsim run ...`): the runs of one plan spread over the
// ranks with dynamic balancing, one results file written by rank 0.
//
// Design decisions
// - Rank 0 hands out roots (a run simulated from month 0 together with the arms that fork from
//   its shared warm-up), one at a time, to whichever rank asks first: runs differ in cost, so a
//   rank that finishes early takes the next. Paired arms sharing a warm-up stay on one rank and
//   still share it; nothing but run indices and records crosses the network.
// - Rank 0 simulates too (in a thread of its own; its main thread answers the others), so P ranks
//   give P ranks of simulation.
// - Every finished run's records go to rank 0, which writes them through the same Recorder as one
//   process (docs/scaling.md says why not parallel HDF5): the file is the one-process file.
// - A run that throws on any rank ends the job: rank 0 names the rank, the run and the month,
//   removes its temporary file and aborts every rank (main.cpp), never waiting on the others.
#pragma once

#include <optional>

#include "experiment_runner.hpp"
#include "regionsim/experiment.hpp"
#include "regionsim/run.hpp"

namespace regionsim::mpi {

// `regionsim run` on every rank of a job of several: rank 0 writes the file (run_experiment's
// checks, temporary name and publishing, with the runs simulated over all ranks) and returns its
// result; the other ranks simulate their share and return std::nullopt. With --resume rank 0
// keeps the finished runs of OUTPUT's incomplete file (run_driver) and the ranks share the rest.
std::optional<ExperimentResult> run_experiment_distributed(const Experiment& plan,
                                                           const RunOptions& options);

// Rank 0: simulates the plan over all ranks (but options.skip_runs, sent to every rank first); the
// sink receives every run in this thread. Throws std::runtime_error naming rank, run and month
// when a run fails on any rank.
ExperimentResult simulate_distributed(const Experiment& plan, const RunOptions& options,
                                      const RunSink& sink);

// Ranks above 0: wait for rank 0's start (with the runs to skip), simulate the runs it hands out,
// send their records, return when it has no more. A failing run is reported to rank 0, which
// ends the job.
void serve_distributed(const Experiment& plan, const RunOptions& options);

}  // namespace regionsim::mpi
