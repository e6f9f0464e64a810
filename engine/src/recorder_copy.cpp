// Recorder::copy_run: a finished run of an interrupted file carried into the resumed one.
#include <hdf5.h>

#include <cmath>
#include <stdexcept>

#include "hdf5_handle.hpp"
#include "output_registry.hpp"
#include "recorder.hpp"
#include "regionsim/scenario_loader.hpp"

namespace regionsim {

namespace {

// The records of `run` in dataset `name` (run, time, ...): months x the values per record.
template <class T>
std::vector<T> read_run(hid_t file, const std::string& name, std::size_t run, std::int64_t months,
                        std::size_t per_record, hid_t memory_type, const std::string& from) {
  const h5::Dataset set(H5Dopen2(file, name.c_str(), H5P_DEFAULT));
  const h5::Dataspace space(H5Dget_space(set.get()));
  const int rank = set.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
  if (rank < 2) throw InputError("--resume: '" + from + "' lacks the time series " + name);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank)), start(dims.size(), 0);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  std::vector<hsize_t> count = dims;
  start[0] = run;
  count[0] = 1;
  count[1] = static_cast<hsize_t>(months);
  std::vector<T> values(static_cast<std::size_t>(months) * per_record);
  hsize_t total = 1;
  for (const hsize_t c : count)
    total *= c;
  if (run >= dims[0] || count[1] > dims[1] || total != values.size())
    throw InputError("--resume: '" + from + "': " + name + " has another shape than this run's");
  const h5::Dataspace memory(H5Screate_simple(1, &total, nullptr));
  if (H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                          nullptr) < 0 ||
      H5Dread(set.get(), memory_type, memory.get(), space.get(), H5P_DEFAULT, values.data()) < 0)
    throw InputError("--resume: cannot read " + name + " of run " + std::to_string(run) +
                     " from '" + from + "'");
  return values;
}

}  // namespace

void Recorder::copy_run(std::size_t run, const std::string& from, std::int64_t months,
                        StepOutputs& last) {
  const h5::QuietErrors quiet;
  const h5::File file(H5Fopen(from.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!file.valid()) throw InputError("--resume: cannot open '" + from + "'");
  const std::size_t prefix[] = {run};
  const auto n = static_cast<std::size_t>(months);
  const std::span<const OutputSpec> series = output_registry();
  for (std::size_t v = 0; v < series.size(); ++v) {
    const OutputSource& source = series[v].source;
    const std::string name(series[v].name);
    // The final month's record, written back into `last` (the spans point into it).
    if (source.value == OutputValue::real) {
      const std::span<const double> record = source.reals(last);
      const auto values =
          read_run<double>(file.get(), name, run, months, record.size(), H5T_NATIVE_DOUBLE, from);
      file_.write_records(vars_[v], prefix, 0, n, std::span<const double>(values));
      std::copy(values.end() - static_cast<std::ptrdiff_t>(record.size()), values.end(),
                const_cast<double*>(record.data()));
    } else {
      const std::span<const std::int64_t> record = source.integers(last);
      auto* out = const_cast<std::int64_t*>(record.data());
      if (source.value == OutputValue::count) {
        const auto values = read_run<std::int64_t>(file.get(), name, run, months, record.size(),
                                                   H5T_NATIVE_INT64, from);
        file_.write_records(vars_[v], prefix, 0, n, std::span<const std::int64_t>(values));
        std::copy(values.end() - static_cast<std::ptrdiff_t>(record.size()), values.end(), out);
      } else {  // money: million CNY in the file, yuan in StepOutputs (the summary's only use)
        const auto values =
            read_run<double>(file.get(), name, run, months, record.size(), H5T_NATIVE_DOUBLE, from);
        file_.write_records(vars_[v], prefix, 0, n, std::span<const double>(values));
        for (std::size_t i = 0; i < record.size(); ++i)
          out[i] = std::llround(values[values.size() - record.size() + i] * 1e6);
      }
    }
  }
  last.month = months - 1;
  written_ = std::max(written_, months);
}

}  // namespace regionsim
