// gprproc-bench [--quick] [--json FILE] [--markdown FILE] [--filter NAME]
// Runs every registered suite and prints a markdown table; memory-bound results
// are shown as a fraction of the copy bandwidth measured in the same run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "bench_harness.hpp"
#include "gprproc/device.hpp"
#include "gprproc/version.hpp"

namespace gprproc::bench {

namespace {
std::map<std::string, Suite>& suites() {
  static std::map<std::string, Suite> all;
  return all;
}
}  // namespace

bool register_suite(const std::string& name, Suite suite) {
  suites()[name] = std::move(suite);
  return true;
}

double median_seconds(const std::function<void()>& run, int repetitions) {
  run();  // warm-up: page faults, plan creation, caches
  std::vector<double> times;
  for (int r = 0; r < std::max(1, repetitions); ++r) {
    const auto start = std::chrono::steady_clock::now();
    run();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace gprproc::bench

int main(int argc, char** argv) {
  using namespace gprproc::bench;
  Options options;
  std::string json_path, markdown_path, filter;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") options.quick = true;
    else if (arg == "--json" && i + 1 < argc) json_path = argv[++i];
    else if (arg == "--markdown" && i + 1 < argc) markdown_path = argv[++i];
    else if (arg == "--filter" && i + 1 < argc) filter = argv[++i];
    else if (arg == "--repetitions" && i + 1 < argc) options.repetitions = std::atoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: gprproc-bench [--quick] [--json FILE] [--markdown FILE] [--filter NAME] [--repetitions N]\n");
      return arg == "--help" || arg == "-h" ? 0 : 1;
    }
  }
  std::vector<Measurement> results;
  for (const auto& [name, suite] : suites()) {
    if (!filter.empty() && name.find(filter) == std::string::npos) continue;
    std::fprintf(stderr, "[bench] %s ...\n", name.c_str());
    suite(options, results);
  }

  // Roofline references: the copy bandwidth of each device measured above.
  std::map<std::string, double> copy_bandwidth;
  for (const auto& m : results)
    if (m.name == "copy" && m.bytes > 0) copy_bandwidth[m.device] = std::max(copy_bandwidth[m.device], m.bytes / m.seconds);

  std::ostringstream md;
  md << "gprproc " << gprproc::version_string << " benchmark; CUDA device: " << gprproc::cuda_device_name() << "\n\n";
  md << "| operation | device | size | note | time (ms) | throughput | GB/s | of copy bw |\n";
  md << "|---|---|---|---|---:|---:|---:|---:|\n";
  std::ostringstream js;
  js << "{\n  \"version\": \"" << gprproc::version_string << "\",\n  \"cuda_device\": \"" << gprproc::cuda_device_name()
     << "\",\n  \"results\": [\n";
  for (std::size_t k = 0; k < results.size(); ++k) {
    const auto& m = results[k];
    const double gbs = m.bytes > 0 ? m.bytes / m.seconds / 1e9 : 0.0;
    const auto ref = copy_bandwidth.find(m.device);
    const bool transfer = m.name.rfind("transfer", 0) == 0;  // host<->device links have their own limit
    const double fraction =
        (m.bytes > 0 && !transfer && ref != copy_bandwidth.end()) ? (m.bytes / m.seconds) / ref->second : 0.0;
    char line[512];
    std::snprintf(line, sizeof line, "| %s | %s | %s | %s | %.3f | %.3g %s | %s | %s |\n", m.name.c_str(),
                  m.device.c_str(), m.size.c_str(), m.note.c_str(), m.seconds * 1e3, m.work / m.seconds,
                  m.work_unit.c_str(), gbs > 0 ? std::to_string(gbs).substr(0, 6).c_str() : "-",
                  fraction > 0 ? (std::to_string(int(fraction * 100 + 0.5)) + "%").c_str() : "-");
    md << line;
    js << "    {\"name\": \"" << m.name << "\", \"device\": \"" << m.device << "\", \"size\": \"" << m.size
       << "\", \"note\": \"" << m.note << "\", \"seconds\": " << m.seconds << ", \"work\": " << m.work
       << ", \"work_unit\": \"" << m.work_unit << "\", \"bytes\": " << m.bytes << ", \"fraction_of_copy\": " << fraction
       << "}" << (k + 1 < results.size() ? "," : "") << "\n";
  }
  js << "  ]\n}\n";
  std::printf("%s", md.str().c_str());
  if (!json_path.empty()) std::ofstream(json_path) << js.str();
  if (!markdown_path.empty()) std::ofstream(markdown_path) << md.str();
  return 0;
}
