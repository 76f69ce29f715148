#include "io/safe_write.hpp"

#include <filesystem>
#include <sstream>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/io.hpp"
#include "io/hdf5_support.hpp"
#include "io/output_file.hpp"
#include "io/output_set.hpp"
#include "io/output_temporaries.hpp"

namespace gprproc::io_detail {

namespace fs = std::filesystem;

std::string normalize_group_name(const std::string& group) {
  std::string out;
  std::stringstream parts(group);
  std::string part;
  std::size_t index = 0;
  while (std::getline(parts, part, '/')) {
    const bool leading = index++ == 0 && part.empty();
    if (leading) continue;
    if (part.empty() && parts.eof()) break;  // a trailing "/"
    if (part.empty() || part == "." || part == "..")
      throw InvalidArgument("group name " + in_quotes(group) + " is not valid: use names like \"bscan\" or \"survey/line_007\"");
    out += "/" + part;
  }
  if (out.empty()) throw InvalidArgument("group name " + in_quotes(group) + " is empty; name the group, e.g. \"bscan\"");
  return out;
}

namespace {

void copy_attributes(hid_t from, hid_t to, const std::string& where) {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5A_info_t*, void* client) -> herr_t {
    static_cast<std::vector<std::string>*>(client)->emplace_back(name);
    return 0;
  };
  hsize_t index = 0;
  check(H5Aiterate2(from, H5_INDEX_NAME, H5_ITER_INC, &index, collect, &names), ErrorCode::io_failure,
        "listing the attributes of " + where + " failed");
  for (const std::string& name : names) {
    const std::string what = "copying attribute " + in_quotes(name) + " of " + where + " failed";
    Handle attribute = checked(H5Aopen(from, name.c_str(), H5P_DEFAULT), H5Aclose, ErrorCode::io_failure, what);
    Handle type = checked(H5Aget_type(attribute.get()), H5Tclose, ErrorCode::io_failure, what);
    Handle space = checked(H5Aget_space(attribute.get()), H5Sclose, ErrorCode::io_failure, what);
    const hssize_t points = H5Sget_simple_extent_npoints(space.get());
    const std::size_t size = H5Tget_size(type.get());
    if (points < 0 || size == 0) throw_hdf5(ErrorCode::io_failure, what);
    std::vector<unsigned char> buffer(static_cast<std::size_t>(points) * size + 1);
    check(H5Aread(attribute.get(), type.get(), buffer.data()), ErrorCode::io_failure, what);
    const bool variable = H5Tdetect_class(type.get(), H5T_VLEN) > 0 || H5Tis_variable_str(type.get()) > 0;
    const hid_t copy = H5Acreate2(to, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT);
    herr_t written = copy >= 0 ? H5Awrite(copy, type.get(), buffer.data()) : -1;
    if (copy >= 0) H5Aclose(copy);
    if (variable) H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, buffer.data());
    if (written < 0) throw_hdf5(ErrorCode::io_failure, what);
  }
}

// Copies everything under `from` (at `path` in the source) except the object
// `skip`; groups on the way to `skip` are recreated and filled part by part.
void copy_except(hid_t from, hid_t to, const std::string& path, const std::string& skip, const std::string& source) {
  const std::string where = "group " + in_quotes(path) + " of " + in_quotes(source);
  copy_attributes(from, to, where);
  for (const LinkEntry& link : list_links(from, where)) {
    const std::string child = join_path(path, link.name);
    if (child == skip) continue;
    const std::string what = "copying " + in_quotes(child) + " from " + in_quotes(source) + " failed";
    if (link.type == H5L_TYPE_HARD) {
      if (skip.rfind(child + "/", 0) == 0 && object_kind(from, link.name) == ObjectKind::group) {
        Handle source_group = checked(H5Gopen2(from, link.name.c_str(), H5P_DEFAULT), H5Gclose, ErrorCode::io_failure, what);
        Handle target_group = checked(H5Gcreate2(to, link.name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                                      H5Gclose, ErrorCode::io_failure, what);
        copy_except(source_group.get(), target_group.get(), child, skip, source);
      } else {
        check(H5Ocopy(from, link.name.c_str(), to, link.name.c_str(), H5P_DEFAULT, H5P_DEFAULT), ErrorCode::io_failure,
              what);
      }
      continue;
    }
    H5L_info_t info;
    check(H5Lget_info(from, link.name.c_str(), &info, H5P_DEFAULT), ErrorCode::io_failure, what);
    std::vector<char> value(info.u.val_size + 1, '\0');
    check(H5Lget_val(from, link.name.c_str(), value.data(), value.size(), H5P_DEFAULT), ErrorCode::io_failure, what);
    if (link.type == H5L_TYPE_SOFT) {
      check(H5Lcreate_soft(value.data(), to, link.name.c_str(), H5P_DEFAULT, H5P_DEFAULT), ErrorCode::io_failure, what);
    } else if (link.type == H5L_TYPE_EXTERNAL) {
      unsigned flags = 0;
      const char* file = nullptr;
      const char* object = nullptr;
      check(H5Lunpack_elink_val(value.data(), info.u.val_size, &flags, &file, &object), ErrorCode::io_failure, what);
      check(H5Lcreate_external(file, object, to, link.name.c_str(), H5P_DEFAULT, H5P_DEFAULT), ErrorCode::io_failure,
            what);
    } else {
      throw FileError(ErrorCode::not_implemented, what + ": a user-defined link type this library cannot copy");
    }
  }
}

}  // namespace

void write_group_safely(const std::string& path_in, const std::string& group_in, bool overwrite_group,
                        const std::function<void(hid_t file, const std::string& group)>& write_group) {
  const std::string group = normalize_group_name(group_in);
  // An existing HDF5 target is read and rewritten with the group added, so
  // "replacing" it is allowed here; the shared checks refuse a protected
  // input, a folder, FIFO or device, a broken link and a missing folder.
  const OutputRules rules{true, ""};
  const std::string first = checked_output_target(path_in, rules);
  // Held from reading the target to the rename, so a concurrent writer adding
  // its own group is never lost: the second one reads the first one's file.
  FolderLock lock(folder_of(first));
  complete_pending_publish(first);
  const fs::path path(checked_output_target(path_in, rules));
  std::error_code ec;
  const bool target_exists = fs::exists(path, ec);
  if (target_exists && !is_hdf5_file(path.string())) {
    throw FileError(ErrorCode::file_format, "refusing to write into " + in_quotes(path_in) +
                                                ": it exists and is not an HDF5 file; choose another name or remove it");
  }

  Handle source;
  if (target_exists) {
    source = open_file_for_reading(path.string());
    const ObjectKind existing = object_kind(source.get(), group);
    if (existing != ObjectKind::none && !overwrite_group) {
      throw InvalidArgument("group " + in_quotes(group) + " already exists in " + in_quotes(path_in) +
                            "; choose another group name or allow replacing it (WriteOptions::overwrite_group)");
    }
    // A part of the group path that is a dataset cannot hold the new group.
    std::string partial;
    std::stringstream parts(group.substr(1));
    std::string part;
    while (std::getline(parts, part, '/')) {
      partial += "/" + part;
      if (partial != group && object_kind(source.get(), partial) == ObjectKind::dataset)
        throw InvalidArgument("cannot write group " + in_quotes(group) + " into " + in_quotes(path_in) + ": " +
                              in_quotes(partial) + " is a dataset");
    }
  }

  // The new file is assembled in memory (HDF5's core driver, no backing
  // store) and written to disk by us: HDF5 1.10 cannot recover from a failed
  // write to disk (its file stays half-closed and crashes at exit), while a
  // failed write(2) of ours is an ordinary, clean error.
  Handle memory_file;
  {
    Handle access = checked(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, ErrorCode::io_failure, "HDF5 file access properties");
    check(H5Pset_fapl_core(access.get(), std::size_t{16} << 20, 0), ErrorCode::io_failure, "HDF5 in-memory file driver");
    check(H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG), ErrorCode::io_failure, "HDF5 file access properties");
    // Only a name: the core driver without backing store never opens it.
    const std::string memory_name = temporary_name_for(path.string());
    memory_file = checked(H5Fcreate(memory_name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()),
                          H5Fclose, ErrorCode::io_failure, "creating the new contents of " + in_quotes(path_in) + " failed");
  }
  if (source.valid()) {
    Handle source_root = checked(H5Gopen2(source.get(), "/", H5P_DEFAULT), H5Gclose, ErrorCode::io_failure,
                                 "opening " + in_quotes(path_in));
    Handle target_root = checked(H5Gopen2(memory_file.get(), "/", H5P_DEFAULT), H5Gclose, ErrorCode::io_failure,
                                 "opening the new file");
    copy_except(source_root.get(), target_root.get(), "/", group, path_in);
    source_root.reset();
    source.close(ErrorCode::io_failure, "closing " + in_quotes(path_in) + " failed");
  }
  write_group(memory_file.get(), group);
  std::vector<char> image;
  {
    const std::string what = "assembling the new contents of " + in_quotes(path_in) + " failed";
    check(H5Fflush(memory_file.get(), H5F_SCOPE_GLOBAL), ErrorCode::io_failure, what);
    const ssize_t size = H5Fget_file_image(memory_file.get(), nullptr, 0);
    if (size <= 0) throw_hdf5(ErrorCode::io_failure, what);
    image.resize(static_cast<std::size_t>(size));
    if (H5Fget_file_image(memory_file.get(), image.data(), image.size()) != size) throw_hdf5(ErrorCode::io_failure, what);
    memory_file.close(ErrorCode::io_failure, what);  // frees HDF5's copy before the disk write
  }

  remove_stale_temporaries(folder_of(path.string()), path.filename().string());
  StagedFile file(path.string());
  file.write(image.data(), image.size());
  image = std::vector<char>();
  file.finish(target_exists ? existing_mode(path.string()) : -1);
  file.publish();
}

}  // namespace gprproc::io_detail
