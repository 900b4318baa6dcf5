"""Fixtures of the pack tests: each pack run is made once and read by every module."""

from __future__ import annotations

from pathlib import Path

import pytest

from lienthong.schema.catalog import load_catalog
from tests.conftest import ROOT
from tests.packs.runs import HEADER, HUE, ROWS, SITE, run_cli


@pytest.fixture(scope="package")
def catalog():
    return load_catalog(ROOT / "schemas")


@pytest.fixture(scope="package")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="package")
def settings_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("settings") / "xa.csv"
    path.write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="package")
def national(tmp_path_factory, cache, settings_file) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("national") / "goi"
    status, err = run_cli(
        "--national",
        "--provinces",
        HUE,
        "-o",
        str(out),
        "--settings",
        str(settings_file),
        "--config",
        str(out.parent / "none.yml"),
        "--cache-dir",
        str(cache),
        "--batch",
        "16",
    )
    assert status == 0, err
    return out, err


@pytest.fixture(scope="package")
def site_pack(tmp_path_factory, cache) -> Path:
    out = tmp_path_factory.mktemp("site") / "ba-dinh"
    status, err = run_cli(
        "--province",
        "01",
        "--commune",
        "00004",
        "-o",
        str(out),
        "--config",
        str(ROOT / "mkdocs.yml"),
        "--site-url",
        SITE,
        "--cache-dir",
        str(cache),
    )
    assert status == 0, err
    return out
