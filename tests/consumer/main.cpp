// Uses the installed library: builds a B-scan, writes and reads it back.
#include <cstdio>
#include <gprproc/gprproc.hpp>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  gprproc::BScanMetadata meta;
  meta.dt = 1e-11;
  meta.dx = 0.01;
  gprproc::BScan b(8, 3, meta);
  b(4, 1) = 1.5f;
  gprproc::WriteOptions options;
  options.overwrite_group = true;
  gprproc::write_bscan(argv[1], b, "bscan", options);
  const gprproc::BScan back = gprproc::read_bscan(argv[1], "bscan");
  const bool same = back.n_samples() == 8 && back.n_traces() == 3 && back(4, 1) == 1.5f && back.metadata.dx == 0.01;
  std::printf("gprproc %s consumer: round trip %s; CUDA backend %s, device: %s\n", gprproc::version_string,
              same ? "ok" : "FAILED", gprproc::cuda_compiled() ? "compiled" : "absent",
              gprproc::cuda_device_name().c_str());
  return same ? 0 : 1;
}
