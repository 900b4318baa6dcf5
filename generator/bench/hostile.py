"""Issue 16's budgets: every case of the hostile corpus is refused in <= 2 s and <= 200 MB.

Each command that reads a case runs in its own process; its wall time and peak resident
memory (from ``wait4``'s resource usage, so per process, not the bench's own) are recorded.
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


def _run(argv: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak resident MB, exit status) of ``lienthong ARGV``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "lienthong.cli", *argv],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, child.returncode


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
