// Every real vendor file cut at many lengths must be rejected with an
// exception, never read out of bounds (run under ASan too). Cuts that leave a
// shorter but valid DZT (a whole number of scans: DZT headers hold no scan
// count) are skipped; DT1 and rd3 carry trace counts in their HD/rad files, so
// every cut of the data file is an error there.
#include <catch2/catch.hpp>

#include "gprproc/vendor_formats.hpp"
#include "io_test_support.hpp"
#include "test_data.hpp"

using namespace gprproc;
using gprproc_test::ScratchFolder;

namespace {

std::vector<char> head(const std::vector<char>& bytes, std::size_t n) {
  return std::vector<char>(bytes.begin(), bytes.begin() + static_cast<long>(n));
}

template <class Read>
void expect_format_error(Read&& read, std::size_t cut) {
  INFO("cut at " << cut);
  try {
    read();
    FAIL("a truncated file was accepted");
  } catch (const FileError& e) {
    CHECK(e.code() == ErrorCode::file_format);
  }
}

std::vector<std::size_t> cuts(std::size_t size, std::size_t stride) {
  std::vector<std::size_t> out = {0, 1, 2, 7, 127, 128, 129, 1023, 1025, size - 1, size - 2};
  for (std::size_t n = 3; n < size; n += stride) out.push_back(n);
  return out;
}

}  // namespace

TEST_CASE("Truncated DZT files throw", "[vendor][truncation]") {
  const std::string path = gprproc_test::shared_data_or_skip("field/gssi_sir3000_400MHz.DZT");
  if (path.empty()) return;
  const auto bytes = gprproc_test::file_bytes(path);
  ScratchFolder folder;
  const std::string cut_path = folder.file("cut.DZT");
  for (std::size_t n : cuts(bytes.size(), 9973)) {
    if (n > 1024 && (n - 1024) % 1024 == 0) continue;  // a valid, shorter file
    gprproc_test::write_bytes(cut_path, head(bytes, n));
    expect_format_error([&] { read_dzt(cut_path); }, n);
  }
}

TEST_CASE("Truncated DT1 and HD files throw", "[vendor][truncation]") {
  const std::string path = gprproc_test::shared_data_or_skip("field/LINE00.DT1");
  if (path.empty()) return;
  const auto dt1 = gprproc_test::file_bytes(path);
  const auto hd = gprproc_test::file_bytes(gprproc_test::shared_data_or_skip("field/LINE00.HD"));
  ScratchFolder folder;
  const std::string dt1_path = folder.file("cut.DT1");
  const std::string hd_path = folder.file("cut.HD");
  gprproc_test::write_bytes(hd_path, hd);
  for (std::size_t n : cuts(dt1.size(), 4999)) {
    gprproc_test::write_bytes(dt1_path, head(dt1, n));
    expect_format_error([&] { read_dt1(dt1_path); }, n);
  }
  // HD cut before its STEP SIZE USED line: a required key is missing (file_format), a
  // number is cut short so the sizes disagree (file_format), or there is no spacing
  // (InvalidArgument asking for dx). Every one is an error.
  gprproc_test::write_bytes(dt1_path, dt1);
  const std::string text(hd.begin(), hd.end());
  const std::size_t step_line = text.find("STEP SIZE USED");
  REQUIRE(step_line != std::string::npos);
  for (std::size_t n = 0; n < step_line; n += 7) {
    gprproc_test::write_bytes(hd_path, head(hd, n));
    INFO("HD cut at " << n);
    CHECK_THROWS_AS(read_dt1(dt1_path), gprproc::Error);
  }
}

TEST_CASE("Truncated rd3 and rad files throw", "[vendor][truncation]") {
  const std::string path = gprproc_test::shared_data_or_skip("field/ten_col.rd3");
  if (path.empty()) return;
  const auto rd3 = gprproc_test::file_bytes(path);
  const auto rad = gprproc_test::file_bytes(gprproc_test::shared_data_or_skip("field/ten_col.rad"));
  ScratchFolder folder;
  const std::string rd3_path = folder.file("cut.rd3");
  const std::string rad_path = folder.file("cut.rad");
  gprproc_test::write_bytes(rad_path, rad);
  MalaOptions o;
  o.dx = 0.1;
  for (std::size_t n : cuts(rd3.size(), 97)) {
    gprproc_test::write_bytes(rd3_path, head(rd3, n));
    expect_format_error([&] { read_mala(rd3_path, o); }, n);
  }
  // rad cut inside "SAMPLES:512" or before it: no or a wrong sample count.
  gprproc_test::write_bytes(rd3_path, rd3);
  for (std::size_t n = 0; n < 11; ++n) {
    gprproc_test::write_bytes(rad_path, head(rad, n));
    INFO("rad cut at " << n);
    CHECK_THROWS_AS(read_mala(rd3_path, o), FileError);
  }
}
