#include "outputs.hpp"

#include <filesystem>
#include <optional>
#include <set>

#include "gprproc/error.hpp"
#include "gprproc/io.hpp"
#include "io/gprmax_series.hpp"
#include "io/input_file.hpp"
#include "io/output_file.hpp"
#include "io/output_set.hpp"
#include "io/output_temporaries.hpp"

namespace gprproc::cli {

namespace fs = std::filesystem;

namespace {
const io_detail::OutputRules& rules(bool overwrite) {
  static const io_detail::OutputRules replace{true, ""}, keep{false, "pass --overwrite to replace it"};
  return overwrite ? replace : keep;
}

// The header files a field file is read with (docs/FORMAT_VENDORS.md): DT1 +
// HD, DZT + DZG, rd3/rd7 + rad, in any case.
void protect_companions(const std::string& path) {
  std::error_code ec;
  for (const char* extension : {".HD", ".hd", ".DZG", ".dzg", ".rad", ".RAD"}) {
    fs::path candidate(path);
    candidate.replace_extension(extension);
    if (candidate != fs::path(path) && fs::is_regular_file(candidate, ec)) io_detail::protect_input(candidate.string());
  }
}
}  // namespace

void use_input(const std::string& path) {
  io_detail::check_input_file(path, "input");
  std::error_code ec;
  if (fs::exists(io_detail::journal_path_for(path), ec)) {
    io_detail::FolderLock lock(io_detail::folder_of(path));
    io_detail::complete_pending_publish(path);
  }
  io_detail::protect_input(path);
  try {
    if (const auto series = io_detail::find_gprmax_series(path))
      for (const std::string& file : series->files) io_detail::protect_input(file);
  } catch (const Error&) {
    // Not a complete series: the reader says so when it reads.
  }
  protect_companions(path);
}

void check_outputs(const std::vector<std::string>& paths, bool overwrite) {
  std::set<std::string> seen;
  for (const std::string& path : paths) {
    const std::string resolved = io_detail::absolute_normal(io_detail::checked_output_target(path, rules(overwrite)));
    if (!seen.insert(resolved).second) throw InvalidArgument("'" + path + "' is named as two outputs of one command");
  }
}

void check_hdf5_output(const std::string& path) {
  const std::string resolved = io_detail::checked_output_target(path, rules(true));
  std::error_code ec;
  if (fs::exists(resolved, ec) && !is_hdf5_file(resolved)) {
    throw FileError(ErrorCode::file_format, "refusing to write into '" + path +
                                                "': it exists and is not an HDF5 file; choose another name or remove it");
  }
}

void write_output(const std::string& path, const std::string& bytes, bool overwrite) {
  io_detail::write_output_file(path, bytes, rules(overwrite));
}

}  // namespace gprproc::cli
