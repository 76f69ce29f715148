// gprproc-bench [--quick | --size field,long,batch,stack | --full] [--json FILE] [--markdown FILE]
//               [--filter LIST] [--op LIST] [--cpu-size LIST] [--cpu-skip LIST] [--repetitions N] [--budget SECONDS] [--no-cpu] [--no-gpu]
// Runs every registered suite and prints a markdown table; memory-bound results
// are shown as a fraction of the copy bandwidth measured in the same run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "bench_harness.hpp"
#include "gprproc/device.hpp"
#include "gprproc/version.hpp"

namespace gprproc::bench {

#ifdef GPRPROC_HAS_CUDA
// bench_device_info_cuda.cu: FP32 lane operations per second of the device in use (0 without one).
double fp32_issue_limit();
#else
double fp32_issue_limit() { return 0.0; }
#endif

namespace {
std::map<std::string, Suite>& suites() {
  static std::map<std::string, Suite> all;
  return all;
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}
}  // namespace

bool register_suite(const std::string& name, Suite suite) {
  suites()[name] = std::move(suite);
  return true;
}

Shape named_shape(const std::string& label) {
  if (label == "quick") return {label, 256, 1024};
  if (label == "field") return {label, 1024, 4096};
  if (label == "long") return {label, 1024, 65536};
  if (label == "batch") return {label, 1024, 524288};  // 2 GiB of float32
  if (label == "stack") return {label, 1024, 4096, 128};  // 2 GiB of float32 in 128 B-scans
  // Any other size as SAMPLESxTRACES or BSCANSxSAMPLESxTRACES (a lab's own data).
  std::vector<std::size_t> extents;
  std::stringstream parts(label);
  for (std::string part; std::getline(parts, part, 'x');) {
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || part.size() > 9) return {};
    extents.push_back(static_cast<std::size_t>(std::stoull(part)));
  }
  if (extents.size() < 2 || extents.size() > 3 ||
      std::any_of(extents.begin(), extents.end(), [](std::size_t e) { return e == 0; }))
    return {};
  if (extents.size() == 2) return {label, extents[0], extents[1]};
  return {label, extents[1], extents[2], extents[0]};
}

bool has_shape(const Options& options, const std::string& label) {
  return std::any_of(options.shapes.begin(), options.shapes.end(), [&](const Shape& s) { return s.label == label; });
}

// True when `name` contains one of the comma-separated texts of `list`
// (--filter roofline,migration_cuda runs those suites and no others).
static bool contains_any(const std::string& name, const std::string& list) {
  std::stringstream items(list);
  for (std::string item; std::getline(items, item, ',');)
    if (!item.empty() && name.find(item) != std::string::npos) return true;
  return false;
}

double median_seconds(const std::function<void()>& run, int repetitions) {
  Options options;
  options.repetitions = repetitions;
  options.budget_seconds = 1e300;
  return median_seconds(run, options);
}

double median_seconds(const std::function<void()>& run, const Options& options) {
  run();  // warm-up: page faults, plan creation, caches
  std::vector<double> times;
  double total = 0.0;
  for (int r = 0; r < std::max(1, options.repetitions); ++r) {
    const auto start = std::chrono::steady_clock::now();
    run();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    total += times.back();
    if (total >= options.budget_seconds) break;
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace gprproc::bench

int main(int argc, char** argv) {
  using namespace gprproc::bench;
  Options options;
  std::string json_path, markdown_path, filter, sizes = "field,long", cpu_sizes;
  bool full = false;
  const char* usage =
      "usage: gprproc-bench [--quick | --size LIST | --full] [--json FILE] [--markdown FILE] [--filter LIST]\n"
      "                     [--op LIST] [--cpu-size LIST] [--cpu-skip LIST] [--repetitions N] [--budget SECONDS] [--no-cpu] [--no-gpu]\n"
      "  --quick        smoke run at 256x1024 (small roofline buffers)\n"
      "  --size LIST    comma-separated shapes: field (1024x4096), long (1024x65536), batch (1024x524288, 2 GiB),\n"
      "                 stack (128x1024x4096, 2 GiB: background removal only), or any\n"
      "                 SAMPLESxTRACES or BSCANSxSAMPLESxTRACES (a stack)\n"
      "                 default: field,long\n"
      "  --full         field,long,batch,stack\n"
      "  --filter LIST  only suites whose name contains one of the comma-separated texts (suites: roofline_cpu, roofline_cuda, filters_cpu,\n"
      "                 filters_cuda, gain_cpu, gain_cuda, background_cpu, background_cuda, migration_cpu,\n"
      "                 migration_cuda, detect_cpu, detect_cuda)\n"
      "  --op LIST      only operations whose name contains one of the comma-separated texts\n"
      "                 (e.g. dewow,kirchhoff; the copy rooflines always run with their suite)\n"
      "  --cpu-size LIST  sizes for the CPU suites only (default: as --size)\n"
      "  --cpu-skip LIST  leave these operations out of the CPU suites (e.g. velocity_scan)\n"
      "  --budget S     stop repeating a measurement once its timed runs took S seconds (default 2)\n"
      "exit status: 0, 1 for a bad command line, 3 when an operation FAILED (it is in the tables)\n";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") options.quick = true;
    else if (arg == "--full") full = true;
    else if (arg == "--size" && i + 1 < argc) sizes = argv[++i];
    else if (arg == "--json" && i + 1 < argc) json_path = argv[++i];
    else if (arg == "--markdown" && i + 1 < argc) markdown_path = argv[++i];
    else if (arg == "--filter" && i + 1 < argc) filter = argv[++i];
    else if (arg == "--op" && i + 1 < argc) {
      std::stringstream ops(argv[++i]);
      for (std::string op; std::getline(ops, op, ',');)
        if (!op.empty()) options.op_filter.push_back(op);
    } else if (arg == "--cpu-skip" && i + 1 < argc) {
      std::stringstream ops(argv[++i]);
      for (std::string op; std::getline(ops, op, ',');)
        if (!op.empty()) options.cpu_skip.push_back(op);
    } else if (arg == "--cpu-size" && i + 1 < argc) cpu_sizes = argv[++i];
    else if (arg == "--repetitions" && i + 1 < argc) options.repetitions = std::atoi(argv[++i]);
    else if (arg == "--budget" && i + 1 < argc) options.budget_seconds = std::atof(argv[++i]);
    else if (arg == "--no-cpu") options.cpu = false;
    else if (arg == "--no-gpu") options.gpu = false;
    else {
      std::fprintf(stderr, "%s", usage);
      return arg == "--help" || arg == "-h" ? 0 : 1;
    }
  }
  if (options.repetitions < 1 || !(options.budget_seconds > 0.0)) {
    std::fprintf(stderr, "gprproc-bench: --repetitions must be >= 1 and --budget > 0\n");
    return 1;
  }
  if (options.quick) sizes = "quick";
  else if (full) sizes = "field,long,batch,stack";
  const auto parse_sizes = [](const std::string& text, std::vector<Shape>& shapes) {
    std::stringstream list(text);
    for (std::string label; std::getline(list, label, ',');) {
      const Shape shape = named_shape(label);
      if (shape.n_samples == 0) {
        std::fprintf(stderr, "gprproc-bench: unknown size '%s' (quick, field, long, batch, stack, SAMPLESxTRACES, "
                     "BSCANSxSAMPLESxTRACES)\n", label.c_str());
        return false;
      }
      shapes.push_back(shape);
    }
    return true;
  };
  if (!parse_sizes(sizes, options.shapes) || !parse_sizes(cpu_sizes, options.cpu_shapes)) return 1;
  if (!cpu_sizes.empty()) sizes += " (cpu: " + cpu_sizes + ")";

  const auto begin = std::chrono::steady_clock::now();
  std::vector<Measurement> results;
  for (const auto& [name, suite] : suites()) {
    if (!filter.empty() && !contains_any(name, filter)) continue;
    if (!options.cpu && name.find("_cpu") != std::string::npos && name.rfind("roofline", 0) != 0) continue;
    if (!options.gpu && name.find("_cuda") != std::string::npos) continue;
    std::fprintf(stderr, "[bench] %s ...\n", name.c_str());
    try {
      suite(options, results);
    } catch (const std::exception& e) {
      // A failing operation is reported and the others still run.
      std::fprintf(stderr, "[bench] %s FAILED: %s\n", name.c_str(), e.what());
      results.push_back({name, "-", "-", 0.0, 0.0, "", 0.0, std::string("FAILED: ") + e.what()});
    }
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();

  // Roofline references: the copy bandwidth of each device measured above.
  std::map<std::string, double> copy_bandwidth;
  for (const auto& m : results)
    if (m.name == "copy" && m.bytes > 0) copy_bandwidth[m.device] = std::max(copy_bandwidth[m.device], m.bytes / m.seconds);

#ifdef _OPENMP
  const int cpu_threads = omp_get_max_threads();
#else
  const int cpu_threads = 1;
#endif
  const unsigned hardware_threads = std::thread::hardware_concurrency();
  const double issue = fp32_issue_limit();

  std::ostringstream md;
  md << "gprproc " << gprproc::version_string << " benchmark; CPU: " << cpu_threads << " OpenMP threads ("
     << hardware_threads << " hardware threads); CUDA device: " << gprproc::cuda_device_name();
  if (issue > 0) md << " (FP32 issue limit " << issue / 1e12 << " T lane-ops/s)";
  md << "; sizes: " << sizes << "; total " << int(elapsed + 0.5) << " s\n\n";
  md << "| operation | device | size | note | time (ms) | throughput | GB/s | of copy bw |\n";
  md << "|---|---|---|---|---:|---:|---:|---:|\n";
  std::ostringstream js;
  js << "{\n  \"version\": \"" << gprproc::version_string << "\",\n  \"cuda_device\": \""
     << json_escape(gprproc::cuda_device_name()) << "\",\n  \"cpu_threads\": " << cpu_threads
     << ",\n  \"hardware_threads\": " << hardware_threads << ",\n  \"fp32_issue_limit_per_s\": " << issue
     << ",\n  \"sizes\": \"" << sizes << "\",\n  \"elapsed_seconds\": " << elapsed << ",\n  \"results\": [\n";
  for (std::size_t k = 0; k < results.size(); ++k) {
    const auto& m = results[k];
    const bool timed = m.seconds > 0;
    const double gbs = timed && m.bytes > 0 ? m.bytes / m.seconds / 1e9 : 0.0;
    const auto ref = copy_bandwidth.find(m.device);
    const bool transfer = m.name.rfind("transfer", 0) == 0;  // host<->device links have their own limit
    const bool staged = m.note.find("with transfers") != std::string::npos;  // bound by the link, not memory
    const double fraction = (timed && m.bytes > 0 && !transfer && !staged && ref != copy_bandwidth.end())
                                ? (m.bytes / m.seconds) / ref->second
                                : 0.0;
    char gb_text[32] = "-", fraction_text[32] = "-", rate_text[64] = "-";
    if (gbs > 0) std::snprintf(gb_text, sizeof gb_text, "%.1f", gbs);
    if (fraction > 0) std::snprintf(fraction_text, sizeof fraction_text, "%d%%", int(fraction * 100 + 0.5));
    if (timed) std::snprintf(rate_text, sizeof rate_text, "%.3g %s", m.work / m.seconds, m.work_unit.c_str());
    char line[1024];
    std::snprintf(line, sizeof line, "| %s | %s | %s | %s | %.3f | %s | %s | %s |\n", m.name.c_str(), m.device.c_str(),
                  m.size.c_str(), m.note.c_str(), m.seconds * 1e3, rate_text, gb_text, fraction_text);
    md << line;
    js << "    {\"name\": \"" << json_escape(m.name) << "\", \"device\": \"" << json_escape(m.device)
       << "\", \"size\": \"" << m.size << "\", \"note\": \"" << json_escape(m.note) << "\", \"seconds\": " << m.seconds
       << ", \"work\": " << m.work << ", \"work_unit\": \"" << m.work_unit << "\", \"bytes\": " << m.bytes
       << ", \"fraction_of_copy\": " << fraction << "}" << (k + 1 < results.size() ? "," : "") << "\n";
  }
  js << "  ]\n}\n";
  std::printf("%s", md.str().c_str());
  if (!json_path.empty()) std::ofstream(json_path) << js.str();
  if (!markdown_path.empty()) std::ofstream(markdown_path) << md.str();
  // A failed operation is in the tables, and in the exit status (scripts and
  // the smoke tests notice it).
  const bool failed = std::any_of(results.begin(), results.end(),
                                  [](const Measurement& m) { return m.note.rfind("FAILED", 0) == 0; });
  if (failed) std::fprintf(stderr, "gprproc-bench: some operations FAILED (see the tables)\n");
  return failed ? 3 : 0;
}
