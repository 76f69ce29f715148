"""Target detection on migrated depth images (docs/DETECTION.md).

    img = gp.migrate(b, velocity=1.2e8, dz=2e-3, depth=0.3)
    targets = gp.detect(img, min_depth=0.02)      # list of Target(x, depth, amplitude, snr)
"""
import math
from collections import namedtuple


from . import _arrays, _core, _numbers, _wrap
from .bscan import DepthImage

Target = namedtuple("Target", ["x", "depth", "amplitude", "snr"])
Target.__doc__ = "A detected target: x (m), depth (m below the surface), envelope amplitude, snr."


class Detections(list):
    """A list of Target, strongest first, with the background statistics the
    threshold was set from (``background_median``, ``background_sigma``, ``level``)."""

    def __init__(self, targets, result):
        super().__init__(targets)
        self.background_median = float(result["background_median"])
        self.background_sigma = float(result["background_sigma"])
        self.level = float(result["level"])
        self.candidates = int(result["candidates"])


def detect(image, *, threshold=8.0, relative_threshold=0.0, min_separation=0.1, min_depth=0.0, max_depth=None,
           edge_margin=0.0, max_targets=20, envelope=True, device="auto", dz=None, dx=None, z0=0.0, x0=0.0):
    """Focused targets in a depth image: local maxima of the depth-wise Hilbert
    envelope with envelope >= max(median + threshold * 1.4826 MAD,
    relative_threshold * max) over the search window (min_depth..max_depth,
    edge_margin in from the ends), min_separation (m) apart, strongest first.

    ``image`` is a DepthImage, or a bare (n_z, n_x) array with dz and dx (and
    z0, x0) as keywords. Returns Detections (a list of Target).
    """
    _wrap.check_device(device)
    threshold = _numbers.real("threshold", threshold)
    relative_threshold = _numbers.real("relative_threshold", relative_threshold)
    min_separation = _numbers.real("min_separation", min_separation, "m")
    min_depth = _numbers.real("min_depth", min_depth, "m")
    max_depth = _numbers.optional_real("max_depth", max_depth, "m", finite=False)
    edge_margin = _numbers.real("edge_margin", edge_margin, "m")
    max_targets = _numbers.integer("max_targets", max_targets, minimum=1)
    envelope = _numbers.flag("envelope", envelope)
    if isinstance(image, DepthImage):
        data, grid = image.data, _core.ImageGrid(image.dz, image.z0, image.dx, image.x0)
    else:
        if dz is None or dx is None:
            raise ValueError("detect on a bare array needs dz=... and dx=... (m)")
        data = _arrays.as_float32_2d(image, "image")
        grid = _core.ImageGrid(_numbers.real("dz", dz, "m"), _numbers.real("z0", z0, "m"),
                               _numbers.real("dx", dx, "m"), _numbers.real("x0", x0, "m"))
    result = _core.detect(data, grid, threshold, relative_threshold, min_separation, min_depth,
                          math.inf if max_depth is None else max_depth, edge_margin, max_targets, envelope, device)
    return Detections([Target(*t[:4]) for t in result["targets"]], result)
