// Our HDF5 layout: bit-exact round trips with all metadata, several groups in
// one file, overwrite rules, and writes that never destroy data.
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "gprproc/error.hpp"
#include "gprproc/io.hpp"
#include "io_test_support.hpp"

using namespace gprproc;
using gprproc_test::ScratchFolder;

namespace {

BScan random_bscan(std::size_t n_samples, std::size_t n_traces, unsigned seed) {
  BScanMetadata m;
  m.dt = 4.7173e-12;
  m.t0 = -0.943e-9;
  m.dx = 0.01;
  m.x0 = 0.1;
  m.antenna_offset = 0.04;
  m.antenna_height = 0.03;
  m.center_frequency = 1.5e9;
  m.component = "Ez";
  m.source = "/data/scène_ü.out";  // UTF-8 survives
  std::vector<float> samples(n_samples * n_traces);
  std::mt19937 generator(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (float& s : samples) s = normal(generator);
  samples[0] = std::numeric_limits<float>::denorm_min();  // bit-exact, not just close
  samples[1] = -0.0f;
  BScan b(std::move(samples), n_samples, n_traces, m);
  append_history(b.history, "read_gprmax", HistoryParameters().add("file", "scene \"1\".out").add("component", "Ez"));
  append_history(b.history, "dewow",
                 HistoryParameters().add("window", 1e-9).add("traces", std::size_t{7}).add("flag", true).add(
                     "list", std::vector<double>{0.1, 2.5e10, -3.0}));
  for (std::size_t j = 0; j < n_traces; ++j) {
    b.positions.push_back(0.12 + 0.01 * static_cast<double>(j));
    b.positions.push_back(0.38);
    b.positions.push_back(0.0);
  }
  return b;
}

void require_same(const BScan& a, const BScan& b) {
  REQUIRE(a.n_samples() == b.n_samples());
  REQUIRE(a.n_traces() == b.n_traces());
  REQUIRE(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
  CHECK(a.metadata.dt == b.metadata.dt);
  CHECK(a.metadata.t0 == b.metadata.t0);
  CHECK(a.metadata.dx == b.metadata.dx);
  CHECK(a.metadata.x0 == b.metadata.x0);
  CHECK(a.metadata.antenna_offset == b.metadata.antenna_offset);
  CHECK(a.metadata.antenna_height == b.metadata.antenna_height);
  CHECK(a.metadata.center_frequency == b.metadata.center_frequency);
  CHECK(a.metadata.component == b.metadata.component);
  CHECK(a.metadata.source == b.metadata.source);
  CHECK(a.positions == b.positions);
  REQUIRE(a.history.size() == b.history.size());
  for (std::size_t k = 0; k < a.history.size(); ++k) {
    CHECK(a.history[k].operation == b.history[k].operation);
    CHECK(a.history[k].parameters_json == b.history[k].parameters_json);
    CHECK(a.history[k].library_version == b.history[k].library_version);
  }
}

bool has_temporary(const ScratchFolder& folder) {
  for (const auto& name : folder.names())
    if (name.find(".tmp-") != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a B-scan round-trips bit-exactly with all metadata, positions and history", "[io][layout]") {
  ScratchFolder folder;
  const std::string path = folder.file("survey.h5");
  const BScan original = random_bscan(300, 97, 1);
  write_bscan(path, original);
  const BScan back = read_bscan(path);
  require_same(original, back);
  // read() finds our layout by content
  require_same(original, read(path, "bscan"));
  CHECK(folder.names() == std::vector<std::string>{"survey.h5"});
}

TEST_CASE("the samples in the file are what plain HDF5 reads, chunked and compressed", "[io][layout]") {
  ScratchFolder folder;
  const std::string path = folder.file("chunked.h5");
  const BScan original = random_bscan(400, 150, 2);
  write_bscan(path, original, "line_007");
  const auto raw = gprproc_test::raw_read_float(path, "/line_007/data");
  REQUIRE(raw.dims == std::vector<hsize_t>{400, 150});
  REQUIRE(std::memcmp(raw.values.data(), original.data(), original.size() * sizeof(float)) == 0);

  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t data = H5Dopen2(file, "/line_007/data", H5P_DEFAULT);
  const hid_t properties = H5Dget_create_plist(data);
  hsize_t chunk[2] = {0, 0};
  REQUIRE(H5Pget_layout(properties) == H5D_CHUNKED);
  REQUIRE(H5Pget_chunk(properties, 2, chunk) == 2);
  CHECK(chunk[0] == 400);  // all samples of
  CHECK(chunk[1] == 64);   // up to 64 traces
  std::vector<H5Z_filter_t> filters;
  for (int k = 0; k < H5Pget_nfilters(properties); ++k) {
    unsigned flags = 0;
    size_t n = 0;
    filters.push_back(H5Pget_filter2(properties, static_cast<unsigned>(k), &flags, &n, nullptr, 0, nullptr, nullptr));
  }
  CHECK(filters == std::vector<H5Z_filter_t>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE});
  // The kind attribute is a variable-length UTF-8 string (h5py reads str).
  const hid_t group = H5Gopen2(file, "/line_007", H5P_DEFAULT);
  const hid_t kind = H5Aopen(group, "gprproc_kind", H5P_DEFAULT);
  const hid_t type = H5Aget_type(kind);
  CHECK(H5Tis_variable_str(type) > 0);
  CHECK(H5Tget_cset(type) == H5T_CSET_UTF8);
  H5Tclose(type);
  H5Aclose(kind);
  H5Gclose(group);
  H5Pclose(properties);
  H5Dclose(data);
  H5Fclose(file);
}

TEST_CASE("chunks hold all samples of up to 64 traces, capped near 1 MiB", "[io][layout]") {
  ScratchFolder folder;
  const std::string path = folder.file("long.h5");
  BScanMetadata m;
  m.dt = 1e-10;
  m.dx = 0.05;
  BScan tall(20000, 100, m);  // 20000 samples x 4 bytes: 13 traces fit in 1 MiB
  write_bscan(path, tall, "bscan", WriteOptions{false, 0});
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t data = H5Dopen2(file, "/bscan/data", H5P_DEFAULT);
  const hid_t properties = H5Dget_create_plist(data);
  hsize_t chunk[2] = {0, 0};
  H5Pget_chunk(properties, 2, chunk);
  CHECK(chunk[0] == 20000);
  CHECK(chunk[1] == 13);
  CHECK(H5Pget_nfilters(properties) == 0);  // compression_level 0
  H5Pclose(properties);
  H5Dclose(data);
  H5Fclose(file);
  CHECK(read_bscan(path).n_samples() == 20000);
}

TEST_CASE("several B-scans and an image live in one file", "[io][layout]") {
  ScratchFolder folder;
  const std::string path = folder.file("survey.h5");
  const BScan a = random_bscan(50, 10, 3);
  const BScan b = random_bscan(60, 12, 4);
  write_bscan(path, a, "line_001");
  write_bscan(path, b, "/line_007");
  write_bscan(path, a, "survey/day2/line_003");  // nested groups are created

  DepthImage image(40, 12, ImageGrid{2e-3, 0.0, 0.01, 0.1}, VelocityModel::layered({0.0, 0.2}, {1.5e8, 1.0e8}));
  for (std::size_t k = 0; k < image.size(); ++k) image.data()[k] = static_cast<float>(k) * 0.25f - 3.0f;
  append_history(image.history, "migrate", HistoryParameters().add("method", "kirchhoff").add("aperture", 0.3));
  write_image(path, image);

  require_same(a, read_bscan(path, "line_001"));
  require_same(b, read_bscan(path, "line_007"));
  require_same(a, read_bscan(path, "/survey/day2/line_003/"));

  const DepthImage back = read_image(path);  // the only image
  REQUIRE(back.n_z() == 40);
  REQUIRE(back.n_x() == 12);
  CHECK(std::memcmp(back.data(), image.data(), image.size() * sizeof(float)) == 0);
  CHECK(back.grid.dz == image.grid.dz);
  CHECK(back.grid.z0 == image.grid.z0);
  CHECK(back.grid.dx == image.grid.dx);
  CHECK(back.grid.x0 == image.grid.x0);
  CHECK(back.velocity.layer_tops == image.velocity.layer_tops);
  CHECK(back.velocity.velocities == image.velocity.velocities);
  REQUIRE(back.history.size() == 1);
  CHECK(back.history[0].parameters_json == image.history[0].parameters_json);

  const auto groups = list_groups(path);
  REQUIRE(groups.size() == 4);
  CHECK(groups[0].name == "/line_001");
  CHECK(groups[0].kind == "bscan");
  CHECK(groups[0].rows == 50);
  CHECK(groups[0].columns == 10);
  CHECK(groups[1].name == "/line_007");
  CHECK(groups[2].name == "/migrated");
  CHECK(groups[2].kind == "depth_image");
  CHECK(groups[3].name == "/survey/day2/line_003");

  // Several B-scans and none called "bscan": the reader asks which one.
  try {
    read_bscan(path);
    FAIL("expected an error");
  } catch (const FileError& e) {
    CHECK(e.code() == ErrorCode::missing_entry);
    CHECK_THAT(e.what(), Catch::Contains("/line_007"));
  }
  // An image is not read as a B-scan.
  CHECK_THROWS_WITH(read_bscan(path, "migrated"), Catch::Contains("read_image"));
  CHECK(folder.names() == std::vector<std::string>{"survey.h5"});
}

TEST_CASE("an existing group is replaced only when asked, keeping the others", "[io][layout]") {
  ScratchFolder folder;
  const std::string path = folder.file("survey.h5");
  const BScan a = random_bscan(50, 10, 5);
  const BScan b = random_bscan(70, 8, 6);
  write_bscan(path, a, "bscan");
  write_bscan(path, a, "other");
  const auto before = gprproc_test::file_bytes(path);
  try {
    write_bscan(path, b, "bscan");
    FAIL("expected an error");
  } catch (const InvalidArgument& e) {
    CHECK_THAT(e.what(), Catch::Contains("already exists") && Catch::Contains("overwrite_group"));
  }
  CHECK(gprproc_test::file_bytes(path) == before);
  CHECK(!has_temporary(folder));

  WriteOptions replace;
  replace.overwrite_group = true;
  write_bscan(path, b, "bscan", replace);
  require_same(b, read_bscan(path, "bscan"));
  require_same(a, read_bscan(path, "other"));
  CHECK(folder.names() == std::vector<std::string>{"survey.h5"});
}

TEST_CASE("writing refuses a file that is not HDF5 and leaves it as it was", "[io][layout][errors]") {
  ScratchFolder folder;
  const std::string path = folder.file("notes.txt");
  const std::vector<char> text = {'k', 'e', 'e', 'p', ' ', 'm', 'e', '\n'};
  gprproc_test::write_bytes(path, text);
  try {
    write_bscan(path, random_bscan(10, 3, 7));
    FAIL("expected an error");
  } catch (const FileError& e) {
    CHECK(e.code() == ErrorCode::file_format);
    CHECK_THAT(e.what(), Catch::Contains("notes.txt") && Catch::Contains("not an HDF5 file"));
  }
  CHECK(gprproc_test::file_bytes(path) == text);
  CHECK(folder.names() == std::vector<std::string>{"notes.txt"});
}

TEST_CASE("a write that fails part-way leaves the original file unchanged and no temporary file", "[io][layout][errors]") {
  ScratchFolder folder;
  const std::string path = folder.file("survey.h5");
  write_bscan(path, random_bscan(64, 16, 8), "bscan");
  const auto before = gprproc_test::file_bytes(path);

  // Limit the size of files this process may write, so the new file (which
  // first receives a copy of the existing groups) fails while the big group
  // is written. SIGXFSZ is ignored so the write fails with EFBIG instead.
  struct rlimit old_limit {};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limit = old_limit;
  limit.rlim_cur = static_cast<rlim_t>(before.size() + 64 * 1024);
  REQUIRE(setrlimit(RLIMIT_FSIZE, &limit) == 0);
  bool failed = false;
  try {
    write_bscan(path, random_bscan(2000, 600, 9), "big", WriteOptions{false, 0});  // ~4.8 MB
  } catch (const Error& e) {
    failed = true;
    CHECK(e.code() == ErrorCode::io_failure);
  }
  setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  CHECK(failed);
  CHECK(gprproc_test::file_bytes(path) == before);
  CHECK(folder.names() == std::vector<std::string>{"survey.h5"});
  CHECK(read_bscan(path).n_traces() == 16);
}

TEST_CASE("writes check the B-scan, group name and options before touching the file", "[io][layout][errors]") {
  ScratchFolder folder;
  const std::string path = folder.file("out.h5");
  BScan good = random_bscan(20, 4, 10);

  BScan bad_dt = good;
  bad_dt.metadata.dt = 0.0;
  CHECK_THROWS_WITH(write_bscan(path, bad_dt), Catch::Contains("dt"));
  BScan bad_dx = good;
  bad_dx.metadata.dx = -0.01;
  CHECK_THROWS_WITH(write_bscan(path, bad_dx), Catch::Contains("dx"));
  BScan empty;
  CHECK_THROWS_AS(write_bscan(path, empty), InvalidArgument);
  BScan bad_positions = good;
  bad_positions.positions.pop_back();
  CHECK_THROWS_WITH(write_bscan(path, bad_positions), Catch::Contains("positions"));
  BScan bad_history = good;
  bad_history.history.push_back({"oops", "[1, 2]", "0.1.0"});
  CHECK_THROWS_WITH(write_bscan(path, bad_history), Catch::Contains("oops"));
  CHECK_THROWS_WITH(write_bscan(path, good, ""), Catch::Contains("empty"));
  CHECK_THROWS_WITH(write_bscan(path, good, "a/../b"), Catch::Contains("not valid"));
  CHECK_THROWS_WITH(write_bscan(path, good, "bscan", WriteOptions{false, 11}), Catch::Contains("compression_level"));
  CHECK_THROWS_AS(write_bscan(folder.file("no_such_folder/out.h5"), good), FileError);
  CHECK(folder.names().empty());
}

TEST_CASE("a symbolic link is written through, keeping the link", "[io][layout]") {
  ScratchFolder folder;
  const std::string target = folder.file("real.h5");
  const std::string link = folder.file("link.h5");
  write_bscan(target, random_bscan(10, 3, 11), "first");
  gprproc_test::fs::create_symlink(target, link);
  write_bscan(link, random_bscan(10, 3, 12), "second");
  CHECK(gprproc_test::fs::is_symlink(link));
  CHECK(list_groups(target).size() == 2);
}
