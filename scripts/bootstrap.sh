#!/usr/bin/env bash
# Checks that the Debian 12 packages regionsim needs are installed and installs the missing ones.
#
#   scripts/bootstrap.sh run    build + run + plots
#   scripts/bootstrap.sh test   the above plus what the test suite needs
#
# As root the missing packages are installed with apt-get (apt-get update runs only when something
# is missing). As any other user the exact `sudo apt-get install …` line is printed and the script
# exits 1, because a script should not ask for a password behind the user's back.
# Silent when nothing is missing.
#
# Environment:
#   REGIONSIM_EXTRA_PACKAGES  space-separated extra packages to require (also a hook to test the
#                             "something is missing" path with a made-up name)
set -euo pipefail

usage() {
  echo "usage: scripts/bootstrap.sh run|test" >&2
  exit 2
}
[ $# -eq 1 ] || usage

build_pkgs=(cmake make g++ pkg-config git ca-certificates
  libtbb-dev libeigen3-dev libhdf5-dev libboost-program-options-dev librandom123-dev
  libtomlplusplus-dev libnlopt-cxx-dev libgtest-dev libgmock-dev libbenchmark-dev)
# python3-dask: lazy reading of several files (regionsim.open([...]), xarray.open_mfdataset);
# python3-plotly: the explorer page inlines the plotly.js this package ships.
python_pkgs=(python3 python3-numpy python3-pandas python3-xarray python3-h5netcdf python3-h5py
  python3-matplotlib python3-scipy python3-dask python3-plotly)
# chromium: the explorer's headless-browser test; nco and udunits-bin: the tests that run NCO's
# ncks/ncra/ncwa on engine files and check every unit with udunits2; libopenmpi-dev and
# openmpi-bin: the MPI build (REGIONSIM_MPI, on when CMake finds Open MPI) and its tests, which
# launch mpirun (docs/scaling.md). `run` does not need them: without Open MPI the build is the
# one-process program.
test_pkgs=(python3-pytest python3-pyflakes clang-tidy netcdf-bin hdf5-tools openmpi-bin
  libopenmpi-dev chromium nco udunits-bin)

case "$1" in
  run) wanted=("${build_pkgs[@]}" "${python_pkgs[@]}") ;;
  test) wanted=("${build_pkgs[@]}" "${python_pkgs[@]}" "${test_pkgs[@]}") ;;
  -h | --help)
    sed -n '2,14s/^# \{0,1\}//p' "$0"
    exit 0
    ;;
  *) usage ;;
esac
# Word splitting is the point here: the variable holds a list of package names.
# shellcheck disable=SC2206
wanted+=(${REGIONSIM_EXTRA_PACKAGES:-})

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "bootstrap: dpkg-query not found: this script supports Debian 12 (bookworm) only." >&2
  echo "bootstrap: install the equivalents of these Debian packages by hand: ${wanted[*]}" >&2
  exit 1
fi

installed() {
  local status
  status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
  [ "$status" = "install ok installed" ]
}

missing=()
for pkg in "${wanted[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

install_args=(install -y --no-install-recommends "${missing[@]}")
echo "bootstrap: ${#missing[@]} Debian package(s) missing for '$1': ${missing[*]}"

if [ "$(id -u)" -ne 0 ]; then
  echo "bootstrap: not root, so not installing. Run this, then re-run the command:" >&2
  echo "  sudo apt-get ${install_args[*]}" >&2
  echo "bootstrap: (if apt cannot find a package, run 'sudo apt-get update' first)" >&2
  exit 1
fi

log=$(mktemp "${TMPDIR:-/tmp}/regionsim-bootstrap.XXXXXX.log")
echo "bootstrap: installing with apt-get as root (can take several minutes; log: $log)"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update && apt-get -o Dpkg::Use-Pty=0 "${install_args[@]}"; } >"$log" 2>&1; then
  echo "bootstrap: apt-get failed; last lines of $log:" >&2
  tail -n 25 "$log" >&2
  exit 1
fi

still=()
for pkg in "${missing[@]}"; do
  installed "$pkg" || still+=("$pkg")
done
if [ ${#still[@]} -ne 0 ]; then
  echo "bootstrap: still not installed after apt-get: ${still[*]} (see $log)" >&2
  exit 1
fi
rm -f "$log"
echo "bootstrap: installed ${missing[*]}"
