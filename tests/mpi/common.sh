# The MPI tests' shared prologue (sourced): `here` (this directory), `tmp` (a fresh directory
# removed on exit), Open MPI allowed to run as root (CI runs as root), and `fail MESSAGE`.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/regionsim-mpi-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fail() {
  echo "FAIL: $1" >&2
  exit 1
}
