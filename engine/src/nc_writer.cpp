// NcWriter's public calls: creating the file, writing whole variables and records, attributes,
// closing. Defining dimensions and variables is in nc_writer_variables.cpp, the HDF5 objects
// underneath in nc_writer_impl.cpp.
#include "nc_writer.hpp"

#include <filesystem>
#include <string_view>

#include "nc_writer_impl.hpp"

namespace regionsim {

using netcdf::check_attribute_name;
using netcdf::kCreationOrder;

NcWriter::NcWriter(const std::string& path, Storage storage) : impl_(std::make_unique<Impl>()) {
  const h5::QuietErrors quiet;
  Impl& w = *impl_;
  w.path = path;
  w.in_memory = storage == Storage::memory;
  if (w.in_memory) {
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(path, ec)))
      throw NcError("netCDF writer: cannot create the file " + path + ": it exists");
  }

  // netCDF-C relies on creation order to number dimensions and variables, and refuses to modify
  // files without it.
  h5::PropertyList fcpl(
      w.checked_id(H5Pcreate(H5P_FILE_CREATE), "make creation properties for", ""));
  w.check(H5Pset_link_creation_order(fcpl.get(), kCreationOrder), "set link order of", "");
  w.check(H5Pset_attr_creation_order(fcpl.get(), kCreationOrder), "set attribute order of", "");
  w.check(H5Pset_obj_track_times(fcpl.get(), false), "turn off object times of", "");

  // The file format of HDF5 1.8, as netCDF-C writes, so every netCDF-4 reader can open it.
  h5::PropertyList fapl(w.checked_id(H5Pcreate(H5P_FILE_ACCESS), "make access properties for", ""));
  w.check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_V18),
          "set the format version of", "");
  // Closing the file fails while anything in it is still open, instead of silently deferring.
  w.check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_SEMI), "set close semantics of", "");
  // In memory, growing 1 MiB at a time; nothing touches the disk before publish().
  if (w.in_memory)
    w.check(H5Pset_fapl_core(fapl.get(), std::size_t{1} << 20, false), "keep in memory", "");

  // H5F_ACC_EXCL: an existing file is an error and is left as it was.
  w.file = h5::File(w.checked_id(H5Fcreate(path.c_str(), H5F_ACC_EXCL, fcpl.get(), fapl.get()),
                                 "create the file", ""));

  unsigned major = 0, minor = 0, release = 0;
  w.check(H5get_libversion(&major, &minor, &release), "query the HDF5 version for", "");
  w.write_attribute(w.file.get(), "", "_NCProperties",
                    "version=2,regionsim=1,hdf5=" + std::to_string(major) + "." +
                        std::to_string(minor) + "." + std::to_string(release));
}

NcWriter::~NcWriter() {
  if (!impl_) return;
  const h5::QuietErrors quiet;
  static_cast<void>(impl_->close_all());
  H5Eclear2(H5E_DEFAULT);
}

NcWriter::NcWriter(NcWriter&&) noexcept = default;
NcWriter& NcWriter::operator=(NcWriter&& other) noexcept {
  if (this != &other) {
    if (impl_) {
      const h5::QuietErrors quiet;
      static_cast<void>(impl_->close_all());
      H5Eclear2(H5E_DEFAULT);
    }
    impl_ = std::move(other.impl_);
  }
  return *this;
}

NcWriter::Impl& NcWriter::live() {
  if (!impl_ || !impl_->file.valid()) {
    throw std::logic_error(impl_ ? "netCDF writer: " + impl_->path + " used after close()"
                                 : std::string("netCDF writer: used after being moved from"));
  }
  return *impl_;
}

void NcWriter::write_variable(VarId var, std::span<const double> data) {
  const h5::QuietErrors quiet;
  live().write_variable(var, data);
}
void NcWriter::write_variable(VarId var, std::span<const std::int64_t> data) {
  const h5::QuietErrors quiet;
  live().write_variable(var, data);
}
void NcWriter::write_variable(VarId var, std::span<const std::int32_t> data) {
  const h5::QuietErrors quiet;
  live().write_variable(var, data);
}
void NcWriter::write_variable(VarId id, std::span<const std::string> data) {
  Impl& w = live();
  const h5::QuietErrors quiet;
  if (w.variable(id).type == NcType::character) {
    w.write_text(id, data);
    return;
  }
  Impl::Variable& var = w.whole_variable(id, NcType::string, data.size());
  if (data.empty()) return;
  std::vector<const char*> pointers;
  pointers.reserve(data.size());
  for (const std::string& value : data) {
    if (value.find('\0') != std::string::npos) {
      throw std::invalid_argument("netCDF writer: a value of '" + var.name +
                                  "' contains a NUL character");
    }
    pointers.push_back(value.c_str());
  }
  const h5::Datatype type = w.string_type(H5T_VARIABLE, false, var.name);
  w.check(H5Dwrite(var.dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
          "write variable", var.name);
}

void NcWriter::write_record(VarId var, std::span<const std::size_t> fixed_prefix, std::size_t index,
                            std::span<const double> data) {
  const h5::QuietErrors quiet;
  live().write_records(var, fixed_prefix, index, 1, data);
}
void NcWriter::write_record(VarId var, std::span<const std::size_t> fixed_prefix, std::size_t index,
                            std::span<const std::int64_t> data) {
  const h5::QuietErrors quiet;
  live().write_records(var, fixed_prefix, index, 1, data);
}
void NcWriter::write_record(VarId var, std::span<const std::size_t> fixed_prefix, std::size_t index,
                            std::span<const std::int32_t> data) {
  const h5::QuietErrors quiet;
  live().write_records(var, fixed_prefix, index, 1, data);
}
void NcWriter::write_records(VarId var, std::span<const std::size_t> fixed_prefix,
                             std::size_t first, std::size_t count, std::span<const double> data) {
  const h5::QuietErrors quiet;
  live().write_records(var, fixed_prefix, first, count, data);
}
void NcWriter::write_records(VarId var, std::span<const std::size_t> fixed_prefix,
                             std::size_t first, std::size_t count,
                             std::span<const std::int64_t> data) {
  const h5::QuietErrors quiet;
  live().write_records(var, fixed_prefix, first, count, data);
}

void NcWriter::set_compression(const Compression& compression) {
  if (compression.deflate_level < 0 || compression.deflate_level > 9) {
    throw std::invalid_argument("netCDF writer: zlib level must be 0-9, not " +
                                std::to_string(compression.deflate_level));
  }
  live().compression = compression;
}

void NcWriter::write_unlimited_coordinate(std::size_t index, double value) {
  Impl& w = live();
  if (!w.unlimited || !w.dims[*w.unlimited].coordinate) {
    throw std::logic_error("netCDF writer: no coordinate variable of an unlimited dimension in " +
                           w.path);
  }
  const h5::QuietErrors quiet;
  w.write_records(VarId{*w.dims[*w.unlimited].coordinate}, {}, index, 1,
                  std::span<const double>(&value, 1));
}

void NcWriter::set_root_attribute(const std::string& name, const AttrValue& value) {
  Impl& w = live();
  check_attribute_name(name);
  const h5::QuietErrors quiet;
  w.write_attribute(w.file.get(), "", name, value);
}

void NcWriter::set_variable_attribute(VarId id, const std::string& name, const AttrValue& value) {
  Impl& w = live();
  check_attribute_name(name);
  if (name == "_FillValue") {
    throw std::invalid_argument("netCDF writer: _FillValue can only be given to define_variable");
  }
  const h5::QuietErrors quiet;
  const Impl::Variable& var = w.variable(id);
  w.write_attribute(var.dataset.get(), var.name, name, value);
}

void NcWriter::flush() {
  Impl& w = live();
  const h5::QuietErrors quiet;
  w.check(H5Fflush(w.file.get(), H5F_SCOPE_LOCAL), "flush the file", "");
}

void NcWriter::publish() {
  Impl& w = live();
  if (!w.in_memory) throw std::logic_error("netCDF writer: publish() needs Storage::memory");
  const h5::QuietErrors quiet;
  // Everything cached goes into the memory image first; then its size, then the image.
  w.check(H5Fflush(w.file.get(), H5F_SCOPE_GLOBAL), "flush the file", "");
  const ssize_t size = H5Fget_file_image(w.file.get(), nullptr, 0);
  if (size < 0) w.fail("take the image of", "");
  std::vector<unsigned char> image(static_cast<std::size_t>(size));
  if (H5Fget_file_image(w.file.get(), image.data(), image.size()) != size)
    w.fail("take the image of", "");
  netcdf::seal_superblock(image);
  netcdf::publish_image(w.path, image, !w.published);
  w.published = true;
}

void NcWriter::close() {
  Impl& w = live();
  const h5::QuietErrors quiet;
  const std::string error = w.close_all();
  if (!error.empty()) throw NcError(error);
}

}  // namespace regionsim
