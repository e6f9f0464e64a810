// The MPI process group of the MPI build (REGIONSIM_MPI). MPI starts only when a launcher started
// this process (mpirun, srun): run directly, the MPI build is the one-process program.
// Only the main thread calls MPI (MPI_THREAD_FUNNELED); the simulation runs in other threads.
#pragma once

namespace regionsim::mpi {

// Starts MPI if launched by mpirun or srun (their environment says so), otherwise nothing.
void start(int* argc, char*** argv);
// MPI started with more than one rank: the work is shared.
bool distributed();
int rank();  // 0 when MPI did not start
int size();  // 1 when MPI did not start
// MPI_Finalize, if started.
void finish();
// Ends every rank of the job at once (MPI_Abort), with `code` as the job's exit status.
[[noreturn]] void abort_job(int code);

}  // namespace regionsim::mpi
