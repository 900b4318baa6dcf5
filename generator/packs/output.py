"""Writing packs so that a reader sees the old pack or the new one, never a mix: temporary
folders swapped into place, content markers, links to shared files, the tree's index."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import unicodedata
from pathlib import Path
from typing import Any

from lienthong.packs.communes import _units
from lienthong.packs.content import (
    BLANK_DIR,
    INDEX_FILE,
    MARKER,
    TREE_MARKER,
    PackError,
    Target,
    _html_env,
    qr_svg_file,
)


def link(src: Path, dst: Path) -> None:
    """Hard-link ``src`` at ``dst`` (no copy of identical files), else copy it."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def swap_in(tmp: Path, final: Path) -> None:
    """Replace ``final`` by the complete folder ``tmp`` with renames only."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def write(path: Path, data: bytes | str) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def check_output(out: Path, marker: str) -> None:
    """Refuse to replace a folder that holds something other than a previous pack, or
    anything that is not a folder (a file, a device such as /dev/null, a FIFO)."""
    if out.exists() and not out.is_dir():
        raise PackError(
            f"{out} không phải là thư mục; gói tài liệu chỉ ghi vào một thư mục trống hoặc chưa có."
        )
    if out.exists() and any(out.iterdir()) and not (out / marker).exists():
        raise PackError(
            f"thư mục {out} đã có tệp khác, không phải gói tài liệu do lienthong tạo; "
            "chọn một thư mục trống hoặc chưa có."
        )


def current_key(pack_dir: Path) -> str | None:
    try:
        return json.loads((pack_dir / MARKER).read_text(encoding="utf-8")).get("key")
    except (OSError, ValueError):
        return None


def qr_file(cache: Path, target: Target) -> Path:
    """The target's SVG file, written once per edition into the cache and linked from there."""
    digest = hashlib.sha256(f"{target.url}\0{target.title}".encode()).hexdigest()[:16]
    path = cache / f"{target.key}-{digest}.svg"
    if not path.exists():
        from lienthong.inputs.files import write_atomic

        write_atomic(path, qr_svg_file(target.url, target.title))
    return path


def link_blanks(blank_dir: Path, pack_dir: Path, titles: dict[str, str]) -> None:
    (pack_dir / BLANK_DIR).mkdir(exist_ok=True)
    for fid in titles:
        link(blank_dir / f"{fid}.pdf", pack_dir / BLANK_DIR / f"{fid}.pdf")


def clean_staging(root: Path, tree: bool) -> None:
    """Remove temporary folders a failed run left behind."""
    pattern = "*/.*.tmp-*" if tree else ".*.tmp-*"
    for leftover in root.glob(pattern):
        shutil.rmtree(leftover, ignore_errors=True)


def place_shared(
    out: Path, blank_source: Path, titles: dict[str, str], shared: dict[str, Any], edition: str
) -> None:
    """The tree's shared folders (blank forms, QR codes), replaced when the edition changes."""
    marker = out / BLANK_DIR / ".edition"
    if marker.exists() and marker.read_text(encoding="utf-8") == edition:
        return
    tmp = out / f".{BLANK_DIR}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for fid in titles:
        link(blank_source / f"{fid}.pdf", tmp / f"{fid}.pdf")
    write(tmp / ".edition", edition)
    swap_in(tmp, out / BLANK_DIR)


def write_tree_index(out: Path, added: bool, edition: str, shared: dict[str, Any]) -> None:
    """out/index.html listing every pack under ``out`` (not only this run's); rewritten only
    when packs were added or the edition changed."""
    from lienthong.inputs.files import write_atomic

    try:
        marker = json.loads((out / TREE_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        marker = {}
    if not added and marker.get("edition") == edition and (out / INDEX_FILE).exists():
        return

    provinces, units = _units()
    found: dict[str, list[tuple[str, str]]] = {}
    for name, province, slug in units.values():
        province_slug = provinces[province][1]
        if (out / province_slug / slug / MARKER).exists():
            found.setdefault(province, []).append((name, f"{province_slug}/{slug}/index.html"))
    html = (
        _html_env()
        .get_template("muc-luc.html.j2")
        .render(
            provinces=[(provinces[p][0], found[p]) for p in found],
            count=sum(len(v) for v in found.values()),
            blank_dir=BLANK_DIR,
            s=shared,
        )
    )
    write_atomic(out / INDEX_FILE, unicodedata.normalize("NFC", html).encode())
    write_atomic(out / TREE_MARKER, json.dumps({"edition": edition}).encode())
