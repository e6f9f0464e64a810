// A thin writer of netCDF-4 files on the HDF5 C API, so results open in xarray and ncdump with
// named dimensions without the netCDF-C library in the build.
//
// Design decisions
// - The HDF5 layout copies what netCDF-C 4.9 itself writes (checked against `ncgen -k nc4`):
//   link and attribute creation order tracked and indexed; each dimension is an HDF5 dimension
//   scale carrying `_Netcdf4Dimid`; a dimension without a coordinate variable is a float scale
//   whose NAME is netCDF-C's "This is a netCDF dimension but not a netCDF variable.%10d"; every
//   variable carries `_Netcdf4Coordinates` and has its axes attached to those scales; text
//   attributes are scalar fixed-length strings (netCDF NC_CHAR), string variables variable-length
//   UTF-8 (netCDF `string`); netCDF's default fill values are the datasets' fill values; object
//   times are not recorded, so identical writes give identical bytes.
// - A variable named like its only dimension is that dimension's coordinate variable (the netCDF
//   rule), so the time coordinate is an ordinary variable written record by record. Coordinates
//   must be defined before any variable uses their dimension: the dimension-only scale made then
//   would otherwise have to be replaced and every attachment redone.
// - A record (one step of the unlimited dimension, below fixed leading indices) is one contiguous
//   row-major block; chunks hold whole records, one per chunk unless records are under 4 KiB, so
//   writing a record never reads a chunk back from disk.
// - Compression (set_compression, before the variables are defined) applies to record variables
//   below a fixed leading dimension (a run's time series): shuffle then zlib, netCDF-C's own
//   filters, in chunks of one leading index × `records_per_chunk` records (at most 1 MiB);
//   write_records fills whole chunks in one call, so each chunk is compressed once, when it is
//   complete.
// - Text comes in two layouts. NcType::string is netCDF-4's variable-length `string`;
//   NcType::character is the classic NC_CHAR array with a trailing length dimension
//   `<name>_strlen`, flagged `_Encoding = "utf-8"` (xarray decodes it to str). Tools that predate
//   `string` handle the classic layout (NCO 5.1.4's ncwa crashes averaging a dimension that a
//   `string` variable uses); a character coordinate of a dimension is a two-dimensional
//   dimension scale, as netCDF-C writes `char zone(zone, zone_strlen)`.
// - HDF5 failures throw NcError naming the file, the object and HDF5's own reason; misuse of the
//   API (unknown dimension, wrong size or type) throws std::invalid_argument or std::logic_error.
// - Storage::memory keeps the whole file in memory (HDF5's core driver, no backing store) and
//   writes it to disk only through publish(): a complete, closed image under a temporary name,
//   then renamed over `path`. The file at `path` is therefore always whole and
//   consistent, whenever the process is killed, and readers never see it half-written (the
//   recorder's way to flush a running file, docs/output.md "Partial files").
// - Not thread-safe; HDF5 serial is not either.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace regionsim {

// A failure reported by HDF5 while writing a netCDF file.
class NcError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Text is written as netCDF NC_CHAR, numbers as one-element NC_DOUBLE / NC_INT64 attributes.
using AttrValue = std::variant<std::string, double, std::int64_t>;
using Attributes = std::vector<std::pair<std::string, AttrValue>>;

enum class NcType { float64, int64, int32, string, character };
// "float64", "int64", "int32", "string", "char"
std::string_view nc_type_name(NcType type);

// How record variables below a fixed leading dimension are stored (see the design decisions).
struct Compression {
  int deflate_level = 0;               // zlib level 1-9; 0 = uncompressed
  bool shuffle = true;                 // byte shuffle before zlib (helps slowly varying numbers)
  std::size_t records_per_chunk = 12;  // records per chunk (at most 1 MiB of them)
};

// A variable of one NcWriter, numbered in definition order.
struct VarId {
  std::uint32_t index = 0;
};

class NcWriter {
 public:
  // Creates `path`, which must not exist yet (the caller writes under a temporary name and renames
  // the file once the run is complete). Throws NcError with the path and HDF5's reason.
  enum class Storage { disk, memory };
  explicit NcWriter(const std::string& path, Storage storage = Storage::disk);
  ~NcWriter();  // closes whatever is open, ignoring errors; call close() to have them reported
  NcWriter(NcWriter&&) noexcept;
  NcWriter& operator=(NcWriter&&) noexcept;
  NcWriter(const NcWriter&) = delete;
  NcWriter& operator=(const NcWriter&) = delete;

  // At most one dimension is unlimited; its length (`length` is ignored) grows as records are
  // written.
  void define_dimension(const std::string& name, std::size_t length, bool unlimited = false);

  // Defines a variable with dimensions listed outer to inner. `name == dims[0]` with one dimension
  // makes it that dimension's coordinate variable. A "_FillValue" attribute, if given, is written
  // in the variable's own type and becomes the dataset's fill value (not allowed on strings).
  VarId define_variable(const std::string& name, NcType type, const std::vector<std::string>& dims,
                        const Attributes& attrs = {});

  // Coordinate variables defined and written in one call; `values` must cover a fixed dimension
  // and are the first records of the unlimited one (numeric only).
  VarId set_string_coordinate(const std::string& dim, const std::vector<std::string>& values,
                              const Attributes& attrs = {});
  // The same as classic character arrays (NcType::character): defines `<dim>_strlen` as long as
  // the longest value in bytes (at least 1) and a coordinate `dim(dim, <dim>_strlen)`.
  VarId set_text_coordinate(const std::string& dim, const std::vector<std::string>& values,
                            const Attributes& attrs = {});
  // A character variable over `dims` (not the unlimited one) plus `<name>_strlen`, defined and
  // written in one call, one value per cell of `dims`, row-major.
  VarId write_text_variable(const std::string& name, const std::vector<std::string>& dims,
                            const std::vector<std::string>& values, const Attributes& attrs = {});

  // Storage of the record variables defined after this call (see the design decisions).
  void set_compression(const Compression& compression);
  VarId set_numeric_coordinate(const std::string& dim, const std::vector<double>& values,
                               const Attributes& attrs = {});
  VarId set_numeric_coordinate(const std::string& dim, const std::vector<std::int64_t>& values,
                               const Attributes& attrs = {});

  // Writes the whole of a variable without the unlimited dimension, row-major.
  void write_variable(VarId var, std::span<const double> data);
  void write_variable(VarId var, std::span<const std::int64_t> data);
  void write_variable(VarId var, std::span<const std::int32_t> data);
  void write_variable(VarId var, std::span<const std::string> data);

  // Writes one record of a variable with the unlimited dimension: `fixed_prefix` indexes the fixed
  // dimensions before the unlimited one (e.g. {run} for (run, time, zone, sector)), `index` the
  // unlimited one, and `data` covers all dimensions after it, row-major. Grows the variable (and
  // the unlimited dimension) as needed; the data type must be the variable's.
  void write_record(VarId var, std::span<const std::size_t> fixed_prefix, std::size_t index,
                    std::span<const double> data);
  void write_record(VarId var, std::span<const std::size_t> fixed_prefix, std::size_t index,
                    std::span<const std::int64_t> data);
  void write_record(VarId var, std::span<const std::size_t> fixed_prefix, std::size_t index,
                    std::span<const std::int32_t> data);
  // `count` consecutive records from `first` in one call (`data` holds them one after another):
  // the way to fill whole compressed chunks at once.
  void write_records(VarId var, std::span<const std::size_t> fixed_prefix, std::size_t first,
                     std::size_t count, std::span<const double> data);
  void write_records(VarId var, std::span<const std::size_t> fixed_prefix, std::size_t first,
                     std::size_t count, std::span<const std::int64_t> data);

  // Sets one value of the unlimited dimension's float64 coordinate variable (the time axis).
  void write_unlimited_coordinate(std::size_t index, double value);

  // Creates or replaces an attribute.
  void set_root_attribute(const std::string& name, const AttrValue& value);
  void set_variable_attribute(VarId var, const std::string& name, const AttrValue& value);

  void flush();
  // Storage::memory only: writes the file as it is now to `path` (see the design decisions),
  // replacing an earlier publish; the first one refuses an existing file. Throws NcError with the
  // system's reason (e.g. no space left on device), leaving no temporary file behind.
  void publish();
  // Closes every object and the file, throwing NcError if HDF5 reports a failure. Any further call
  // other than destruction throws std::logic_error.
  void close();

 private:
  struct Impl;
  Impl& live();  // the open state; throws std::logic_error once closed or moved from
  std::unique_ptr<Impl> impl_;
};

}  // namespace regionsim
