"""A publisher's own files over the packaged ones, the way Material's ``custom_dir`` works.

A publisher's project (``lienthong new``) may hold ``schemas/``, ``forms/`` and ``docs/``. A
file there with the same path as a packaged one replaces it; any other file is added. For
schemas and forms the pipeline reads one folder, so :func:`merged` makes that folder once per
content (under ``.cache/lienthong/overlay-<digest>/``) and names each file that overrides a
packaged one. Pages are merged by the plugin itself (``packaged_pages``): MkDocs reads them
from two folders without copying.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lienthong import bundled

KINDS = ("schemas", "forms", "docs")


@dataclass(frozen=True)
class Layer:
    """One kind of input as the pipeline reads it, and what the publisher changed in it."""

    kind: str
    path: Path
    overrides: list[str] = field(default_factory=list)  # e.g. "forms/ct01/template.html.j2"
    added: list[str] = field(default_factory=list)


def _files(root: Path) -> dict[str, Path]:
    """Relative POSIX path → file, leaving out hidden files and Python caches."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
            found[rel.as_posix()] = path
    return found


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def split(kind: str, own: Path) -> Layer:
    """What ``own`` overrides and adds in the packaged ``kind``, without merging anything."""
    packaged = bundled(kind)
    if not own.is_dir() or _same(own, packaged):
        return Layer(kind, packaged)
    theirs, ours = _files(packaged), _files(own)
    return Layer(
        kind,
        own,
        overrides=[f"{kind}/{r}" for r in ours if r in theirs],
        added=[f"{kind}/{r}" for r in ours if r not in theirs],
    )


def merged(kind: str, own: Path, cache: Path) -> Layer:
    """The packaged ``kind`` folder with ``own``'s files over it (the packaged one itself when
    the publisher has no such folder, or when ``own`` is it, as in this repository)."""
    layer = split(kind, own)
    if layer.path != own:
        return layer
    packaged = bundled(kind)
    files = {**_files(packaged), **_files(own)}
    h = hashlib.sha256(kind.encode())
    for rel, path in files.items():
        h.update(rel.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    # The folder is named for the kind, so messages read "schemas/x.schema.json" as the
    # publisher's own project names the file.
    target = cache / f"overlay-{h.hexdigest()[:16]}" / kind
    if not target.is_dir():
        target.parent.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".overlay-", dir=target.parent.parent))
        for rel, path in files.items():
            dest = staging / kind / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
        try:
            os.rename(staging, target.parent)
        except OSError:  # another build made the same folder first: same content
            shutil.rmtree(staging, ignore_errors=True)
    return Layer(kind, target, layer.overrides, layer.added)


def described(layers: list[Layer]) -> list[str]:
    """One Vietnamese line per file that replaces a packaged one, for ``lienthong check``."""
    return [
        f"{name}: dùng tệp của bạn thay cho tệp có sẵn" for lay in layers for name in lay.overrides
    ]


def page_files(folder: Path) -> list[str]:
    """The pages and other files of a docs folder, as MkDocs names them (relative paths)."""
    return list(_files(folder))
