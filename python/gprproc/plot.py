"""Matplotlib quick-looks: B-scans in metres and nanoseconds, depth images in
metres with detections marked, and a velocity scan's focusing curve.

    import gprproc.plot as gpp
    gpp.bscan(b); gpp.image(img, targets=gp.detect(img)); gpp.velocity(scan)

matplotlib is imported only when these are called (it is not a dependency of
the package).
"""
import numpy as np

from . import _arrays


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("gprproc.plot needs matplotlib: pip install matplotlib") from e
    return plt


def _clip(values, percentile):
    finite = np.abs(values[np.isfinite(values)])
    c = float(np.percentile(finite, percentile)) if finite.size else 1.0
    return c if c > 0 else 1.0


def bscan(b, *, ax=None, title=None, clip=99.0, cmap="RdBu_r"):
    """Draws a BScan: trace position (m) across, time (ns) down, a colour bar.
    Returns the matplotlib Axes."""
    plt = _pyplot()
    data = np.asarray(_arrays.to_host(b.data)) if _arrays.is_device_array(b.data) else np.asarray(b.data)
    n_samples, n_traces = data.shape
    dx = b.dx or 1.0
    extent = [b.x0 - dx / 2, b.x0 + dx * (n_traces - 0.5),
              (b.t0 + b.dt * (n_samples - 0.5)) * 1e9, (b.t0 - b.dt / 2) * 1e9]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    c = _clip(data, clip)
    im = ax.imshow(data, aspect="auto", extent=extent, cmap=cmap, vmin=-c, vmax=c, interpolation="nearest")
    ax.set_xlabel("x (m)")
    ax.set_ylabel("t (ns)")
    if title:
        ax.set_title(title)
    ax.figure.colorbar(im, ax=ax, label="amplitude")
    return ax


def image(img, *, targets=None, ax=None, title=None, clip=99.5, cmap="RdBu_r"):
    """Draws a DepthImage: x (m) across, depth (m) down, a colour bar, and each
    target of ``targets`` (from gprproc.detect) as a numbered ring. Returns the Axes."""
    plt = _pyplot()
    data = np.asarray(_arrays.to_host(img.data)) if _arrays.is_device_array(img.data) else np.asarray(img.data)
    n_z, n_x = data.shape
    extent = [img.x0 - img.dx / 2, img.x0 + img.dx * (n_x - 0.5),
              img.z0 + img.dz * (n_z - 0.5), img.z0 - img.dz / 2]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    c = _clip(data, clip)
    im = ax.imshow(data, aspect="auto", extent=extent, cmap=cmap, vmin=-c, vmax=c, interpolation="nearest")
    for rank, t in enumerate(targets or [], start=1):
        ax.plot(t.x, t.depth, "o", markersize=14, markerfacecolor="none", markeredgecolor="lime", markeredgewidth=2)
        ax.annotate(str(rank), (t.x, t.depth), xytext=(9, -9), textcoords="offset points", color="black")
    ax.set_xlabel("x (m)")
    ax.set_ylabel("depth (m)")
    if title:
        ax.set_title(title)
    ax.figure.colorbar(im, ax=ax, label="amplitude")
    return ax


def velocity(scan, *, ax=None, title="velocity scan"):
    """Draws a velocity scan's focusing curve with its best velocity marked."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    v = np.asarray(scan.velocities) * 1e-9
    ax.plot(v, scan.focus, "o-")
    ax.axvline(scan.best * 1e-9, color="red", linestyle="--", label=f"best {scan.best * 1e-9:.4f} m/ns")
    ax.set_xlabel("velocity (m/ns)")
    ax.set_ylabel("focus")
    ax.set_title(title)
    ax.legend()
    return ax
