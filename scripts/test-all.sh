#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything (release preset) and
# runs the whole test suite through CTest: the GoogleTest programs and `python_tests`
# (pytest on tests/python against real output files of the built command line).
#
#   bash scripts/test-all.sh
#   REGIONSIM_SANITIZE=1 bash scripts/test-all.sh   # CI: also build (-Wshadow -Werror) and test
#                                                   # the asan and tsan presets
#   REGIONSIM_LINT=1 bash scripts/test-all.sh       # release suite plus scripts/lint.sh
#
# Exits non-zero on any failure. CI runs exactly this (.ci/run).
set -Eeuo pipefail  # -E: the ERR trap below also fires inside functions

cd "$(dirname "${BASH_SOURCE[0]}")/.."

step="(starting)"
trap 'echo "test-all.sh: FAILED while: $step" >&2' ERR
say() {
  step=$1
  echo "==> $1"
}

njobs=$(nproc 2>/dev/null || echo 2)

# configure (only once), build all targets and run the suite of one preset
build_and_test() {
  local preset=$1
  shift
  # Always (re)configure: cheap when nothing changed, and it applies the preset's cache variables
  # (and the extra -D options given) to a build directory configured before they existed.
  say "configuring (cmake --preset $preset $*)"
  cmake --preset "$preset" "$@" >/dev/null
  say "building all targets (cmake --build --preset $preset -j$njobs)"
  cmake --build --preset "$preset" --parallel "$njobs"
  say "testing (ctest --preset $preset -j2 --output-on-failure)"
  # --no-tests=error: a build that registered no tests must not pass as green.
  ctest --preset "$preset" -j2 --output-on-failure --no-tests=error
}

say "checking Debian packages (scripts/bootstrap.sh test)"
bash scripts/bootstrap.sh test

# CI (REGIONSIM_SANITIZE=1) builds release with warnings as errors (-Wshadow -Werror on top of
# -Wall -Wextra -Wpedantic); a plain run turns it off again, so a user's build never fails on a
# warning. The sanitizer builds are not -Werror: GCC 12 gives false -Wmaybe-uninitialized and
# -Wstringop-* warnings under -fsanitize at -O2, which say nothing about our code.
if [ "${REGIONSIM_SANITIZE:-0}" = 1 ]; then werror=ON; else werror=OFF; fi
# The release build is the MPI build (REGIONSIM_MPI, on since bootstrap installed Open MPI): its
# suite includes the tests labelled `mpi` (real mpirun with 1-3 ranks, tests/CMakeLists.txt). The
# asan/tsan presets are the non-MPI build (REGIONSIM_MPI=OFF), so CI builds and tests both.
build_and_test release -DREGIONSIM_WERROR=$werror -DREGIONSIM_MPI=ON
say "checking the MPI tests ran (ctest -L mpi)"
mpi_tests=$(ctest --preset release -N -L mpi | sed -n 's/^Total Tests: //p')
if [ "${mpi_tests:-0}" -lt 12 ]; then
  echo "test-all.sh: the release build registered ${mpi_tests:-0} MPI tests, expected 12" >&2
  false
fi

# Static checks (clang-tidy over engine/, pyflakes) on request; CI (.ci/run) requests them.
if [ "${REGIONSIM_LINT:-0}" = 1 ]; then
  say "linting (scripts/lint.sh)"
  bash scripts/lint.sh
fi

if [ "${REGIONSIM_SANITIZE:-0}" = 1 ]; then
  # The asan/tsan test presets leave out the tests labelled `slow` (python_tests) and `mpi`, which
  # run in release above; they are the non-MPI build (CMakePresets.json: REGIONSIM_MPI=OFF).
  # A sanitizer finding aborts the program (-fno-sanitize-recover=all, halt_on_error=1), which
  # fails the test that ran it. The presets' test environments set the sanitizer options
  # (tests/tsan.supp silences only oneTBB internals, see the file).
  build_and_test asan
  build_and_test tsan
fi

trap - ERR
echo "test-all.sh: all tests passed"
