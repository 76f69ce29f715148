#pragma once
// The vendor parsers on bytes already in memory (the path-level readers and
// the fuzz harnesses call these), and what they share.
#include <string>

#include "gprproc/vendor_formats.hpp"
#include "io/vendor_bytes.hpp"

namespace gprproc::vendor_detail {

// `dzg` may be null (no GPS side file).
VendorFile parse_dzt(const ByteReader& dzt, const DztOptions& options, const ByteReader* dzg);
VendorFile parse_dt1(const ByteReader& dt1, const ByteReader& hd, const Dt1Options& options);
// bytes_per_sample: 2 for rd3, 4 for rd7.
VendorFile parse_mala(const ByteReader& data, int bytes_per_sample, const ByteReader& rad, const MalaOptions& options);
VendorFile parse_segy(const ByteReader& segy, const SegyOptions& options);

// The trace spacing: the caller's when positive, else the file's when
// positive, else InvalidArgument asking for dx (or, with require_dx false,
// a 1 m placeholder). `dx_from` says which: "caller", "file", "none".
double choose_spacing(double from_options, double from_file, const ByteReader& file, const std::string& why_missing,
                      bool require_dx, std::string& dx_from);
// Checks the metadata the parser filled in, as FileError naming the file.
void check_metadata(const BScanMetadata& metadata, const ByteReader& file);
// Appends the reader's history step to out.bscan.history: `operation` with
// `parameters` (file, dx_from ...; keys that no header uses) followed by every
// header entry under its own key, as a string
// (a repeated key gets " (2)", " (3)" ...; a value over 64 KiB is cut in the
// history, saying so, and kept whole in `header`).
void add_read_step(VendorFile& out, const std::string& operation, HistoryParameters parameters);
// The most bytes a text header (HD, rad) may hold: real ones are a few KiB.
constexpr std::size_t max_text_header_bytes = std::size_t{1} << 20;
// FileError(file_format) naming the file when it is longer than that.
void check_text_header_size(const ByteReader& header);
// Adds a header entry.
void put(VendorFile& out, const std::string& key, const std::string& value);
void put(VendorFile& out, const std::string& key, double value);

}  // namespace gprproc::vendor_detail
