#!/usr/bin/env python3
"""Writes the fuzz seed corpora (corpus/<format>/) from the real field files in
the shared data folder (default ../../../shared/data/field). SEG-Y has no real
file there: its seeds are small SEG-Y files in every variant the reader takes,
holding the real MALA traces' samples. Input layouts: see fuzz_<format>.cpp."""
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
dzg = (b"$GSSIS,0,1234\r\n$GPGGA,120000.00,4807.0380,N,01131.0000,E,1,08,0.9,545.4,M,46.9,M,,*47\r\n"
       b"$GSSIS,10,1240\r\n$GPGGA,120001.00,4807.0390,N,01131.0010,E,1,08,0.9,545.5,M,46.9,M,,*47\r\n")
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
