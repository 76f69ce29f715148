"""Where operations run: the CUDA backend is used when this build has it and a
GPU is present (device="auto"); device="cuda" without one is gprproc.CudaError."""
from . import _core

__all__ = ["cuda_available", "cuda_compiled", "device_name", "resolve_device"]


def cuda_available():
    """True when operations can run on a CUDA device (CUDA build and a usable GPU)."""
    return bool(_core.cuda_available())


def cuda_compiled():
    """True when this build of gprproc contains the CUDA backend."""
    return bool(_core.cuda_compiled())


def device_name():
    """The CUDA device in use ("NVIDIA H100 ... (sm_90, 81559 MiB)"), or why there is none."""
    return _core.device_name()


def resolve_device(device="auto"):
    """'cpu' or 'cuda': where ``device`` ('auto', 'cpu', 'cuda') would run.
    Raises gprproc.CudaError for 'cuda' without a usable device."""
    return _core.resolve_device(device)
