"""Scoring in Python: the same counts as the C++ rule (hits within 3 cm,
near misses, grouped false alarms), the shipped gprMax scene scored end to
end against its truth, summaries with intervals, and the ROC's CSV and PNG."""
import csv
import pathlib

import numpy as np
import pytest

import gprproc as gp

DATA = pathlib.Path(__file__).resolve().parents[2] / "data"


class Alarm:
    def __init__(self, x, depth, snr, y=0.0):
        self.x, self.depth, self.snr, self.y = x, depth, snr, y


def lane_truth():
    t = gp.read_truth(DATA / "pmn_loam_rough_truth.json")
    return t


@pytest.mark.io
def test_the_shipped_truth_reads_with_its_mine_and_lane():
    t = lane_truth()
    assert t.objects[0].kind == "mine"
    assert t.objects[0].x_left == pytest.approx(0.394)
    assert t.lane_length == pytest.approx(0.70)


@pytest.mark.io
def test_hits_near_misses_and_false_alarms():
    t = lane_truth()
    stone = next(o for o in t.objects if o.kind == "stone")
    alarms = [Alarm(0.45, 0.045, 9.0),                         # 5 mm above the mine's top: found
              Alarm(0.53, 0.25, 4.0),                          # 2.4 cm beside the mine, deep: a near miss
              Alarm(stone.x_centre, stone.depth_centre, 5.0),  # on a stone: a false alarm
              Alarm(stone.x_centre + 0.02, stone.depth_centre, 3.0)]   # the same excavation
    s = gp.score(alarms, t)
    assert s.found == 1 and s.to_find == 1 and s.pd == 1.0
    assert s.near_misses == 1
    assert s.false_alarms == 1
    assert s.false_alarm_rate == pytest.approx(1 / 0.70)
    assert "found" in s.table()
    missed = gp.score([Alarm(0.45, 0.005, 9.0)], t)           # 4.5 cm above the top
    assert missed.found == 0 and missed.missed[0].kind == "mine"


@pytest.mark.io
def test_the_shipped_scene_end_to_end_finds_its_mine():
    b = gp.read_gprmax(DATA / "pmn_loam_rough_merged.out", component="Ez", dx=0.01)
    b.x0, b.t0, b.antenna_height, b.antenna_offset = 0.10, -0.943e-9, 0.03, 0.04
    b = gp.bandpass(b, 0.4e9, 3.5e9, low_taper=0.3e9, high_taper=1e9)
    b = gp.remove_background(b, "mean")
    img = gp.migrate(b, velocity=0.1e9, dz=2e-3, depth=0.3, aperture=0.12, max_angle=np.radians(60))
    targets = gp.detect(img, relative_threshold=0.35, min_depth=0.02, edge_margin=0.05, max_targets=10)
    s = gp.score(targets, DATA / "pmn_loam_rough_truth.json")
    assert s.found == 1, s.table()
    assert s.objects[0].distance <= 0.03


@pytest.mark.io
def test_summary_and_roc(tmp_path):
    t = lane_truth()
    pairs = [([Alarm(0.45, 0.06, 9.0), Alarm(0.2, 0.2, 5.0)], t), ([Alarm(0.7, 0.1, 2.0)], t)]
    summary = gp.score_scenes(pairs)
    assert summary.scenes == 2 and summary.to_find == 2 and summary.found == 1
    assert summary.pd.estimate == pytest.approx(0.5)
    assert summary.pd.low < 0.5 < summary.pd.high
    assert summary.false_alarms_per_metre.estimate == pytest.approx(2 / 1.4)
    curve = gp.roc(pairs)
    assert curve.pd[0] == 0.0 and curve.pd[-1] == 0.5
    assert all(b >= a for a, b in zip(curve.false_alarm_rate, curve.false_alarm_rate[1:]))
    curve.to_csv(tmp_path / "roc.csv")
    rows = list(csv.reader(open(tmp_path / "roc.csv")))
    assert rows[0][:4] == ["threshold", "found", "to_find", "pd"] and len(rows) == len(curve.points) + 1
    fig = curve.plot(tmp_path / "roc.png")
    assert (tmp_path / "roc.png").stat().st_size > 1000
    assert fig.axes[0].get_xlabel().startswith("false alarms")


def test_bad_input_is_refused():
    with pytest.raises(TypeError, match="truth"):
        gp.score([], 42)
    with pytest.raises(TypeError, match="x/depth"):
        gp.score([object()], gp._core.SceneTruth())
