// Field-instrument readers (GSSI DZT, pulseEKKO DT1/HD, MALA rd3/rd7, SEG-Y)
// for Python. Samples move into numpy without a copy; header values come back
// as a dict of strings (UTF-8: the readers decode Latin-1 header bytes, so no
// str conversion can fail), marks as a list, GPS fixes as a list of dicts. The
// readers need no HDF5, so no lock is held: only the GIL is released.
#include <utility>

#include "array_support.hpp"
#include "bindings.hpp"
#include "gprproc/vendor_formats.hpp"

namespace gprproc::python {

namespace {

template <class Call>
VendorFile without_gil(Call&& call) {
  py::gil_scoped_release release;
  return call();
}

py::dict vendor_to_python(VendorFile&& file) {
  BScan& bscan = file.bscan;
  const auto rows = static_cast<py::ssize_t>(bscan.n_samples());
  const auto columns = static_cast<py::ssize_t>(bscan.n_traces());
  py::dict out;
  out["metadata"] = bscan.metadata;
  out["history"] = history_to_python(bscan.history);
  if (bscan.positions.empty()) {
    out["positions"] = py::none();
  } else {
    const auto n = static_cast<py::ssize_t>(bscan.positions.size() / 3);
    out["positions"] = to_numpy(std::move(bscan.positions), {n, 3});
  }
  out["data"] = to_numpy(bscan.release_samples(), {rows, columns});
  out["format"] = file.format;
  py::dict header;
  for (const auto& entry : file.header) header[py::str(entry.first)] = entry.second;
  out["header"] = header;
  out["marks"] = file.marks.empty() ? py::object(py::none()) : py::object(py::cast(file.marks));
  out["dx_from"] = file.dx_from;
  py::list gps;
  for (const GpsFix& fix : file.gps) {
    py::dict d;
    d["trace"] = fix.trace;
    d["latitude"] = fix.latitude;
    d["longitude"] = fix.longitude;
    d["altitude"] = fix.altitude;
    d["has_altitude"] = fix.has_altitude;
    d["time"] = fix.time;
    d["date"] = fix.date;
    gps.append(d);
  }
  out["gps"] = gps;
  return out;
}

}  // namespace

void register_vendor_formats(py::module_& m) {
  m.def(
      "read_dzt",
      [](const std::string& path, int channel, double dx, bool read_dzg) {
        DztOptions o;
        o.channel = channel;
        o.dx = dx;
        o.read_dzg = read_dzg;
        return vendor_to_python(without_gil([&] { return read_dzt(path, o); }));
      },
      py::arg("path"), py::arg("channel") = 0, py::arg("dx") = 0.0, py::arg("read_dzg") = true);
  m.def(
      "read_dt1",
      [](const std::string& path, double dx) {
        Dt1Options o;
        o.dx = dx;
        return vendor_to_python(without_gil([&] { return read_dt1(path, o); }));
      },
      py::arg("path"), py::arg("dx") = 0.0);
  m.def(
      "read_mala",
      [](const std::string& path, double dx, const std::string& time_base) {
        MalaOptions o;
        o.dx = dx;
        if (time_base == "time_window") o.time_base = MalaTimeBase::time_window;
        else if (time_base == "sampling_frequency") o.time_base = MalaTimeBase::sampling_frequency;
        else throw InvalidArgument("time_base must be \"time_window\" or \"sampling_frequency\", got \"" + time_base + "\"");
        return vendor_to_python(without_gil([&] { return read_mala(path, o); }));
      },
      py::arg("path"), py::arg("dx") = 0.0, py::arg("time_base") = "time_window");
  m.def(
      "read_segy",
      [](const std::string& path, double dx, const std::string& interval_unit) {
        SegyOptions o;
        o.dx = dx;
        if (interval_unit == "auto") o.interval_unit = SegyIntervalUnit::automatic;
        else if (interval_unit == "us") o.interval_unit = SegyIntervalUnit::microseconds;
        else if (interval_unit == "ns") o.interval_unit = SegyIntervalUnit::nanoseconds;
        else if (interval_unit == "ps") o.interval_unit = SegyIntervalUnit::picoseconds;
        else throw InvalidArgument("interval_unit must be \"auto\", \"us\", \"ns\" or \"ps\", got \"" + interval_unit + "\"");
        return vendor_to_python(without_gil([&] { return read_segy(path, o); }));
      },
      py::arg("path"), py::arg("dx") = 0.0, py::arg("interval_unit") = "auto");
  m.def(
      "read_vendor",
      [](const std::string& path, double dx) { return vendor_to_python(without_gil([&] { return read_vendor(path, dx); })); },
      py::arg("path"), py::arg("dx") = 0.0);
  m.def("vendor_format_of", &vendor_format_of, py::arg("path"));
}

}  // namespace gprproc::python
