#include "resume.hpp"

#include <hdf5.h>

#include <algorithm>
#include <sstream>

#include "hdf5_handle.hpp"
#include "regionsim/scenario_loader.hpp"

namespace regionsim {

namespace {

std::string text_attribute(hid_t file, const char* name) {
  if (H5Aexists(file, name) <= 0) return {};
  const h5::Attribute attr(H5Aopen(file, name, H5P_DEFAULT));
  const h5::Datatype type(H5Aget_type(attr.get()));
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) > 0) return {};
  std::string value(H5Tget_size(type.get()), '\0');
  const h5::Datatype memory(H5Tcopy(type.get()));
  if (H5Aread(attr.get(), memory.get(), value.data()) < 0) return {};
  value.erase(std::find(value.begin(), value.end(), '\0'), value.end());
  return value;
}

// A one-dimensional variable along `run`, or empty.
template <class T>
std::vector<T> run_variable(hid_t file, const char* name, hid_t memory_type) {
  if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return {};
  const h5::Dataset set(H5Dopen2(file, name, H5P_DEFAULT));
  const h5::Dataspace space(H5Dget_space(set.get()));
  if (H5Sget_simple_extent_ndims(space.get()) != 1) return {};
  std::vector<T> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (H5Dread(set.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) return {};
  return values;
}

std::vector<std::string> run_strings(hid_t file, const char* name) {
  std::vector<std::string> out;
  if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return out;
  const h5::Dataset set(H5Dopen2(file, name, H5P_DEFAULT));
  const h5::Datatype stored(H5Dget_type(set.get()));
  const h5::Dataspace space(H5Dget_space(set.get()));
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
  if (H5Tis_variable_str(stored.get()) > 0) {
    std::vector<char*> pointers(n, nullptr);
    const h5::Datatype memory(H5Tcopy(stored.get()));
    if (H5Dread(set.get(), memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) < 0)
      return out;
    for (char* p : pointers)
      out.emplace_back(p != nullptr ? p : "");
    H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, pointers.data());
    return out;
  }
  // Classic character array (run, strlen): fixed-size strings of one byte each.
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank != 2) return out;
  hsize_t dims[2] = {0, 0};
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  std::string bytes(n, '\0');
  if (H5Dread(set.get(), stored.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) < 0) return out;
  for (hsize_t r = 0; r < dims[0]; ++r) {
    std::string value = bytes.substr(static_cast<std::size_t>(r * dims[1]), dims[1]);
    value.erase(std::find(value.begin(), value.end(), '\0'), value.end());
    out.push_back(value);
  }
  return out;
}

}  // namespace

std::size_t KeptRuns::count() const {
  return static_cast<std::size_t>(std::count(kept.begin(), kept.end(), 1));
}

KeptRuns read_kept_runs(const std::string& incomplete, const Experiment& plan) {
  const h5::QuietErrors quiet;
  const auto refuse = [&](const std::string& why) -> InputError {
    H5Eclear2(H5E_DEFAULT);
    return InputError("--resume: '" + incomplete + "' " + why);
  };
  const h5::File file(H5Fopen(incomplete.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!file.valid()) throw refuse("cannot be opened as HDF5 (truncated or not a results file)");
  if (text_attribute(file.get(), "complete") != "false")
    throw refuse("is not marked complete = \"false\"; expected the file an interrupted run left");
  std::vector<std::int64_t> done;
  {
    std::istringstream in(text_attribute(file.get(), "months_done"));
    for (std::string item; std::getline(in, item, ',');)
      done.push_back(std::stoll(item));
  }
  const std::size_t runs = plan.runs.size();
  const auto seeds = run_variable<std::int64_t>(file.get(), "seed", H5T_NATIVE_INT64);
  const auto hashes = run_strings(file.get(), "scenario_hash");
  const auto seconds = run_variable<double>(file.get(), "wall_seconds", H5T_NATIVE_DOUBLE);
  if (done.size() != runs || seeds.size() != runs || hashes.size() != runs)
    throw refuse("has " + std::to_string(done.size()) + " runs, this experiment " +
                 std::to_string(runs) +
                 "; expected the same experiment (or start over without "
                 "--resume)");
  KeptRuns kept{incomplete, std::vector<char>(runs, 0), std::vector<double>(runs, 0.0)};
  for (std::size_t r = 0; r < runs; ++r) {
    const ExperimentRun& run = plan.runs[r];
    if (static_cast<std::uint64_t>(seeds[r]) != run.seed ||
        hashes[r] != hex64(fnv1a64(run.scenario.resolved_toml)))
      throw refuse("run " + std::to_string(r) + " (" + run_label(plan, run) +
                   ") has another seed or scenario; expected the same experiment (or start over "
                   "without --resume)");
    kept.kept[r] = done[r] == run.scenario.run.steps ? 1 : 0;
    if (r < seconds.size()) kept.seconds[r] = seconds[r];
  }
  return kept;
}

}  // namespace regionsim
