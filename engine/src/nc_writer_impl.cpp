// The HDF5 objects underneath NcWriter: names and types, failures, attributes, dimension scales,
// records and closing, each written the way netCDF-C writes it.
#include <algorithm>
#include <cstdio>

#include "nc_writer_impl.hpp"

namespace regionsim {
namespace {

// Attributes netCDF-C and the dimension-scale API manage themselves.
constexpr std::array<std::string_view, 7> kReservedAttributes = {
    "CLASS",         "NAME",          "REFERENCE_LIST",     "DIMENSION_LIST",
    "_Netcdf4Dimid", "_NCProperties", "_Netcdf4Coordinates"};

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

namespace netcdf {

hid_t file_type(NcType type) {
  switch (type) {
    case NcType::float64:
      return H5T_IEEE_F64LE;
    case NcType::int64:
      return H5T_STD_I64LE;
    case NcType::int32:
      return H5T_STD_I32LE;
    case NcType::character:
      return H5T_C_S1;  // one byte, NUL-terminated, ASCII: netCDF-C's NC_CHAR
    case NcType::string:
      break;
  }
  return H5I_INVALID_HID;
}

hid_t memory_type(NcType type) {
  switch (type) {
    case NcType::float64:
      return H5T_NATIVE_DOUBLE;
    case NcType::int64:
      return H5T_NATIVE_INT64;
    case NcType::int32:
      return H5T_NATIVE_INT32;
    case NcType::character:
      return H5T_C_S1;
    case NcType::string:
      break;
  }
  return H5I_INVALID_HID;
}

std::string strlen_dimension(const std::string& name) {
  return name + "_strlen";
}

void check_name(std::string_view what, const std::string& name) {
  if (name.empty() || name == "." || name.find('/') != std::string::npos ||
      name.find('\0') != std::string::npos) {
    throw std::invalid_argument("netCDF writer: invalid " + std::string(what) + " name '" + name +
                                "'");
  }
}

void check_attribute_name(const std::string& name) {
  check_name("attribute", name);
  if (std::find(kReservedAttributes.begin(), kReservedAttributes.end(), name) !=
      kReservedAttributes.end()) {
    throw std::invalid_argument("netCDF writer: attribute name '" + name +
                                "' is reserved for the netCDF-4 layout");
  }
}

const void* FillValue::in(NcType type) const {
  return type == NcType::float64     ? static_cast<const void*>(&f64)
         : type == NcType::int64     ? static_cast<const void*>(&i64)
         : type == NcType::character ? static_cast<const void*>(&text)
                                     : static_cast<const void*>(&i32);
}

}  // namespace netcdf

using namespace netcdf;

std::string_view nc_type_name(NcType type) {
  switch (type) {
    case NcType::float64:
      return "float64";
    case NcType::int64:
      return "int64";
    case NcType::int32:
      return "int32";
    case NcType::string:
      return "string";
    case NcType::character:
      return "char";
  }
  return "?";
}

std::string NcWriter::Impl::failure(std::string_view action, std::string_view object) const {
  std::string message = "netCDF writer: cannot " + std::string(action);
  if (!object.empty()) message += " '" + std::string(object) + "' in";
  return message + " " + path + ": " + h5::take_error_stack();
}
void NcWriter::Impl::fail(std::string_view action, std::string_view object) const {
  throw NcError(failure(action, object));
}
std::size_t NcWriter::Impl::find_dimension(const std::string& name) const {
  for (std::size_t d = 0; d < dims.size(); ++d) {
    if (dims[d].name == name) return d;
  }
  throw std::invalid_argument("netCDF writer: unknown dimension '" + name + "' in " + path);
}
bool NcWriter::Impl::has_variable(const std::string& name) const {
  return std::any_of(vars.begin(), vars.end(), [&](const Variable& v) { return v.name == name; });
}
NcWriter::Impl::Variable& NcWriter::Impl::variable(VarId id) {
  if (id.index >= vars.size()) {
    throw std::invalid_argument("netCDF writer: no variable #" + std::to_string(id.index) + " in " +
                                path);
  }
  return vars[id.index];
}
h5::Datatype NcWriter::Impl::string_type(std::size_t size, bool ascii,
                                         std::string_view object) const {
  h5::Datatype type(checked_id(H5Tcopy(H5T_C_S1), "make a string type for", object));
  check(H5Tset_size(type.get(), size), "make a string type for", object);
  check(H5Tset_strpad(type.get(), H5T_STR_NULLTERM), "make a string type for", object);
  check(H5Tset_cset(type.get(), ascii ? H5T_CSET_ASCII : H5T_CSET_UTF8), "make a string type for",
        object);
  return type;
}
void NcWriter::Impl::write_netcdf_dimid(hid_t dataset, std::int32_t id,
                                        std::string_view object) const {
  h5::Dataspace space(checked_id(H5Screate(H5S_SCALAR), "describe _Netcdf4Dimid of", object));
  h5::Attribute attr(checked_id(
      H5Acreate2(dataset, "_Netcdf4Dimid", H5T_STD_I32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
      "create _Netcdf4Dimid of", object));
  check(H5Awrite(attr.get(), H5T_NATIVE_INT32, &id), "write _Netcdf4Dimid of", object);
}
void NcWriter::Impl::write_attribute(hid_t owner, std::string_view owner_name,
                                     const std::string& name, const AttrValue& value) const {
  const std::string object =
      owner_name.empty() ? name : std::string(owner_name) + ":" + name;  // ncdump's notation
  const htri_t exists = H5Aexists(owner, name.c_str());
  check(exists, "look up attribute", object);
  if (exists > 0) check(H5Adelete(owner, name.c_str()), "replace attribute", object);

  if (const auto* text = std::get_if<std::string>(&value)) {
    if (text->find('\0') != std::string::npos) {
      throw std::invalid_argument("netCDF writer: attribute '" + object +
                                  "' contains a NUL character");
    }
    // HDF5 strings cannot be empty; netCDF-C stores "" as one NUL byte too.
    const h5::Datatype type =
        string_type(std::max<std::size_t>(text->size(), 1), is_ascii(*text), object);
    h5::Dataspace space(checked_id(H5Screate(H5S_SCALAR), "describe attribute", object));
    h5::Attribute attr(checked_id(
        H5Acreate2(owner, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
        "create attribute", object));
    const std::string padded = text->empty() ? std::string(1, '\0') : *text;
    check(H5Awrite(attr.get(), type.get(), padded.data()), "write attribute", object);
    return;
  }
  const hsize_t one = 1;
  h5::Dataspace space(checked_id(H5Screate_simple(1, &one, nullptr), "describe attribute", object));
  const bool is_double = std::holds_alternative<double>(value);
  h5::Attribute attr(
      checked_id(H5Acreate2(owner, name.c_str(), is_double ? H5T_IEEE_F64LE : H5T_STD_I64LE,
                            space.get(), H5P_DEFAULT, H5P_DEFAULT),
                 "create attribute", object));
  if (is_double) {
    check(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &std::get<double>(value)), "write attribute",
          object);
  } else {
    check(H5Awrite(attr.get(), H5T_NATIVE_INT64, &std::get<std::int64_t>(value)), "write attribute",
          object);
  }
}
h5::PropertyList NcWriter::Impl::dataset_creation_plist(std::string_view object) const {
  h5::PropertyList dcpl(
      checked_id(H5Pcreate(H5P_DATASET_CREATE), "make creation properties for", object));
  check(H5Pset_attr_creation_order(dcpl.get(), kCreationOrder), "set attribute order of", object);
  check(H5Pset_obj_track_times(dcpl.get(), false), "turn off object times of", object);
  return dcpl;
}
void NcWriter::Impl::make_dimension_scale(std::size_t d) {
  Dimension& dim = dims[d];
  const h5::PropertyList dcpl = dataset_creation_plist(dim.name);
  const hsize_t max = dim.unlimited ? H5S_UNLIMITED : dim.length;
  if (dim.unlimited) {
    const hsize_t chunk = kMinChunkBytes / sizeof(float);
    check(H5Pset_chunk(dcpl.get(), 1, &chunk), "set chunks of dimension", dim.name);
  }
  h5::Dataspace space(
      checked_id(H5Screate_simple(1, &dim.length, &max), "describe dimension", dim.name));
  dim.scale_only =
      h5::Dataset(checked_id(H5Dcreate2(file.get(), dim.name.c_str(), H5T_IEEE_F32BE, space.get(),
                                        H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                             "create dimension", dim.name));
  std::array<char, 96> text{};
  std::snprintf(text.data(), text.size(), "%s%10lld", kDimensionOnlyName,
                static_cast<long long>(dim.length));
  check(H5DSset_scale(dim.scale_only.get(), text.data()), "make a dimension scale of", dim.name);
  write_netcdf_dimid(dim.scale_only.get(), dim.id, dim.name);
}
void NcWriter::Impl::grow_unlimited(hsize_t length) {
  Dimension& dim = dims[*unlimited];
  if (length <= dim.length) return;
  if (dim.scale_only.valid()) {
    check(H5Dset_extent(dim.scale_only.get(), &length), "extend dimension", dim.name);
  }
  dim.length = length;
}
template <class T>
void NcWriter::Impl::write_records(VarId id, std::span<const std::size_t> prefix, std::size_t first,
                                   std::size_t records, std::span<const T> data) {
  Variable& var = variable(id);
  if (var.type != nc_type_of<T>()) {
    throw std::invalid_argument("netCDF writer: variable '" + var.name + "' is " +
                                std::string(nc_type_name(var.type)) + ", not " +
                                std::string(nc_type_name(nc_type_of<T>())));
  }
  if (!var.unlimited_axis) {
    throw std::invalid_argument("netCDF writer: variable '" + var.name +
                                "' has no unlimited dimension; write it with write_variable");
  }
  const std::size_t axis = *var.unlimited_axis;
  if (prefix.size() != axis) {
    throw std::invalid_argument("netCDF writer: variable '" + var.name + "' needs " +
                                std::to_string(axis) + " leading indices, got " +
                                std::to_string(prefix.size()));
  }
  std::vector<hsize_t> start(var.extent.size(), 0);
  std::vector<hsize_t> count(var.extent.size(), 1);
  for (std::size_t a = 0; a < axis; ++a) {
    if (prefix[a] >= var.extent[a]) {
      throw std::invalid_argument("netCDF writer: index " + std::to_string(prefix[a]) +
                                  " out of range for dimension '" + dims[var.dims[a]].name +
                                  "' of variable '" + var.name + "'");
    }
    start[a] = prefix[a];
  }
  start[axis] = first;
  count[axis] = records;
  std::size_t record_size = 1;
  for (std::size_t a = axis + 1; a < var.extent.size(); ++a) {
    count[a] = var.extent[a];
    record_size *= var.extent[a];
  }
  if (data.size() != record_size * records) {
    throw std::invalid_argument("netCDF writer: " + std::to_string(records) + " record(s) of '" +
                                var.name + "' have " + std::to_string(record_size * records) +
                                " values, got " + std::to_string(data.size()));
  }
  if (records == 0) return;
  const hsize_t end = first + records;
  if (end > var.extent[axis]) {
    std::vector<hsize_t> grown = var.extent;
    grown[axis] = end;
    check(H5Dset_extent(var.dataset.get(), grown.data()), "extend variable", var.name);
    var.extent = std::move(grown);
    grow_unlimited(end);
  }
  if (record_size == 0) return;
  h5::Dataspace file_space(
      checked_id(H5Dget_space(var.dataset.get()), "get the extent of variable", var.name));
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                            nullptr),
        "select a record of variable", var.name);
  const hsize_t n = record_size * records;
  h5::Dataspace memory_space(
      checked_id(H5Screate_simple(1, &n, nullptr), "describe a record of variable", var.name));
  check(H5Dwrite(var.dataset.get(), memory_type(var.type), memory_space.get(), file_space.get(),
                 H5P_DEFAULT, data.data()),
        "write a record of variable", var.name);
}
NcWriter::Impl::Variable& NcWriter::Impl::whole_variable(VarId id, NcType type, std::size_t size) {
  Variable& var = variable(id);
  if (var.type != type) {
    throw std::invalid_argument("netCDF writer: variable '" + var.name + "' is " +
                                std::string(nc_type_name(var.type)) + ", not " +
                                std::string(nc_type_name(type)));
  }
  if (var.unlimited_axis) {
    throw std::invalid_argument("netCDF writer: variable '" + var.name +
                                "' has the unlimited dimension; write it with write_record");
  }
  std::size_t total = 1;
  for (const hsize_t length : var.extent)
    total *= length;
  if (size != total) {
    throw std::invalid_argument("netCDF writer: variable '" + var.name + "' has " +
                                std::to_string(total) + " values, got " + std::to_string(size));
  }
  return var;
}
template <class T>
void NcWriter::Impl::write_variable(VarId id, std::span<const T> data) {
  Variable& var = whole_variable(id, nc_type_of<T>(), data.size());
  if (data.empty()) return;
  check(H5Dwrite(var.dataset.get(), memory_type(var.type), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                 data.data()),
        "write variable", var.name);
}
void NcWriter::Impl::write_text(VarId id, std::span<const std::string> data) {
  Variable& var = variable(id);
  const hsize_t width = var.extent.empty() ? 1 : var.extent.back();
  std::size_t cells = 1;
  for (std::size_t a = 0; a + 1 < var.extent.size(); ++a)
    cells *= var.extent[a];
  if (data.size() != cells) {
    throw std::invalid_argument("netCDF writer: variable '" + var.name + "' holds " +
                                std::to_string(cells) + " strings, got " +
                                std::to_string(data.size()));
  }
  std::string bytes(cells * width, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i].size() > width || data[i].find('\0') != std::string::npos) {
      throw std::invalid_argument("netCDF writer: a value of '" + var.name +
                                  "' is longer than its length dimension or contains a NUL");
    }
    data[i].copy(bytes.data() + i * width, data[i].size());
  }
  if (bytes.empty()) return;
  check(H5Dwrite(var.dataset.get(), H5T_C_S1, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()),
        "write variable", var.name);
}

// The element types NcWriter writes.
template void NcWriter::Impl::write_records(VarId, std::span<const std::size_t>, std::size_t,
                                            std::size_t, std::span<const double>);
template void NcWriter::Impl::write_records(VarId, std::span<const std::size_t>, std::size_t,
                                            std::size_t, std::span<const std::int64_t>);
template void NcWriter::Impl::write_records(VarId, std::span<const std::size_t>, std::size_t,
                                            std::size_t, std::span<const std::int32_t>);
template void NcWriter::Impl::write_variable(VarId, std::span<const double>);
template void NcWriter::Impl::write_variable(VarId, std::span<const std::int64_t>);
template void NcWriter::Impl::write_variable(VarId, std::span<const std::int32_t>);

std::string NcWriter::Impl::close_all() {
  std::string first_error;
  const auto note = [&](herr_t status, std::string_view action, std::string_view object) {
    if (status < 0 && first_error.empty()) first_error = failure(action, object);
  };
  for (Variable& var : vars)
    note(var.dataset.close(), "close variable", var.name);
  for (Dimension& dim : dims)
    note(dim.scale_only.close(), "close dimension", dim.name);
  note(file.close(), "close the file", "");
  return first_error;
}

}  // namespace regionsim
