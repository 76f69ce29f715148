#pragma once
// Guards against two libhdf5 1.10 bugs that fuzzing our readers found:
// decoding a global heap collection (where variable-length strings live,
// e.g. our `history` attribute) whose free-space object has size 0 loops
// forever (H5HG__cache_heap_deserialize advances by the object's size), and
// a group's local heap whose name segment does not end in NUL lets a forged
// name offset make H5G__ent_to_link read past the heap (strdup). Before a
// reader touches a group or attribute, every global heap collection and
// local heap in the file (found by their signatures) is checked the way HDF5
// will use it, and one HDF5 could not use safely is refused as a damaged
// file. The scan reads the file once more, in 1 MiB blocks.
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
