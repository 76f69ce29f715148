"""gp.write goes through the library's one output writer (docs/FORMAT.md,
"Writing never destroys data"): no NUL-truncated names, no FIFO, folder or
broken link as a target, no lost group when two processes write one file, no
partial file on a full disk, and temporaries of dead processes cleaned."""
import multiprocessing
import os
import subprocess
import sys

import numpy as np
import pytest

import gprproc as gp

pytestmark = pytest.mark.io


def small_bscan(value=1.0):
    return gp.BScan(np.full((12, 5), value, dtype=np.float32), dt=1e-11, dx=0.01)


def leftovers(folder):
    return sorted(name for name in os.listdir(folder) if ".tmp-" in name or name.endswith(".publish"))


def test_nul_in_a_path_is_value_error_not_a_shorter_name(tmp_path):
    gp.write(tmp_path / "a", small_bscan(1.0))  # what a truncated name would reach
    before = (tmp_path / "a").read_bytes()
    nul = str(tmp_path / "a") + "\0b.h5"
    with pytest.raises(ValueError, match="NUL"):
        gp.write(nul, small_bscan(2.0))
    for reader in (gp.read, gp.read_image, gp.list_groups, gp.read_gprmax, gp.read_dzt, gp.read_segy, gp.read_dt1):
        with pytest.raises(ValueError, match="NUL"):
            reader(nul)
    assert (tmp_path / "a").read_bytes() == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("kind", ["fifo", "folder", "broken_link"])
def test_a_target_that_is_no_regular_file_is_os_error(tmp_path, kind):
    target = tmp_path / "target.h5"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        target.symlink_to(tmp_path / "nowhere.h5")
    with pytest.raises(OSError):
        gp.write(target, small_bscan())
    if kind == "broken_link":
        assert target.is_symlink() and not (tmp_path / "nowhere.h5").exists()
    assert leftovers(tmp_path) == []


def test_reading_a_fifo_as_an_image_is_os_error_not_a_hang(tmp_path):
    fifo = tmp_path / "image.h5"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="FIFO"):
        gp.read_image(fifo)


def test_a_link_to_a_file_is_written_through_and_kept(tmp_path):
    real = tmp_path / "real.h5"
    gp.write(real, small_bscan(1.0), group="first")
    link = tmp_path / "link.h5"
    link.symlink_to(real)
    gp.write(link, small_bscan(2.0), group="second")
    assert link.is_symlink()
    assert sorted(g["name"] for g in gp.list_groups(real)) == ["/first", "/second"]


def _add_groups(path, prefix, count):
    for k in range(count):
        gp.write(path, small_bscan(float(k)), group=f"{prefix}_{k}")


def test_two_processes_adding_groups_to_one_file_lose_none(tmp_path):
    path = str(tmp_path / "survey.h5")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_add_groups, args=(path, prefix, 15)) for prefix in ("a", "b")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
        assert w.exitcode == 0
    names = {g["name"] for g in gp.list_groups(path)}
    assert names == {f"/{p}_{k}" for p in ("a", "b") for k in range(15)}
    assert float(gp.read(path, group="b_14").data[0, 0]) == 14.0
    assert leftovers(tmp_path) == []


FULL_DISK = """
import resource, signal, sys
import numpy as np
import gprproc as gp
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), resource.RLIM_INFINITY))
try:
    gp.write(sys.argv[1], gp.BScan(np.random.default_rng(1).standard_normal((2000, 300)).astype(np.float32),
                                   dt=1e-11, dx=0.01), group="big", compression_level=0)
except OSError as e:
    print("OSError:", e)
    sys.exit(3)
"""


def test_a_full_disk_leaves_the_file_as_it_was_and_no_temporary(tmp_path):
    path = tmp_path / "survey.h5"
    gp.write(path, small_bscan(), group="bscan")
    before = path.read_bytes()
    # A file-size limit stands in for a full disk (the write fails with EFBIG, as with ENOSPC).
    run = subprocess.run([sys.executable, "-c", FULL_DISK, str(path), str(len(before) + 65536)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "File too large" in run.stdout
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_temporaries_of_dead_processes_are_cleaned_when_the_file_is_written(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = [f".out.h5.tmp-{dead}-5e1f", f".out.h5.tmp-{dead}", f"..out.h5.tmp-{dead}-1.tmp-{dead}-2"]
    live = ".out.h5.tmp-1-abcd"  # pid 1 is always running
    for name in stale + [live]:
        (tmp_path / name).write_bytes(b"partial" * 1000)
    gp.write(tmp_path / "out.h5", small_bscan())
    assert leftovers(tmp_path) == [live]
