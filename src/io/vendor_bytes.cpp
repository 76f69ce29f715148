// The bounds-checked byte reader and small text helpers of the vendor readers.
#include "io/vendor_bytes.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "io/input_file.hpp"

namespace gprproc::vendor_detail {

void ByteReader::require(std::size_t offset, std::size_t length, const std::string& field) const {
  if (offset > size_ || length > size_ - offset) {
    std::ostringstream msg;
    msg << "field at byte " << offset << " (" << length << " bytes) lies past the end of the file (" << size_
        << " bytes): the file is truncated or the header inconsistent";
    fail(field, msg.str());
  }
}

void ByteReader::fail(const std::string& field, const std::string& problem) const {
  throw FileError(ErrorCode::file_format, quoted(file_) + ": " + field + ": " + problem);
}

namespace {
// An unsigned integer of sizeof(T) bytes in either byte order.
template <class T>
T load_unsigned(const std::uint8_t* p, Endian e) {
  constexpr int n = static_cast<int>(sizeof(T));
  T v = 0;
  for (int i = 0; i < n; ++i) v = static_cast<T>((v << 8) | p[e == Endian::little ? n - 1 - i : i]);
  return v;
}
}  // namespace

std::uint16_t load_u16(const std::uint8_t* p, Endian e) { return load_unsigned<std::uint16_t>(p, e); }
std::uint32_t load_u32(const std::uint8_t* p, Endian e) { return load_unsigned<std::uint32_t>(p, e); }
std::uint64_t load_u64(const std::uint8_t* p, Endian e) { return load_unsigned<std::uint64_t>(p, e); }
float load_f32(const std::uint8_t* p, Endian e) {
  const std::uint32_t bits = load_u32(p, e);
  float v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}
double load_f64(const std::uint8_t* p, Endian e) {
  const std::uint64_t bits = load_u64(p, e);
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

double ibm_to_double(std::uint32_t bits) {
  // sign, 7-bit base-16 exponent biased by 64, 24-bit fraction 0.F
  const double fraction = static_cast<double>(bits & 0x00ffffffu);
  const int exponent = static_cast<int>((bits >> 24) & 0x7fu) - 64;
  const double magnitude = std::ldexp(fraction, 4 * exponent - 24);
  return (bits & 0x80000000u) ? -magnitude : magnitude;
}

std::uint16_t ByteReader::u16(std::size_t offset, Endian e, const std::string& field) const {
  return load_u16(span(offset, 2, field), e);
}
std::int16_t ByteReader::i16(std::size_t offset, Endian e, const std::string& field) const {
  return static_cast<std::int16_t>(u16(offset, e, field));
}
std::uint32_t ByteReader::u32(std::size_t offset, Endian e, const std::string& field) const {
  return load_u32(span(offset, 4, field), e);
}
std::int32_t ByteReader::i32(std::size_t offset, Endian e, const std::string& field) const {
  return static_cast<std::int32_t>(u32(offset, e, field));
}
std::uint64_t ByteReader::u64(std::size_t offset, Endian e, const std::string& field) const {
  return load_u64(span(offset, 8, field), e);
}
float ByteReader::f32(std::size_t offset, Endian e, const std::string& field) const {
  return load_f32(span(offset, 4, field), e);
}
double ByteReader::f64(std::size_t offset, Endian e, const std::string& field) const {
  return load_f64(span(offset, 8, field), e);
}
std::string ByteReader::text(std::size_t offset, std::size_t length, const std::string& field) const {
  const auto* p = span(offset, length, field);
  std::string s(reinterpret_cast<const char*>(p), length);
  const auto nul = s.find('\0');
  if (nul != std::string::npos) s.resize(nul);
  return trim(decode_text(s));
}

namespace {
// Length of the valid UTF-8 sequence starting at s[k], 0 when there is none.
std::size_t utf8_sequence(const std::string& s, std::size_t k) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = byte(k);
  std::size_t n = 0;
  unsigned min = 0;
  unsigned value = 0;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) n = 2, min = 0x80, value = c & 0x1fu;
  else if (c >= 0xe0 && c <= 0xef) n = 3, min = 0x800, value = c & 0x0fu;
  else if (c >= 0xf0 && c <= 0xf4) n = 4, min = 0x10000, value = c & 0x07u;
  else return 0;
  if (k + n > s.size()) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    if ((byte(k + i) & 0xc0u) != 0x80u) return 0;
    value = (value << 6) | (byte(k + i) & 0x3fu);
  }
  if (value < min || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return 0;
  return n;
}

bool is_utf8(const std::string& s) {
  for (std::size_t k = 0; k < s.size();) {
    const std::size_t n = utf8_sequence(s, k);
    if (n == 0) return false;
    k += n;
  }
  return true;
}
}  // namespace

std::string decode_text(const std::string& bytes) {
  const bool utf8 = is_utf8(bytes);
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') {
      out += '?';
    } else if (c == 0x7f) {
      out += '?';
    } else if (c < 0x80 || utf8) {
      out += ch;
    } else {  // Latin-1: U+0080..U+00FF in two UTF-8 bytes
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return out;
}

double bounded(double value, double low, double high, const ByteReader& file, const std::string& field,
               const std::string& unit) {
  if (!(std::isfinite(value) && value >= low && value <= high)) {
    file.fail(field, "value " + number_text(value) + (unit.empty() ? "" : " " + unit) + " is not in the plausible range " +
                         number_text(low) + " .. " + number_text(high) + (unit.empty() ? "" : " " + unit) +
                         ": the header is damaged or forged");
  }
  return value;
}

std::vector<std::uint8_t> read_file_bytes(const std::string& path, const std::string& what) {
  io_detail::check_input_file(path, what);  // NUL in the name, a FIFO, device or folder
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw FileError(ErrorCode::file_not_found, what + " " + quoted(path) + " not found");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(ErrorCode::io_failure, "cannot open " + what + " " + quoted(path));
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw FileError(ErrorCode::io_failure, "reading " + what + " " + quoted(path) + " failed");
  return bytes;
}

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

std::string trim(const std::string& text) {
  const auto blank = [](unsigned char c) { return std::isspace(c) != 0; };
  std::size_t b = 0, e = text.size();
  while (b < e && blank(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && blank(static_cast<unsigned char>(text[e - 1]))) --e;
  return text.substr(b, e - b);
}

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string number_text(double value) {
  std::ostringstream out;
  out.precision(std::numeric_limits<double>::max_digits10);
  out << value;
  return out.str();
}

bool parse_number(const std::string& text, double& value) {
  const std::string t = trim(text);
  if (t.empty()) return false;
  char* end = nullptr;
  value = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size() && std::isfinite(value);
}

std::size_t checked_product(std::size_t a, std::size_t b, const ByteReader& reader, const std::string& field) {
  if (a != 0 && b > std::numeric_limits<std::size_t>::max() / a) reader.fail(field, "size overflows");
  return a * b;
}

std::string companion_path(const std::string& path, const std::string& extension, const std::string& role) {
  namespace fs = std::filesystem;
  const fs::path base(path);
  std::string lower = extension, up = upper(extension);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::error_code ec;
  for (const std::string& ext : {extension, up, lower}) {
    fs::path candidate = base;
    candidate.replace_extension(ext);
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  fs::path expected = base;
  expected.replace_extension(extension);
  throw FileError(ErrorCode::file_not_found, role + " " + quoted(expected.string()) + " of " + quoted(path) +
                                                 " not found (looked for " + extension + ", " + up + " and " + lower +
                                                 ")");
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  for (char c : text) {
    if (c == '\r' || c == '\n') {
      if (!trim(line).empty()) lines.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  if (!trim(line).empty()) lines.push_back(line);
  return lines;
}

}  // namespace gprproc::vendor_detail
