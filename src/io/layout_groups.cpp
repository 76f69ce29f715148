#include "io/layout_groups.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>

#include "gprproc/error.hpp"
#include "io/hdf5_heap_check.hpp"
#include "io/hdf5_support.hpp"
#include "io/safe_write.hpp"

namespace gprproc {

bool is_hdf5_file(const std::string& path) {
  // The signature sits at byte 0, or after a user block at 512, 1024, 2048 ...
  static const char signature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  // Only regular files are opened: a FIFO would block the open forever.
  std::error_code ec;
  if (path.find('\0') != std::string::npos || !std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 8) return false;
  for (std::streamoff offset = 0; offset + 8 <= size; offset = offset == 0 ? 512 : offset * 2) {
    char header[8] = {};
    in.seekg(offset);
    if (!in.read(header, 8)) return false;
    if (std::equal(header, header + 8, signature)) return true;
  }
  return false;
}

std::vector<GroupInfo> list_groups(const std::string& path) {
  io_detail::QuietHdf5Errors quiet;
  io_detail::Handle file = io_detail::open_file_for_reading(path);
  io_detail::check_global_heaps(path, file.get());
  std::vector<GroupInfo> groups = io_detail::find_gprmax_outputs(file.get(), path);
  const std::vector<GroupInfo> ours = io_detail::find_layout_groups(file.get(), path);
  groups.insert(groups.end(), ours.begin(), ours.end());
  return groups;
}

namespace io_detail {

namespace {
constexpr int max_depth = 16;  // guards against hard-link cycles

void shape_of(hid_t group, GroupInfo& info, const std::string& where) {
  if (object_kind(group, "data") != ObjectKind::dataset) return;
  Handle data(H5Dopen2(group, "data", H5P_DEFAULT), H5Dclose);
  if (!data.valid()) return;
  try {
    const auto dims = dataset_dims(data.get(), where);
    if (dims.size() == 2) {
      info.rows = static_cast<std::size_t>(dims[0]);
      info.columns = static_cast<std::size_t>(dims[1]);
    } else if (dims.size() == 3) {  // cubes and 3-D images: rows and columns of each line
      info.lines = static_cast<std::size_t>(dims[0]);
      info.rows = static_cast<std::size_t>(dims[1]);
      info.columns = static_cast<std::size_t>(dims[2]);
    }
  } catch (const Error&) {
    // Listing is best effort: a bad dataset is reported when it is read.
  }
}

constexpr std::size_t max_groups = 100000;

// Each group is visited once (by its address), so hard links back up the tree
// or many links to one group cannot make the walk exponential.
struct Walk {
  std::set<std::string> visited;  // object addresses (tokens from HDF5 1.12 on)
  std::vector<GroupInfo> out;
};

// The object's identity in the file as bytes; false when HDF5 cannot say.
bool object_identity(hid_t object, std::string& key) {
#if H5_VERSION_GE(1, 12, 0)
  H5O_info2_t info{};
  if (H5Oget_info3(object, &info, H5O_INFO_BASIC) < 0) return false;
  key.assign(reinterpret_cast<const char*>(&info.token), sizeof info.token);
#else
  H5O_info_t info{};
  if (H5Oget_info2(object, &info, H5O_INFO_BASIC) < 0) return false;
  key.assign(reinterpret_cast<const char*>(&info.addr), sizeof info.addr);
#endif
  return true;
}

void walk(hid_t file, const std::string& group_path, const std::string& path, int depth, Walk& state) {
  if (depth > max_depth) return;
  Handle group(H5Gopen2(file, group_path.c_str(), H5P_DEFAULT), H5Gclose);
  if (!group.valid()) {
    H5Eclear2(H5E_DEFAULT);
    return;
  }
  std::string identity;
  if (!object_identity(group.get(), identity)) {
    H5Eclear2(H5E_DEFAULT);
    return;
  }
  if (!state.visited.insert(identity).second) return;
  if (state.visited.size() > max_groups) {
    throw FileError(ErrorCode::file_format, in_quotes(path) + " holds more than " + std::to_string(max_groups) +
                                                " groups; name the group to read");
  }
  std::vector<GroupInfo>& out = state.out;
  const std::string where = "group " + in_quotes(group_path) + " of " + in_quotes(path);
  if (group_path != "/") {
    std::optional<std::string> kind;
    try {
      kind = read_string_attribute(group.get(), "gprproc_kind", where);
    } catch (const Error&) {
    }
    if (kind && (*kind == "bscan" || *kind == "depth_image" || *kind == "cube" || *kind == "depth_image_3d")) {
      GroupInfo info;
      info.name = group_path;
      info.kind = *kind;
      shape_of(group.get(), info, where);
      out.push_back(info);
      return;  // our groups hold datasets only
    }
  }
  for (const LinkEntry& link : list_links(group.get(), where)) {
    if (link.type != H5L_TYPE_HARD) continue;
    const std::string child = join_path(group_path, link.name);
    if (object_kind(file, child) == ObjectKind::group) walk(file, child, path, depth + 1, state);
  }
}

// Receiver number of "rx12" (0 when not of that form).
long receiver_number(const std::string& name) {
  if (name.size() < 3 || name.compare(0, 2, "rx") != 0) return 0;
  char* end = nullptr;
  const long number = std::strtol(name.c_str() + 2, &end, 10);
  return (end != nullptr && *end == '\0') ? number : 0;
}
}  // namespace

std::vector<GroupInfo> find_layout_groups(hid_t file, const std::string& path) {
  Walk state;
  walk(file, "/", path, 0, state);
  return std::move(state.out);
}

std::vector<GroupInfo> find_gprmax_outputs(hid_t file, const std::string& path) {
  std::vector<GroupInfo> out;
  if (object_kind(file, "/rxs") != ObjectKind::group) return out;
  Handle rxs = checked(H5Gopen2(file, "/rxs", H5P_DEFAULT), H5Gclose, ErrorCode::file_format,
                       "opening group '/rxs' of " + in_quotes(path) + " failed");
  std::vector<std::string> receivers = child_names(rxs.get(), "group '/rxs' of " + in_quotes(path));
  std::stable_sort(receivers.begin(), receivers.end(),
                   [](const std::string& a, const std::string& b) { return receiver_number(a) < receiver_number(b); });
  for (const std::string& receiver : receivers) {
    const std::string receiver_path = "/rxs/" + receiver;
    if (object_kind(file, receiver_path) != ObjectKind::group) continue;
    Handle group = checked(H5Gopen2(file, receiver_path.c_str(), H5P_DEFAULT), H5Gclose, ErrorCode::file_format,
                           "opening group " + in_quotes(receiver_path) + " of " + in_quotes(path) + " failed");
    for (const std::string& component : child_names(group.get(), "group " + in_quotes(receiver_path))) {
      if (object_kind(group.get(), component) != ObjectKind::dataset) continue;
      GroupInfo info;
      info.name = receiver_path + "/" + component;
      info.kind = "gprmax";
      Handle data(H5Dopen2(group.get(), component.c_str(), H5P_DEFAULT), H5Dclose);
      if (data.valid()) {
        try {
          const auto dims = dataset_dims(data.get(), info.name);
          if (!dims.empty()) info.rows = static_cast<std::size_t>(dims[0]);
          info.columns = dims.size() >= 2 ? static_cast<std::size_t>(dims[1]) : 1;
        } catch (const Error&) {
        }
      }
      out.push_back(info);
    }
  }
  return out;
}

std::string describe_contents(hid_t file, const std::string& path) {
  std::string text;
  for (const GroupInfo& info : find_layout_groups(file, path)) {
    text += (text.empty() ? "" : ", ") + info.name + " (" + info.kind + ", " +
            (info.lines ? std::to_string(info.lines) + " x " : std::string()) + std::to_string(info.rows) + " x " +
            std::to_string(info.columns) + ")";
  }
  if (!text.empty()) return "its groups are " + text;
  if (object_kind(file, "/rxs") == ObjectKind::group)
    return "it is a gprMax output file (read it with read_gprmax or read)";
  Handle root(H5Gopen2(file, "/", H5P_DEFAULT), H5Gclose);
  if (!root.valid()) return "its contents could not be listed";
  const auto names = child_names(root.get(), in_quotes(path));
  if (names.empty()) return "it is empty";
  for (const auto& name : names) text += (text.empty() ? "/" : ", /") + name;
  return "it holds no gprproc groups, only: " + text;
}

std::string resolve_group(hid_t file, const std::string& path, const std::string& group, const std::string& kind) {
  if (!group.empty()) {
    const std::string name = normalize_group_name(group);
    if (object_kind(file, name) != ObjectKind::group) {
      throw FileError(ErrorCode::missing_entry,
                      "group " + in_quotes(name) + " not found in " + in_quotes(path) + "; " + describe_contents(file, path));
    }
    return name;
  }
  std::vector<std::string> candidates;
  for (const GroupInfo& info : find_layout_groups(file, path))
    if (info.kind == kind) candidates.push_back(info.name);
  if (candidates.size() == 1) return candidates.front();
  const std::string preferred = kind == "bscan"       ? "/bscan"
                                : kind == "cube"        ? "/cube"
                                : kind == "depth_image" ? "/migrated"
                                                        : "/migrated_3d";
  if (std::find(candidates.begin(), candidates.end(), preferred) != candidates.end()) return preferred;
  const std::string what = kind == "bscan"       ? "B-scan"
                           : kind == "cube"        ? "cube"
                           : kind == "depth_image" ? "depth image"
                                                   : "3-D depth image";
  // A group written by hand without gprproc_kind is found by its usual name.
  if (candidates.empty() && object_kind(file, preferred) == ObjectKind::group) return preferred;
  if (candidates.empty()) {
    throw FileError(ErrorCode::missing_entry,
                    "no " + what + " group in " + in_quotes(path) + "; " + describe_contents(file, path));
  }
  throw FileError(ErrorCode::missing_entry, in_quotes(path) + " holds several " + what +
                                                " groups and none is named " + in_quotes(preferred) +
                                                "; name the group to read: " + describe_contents(file, path));
}

}  // namespace io_detail
}  // namespace gprproc
