#include "nc_writer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string_view>

#include "hdf5_handle.hpp"

namespace regionsim {
namespace {

// netCDF-C's default fill values (netcdf.h): unwritten cells read as "missing" in netCDF tools.
constexpr double kFillFloat64 = 9.9692099683868690e+36;
constexpr std::int64_t kFillInt64 = -9223372036854775806LL;
constexpr std::int32_t kFillInt32 = -2147483647;

// netCDF-C marks a dimension scale that is not a variable by this NAME, then the length as %10d.
constexpr char kDimensionOnlyName[] = "This is a netCDF dimension but not a netCDF variable.";

// Records smaller than this share a chunk along the unlimited dimension: one tiny chunk per record
// would cost more in chunk index than in data.
constexpr std::size_t kMinChunkBytes = 4096;

constexpr unsigned kCreationOrder = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;

// Attributes netCDF-C and the dimension-scale API manage themselves.
constexpr std::array<std::string_view, 7> kReservedAttributes = {
    "CLASS",         "NAME",          "REFERENCE_LIST",     "DIMENSION_LIST",
    "_Netcdf4Dimid", "_NCProperties", "_Netcdf4Coordinates"};

template <class T>
constexpr NcType nc_type_of();
template <>
constexpr NcType nc_type_of<double>() {
  return NcType::float64;
}
template <>
constexpr NcType nc_type_of<std::int64_t>() {
  return NcType::int64;
}
template <>
constexpr NcType nc_type_of<std::int32_t>() {
  return NcType::int32;
}

std::string_view type_name(NcType type) {
  switch (type) {
    case NcType::float64:
      return "float64";
    case NcType::int64:
      return "int64";
    case NcType::int32:
      return "int32";
    case NcType::string:
      return "string";
  }
  return "?";
}

// Little-endian on disk whatever the host, as netCDF-C writes on the machines we run on.
hid_t file_type(NcType type) {
  switch (type) {
    case NcType::float64:
      return H5T_IEEE_F64LE;
    case NcType::int64:
      return H5T_STD_I64LE;
    case NcType::int32:
      return H5T_STD_I32LE;
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
    case NcType::string:
      break;
  }
  return H5I_INVALID_HID;
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
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

}  // namespace

struct NcWriter::Impl {
  struct Dimension {
    std::string name;
    hsize_t length = 0;  // current number of records when unlimited
    bool unlimited = false;
    std::int32_t id = 0;
    std::optional<std::uint32_t> coordinate;  // the variable that is this dimension's scale
    h5::Dataset scale_only;                   // the scale when there is no coordinate variable
  };
  struct Variable {
    std::string name;
    NcType type = NcType::float64;
    std::vector<std::size_t> dims;  // indices into Impl::dims
    std::optional<std::size_t> unlimited_axis;
    std::vector<hsize_t> extent;
    h5::Dataset dataset;
  };

  // Declared first so that it is destroyed last: HDF5 refuses to close a file with open objects.
  h5::File file;
  std::string path;
  std::vector<Dimension> dims;
  std::vector<Variable> vars;
  std::optional<std::size_t> unlimited;

  // "cannot <action> '<object>' in <path>: <HDF5's reason>"; without an object the action is
  // about the file itself: "cannot <action> <path>: ...".
  std::string failure(std::string_view action, std::string_view object) const {
    std::string message = "netCDF writer: cannot " + std::string(action);
    if (!object.empty()) message += " '" + std::string(object) + "' in";
    return message + " " + path + ": " + h5::take_error_stack();
  }
  [[noreturn]] void fail(std::string_view action, std::string_view object) const {
    throw NcError(failure(action, object));
  }
  hid_t checked_id(hid_t id, std::string_view action, std::string_view object) const {
    if (id < 0) fail(action, object);
    return id;
  }
  void check(herr_t status, std::string_view action, std::string_view object) const {
    if (status < 0) fail(action, object);
  }

  std::size_t find_dimension(const std::string& name) const {
    for (std::size_t d = 0; d < dims.size(); ++d) {
      if (dims[d].name == name) return d;
    }
    throw std::invalid_argument("netCDF writer: unknown dimension '" + name + "' in " + path);
  }
  bool has_variable(const std::string& name) const {
    return std::any_of(vars.begin(), vars.end(), [&](const Variable& v) { return v.name == name; });
  }
  Variable& variable(VarId id) {
    if (id.index >= vars.size()) {
      throw std::invalid_argument("netCDF writer: no variable #" + std::to_string(id.index) +
                                  " in " + path);
    }
    return vars[id.index];
  }
  hid_t scale_of(std::size_t d) const {
    return dims[d].coordinate ? vars[*dims[d].coordinate].dataset.get() : dims[d].scale_only.get();
  }

  h5::Datatype string_type(std::size_t size, bool ascii, std::string_view object) const {
    h5::Datatype type(checked_id(H5Tcopy(H5T_C_S1), "make a string type for", object));
    check(H5Tset_size(type.get(), size), "make a string type for", object);
    check(H5Tset_strpad(type.get(), H5T_STR_NULLTERM), "make a string type for", object);
    check(H5Tset_cset(type.get(), ascii ? H5T_CSET_ASCII : H5T_CSET_UTF8), "make a string type for",
          object);
    return type;
  }

  void write_netcdf_dimid(hid_t dataset, std::int32_t id, std::string_view object) const {
    h5::Dataspace space(checked_id(H5Screate(H5S_SCALAR), "describe _Netcdf4Dimid of", object));
    h5::Attribute attr(checked_id(
        H5Acreate2(dataset, "_Netcdf4Dimid", H5T_STD_I32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
        "create _Netcdf4Dimid of", object));
    check(H5Awrite(attr.get(), H5T_NATIVE_INT32, &id), "write _Netcdf4Dimid of", object);
  }

  // Writes one attribute the way netCDF-C does: text as a scalar fixed-length string (NC_CHAR),
  // flagged UTF-8 when it is not plain ASCII so readers decode it right; numbers as 1-element
  // arrays. An existing attribute of that name is replaced.
  void write_attribute(hid_t owner, std::string_view owner_name, const std::string& name,
                       const AttrValue& value) const {
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
    h5::Dataspace space(
        checked_id(H5Screate_simple(1, &one, nullptr), "describe attribute", object));
    const bool is_double = std::holds_alternative<double>(value);
    h5::Attribute attr(
        checked_id(H5Acreate2(owner, name.c_str(), is_double ? H5T_IEEE_F64LE : H5T_STD_I64LE,
                              space.get(), H5P_DEFAULT, H5P_DEFAULT),
                   "create attribute", object));
    if (is_double) {
      check(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &std::get<double>(value)), "write attribute",
            object);
    } else {
      check(H5Awrite(attr.get(), H5T_NATIVE_INT64, &std::get<std::int64_t>(value)),
            "write attribute", object);
    }
  }

  h5::PropertyList dataset_creation_plist(std::string_view object) const {
    h5::PropertyList dcpl(
        checked_id(H5Pcreate(H5P_DATASET_CREATE), "make creation properties for", object));
    check(H5Pset_attr_creation_order(dcpl.get(), kCreationOrder), "set attribute order of", object);
    check(H5Pset_obj_track_times(dcpl.get(), 0), "turn off object times of", object);
    return dcpl;
  }

  // A dimension without a coordinate variable still needs a scale for variables to attach to;
  // netCDF-C makes it a float dataset that is never written, so it takes no space.
  void make_dimension_scale(std::size_t d) {
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

  // The unlimited dimension is as long as its longest variable; a scale-only dataset follows it
  // so netCDF-C and h5netcdf read the same length.
  void grow_unlimited(hsize_t length) {
    Dimension& dim = dims[*unlimited];
    if (length <= dim.length) return;
    if (dim.scale_only.valid()) {
      check(H5Dset_extent(dim.scale_only.get(), &length), "extend dimension", dim.name);
    }
    dim.length = length;
  }

  template <class T>
  void write_record(VarId id, std::span<const std::size_t> prefix, std::size_t index,
                    std::span<const T> data) {
    Variable& var = variable(id);
    if (var.type != nc_type_of<T>()) {
      throw std::invalid_argument("netCDF writer: variable '" + var.name + "' is " +
                                  std::string(type_name(var.type)) + ", not " +
                                  std::string(type_name(nc_type_of<T>())));
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
    start[axis] = index;
    std::size_t record_size = 1;
    for (std::size_t a = axis + 1; a < var.extent.size(); ++a) {
      count[a] = var.extent[a];
      record_size *= var.extent[a];
    }
    if (data.size() != record_size) {
      throw std::invalid_argument("netCDF writer: a record of '" + var.name + "' has " +
                                  std::to_string(record_size) + " values, got " +
                                  std::to_string(data.size()));
    }
    if (index >= var.extent[axis]) {
      std::vector<hsize_t> grown = var.extent;
      grown[axis] = index + 1;
      check(H5Dset_extent(var.dataset.get(), grown.data()), "extend variable", var.name);
      var.extent = std::move(grown);
      grow_unlimited(index + 1);
    }
    if (record_size == 0) return;
    h5::Dataspace file_space(
        checked_id(H5Dget_space(var.dataset.get()), "get the extent of variable", var.name));
    check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                              nullptr),
          "select a record of variable", var.name);
    const hsize_t n = record_size;
    h5::Dataspace memory_space(
        checked_id(H5Screate_simple(1, &n, nullptr), "describe a record of variable", var.name));
    check(H5Dwrite(var.dataset.get(), memory_type(var.type), memory_space.get(), file_space.get(),
                   H5P_DEFAULT, data.data()),
          "write a record of variable", var.name);
  }

  // The variable `id`, after checking that `size` values of `type` fill all of it.
  Variable& whole_variable(VarId id, NcType type, std::size_t size) {
    Variable& var = variable(id);
    if (var.type != type) {
      throw std::invalid_argument("netCDF writer: variable '" + var.name + "' is " +
                                  std::string(type_name(var.type)) + ", not " +
                                  std::string(type_name(type)));
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
  void write_variable(VarId id, std::span<const T> data) {
    Variable& var = whole_variable(id, nc_type_of<T>(), data.size());
    if (data.empty()) return;
    check(H5Dwrite(var.dataset.get(), memory_type(var.type), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                   data.data()),
          "write variable", var.name);
  }

  // Closes every object, the file last, and returns the first failure's message (empty if none).
  std::string close_all() {
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
};

NcWriter::NcWriter(const std::string& path) : impl_(std::make_unique<Impl>()) {
  const h5::QuietErrors quiet;
  Impl& w = *impl_;
  w.path = path;

  // netCDF-C relies on creation order to number dimensions and variables, and refuses to modify
  // files without it.
  h5::PropertyList fcpl(
      w.checked_id(H5Pcreate(H5P_FILE_CREATE), "make creation properties for", ""));
  w.check(H5Pset_link_creation_order(fcpl.get(), kCreationOrder), "set link order of", "");
  w.check(H5Pset_attr_creation_order(fcpl.get(), kCreationOrder), "set attribute order of", "");
  w.check(H5Pset_obj_track_times(fcpl.get(), 0), "turn off object times of", "");

  // The file format of HDF5 1.8, as netCDF-C writes, so every netCDF-4 reader can open it.
  h5::PropertyList fapl(w.checked_id(H5Pcreate(H5P_FILE_ACCESS), "make access properties for", ""));
  w.check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_V18),
          "set the format version of", "");
  // Closing the file fails while anything in it is still open, instead of silently deferring.
  w.check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_SEMI), "set close semantics of", "");

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

void NcWriter::define_dimension(const std::string& name, std::size_t length, bool unlimited) {
  Impl& w = live();
  check_name("dimension", name);
  if (std::any_of(w.dims.begin(), w.dims.end(), [&](const auto& d) { return d.name == name; }) ||
      w.has_variable(name)) {
    throw std::invalid_argument("netCDF writer: name '" + name + "' already defined in " + w.path);
  }
  if (unlimited && w.unlimited) {
    throw std::invalid_argument("netCDF writer: '" + name + "' cannot be unlimited: '" +
                                w.dims[*w.unlimited].name + "' already is");
  }
  Impl::Dimension dim;
  dim.name = name;
  dim.length = unlimited ? 0 : length;
  dim.unlimited = unlimited;
  dim.id = static_cast<std::int32_t>(w.dims.size());
  if (unlimited) w.unlimited = w.dims.size();
  w.dims.push_back(std::move(dim));
}

VarId NcWriter::define_variable(const std::string& name, NcType type,
                                const std::vector<std::string>& dim_names,
                                const Attributes& attrs) {
  Impl& w = live();
  const h5::QuietErrors quiet;
  check_name("variable", name);
  if (w.has_variable(name)) {
    throw std::invalid_argument("netCDF writer: variable '" + name + "' already defined in " +
                                w.path);
  }
  Impl::Variable var;
  var.name = name;
  var.type = type;
  for (const std::string& dim_name : dim_names) {
    const std::size_t d = w.find_dimension(dim_name);
    if (w.dims[d].unlimited) var.unlimited_axis = var.dims.size();
    var.dims.push_back(d);
    var.extent.push_back(w.dims[d].unlimited ? 0 : w.dims[d].length);
  }
  std::optional<std::size_t> coordinate_of;
  for (std::size_t d = 0; d < w.dims.size(); ++d) {
    if (w.dims[d].name != name) continue;
    if (var.dims.size() != 1 || var.dims[0] != d) {
      throw std::invalid_argument("netCDF writer: variable '" + name +
                                  "' is named like a dimension, so it must have that dimension "
                                  "alone");
    }
    if (w.dims[d].scale_only.valid()) {
      throw std::logic_error("netCDF writer: coordinate variable '" + name +
                             "' must be defined before any variable that uses its dimension");
    }
    coordinate_of = d;
  }
  if (type == NcType::string && var.unlimited_axis) {
    throw std::invalid_argument("netCDF writer: string variable '" + name +
                                "' cannot use the unlimited dimension");
  }
  const AttrValue* fill = nullptr;
  for (const auto& [attr_name, value] : attrs) {
    if (attr_name == "_FillValue") {
      fill = &value;
    } else {
      check_attribute_name(attr_name);
    }
  }
  if (fill != nullptr && (type == NcType::string || std::holds_alternative<std::string>(*fill))) {
    throw std::invalid_argument("netCDF writer: _FillValue of '" + name +
                                "' must be a number on a numeric variable");
  }

  for (const std::size_t d : var.dims) {
    if (d != coordinate_of && !w.dims[d].coordinate && !w.dims[d].scale_only.valid()) {
      w.make_dimension_scale(d);
    }
  }

  h5::PropertyList dcpl = w.dataset_creation_plist(name);
  if (var.unlimited_axis) {
    const std::size_t axis = *var.unlimited_axis;
    std::vector<hsize_t> chunk(var.extent.size(), 1);
    std::size_t record_bytes = H5Tget_size(file_type(type));
    for (std::size_t a = axis + 1; a < var.extent.size(); ++a) {
      chunk[a] = std::max<hsize_t>(var.extent[a], 1);
      record_bytes *= chunk[a];
    }
    chunk[axis] = std::max<hsize_t>(kMinChunkBytes / record_bytes, 1);
    w.check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()),
            "set chunks of variable", name);
  }
  // The fill value is the one netCDF-C would use, so unwritten records read as missing there.
  double fill_f64 = kFillFloat64;
  std::int64_t fill_i64 = kFillInt64;
  std::int32_t fill_i32 = kFillInt32;
  if (fill != nullptr) {
    const bool integral_fill = std::holds_alternative<std::int64_t>(*fill);
    const double as_double = integral_fill ? static_cast<double>(std::get<std::int64_t>(*fill))
                                           : std::get<double>(*fill);
    if (type != NcType::float64 && !integral_fill) {
      throw std::invalid_argument("netCDF writer: _FillValue of integer variable '" + name +
                                  "' must be an integer");
    }
    const std::int64_t as_int = integral_fill ? std::get<std::int64_t>(*fill) : 0;
    if (type == NcType::int32 && (as_int < std::numeric_limits<std::int32_t>::min() ||
                                  as_int > std::numeric_limits<std::int32_t>::max())) {
      throw std::invalid_argument("netCDF writer: _FillValue of int32 variable '" + name +
                                  "' is out of range");
    }
    fill_f64 = as_double;
    fill_i64 = as_int;
    fill_i32 = static_cast<std::int32_t>(as_int);
  }
  const void* fill_value = type == NcType::float64 ? static_cast<const void*>(&fill_f64)
                           : type == NcType::int64 ? static_cast<const void*>(&fill_i64)
                                                   : static_cast<const void*>(&fill_i32);
  if (type != NcType::string) {
    w.check(H5Pset_fill_value(dcpl.get(), memory_type(type), fill_value),
            "set the fill value of variable", name);
  }

  h5::Datatype string_type;
  if (type == NcType::string) {
    string_type = w.string_type(H5T_VARIABLE, false, name);
  }
  const hid_t stored_type = type == NcType::string ? string_type.get() : file_type(type);

  std::vector<hsize_t> max_extent = var.extent;
  if (var.unlimited_axis) max_extent[*var.unlimited_axis] = H5S_UNLIMITED;
  h5::Dataspace space(w.checked_id(var.extent.empty()
                                       ? H5Screate(H5S_SCALAR)
                                       : H5Screate_simple(static_cast<int>(var.extent.size()),
                                                          var.extent.data(), max_extent.data()),
                                   "describe variable", name));
  var.dataset =
      h5::Dataset(w.checked_id(H5Dcreate2(w.file.get(), name.c_str(), stored_type, space.get(),
                                          H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                               "create variable", name));
  const VarId id{static_cast<std::uint32_t>(w.vars.size())};
  w.vars.push_back(std::move(var));
  const Impl::Variable& stored = w.vars.back();
  const hid_t dataset = stored.dataset.get();

  if (coordinate_of) {
    w.check(H5DSset_scale(dataset, name.c_str()), "make a dimension scale of", name);
    w.write_netcdf_dimid(dataset, w.dims[*coordinate_of].id, name);
    w.dims[*coordinate_of].coordinate = id.index;
  }
  if (!stored.dims.empty()) {
    std::vector<std::int32_t> dim_ids;
    for (const std::size_t d : stored.dims)
      dim_ids.push_back(w.dims[d].id);
    const hsize_t rank = dim_ids.size();
    h5::Dataspace ids_space(
        w.checked_id(H5Screate_simple(1, &rank, nullptr), "describe _Netcdf4Coordinates of", name));
    h5::Attribute ids(w.checked_id(H5Acreate2(dataset, "_Netcdf4Coordinates", H5T_STD_I32LE,
                                              ids_space.get(), H5P_DEFAULT, H5P_DEFAULT),
                                   "create _Netcdf4Coordinates of", name));
    w.check(H5Awrite(ids.get(), H5T_NATIVE_INT32, dim_ids.data()), "write _Netcdf4Coordinates of",
            name);
  }
  if (!coordinate_of) {
    for (std::size_t axis = 0; axis < stored.dims.size(); ++axis) {
      w.check(H5DSattach_scale(dataset, w.scale_of(stored.dims[axis]), static_cast<unsigned>(axis)),
              "attach dimension '" + w.dims[stored.dims[axis]].name + "' to variable", name);
    }
  }
  for (const auto& [attr_name, value] : attrs) {
    if (&value == fill) {
      // Written in the variable's own type, as netCDF requires of _FillValue.
      const hsize_t one = 1;
      h5::Dataspace one_space(
          w.checked_id(H5Screate_simple(1, &one, nullptr), "describe _FillValue of", name));
      h5::Attribute attr(w.checked_id(H5Acreate2(dataset, "_FillValue", file_type(type),
                                                 one_space.get(), H5P_DEFAULT, H5P_DEFAULT),
                                      "create _FillValue of", name));
      w.check(H5Awrite(attr.get(), memory_type(type), fill_value), "write _FillValue of", name);
    } else {
      w.write_attribute(dataset, name, attr_name, value);
    }
  }
  return id;
}

VarId NcWriter::set_string_coordinate(const std::string& dim,
                                      const std::vector<std::string>& values,
                                      const Attributes& attrs) {
  Impl& w = live();
  const std::size_t d = w.find_dimension(dim);
  if (w.dims[d].unlimited || values.size() != w.dims[d].length) {
    throw std::invalid_argument("netCDF writer: coordinate '" + dim + "' needs " +
                                std::to_string(w.dims[d].length) + " values of a fixed dimension");
  }
  const VarId id = define_variable(dim, NcType::string, {dim}, attrs);
  write_variable(id, std::span<const std::string>(values));
  return id;
}

namespace {
template <class T>
VarId set_numeric_coordinate_impl(NcWriter& writer, NcType type, const std::string& dim,
                                  std::size_t fixed_length, bool unlimited,
                                  const std::vector<T>& values, const Attributes& attrs) {
  if (!unlimited && values.size() != fixed_length) {
    throw std::invalid_argument("netCDF writer: coordinate '" + dim + "' needs " +
                                std::to_string(fixed_length) + " values, got " +
                                std::to_string(values.size()));
  }
  const VarId id = writer.define_variable(dim, type, {dim}, attrs);
  if (!unlimited) {
    writer.write_variable(id, std::span<const T>(values));
  } else {
    for (std::size_t i = 0; i < values.size(); ++i) {
      writer.write_record(id, {}, i, std::span<const T>(&values[i], 1));
    }
  }
  return id;
}
}  // namespace

VarId NcWriter::set_numeric_coordinate(const std::string& dim, const std::vector<double>& values,
                                       const Attributes& attrs) {
  Impl& w = live();
  const Impl::Dimension& d = w.dims[w.find_dimension(dim)];
  return set_numeric_coordinate_impl(*this, NcType::float64, dim, d.length, d.unlimited, values,
                                     attrs);
}

VarId NcWriter::set_numeric_coordinate(const std::string& dim,
                                       const std::vector<std::int64_t>& values,
                                       const Attributes& attrs) {
  Impl& w = live();
  const Impl::Dimension& d = w.dims[w.find_dimension(dim)];
  return set_numeric_coordinate_impl(*this, NcType::int64, dim, d.length, d.unlimited, values,
                                     attrs);
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
  live().write_record(var, fixed_prefix, index, data);
}
void NcWriter::write_record(VarId var, std::span<const std::size_t> fixed_prefix, std::size_t index,
                            std::span<const std::int64_t> data) {
  const h5::QuietErrors quiet;
  live().write_record(var, fixed_prefix, index, data);
}
void NcWriter::write_record(VarId var, std::span<const std::size_t> fixed_prefix, std::size_t index,
                            std::span<const std::int32_t> data) {
  const h5::QuietErrors quiet;
  live().write_record(var, fixed_prefix, index, data);
}

void NcWriter::write_unlimited_coordinate(std::size_t index, double value) {
  Impl& w = live();
  if (!w.unlimited || !w.dims[*w.unlimited].coordinate) {
    throw std::logic_error("netCDF writer: no coordinate variable of an unlimited dimension in " +
                           w.path);
  }
  const h5::QuietErrors quiet;
  w.write_record(VarId{*w.dims[*w.unlimited].coordinate}, {}, index,
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

void NcWriter::close() {
  Impl& w = live();
  const h5::QuietErrors quiet;
  const std::string error = w.close_all();
  if (!error.empty()) throw NcError(error);
}

}  // namespace regionsim
