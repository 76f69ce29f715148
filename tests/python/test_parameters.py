"""Parameters and arrays are refused clearly, never silently changed (issue 20):

- sized parameters are checked against the data before anything is allocated
  (a moving window wider than the B-scan is a ValueError, not an abort);
- arrays that float32 cannot hold faithfully (complex, bool, object, strings,
  datetimes, integers beyond 2^24) are refused; big-endian and strided arrays
  are converted by value;
- numeric keywords refuse bools, strings and None (``dt=True`` is not 1 s);
- implausible numbers (m/ns given as m/s, MHz as Hz, cm as m) are refused with
  the unit slip named (gprproc/plausibility.hpp);
- the history records the values used (rpca's lambda), not "0 = default";
- one MigrationPlan shared by threads gives, bit for bit, the serial images.
"""
import concurrent.futures
import math
import subprocess
import sys
import warnings

import numpy as np
import pytest

import gprproc as gp

C = 299792458.0
DT, DX = 1e-10, 0.01


def noise(shape=(256, 64), seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def bscan(shape=(256, 64), seed=0, **metadata):
    values = dict(dt=DT, dx=DX)
    values.update(metadata)
    return gp.BScan(noise(shape, seed), **values)


# -- sized parameters ----------------------------------------------------------

def test_huge_moving_window_is_a_value_error_in_a_fresh_process():
    # Once, this aborted the interpreter (std::bad_alloc out of an OpenMP
    # region); elsewhere it was accepted silently. A subprocess, so that an
    # abort fails this test instead of killing the run.
    code = ("import numpy as np, gprproc as gp\n"
            "a = np.zeros((256, 64), np.float32)\n"
            "try:\n"
            "    gp.remove_background(a, 'moving_median', window_traces=2**31 + 1, dt=1e-10, dx=0.01)\n"
            "except ValueError as e:\n"
            "    print('ValueError:', e)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "ValueError" in run.stdout and "window_traces" in run.stdout and "2147483649" in run.stdout
    assert "64 traces" in run.stdout


_OUT_OF_MEMORY = """
import resource, sys
import numpy as np, gprproc as gp
a = np.ones((4_000_000, 1), np.float32)  # one long trace: per-thread buffers of 64 traces are 1 GB each
gp.dewow(a[:1000], 1e-9, dt=1e-10)       # the OpenMP threads exist before the limit
with open("/proc/self/statm") as f:
    in_use = int(f.read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (in_use + 300 * 2**20, resource.getrlimit(resource.RLIMIT_AS)[1]))
calls = {
    "dewow": lambda: gp.dewow(a, 1e-9, dt=1e-10),
    "agc": lambda: gp.agc(a, 1e-9, dt=1e-10),
    "bandpass": lambda: gp.bandpass(a, 1e8, 1e9, dt=1e-10),
    "envelope": lambda: gp.envelope(a, dt=1e-10),
    "shift_traces": lambda: gp.shift_traces(a, 1.5e-10, dt=1e-10),
    "correct_time_zero": lambda: gp.correct_time_zero(a, dt=1e-10),
}
try:
    calls[sys.argv[1]]()
    print("no error")
except MemoryError as error:
    print("MemoryError", error)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc and RLIMIT_AS (Linux)")
@pytest.mark.parametrize("operation", ["dewow", "agc", "bandpass", "envelope", "shift_traces", "correct_time_zero"])
def test_allocation_failure_inside_an_openmp_region_is_an_exception_not_an_abort(operation):
    # A per-thread buffer that cannot be allocated (an address-space limit
    # makes it fail) used to throw std::bad_alloc out of the OpenMP region:
    # std::terminate, the interpreter aborted. Now it is a MemoryError.
    run = subprocess.run([sys.executable, "-c", _OUT_OF_MEMORY, operation], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, f"exit {run.returncode}: {run.stderr[-2000:]}"
    assert "MemoryError" in run.stdout, run.stdout


@pytest.mark.parametrize("method", ["moving_mean", "moving_median"])
@pytest.mark.parametrize("window", [65, 101, 2**31 + 1])
def test_moving_window_wider_than_the_bscan_is_refused(method, window):
    with pytest.raises(ValueError, match=rf"window_traces.*{window}.*64 traces"):
        gp.remove_background(noise(), method, window_traces=window, dt=DT, dx=DX)


def test_moving_window_as_wide_as_the_bscan_is_the_edge_case_that_works():
    a = noise((32, 63))
    out = gp.remove_background(a, "moving_mean", window_traces=63, device="cpu")
    # Trace 31's window holds all 63 traces: the mean trace is removed there.
    np.testing.assert_allclose(out[:, 31], a[:, 31] - a.mean(axis=1), atol=1e-5)


def test_stack_window_is_checked_against_each_bscans_traces():
    stack = np.zeros((3, 16, 9), np.float32)
    with pytest.raises(ValueError, match="window_traces.*9 traces"):
        gp.remove_background(stack, "moving_median", window_traces=11)


def test_rpca_iteration_limit_is_stated():
    with pytest.raises(ValueError, match="max_iterations.*limit"):
        gp.remove_background(noise((16, 8)), "rpca", max_iterations=10**9)


def test_far_trace_shift_is_refused_not_zeroed():
    b = bscan((100, 4))
    with pytest.raises(ValueError, match=r"shifts\[0\].*record"):
        gp.shift_traces(b, 1e-6)  # 1 us on a 10 ns record: every sample would be zero


def test_time_zero_target_off_the_record_is_refused():
    b = bscan((100, 4))
    with pytest.raises(ValueError, match="first_break_time.*outside the record.*1 ns"):
        gp.correct_time_zero(b, first_break_time=1.0)  # meant 1 ns


def test_kirchhoff_table_and_depth_rows_are_bounded_before_allocation():
    b = bscan((256, 64))
    with pytest.raises(ValueError, match="dz.*too fine"):
        gp.migrate(b, velocity=1e8, dz=1e-5, depth=1.0)  # 1e5 rows for 256 samples


# -- arrays ----------------------------------------------------------------------

@pytest.mark.parametrize("make, word", [
    (lambda a: a.astype(np.complex64) + 1j, "complex"),
    (lambda a: a > 0, "bool"),
    (lambda a: a.astype(object), "object"),
    (lambda a: a.astype(str), "string"),
    (lambda a: np.zeros(a.shape, "datetime64[s]"), "datetime"),
    (lambda a: np.zeros(a.shape, "timedelta64[s]"), "timedelta"),
])
def test_arrays_float32_cannot_hold_are_refused_without_a_warning(make, word):
    data = make(noise((8, 4)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no conversion with only a warning
        for entry in (lambda: gp.BScan(data, dt=DT), lambda: gp.dewow(data, 1e-9, dt=DT),
                      lambda: gp.remove_background(data), lambda: gp.DepthImage(data, dz=0.01, dx=0.01),
                      lambda: gp.detect(data, dz=0.01, dx=0.01), lambda: gp.singular_values(data),
                      lambda: gp.psnr(data, noise((8, 4)))):
            with pytest.raises((TypeError, ValueError), match=word):
                entry()


def test_masked_arrays_with_masked_elements_are_refused():
    a = np.ma.masked_array(noise((8, 4)), mask=np.zeros((8, 4), bool))
    np.testing.assert_array_equal(gp.BScan(a).data, a.data)  # nothing masked: the values
    a[2, 1] = np.ma.masked
    with pytest.raises(ValueError, match="masked"):
        gp.BScan(a)


def test_complex_stack_is_refused():
    with pytest.raises(TypeError, match="complex"):
        gp.remove_background(np.zeros((2, 8, 4), np.complex64))


def test_integers_are_converted_only_where_exact():
    small = np.arange(-3, 29, dtype=np.int32).reshape(8, 4) * 1000
    np.testing.assert_array_equal(gp.BScan(small, dt=DT).data, small.astype(np.float32))
    exact_edge = np.full((2, 2), 2**24, np.int64)
    assert gp.BScan(exact_edge, dt=DT).data[0, 0] == 2**24
    wide = np.full((2, 2), 2**24 + 1, np.int64)
    with pytest.raises(TypeError, match="2\\^24"):
        gp.BScan(wide, dt=DT)
    for dtype in (np.int8, np.uint8, np.int16, np.uint16):
        values = np.array([[np.iinfo(dtype).min, np.iinfo(dtype).max]], dtype)
        np.testing.assert_array_equal(gp.BScan(values).data, values.astype(np.float64))


def test_float64_beyond_float32_range_is_refused_not_made_infinite():
    with pytest.raises(TypeError, match="float32's range"):
        gp.BScan(np.array([[1.0, 1e300]]), allow_non_finite=True)


def test_big_endian_and_strided_arrays_are_converted_by_value():
    a = noise((16, 12))
    big = a.astype(">f4")
    np.testing.assert_array_equal(gp.BScan(big).data, a)
    np.testing.assert_array_equal(gp.BScan(a.astype(">f8")).data, a)
    fortran = np.asfortranarray(a)
    np.testing.assert_array_equal(gp.BScan(fortran).data, a)
    strided = noise((32, 24))[::2, ::2]
    np.testing.assert_array_equal(gp.BScan(strided).data, np.ascontiguousarray(strided))
    # And through an operation, a bare big-endian array gives the native result.
    np.testing.assert_array_equal(gp.dewow(big, 0.5e-9, dt=DT), gp.dewow(a, 0.5e-9, dt=DT))


def test_positions_and_gain_arrays_are_checked_too():
    b = bscan((8, 4))
    with pytest.raises((TypeError, ValueError), match="complex"):
        b.positions = np.zeros((4, 3), np.complex128)
    with pytest.raises((TypeError, ValueError), match="complex"):
        gp.apply_gain(b, np.ones(8, np.complex64))


# -- keyword types ------------------------------------------------------------

@pytest.mark.parametrize("value", [True, False, np.True_, "1e-10", [1e-10]])
def test_dt_must_be_a_number(value):
    with pytest.raises(TypeError, match="dt"):
        gp.BScan(noise((8, 4)), dt=value)


def test_bool_and_string_metadata_are_refused_on_every_field():
    b = bscan((8, 4))
    for name in ("dt", "dx", "t0", "x0", "antenna_offset", "antenna_height", "center_frequency"):
        for value in (True, "0.5"):
            with pytest.raises(TypeError, match=name):
                setattr(b, name, value)
    assert b.dt == DT  # unchanged by the refused assignments


@pytest.mark.parametrize("call, name", [
    (lambda b: gp.dewow(b, True), "window"),
    (lambda b: gp.dewow(b, "1e-9"), "window"),
    (lambda b: gp.dewow(b, None), "window"),
    (lambda b: gp.bandpass(b, 1e8, True), "high"),
    (lambda b: gp.bandpass(b, "1e8", 1e9), "low"),
    (lambda b: gp.agc(b, 2e-9, floor=True), "floor"),
    (lambda b: gp.time_gain(b, power=True), "power"),
    (lambda b: gp.remove_background(b, "moving_mean", window_traces=True), "window_traces"),
    (lambda b: gp.remove_background(b, "svd", rank=True), "rank"),
    (lambda b: gp.remove_background(b, "rpca", rpca_lambda="0.1"), "rpca_lambda"),
    (lambda b: gp.migrate(b, velocity=True, dz=0.01, depth=0.4), "velocity"),
    (lambda b: gp.migrate(b, velocity="1e8", dz=0.01, depth=0.4), "velocity"),
    (lambda b: gp.migrate(b, velocity=1e8, dz=0.01, depth=0.4, antialias="no"), "antialias"),
    (lambda b: gp.velocity_scan(b, [1e8, True], depth=0.4), "velocities"),
    (lambda b: gp.time_to_depth(b, velocity=1e8, dz=True, depth=0.4), "dz"),
    (lambda b: gp.correct_time_zero(b, threshold="0.1"), "threshold"),
    (lambda b: gp.shift_traces(b, "1e-9"), "shifts"),
])
def test_numeric_keywords_refuse_bools_strings_and_none(call, name):
    with pytest.raises(TypeError, match=name):
        call(bscan((128, 16)))


def test_counts_must_be_whole_numbers():
    b = bscan((128, 16))
    with pytest.raises(ValueError, match="window_traces.*whole"):
        gp.remove_background(b, "moving_mean", window_traces=5.5)  # int() would make it 5
    with pytest.raises(ValueError, match="oversampling.*whole"):
        gp.migrate(b, velocity=1e8, dz=0.01, depth=0.4, oversampling=2.5)
    with pytest.raises(ValueError, match="half_width.*whole"):
        gp.correct_time_zero(b, half_width=7.9)


def test_detect_keywords_are_checked():
    img = gp.DepthImage(noise((32, 16)), dz=0.01, dx=0.01)
    with pytest.raises(TypeError, match="threshold"):
        gp.detect(img, threshold=True)
    with pytest.raises(ValueError, match="max_targets.*whole"):
        gp.detect(img, max_targets=2.5)
    with pytest.raises(TypeError, match="max_targets"):
        gp.detect(img, max_targets=None)
    with pytest.raises(TypeError, match="envelope"):
        gp.detect(img, envelope="yes")


# -- plausibility ---------------------------------------------------------------

def test_velocity_in_m_per_ns_is_refused_naming_the_slip():
    b = bscan()
    with pytest.raises(ValueError, match=r"0\.1 m/s.*did you mean 0\.1 m/ns = 1e\+08 m/s"):
        gp.migrate(b, velocity=0.1, dz=0.01, depth=0.5)
    for method in ("stolt", "phase_shift"):
        with pytest.raises(ValueError, match="m/ns"):
            gp.migrate(b, method=method, velocity=0.1, dz=0.01, depth=0.5)
    with pytest.raises(ValueError, match="cm/ns"):
        gp.migrate(b, velocity=12, dz=0.01, depth=0.5)  # 12 cm/ns
    with pytest.raises(ValueError, match="faster than light"):
        gp.migrate(b, velocity=3.5e8, dz=0.01, depth=0.5)
    with pytest.raises(ValueError, match="m/ns"):
        gp.velocity_scan(b, [0.08, 0.1, 0.12], depth=0.5)
    with pytest.raises(ValueError, match="m/ns"):
        gp.time_to_depth(b, velocity=0.1, dz=0.01, depth=0.5)
    with pytest.raises(ValueError, match="m/ns"):
        gp.migrate(b, velocity={"layer_tops": [0, 0.1], "velocities": [1e8, 0.1]}, dz=0.01, depth=0.5)


def test_band_in_mhz_is_refused_naming_the_slip():
    b = bscan()
    with pytest.raises(ValueError, match=r"high = 800 Hz.*did you mean 800 MHz"):
        gp.bandpass(b, 100, 800)
    with pytest.raises(ValueError, match=r"low = 100 Hz.*100 MHz"):
        gp.bandpass(b, 100, 800e6)
    with pytest.raises(ValueError, match=r"high_taper.*MHz"):
        gp.bandpass(b, 100e6, 800e6, high_taper=200)


def test_sample_interval_and_trace_spacing_slips_are_named():
    with pytest.raises(ValueError, match=r"dt = 0\.1 s.*0\.1 ns"):
        gp.dewow(noise(), 1e-9, dt=0.1)
    with pytest.raises(ValueError, match=r"dx = 2000 m.*2000 mm"):
        gp.migrate(noise(), velocity=1e8, dz=0.01, depth=0.5, dt=DT, dx=2000)


def test_depth_beyond_the_records_reach_is_refused_naming_the_slip():
    b = bscan()  # 256 samples x 0.1 ns: 25.5 ns reaches 1.275 m at 1e8 m/s
    gp.migrate(b, velocity=1e8, dz=0.01, depth=2.5)  # within twice the reach: fine
    with pytest.raises(ValueError, match=r"depth = 40 m.*40 cm = 0\.4 m"):
        gp.migrate(b, velocity=1.5e8, dz=0.01, depth=40)
    with pytest.raises(ValueError, match=r"dz = 2 m.*2 mm"):
        gp.migrate(b, velocity=1e8, dz=2, depth=0.2)


def test_bounds_are_published_and_wide_enough_for_real_systems():
    bounds = gp.plausibility_bounds()
    assert bounds["velocity"] == (1e6, C)
    low, high = bounds["dt"]
    assert low <= 4.7e-12 and high >= 10e-9  # gprMax steps to 10 MHz field sampling
    assert bounds["band_frequency"][0] <= 10e6  # low-frequency GPR
    # A 10 MHz survey: 10 ns sampling, 1 m traces, 0.06 m/ns, band 5-20 MHz.
    slow = gp.BScan(noise((400, 32)), dt=10e-9, dx=1.0, antenna_offset=4.0)
    gp.bandpass(slow, 5e6, 20e6, low_taper=2e6, high_taper=5e6)
    gp.migrate(slow, velocity=0.06e9, dz=0.1, depth=100.0)


def test_check_plausible_names_every_bad_field():
    gp.check_plausible(bscan())
    with pytest.raises(ValueError, match="dt"):
        gp.check_plausible(bscan(dt=1e-3))
    with pytest.raises(ValueError, match="center_frequency.*MHz"):
        gp.check_plausible(bscan(center_frequency=400))


@pytest.mark.io
def test_shared_field_files_pass_the_bounds(shared_data):
    # Real recordings: the bounds must not reject them.
    for relative in ("field/LINE00.DT1", "field/gssi_sir3000_400MHz.DZT", "field/ten_col.rd3",
                     "gprmax/cylinder_Bscan_2D_v4_merged.h5", "landmines/pmn_dry_sand_merged.out"):
        path = shared_data(relative)
        if path.suffix.lower() in (".dt1", ".dzt"):
            b = gp.read_vendor(path)
        elif path.suffix.lower() == ".rd3":
            b = gp.read_vendor(path, dx=0.05)  # a time-triggered recording: no trace step in the file
        else:
            b = gp.read_gprmax(path, component="Ez", dx=0.01 if "landmines" in relative else None)
        gp.check_plausible(b)
        f = b.center_frequency or 0.5 / b.dt / 4
        gp.bandpass(b, 0.25 * f, min(2.0 * f, 0.45 / b.dt))


# -- history ------------------------------------------------------------------------

def test_rpca_history_records_the_lambda_used():
    b = bscan((48, 20))
    out = gp.remove_background(b, "rpca", max_iterations=5)
    used = out.history[-1]["parameters"]["rpca_lambda"]
    assert used == pytest.approx(1 / math.sqrt(48))
    low, sparse = gp.robust_pca(b, max_iterations=5)
    assert low.history[-1]["parameters"]["rpca_lambda"] == pytest.approx(1 / math.sqrt(48))
    given = gp.remove_background(b, "rpca", rpca_lambda=0.3, max_iterations=5)
    assert given.history[-1]["parameters"]["rpca_lambda"] == 0.3


def test_windowed_histories_record_the_window_used():
    b = bscan((200, 4))
    out = gp.dewow(b, 1.04e-9)  # 10.4 samples: round to 10, made odd: 11
    assert out.history[-1]["parameters"]["window"] == 1.04e-9
    assert out.history[-1]["parameters"]["window_samples"] == 11
    g = gp.agc(b, 2.0e-9)
    assert g.history[-1]["parameters"]["window_samples"] == 21


# -- plans shared by threads ------------------------------------------------------

@pytest.mark.parametrize("method", ["kirchhoff", "stolt", "phase_shift"])
def test_one_plan_shared_by_four_threads_gives_the_serial_images(method):
    lines = [bscan((256, 64), seed=k, antenna_offset=0.05) for k in range(12)]
    plan = gp.MigrationPlan(lines[0], method=method, velocity=1e8, dz=0.005, depth=0.2, device="cpu")
    serial = [plan.execute(line).data for line in lines]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(lambda line: plan.execute(line).data, lines))
    differing = [k for k, (s, t) in enumerate(zip(serial, threaded)) if not np.array_equal(s, t)]
    assert differing == []
    # The images are of the lines (not all alike), so a mix-up could not hide.
    assert not np.array_equal(serial[0], serial[1])
