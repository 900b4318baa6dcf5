"""The digest of the sources the prebuilt browser code is made from (generator/offline/prebuilt.py).

Standard library only: setup.py loads this file by path, before any dependency is installed,
to refuse a wheel whose prebuilt store is older than its sources.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

# Folders of the checkout, and the kinds of file in them that the browser code depends on.
SOURCES = ("schemas", "forms", "generator")
KINDS = (".json", ".j2", ".css", ".js", ".cjs", ".py", ".yml", ".md")


def source_digest(root: Path) -> str:
    h = hashlib.sha256()
    files = [root / "package-lock.json"]
    for name in SOURCES:
        files += [
            p
            for p in (root / name).rglob("*")
            if p.is_file()
            and p.suffix in KINDS
            and "__pycache__" not in p.parts
            and "_data" not in p.relative_to(root).parts
        ]
    for path in sorted(files):
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()
