// Writes netCDF-4 files with NcWriter and reads them back with the plain HDF5 C API, checking the
// layout netCDF readers rely on. tests/python/test_nc_writer.py opens the file of
// WritesNetcdf4Layout with xarray and ncdump: set REGIONSIM_NC_SAMPLE to choose where it goes.
#include "nc_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "hdf5_handle.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

// The sample file; test_nc_writer.py expects exactly these values.
constexpr std::size_t kSteps = 4;
const std::vector<std::string> kZones = {"Haidian", "Zhōngguāncūn", "Yizhuang"};
const std::vector<std::string> kSectors = {"ict", "biotech"};
constexpr std::array<double, kSteps> kDays = {0, 31, 59, 90};  // the first of Jan..Apr 2021
constexpr std::int64_t kSeed = 42;

double gdp_value(std::size_t t, std::size_t z, std::size_t s) {
  return 100.0 * static_cast<double>(t) + 10.0 * static_cast<double>(z) + static_cast<double>(s) +
         0.25;
}
std::int64_t firms_value(std::size_t t, std::size_t z) {
  return static_cast<std::int64_t>(1000 * t + z);
}

// Stands in for the resolved scenario TOML: several KB, multi-line, not only ASCII.
std::string scenario_text() {
  std::string text = "# resolved scenario\n[run]\nname = \"baseline — 基准\"\n";
  for (int i = 0; i < 300; ++i) {
    text += "param_" + std::to_string(i) + " = " + std::to_string(i * 7) + "\n";
  }
  return text;
}

// A fresh path in the temp directory, unique to this process.
fs::path scratch_path(const std::string& name) {
  const fs::path path =
      fs::temp_directory_path() / ("regionsim_" + name + "_" + std::to_string(::getpid()) + ".nc");
  fs::remove(path);
  return path;
}

void write_sample(const std::string& path) {
  NcWriter nc(path);
  nc.define_dimension("run", 1);
  nc.define_dimension("time", 0, /*unlimited=*/true);
  nc.define_dimension("zone", kZones.size());
  nc.define_dimension("sector", kSectors.size());
  nc.define_variable("time", NcType::float64, {"time"},
                     {{"units", std::string("days since 2021-01-01")},
                      {"calendar", std::string("proleptic_gregorian")},
                      {"standard_name", std::string("time")},
                      {"long_name", std::string("first day of the month simulated")}});
  nc.set_string_coordinate("zone", kZones, {{"long_name", std::string("zone")}});
  nc.set_string_coordinate("sector", kSectors, {{"long_name", std::string("sector")}});
  const VarId seed =
      nc.define_variable("seed", NcType::int64, {"run"}, {{"long_name", std::string("seed")}});
  const VarId scenario = nc.define_variable("scenario", NcType::string, {"run"},
                                            {{"long_name", std::string("scenario name")}});
  const VarId gdp = nc.define_variable("gdp", NcType::float64, {"run", "time", "zone", "sector"},
                                       {{"units", std::string("mCNY")},
                                        {"long_name", std::string("value added per month")},
                                        {"coordinates", std::string("seed scenario")}});
  const VarId firms = nc.define_variable("firms", NcType::int64, {"run", "time", "zone"},
                                         {{"units", std::string("1")},
                                          {"long_name", std::string("firms located")},
                                          {"coordinates", std::string("seed scenario")}});
  nc.write_variable(seed, std::span<const std::int64_t>(&kSeed, 1));
  const std::vector<std::string> scenario_names = {"baseline"};
  nc.write_variable(scenario, std::span<const std::string>(scenario_names));

  const std::array<std::size_t, 1> run = {0};
  for (std::size_t t = 0; t < kSteps; ++t) {
    std::vector<double> gdp_record;
    std::vector<std::int64_t> firms_record;
    for (std::size_t z = 0; z < kZones.size(); ++z) {
      firms_record.push_back(firms_value(t, z));
      for (std::size_t s = 0; s < kSectors.size(); ++s)
        gdp_record.push_back(gdp_value(t, z, s));
    }
    nc.write_unlimited_coordinate(t, kDays[t]);
    nc.write_record(gdp, run, t, std::span<const double>(gdp_record));
    nc.write_record(firms, run, t, std::span<const std::int64_t>(firms_record));
    nc.flush();
  }
  nc.set_root_attribute("title", std::string("regionsim nc_writer sample"));
  nc.set_root_attribute("scenario_toml", scenario_text());
  nc.set_root_attribute("steps", std::int64_t{4});
  nc.set_root_attribute("scale", 0.5);
  nc.set_root_attribute("empty", std::string());
  nc.close();
}

// --- Reading back with the HDF5 C API -------------------------------------------------------

h5::File open_file(const std::string& path) {
  h5::File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  EXPECT_TRUE(file.valid()) << path;
  return file;
}

h5::Dataset open_dataset(const h5::File& file, const std::string& name) {
  h5::Dataset dataset(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT));
  EXPECT_TRUE(dataset.valid()) << name;
  return dataset;
}

std::vector<hsize_t> extent(hid_t dataset, std::vector<hsize_t>* max = nullptr) {
  h5::Dataspace space(H5Dget_space(dataset));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  std::vector<hsize_t> max_dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), max_dims.data());
  if (max != nullptr) *max = max_dims;
  return dims;
}

std::vector<hsize_t> chunks(hid_t dataset) {
  h5::PropertyList dcpl(H5Dget_create_plist(dataset));
  std::vector<hsize_t> dims(8);
  const int rank = H5Pget_chunk(dcpl.get(), static_cast<int>(dims.size()), dims.data());
  dims.resize(rank > 0 ? static_cast<std::size_t>(rank) : 0);
  return dims;
}

// Text attributes must be scalar fixed-length strings (netCDF NC_CHAR).
std::string text_attribute(hid_t object, const std::string& name) {
  h5::Attribute attr(H5Aopen(object, name.c_str(), H5P_DEFAULT));
  EXPECT_TRUE(attr.valid()) << name;
  h5::Datatype type(H5Aget_type(attr.get()));
  EXPECT_EQ(H5Tget_class(type.get()), H5T_STRING) << name;
  EXPECT_EQ(H5Tis_variable_str(type.get()), 0) << name;
  h5::Dataspace space(H5Aget_space(attr.get()));
  EXPECT_EQ(H5Sget_simple_extent_type(space.get()), H5S_SCALAR) << name;
  std::string value(H5Tget_size(type.get()), '\0');
  EXPECT_GE(H5Aread(attr.get(), type.get(), value.data()), 0) << name;
  value.resize(value.find('\0') == std::string::npos ? value.size() : value.find('\0'));
  return value;
}

template <class T>
std::vector<T> numeric_attribute(hid_t object, const std::string& name, hid_t memory_type) {
  h5::Attribute attr(H5Aopen(object, name.c_str(), H5P_DEFAULT));
  EXPECT_TRUE(attr.valid()) << name;
  h5::Dataspace space(H5Aget_space(attr.get()));
  std::vector<T> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  EXPECT_GE(H5Aread(attr.get(), memory_type, values.data()), 0) << name;
  return values;
}

template <class T>
std::vector<T> read_all(hid_t dataset, hid_t memory_type) {
  h5::Dataspace space(H5Dget_space(dataset));
  std::vector<T> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  EXPECT_GE(H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
  return values;
}

std::vector<std::string> read_strings(hid_t dataset) {
  h5::Datatype stored(H5Dget_type(dataset));
  EXPECT_EQ(H5Tis_variable_str(stored.get()), 1);
  EXPECT_EQ(H5Tget_cset(stored.get()), H5T_CSET_UTF8);
  h5::Datatype type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  h5::Dataspace space(H5Dget_space(dataset));
  std::vector<char*> raw(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  EXPECT_GE(H5Dread(dataset, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), 0);
  std::vector<std::string> values(raw.begin(), raw.end());
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, raw.data());
  return values;
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(NcWriter, WritesNetcdf4Layout) {
  const char* requested = std::getenv("REGIONSIM_NC_SAMPLE");
  const fs::path path = requested != nullptr ? fs::path(requested) : scratch_path("sample");
  write_sample(path.string());

  const h5::File file = open_file(path.string());
  ASSERT_TRUE(file.valid());
  {
    // The root group's plist, not H5Fget_create_plist's, reports the root group's settings.
    const h5::Handle<H5Gclose> root(H5Gopen2(file.get(), "/", H5P_DEFAULT));
    h5::PropertyList gcpl(H5Gget_create_plist(root.get()));
    unsigned link_order = 0;
    unsigned attr_order = 0;
    ASSERT_GE(H5Pget_link_creation_order(gcpl.get(), &link_order), 0);
    ASSERT_GE(H5Pget_attr_creation_order(gcpl.get(), &attr_order), 0);
    EXPECT_EQ(link_order, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    EXPECT_EQ(attr_order, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  }
  EXPECT_EQ(text_attribute(file.get(), "title"), "regionsim nc_writer sample");
  EXPECT_EQ(text_attribute(file.get(), "scenario_toml"), scenario_text());
  EXPECT_EQ(text_attribute(file.get(), "empty"), "");
  EXPECT_EQ(text_attribute(file.get(), "_NCProperties").rfind("version=2,", 0), 0u);
  EXPECT_EQ(numeric_attribute<std::int64_t>(file.get(), "steps", H5T_NATIVE_INT64),
            std::vector<std::int64_t>{4});
  EXPECT_EQ(numeric_attribute<double>(file.get(), "scale", H5T_NATIVE_DOUBLE),
            std::vector<double>{0.5});

  // Dimensions: every one is a scale numbered by _Netcdf4Dimid in definition order.
  const std::array<std::string, 4> dim_names = {"run", "time", "zone", "sector"};
  std::vector<h5::Dataset> scales;
  for (std::size_t d = 0; d < dim_names.size(); ++d) {
    scales.push_back(open_dataset(file, dim_names[d]));
    EXPECT_GT(H5DSis_scale(scales.back().get()), 0) << dim_names[d];
    EXPECT_EQ(
        numeric_attribute<std::int32_t>(scales.back().get(), "_Netcdf4Dimid", H5T_NATIVE_INT32),
        std::vector<std::int32_t>{static_cast<std::int32_t>(d)})
        << dim_names[d];
  }
  // `run` has no coordinate variable: netCDF-C's marker name, then the length as %10d.
  EXPECT_EQ(text_attribute(scales[0].get(), "NAME"),
            "This is a netCDF dimension but not a netCDF variable.         1");
  EXPECT_EQ(extent(scales[0].get()), std::vector<hsize_t>{1});
  EXPECT_EQ(text_attribute(scales[2].get(), "NAME"), "zone");

  std::vector<hsize_t> max;
  EXPECT_EQ(extent(scales[1].get(), &max), std::vector<hsize_t>{kSteps});
  EXPECT_EQ(max, std::vector<hsize_t>{H5S_UNLIMITED});
  EXPECT_EQ(read_all<double>(scales[1].get(), H5T_NATIVE_DOUBLE),
            std::vector<double>(kDays.begin(), kDays.end()));
  EXPECT_EQ(text_attribute(scales[1].get(), "units"), "days since 2021-01-01");
  EXPECT_EQ(text_attribute(scales[1].get(), "calendar"), "proleptic_gregorian");
  EXPECT_EQ(text_attribute(scales[1].get(), "standard_name"), "time");
  EXPECT_EQ(read_strings(scales[2].get()), kZones);
  EXPECT_EQ(read_strings(scales[3].get()), kSectors);

  const h5::Dataset seed = open_dataset(file, "seed");
  EXPECT_EQ(read_all<std::int64_t>(seed.get(), H5T_NATIVE_INT64), std::vector<std::int64_t>{kSeed});
  EXPECT_GT(H5DSis_attached(seed.get(), scales[0].get(), 0), 0);
  const h5::Dataset scenario = open_dataset(file, "scenario");
  EXPECT_EQ(read_strings(scenario.get()), std::vector<std::string>{"baseline"});

  const h5::Dataset gdp = open_dataset(file, "gdp");
  EXPECT_EQ(extent(gdp.get(), &max), (std::vector<hsize_t>{1, kSteps, 3, 2}));
  EXPECT_EQ(max, (std::vector<hsize_t>{1, H5S_UNLIMITED, 3, 2}));
  EXPECT_EQ(chunks(gdp.get()), (std::vector<hsize_t>{1, 85, 3, 2}));  // 85 records ~ 4 KiB
  std::vector<double> expected_gdp;
  for (std::size_t t = 0; t < kSteps; ++t) {
    for (std::size_t z = 0; z < kZones.size(); ++z) {
      for (std::size_t s = 0; s < kSectors.size(); ++s)
        expected_gdp.push_back(gdp_value(t, z, s));
    }
  }
  EXPECT_EQ(read_all<double>(gdp.get(), H5T_NATIVE_DOUBLE), expected_gdp);
  EXPECT_EQ(text_attribute(gdp.get(), "units"), "mCNY");
  EXPECT_EQ(text_attribute(gdp.get(), "long_name"), "value added per month");
  EXPECT_EQ(numeric_attribute<std::int32_t>(gdp.get(), "_Netcdf4Coordinates", H5T_NATIVE_INT32),
            (std::vector<std::int32_t>{0, 1, 2, 3}));
  for (unsigned axis = 0; axis < 4; ++axis) {
    for (unsigned d = 0; d < 4; ++d) {
      EXPECT_EQ(H5DSis_attached(gdp.get(), scales[d].get(), axis), d == axis ? 1 : 0)
          << "gdp axis " << axis << ", scale " << dim_names[d];
    }
  }
  {
    h5::PropertyList dcpl(H5Dget_create_plist(gdp.get()));
    unsigned attr_order = 0;
    ASSERT_GE(H5Pget_attr_creation_order(dcpl.get(), &attr_order), 0);
    EXPECT_EQ(attr_order, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  }

  const h5::Dataset firms = open_dataset(file, "firms");
  EXPECT_EQ(extent(firms.get(), &max), (std::vector<hsize_t>{1, kSteps, 3}));
  EXPECT_EQ(max, (std::vector<hsize_t>{1, H5S_UNLIMITED, 3}));
  std::vector<std::int64_t> expected_firms;
  for (std::size_t t = 0; t < kSteps; ++t) {
    for (std::size_t z = 0; z < kZones.size(); ++z)
      expected_firms.push_back(firms_value(t, z));
  }
  EXPECT_EQ(read_all<std::int64_t>(firms.get(), H5T_NATIVE_INT64), expected_firms);
  for (unsigned axis = 0; axis < 3; ++axis) {
    EXPECT_EQ(H5DSis_attached(firms.get(), scales[axis].get(), axis), 1) << "firms axis " << axis;
  }

  if (requested == nullptr) fs::remove(path);
}

TEST(NcWriter, IdenticalWritesGiveIdenticalBytes) {
  const fs::path first = scratch_path("bytes_a");
  const fs::path second = scratch_path("bytes_b");
  write_sample(first.string());
  write_sample(second.string());
  EXPECT_EQ(file_bytes(first), file_bytes(second));
  fs::remove(first);
  fs::remove(second);
}

TEST(NcWriter, RefusesAnExistingFileAndLeavesItAlone) {
  const fs::path path = scratch_path("existing");
  {
    std::ofstream out(path, std::ios::binary);
    out << "results of an earlier run";
  }
  try {
    NcWriter nc(path.string());
    FAIL() << "created over an existing file";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
  }
  EXPECT_EQ(file_bytes(path), "results of an earlier run");
  fs::remove(path);
}

TEST(NcWriter, ReportsHdf5FailuresWithThePath) {
  const std::string path = "/nonexistent-regionsim-dir/out.nc";
  try {
    NcWriter nc(path);
    FAIL() << "created a file in a missing directory";
  } catch (const NcError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
  }
}

TEST(NcWriter, RejectsMisuse) {
  const fs::path path = scratch_path("misuse");
  NcWriter nc(path.string());
  nc.define_dimension("time", 0, true);
  nc.define_dimension("zone", 2);
  EXPECT_THROW(nc.define_dimension("step", 0, true), std::invalid_argument);  // second unlimited
  EXPECT_THROW(nc.define_dimension("zone", 3), std::invalid_argument);
  EXPECT_THROW(nc.define_variable("x", NcType::float64, {"nope"}), std::invalid_argument);
  EXPECT_THROW(nc.define_variable("a/b", NcType::float64, {"zone"}), std::invalid_argument);
  EXPECT_THROW(nc.define_variable("x", NcType::float64, {"zone"}, {{"CLASS", std::string("x")}}),
               std::invalid_argument);
  EXPECT_THROW(nc.define_variable("names", NcType::string, {"time"}), std::invalid_argument);
  EXPECT_THROW(nc.set_string_coordinate("zone", {"only one"}), std::invalid_argument);
  EXPECT_THROW(nc.write_unlimited_coordinate(0, 1.0), std::logic_error);  // no time coordinate

  const VarId v = nc.define_variable("v", NcType::float64, {"time", "zone"});
  const std::vector<double> two = {1, 2};
  const std::vector<double> three = {1, 2, 3};
  const std::vector<std::int64_t> ints = {1, 2};
  const std::array<std::size_t, 1> prefix = {0};
  EXPECT_THROW(nc.write_record(v, {}, 0, std::span<const double>(three)), std::invalid_argument);
  EXPECT_THROW(nc.write_record(v, {}, 0, std::span<const std::int64_t>(ints)),
               std::invalid_argument);
  EXPECT_THROW(nc.write_record(v, prefix, 0, std::span<const double>(two)), std::invalid_argument);
  EXPECT_THROW(nc.write_variable(v, std::span<const double>(two)), std::invalid_argument);
  EXPECT_THROW(nc.write_record(VarId{7}, {}, 0, std::span<const double>(two)),
               std::invalid_argument);
  // `zone` now has a dimension-only scale, so a coordinate for it comes too late.
  EXPECT_THROW(nc.set_numeric_coordinate("zone", std::vector<double>{1, 2}), std::logic_error);
  EXPECT_THROW(nc.define_variable("w", NcType::int32, {"zone"}, {{"_FillValue", 0.5}}),
               std::invalid_argument);

  nc.write_record(v, {}, 2, std::span<const double>(two));
  nc.close();
  EXPECT_THROW(nc.flush(), std::logic_error);
  EXPECT_THROW(nc.write_record(v, {}, 3, std::span<const double>(two)), std::logic_error);

  // The records skipped read as netCDF's default fill value.
  const h5::File file = open_file(path.string());
  const h5::Dataset dataset = open_dataset(file, "v");
  const std::vector<double> values = read_all<double>(dataset.get(), H5T_NATIVE_DOUBLE);
  ASSERT_EQ(values.size(), 6u);
  EXPECT_EQ(values[0], 9.9692099683868690e+36);
  EXPECT_EQ(values[4], 1.0);
  fs::remove(path);
}

TEST(NcWriter, UnlimitedDimensionWithoutCoordinateGrowsWithRecords) {
  const fs::path path = scratch_path("unlimited_scale");
  {
    NcWriter nc(path.string());
    nc.define_dimension("step", 0, true);
    const VarId n =
        nc.define_variable("n", NcType::int32, {"step"}, {{"_FillValue", std::int64_t{-1}}});
    const std::int32_t value = 5;
    nc.write_record(n, {}, 6, std::span<const std::int32_t>(&value, 1));
    nc.close();
  }
  const h5::File file = open_file(path.string());
  const h5::Dataset scale = open_dataset(file, "step");
  EXPECT_EQ(extent(scale.get()), std::vector<hsize_t>{7});
  const h5::Dataset n = open_dataset(file, "n");
  EXPECT_EQ(read_all<std::int32_t>(n.get(), H5T_NATIVE_INT32),
            (std::vector<std::int32_t>{-1, -1, -1, -1, -1, -1, 5}));
  EXPECT_EQ(numeric_attribute<std::int32_t>(n.get(), "_FillValue", H5T_NATIVE_INT32),
            std::vector<std::int32_t>{-1});
  fs::remove(path);
}

TEST(NcWriter, LargeAttributesAndReplacement) {
  const fs::path path = scratch_path("attributes");
  std::string big;
  for (int i = 0; big.size() < 200'000; ++i)
    big += "line " + std::to_string(i) + "\n";
  {
    NcWriter nc(path.string());
    nc.define_dimension("zone", 1);
    const VarId v =
        nc.define_variable("v", NcType::float64, {"zone"}, {{"units", std::string("m")}});
    nc.set_root_attribute("big", big);
    nc.set_root_attribute("status", std::string("running"));
    nc.set_root_attribute("status", std::string("complete"));
    nc.set_variable_attribute(v, "units", std::string("km"));
    nc.close();
  }
  const h5::File file = open_file(path.string());
  EXPECT_EQ(text_attribute(file.get(), "big"), big);
  EXPECT_EQ(text_attribute(file.get(), "status"), "complete");
  const h5::Dataset v = open_dataset(file, "v");
  EXPECT_EQ(text_attribute(v.get(), "units"), "km");
  fs::remove(path);
}

// Classic character arrays, as netCDF-C writes `char zone(zone, zone_strlen)`: a 2-D dataset of
// one-byte strings that is the dimension's scale, NUL-padded UTF-8 bytes, `_Encoding = "utf-8"`.
TEST(NcWriter, TextAsCharacterArrays) {
  const fs::path path = scratch_path("characters");
  const std::vector<std::string> runs = {"baseline", "joint-promotion"};
  {
    NcWriter nc(path.string());
    nc.define_dimension("zone", kZones.size());
    nc.define_dimension("run", runs.size());
    nc.set_text_coordinate("zone", kZones);
    nc.write_text_variable("scenario", {"run"}, runs, {{"long_name", std::string("name")}});
    EXPECT_THROW(nc.write_text_variable("bad", {"run"}, {"only one"}), std::invalid_argument);
    nc.close();
  }
  const h5::File file = open_file(path.string());
  const h5::Dataset zone = open_dataset(file, "zone");
  const std::size_t width = std::string("Zhōngguāncūn").size();  // bytes, not characters
  EXPECT_EQ(extent(zone.get()), (std::vector<hsize_t>{kZones.size(), width}));
  h5::Datatype type(H5Dget_type(zone.get()));
  EXPECT_EQ(H5Tget_class(type.get()), H5T_STRING);
  EXPECT_EQ(H5Tget_size(type.get()), 1u);
  EXPECT_EQ(H5Tis_variable_str(type.get()), 0);
  EXPECT_EQ(text_attribute(zone.get(), "NAME"), "zone");  // the scale of dimension zone
  EXPECT_EQ(text_attribute(zone.get(), "_Encoding"), "utf-8");
  const auto bytes = read_all<char>(zone.get(), H5T_C_S1);
  EXPECT_EQ(std::string(bytes.data() + width, width).c_str(), kZones[1]);
  EXPECT_EQ(std::string(bytes.data(), width).c_str(), kZones[0]);  // NUL-padded
  const h5::Dataset scenario = open_dataset(file, "scenario");
  EXPECT_EQ(extent(scenario.get()), (std::vector<hsize_t>{2, runs[1].size()}));
  const h5::Dataset strlen = open_dataset(file, "scenario_strlen");
  EXPECT_EQ(extent(strlen.get()), std::vector<hsize_t>{runs[1].size()});
  fs::remove(path);
}

// Compressed record variables: shuffle then zlib, chunks of one leading index x N records, written
// several records at a time; the coordinate of the unlimited dimension stays uncompressed.
TEST(NcWriter, CompressesRecordVariablesInWholeChunks) {
  const fs::path path = scratch_path("compressed");
  constexpr std::size_t kMonths = 30;
  std::vector<double> series(kMonths * kZones.size());
  for (std::size_t i = 0; i < series.size(); ++i)
    series[i] = 1.5 * static_cast<double>(i % 7);
  {
    NcWriter nc(path.string());
    nc.define_dimension("run", 2);
    nc.define_dimension("time", 0, true);
    nc.define_dimension("zone", kZones.size());
    const VarId time = nc.define_variable("time", NcType::float64, {"time"});
    nc.set_compression({4, true, 12});
    const VarId x = nc.define_variable("x", NcType::float64, {"run", "time", "zone"});
    for (std::size_t t = 0; t < kMonths; ++t)
      nc.write_unlimited_coordinate(t, static_cast<double>(t));
    const std::size_t run[] = {1};
    nc.write_records(x, run, 0, kMonths, std::span<const double>(series));
    EXPECT_THROW(nc.write_records(x, run, 0, 2, std::span<const double>(series)),
                 std::invalid_argument);  // 2 records need 2 x 3 values
    EXPECT_THROW(nc.set_compression({10, true, 12}), std::invalid_argument);
    static_cast<void>(time);
    nc.close();
  }
  const h5::File file = open_file(path.string());
  const h5::Dataset x = open_dataset(file, "x");
  EXPECT_EQ(chunks(x.get()), (std::vector<hsize_t>{1, 12, kZones.size()}));
  h5::PropertyList dcpl(H5Dget_create_plist(x.get()));
  ASSERT_EQ(H5Pget_nfilters(dcpl.get()), 2);
  unsigned flags = 0;
  std::size_t count = 1;
  unsigned level = 0;
  EXPECT_EQ(H5Pget_filter2(dcpl.get(), 0, &flags, &count, &level, 0, nullptr, nullptr),
            H5Z_FILTER_SHUFFLE);
  count = 1;
  EXPECT_EQ(H5Pget_filter2(dcpl.get(), 1, &flags, &count, &level, 0, nullptr, nullptr),
            H5Z_FILTER_DEFLATE);
  EXPECT_EQ(level, 4u);
  const auto values = read_all<double>(x.get(), H5T_NATIVE_DOUBLE);
  ASSERT_EQ(values.size(), 2 * series.size());
  EXPECT_TRUE(std::equal(series.begin(), series.end(), values.begin() + series.size()));
  const h5::Dataset time = open_dataset(file, "time");
  h5::PropertyList time_plist(H5Dget_create_plist(time.get()));
  EXPECT_EQ(H5Pget_nfilters(time_plist.get()), 0);
  fs::remove(path);
}

}  // namespace
}  // namespace regionsim
