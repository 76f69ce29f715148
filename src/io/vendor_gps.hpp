#pragma once
// GPS side data of the vendor readers: GSSI DZG files (NMEA sentences tied to
// scan numbers) and the per-trace positions interpolated from any list of
// fixes, on a local tangent plane (docs/FORMAT_VENDORS.md, "GPS").
#include <cstddef>
#include <vector>

#include "gprproc/vendor_formats.hpp"
#include "io/vendor_bytes.hpp"

namespace gprproc::vendor_detail {

struct DzgFixes {
  std::vector<GpsFix> fixes;  // increasing scan numbers, one per scan
  std::size_t skipped = 0;    // sentences dropped: bad checksum, no fix, unparseable, repeated scan
};

// "$GSSIS,<scan>,<tick>" lines, each followed by the receiver's sentences for
// that scan: GGA (position, altitude) and/or RMC (position, date), any talker
// ($GP, $GN, $GL ...). A sentence with a wrong "*hh" checksum, a GGA of fix
// quality 0 or an RMC of status V is skipped and counted.
DzgFixes parse_dzg(const ByteReader& dzg);

struct TracePositions {
  std::vector<double> xyz;        // n_traces x 3: east, north (m, from the origin), altitude (m)
  double origin_latitude = 0.0;   // degrees: the first fix, where x = y = 0
  double origin_longitude = 0.0;
  bool altitude = false;          // every fix had an altitude (z = 0 otherwise)
  std::size_t before_first = 0;   // traces before the first fix (given its position)
  std::size_t after_last = 0;     // traces after the last fix (given its position)
};

// Linear interpolation between the fixes bracketing each trace, in metres on
// the WGS84 local tangent plane at the first fix (east, north; the exact
// ellipsoid to ECEF to ENU transform at height 0); z = the fixes' altitude
// interpolated alike. Traces outside the fixes' scan range take the nearest
// fix's position; how many is reported. `fixes` non-empty, increasing scans.
TracePositions positions_from_fixes(const std::vector<GpsFix>& fixes, std::size_t n_traces);

}  // namespace gprproc::vendor_detail
