// Reading results files back in tests with the plain HDF5 C API, independently of the writer.
#pragma once

#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace regionsim::testing {

inline std::filesystem::path temp_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("regionsim_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Datasets that record how long a run took: the only ones that differ between repeats.
inline bool is_timing(const std::string& name) {
  return name == "wall_seconds";
}

// Raw bytes of every numeric dataset in the file, by name, except timings (root attributes, which
// hold times and the thread count, are left out too).
inline std::map<std::string, std::vector<char>> dataset_bytes(const std::string& path) {
  std::map<std::string, std::vector<char>> out;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0) << path;
  H5Literate(
      file, H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t group, const char* name, const H5L_info_t*, void* data) -> herr_t {
        auto& map = *static_cast<std::map<std::string, std::vector<char>>*>(data);
        if (is_timing(name)) return 0;
        const hid_t ds = H5Dopen2(group, name, H5P_DEFAULT);
        const hid_t type = H5Dget_type(ds);
        const hid_t space = H5Dget_space(ds);
        if (H5Tget_class(type) != H5T_STRING) {
          const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
          std::vector<char> bytes(n * H5Tget_size(type));
          H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
          map[name] = std::move(bytes);
        }
        H5Sclose(space);
        H5Tclose(type);
        H5Dclose(ds);
        return 0;
      },
      &out);
  H5Fclose(file);
  return out;
}

// The names of every dataset at the root of the file, in name order.
inline std::vector<std::string> dataset_names(const std::string& path) {
  std::vector<std::string> names;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0) << path;
  H5Literate(
      file, H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->push_back(name);
        return 0;
      },
      &names);
  H5Fclose(file);
  return names;
}

// The element type class (H5T_INTEGER, H5T_FLOAT, H5T_STRING) and size in bytes of a dataset.
inline std::pair<H5T_class_t, std::size_t> dataset_type(const std::string& path,
                                                        const std::string& name) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t ds = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  EXPECT_GE(ds, 0) << name << " in " << path;
  const hid_t type = H5Dget_type(ds);
  const std::pair<H5T_class_t, std::size_t> result = {H5Tget_class(type), H5Tget_size(type)};
  H5Tclose(type);
  H5Dclose(ds);
  H5Fclose(file);
  return result;
}

// A whole dataset of one element type, row-major, and its shape.
template <typename T>
std::vector<T> read_dataset(const std::string& path, const std::string& name,
                            std::vector<hsize_t>* shape = nullptr) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t ds = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  EXPECT_GE(ds, 0) << name << " in " << path;
  const hid_t space = H5Dget_space(ds);
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  std::vector<T> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  const hid_t memory = std::is_same_v<T, double> ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64;
  H5Dread(ds, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  if (shape != nullptr) *shape = dims;
  H5Sclose(space);
  H5Dclose(ds);
  H5Fclose(file);
  return values;
}

// The strings of a one-dimensional text variable: netCDF `string` (variable length) or a classic
// character array (n, strlen), NUL padding removed.
inline std::vector<std::string> read_strings(const std::string& path, const std::string& name) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t ds = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  EXPECT_GE(ds, 0) << name << " in " << path;
  const hid_t space = H5Dget_space(ds);
  const hid_t stored = H5Dget_type(ds);
  const bool characters = H5Tis_variable_str(stored) <= 0;
  H5Tclose(stored);
  if (characters) {
    hsize_t dims[2] = {0, 0};
    H5Sget_simple_extent_dims(space, dims, nullptr);
    std::vector<char> bytes(static_cast<std::size_t>(dims[0] * dims[1]));
    H5Dread(ds, H5T_C_S1, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
    std::vector<std::string> values;
    for (hsize_t i = 0; i < dims[0]; ++i) {
      std::string value(bytes.data() + i * dims[1], static_cast<std::size_t>(dims[1]));
      values.push_back(value.substr(0, value.find('\0')));
    }
    H5Sclose(space);
    H5Dclose(ds);
    H5Fclose(file);
    return values;
  }
  std::vector<char*> raw(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data());
  std::vector<std::string> values(raw.begin(), raw.end());
  H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw.data());
  H5Tclose(type);
  H5Sclose(space);
  H5Dclose(ds);
  H5Fclose(file);
  return values;
}

// A text attribute of the root group ("/") or of a dataset.
inline std::string read_text_attribute(const std::string& path, const std::string& object,
                                       const std::string& name) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  std::string value;
  const hid_t owner = H5Oopen(file, object.c_str(), H5P_DEFAULT);
  const bool found = H5LTfind_attribute(owner, name.c_str()) > 0;
  H5Oclose(owner);
  if (found) {
    H5T_class_t type_class{};
    size_t size = 0;
    hsize_t dims[1] = {0};
    H5LTget_attribute_info(file, object.c_str(), name.c_str(), dims, &type_class, &size);
    std::vector<char> buffer(size + 1, '\0');
    H5LTget_attribute_string(file, object.c_str(), name.c_str(), buffer.data());
    value = buffer.data();
  } else {
    ADD_FAILURE() << "no attribute " << name << " on " << object << " in " << path;
  }
  H5Fclose(file);
  return value;
}

}  // namespace regionsim::testing
