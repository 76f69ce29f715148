// read(): our layout or gprMax output, told apart by content.
#include <cstdlib>
#include <filesystem>

#include "gprproc/io.hpp"
#include "gprproc/vendor_formats.hpp"
#include "io/gprmax_series.hpp"
#include "io/input_file.hpp"
#include "io/hdf5_support.hpp"

namespace gprproc {

using namespace io_detail;

namespace {
// "", "Ey", "rx2/Ey", "/rxs/rx2/Ey" -> receiver and component.
GprMaxOptions gprmax_options_for(const std::string& group, double dx) {
  GprMaxOptions options;
  options.dx = dx;
  std::string rest = group;
  if (rest.rfind("/", 0) == 0) rest.erase(0, 1);
  if (rest.rfind("rxs/", 0) == 0) rest.erase(0, 4);
  if (rest.empty()) return options;
  const auto slash = rest.find('/');
  if (slash != std::string::npos) {
    const std::string receiver = rest.substr(0, slash);
    char* end = nullptr;
    const long number = receiver.size() > 2 && receiver.compare(0, 2, "rx") == 0
                            ? std::strtol(receiver.c_str() + 2, &end, 10)
                            : 0;
    if (number < 1 || end == nullptr || *end != '\0' || rest.find('/', slash + 1) != std::string::npos) {
      throw InvalidArgument("group " + in_quotes(group) +
                            " does not name a gprMax output; use a component (\"Ez\") or \"/rxs/rx1/Ez\"");
    }
    options.receiver = static_cast<int>(number);
    rest = rest.substr(slash + 1);
  }
  options.component = rest;
  return options;
}
}  // namespace

BScan read(const std::string& path, const std::string& group, double gprmax_dx) {
  QuietHdf5Errors quiet;
  check_input_file(path);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && find_gprmax_series(path))
    return read_gprmax(path, gprmax_options_for(group, gprmax_dx));
  // Field instrument files (DZT, DT1/HD, rd3/rd7, SEG-Y), recognised by content.
  if (std::filesystem::exists(path, ec) && !is_hdf5_file(path) && !vendor_format_of(path).empty())
    return read_vendor(path, gprmax_dx).bscan;
  Handle file = open_file_for_reading(path);
  const bool gprmax = object_kind(file.get(), "/rxs") == ObjectKind::group;
  file.reset();
  if (gprmax) return read_gprmax(path, gprmax_options_for(group, gprmax_dx));
  return read_bscan(path, group);
}

}  // namespace gprproc
