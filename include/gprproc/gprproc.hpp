#pragma once
// Everything public in one include.
#include "gprproc/bscan.hpp"
#include "gprproc/device.hpp"
#include "gprproc/error.hpp"
#include "gprproc/history.hpp"
#include "gprproc/image.hpp"
#include "gprproc/velocity_model.hpp"
#include "gprproc/version.hpp"
#include "gprproc/io.hpp"  // declarations only; link gprproc::io (HDF5) to use them
