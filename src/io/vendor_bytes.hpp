#pragma once
// A bounds-checked view of a file's bytes shared by the vendor readers: every
// read names the field, and a read past the end throws FileError(file_format)
// naming the file, the field, its offset and the file length.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gprproc/error.hpp"

namespace gprproc::vendor_detail {

enum class Endian { little, big };

class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size, std::string file)
      : data_(data), size_(size), file_(std::move(file)) {}

  std::size_t size() const { return size_; }
  const std::string& file() const { return file_; }

  // Throws unless [offset, offset + length) lies inside the file.
  void require(std::size_t offset, std::size_t length, const std::string& field) const;
  const std::uint8_t* span(std::size_t offset, std::size_t length, const std::string& field) const {
    require(offset, length, field);
    return data_ + offset;
  }

  std::uint8_t u8(std::size_t offset, const std::string& field) const { return *span(offset, 1, field); }
  std::uint16_t u16(std::size_t offset, Endian e, const std::string& field) const;
  std::int16_t i16(std::size_t offset, Endian e, const std::string& field) const;
  std::uint32_t u32(std::size_t offset, Endian e, const std::string& field) const;
  std::int32_t i32(std::size_t offset, Endian e, const std::string& field) const;
  std::uint64_t u64(std::size_t offset, Endian e, const std::string& field) const;
  float f32(std::size_t offset, Endian e, const std::string& field) const;
  double f64(std::size_t offset, Endian e, const std::string& field) const;
  // Bytes up to the first NUL, with trailing blanks removed, as UTF-8
  // (decode_text: Latin-1 where the bytes are not UTF-8).
  std::string text(std::size_t offset, std::size_t length, const std::string& field) const;

  // FileError(file_format) "<file>: <field>: <problem>".
  [[noreturn]] void fail(const std::string& field, const std::string& problem) const;

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::string file_;
};

// Unaligned loads from a checked span.
std::uint16_t load_u16(const std::uint8_t* p, Endian e);
std::uint32_t load_u32(const std::uint8_t* p, Endian e);
std::uint64_t load_u64(const std::uint8_t* p, Endian e);
float load_f32(const std::uint8_t* p, Endian e);
double load_f64(const std::uint8_t* p, Endian e);
// IBM System/360 single precision (SEG-Y format 1).
double ibm_to_double(std::uint32_t bits);

// The whole file; FileError file_not_found naming `what` ("file", "companion
// header file ... of ...") when missing, io_failure when unreadable.
std::vector<std::uint8_t> read_file_bytes(const std::string& path, const std::string& what = "file");

// Header text as UTF-8: kept as it is when it is valid UTF-8, otherwise read
// as Latin-1 (ISO 8859-1, every byte one character), so no header byte can
// make a decoding error downstream (Python str). Control characters other
// than tab, CR and LF become '?'. docs/FORMAT_VENDORS.md.
std::string decode_text(const std::string& bytes);

// Checks a header number against a physically plausible range [low, high]
// (both ends allowed); FileError(file_format) naming the field, its value,
// the range and `unit` otherwise (NaN and Inf included).
double bounded(double value, double low, double high, const ByteReader& file, const std::string& field,
               const std::string& unit);

// "name" -> "\"name\"" for messages.
std::string quoted(const std::string& text);
std::string trim(const std::string& text);
std::string upper(std::string text);
std::string number_text(double value);
// Parses a whole field as a number; false when it is not one.
bool parse_number(const std::string& text, double& value);

// a * b, throwing (naming the field) when it overflows.
std::size_t checked_product(std::size_t a, std::size_t b, const ByteReader& reader, const std::string& field);

// The companion with the given extension (tried as given, upper and lower
// case) beside `path`, or FileError file_not_found naming the one expected.
std::string companion_path(const std::string& path, const std::string& extension, const std::string& role);

// Lines split at CR, LF or CRLF (and CR CR LF), blank lines dropped.
std::vector<std::string> split_lines(const std::string& text);

}  // namespace gprproc::vendor_detail
