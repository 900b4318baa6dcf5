"""`make bench`, the adoption path (issue 13): the wheel's size, ``pip install`` of it into a
fresh venv (dependencies already in pip's cache), and a scaffolded commune's cold
``mkdocs build`` with no Node on the PATH.

Expects ``dist/`` from ``make dist`` (the bench target makes it first).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
NODE_TOOLS = {"node", "nodejs", "npm", "npx", "corepack"}

BUDGETS = {
    "wheel_mb": 15.0,
    "wheel_install_s": 60.0,
    "scaffold_cold_build_s": 5.0,
}


def path_without_node(tmp: Path) -> str:
    """A folder of links to every command on PATH but Node's."""
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    for folder in os.environ.get("PATH", "/usr/bin:/bin").split(os.pathsep):
        if not Path(folder).is_dir():
            continue
        for tool in Path(folder).iterdir():
            link = bin_dir / tool.name
            if tool.name not in NODE_TOOLS and not link.exists() and os.access(tool, os.X_OK):
                link.symlink_to(tool)
    return str(bin_dir)


def run() -> dict[str, float]:
    wheels = sorted((ROOT / "dist").glob("lienthong-*.whl"))
    if not wheels:
        print("dist/ has no wheel: run `make dist` first", file=sys.stderr)
        return {}
    wheel = wheels[-1]
    results = {"wheel_mb": wheel.stat().st_size / 1e6}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        venv = home / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        start = time.perf_counter()
        subprocess.run(
            [
                *(str(venv / "bin" / "python"), "-m", "pip", "install", "-q"),
                *("-c", str(ROOT / "requirements.lock"), str(wheel)),
            ],
            check=True,
            capture_output=True,
        )
        results["wheel_install_s"] = time.perf_counter() - start
        env = {
            "PATH": os.pathsep.join([str(venv / "bin"), path_without_node(home)]),
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "NO_MKDOCS_2_WARNING": "1",
        }
        subprocess.run(
            ["lienthong", "new", "xa-hoa-vang", "--province", "48", "--commune", "20320"],
            cwd=home,
            env=env,
            check=True,
            capture_output=True,
        )
        start = time.perf_counter()
        subprocess.run(
            ["mkdocs", "build", "--strict"],
            cwd=home / "xa-hoa-vang",
            env=env,
            check=True,
            capture_output=True,
        )
        results["scaffold_cold_build_s"] = time.perf_counter() - start
    return results
