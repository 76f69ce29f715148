// read_vendor(): picks the reader by extension, then by content.
#include <cmath>
#include <filesystem>
#include <fstream>

#include "io/input_file.hpp"
#include "io/vendor_parse.hpp"

namespace gprproc {

using namespace vendor_detail;

namespace {

// The first `n` bytes (fewer when the file is shorter); empty when unreadable.
std::vector<std::uint8_t> file_start(const std::string& path, std::size_t n) {
  std::error_code ec;  // only regular files: a FIFO would block the open
  if (path.find('\0') != std::string::npos || !std::filesystem::is_regular_file(path, ec)) return {};
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> bytes(n);
  if (!in) return {};
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(n));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

bool looks_like_segy(const std::vector<std::uint8_t>& b) {
  if (b.size() < 3600) return false;
  for (Endian e : {Endian::big, Endian::little}) {
    const int code = static_cast<std::int16_t>(load_u16(b.data() + 3224, e));
    const int interval = load_u16(b.data() + 3216, e);
    if ((code == 1 || code == 2 || code == 3 || code == 5 || code == 6 || code == 8 || code == 10 || code == 11 ||
         code == 16) && interval > 0)
      return true;
  }
  return false;
}

bool looks_like_dzt(const std::vector<std::uint8_t>& b) {
  if (b.size() < 1024) return false;
  const unsigned bits = load_u16(b.data() + 6, Endian::little);
  const unsigned channels = load_u16(b.data() + 52, Endian::little);
  const float range = load_f32(b.data() + 26, Endian::little);
  return (bits == 8 || bits == 16 || bits == 32) && channels >= 1 && channels <= 16 && std::isfinite(range) && range > 0.0f;
}

}  // namespace

std::string vendor_format_of(const std::string& path) {
  const std::string ext = upper(std::filesystem::path(path).extension().string());
  if (ext == ".DZT") return "dzt";
  if (ext == ".DT1") return "dt1";
  if (ext == ".RD3" || ext == ".RD7") return "mala";
  if (ext == ".SGY" || ext == ".SEGY") return "segy";
  const auto start = file_start(path, 3600);
  if (looks_like_segy(start)) return "segy";
  if (looks_like_dzt(start)) return "dzt";
  return "";
}

VendorFile read_vendor(const std::string& path, double dx, bool require_dx) {
  io_detail::check_input_file(path);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw FileError(ErrorCode::file_not_found, "file " + quoted(path) + " not found");
  const std::string format = vendor_format_of(path);
  if (format == "dzt") {
    DztOptions o;
    o.dx = dx;
    o.require_dx = require_dx;
    return read_dzt(path, o);
  }
  if (format == "dt1") {
    Dt1Options o;
    o.dx = dx;
    o.require_dx = require_dx;
    return read_dt1(path, o);
  }
  if (format == "mala") {
    MalaOptions o;
    o.dx = dx;
    o.require_dx = require_dx;
    return read_mala(path, o);
  }
  if (format == "segy") {
    SegyOptions o;
    o.dx = dx;
    o.require_dx = require_dx;
    return read_segy(path, o);
  }
  throw FileError(ErrorCode::file_format, quoted(path) + " is not a vendor format this library reads "
                                          "(GSSI .DZT, pulseEKKO .DT1, MALA .rd3/.rd7, SEG-Y .sgy/.segy)");
}

}  // namespace gprproc
