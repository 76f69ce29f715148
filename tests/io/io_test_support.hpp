#pragma once
// Helpers of the I/O tests: a scratch folder, independent reads with the raw
// HDF5 C API (so values are checked against the file, not against our reader),
// and a small writer for hand-made (good and bad) HDF5 files.
#include <hdf5.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace gprproc_test {

namespace fs = std::filesystem;

// A fresh folder under the system temp folder, removed with its contents.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::random_device device;
    path_ = fs::temp_directory_path() / ("gprproc_io_test_" + std::to_string(device()) + std::to_string(device()));
    fs::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }
  // Names in the folder (temporary files would show up here).
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(path_)) out.push_back(entry.path().filename().string());
    return out;
  }

 private:
  fs::path path_;
};

inline std::vector<char> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::string& path, const std::vector<char>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A float32 dataset read with the plain C API: values and shape.
struct RawArray {
  std::vector<float> values;
  std::vector<hsize_t> dims;
};

inline RawArray raw_read_float(const std::string& path, const std::string& dataset) {
  RawArray out;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  const hid_t data = H5Dopen2(file, dataset.c_str(), H5P_DEFAULT);
  REQUIRE(data >= 0);
  const hid_t space = H5Dget_space(data);
  out.dims.resize(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
  H5Sget_simple_extent_dims(space, out.dims.data(), nullptr);
  out.values.resize(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  REQUIRE(H5Dread(data, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.values.data()) >= 0);
  H5Sclose(space);
  H5Dclose(data);
  H5Fclose(file);
  return out;
}

// Builds small HDF5 files with exactly the types a test needs.
class RawFile {
 public:
  explicit RawFile(const std::string& path) {
    file_ = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(file_ >= 0);
  }
  ~RawFile() { H5Fclose(file_); }
  RawFile(const RawFile&) = delete;
  RawFile& operator=(const RawFile&) = delete;
  hid_t id() const { return file_; }

  void group(const std::string& name) {
    const hid_t links = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(links, 1);
    const hid_t g = H5Gcreate2(file_, name.c_str(), links, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(g >= 0);
    H5Gclose(g);
    H5Pclose(links);
  }
  template <class T>
  void dataset(const std::string& name, const std::vector<hsize_t>& dims, const std::vector<T>& values, hid_t file_type,
               hid_t memory_type) {
    const hid_t links = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(links, 1);
    const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    const hid_t data = H5Dcreate2(file_, name.c_str(), file_type, space, links, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(data >= 0);
    if (!values.empty()) REQUIRE(H5Dwrite(data, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
    H5Dclose(data);
    H5Sclose(space);
    H5Pclose(links);
  }
  void floats(const std::string& name, const std::vector<hsize_t>& dims, const std::vector<float>& values) {
    dataset(name, dims, values, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT);
  }
  void number(const std::string& object, const std::string& name, double value) {
    numbers(object, name, {value}, true);
  }
  void numbers(const std::string& object, const std::string& name, const std::vector<double>& values,
               bool scalar = false) {
    const hid_t o = H5Oopen(file_, object.c_str(), H5P_DEFAULT);
    REQUIRE(o >= 0);
    const hsize_t n = values.size();
    const hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr);
    const hid_t a = H5Acreate2(o, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(a >= 0);
    H5Awrite(a, H5T_NATIVE_DOUBLE, values.data());
    H5Aclose(a);
    H5Sclose(space);
    H5Oclose(o);
  }
  void integers(const std::string& object, const std::string& name, const std::vector<long long>& values) {
    const hid_t o = H5Oopen(file_, object.c_str(), H5P_DEFAULT);
    const hsize_t n = values.size();
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t a = H5Acreate2(o, name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, H5T_NATIVE_LLONG, values.data());
    H5Aclose(a);
    H5Sclose(space);
    H5Oclose(o);
  }
  // A string attribute, fixed-length (null-padded, as numpy 'S' writes) or variable-length.
  void text(const std::string& object, const std::string& name, const std::string& value, bool variable) {
    const hid_t o = H5Oopen(file_, object.c_str(), H5P_DEFAULT);
    const hid_t type = H5Tcopy(H5T_C_S1);
    const hid_t space = H5Screate(H5S_SCALAR);
    if (variable) {
      H5Tset_size(type, H5T_VARIABLE);
      const hid_t a = H5Acreate2(o, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
      const char* p = value.c_str();
      H5Awrite(a, type, &p);
      H5Aclose(a);
    } else {
      H5Tset_size(type, value.size() + 3);
      H5Tset_strpad(type, H5T_STR_NULLPAD);
      std::vector<char> buffer(value.size() + 3, '\0');
      std::copy(value.begin(), value.end(), buffer.begin());
      const hid_t a = H5Acreate2(o, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
      H5Awrite(a, type, buffer.data());
      H5Aclose(a);
    }
    H5Sclose(space);
    H5Tclose(type);
    H5Oclose(o);
  }

 private:
  hid_t file_ = -1;
};

}  // namespace gprproc_test
