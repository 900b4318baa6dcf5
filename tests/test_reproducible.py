"""Reproducible builds: two clean builds of the same commit are byte-identical.

Each build runs in fresh processes from an empty folder with empty caches, as on two
machines: the site (pages, blank PDFs, offline forms, the publisher's pack), a province's
packs and a filled group PDF. Dates come from SOURCE_DATE_EPOCH, as the Makefile sets it from
the last commit. Every file's SHA-256 must match.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from tests.conftest import CONFIG, ROOT, run_cli

EPOCH = "1763856000"  # 2025-11-23 00:00 UTC: any fixed value will do
SCHEMAS = ROOT / "schemas"


def clean_config(folder: Path) -> Path:
    """mkdocs.yml with every path absolute, so the build and its caches live in ``folder``."""
    text = CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^docs_dir: .*$", f"docs_dir: {ROOT / 'docs'}", text)
    text = text.replace(
        "      schemas_dir: schemas\n",
        f"      schemas_dir: {SCHEMAS}\n      forms_dir: {ROOT / 'forms'}\n"
        f"      node_modules: {ROOT / 'node_modules'}\n",
    )
    assert str(SCHEMAS) in text and str(ROOT / "docs") in text
    config = folder / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def lienthong(folder: Path, seed: int, *args: str) -> None:
    # Different hash seeds: dict and set order must not leak into any output.
    env = {"SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": str(seed)}
    result = run_cli("--schemas", str(SCHEMAS), *args, cwd=folder, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-2000:]


def clean_build(folder: Path, seed: int) -> dict[str, str]:
    folder.mkdir(parents=True)
    lienthong(
        folder, seed, "build", "-f", str(clean_config(folder)), "-d", str(folder / "out/site")
    )
    lienthong(
        folder,
        seed,
        *("pack", "--province", "46", "--all", "-o", str(folder / "out/goi")),
        *("--cache-dir", str(folder / "cache"), "--config", str(CONFIG)),
    )
    data = folder / "ho-so.json"
    schema = (SCHEMAS / "lien-thong-khai-sinh.schema.json").read_text(encoding="utf-8")
    data.write_text(json.dumps(json.loads(schema)["examples"][0], ensure_ascii=False), "utf-8")
    lienthong(
        folder,
        seed,
        *("pdf", "lien-thong-khai-sinh", "--data", str(data)),
        *("-o", str(folder / "out/ho-so.pdf")),
    )
    out = folder / "out"
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


@pytest.mark.build
def test_two_clean_builds_are_byte_identical(tmp_path: Path) -> None:
    first = clean_build(tmp_path / "a", seed=1)
    second = clean_build(tmp_path / "b", seed=2)
    kinds = {Path(name).suffix for name in first}
    assert {".html", ".pdf", ".svg", ".txt", ".js", ".css", ".json"} <= kinds, kinds
    assert len(first) > 300, len(first)
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    print(f"reproducible: {len(first) - len(differ)} of {len(first)} files identical")
    assert differ == [], differ
