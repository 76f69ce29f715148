"""benchmarks/peers/run_peers.py runs and its peers agree with gprproc.

The peers are what a researcher would write instead (numpy, scipy; CuPy on a
GPU). A speed ratio only counts when the answers agree, so this checks the
agreement the peer table reports, on the small size, and that a failing peer
would show (it is a row with a "failed" note, never a silent gap).
"""
import json
import os
import pathlib
import subprocess
import sys

import pytest

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]


def test_peers_agree_with_gprproc(tmp_path):
    pytest.importorskip("scipy", reason="the peer script needs scipy (scripts/setup.sh installs it)")
    out = tmp_path / "peers.json"
    subprocess.run([sys.executable, str(REPOSITORY / "benchmarks" / "peers" / "run_peers.py"), "--size", "quick",
                    "--repetitions", "1", "--budget", "0.01", "--no-kirchhoff", "--json", str(out)],
                   check=True, env=dict(os.environ), capture_output=True, timeout=600)
    rows = json.loads(out.read_text())["results"]
    operations = {r["operation"] for r in rows}
    for expected in ("remove_dc", "dewow (2 ns)", "background mean", "background mean (stack of 8)",
                     "background moving median (21)"):
        assert expected in operations
    for r in rows:
        assert not r["note"].startswith("failed"), r
        if r["implementation"].startswith("gprproc"):
            continue
        if r["max_relative_difference"] is not None:  # None: a different algorithm, said in the note
            assert r["max_relative_difference"] < 1e-4, r
