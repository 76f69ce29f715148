// Detection: targets found on a depth image (envelope, robust background
// level, local maxima, suppression). The benchmark B-scan stands in for an
// image of the same shape (rows every 5 mm, columns every 1 cm).
#include "bench_data.hpp"
#include "bench_ops.hpp"
#include "gprproc/detect.hpp"

namespace gprproc::bench {

std::vector<Op> detect_ops(const Shape& shape, const Options&) {
  if (shape.label == "batch") return {};  // detection runs on one image, not a 2 GiB batch
  ImageGrid grid;
  grid.dz = 5e-3;
  grid.dx = bench_metadata().dx;
  Op op;
  op.name = "detect";
  op.parameters = "threshold 8 sigma, envelope";
  op.work = shape.samples();
  op.work_unit = "pixels/s";
  op.out_rows = 1;  // no image output
  op.out_columns = 1;
  op.prepare = [grid](Device device, Op&) -> Runner {
    return [grid, device](ConstBScanView in, BScanView) { (void)detect(in, grid, DetectOptions{}, device); };
  };
  return {op};
}

namespace {
const bool registered = register_suite("detect_cpu", [](const Options& options, std::vector<Measurement>& out) {
  run_ops_cpu(detect_ops, options, out);
});
}  // namespace

}  // namespace gprproc::bench
