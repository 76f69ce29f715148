#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test gprproc.
# Idempotent: packages already present are skipped; safe to run again.
set -euo pipefail

APT_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libhdf5-dev hdf5-tools        # I/O component (HDF5 C API) and h5dump for debugging
  libeigen3-dev                 # compute core: dense linear algebra (SVD, least squares)
  catch2                        # C++ unit tests (Catch2 v2 single header)
  libcli11-dev                  # command-line parsing for the gprproc CLI
  nlohmann-json3-dev            # JSON history attribute
  libstb-dev                    # stb_image_write for PNG quick-looks
  libtomlplusplus-dev           # processing recipes (TOML) for the CLI
  clang libomp-dev              # libFuzzer harnesses of the vendor readers (short pass in CI)
)
PIP_PACKAGES=(numpy h5py pytest scikit-build-core pybind11 matplotlib scipy segyio)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "[setup] apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "[setup] Debian packages present"
fi

PY=${PYTHON:-python3}
if ! "$PY" -c "import numpy, h5py, pytest, scikit_build_core, pybind11, matplotlib, scipy, segyio" 2>/dev/null; then
  echo "[setup] pip install ${PIP_PACKAGES[*]}"
  "$PY" -m pip install -q --disable-pip-version-check "${PIP_PACKAGES[@]}"
else
  echo "[setup] Python packages present"
fi
