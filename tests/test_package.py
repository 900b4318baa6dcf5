"""The distribution: a wheel named lienthong, imported as lienthong, that carries the schemas and
forms and runs outside this checkout (issue 13)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, TEST_DAY


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # From a copy: setuptools leaves build/ and *.egg-info in the tree it builds.
    src = tmp_path_factory.mktemp("src") / "lienthong"
    skip = shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "site", ".cache", ".site-build-*", "__pycache__", "*.pyc"
    )
    shutil.copytree(ROOT, src, ignore=skip)
    # Build isolation fetches the setuptools that pyproject.toml asks for (PyPI, as make does).
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("lienthong-*.whl")
    return found


def test_wheel_is_lienthong_and_carries_schemas_and_forms(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert not any(n.startswith("generator/") for n in names)
    for path in (ROOT / "schemas").rglob("*.json"):
        assert f"lienthong/_data/schemas/{path.relative_to(ROOT / 'schemas').as_posix()}" in names
    for path in (ROOT / "forms").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert f"lienthong/_data/forms/{path.relative_to(ROOT / 'forms').as_posix()}" in names
    assert "lienthong/templates/pages/changes.md.j2" in names
    assert "lienthong/assets/amounts.js" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry).decode()
    assert "lienthong = lienthong.cli:main" in text
    assert "lienthong = lienthong.plugin:LienThongPlugin" in text


def test_installed_wheel_checks_and_prints_outside_the_checkout(wheel: Path, tmp_path: Path):
    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "empty"
    work.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(site),
        "LIENTHONG_AS_OF": TEST_DAY,
    }

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args], cwd=work, env=env, capture_output=True, text=True, timeout=120
        )

    where = run("-c", "import lienthong; print(lienthong.default_schemas_dir())")
    assert where.stdout.strip() == str(site / "lienthong" / "_data" / "schemas")
    check = run("-m", "lienthong.cli", "check", "--config", "none.yml")
    assert check.returncode == 0, check.stderr
    assert "Kiểm tra đạt: 0 lỗi" in check.stderr
    pdf = run("-m", "lienthong.cli", "pdf", "ct01", "-o", "ct01.pdf")
    assert pdf.returncode == 0, pdf.stderr
    text = subprocess.run(
        ["pdftotext", str(work / "ct01.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "116/2026/TT-BCA" in text  # the CT01 in force on the suite's day
