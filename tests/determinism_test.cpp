// Determinism regression: one hash over every time series of scenarios/full-reform.toml at a
// fixed seed and 36 months (every lever on, so every mechanism contributes).
//
// When this test fails, a change altered simulation results. If that was intended (a bug fix or
// a model change), update kExpectedHash to the value the failure prints AND say in the commit
// message which outputs change and why. A refactoring must never need an update. (The same
// contract as Box2D's determinism test.)
#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <cinttypes>
#include <cstdio>
#include <string>

#include "h5_read.hpp"
#include "regionsim/run.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

constexpr std::uint64_t kExpectedHash = 0x68f6e1ca053f7533ULL;

// FNV-1a over bytes: stable, simple, no dependency; collisions do not matter for a regression
// check that is compared with a known value.
std::uint64_t fnv1a(std::uint64_t h, const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

bool has_time_dimension(hid_t ds) {
  const hid_t space = H5Dget_space(ds);
  const int rank = H5Sget_simple_extent_ndims(space);
  H5Sclose(space);
  for (int d = 0; d < rank; ++d) {
    bool is_time = false;
    H5DSiterate_scales(
        ds, static_cast<unsigned>(d), nullptr,
        [](hid_t, unsigned, hid_t scale, void* data) -> herr_t {
          char name[256] = {};
          H5Iget_name(scale, name, sizeof name);
          if (std::string(name) == "/time") *static_cast<bool*>(data) = true;
          return 0;
        },
        &is_time);
    if (is_time) return true;
  }
  return false;
}

}  // namespace

TEST(DeterminismRegression, FullReformTimeSeriesHashIsUnchanged) {
  const auto dir = testing::temp_dir("determinism");
  const Scenario scenario = load_scenario(testing::source_path("scenarios/full-reform.toml"),
                                          {"run.seed=20261201", "run.steps=36"});
  RunOptions options;
  options.output = (dir / "full-reform.h5").string();
  options.threads = 2;
  options.check = true;
  run_to_file(scenario, options);

  const auto bytes = testing::dataset_bytes(options.output);
  const hid_t file = H5Fopen(options.output.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  int series = 0;
  for (const auto& [name, data] : bytes) {  // std::map: name order, fixed
    const hid_t ds = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
    const bool timed = has_time_dimension(ds) || name == "time";
    H5Dclose(ds);
    // time_bnds (format 2) only restates the time axis; the hash covers the series it always did.
    if (!timed || name == "time_bnds") continue;
    hash = fnv1a(hash, name.data(), name.size());
    hash = fnv1a(hash, data.data(), data.size());
    ++series;
  }
  H5Fclose(file);
  EXPECT_GE(series, 30) << "too few time series found: the file layout changed";
  char printed[32];
  std::snprintf(printed, sizeof printed, "0x%016" PRIx64, hash);
  EXPECT_EQ(hash, kExpectedHash) << "time series of full-reform changed: hash is now " << printed
                                 << " over " << series
                                 << " datasets; update only with a reason in the commit message";
}

}  // namespace regionsim
