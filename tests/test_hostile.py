"""Every case of the hostile corpus is refused cleanly by every command that reads it.

Clean means: exit status not 0, a message naming the file and the pointer or row, no
traceback, done within a time and memory bound, and previous output left as it was.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.hostile.corpus import (
    CASES,
    COMMAND,
    COMMUNES,
    PUBLISHER,
    RECORD,
    SCHEMAS,
    SCHEMAS_EP,
    Case,
    mkdocs_yml,
)

TIMEOUT_S = 60
MEMORY_LIMIT = 3 << 30  # address space, bytes


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def previous_output(folder: Path) -> Path:
    """An output folder as a previous run left it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text("<p>bản cũ</p>", encoding="utf-8")
    (folder / "to-khai.pdf").write_bytes(b"%PDF-1.7 previous")
    return folder


def commands(case: Case, file: Path, work: Path) -> list[list[str]]:
    """Every command that reads the case's input."""
    if case.entry == RECORD:
        return [
            ["validate", "lien-thong-khai-sinh", str(file)],
            [
                "pdf",
                "lien-thong-khai-sinh",
                "--data",
                str(file),
                "-o",
                str(work / "out/to-khai.pdf"),
            ],
        ]
    if case.entry == SCHEMAS_EP:
        config = work / "mkdocs.yml"
        text = mkdocs_yml("province: '01'\ncommune: '00004'")
        config.write_text(
            text.replace(f"schemas_dir: {SCHEMAS}", f"schemas_dir: {work / 'schemas'}"),
            encoding="utf-8",
        )
        return [
            ["--schemas", str(work / "schemas"), "check", "--config", str(work / "khong-co.yml")],
            ["build", "-f", str(config), "-d", str(work / "out")],
        ]
    if case.entry == PUBLISHER:
        return [
            ["check", "--config", str(file)],
            ["build", "-f", str(file), "-d", str(work / "out")],
        ]
    if case.entry == COMMUNES:
        return [
            [
                *("pack", "--settings", str(file), "--province", "01", "--commune", "00004"),
                *("-o", str(work / "out"), "--config", str(work / "khong-co.yml")),
                *("--cache-dir", str(work / "cache")),
            ]
        ]
    if case.entry == COMMAND:
        extra = ["-o", str(file)] if case.argv[0] == "pdf" else [str(file)]
        return [[*case.argv, *extra]]
    raise AssertionError(case.entry)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_is_refused_cleanly(case: Case, tmp_path: Path) -> None:
    work = tmp_path
    file = case.make(work)
    out = previous_output(work / "out")
    before = tree_digest(out)
    for args in commands(case, file, work):
        result = run_cli(*args, timeout=TIMEOUT_S, memory_limit=MEMORY_LIMIT)
        said = result.stdout + result.stderr
        assert result.returncode not in (0, None), f"{args[0]} accepted it: {said[-800:]}"
        assert "Traceback" not in said, said[-3000:]
        if case.entry != COMMAND:
            assert file.name in said, f"{args[0]} did not name {file.name}: {said[-800:]}"
        for text in case.expect:
            assert text in said, f"{args[0]}: {text!r} missing from: {said[-800:]}"
        assert tree_digest(out) == before, f"{args[0]} changed previous output"


def test_corpus_covers_every_entry_point() -> None:
    entries = {c.entry for c in CASES}
    assert entries == {RECORD, SCHEMAS_EP, PUBLISHER, COMMUNES, COMMAND}
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)
