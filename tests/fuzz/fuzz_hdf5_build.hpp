#pragma once
// Structure-aware input for the HDF5 harnesses: the fuzz bytes choose the
// contents of a valid HDF5 file (shapes, types in either byte order, chunked,
// compressed, compact or contiguous storage, data written fully, partly or
// not at all, attribute values and types, history text), which is built in
// memory with the HDF5 library (core driver, no files) and then read by our
// readers. This fuzzes what our readers decide about a file, not libhdf5's
// decoder of damaged metadata (fuzz_*_image.cpp do that, by hand).
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace gprproc_fuzz {

class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t u8() { return at_ < size_ ? data_[at_++] : 0; }
  unsigned u16() { return u8() | (static_cast<unsigned>(u8()) << 8); }
  bool flag() { return (u8() & 1) != 0; }
  double f64() {
    std::uint64_t bits = 0;
    for (int k = 0; k < 8; ++k) bits |= static_cast<std::uint64_t>(u8()) << (8 * k);
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  // A "reasonable" number most of the time, any double otherwise.
  double number() {
    const std::uint8_t kind = u8() % 4;
    if (kind == 0) return f64();
    const double scale[] = {1e-10, 0.01, 1e8};
    return (static_cast<double>(u16()) - 1000.0) * scale[kind - 1];
  }
  std::string text(std::size_t max) {
    const std::size_t n = std::min<std::size_t>(u16() % (max + 1), size_ - std::min(at_, size_));
    std::string s(reinterpret_cast<const char*>(data_ + std::min(at_, size_)), n);
    at_ += n;
    return s;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

// An empty HDF5 file in memory; negative when HDF5 refuses.
inline hid_t create_memory_file() {
  const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_fapl_core(fapl, 1 << 16, /*backing_store=*/0);
  const hid_t file = H5Fcreate("fuzz_build.h5", H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose(fapl);
  return file;
}

inline void number_attribute(hid_t object, const char* name, Bytes& in) {
  const std::uint8_t kind = in.u8() % 6;
  if (kind == 0) return;  // absent
  if (kind == 5) {        // a string where a number belongs
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, 8);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0) {
      const char text[8] = "0.01";
      H5Awrite(a, type, text);
      H5Aclose(a);
    }
    H5Sclose(space);
    H5Tclose(type);
    return;
  }
  const hsize_t count = kind == 4 ? in.u8() % 5 : 1;
  std::vector<double> values(std::max<hsize_t>(count, 1));
  for (double& v : values) v = in.number();
  const hid_t file_type = kind == 1 ? H5T_IEEE_F64LE : kind == 2 ? H5T_IEEE_F32BE : H5T_STD_I32BE;
  const hid_t space = kind == 4 ? H5Screate_simple(1, &count, nullptr) : H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(object, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (a >= 0) {
    if (count > 0) H5Awrite(a, H5T_NATIVE_DOUBLE, values.data());
    H5Aclose(a);
  }
  H5Sclose(space);
}

inline void string_attribute(hid_t object, const char* name, const std::string& value, bool variable) {
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, variable ? H5T_VARIABLE : std::max<std::size_t>(value.size(), 1));
  H5Tset_cset(type, H5T_CSET_UTF8);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (a >= 0) {
    if (variable) {
      const char* p = value.c_str();
      H5Awrite(a, type, &p);
    } else {
      std::vector<char> buffer(std::max<std::size_t>(value.size(), 1), '\0');
      std::copy(value.begin(), value.end(), buffer.begin());
      H5Awrite(a, type, buffer.data());
    }
    H5Aclose(a);
  }
  H5Sclose(space);
  H5Tclose(type);
}

// A dataset of a shape, type, storage and fill the bytes choose. `integers`
// prefers integer types (marks).
inline void dataset(hid_t loc, const char* name, Bytes& in, bool integers = false) {
  const int rank = 1 + in.u8() % 3;
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  hsize_t count = 1;
  for (hsize_t& d : dims) {
    d = in.u8() % 33;
    count *= d;
  }
  const bool huge = in.u8() % 8 == 0;  // a shape far beyond what is written
  if (huge) dims[0] = dims[0] * 4096 + 1;
  const std::uint8_t type_choice = in.u8() % 9;
  hid_t type = -1;
  bool own_type = false;
  if (integers) {
    const hid_t choices[] = {H5T_STD_U64LE, H5T_STD_I64BE, H5T_STD_U32BE, H5T_STD_I16LE, H5T_IEEE_F64LE};
    type = choices[type_choice % 5];
  } else if (type_choice < 4) {
    const hid_t choices[] = {H5T_IEEE_F32LE, H5T_IEEE_F32BE, H5T_IEEE_F64LE, H5T_IEEE_F64BE};
    type = choices[type_choice];
  } else if (type_choice == 4) {
    type = H5T_STD_I16LE;
  } else if (type_choice == 5) {
    type = H5Tcreate(H5T_COMPOUND, 8);  // complex64
    H5Tinsert(type, "r", 0, H5T_IEEE_F32LE);
    H5Tinsert(type, "i", 4, H5T_IEEE_F32LE);
    own_type = true;
  } else if (type_choice == 6) {
    type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, 4);
    own_type = true;
  } else {
    type = type_choice == 7 ? H5T_IEEE_F32LE : H5T_IEEE_F64BE;
  }
  const hid_t space = H5Screate_simple(rank, dims.data(), nullptr);
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  const std::uint8_t layout = in.u8() % 4;
  if (layout >= 1 && layout <= 2) {
    std::vector<hsize_t> chunk(dims.size());
    // At most 4 chunks per dimension (64 in all), each at least 1.
    for (std::size_t k = 0; k < chunk.size(); ++k)
      chunk[k] = std::max<hsize_t>((dims[k] + 3) / 4, 1) + in.u8() % std::max<hsize_t>(dims[k], 1);
    H5Pset_chunk(dcpl, rank, chunk.data());
    if (layout == 2)
      for (int pass = 0, n = 1 + in.u8() % 3; pass < n; ++pass) H5Pset_deflate(dcpl, in.u8() % 10);
  } else if (layout == 3 && !huge) {
    H5Pset_layout(dcpl, H5D_COMPACT);
  }
  const hid_t data = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  if (data >= 0) {
    const std::uint8_t fill = in.u8() % 4;  // 0: none, 1: a first part, else all
    if (fill != 0 && !huge && count > 0 && type_choice != 5 && type_choice != 6) {
      std::vector<double> values(count);
      for (double& v : values) v = in.number();
      if (fill == 1 && rank >= 1 && dims[0] > 1) {
        std::vector<hsize_t> start(dims.size(), 0), part(dims);
        part[0] = dims[0] / 2;
        const hid_t memory = H5Screate_simple(rank, part.data(), nullptr);
        H5Sselect_hyperslab(space, H5S_SELECT_SET, start.data(), nullptr, part.data(), nullptr);
        H5Dwrite(data, H5T_NATIVE_DOUBLE, memory, space, H5P_DEFAULT, values.data());
        H5Sclose(memory);
      } else {
        H5Dwrite(data, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
      }
    }
    H5Dclose(data);
  }
  H5Pclose(dcpl);
  H5Sclose(space);
  if (own_type) H5Tclose(type);
}

// History-like text: the input's bytes, or brackets nested as deep as it says.
inline std::string history_text(Bytes& in) {
  const std::uint8_t kind = in.u8() % 4;
  if (kind == 0) return "[]";
  if (kind == 1) {
    const std::size_t depth = in.u16() % 400;
    return "[{\"operation\": \"x\", \"parameters\": {\"a\": " + std::string(depth, '[') + std::string(depth, ']') + "}}]";
  }
  if (kind == 2) return "[{\"operation\": \"" + in.text(40) + "\", \"parameters\": {\"k\": " + in.text(40) + "}}]";
  return in.text(2000);
}

// The bytes of the open file (for the heap checks); empty when HDF5 refuses.
inline std::vector<std::uint8_t> file_image(hid_t file) {
  H5Fflush(file, H5F_SCOPE_GLOBAL);
  const ssize_t size = H5Fget_file_image(file, nullptr, 0);
  std::vector<std::uint8_t> image(size > 0 ? static_cast<std::size_t>(size) : 0);
  if (size > 0 && H5Fget_file_image(file, image.data(), image.size()) != size) image.clear();
  return image;
}

}  // namespace gprproc_fuzz
