"""Scoring detections against a scene's truth, as demining counts them (docs/DETECTION.md).

    targets = gp.detect(img)
    s = gp.score(targets, "scene_truth.json")          # per object hit or missed, false alarms
    s.pd, s.false_alarms, s.false_alarm_rate            # per metre of lane (per m^2 for cubes)
    summary = gp.score_scenes([(targets_a, truth_a), (targets_b, truth_b)])   # Pd with 95 % intervals
    curve = gp.roc([(candidates_a, truth_a), ...])      # Pd against false alarms over the confidence
    curve.to_csv("roc.csv"); curve.plot("roc.png")

An object that must be found (a mine, or metal debris) is found when an alarm
lies within ``hit_radius`` (3 cm) of its body; alarms on stones, roots or empty
ground more than ``lateral_reach`` (5 cm) beside every mine and piece of debris
are false alarms, those within ``lateral_reach`` of each other counting once.
"""
import csv
import math
import os

from . import _core

__all__ = ["read_truth", "score", "score_scenes", "roc", "Roc"]


def read_truth(path):
    """A scene's truth file (JSON) as a ``SceneTruth`` (objects and lane)."""
    if not getattr(_core, "has_io", False):
        raise RuntimeError("this gprproc build has no file I/O component: read_truth is unavailable")
    return _core.read_truth(os.fspath(path))


def _truth(truth):
    if isinstance(truth, _core.SceneTruth):
        return truth
    if isinstance(truth, (str, os.PathLike)):
        return read_truth(truth)
    raise TypeError(f"truth must be a path to a truth file or a SceneTruth, got {type(truth).__name__}")


def _alarms(detections):
    """[(x, y, depth, confidence)] from Targets (2-D: y = 0) or Target3Ds; the
    confidence is the alarm's ``confidence`` where it has one, else its snr."""
    alarms = []
    for k, t in enumerate(detections):
        try:
            x, depth = float(t.x), float(t.depth)
        except AttributeError:
            raise TypeError(f"detection {k + 1} has no x/depth: give gp.detect's result") from None
        y = float(getattr(t, "y", 0.0))
        confidence = getattr(t, "confidence", None)
        confidence = float(t.snr if confidence is None else confidence)
        alarms.append((x, y, depth, confidence))
    return alarms


class Score:
    """One scene's score: ``objects`` (each found or missed, with the distance of
    its nearest alarm), ``false_alarms`` (excavations), ``pd``, ``false_alarm_rate``."""

    def __init__(self, result, truth):
        self._result = result
        self.scene = result.scene
        self.truth = truth
        self.objects = list(result.objects)
        self.alarms = result.alarms
        self.detections = result.detections
        self.near_misses = result.near_misses
        self.false_alarms = result.false_alarms
        self.false_alarm_positions = list(result.false_alarm_positions)
        self.to_find, self.found = result.to_find, result.found
        self.mines, self.mines_found = result.mines, result.mines_found
        self.lane = result.lane
        self.three_dimensional = result.three_dimensional
        self.false_alarm_rate = result.false_alarm_rate

    @property
    def pd(self):
        """Fraction of mines and debris found (None for a scene without any)."""
        return self.found / self.to_find if self.to_find else None

    @property
    def missed(self):
        return [o for o in self.objects if o.must_find and not o.found]

    def table(self):
        """A text table: one line per object, then the false alarms."""
        lines = [f"scene {self.scene}: {self.found}/{self.to_find} found, {self.false_alarms} false alarm(s) "
                 f"({self.false_alarm_rate:.2f} per {'m^2' if self.three_dimensional else 'm'})"]
        for o in self.objects:
            state = ("found" if o.found else "MISSED") if o.must_find else ("alarm" if o.found else "quiet")
            distance = "no alarm" if math.isinf(o.distance) else f"{o.distance * 100:.1f} cm"
            lines.append(f"  {o.id:<16} {o.kind:<13} {state:<7} nearest alarm {distance}")
        for x, y, depth, confidence in self.false_alarm_positions:
            where = f"x {x:.3f} m" + (f", y {y:.3f} m" if self.three_dimensional else "")
            lines.append(f"  false alarm at {where}, depth {depth:.3f} m (confidence {confidence:.3g})")
        return "\n".join(lines)

    def __repr__(self):
        return (f"Score({self.scene!r}: found {self.found}/{self.to_find}, false alarms {self.false_alarms}, "
                f"{self.false_alarm_rate:.3g} per {'m^2' if self.three_dimensional else 'm'})")


def score(detections, truth, *, hit_radius=0.03, lateral_reach=0.05):
    """Scores one scene's detections (gp.detect's result) against its truth (a path or SceneTruth)."""
    t = _truth(truth)
    return Score(_core.score(_alarms(detections), t, float(hit_radius), float(lateral_reach)), t)


class _Summary:
    """The summary of many scenes (see score_scenes)."""

    def __repr__(self):
        return (f"Summary({self.scenes} scenes: Pd {self.found}/{self.to_find} = {self.pd!r}, "
                f"false alarms {self.false_alarms})")


def _summary(scores):
    s = _core.summarize([x._result for x in scores])
    out = _Summary()
    for name in dir(s):
        if not name.startswith("_"):
            setattr(out, name, getattr(s, name))
    out.scores = scores
    return out


def score_scenes(pairs, *, hit_radius=0.03, lateral_reach=0.05):
    """Scores many scenes [(detections, truth), ...]: a summary with ``pd`` (mines
    and debris), ``pd_mines``, ``false_alarms_per_metre`` (2-D scenes) and
    ``false_alarms_per_square_metre`` (3-D), each an Interval (estimate, low,
    high at 95 %); ``max_false_alarms_per_lane``, ``max_alarms_on_mine_free_lane``;
    and ``scores``, the per-scene Score objects."""
    return _summary([score(d, t, hit_radius=hit_radius, lateral_reach=lateral_reach) for d, t in pairs])


class Roc:
    """Pd against false alarms per metre (or per m^2) over the alarms' confidence."""

    def __init__(self, points, three_dimensional):
        self.points = list(points)
        self.unit = "per m^2" if three_dimensional else "per m"

    @property
    def thresholds(self):
        return [p.threshold for p in self.points]

    @property
    def pd(self):
        return [p.pd for p in self.points]

    @property
    def false_alarm_rate(self):
        return [p.false_alarm_rate for p in self.points]

    def to_csv(self, path):
        """Writes threshold, found, to_find, pd, false_alarms, false_alarm_rate rows."""
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["threshold", "found", "to_find", "pd", "false_alarms", f"false_alarms_{self.unit.replace(' ', '_')}"])
            for p in self.points:
                w.writerow([p.threshold, p.found, p.to_find, p.pd, p.false_alarms, p.false_alarm_rate])

    def plot(self, path=None, title="ROC"):
        """A matplotlib Figure of the curve (saved as PNG when ``path`` is given)."""
        import matplotlib
        if path is not None:
            matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(5, 4))
        ax.step(self.false_alarm_rate, self.pd, where="post", marker="o", markersize=3)
        ax.set_xlabel(f"false alarms {self.unit}")
        ax.set_ylabel("Pd (mines and metal debris)")
        ax.set_ylim(-0.02, 1.02)
        ax.grid(True, alpha=0.3)
        ax.set_title(title)
        fig.tight_layout()
        if path is not None:
            fig.savefig(path, dpi=120)
        return fig


def roc(pairs, *, hit_radius=0.03, lateral_reach=0.05):
    """The ROC of many scenes [(detections, truth), ...] over the alarms'
    confidence (run detection with a low threshold to see the whole curve)."""
    pairs = list(pairs)
    truths = [_truth(t) for _, t in pairs]
    alarms = [_alarms(d) for d, _ in pairs]
    points = _core.roc(alarms, truths, float(hit_radius), float(lateral_reach))
    return Roc(points, bool(truths and truths[0].three_dimensional))
