#pragma once
// Readers for field-instrument formats: GSSI DZT (+ DZG GPS), Sensors &
// Software pulseEKKO DT1/HD, MALÅ rd3/rd7 + rad, and SEG-Y (rev 1 and 2).
// They live in the I/O component but need no HDF5. docs/FORMAT_VENDORS.md
// says what each header field means and how the ambiguous ones are read.
//
// Errors: FileError file_not_found for a missing file or companion file
// (naming it); FileError file_format for a truncated or inconsistent file,
// naming the file and the field; InvalidArgument asking for `dx` when the
// file holds no trace spacing (time-triggered recordings) and none is given.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/error.hpp"

namespace gprproc {

// One GPS fix from a DZG side file (or a SEG-Y trace header).
struct GpsFix {
  double trace = 0.0;      // scan (trace) index the fix belongs to; fractional where interpolated by the instrument
  double latitude = 0.0;   // degrees, + north
  double longitude = 0.0;  // degrees, + east
  double altitude = 0.0;   // m above mean sea level (0 when !has_altitude)
  bool has_altitude = false;  // a GGA sentence gave it (RMC holds none)
  std::string time;        // hhmmss.ss as the receiver wrote it
  std::string date;        // ddmmyy from an RMC sentence, "" when none
};

// A B-scan read from an instrument file, with every header value the file
// holds (as text, in file order, under the names the format documents use)
// beyond those that went into BScanMetadata. The B-scan carries them too:
// its history gets one step ("read_dzt", "read_dt1", "read_mala",
// "read_segy") whose parameters are the file, how dx and t0 were found, and
// every header entry; bscan.marks holds `marks`; bscan.positions the
// per-trace positions the file gives (DZT: from the DZG GPS fixes on a local
// tangent plane; DT1: position and topography; SEG-Y: trace coordinates).
struct VendorFile {
  BScan bscan;
  std::string format;  // "dzt", "dt1", "mala", "segy"
  std::vector<std::pair<std::string, std::string>> header;  // values are UTF-8 (Latin-1 bytes converted)
  std::vector<std::size_t> marks;  // traces carrying a user/distance mark
  std::vector<GpsFix> gps;
  // Where dx came from: "file", "caller", or "none" (a time-triggered file
  // read with require_dx = false: dx is a 1 m placeholder, not a spacing).
  std::string dx_from;

  // The value of a header entry, or "" when absent.
  std::string header_value(const std::string& key) const;
};

// Every reader takes `require_dx`: true (the default) makes a file without
// trace spacing, and no dx given, an InvalidArgument asking for dx; false
// reads it anyway with a 1 m placeholder and VendorFile::dx_from "none" (for
// inspecting a header, e.g. `gprproc info`; never for processing).
struct DztOptions {
  int channel = 0;       // which of the interleaved channels (0-based)
  double dx = 0.0;       // m; > 0 overrides the file's 1/scans-per-metre, required where that is 0
  bool read_dzg = true;  // read NAME.DZG beside the file when present
  bool require_dx = true;
};

struct Dt1Options {
  double dx = 0.0;  // m; > 0 overrides STEP SIZE USED
  bool require_dx = true;
};

// How a MALÅ dt is found; the rad keys disagree by a factor of two in real
// files (docs/FORMAT_VENDORS.md).
enum class MalaTimeBase {
  time_window,         // dt = TIMEWINDOW / SAMPLES (the default)
  sampling_frequency,  // dt = 1 / FREQUENCY
};

struct MalaOptions {
  double dx = 0.0;  // m; > 0 overrides DISTANCE INTERVAL, required where that is 0
  MalaTimeBase time_base = MalaTimeBase::time_window;
  bool require_dx = true;
};

enum class SegyIntervalUnit {
  automatic,     // picoseconds when the textual header says GPR or picoseconds, else microseconds
  microseconds,  // the SEG-Y standard
  nanoseconds,
  picoseconds,   // the common GPR convention
};

struct SegyOptions {
  double dx = 0.0;  // m; > 0 overrides the spacing of the trace coordinates
  SegyIntervalUnit interval_unit = SegyIntervalUnit::automatic;
  bool require_dx = true;
};

VendorFile read_dzt(const std::string& path, const DztOptions& options = {});
VendorFile read_dt1(const std::string& path, const Dt1Options& options = {});  // NAME.DT1 + NAME.HD
VendorFile read_mala(const std::string& path, const MalaOptions& options = {});  // NAME.rd3/rd7 + NAME.rad
VendorFile read_segy(const std::string& path, const SegyOptions& options = {});

// "dzt", "dt1", "mala", "segy", or "" when the file is none of them; by
// extension first, then by content (a SEG-Y binary header, a DZT header).
std::string vendor_format_of(const std::string& path);

// Reads any of the formats above with default options plus `dx` (m, 0 = from
// the file) and `require_dx`.
VendorFile read_vendor(const std::string& path, double dx = 0.0, bool require_dx = true);

}  // namespace gprproc
