"""Issue 16's budgets: every case of the hostile corpus is refused in <= 2 s and <= 200 MB.

Each command that reads a case runs in its own process; its wall time and its own peak
resident memory (VmHWM, read by the process as it exits) are recorded.
The corpus lives in the checkout's tests/, so this runs only from a checkout.

    python -m lienthong.bench.hostile    # one line per case, slowest first, then the budgets
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BUDGETS = {
    "hostile_slowest_refusal_s": 2.0,
    "hostile_largest_refusal_mb": 200.0,
    "hostile_not_refused": 0.0,
}


# Runs the CLI and, at exit, writes the process's own peak resident memory (VmHWM) to the
# file named by argv[1]. wait4's ru_maxrss would not do: the kernel carries the parent's
# peak into the child across fork and exec, so a large bench process inflates every figure.
_CHILD = """
import atexit, sys
out = sys.argv[1]
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(out, "w").write(line.split()[1])
atexit.register(peak)
from lienthong.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _run(argv: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak resident MB, exit status) of ``lienthong ARGV``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.NamedTemporaryFile(suffix=".kb") as peak:
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, peak.name, *argv],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        seconds = time.perf_counter() - start
        kb = Path(peak.name).read_text().strip()
    return seconds, (int(kb) / 1024 if kb else float("nan")), done.returncode


def measure() -> list[tuple[str, str, float, float, int]]:
    """(case id, command, seconds, MB, status) for every command of every corpus case."""
    sys.path.insert(0, str(ROOT))
    from tests.hostile.corpus import CASES
    from tests.test_hostile import commands, previous_output

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            work = Path(tmp) / case.id
            work.mkdir()
            file = case.make(work / "input")
            previous_output(work / "out")
            for argv in commands(case, file, work):
                seconds, mb, status = _run(argv)
                rows.append((case.id, argv[0], seconds, mb, status))
    return rows


def run(rows: list[tuple[str, str, float, float, int]] | None = None) -> dict[str, float]:
    if not (ROOT / "tests" / "hostile" / "corpus.py").is_file():
        return {}
    rows = measure() if rows is None else rows
    slowest = max(rows, key=lambda r: r[2])
    largest = max(rows, key=lambda r: r[3])
    print(f"hostile corpus: {len({r[0] for r in rows})} cases, {len(rows)} commands")
    print(f"  slowest: {slowest[0]} ({slowest[1]}) {slowest[2]:.2f} s")
    print(f"  largest: {largest[0]} ({largest[1]}) {largest[3]:.0f} MB")
    accepted = [r for r in rows if r[4] == 0]
    if accepted:
        print(f"  NOT REFUSED: {', '.join(f'{r[0]} ({r[1]})' for r in accepted)}")
    return {
        "hostile_cases": float(len({r[0] for r in rows})),
        "hostile_slowest_refusal_s": slowest[2],
        "hostile_largest_refusal_mb": largest[3],
        "hostile_not_refused": float(len(accepted)),
    }


def main() -> int:
    from lienthong.bench.report import report

    rows = measure()
    for case_id, command, seconds, mb, status in sorted(rows, key=lambda r: -r[2]):
        print(f"{case_id:40s} {command:9s} {seconds:6.2f} s {mb:6.0f} MB  exit {status}")
    results = run(rows)
    return 1 if report(results, BUDGETS) else 0


if __name__ == "__main__":
    sys.exit(main())
