// The inside of NcWriter, shared by its three source files: nc_writer.cpp (the public calls:
// opening, writing, attributes, closing), nc_writer_variables.cpp (defining dimensions and
// variables, step by step) and nc_writer_impl.cpp (the HDF5 objects underneath: attributes,
// dimension scales, records, closing). The layout rules are in nc_writer.hpp's design decisions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hdf5_handle.hpp"
#include "nc_writer.hpp"

namespace regionsim {
namespace netcdf {

// netCDF-C's default fill values (netcdf.h): unwritten cells read as "missing" in netCDF tools.
inline constexpr double kFillFloat64 = 9.9692099683868690e+36;
inline constexpr std::int64_t kFillInt64 = -9223372036854775806LL;
inline constexpr std::int32_t kFillInt32 = -2147483647;

// netCDF-C marks a dimension scale that is not a variable by this NAME, then the length as %10d.
inline constexpr char kDimensionOnlyName[] =
    "This is a netCDF dimension but not a netCDF variable.";

// Records smaller than this share a chunk along the unlimited dimension: one tiny chunk per record
// would cost more in chunk index than in data.
inline constexpr std::size_t kMinChunkBytes = 4096;
// A compressed chunk holds at most this much, whatever records_per_chunk asks: HDF5's default
// chunk cache is 1 MiB per dataset.
inline constexpr std::size_t kMaxChunkBytes = 1 << 20;

inline constexpr unsigned kCreationOrder = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;

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

// The length dimension of a character variable: "<name>_strlen".
std::string strlen_dimension(const std::string& name);

// Little-endian on disk whatever the host, as netCDF-C writes on the machines we run on.
hid_t file_type(NcType type);
hid_t memory_type(NcType type);

// Names HDF5 and netCDF accept; attribute names netCDF-4 reserves for its own layout are refused.
void check_name(std::string_view what, const std::string& name);
void check_attribute_name(const std::string& name);

// A variable's fill value in each numeric type; `given` when the caller set _FillValue.
struct FillValue {
  bool given = false;
  double f64 = kFillFloat64;
  std::int64_t i64 = kFillInt64;
  std::int32_t i32 = kFillInt32;
  char text = '\0';                   // NC_FILL_CHAR
  const void* in(NcType type) const;  // the value of the variable's type, for HDF5
};

// HDF5 1.10's H5Fget_file_image clears the superblock's status flags in the image of a file open
// for writing without updating the superblock's checksum, so no reader would open it: this
// recomputes that checksum (superblock versions 2 and 3; others are left as they are).
void seal_superblock(std::span<unsigned char> image);
// Writes `image` to `path` through a temporary and a rename (nc_writer_image.cpp); when
// `first`, an existing `path` is refused. Throws NcError with the system's reason.
void publish_image(const std::string& path, std::span<const unsigned char> image, bool first);

}  // namespace netcdf

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
  Compression compression;
  bool in_memory = false;  // Storage::memory
  bool published = false;  // publish() has put a file at `path`

  // --- Failures (nc_writer_impl.cpp) ---
  // "cannot <action> '<object>' in <path>: <HDF5's reason>"; without an object the action is
  // about the file itself: "cannot <action> <path>: ...".
  std::string failure(std::string_view action, std::string_view object) const;
  [[noreturn]] void fail(std::string_view action, std::string_view object) const;
  hid_t checked_id(hid_t id, std::string_view action, std::string_view object) const {
    if (id < 0) fail(action, object);
    return id;
  }
  void check(herr_t status, std::string_view action, std::string_view object) const {
    if (status < 0) fail(action, object);
  }

  // --- Looking things up ---
  std::size_t find_dimension(const std::string& name) const;
  // Throws std::invalid_argument unless `dim` is fixed and `count` is its length.
  void check_coordinate_length(const std::string& dim, std::size_t count) const;
  bool has_variable(const std::string& name) const;
  Variable& variable(VarId id);
  hid_t scale_of(std::size_t d) const {
    return dims[d].coordinate ? vars[*dims[d].coordinate].dataset.get() : dims[d].scale_only.get();
  }

  // --- HDF5 objects (nc_writer_impl.cpp) ---
  h5::Datatype string_type(std::size_t size, bool ascii, std::string_view object) const;
  void write_netcdf_dimid(hid_t dataset, std::int32_t id, std::string_view object) const;
  // Writes one attribute the way netCDF-C does: text as a scalar fixed-length string (NC_CHAR),
  // flagged UTF-8 when it is not plain ASCII so readers decode it right; numbers as 1-element
  // arrays. An existing attribute of that name is replaced.
  void write_attribute(hid_t owner, std::string_view owner_name, const std::string& name,
                       const AttrValue& value) const;
  h5::PropertyList dataset_creation_plist(std::string_view object) const;
  // A dimension without a coordinate variable still needs a scale for variables to attach to;
  // netCDF-C makes it a float dataset that is never written, so it takes no space.
  void make_dimension_scale(std::size_t d);
  // The unlimited dimension is as long as its longest variable; a scale-only dataset follows it
  // so netCDF-C and h5netcdf read the same length.
  void grow_unlimited(hsize_t length);
  template <class T>
  void write_records(VarId id, std::span<const std::size_t> prefix, std::size_t first,
                     std::size_t count, std::span<const T> data);
  // The variable `id`, after checking that `size` values of `type` fill all of it.
  Variable& whole_variable(VarId id, NcType type, std::size_t size);
  template <class T>
  void write_variable(VarId id, std::span<const T> data);
  // Strings of a character variable, each padded with NULs to the length dimension.
  void write_text(VarId id, std::span<const std::string> data);
  // Closes every object, the file last, and returns the first failure's message (empty if none).
  std::string close_all();

  // --- Defining a variable, in the order define_variable takes the steps
  //     (nc_writer_variables.cpp) ---
  Variable shape_variable(const std::string& name, NcType type,
                          const std::vector<std::string>& dim_names) const;
  std::optional<std::size_t> coordinate_of(const Variable& var) const;
  netcdf::FillValue fill_value(const Variable& var, const Attributes& attrs) const;
  void make_missing_scales(const Variable& var, std::optional<std::size_t> coordinate);
  h5::PropertyList creation_properties(const Variable& var, const netcdf::FillValue& fill) const;
  void create_dataset(Variable& var, const h5::PropertyList& dcpl) const;
  void link_dimensions(VarId id, std::optional<std::size_t> coordinate);
  void write_variable_attributes(VarId id, const Attributes& attrs, const netcdf::FillValue& fill);
};

}  // namespace regionsim
