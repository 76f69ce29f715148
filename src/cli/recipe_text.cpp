#include "recipe_text.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>

#include "gprproc/error.hpp"

namespace gprproc::cli {

namespace {

constexpr int max_key_parts = 16;

class Rewriter {
 public:
  Rewriter(const std::string& text, const std::string& path) : text_(text), path_(path) { out_.reserve(text.size()); }

  std::string run() {
    while (k_ < text_.size()) {
      const char ch = text_[k_];
      if (ch == '\n') {
        newline();
      } else if (ch == '#') {
        comment();
      } else if (ch == '"' || ch == '\'') {
        string(ch);
      } else if (static_cast<unsigned char>(ch) >= 0x80) {
        fail("a non-ASCII character outside a quoted string or a comment (keys and values are ASCII there)");
      } else {
        if (ch == '.' && !(digit(k_ - 1) && digit(k_ + 1)) && ++dots_ >= max_key_parts)
          fail("keys nested more than " + std::to_string(max_key_parts) +
               " levels deep (a recipe's keys have at most two parts)");
        out_ += ch;
        ++k_;
      }
    }
    return out_;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InvalidArgument(path_ + ":" + std::to_string(line_) + ": not valid TOML: " + what);
  }
  bool digit(std::size_t k) const {
    return k < text_.size() && std::isdigit(static_cast<unsigned char>(text_[k])) != 0;  // k = -1 wraps: false
  }
  void newline() {
    out_ += '\n';
    ++line_;
    dots_ = 0;
    ++k_;
  }
  // The code point of the UTF-8 sequence at k_, advancing past it; refuses
  // malformed UTF-8 (TOML text is UTF-8).
  std::uint32_t code_point() {
    const auto byte = [&](std::size_t k) { return k < text_.size() ? static_cast<unsigned char>(text_[k]) : 0u; };
    const unsigned lead = byte(k_);
    const int length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0;
    if (length == 0) fail("a byte that is not UTF-8");
    std::uint32_t value = lead & (0x7Fu >> length);
    for (int i = 1; i < length; ++i) {
      const unsigned next = byte(k_ + i);
      if ((next & 0xC0) != 0x80) fail("a byte that is not UTF-8");
      value = (value << 6) | (next & 0x3F);
    }
    const std::uint32_t smallest = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (value < smallest || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) fail("a byte that is not UTF-8");
    k_ += static_cast<std::size_t>(length);
    return value;
  }
  void escaped(std::uint32_t value) {
    char buf[12];
    if (value <= 0xFFFF) std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(value));
    else std::snprintf(buf, sizeof buf, "\\U%08X", static_cast<unsigned>(value));
    out_ += buf;
  }
  void comment() {
    while (k_ < text_.size() && text_[k_] != '\n') {
      const unsigned char ch = static_cast<unsigned char>(text_[k_]);
      if (ch >= 0x80) {
        code_point();
        out_ += '?';
      } else {
        out_ += static_cast<char>(ch);
        ++k_;
      }
    }
  }
  // Quotes closing a multi-line string at k_: TOML takes up to two more
  // quotes before the closing three as content. 0 when not closing here.
  std::size_t closing_run(char quote) const {
    std::size_t run = 0;
    while (k_ + run < text_.size() && text_[k_ + run] == quote) ++run;
    return run >= 3 ? run : 0;
  }
  void string(char quote) {
    const bool multi = text_.compare(k_, 3, std::string(3, quote)) == 0;
    const bool literal = quote == '\'';
    out_ += multi ? "\"\"\"" : "\"";  // literal strings become basic ones, which can hold escapes
    k_ += multi ? 3 : 1;
    while (true) {
      if (k_ >= text_.size()) return;  // unterminated: toml++ says so
      const char ch = text_[k_];
      if (multi && ch == quote) {
        if (const std::size_t run = closing_run(quote)) {
          // Up to two quotes of content, then the closing three; more is not
          // TOML, and stays so for toml++ to report.
          for (std::size_t i = 0; i < run - 3; ++i) out_ += literal && run <= 5 ? '\'' : '"';
          out_ += "\"\"\"";
          k_ += run;
          return;
        }
      }
      if (!multi && ch == quote) {
        out_ += '"';
        ++k_;
        return;
      }
      if (ch == '\n') {
        if (!multi) return;  // a basic or literal string ends at the line: toml++ reports it
        newline();
        continue;
      }
      if (static_cast<unsigned char>(ch) >= 0x80) {
        escaped(code_point());
        continue;
      }
      if (literal && (ch == '\\' || ch == '"')) {  // plain characters of a literal string
        out_ += '\\';
        out_ += ch;
        ++k_;
        continue;
      }
      if (!literal && ch == '\\') {  // an escape: copied with the character it escapes
        out_ += ch;
        ++k_;
        if (k_ < text_.size() && static_cast<unsigned char>(text_[k_]) >= 0x80)
          fail("a backslash before a non-ASCII character in a string (not an escape TOML knows)");
        if (k_ < text_.size() && text_[k_] != '\n') out_ += text_[k_++];
        continue;
      }
      out_ += ch;
      ++k_;
    }
  }

  const std::string& text_;
  const std::string& path_;
  std::string out_;
  std::size_t k_ = 0;
  int line_ = 1, dots_ = 0;
};

}  // namespace

std::string toml_text_for_parser(const std::string& text, const std::string& path) {
  return Rewriter(text, path).run();
}

}  // namespace gprproc::cli
