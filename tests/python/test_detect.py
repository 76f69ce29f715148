"""gp.detect against synthetic depth images with known targets (focused
Ricker pulses in Gaussian noise), and gprproc.plot drawing them."""
import math

import numpy as np
import pytest

import gprproc as gp

DZ, DX, X0 = 0.002, 0.01, 0.1
BLOBS = [(0.40, 0.10, 1.0), (0.90, 0.25, -0.6)]


def _image(blobs, sigma, seed=3):
    rng = np.random.default_rng(seed)
    z = np.arange(200)[:, None] * DZ
    x = X0 + np.arange(120)[None, :] * DX
    data = rng.normal(0.0, sigma, (200, 120)) if sigma > 0 else np.zeros((200, 120))
    for bx, bz, a in blobs:
        u = (z - bz) / 0.012
        w = (x - bx) / 0.02
        data = data + a * (1 - 2 * u * u) * np.exp(-u * u) * np.exp(-w * w)
    return gp.DepthImage(data.astype(np.float32), dz=DZ, dx=DX, x0=X0, velocity=1e8)


def test_detect_finds_the_targets_strongest_first():
    targets = gp.detect(_image(BLOBS, 0.01), device="cpu")
    assert len(targets) == 2
    for t, (bx, bz, a) in zip(targets, BLOBS):
        assert abs(t.x - bx) <= 0.0101 and abs(t.depth - bz) <= 0.0041
        assert t.amplitude == pytest.approx(abs(a), rel=0.15)
        assert t.snr > 8
    assert targets.background_sigma > 0


def test_detect_pure_noise_gives_nothing_and_bare_arrays_work():
    img = _image([], 1.0)
    assert len(gp.detect(img, device="cpu")) == 0
    bare = gp.detect(_image(BLOBS, 0.01).data, dz=DZ, dx=DX, x0=X0, min_depth=0.2, device="cpu")
    assert len(bare) == 1 and abs(bare[0].x - 0.90) <= 0.0101


def test_detect_rejects_bad_parameters():
    img = _image(BLOBS, 0.01)
    with pytest.raises(ValueError, match="min_separation"):
        gp.detect(img, min_separation=0.0)
    with pytest.raises(ValueError, match="dz"):
        gp.detect(img.data)


def test_plot_draws_image_with_targets(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import gprproc.plot as gpp
    img = _image(BLOBS, 0.01)
    ax = gpp.image(img, targets=gp.detect(img), title="synthetic")
    ax.figure.savefig(tmp_path / "img.png")
    assert (tmp_path / "img.png").stat().st_size > 0
    b = gp.BScan(np.zeros((64, 16), np.float32), dt=1e-11, dx=0.01)
    gpp.bscan(b).figure.savefig(tmp_path / "b.png")
