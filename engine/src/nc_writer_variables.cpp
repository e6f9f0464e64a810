// Defining dimensions and variables of an NcWriter: define_variable as named steps, from checking
// the name and shape to the netCDF-4 links between a variable and its dimensions.
#include <algorithm>
#include <limits>
#include <variant>

#include "nc_writer_impl.hpp"

namespace regionsim {

using netcdf::FillValue;

void NcWriter::define_dimension(const std::string& name, std::size_t length, bool unlimited) {
  Impl& w = live();
  netcdf::check_name("dimension", name);
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
  // Every check comes before the first HDF5 object is made, so a refused variable leaves no trace.
  Impl::Variable var = w.shape_variable(name, type, dim_names);
  const std::optional<std::size_t> coordinate = w.coordinate_of(var);
  const FillValue fill = w.fill_value(var, attrs);

  w.make_missing_scales(var, coordinate);
  w.create_dataset(var, w.creation_properties(var, fill));
  const VarId id{static_cast<std::uint32_t>(w.vars.size())};
  w.vars.push_back(std::move(var));
  w.link_dimensions(id, coordinate);
  w.write_variable_attributes(id, attrs, fill);
  return id;
}

// A new variable's name, type, dimensions and current extent.
NcWriter::Impl::Variable NcWriter::Impl::shape_variable(
    const std::string& name, NcType type, const std::vector<std::string>& dim_names) const {
  netcdf::check_name("variable", name);
  if (has_variable(name)) {
    throw std::invalid_argument("netCDF writer: variable '" + name + "' already defined in " +
                                path);
  }
  Variable var;
  var.name = name;
  var.type = type;
  for (const std::string& dim_name : dim_names) {
    const std::size_t d = find_dimension(dim_name);
    if (dims[d].unlimited) var.unlimited_axis = var.dims.size();
    var.dims.push_back(d);
    var.extent.push_back(dims[d].unlimited ? 0 : dims[d].length);
  }
  if ((type == NcType::string || type == NcType::character) && var.unlimited_axis) {
    throw std::invalid_argument("netCDF writer: string variable '" + name +
                                "' cannot use the unlimited dimension");
  }
  return var;
}

// The dimension this variable is the coordinate of, if it is named like one (the netCDF rule;
// a character coordinate has the string length as its second dimension).
std::optional<std::size_t> NcWriter::Impl::coordinate_of(const Variable& var) const {
  std::optional<std::size_t> coordinate;
  for (std::size_t d = 0; d < dims.size(); ++d) {
    if (dims[d].name != var.name) continue;
    const std::size_t rank = var.type == NcType::character ? 2 : 1;
    if (var.dims.size() != rank || var.dims[0] != d) {
      throw std::invalid_argument("netCDF writer: variable '" + var.name +
                                  "' is named like a dimension, so it must have that dimension "
                                  "alone (and its string length, for characters)");
    }
    if (dims[d].scale_only.valid()) {
      throw std::logic_error("netCDF writer: coordinate variable '" + var.name +
                             "' must be defined before any variable that uses its dimension");
    }
    coordinate = d;
  }
  return coordinate;
}

// Checks the attribute names and returns the fill value: the one netCDF-C would use, so unwritten
// records read as missing there, unless a "_FillValue" attribute gives another.
FillValue NcWriter::Impl::fill_value(const Variable& var, const Attributes& attrs) const {
  const AttrValue* given = nullptr;
  for (const auto& [attr_name, value] : attrs) {
    if (attr_name == "_FillValue") {
      given = &value;
    } else {
      netcdf::check_attribute_name(attr_name);
    }
  }
  FillValue fill;
  if (given == nullptr) return fill;
  if (var.type == NcType::string || var.type == NcType::character ||
      std::holds_alternative<std::string>(*given)) {
    throw std::invalid_argument("netCDF writer: _FillValue of '" + var.name +
                                "' must be a number on a numeric variable");
  }
  const bool integral = std::holds_alternative<std::int64_t>(*given);
  if (var.type != NcType::float64 && !integral) {
    throw std::invalid_argument("netCDF writer: _FillValue of integer variable '" + var.name +
                                "' must be an integer");
  }
  const std::int64_t as_int = integral ? std::get<std::int64_t>(*given) : 0;
  if (var.type == NcType::int32 && (as_int < std::numeric_limits<std::int32_t>::min() ||
                                    as_int > std::numeric_limits<std::int32_t>::max())) {
    throw std::invalid_argument("netCDF writer: _FillValue of int32 variable '" + var.name +
                                "' is out of range");
  }
  fill.given = true;
  fill.f64 = integral ? static_cast<double>(as_int) : std::get<double>(*given);
  fill.i64 = as_int;
  fill.i32 = static_cast<std::int32_t>(as_int);
  return fill;
}

// Dimensions the variable uses that have neither a coordinate variable nor a scale yet.
void NcWriter::Impl::make_missing_scales(const Variable& var,
                                         std::optional<std::size_t> coordinate) {
  for (const std::size_t d : var.dims) {
    if (d != coordinate && !dims[d].coordinate && !dims[d].scale_only.valid()) {
      make_dimension_scale(d);
    }
  }
}

// Chunks along the unlimited dimension (whole records, at least kMinChunkBytes; with
// compression, `records_per_chunk` of them below one leading index), the filters and the fill
// value.
h5::PropertyList NcWriter::Impl::creation_properties(const Variable& var,
                                                     const FillValue& fill) const {
  h5::PropertyList dcpl = dataset_creation_plist(var.name);
  if (var.unlimited_axis) {
    const std::size_t axis = *var.unlimited_axis;
    std::vector<hsize_t> chunk(var.extent.size(), 1);
    std::size_t record_bytes = H5Tget_size(netcdf::file_type(var.type));
    for (std::size_t a = axis + 1; a < var.extent.size(); ++a) {
      chunk[a] = std::max<hsize_t>(var.extent[a], 1);
      record_bytes *= chunk[a];
    }
    // Only a series below a leading dimension (a run's) is compressed: the coordinate of the
    // unlimited dimension and its bounds stay as netCDF-C would write them.
    const bool compressed = compression.deflate_level > 0 && axis > 0;
    const hsize_t fit = std::max<hsize_t>(netcdf::kMaxChunkBytes / record_bytes, 1);
    chunk[axis] = compressed ? std::clamp<hsize_t>(compression.records_per_chunk, 1, fit)
                             : std::max<hsize_t>(netcdf::kMinChunkBytes / record_bytes, 1);
    check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()),
          "set chunks of variable", var.name);
    if (compressed && compression.shuffle) {
      check(H5Pset_shuffle(dcpl.get()), "set the shuffle filter of variable", var.name);
    }
    if (compressed) {
      check(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(compression.deflate_level)),
            "set the zlib filter of variable", var.name);
    }
  }
  if (var.type != NcType::string) {
    check(H5Pset_fill_value(dcpl.get(), netcdf::memory_type(var.type), fill.in(var.type)),
          "set the fill value of variable", var.name);
  }
  return dcpl;
}

void NcWriter::Impl::create_dataset(Variable& var, const h5::PropertyList& dcpl) const {
  h5::Datatype string_type;
  if (var.type == NcType::string) {
    string_type = this->string_type(H5T_VARIABLE, false, var.name);
  }
  const hid_t stored_type =
      var.type == NcType::string ? string_type.get() : netcdf::file_type(var.type);

  std::vector<hsize_t> max_extent = var.extent;
  if (var.unlimited_axis) max_extent[*var.unlimited_axis] = H5S_UNLIMITED;
  h5::Dataspace space(checked_id(var.extent.empty()
                                     ? H5Screate(H5S_SCALAR)
                                     : H5Screate_simple(static_cast<int>(var.extent.size()),
                                                        var.extent.data(), max_extent.data()),
                                 "describe variable", var.name));
  var.dataset =
      h5::Dataset(checked_id(H5Dcreate2(file.get(), var.name.c_str(), stored_type, space.get(),
                                        H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                             "create variable", var.name));
}

// A coordinate variable becomes its dimension's scale; any other variable lists its dimension ids
// in _Netcdf4Coordinates and is attached to their scales.
void NcWriter::Impl::link_dimensions(VarId id, std::optional<std::size_t> coordinate) {
  const Variable& var = vars[id.index];
  const hid_t dataset = var.dataset.get();
  if (coordinate) {
    check(H5DSset_scale(dataset, var.name.c_str()), "make a dimension scale of", var.name);
    write_netcdf_dimid(dataset, dims[*coordinate].id, var.name);
    dims[*coordinate].coordinate = id.index;
  }
  if (!var.dims.empty()) {
    std::vector<std::int32_t> dim_ids;
    for (const std::size_t d : var.dims)
      dim_ids.push_back(dims[d].id);
    const hsize_t rank = dim_ids.size();
    h5::Dataspace ids_space(checked_id(H5Screate_simple(1, &rank, nullptr),
                                       "describe _Netcdf4Coordinates of", var.name));
    h5::Attribute ids(checked_id(H5Acreate2(dataset, "_Netcdf4Coordinates", H5T_STD_I32LE,
                                            ids_space.get(), H5P_DEFAULT, H5P_DEFAULT),
                                 "create _Netcdf4Coordinates of", var.name));
    check(H5Awrite(ids.get(), H5T_NATIVE_INT32, dim_ids.data()), "write _Netcdf4Coordinates of",
          var.name);
  }
  if (!coordinate) {
    for (std::size_t axis = 0; axis < var.dims.size(); ++axis) {
      check(H5DSattach_scale(dataset, scale_of(var.dims[axis]), static_cast<unsigned>(axis)),
            "attach dimension '" + dims[var.dims[axis]].name + "' to variable", var.name);
    }
  }
}

// The attributes in the order given; _FillValue in the variable's own type, as netCDF requires.
void NcWriter::Impl::write_variable_attributes(VarId id, const Attributes& attrs,
                                               const FillValue& fill) {
  const Variable& var = vars[id.index];
  const hid_t dataset = var.dataset.get();
  for (const auto& [attr_name, value] : attrs) {
    if (attr_name != "_FillValue") {
      write_attribute(dataset, var.name, attr_name, value);
      continue;
    }
    const hsize_t one = 1;
    h5::Dataspace one_space(
        checked_id(H5Screate_simple(1, &one, nullptr), "describe _FillValue of", var.name));
    h5::Attribute attr(checked_id(H5Acreate2(dataset, "_FillValue", netcdf::file_type(var.type),
                                             one_space.get(), H5P_DEFAULT, H5P_DEFAULT),
                                  "create _FillValue of", var.name));
    check(H5Awrite(attr.get(), netcdf::memory_type(var.type), fill.in(var.type)),
          "write _FillValue of", var.name);
  }
}

// A coordinate gives one value per entry of its fixed (not unlimited) dimension.
void NcWriter::Impl::check_coordinate_length(const std::string& dim, std::size_t count) const {
  const std::size_t d = find_dimension(dim);
  if (dims[d].unlimited || count != dims[d].length) {
    throw std::invalid_argument("netCDF writer: coordinate '" + dim + "' needs " +
                                std::to_string(dims[d].length) + " values of a fixed dimension");
  }
}

VarId NcWriter::set_text_coordinate(const std::string& dim, const std::vector<std::string>& values,
                                    const Attributes& attrs) {
  live().check_coordinate_length(dim, values.size());
  return write_text_variable(dim, {dim}, values, attrs);
}

VarId NcWriter::write_text_variable(const std::string& name, const std::vector<std::string>& dims,
                                    const std::vector<std::string>& values,
                                    const Attributes& attrs) {
  Impl& w = live();
  std::size_t cells = 1;
  for (const std::string& dim : dims)
    cells *= w.dims[w.find_dimension(dim)].length;
  if (values.size() != cells) {  // checked before anything is defined, so a refusal leaves no trace
    throw std::invalid_argument("netCDF writer: variable '" + name + "' holds " +
                                std::to_string(cells) + " strings, got " +
                                std::to_string(values.size()));
  }
  std::size_t width = 1;  // HDF5 has no empty dimensions for fixed data; "" is one NUL
  for (const std::string& value : values)
    width = std::max(width, value.size());
  const std::string strlen = netcdf::strlen_dimension(name);
  define_dimension(strlen, width);
  std::vector<std::string> all = dims;
  all.push_back(strlen);
  Attributes with_encoding = attrs;
  with_encoding.emplace_back("_Encoding", std::string("utf-8"));
  const VarId id = define_variable(name, NcType::character, all, with_encoding);
  write_variable(id, std::span<const std::string>(values));
  return id;
}

VarId NcWriter::set_string_coordinate(const std::string& dim,
                                      const std::vector<std::string>& values,
                                      const Attributes& attrs) {
  live().check_coordinate_length(dim, values.size());
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

}  // namespace regionsim
