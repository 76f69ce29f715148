#pragma once
// GPRPROC_HD marks math written once for both backends: an inline function the
// CPU loop in src/ and the CUDA kernel in cuda/ both call.
#if defined(__CUDACC__)
#define GPRPROC_HD __host__ __device__ __forceinline__
#else
#define GPRPROC_HD inline
#endif
