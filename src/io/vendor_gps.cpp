// DZG (NMEA) parsing and per-trace GPS positions on a local tangent plane.
#include "io/vendor_gps.hpp"

#include <cmath>
#include <cstdlib>

namespace gprproc::vendor_detail {

namespace {

std::vector<std::string> split_fields(const std::string& body) {
  std::vector<std::string> parts(1);
  for (char c : body) {
    if (c == ',') parts.emplace_back();
    else parts.back() += c;
  }
  return parts;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The fields of "$...*hh" (without '$' and checksum); false when the checksum
// is present and wrong, or the line is not a sentence.
bool sentence_fields(const std::string& line, std::vector<std::string>& fields) {
  if (line.size() < 2 || line[0] != '$') return false;
  const auto star = line.find('*');
  const std::string body = line.substr(1, star == std::string::npos ? std::string::npos : star - 1);
  if (star != std::string::npos) {
    if (star + 3 > line.size()) return false;
    const int high = hex_digit(line[star + 1]), low = hex_digit(line[star + 2]);
    if (high < 0 || low < 0) return false;
    unsigned sum = 0;
    for (char c : body) sum ^= static_cast<unsigned char>(c);
    if (sum != static_cast<unsigned>(16 * high + low)) return false;
  }
  fields = split_fields(body);
  return true;
}

// ddmm.mmmm (latitude) or dddmm.mmmm (longitude) + hemisphere -> signed degrees.
bool nmea_degrees(const std::string& field, const std::string& hemisphere, double max_degrees, double& degrees) {
  double raw = 0.0;
  if (!parse_number(field, raw) || raw < 0.0) return false;
  const double whole = std::floor(raw / 100.0);
  const double minutes = raw - 100.0 * whole;
  if (minutes >= 60.0) return false;
  degrees = whole + minutes / 60.0;
  if (degrees > max_degrees) return false;
  const bool negative = max_degrees == 90.0 ? hemisphere == "S" : hemisphere == "W";
  const bool positive = max_degrees == 90.0 ? hemisphere == "N" : hemisphere == "E";
  if (!negative && !positive) return false;
  if (negative) degrees = -degrees;
  return true;
}

struct Pending {
  bool active = false;
  double scan = 0.0;
  bool have_position = false, from_gga = false;
  GpsFix fix;
};

}  // namespace

DzgFixes parse_dzg(const ByteReader& dzg) {
  const std::string text = decode_text(std::string(reinterpret_cast<const char*>(dzg.span(0, dzg.size(), "DZG text")), dzg.size()));
  DzgFixes out;
  Pending pending;
  const auto flush = [&] {
    if (pending.active && pending.have_position) {
      if (!out.fixes.empty() && !(pending.scan > out.fixes.back().trace)) {
        ++out.skipped;  // a repeated or backward scan number
      } else {
        pending.fix.trace = pending.scan;
        out.fixes.push_back(pending.fix);
      }
    }
    pending = Pending{};
  };
  std::vector<std::string> f;
  for (const std::string& raw : split_lines(text)) {
    const std::string line = trim(raw);
    if (!sentence_fields(line, f)) {
      ++out.skipped;
      continue;
    }
    const std::string& id = f[0];
    if (id == "GSSIS") {
      flush();
      double scan = 0.0;
      if (f.size() >= 2 && parse_number(f[1], scan) && scan >= 0.0 && scan <= 1e12) {
        pending.active = true;
        pending.scan = scan;
      } else {
        ++out.skipped;
      }
    } else if (id.size() == 5 && id.compare(2, 3, "GGA") == 0) {
      double lat = 0.0, lon = 0.0, alt = 0.0;
      const bool ok = pending.active && f.size() >= 10 && f[6] != "0" && !f[6].empty() &&
                      nmea_degrees(f[2], f[3], 90.0, lat) && nmea_degrees(f[4], f[5], 180.0, lon);
      if (!ok) {
        ++out.skipped;
        continue;
      }
      pending.fix.latitude = lat;
      pending.fix.longitude = lon;
      pending.fix.has_altitude = parse_number(f[9], alt) && std::fabs(alt) <= 1e5;
      pending.fix.altitude = pending.fix.has_altitude ? alt : 0.0;
      pending.fix.time = f[1];
      pending.have_position = pending.from_gga = true;
    } else if (id.size() == 5 && id.compare(2, 3, "RMC") == 0) {
      double lat = 0.0, lon = 0.0;
      const bool ok = pending.active && f.size() >= 10 && f[2] == "A" && nmea_degrees(f[3], f[4], 90.0, lat) &&
                      nmea_degrees(f[5], f[6], 180.0, lon);
      if (!ok) {
        ++out.skipped;
        continue;
      }
      pending.fix.date = f[9];
      if (!pending.from_gga) {  // GGA (with altitude) wins where both are given
        pending.fix.latitude = lat;
        pending.fix.longitude = lon;
        pending.fix.time = f[1];
        pending.have_position = true;
      }
    }
    // Other sentences (GSA, VTG, GSV ...) carry nothing we use.
  }
  flush();
  return out;
}

namespace {
// WGS84 (NIMA TR8350.2): semi-major axis and first eccentricity squared.
constexpr double kA = 6378137.0;
constexpr double kF = 1.0 / 298.257223563;
constexpr double kE2 = kF * (2.0 - kF);
constexpr double kPi = 3.14159265358979323846;

struct Ecef {
  double x, y, z;
};
Ecef to_ecef(double latitude, double longitude) {
  const double phi = latitude * kPi / 180.0, lambda = longitude * kPi / 180.0;
  const double n = kA / std::sqrt(1.0 - kE2 * std::sin(phi) * std::sin(phi));
  return {n * std::cos(phi) * std::cos(lambda), n * std::cos(phi) * std::sin(lambda), n * (1.0 - kE2) * std::sin(phi)};
}
}  // namespace

TracePositions positions_from_fixes(const std::vector<GpsFix>& fixes, std::size_t n_traces) {
  TracePositions out;
  out.origin_latitude = fixes.front().latitude;
  out.origin_longitude = fixes.front().longitude;
  out.altitude = true;
  for (const GpsFix& fix : fixes) out.altitude = out.altitude && fix.has_altitude;
  const double phi0 = out.origin_latitude * kPi / 180.0, lambda0 = out.origin_longitude * kPi / 180.0;
  const Ecef origin = to_ecef(out.origin_latitude, out.origin_longitude);
  std::vector<double> east(fixes.size()), north(fixes.size()), up(fixes.size());
  for (std::size_t k = 0; k < fixes.size(); ++k) {
    const Ecef p = to_ecef(fixes[k].latitude, fixes[k].longitude);
    const double dx = p.x - origin.x, dy = p.y - origin.y, dz = p.z - origin.z;
    east[k] = -std::sin(lambda0) * dx + std::cos(lambda0) * dy;
    north[k] = -std::sin(phi0) * std::cos(lambda0) * dx - std::sin(phi0) * std::sin(lambda0) * dy + std::cos(phi0) * dz;
    up[k] = out.altitude ? fixes[k].altitude : 0.0;
  }
  out.xyz.resize(3 * n_traces);
  std::size_t segment = 0;  // fixes[segment], fixes[segment + 1] bracket the trace
  for (std::size_t j = 0; j < n_traces; ++j) {
    const double t = static_cast<double>(j);
    std::size_t a = 0, b = 0;
    double w = 0.0;
    if (t <= fixes.front().trace) {
      if (t < fixes.front().trace) ++out.before_first;
    } else if (t >= fixes.back().trace) {
      a = b = fixes.size() - 1;
      if (t > fixes.back().trace) ++out.after_last;
    } else {
      while (fixes[segment + 1].trace < t) ++segment;
      a = segment;
      b = segment + 1;
      w = (t - fixes[a].trace) / (fixes[b].trace - fixes[a].trace);
    }
    out.xyz[3 * j + 0] = east[a] + w * (east[b] - east[a]);
    out.xyz[3 * j + 1] = north[a] + w * (north[b] - north[a]);
    out.xyz[3 * j + 2] = up[a] + w * (up[b] - up[a]);
  }
  return out;
}

}  // namespace gprproc::vendor_detail
