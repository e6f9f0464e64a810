// The MPI process group of the MPI build (REGIONSIM_MPI). MPI starts only when a launcher started
// this process (mpirun, srun): run directly, the MPI build is the one-process program.
// Only the main thread calls MPI (MPI_THREAD_FUNNELED); the simulation runs in other threads.
#pragma once

#include <chrono>
#include <vector>

namespace regionsim::mpi {

// A main thread with nothing to do sleeps this long between polls: MPI's blocking calls would
// spin a core the simulation needs (on 2 cores with 2 ranks, half the machine).
inline constexpr auto kPoll = std::chrono::milliseconds(1);

// Starts MPI if launched by mpirun or srun (their environment says so), otherwise nothing.
void start(int* argc, char*** argv);
// MPI started (under a launcher), with any number of ranks.
bool started();
// MPI started with more than one rank: the work is shared.
bool distributed();
int rank();  // 0 when MPI did not start
int size();  // 1 when MPI did not start
// MPI_Finalize, if started.
void finish();
// Ranks above 0: waits (sleeping kPoll between polls) for rank 0's next message with `tag` and
// returns its bytes (sent as MPI_BYTE).
std::vector<char> receive_from_root(int tag);
// Ends every rank of the job at once (MPI_Abort), with `code` as the job's exit status.
[[noreturn]] void abort_job(int code);

}  // namespace regionsim::mpi
