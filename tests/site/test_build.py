"""Builds killed half-way leave nothing behind for long: the next build removes their
temporary folders, and never one that a running build holds (issue 16, class 7)."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from lienthong.site.build import TMP_PREFIX, remove_stale_builds
from tests.conftest import ROOT, TEST_DAY


def test_stale_folders_go_and_held_ones_stay(tmp_path: Path) -> None:
    old = tmp_path / f"{TMP_PREFIX}old"  # an older version's folder, no lock
    (old / "assets").mkdir(parents=True)
    killed = tmp_path / f"{TMP_PREFIX}killed"
    killed.mkdir()
    (tmp_path / f"{TMP_PREFIX}killed.lock").touch()  # its lock, held by nobody
    orphan = tmp_path / f"{TMP_PREFIX}early.lock"  # killed before it made its folder
    orphan.touch()
    running = tmp_path / f"{TMP_PREFIX}running"
    running.mkdir()
    with open(tmp_path / f"{TMP_PREFIX}running.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        removed = remove_stale_builds(tmp_path)
        assert sorted(p.name for p in removed) == [killed.name, old.name]
        assert running.is_dir() and (tmp_path / f"{TMP_PREFIX}running.lock").exists()
    assert not old.exists() and not killed.exists() and not orphan.exists()
    assert not (tmp_path / f"{TMP_PREFIX}killed.lock").exists()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(TMP_PREFIX + "*"))


def test_a_killed_build_leaves_nothing_after_the_next_one(tmp_path: Path) -> None:
    out = tmp_path / "site"
    env = {**os.environ, "LIENTHONG_AS_OF": TEST_DAY}
    cmd = [sys.executable, "-m", "lienthong.cli", "build", "-d", str(out)]
    build = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while not any(p.is_dir() for p in tmp_path.glob(TMP_PREFIX + "*")):
        assert build.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert _leftovers(tmp_path), "the kill left no folder: nothing was tested"
    again = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    assert _leftovers(tmp_path) == []
    assert (out / "index.html").exists()
