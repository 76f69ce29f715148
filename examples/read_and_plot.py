"""Read a gprMax B-scan with gprproc, save it in gprproc's HDF5 layout and plot it.

Run from the repository root after `pip install .`:
    python3 examples/read_and_plot.py data/pmn_loam_rough_merged.out out/
"""
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import gprproc as gp


def main(path: str, out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    b = gp.read_gprmax(path, component="Ez", dx=0.01)  # merged files carry no trace spacing
    print(b)
    gp.write(str(out / "sample.h5"), b, group="bscan", overwrite=True)

    clip = np.percentile(np.abs(b.data), 99)
    t_ns = (b.t0 + b.dt * np.arange(b.n_samples)) * 1e9
    x_m = b.x0 + b.dx * np.arange(b.n_traces)
    fig, ax = plt.subplots(figsize=(7, 5))
    im = ax.imshow(b.data, aspect="auto", cmap="seismic", vmin=-clip, vmax=clip,
                   extent=[x_m[0], x_m[-1], t_ns[-1], t_ns[0]])
    ax.set_xlabel("x (m)")
    ax.set_ylabel("t (ns)")
    ax.set_title(Path(path).name)
    fig.colorbar(im, ax=ax, label=b.component)
    fig.savefig(out / "sample.png", dpi=120, bbox_inches="tight")
    print("wrote", out / "sample.h5", "and", out / "sample.png")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/pmn_loam_rough_merged.out",
         sys.argv[2] if len(sys.argv) > 2 else "out")
