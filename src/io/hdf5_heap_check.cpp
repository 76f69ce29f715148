// Heaps checked before libhdf5 1.10 decodes them (the format: HDF5 File
// Format Specification, "Global Heap" and "Local Heap"). Global heap collections: "GCOL", version 1, three
// reserved bytes, the collection size, then objects of a 2-byte index, a
// 2-byte reference count, 4 reserved bytes, a size and the data padded to 8
// bytes; index 0 is the free space, whose size is the rest of the collection.
#include "io/hdf5_heap_check.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <vector>

#include "gprproc/error.hpp"
#include "io/hdf5_support.hpp"

namespace gprproc::io_detail {

namespace {

constexpr std::uint8_t kCollection[4] = {'G', 'C', 'O', 'L'};
constexpr std::uint8_t kLocalHeap[4] = {'H', 'E', 'A', 'P'};

struct Sizes {
  std::size_t length = 8;   // "size of lengths" (superblock)
  std::size_t address = 8;  // "size of offsets"
  std::uint64_t base = 0;   // user block: addresses count from here
};

std::uint64_t little(const std::uint8_t* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t k = 0; k < n; ++k) v |= static_cast<std::uint64_t>(p[k]) << (8 * k);
  return v;
}

// Reads [offset, offset + n) of a source into out; false past its end.
class Source {
 public:
  virtual ~Source() = default;
  virtual std::size_t size() const = 0;
  virtual bool read(std::uint64_t offset, std::size_t n, std::uint8_t* out) = 0;
};

class MemorySource : public Source {
 public:
  MemorySource(const std::uint8_t* bytes, std::size_t size) : bytes_(bytes), size_(size) {}
  std::size_t size() const override { return size_; }
  bool read(std::uint64_t offset, std::size_t n, std::uint8_t* out) override {
    if (offset > size_ || n > size_ - offset) return false;
    std::memcpy(out, bytes_ + offset, n);
    return true;
  }

 private:
  const std::uint8_t* bytes_;
  std::size_t size_;
};

class FileSource : public Source {
 public:
  explicit FileSource(const std::string& path) : in_(path, std::ios::binary) {
    in_.seekg(0, std::ios::end);
    const std::streamoff end = in_ ? static_cast<std::streamoff>(in_.tellg()) : 0;
    size_ = end > 0 ? static_cast<std::size_t>(end) : 0;
  }
  std::size_t size() const override { return size_; }
  bool read(std::uint64_t offset, std::size_t n, std::uint8_t* out) override {
    if (offset > size_ || n > size_ - offset) return false;
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n));
    return static_cast<std::size_t>(in_.gcount()) == n;
  }

 private:
  std::ifstream in_;
  std::size_t size_ = 0;
};

// Walks the collection at `at` as HDF5 would; "" when it decodes, else why not.
std::string walk_collection(Source& source, std::uint64_t at, std::size_t sizeof_size) {
  const std::size_t header = 8 + sizeof_size;
  std::uint8_t head[8 + 8];
  if (!source.read(at, header, head) || head[4] != 1) return "";  // not a collection HDF5 would take
  const std::uint64_t length = little(head + 8, sizeof_size);
  // HDF5 reads the whole collection first: one past the file fails there, no hang.
  if (length < header || length > source.size() - at) return "";
  const std::uint64_t end = at + length;
  const std::size_t object_header = 8 + sizeof_size;
  std::uint64_t p = at + header;
  std::uint8_t object[8 + 8];
  while (p < end) {
    if (p + object_header > end) break;  // too small for an object: free space
    if (!source.read(p, object_header, object)) return "";
    const unsigned index = static_cast<unsigned>(little(object, 2));
    const std::uint64_t size = little(object + 8, sizeof_size);
    std::uint64_t need = 0;
    if (index > 0) {
      if (size > end - p) return "object " + std::to_string(index) + " runs past the collection";
      need = object_header + ((size + 7) / 8) * 8;
    } else {
      need = size;
    }
    if (need == 0) return "its free-space object has size 0";
    if (need > end - p) return "object " + std::to_string(index) + " runs past the collection";
    p += need;
  }
  return "";
}

// A local heap (group names): "HEAP", version 0, 3 reserved bytes, the data
// segment's size, the free list's offset and the data segment's address.
// HDF5 1.10 copies a link name with strdup from its offset to the first NUL,
// so a data segment that does not end in NUL lets a forged name offset read
// past it (every valid heap ends in NUL: names are NUL-padded, and a free
// block ends in the high bytes of its size).
std::string check_local_heap(Source& source, std::uint64_t at, const Sizes& sizes) {
  std::uint8_t head[8 + 8 + 8 + 8];
  const std::size_t n = 8 + 2 * sizes.length + sizes.address;
  if (!source.read(at, n, head) || head[4] != 0 || head[5] != 0 || head[6] != 0 || head[7] != 0) return "";
  const std::uint64_t size = little(head + 8, sizes.length);
  const std::uint64_t address = little(head + 8 + 2 * sizes.length, sizes.address);
  if (size == 0) return "";
  if (address > source.size() || sizes.base > source.size() - address) return "";  // HDF5 fails to read it: no overrun
  const std::uint64_t data = sizes.base + address;
  if (size > source.size() - data) return "";
  std::uint8_t last = 0;
  if (!source.read(data + size - 1, 1, &last)) return "";
  return last == 0 ? "" : "its name segment does not end in NUL";
}

// The first place in [p, last) holding the 4-byte signature, or last: memchr
// (vectorised in every C library) finds its first byte.
const std::uint8_t* find_signature(const std::uint8_t* p, const std::uint8_t* last, const std::uint8_t (&signature)[4]) {
  while (last - p >= 4) {
    const void* hit = std::memchr(p, signature[0], static_cast<std::size_t>(last - p - 3));
    if (hit == nullptr) return last;
    p = static_cast<const std::uint8_t*>(hit);
    if (std::memcmp(p, signature, 4) == 0) return p;
    ++p;
  }
  return last;
}

void check_source(Source& source, const Sizes& sizes, const std::string& name) {
  const std::size_t sizeof_size = sizes.length;
  if (sizeof_size == 0 || sizeof_size > 8 || sizes.address == 0 || sizes.address > 8) return;  // HDF5 refuses these
  constexpr std::size_t block = std::size_t{1} << 20;
  std::vector<std::uint8_t> buffer(block + 3);
  std::size_t carried = 0;  // bytes kept from the previous block (a signature may straddle)
  for (std::uint64_t offset = 0; offset < source.size();) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(block, source.size() - offset));
    if (!source.read(offset, n, buffer.data() + carried)) return;
    const std::size_t have = carried + n;
    const std::uint64_t base = offset - carried;
    const std::uint8_t* const last = buffer.data() + have;
    for (const std::uint8_t* p = buffer.data(); have >= 4 && p + 4 <= last;) {
      p = find_signature(p, last, kCollection);
      if (p == last) break;
      const std::uint64_t at = base + static_cast<std::uint64_t>(p - buffer.data());
      const std::string problem = walk_collection(source, at, sizeof_size);
      if (!problem.empty()) {
        throw FileError(ErrorCode::file_format, in_quotes(name) + ": the global heap collection at byte " +
                                                    std::to_string(at) + " is damaged (" + problem +
                                                    "); HDF5 would not finish reading it");
      }
      ++p;
    }
    for (const std::uint8_t* p = buffer.data(); have >= 4 && p + 4 <= last;) {
      p = find_signature(p, last, kLocalHeap);
      if (p == last) break;
      const std::uint64_t at = base + static_cast<std::uint64_t>(p - buffer.data());
      const std::string problem = check_local_heap(source, at, sizes);
      if (!problem.empty()) {
        throw FileError(ErrorCode::file_format, in_quotes(name) + ": the local heap at byte " + std::to_string(at) +
                                                    " is damaged (" + problem + "); HDF5 would read past it");
      }
      ++p;
    }
    carried = std::min<std::size_t>(3, have);
    std::memmove(buffer.data(), buffer.data() + have - carried, carried);
    offset += n;
  }
}

// The superblock's sizes and the user block, 8 / 8 / 0 where they cannot be read.
Sizes file_sizes(hid_t file) {
  Sizes sizes;
  Handle fcpl(H5Fget_create_plist(file), H5Pclose);
  if (fcpl.valid()) {
    std::size_t address = 0, length = 0;
    hsize_t user_block = 0;
    if (H5Pget_sizes(fcpl.get(), &address, &length) >= 0) {
      sizes.address = address;
      sizes.length = length;
    }
    if (H5Pget_userblock(fcpl.get(), &user_block) >= 0) sizes.base = user_block;
  }
  H5Eclear2(H5E_DEFAULT);
  return sizes;
}

}  // namespace

void check_global_heaps(const std::uint8_t* bytes, std::size_t size, hid_t file, const std::string& name) {
  MemorySource source(bytes, size);
  check_source(source, file_sizes(file), name);
}

void check_global_heaps(const std::string& path, hid_t file) {
  FileSource source(path);
  check_source(source, file_sizes(file), path);
}

}  // namespace gprproc::io_detail
