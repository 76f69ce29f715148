#!/usr/bin/env python3
"""Writes the fuzz seed corpora (corpus/<format>/) from the real field files in
the shared data folder (default ../../../shared/data/field). SEG-Y has no real
file there: its seeds are small SEG-Y files in every variant the reader takes,
holding the real MALA traces' samples. The HDF5 seeds (our layout, gprMax) are
small files written with h5py, and the real gprMax A-scan. The DZG is
synthetic (the shared data has none). Input layouts: see fuzz_<format>.cpp."""
import os
import struct
import sys

here = os.path.dirname(os.path.abspath(__file__))
field = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "shared", "data", "field")


def read(name):
    with open(os.path.join(field, name), "rb") as f:
        return f.read()


def write(fmt, name, data):
    folder = os.path.join(here, "corpus", fmt)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def with_length(first, rest):
    return struct.pack("<H", len(first)) + first + rest


# DZT: header + 20 scans; the same with a DZG appended after the marker.
dzt = read("gssi_sir3000_400MHz.DZT")[: 1024 + 20 * 1024]
write("dzt", "sir3000_20_scans", dzt)
def nmea(body):
    checksum = 0
    for c in body.encode():
        checksum ^= c
    return b"$" + body.encode() + b"*%02X\r\n" % checksum


dzg = (b"$GSSIS,0,1234\r\n" + nmea("GPRMC,120000.00,A,4807.0380,N,01131.0000,E,0.5,0.0,210317,,,A") +
       nmea("GPGGA,120000.00,4807.0380,N,01131.0000,E,1,08,0.9,545.4,M,46.9,M,,") +
       b"$GSSIS,10,1240\r\n" + nmea("GPGGA,120001.00,4807.0390,N,01131.0010,E,1,08,0.9,545.5,M,46.9,M,,"))
write("dzt", "sir3000_20_scans_dzg", dzt + b"\xffDZG" + dzg)

# DT1: the first 4 traces with the HD's trace count edited to 4; CRLF and CR-only HDs.
hd = read("LINE00.HD").replace(b"NUMBER OF TRACES   = 223", b"NUMBER OF TRACES   = 4")
dt1 = read("LINE00.DT1")[: 4 * 2128]
write("dt1", "pulseekko_4_traces", with_length(hd, dt1))
write("dt1", "pulseekko_4_traces_cr", with_length(hd.replace(b"\n", b""), dt1))

# MALA: the whole line (rd3: the rad length is even), 3 traces, and an rd7 reading (odd rad length).
rad = read("ten_col.rad")
rd3 = read("ten_col.rd3")
if len(rad) % 2:
    rad += b"\n"
write("mala", "ten_col_rd3", with_length(rad, rd3))
rad3 = rad.replace(b"LAST TRACE:10", b"LAST TRACE:3")
write("mala", "three_traces_rd3", with_length(rad3 if len(rad3) % 2 == 0 else rad3 + b"\n", rd3[: 3 * 1024]))
rad7 = rad.replace(b"LAST TRACE:10", b"LAST TRACE:5").rstrip(b"\n")
if len(rad7) % 2 == 0:
    rad7 += b"\n"
write("mala", "five_traces_rd7", with_length(rad7, rd3[: 5 * 2048]))


# SEG-Y: 3 traces x 64 samples of the MALA line, in each variant.
def ibm(v):
    if v == 0:
        return 0
    sign = 0x80000000 if v < 0 else 0
    m, e = abs(v), 64
    while m >= 1.0:
        m, e = m / 16.0, e + 1
    while m < 1.0 / 16.0:
        m, e = m * 16.0, e - 1
    return sign | (e << 24) | int(round(m * (1 << 24)))


samples = [list(struct.unpack_from("<64h", rd3, j * 1024)) for j in range(3)]


def segy(endian, revision, code, text=b"C 1 GPR LINE, PICOSECOND SAMPLE INTERVAL"):
    e = ">" if endian == "big" else "<"
    out = bytearray(text.ljust(3200, b" "))
    binary = bytearray(400)
    struct.pack_into(e + "H", binary, 16, 412)   # interval (ps)
    struct.pack_into(e + "H", binary, 20, 64)    # samples per trace
    struct.pack_into(e + "h", binary, 24, code)
    if revision == 2:
        struct.pack_into(e + "I", binary, 96, 0x01020304)
        binary[300], binary[301] = 2, 0
    else:
        struct.pack_into(e + "H", binary, 300, 0x0100)
    struct.pack_into(e + "h", binary, 302, 1)
    out += binary
    for j, trace in enumerate(samples):
        header = bytearray(240)
        struct.pack_into(e + "i", header, 0, j + 1)
        struct.pack_into(e + "h", header, 70, -100)
        struct.pack_into(e + "i", header, 72, 10 * j)
        struct.pack_into(e + "H", header, 114, 64)
        struct.pack_into(e + "H", header, 116, 412)
        out += header
        for v in trace:
            if code == 1:
                out += struct.pack(e + "I", ibm(float(v)))
            elif code == 2:
                out += struct.pack(e + "i", v)
            elif code == 3:
                out += struct.pack(e + "h", v)
            else:
                out += struct.pack(e + "f", float(v))
    return bytes(out)


for endian in ("big", "little"):
    for revision in (1, 2):
        for code in (1, 2, 3, 5):
            write("segy", f"{endian}_rev{revision}_format{code}", segy(endian, revision, code))


# Structure-aware HDF5 harnesses (fuzz_hdf5.cpp, fuzz_gprmax.cpp): the bytes
# choose a file's contents, so any bytes are a seed; a few fixed ones.
import random

rng = random.Random(20)
for fmt in ("hdf5", "gprmax"):
    for k in range(6):
        write(fmt, f"seed_{k}", bytes(rng.randrange(256) for _ in range(64 + 96 * k)))

# Raw-image HDF5 harnesses (*_image, by hand): small files written with h5py
# in the layouts docs/FORMAT.md describes, plus the real gprMax A-scan.
try:
    import h5py
    import numpy as np
except ImportError:
    print("h5py not found: hdf5 and gprmax seeds not written")
else:
    import io as _io
    import json

    def h5_bytes(fill):
        buffer = _io.BytesIO()
        with h5py.File(buffer, "w", libver="earliest") as f:
            fill(f)
        return buffer.getvalue()

    def bscan(f, compressed=True):
        g = f.create_group("bscan")
        data = np.sin(np.arange(32 * 8, dtype="f4").reshape(32, 8) / 5.0)
        g.create_dataset("data", data=data, chunks=(32, 4), **({"compression": "gzip", "shuffle": True} if compressed else {}))
        g["positions"] = np.column_stack([np.arange(8) * 0.01, np.zeros(8), np.ones(8)])
        g["marks"] = np.array([1, 5], dtype="u8")
        for key, value in {"dt": 1e-10, "t0": 0.0, "dx": 0.01, "x0": 0.0, "antenna_offset": 0.04,
                           "antenna_height": 0.0, "center_frequency": 4e8}.items():
            g.attrs[key] = value
        g.attrs["gprproc_kind"] = "bscan"
        g.attrs["source"] = "fuzz seed"
        g.attrs["history"] = json.dumps([{"operation": "read_dzt", "parameters": {"file": "x.DZT", "dx": 0.01},
                                          "library_version": "0.1.0"}])

    def image(f):
        g = f.create_group("migrated")
        g["data"] = np.ones((16, 8), dtype="f4")
        for key, value in {"dz": 0.01, "z0": 0.0, "dx": 0.01, "x0": 0.0}.items():
            g.attrs[key] = value
        g.attrs["velocity_layer_tops"] = np.array([0.0, 0.1])
        g.attrs["velocity_interval"] = np.array([1e8, 1.2e8])
        g.attrs["gprproc_kind"] = "depth_image"
        g.attrs["history"] = "[]"

    write("hdf5_image", "bscan_compressed", h5_bytes(bscan))
    write("hdf5_image", "bscan_plain", h5_bytes(lambda f: bscan(f, compressed=False)))
    write("hdf5_image", "bscan_and_image", h5_bytes(lambda f: (bscan(f), image(f))))

    def gprmax(f, traces):
        f.attrs["gprMax"] = "3.1.7"
        f.attrs["dt"] = 4.7173e-12
        f.attrs["dx_dy_dz"] = np.array([0.002, 0.002, 0.002])
        f.attrs["rxsteps"] = np.array([1, 0, 0], dtype="i4")
        rx = f.create_group("rxs/rx1")
        rx.attrs["Position"] = np.array([0.08, 0.17, 0.0])
        f.create_group("srcs/src1").attrs["Position"] = np.array([0.04, 0.17, 0.0])
        shape = (64,) if traces == 1 else (64, traces)
        rx["Ez"] = np.cos(np.arange(int(np.prod(shape)), dtype="f4").reshape(shape) / 7.0)

    write("gprmax_image", "ascan", h5_bytes(lambda f: gprmax(f, 1)))
    write("gprmax_image", "merged_6_traces", h5_bytes(lambda f: gprmax(f, 6)))
    ascan = os.path.join(field, "..", "gprmax", "cylinder_Ascan_2D_v3.0.6.out")
    if os.path.exists(ascan):
        with open(ascan, "rb") as f:
            write("gprmax_image", "cylinder_Ascan_2D_v3.0.6", f.read())
