#pragma once
// Everything public in one include.
#include "gprproc/background.hpp"
#include "gprproc/bscan.hpp"
#include "gprproc/cube.hpp"
#include "gprproc/detect.hpp"
#include "gprproc/device.hpp"
#include "gprproc/error.hpp"
#include "gprproc/filters.hpp"
#include "gprproc/gain.hpp"
#include "gprproc/history.hpp"
#include "gprproc/image.hpp"
#include "gprproc/io.hpp"  // declarations only; link gprproc::io (HDF5) to use them
#include "gprproc/metrics.hpp"
#include "gprproc/migration.hpp"
#include "gprproc/migration_3d.hpp"
#include "gprproc/velocity.hpp"
#include "gprproc/velocity_model.hpp"
#include "gprproc/vendor_formats.hpp"  // field instrument readers, in gprproc::io
#include "gprproc/version.hpp"
