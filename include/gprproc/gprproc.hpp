#pragma once
// Everything public in one include.
#include "gprproc/background.hpp"
#include "gprproc/bscan.hpp"
#include "gprproc/crop.hpp"
#include "gprproc/cube.hpp"
#include "gprproc/cube_operations.hpp"
#include "gprproc/detect_3d.hpp"
#include "gprproc/detect.hpp"
#include "gprproc/device.hpp"
#include "gprproc/error.hpp"
#include "gprproc/filters.hpp"
#include "gprproc/gain.hpp"
#include "gprproc/geometry.hpp"
#include "gprproc/history.hpp"
#include "gprproc/image.hpp"
#include "gprproc/io.hpp"  // declarations only; link gprproc::io (HDF5) to use them
#include "gprproc/io_cube.hpp"  // the same
#include "gprproc/metrics.hpp"
#include "gprproc/slice.hpp"
#include "gprproc/migration.hpp"
#include "gprproc/segy_write.hpp"  // declarations only; link gprproc::io to use it
#include "gprproc/plausibility.hpp"
#include "gprproc/migration_3d.hpp"
#include "gprproc/velocity.hpp"
#include "gprproc/velocity_model.hpp"
#include "gprproc/vendor_formats.hpp"  // field instrument readers, in gprproc::io
#include "gprproc/version.hpp"
