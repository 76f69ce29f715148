#pragma once
// HDF5 input and output of cubes and 3-D depth images (the gprproc::io
// component). The layout (docs/FORMAT.md, "Cubes"): a group with
// gprproc_kind "cube" (or "depth_image_3d") holding dataset `data` of shape
// (n_lines, n_samples, n_traces) (or (n_lines, n_z, n_x)), float32, chunked
// by line (one chunk never spans two lines), the B-scan metadata plus dy, y0
// (or the image grid plus dy, y0 and the velocity model) as attributes, the
// history as JSON, and optional `positions` (n_lines, n_traces, 3).
// Writing follows write_bscan's rules: a temporary file renamed into place.
#include <cstddef>
#include <string>
#include <vector>

#include "gprproc/cube.hpp"
#include "gprproc/io.hpp"

namespace gprproc {

// Lines [first, first + count) of a cube group; count 0 means to the last line.
struct LineRange {
  std::size_t first = 0;
  std::size_t count = 0;
};

void write_cube(const std::string& path, const Cube& cube, const std::string& group = "cube",
                const WriteOptions& options = {});
// Reads the lines in `lines` only (an HDF5 hyperslab: the other lines are not
// read); y0 of the result is that of its first line. An empty group name
// picks the file's only cube. Errors as read_bscan, and InvalidArgument for a
// line range outside the cube.
Cube read_cube(const std::string& path, const std::string& group = "", const LineRange& lines = {},
               const ReadOptions& options = {});

void write_image_3d(const std::string& path, const DepthImage3D& image, const std::string& group = "migrated_3d",
                    const WriteOptions& options = {});
DepthImage3D read_image_3d(const std::string& path, const std::string& group = "", const ReadOptions& options = {});

// A cube from one B-scan file per line (gprMax merged outputs, numbered series
// or our files, each read as read_bscan / read_gprmax by content), lines in
// the given order at y0 + j dy; the lines must share their geometry
// (Cube::from_lines names the one that differs).
Cube read_cube_from_lines(const std::vector<std::string>& paths, double dy, double y0 = 0.0,
                          const GprMaxOptions& gprmax = {});

}  // namespace gprproc
