#pragma once
// A guard against a libhdf5 1.10 hang: decoding a global heap collection
// (where variable-length strings live, e.g. our `history` attribute) whose
// free-space object has size 0 loops forever inside the library
// (H5HG__cache_heap_deserialize advances by the object's size). Before any
// string attribute is read, every global heap collection in the file is
// walked the way HDF5 will walk it, and a collection HDF5 could not get
// through is refused as a damaged file.
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace gprproc::io_detail {

// FileError(file_format) naming `name` and the collection's byte offset when
// a collection in bytes[0, size) would not decode in finite steps (an object
// of size 0, or one running past the collection). `file` is the same bytes
// opened (an in-memory image), for the length size its superblock gives.
void check_global_heaps(const std::uint8_t* bytes, std::size_t size, hid_t file, const std::string& name);

// The same for the file at `path`, read in blocks (not held whole in
// memory); `file` is the open file, for its length size.
void check_global_heaps(const std::string& path, hid_t file);

}  // namespace gprproc::io_detail
