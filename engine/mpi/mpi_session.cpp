#include "mpi_session.hpp"

#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace regionsim::mpi {

namespace {

bool mpi_started = false;
int world_rank = 0;
int world_size = 1;

// Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE; srun sets PMIX_RANK (PMIx) or PMI_RANK (PMI-2).
// Called first thing in main, before any thread exists; nothing here sets the environment.
bool launched() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
    if (std::getenv(name) != nullptr) return true;  // NOLINT(concurrency-mt-unsafe): see above
  return false;
}

}  // namespace

void start(int* argc, char*** argv) {
  if (mpi_started || !launched()) return;
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  if (provided < MPI_THREAD_FUNNELED) {
    std::fprintf(stderr, "regionsim: MPI does not provide MPI_THREAD_FUNNELED\n");
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  mpi_started = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
}

bool started() {
  return mpi_started;
}

bool distributed() {
  return mpi_started && world_size > 1;
}
int rank() {
  return world_rank;
}
int size() {
  return world_size;
}

std::vector<char> receive_from_root(int tag) {
  MPI_Status status;
  for (int flag = 0; flag == 0;) {
    MPI_Iprobe(0, tag, MPI_COMM_WORLD, &flag, &status);
    if (flag == 0) std::this_thread::sleep_for(kPoll);
  }
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  std::vector<char> bytes(static_cast<std::size_t>(count));
  MPI_Recv(bytes.data(), count, MPI_BYTE, 0, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return bytes;
}

void finish() {
  if (!mpi_started) return;
  // A rank done early waits here for the others. MPI_Finalize's own wait spins a core; this one
  // sleeps, so the ranks still simulating keep the machine.
  MPI_Request request = MPI_REQUEST_NULL;
  MPI_Ibarrier(MPI_COMM_WORLD, &request);
  for (int done = 0; MPI_Test(&request, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && done == 0;)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  MPI_Finalize();
  mpi_started = false;
}

void abort_job(int code) {
  std::fflush(nullptr);
  if (mpi_started) MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

}  // namespace regionsim::mpi
