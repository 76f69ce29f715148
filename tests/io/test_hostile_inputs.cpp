// Hostile inputs for every reader: forged vendor headers, deep or huge JSON,
// wrong HDF5 types in our layout, sparse and over-compressed datasets,
// truncated files. Each must end in a gprproc::Error (never a crash, a hang,
// an unbounded allocation or a silent change of data) and leave the input
// file byte for byte as it was.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "gprproc/io.hpp"
#include "gprproc/vendor_formats.hpp"
#include "io_test_support.hpp"
#include "test_data.hpp"

using namespace gprproc;
using gprproc_test::RawFile;
using gprproc_test::ScratchFolder;

namespace {

// Runs `read`, which must throw E with `code` and a message holding `needle`,
// and checks that `path` was not changed by it.
template <class E, class Read>
void expect_refused(const std::string& path, ErrorCode code, const std::string& needle, Read&& read) {
  const std::vector<char> before = gprproc_test::file_bytes(path);
  try {
    read();
    FAIL("read of " << path << " did not throw (expected: " << needle << ")");
  } catch (const E& e) {
    INFO(e.what());
    CHECK(e.code() == code);
    CHECK(std::string(e.what()).find(needle) != std::string::npos);
  }
  CHECK(gprproc_test::file_bytes(path) == before);
}

// A minimal B-scan group (/bscan with dt, dx) whose `data` the caller adds.
void bscan_group(RawFile& f) {
  f.group("/bscan");
  f.number("/bscan", "dt", 1e-10);
  f.number("/bscan", "dx", 0.01);
}

// A chunked float32 dataset of `dims` with `chunk`, writing only the
// hyperslab rows [0, written_rows) x all columns (0: nothing written).
void chunked_floats(hid_t file, const std::string& name, const std::vector<hsize_t>& dims,
                    const std::vector<hsize_t>& chunk, hsize_t written_columns, int deflate_passes = 0) {
  const hid_t space = H5Screate_simple(2, dims.data(), nullptr);
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  REQUIRE(H5Pset_chunk(dcpl, 2, chunk.data()) >= 0);
  for (int k = 0; k < deflate_passes; ++k) REQUIRE(H5Pset_deflate(dcpl, 9) >= 0);
  const hid_t data = H5Dcreate2(file, name.c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  REQUIRE(data >= 0);
  if (written_columns > 0) {
    const hsize_t start[2] = {0, 0}, count[2] = {dims[0], written_columns};
    std::vector<float> values(static_cast<std::size_t>(dims[0] * written_columns), 0.0f);
    const hid_t memory = H5Screate_simple(2, count, nullptr);
    H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr);
    REQUIRE(H5Dwrite(data, H5T_NATIVE_FLOAT, memory, space, H5P_DEFAULT, values.data()) >= 0);
    H5Sclose(memory);
  }
  H5Dclose(data);
  H5Pclose(dcpl);
  H5Sclose(space);
}

// A GSSI DZT written byte by byte: one channel, `n_samples` 16-bit words per
// scan (words 0 and 1 the scan counter and mark word), `n_traces` scans.
std::vector<char> make_dzt(unsigned n_samples, std::size_t n_traces, float range_ns = 20.0f, float spm = 50.0f) {
  std::vector<char> b(1024 + 2 * n_samples * n_traces, '\0');
  const auto u16 = [&](std::size_t at, unsigned v) {
    b[at] = static_cast<char>(v & 0xff);
    b[at + 1] = static_cast<char>(v >> 8);
  };
  const auto f32 = [&](std::size_t at, float v) { std::memcpy(&b[at], &v, 4); };
  u16(0, 0x00ff);
  u16(2, 1024);  // rh_data >= 1024: data after the one channel header
  u16(4, n_samples);
  u16(6, 16);
  f32(10, 64.0f);   // scans per second
  f32(14, spm);     // scans per metre
  f32(26, range_ns);
  u16(52, 1);
  f32(54, 9.0f);  // rhf_epsr
  std::memcpy(&b[98], "400MHz", 6);
  for (std::size_t j = 0; j < n_traces; ++j) {
    const std::size_t at = 1024 + 2 * n_samples * j;
    u16(at, static_cast<unsigned>(j));        // scan counter
    u16(at + 2, j % 10 == 3 ? 0x6400 : 0);    // marks on scans 3, 13, ...
    for (unsigned i = 2; i < n_samples; ++i) u16(at + 2 * i, 32768 + 100 * i - 50 * static_cast<unsigned>(j));
  }
  return b;
}

void patch_f32(std::vector<char>& b, std::size_t at, float v) { std::memcpy(&b[at], &v, 4); }
void patch_u16(std::vector<char>& b, std::size_t at, unsigned v) {
  b[at] = static_cast<char>(v & 0xff);
  b[at + 1] = static_cast<char>(v >> 8);
}

}  // namespace

// ---------------------------------------------------------------- JSON ----

TEST_CASE("hostile HDF5: a history nested 100000 levels deep is refused, naming the attribute", "[hostile][hdf5][json]") {
  ScratchFolder folder;
  const std::string path = folder.file("deep.h5");
  {
    RawFile f(path);
    bscan_group(f);
    f.floats("/bscan/data", {4, 3}, std::vector<float>(12, 1.0f));
    std::string deep = "[{\"operation\": \"x\", \"parameters\": {\"a\": ";
    deep += std::string(100000, '[') + std::string(100000, ']') + "}}]";
    f.text("/bscan", "history", deep, true);
  }
  // Before the fix this killed the process (SIGSEGV: a recursion per level).
  expect_refused<FileError>(path, ErrorCode::file_format, "attribute 'history'", [&] { read_bscan(path); });
  expect_refused<FileError>(path, ErrorCode::file_format, "levels deep", [&] { read(path); });
}

TEST_CASE("hostile HDF5: brackets inside JSON strings do not count as nesting", "[hostile][hdf5][json]") {
  ScratchFolder folder;
  const std::string path = folder.file("strings.h5");
  {
    RawFile f(path);
    bscan_group(f);
    f.floats("/bscan/data", {4, 3}, std::vector<float>(12, 1.0f));
    const std::string brackets(1000, '[');
    f.text("/bscan", "history",
           "[{\"operation\": \"note\", \"parameters\": {\"text\": \"" + brackets + "\\\"" + brackets + "\"}}]", true);
  }
  const BScan b = read_bscan(path);
  REQUIRE(b.history.size() == 1);
  CHECK(b.history[0].parameters_json.size() > 2000);
}

TEST_CASE("hostile HDF5: a history of more than 64 MiB is refused", "[hostile][hdf5][json]") {
  ScratchFolder folder;
  const std::string path = folder.file("huge.h5");
  {
    RawFile f(path);
    bscan_group(f);
    f.floats("/bscan/data", {4, 3}, std::vector<float>(12, 1.0f));
    std::string huge = "[{\"operation\": \"x\", \"parameters\": {\"a\": \"";
    huge += std::string((std::size_t{64} << 20) + 16, 'x') + "\"}}]";
    f.text("/bscan", "history", huge, true);
  }
  expect_refused<FileError>(path, ErrorCode::file_format, "bytes of JSON", [&] { read_bscan(path); });
}

TEST_CASE("hostile: a deeply nested history step is refused on writing too", "[hostile][hdf5][json]") {
  ScratchFolder folder;
  BScanMetadata m;
  m.dt = 1e-10;
  m.dx = 0.01;
  BScan b(4, 3, m);
  b.history.push_back({"x", "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}", "0"});
  CHECK_THROWS_AS(write_bscan(folder.file("out.h5"), b), InvalidArgument);
  CHECK(folder.names().empty());
}

// --------------------------------------------------- sparse and compressed ----

TEST_CASE("hostile HDF5: a sparse 16384 x 32768 dataset (chunks never written) is refused before allocating",
          "[hostile][hdf5][sparse]") {
  ScratchFolder folder;
  const std::string path = folder.file("sparse.h5");
  {
    RawFile f(path);
    bscan_group(f);
    chunked_floats(f.id(), "/bscan/data", {16384, 32768}, {1024, 64}, 0);
  }
  CHECK(gprproc_test::file_bytes(path).size() < 100000);  // an 88 KB-class file claiming 2 GiB
  // Before the fix this allocated 2 GiB of zeros (fill values) and returned them.
  expect_refused<FileError>(path, ErrorCode::file_format, "never written", [&] { read_bscan(path); });
  expect_refused<FileError>(path, ErrorCode::file_format, "sparse", [&] { read(path); });
}

TEST_CASE("hostile HDF5: a partly written dataset is refused (its holes would read as zeros)", "[hostile][hdf5][sparse]") {
  ScratchFolder folder;
  const std::string path = folder.file("partly.h5");
  {
    RawFile f(path);
    bscan_group(f);
    chunked_floats(f.id(), "/bscan/data", {100, 256}, {100, 64}, 64);  // 1 of 4 chunks
  }
  expect_refused<FileError>(path, ErrorCode::file_format, "1 of the 4 chunks", [&] { read_bscan(path); });
  // The same shape fully written reads.
  const std::string full = folder.file("full.h5");
  {
    RawFile f(full);
    bscan_group(f);
    chunked_floats(f.id(), "/bscan/data", {100, 256}, {100, 64}, 256);
  }
  CHECK(read_bscan(full).n_traces() == 256);
}

TEST_CASE("hostile HDF5: a dataset that would pass the compression-ratio bound is refused", "[hostile][hdf5][sparse]") {
  ScratchFolder folder;
  const std::string path = folder.file("bomb.h5");
  {
    RawFile f(path);
    bscan_group(f);
    // Zeros deflated three times over: 64 MiB in a few hundred bytes.
    chunked_floats(f.id(), "/bscan/data", {4096, 4096}, {4096, 1024}, 4096, 3);
  }
  expect_refused<FileError>(path, ErrorCode::file_format, "compression ratio", [&] { read_bscan(path); });
  // Zeros deflated once (about 1000:1, what a real all-zero recording gives) read.
  const std::string once = folder.file("zeros.h5");
  {
    RawFile f(once);
    bscan_group(f);
    chunked_floats(f.id(), "/bscan/data", {1024, 1024}, {1024, 64}, 1024, 1);
  }
  CHECK(read_bscan(once).n_samples() == 1024);
}

TEST_CASE("hostile HDF5: ReadOptions::max_samples bounds what a read allocates", "[hostile][hdf5]") {
  ScratchFolder folder;
  const std::string path = folder.file("ok.h5");
  {
    RawFile f(path);
    bscan_group(f);
    f.floats("/bscan/data", {40, 30}, std::vector<float>(1200, 0.5f));
  }
  ReadOptions small;
  small.max_samples = 1000;
  expect_refused<InvalidArgument>(path, ErrorCode::invalid_shape, "1200 values, more than the 1000",
                                  [&] { read_bscan(path, "", small); });
  small.max_samples = 1200;
  CHECK(read_bscan(path, "", small).size() == 1200);
  CHECK(default_max_read_samples == std::size_t{1} << 30);
}

TEST_CASE("hostile gprMax: a sparse receiver output is refused", "[hostile][hdf5][gprmax]") {
  ScratchFolder folder;
  const std::string path = folder.file("sparse.out");
  {
    RawFile f(path);
    f.group("/rxs/rx1");
    f.number("/", "dt", 1e-12);
    f.text("/", "gprMax", "3.1.7", true);
    chunked_floats(f.id(), "/rxs/rx1/Ez", {8192, 8192}, {1024, 64}, 0);
  }
  GprMaxOptions o;
  o.dx = 0.01;
  expect_refused<FileError>(path, ErrorCode::file_format, "never written", [&] { read_gprmax(path, o); });
}

// ------------------------------------------------------------ HDF5 types ----

TEST_CASE("hostile HDF5: data of a complex compound, string or integer type is refused by type", "[hostile][hdf5][types]") {
  ScratchFolder folder;
  SECTION("complex compound {r, i}") {
    const std::string path = folder.file("complex.h5");
    {
      RawFile f(path);
      bscan_group(f);
      const hid_t complex = H5Tcreate(H5T_COMPOUND, 8);
      H5Tinsert(complex, "r", 0, H5T_IEEE_F32LE);
      H5Tinsert(complex, "i", 4, H5T_IEEE_F32LE);
      f.dataset<float>("/bscan/data", {4, 3}, std::vector<float>(24, 1.0f), complex, complex);
      H5Tclose(complex);
    }
    expect_refused<InvalidArgument>(path, ErrorCode::invalid_shape, "compound", [&] { read_bscan(path); });
  }
  SECTION("fixed-length strings") {
    const std::string path = folder.file("strings.h5");
    {
      RawFile f(path);
      bscan_group(f);
      const hid_t text = H5Tcopy(H5T_C_S1);
      H5Tset_size(text, 4);
      f.dataset<char>("/bscan/data", {4, 3}, std::vector<char>(48, 'a'), text, text);
      H5Tclose(text);
    }
    expect_refused<InvalidArgument>(path, ErrorCode::invalid_shape, "string", [&] { read_bscan(path); });
  }
  SECTION("int16 samples") {
    const std::string path = folder.file("int.h5");
    {
      RawFile f(path);
      bscan_group(f);
      f.dataset<short>("/bscan/data", {4, 3}, std::vector<short>(12, 7), H5T_STD_I16LE, H5T_NATIVE_SHORT);
    }
    expect_refused<InvalidArgument>(path, ErrorCode::invalid_shape, "int16", [&] { read_bscan(path); });
  }
}

TEST_CASE("hostile HDF5: big-endian float32 and float64 data read by value", "[hostile][hdf5][types]") {
  ScratchFolder folder;
  std::vector<float> values(12);
  for (std::size_t k = 0; k < values.size(); ++k) values[k] = 0.25f * static_cast<float>(k) - 1.5f;
  const std::string path32 = folder.file("be32.h5");
  {
    RawFile f(path32);
    bscan_group(f);
    f.dataset("/bscan/data", {4, 3}, values, H5T_IEEE_F32BE, H5T_NATIVE_FLOAT);
  }
  const BScan b = read_bscan(path32);
  REQUIRE(b.n_samples() == 4);
  for (std::size_t k = 0; k < values.size(); ++k) CHECK(b.data()[k] == values[k]);
  const std::string path64 = folder.file("be64.h5");
  {
    RawFile f(path64);
    bscan_group(f);
    const std::vector<double> doubles(values.begin(), values.end());
    f.dataset("/bscan/data", {4, 3}, doubles, H5T_IEEE_F64BE, H5T_NATIVE_DOUBLE);
  }
  const BScan d = read_bscan(path64);
  for (std::size_t k = 0; k < values.size(); ++k) CHECK(d.data()[k] == values[k]);
}

TEST_CASE("hostile HDF5: marks that are not increasing trace indices are refused", "[hostile][hdf5][marks]") {
  ScratchFolder folder;
  const auto with_marks = [&](const std::string& name, const std::vector<long long>& marks, hid_t type) {
    const std::string path = folder.file(name);
    RawFile f(path);
    bscan_group(f);
    f.floats("/bscan/data", {4, 5}, std::vector<float>(20, 1.0f));
    f.dataset("/bscan/marks", {marks.size()}, marks, type, H5T_NATIVE_LLONG);
    return path;
  };
  const std::string good = with_marks("good.h5", {0, 2, 4}, H5T_STD_U32BE);
  CHECK(read_bscan(good).marks == std::vector<std::size_t>{0, 2, 4});
  const std::string beyond = with_marks("beyond.h5", {0, 5}, H5T_STD_U64LE);
  expect_refused<FileError>(beyond, ErrorCode::file_format, "below 5", [&] { read_bscan(beyond); });
  const std::string back = with_marks("back.h5", {3, 1}, H5T_STD_I32LE);
  expect_refused<FileError>(back, ErrorCode::file_format, "increasing", [&] { read_bscan(back); });
  const std::string negative = with_marks("negative.h5", {-1, 2}, H5T_STD_I64LE);
  expect_refused<FileError>(negative, ErrorCode::file_format, "negative", [&] { read_bscan(negative); });
}

TEST_CASE("hostile HDF5: a truncated file of our layout is refused at every cut", "[hostile][hdf5][truncated]") {
  ScratchFolder folder;
  const std::string whole = folder.file("whole.h5");
  BScanMetadata m;
  m.dt = 1e-10;
  m.dx = 0.01;
  BScan b(64, 40, m);
  for (std::size_t k = 0; k < b.size(); ++k) b.data()[k] = static_cast<float>(k % 17);
  b.marks = {1, 7};
  write_bscan(whole, b);
  const std::vector<char> bytes = gprproc_test::file_bytes(whole);
  for (std::size_t cut : {std::size_t{0}, std::size_t{7}, std::size_t{100}, bytes.size() / 3, bytes.size() / 2,
                          bytes.size() - 200, bytes.size() - 1}) {
    INFO("cut at " << cut << " of " << bytes.size());
    const std::string path = folder.file("cut.h5");
    gprproc_test::write_bytes(path, std::vector<char>(bytes.begin(), bytes.begin() + static_cast<long>(cut)));
    const std::vector<char> before = gprproc_test::file_bytes(path);
    CHECK_THROWS_AS(read_bscan(path), Error);
    CHECK_THROWS_AS(read(path), Error);
    CHECK(gprproc_test::file_bytes(path) == before);
  }
}

// ------------------------------------------------------------ vendor: DZT ----

TEST_CASE("hostile DZT: absurd but finite header numbers are refused, naming the field and value", "[hostile][dzt]") {
  ScratchFolder folder;
  const std::string path = folder.file("forged.DZT");
  const auto refused = [&](std::vector<char> bytes, const std::string& needle) {
    gprproc_test::write_bytes(path, bytes);
    expect_refused<FileError>(path, ErrorCode::file_format, needle, [&] { read_dzt(path); });
  };
  std::vector<char> b = make_dzt(64, 20);
  SECTION("range 1e38 ns") {
    patch_f32(b, 26, 1e38f);
    refused(b, "rhf_range (byte 26): value 9.99999968");
  }
  SECTION("negative range") {
    patch_f32(b, 26, -20.0f);
    refused(b, "rhf_range");
  }
  SECTION("negative scans per metre") {
    patch_f32(b, 14, -50.0f);
    refused(b, "rhf_spm (byte 14): value -50");
  }
  SECTION("scans per second 1e30") {
    patch_f32(b, 10, 1e30f);
    refused(b, "rhf_sps");
  }
  SECTION("position -1e20 ns") {
    patch_f32(b, 22, -1e20f);
    refused(b, "rhf_position");
  }
  SECTION("dielectric 1e9") {
    patch_f32(b, 54, 1e9f);
    refused(b, "rhf_epsr");
  }
  SECTION("16 channels in a file with one header") {
    patch_u16(b, 52, 16);
    refused(b, "channel headers");
  }
  SECTION("65535 samples per scan in a small file") {
    patch_u16(b, 4, 65535);
    refused(b, "no complete scan");
  }
  SECTION("2 samples per scan: header words only") {
    patch_u16(b, 4, 2);
    refused(b, "leave no radar sample");
  }
  SECTION("text block beyond the file") {
    patch_u16(b, 44, 60000);
    patch_u16(b, 46, 1000);
    refused(b, "rh_text");
  }
  SECTION("a data offset inside the header") {
    patch_u16(b, 2, 0);
    refused(b, "lies inside the channel headers");
  }
  SECTION("truncated mid-scan") {
    b.resize(b.size() - 3);
    refused(b, "truncated");
  }
}

TEST_CASE("DZT: header samples are removed, t0 moved and marks kept on a file written byte by byte", "[hostile][dzt]") {
  ScratchFolder folder;
  const std::string path = folder.file("line.DZT");
  gprproc_test::write_bytes(path, make_dzt(64, 20, 32.0f, 50.0f));
  const VendorFile f = read_dzt(path);
  const BScan& b = f.bscan;
  CHECK(b.n_samples() == 62);  // 64 words - counter - mark word
  CHECK(b.metadata.dt == Approx(32e-9 / 64).epsilon(1e-12));
  CHECK(b.metadata.t0 == Approx(2 * 32e-9 / 64).epsilon(1e-12));
  // Word i of scan j is 32768 + 100 i - 50 j: row 0 is word 2.
  CHECK(b(0, 0) == 200.0f);
  CHECK(b(0, 5) == 200.0f - 250.0f);
  CHECK(b(61, 19) == 6300.0f - 950.0f);
  CHECK(b.marks == std::vector<std::size_t>{3, 13});
}

TEST_CASE("DZT: a time-triggered file (scans per metre 0) asks for dx, and can still be inspected", "[hostile][dzt]") {
  ScratchFolder folder;
  const std::string path = folder.file("timed.DZT");
  gprproc_test::write_bytes(path, make_dzt(64, 20, 32.0f, 0.0f));
  expect_refused<InvalidArgument>(path, ErrorCode::invalid_argument, "pass dx", [&] { read_dzt(path); });
  DztOptions o;
  o.require_dx = false;
  const VendorFile f = read_dzt(path, o);
  CHECK(f.dx_from == "none");
  CHECK(f.header_value("rhf_spm") == "0");
  CHECK(read_vendor(path, 0.0, false).dx_from == "none");
  o.dx = 0.05;
  CHECK(read_dzt(path, o).dx_from == "caller");
}

TEST_CASE("DZT: Latin-1 bytes in header text are decoded, never a decoding error", "[hostile][dzt][text]") {
  ScratchFolder folder;
  const std::string path = folder.file("latin1.DZT");
  std::vector<char> b = make_dzt(64, 5);
  std::memcpy(&b[114], "M\xc4LARDALEN", 10);  // rh_name with Latin-1 'Ä' (0xc4)
  b[98 + 6] = '\x01';                          // a control byte after "400MHz"
  gprproc_test::write_bytes(path, b);
  const VendorFile f = read_dzt(path);
  CHECK(f.header_value("rh_name") == "M\xc3\x84LARDALEN");  // UTF-8 for U+00C4
  CHECK(f.header_value("rh_ant") == "400MHz?");
  // Valid UTF-8 is kept as it is.
  std::memcpy(&b[114], "M\xc3\x84LARDAL\0\0", 12);
  gprproc_test::write_bytes(path, b);
  CHECK(read_dzt(path).header_value("rh_name") == "M\xc3\x84LARDAL");
}

// --------------------------------------------------- vendor: DT1, MALA, SEG-Y ----

namespace {
std::string hd_text(const std::string& traces, const std::string& points, const std::string& window,
                    const std::string& extra = "", const std::string& step = "0.25") {
  return "1234\r\nDATA\r\nNUMBER OF TRACES   = " + traces + "\r\nNUMBER OF PTS/TRC  = " + points +
         "\r\nTOTAL TIME WINDOW  = " + window + "\r\nSTEP SIZE USED     = " + step +
         "\r\nPOSITION UNITS     = m\r\n" + extra;
}

// A DT1 of n traces x p int16 points (trace headers with position j * 0.25).
std::vector<char> make_dt1(std::size_t n, std::size_t p) {
  std::vector<char> b(n * (128 + 2 * p), '\0');
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t at = j * (128 + 2 * p);
    const float trace = static_cast<float>(j + 1), position = 0.25f * static_cast<float>(j);
    const float points = static_cast<float>(p), bytes = 2.0f, window = 100.0f;
    std::memcpy(&b[at], &trace, 4);
    std::memcpy(&b[at + 4], &position, 4);
    std::memcpy(&b[at + 8], &points, 4);
    std::memcpy(&b[at + 20], &bytes, 4);
    std::memcpy(&b[at + 24], &window, 4);
  }
  return b;
}
}  // namespace

TEST_CASE("hostile DT1: forged counts, sizes and values give a clear error", "[hostile][dt1]") {
  ScratchFolder folder;
  const std::string dt1 = folder.file("L.DT1"), hd = folder.file("L.HD");
  gprproc_test::write_bytes(dt1, make_dt1(6, 50));
  const auto with_hd = [&](const std::string& text) { gprproc_test::write_bytes(hd, std::vector<char>(text.begin(), text.end())); };
  with_hd(hd_text("6", "50", "100"));
  CHECK(read_dt1(dt1).bscan.n_traces() == 6);
  CHECK(read_dt1(dt1).bscan.history.at(0).operation == "read_dt1");
  const auto refused = [&](const std::string& text, const std::string& needle) {
    with_hd(text);
    expect_refused<FileError>(dt1, ErrorCode::file_format, needle, [&] { read_dt1(dt1); });
  };
  refused(hd_text("1000000000", "50", "100"), "truncated");
  refused(hd_text("4e18", "50", "100"), "NUMBER OF TRACES");
  refused(hd_text("6", "-50", "100"), "NUMBER OF PTS/TRC");
  refused(hd_text("6", "50", "1e38"), "TOTAL TIME WINDOW");
  refused(hd_text("6", "50", "-100"), "TOTAL TIME WINDOW");
  refused(hd_text("6", "50", "100", "", "-0.25"), "STEP SIZE USED");
  refused(hd_text("6", "50", "100", "TIMEZERO AT POINT = 1e30\r\n"), "TIMEZERO AT POINT");
  refused(hd_text("6", "50", "100", "ANTENNA SEPARATION = -1\r\n"), "ANTENNA SEPARATION");
  refused(hd_text("7", "50", "100"), "truncated");
  // A trace header whose position is not finite.
  with_hd(hd_text("6", "50", "100"));
  std::vector<char> bad = make_dt1(6, 50);
  const float inf = 1e38f * 1e38f;
  std::memcpy(&bad[2 * (128 + 100) + 4], &inf, 4);
  gprproc_test::write_bytes(dt1, bad);
  expect_refused<FileError>(dt1, ErrorCode::file_format, "trace 2 position", [&] { read_dt1(dt1); });
}

TEST_CASE("hostile MALA: forged rad values give a clear error", "[hostile][mala]") {
  ScratchFolder folder;
  const std::string rd3 = folder.file("L.rd3"), rad = folder.file("L.rad");
  gprproc_test::write_bytes(rd3, std::vector<char>(4 * 2 * 100, '\0'));  // 4 traces x 100 int16
  const auto with_rad = [&](const std::string& text) { gprproc_test::write_bytes(rad, std::vector<char>(text.begin(), text.end())); };
  const std::string base = "SAMPLES:100\r\nFREQUENCY:2000\r\nDISTANCE INTERVAL:0.05\r\n";
  with_rad(base + "TIMEWINDOW:50\r\n");
  CHECK(read_mala(rd3).bscan.n_traces() == 4);
  const auto refused = [&](const std::string& text, const std::string& needle) {
    with_rad(text);
    expect_refused<FileError>(rd3, ErrorCode::file_format, needle, [&] { read_mala(rd3); });
  };
  refused("SAMPLES:1e12\r\nTIMEWINDOW:50\r\n", "SAMPLES");
  refused("SAMPLES:-100\r\nTIMEWINDOW:50\r\n", "SAMPLES");
  refused(base + "TIMEWINDOW:-50\r\n", "TIMEWINDOW");
  refused(base + "TIMEWINDOW:1e38\r\n", "TIMEWINDOW");
  refused("SAMPLES:100\r\nTIMEWINDOW:50\r\nDISTANCE INTERVAL:-0.05\r\n", "DISTANCE INTERVAL");
  refused(base + "TIMEWINDOW:50\r\nLAST TRACE:400000\r\n", "truncated");
  refused("SAMPLES:300\r\nTIMEWINDOW:50\r\n", "truncated");
}

TEST_CASE("hostile SEG-Y: forged binary headers give a clear error", "[hostile][segy]") {
  ScratchFolder folder;
  const std::string path = folder.file("forged.sgy");
  // rev 2 big-endian, int16 samples, 10 samples of 100 ps, 3 traces.
  std::vector<char> b(3600 + 3 * (240 + 20), '\0');
  const auto be16 = [&](std::size_t at, unsigned v) {
    b[at] = static_cast<char>(v >> 8);
    b[at + 1] = static_cast<char>(v & 0xff);
  };
  const auto be32 = [&](std::size_t at, std::uint32_t v) {
    for (int k = 0; k < 4; ++k) b[at + k] = static_cast<char>((v >> (24 - 8 * k)) & 0xff);
  };
  std::memcpy(&b[0], "C 1 GPR DATA", 12);
  be16(3216, 100);
  be16(3220, 10);
  be16(3224, 3);
  be32(3296, 0x01020304u);
  b[3500] = 2;
  for (int j = 0; j < 3; ++j) be16(3600 + j * 260 + 114, 10);
  gprproc_test::write_bytes(path, b);
  SegyOptions o;
  o.dx = 0.1;
  CHECK(read_segy(path, o).bscan.n_traces() == 3);
  const auto refused = [&](std::vector<char> bytes, const std::string& needle) {
    gprproc_test::write_bytes(path, bytes);
    expect_refused<FileError>(path, ErrorCode::file_format, needle, [&] { read_segy(path, o); });
  };
  std::vector<char> negative = b;
  be16(3220, 0);
  std::swap(negative, b);  // keep b pristine below
  be32(3268, 0xfffffff0u);  // extended samples -16 (in `negative`, see the swap)
  std::swap(negative, b);
  refused(negative, "extended samples per trace");
  std::vector<char> huge_interval = b;
  const double big = 1e300;
  std::uint64_t bits;
  std::memcpy(&bits, &big, 8);
  for (int k = 0; k < 8; ++k) huge_interval[3272 + k] = static_cast<char>((bits >> (56 - 8 * k)) & 0xff);
  refused(huge_interval, "extended sample interval");
  std::vector<char> many = b;
  for (int k = 0; k < 8; ++k) many[3512 + k] = static_cast<char>(k == 0 ? 0x7f : 0xff);
  refused(many, "number of traces");
  std::vector<char> cut = b;
  cut.resize(cut.size() - 7);
  refused(cut, "truncated");
  std::vector<char> headers_only = b;
  headers_only.resize(3000);
  refused(headers_only, "past the end");
}

TEST_CASE("hostile HDF5: a global heap collection that libhdf5 would loop on forever is refused", "[hostile][hdf5][heap]") {
  // Found by tests/fuzz/fuzz_hdf5 from a seed of our layout: its global heap
  // (where the variable-length string attributes live) ends in a free-space
  // object of size 0, on which HDF5 1.10's decoder never advances. Before the
  // check, read_bscan, read and list_groups hung inside H5Aread.
  const std::string original = (gprproc_test::source_dir() / "tests/io/hostile/global_heap_loop.h5").string();
  ScratchFolder folder;
  const std::string path = folder.file("loop.h5");
  gprproc_test::write_bytes(path, gprproc_test::file_bytes(original));
  expect_refused<FileError>(path, ErrorCode::file_format, "global heap collection at byte 7303",
                            [&] { read_bscan(path); });
  expect_refused<FileError>(path, ErrorCode::file_format, "global heap", [&] { read(path); });
  expect_refused<FileError>(path, ErrorCode::file_format, "global heap", [&] { list_groups(path); });
  expect_refused<FileError>(path, ErrorCode::file_format, "global heap", [&] { read_image(path); });
}

TEST_CASE("hostile HDF5: the global heap check passes every file our writer makes", "[hostile][hdf5][heap]") {
  ScratchFolder folder;
  const std::string path = folder.file("ours.h5");
  BScanMetadata m;
  m.dt = 1e-10;
  m.dx = 0.01;
  m.source = std::string(5000, 's');  // long strings: a bigger heap collection
  BScan b(32, 16, m);
  for (int k = 0; k < 20; ++k) b.history.push_back({"step" + std::to_string(k), "{\"k\": " + std::to_string(k) + "}", "0"});
  write_bscan(path, b);
  write_bscan(path, b, "line_002");
  CHECK(read_bscan(path, "line_002").history.size() == 20);
  CHECK(list_groups(path).size() == 2);
}

TEST_CASE("hostile HDF5: a group name heap without its NUL end (libhdf5 would read past it) is refused",
          "[hostile][hdf5][heap]") {
  // Found by tests/fuzz/fuzz_gprmax from the real gprMax 3.0.6 A-scan: the
  // local heap of a group's names no longer ends in NUL, and a forged name
  // offset made HDF5 1.10's H5G__ent_to_link strdup past the heap (an
  // AddressSanitizer heap-buffer-overflow inside libhdf5, reached through
  // H5Literate when listing /rxs).
  const std::string original = (gprproc_test::source_dir() / "tests/io/hostile/local_heap_overrun.out").string();
  ScratchFolder folder;
  const std::string path = folder.file("overrun.out");
  gprproc_test::write_bytes(path, gprproc_test::file_bytes(original));
  GprMaxOptions o;
  o.dx = 0.01;
  expect_refused<FileError>(path, ErrorCode::file_format, "local heap at byte 9328", [&] { read_gprmax(path, o); });
  expect_refused<FileError>(path, ErrorCode::file_format, "local heap", [&] { list_groups(path); });
  expect_refused<FileError>(path, ErrorCode::file_format, "local heap", [&] { read(path, "", 0.01); });
}

TEST_CASE("hostile HDF5: the heap checks pass the real gprMax files", "[hostile][hdf5][heap]") {
  for (const char* name : {"gprmax/cylinder_Ascan_2D_v3.0.6.out", "gprmax/cylinder_Bscan_2D_v4_merged.h5",
                           "landmines/pmn_dry_sand_merged.out"}) {
    const std::string path = gprproc_test::shared_data_or_skip(name);
    if (path.empty()) return;
    INFO(name);
    CHECK_NOTHROW(list_groups(path));
  }
}

TEST_CASE("hostile HDF5: hard links back to the root do not make the group walk exponential", "[hostile][hdf5][cycles]") {
  // Before each group was visited once, ten links back to "/" under /g made
  // list_groups walk 10^16 paths (16 levels deep) and never return; the
  // hdf5 fuzzer found a 14 KB file of such links that took 9 s.
  ScratchFolder folder;
  const std::string path = folder.file("cycles.h5");
  {
    RawFile f(path);
    f.group("/g");
    for (int k = 0; k < 10; ++k)
      REQUIRE(H5Lcreate_hard(f.id(), "/", f.id(), ("/g/l" + std::to_string(k)).c_str(), H5P_DEFAULT, H5P_DEFAULT) >= 0);
    bscan_group(f);
    f.floats("/bscan/data", {4, 3}, std::vector<float>(12, 1.0f));
    f.text("/bscan", "gprproc_kind", "bscan", true);
  }
  const auto groups = list_groups(path);
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].name == "/bscan");
  CHECK(read_bscan(path).n_traces() == 3);
}

TEST_CASE("hostile DT1: an HD of a million lines is refused, repeated keys are kept apart", "[hostile][dt1]") {
  ScratchFolder folder;
  const std::string dt1 = folder.file("L.DT1"), hd = folder.file("L.HD");
  gprproc_test::write_bytes(dt1, make_dt1(6, 50));
  std::string text = hd_text("6", "50", "100", "STACKS = 16\r\nSTACKS = 32\r\nSTACKS = 64\r\n");
  gprproc_test::write_bytes(hd, std::vector<char>(text.begin(), text.end()));
  const std::string p = read_dt1(dt1).bscan.history.at(0).parameters_json;
  CHECK(p.find("\"STACKS\": \"16\"") != std::string::npos);
  CHECK(p.find("\"STACKS (2)\": \"32\"") != std::string::npos);
  CHECK(p.find("\"STACKS (3)\": \"64\"") != std::string::npos);
  // Before the bound, a million repeats of one key took cubic time to name.
  for (int k = 0; k < 1000000; ++k) text += "A=1\r\n";
  gprproc_test::write_bytes(hd, std::vector<char>(text.begin(), text.end()));
  expect_refused<FileError>(hd, ErrorCode::file_format, "any real header holds", [&] { read_dt1(dt1); });
}
