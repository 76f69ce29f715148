"""gprproc: ground-penetrating-radar processing on the GPU (CUDA) and the CPU.

    import gprproc as gp
    b = gp.read_gprmax("scene_merged.out", component="Ez", dx=0.01)
    b.data, b.dt, b.dx            # numpy (n_samples, n_traces) float32, SI metadata
    gp.write("out.h5", b, group="bscan")

Every operation takes a BScan (returns a new BScan with a history step) or a
bare numpy/CuPy array with its metadata as keywords (returns an array of the
same module), and ``device="auto" | "cpu" | "cuda"``.
"""
from . import _core
from ._core import CudaError
from .bscan import BScan, DepthImage
from .device import cuda_available, cuda_compiled, device_name, resolve_device
from .io import (io_available, list_groups, read, read_cube, read_gprmax, read_gprmax_cube, read_image, read_image_3d,
                 write)

__version__ = _core.version

# Operations: each area adds one import line here, e.g.
#   from .filters import dewow
# (keep the list sorted by area). There is no __all__ to maintain: every
# public name imported here is gprproc's API.
from .background import (choose_background_rank, psnr, remove_background, robust_pca, scr_improvement,
                         signal_to_clutter_ratio, singular_values)
from .crop import crop
from .detect import Detections, Target, detect
from .filters import (bandpass, bandpass_response, correct_time_zero, dewow, envelope, instantaneous_phase,
                      pick_first_breaks, remove_dc, shift_time_zero, shift_traces)
from .gain import agc, apply_gain, exponential_gain, power_gain, remove_gain, time_gain
from .geometry import (SaturationReport, SaturationWarning, correct_topography, decimate_traces, detect_saturation,
                       distances_along_path, normalize_distance_by_marks, normalize_distance_by_positions,
                       stack_traces)
from .migration_3d import Kirchhoff3DPlan, migrate_3d  # 3-D migration of cubes
from .migration import (MigrationPlan, VelocityScanResult, correct_antenna_offset, fit_hyperbola, migrate,
                        time_to_depth, velocity_scan)
from .score import Roc, read_truth, roc, score, score_scenes
from .segy_write import write_segy
from .plausibility import check_plausible, plausibility_bounds
from .vendor_formats import read_dt1, read_dzt, read_mala, read_segy, read_vendor, vendor_format_of

# Cubes (3-D surveys): every per-line operation above also takes a Cube.
from . import cube as _cube
from .cube import CScan, Cube, DepthImage3D, Target3D, depth_slice, time_slice

(remove_dc, dewow, bandpass, envelope, instantaneous_phase, correct_time_zero, shift_time_zero, time_gain, agc,
 power_gain, exponential_gain, stack_traces, decimate_traces, crop) = (_cube.line_wise(f) for f in (
    remove_dc, dewow, bandpass, envelope, instantaneous_phase, correct_time_zero, shift_time_zero, time_gain, agc,
    power_gain, exponential_gain, stack_traces, decimate_traces, crop))
remove_background = _cube.cube_aware_background(remove_background)
detect = _cube.cube_aware_detect(detect)
migrate = _cube.cube_aware_migrate(migrate)
