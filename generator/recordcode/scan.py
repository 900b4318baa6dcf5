"""Reading record codes back from pictures: photos or scans of the printed checklist, or the
PDF itself. zbar does the reading (its ``zbarimg``, from Debian's zbar-tools, which the set-up
installs); codec.py turns the texts into the record.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from lienthong.recordcode import codec
from lienthong.recordcode.codec import RecordCodeError
from lienthong.schema.catalog import Catalog

ZBAR_TIMEOUT_S = 60


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RecordCodeError(f"thiếu chương trình {name}: cài gói Debian {package} (make system).")
    return found


def _zbar(image: Path) -> list[str]:
    zbarimg = _tool("zbarimg", "zbar-tools")
    done = subprocess.run(
        [zbarimg, "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        text=True,
        timeout=ZBAR_TIMEOUT_S,
    )
    if done.returncode not in (0, 4):  # 4: the picture has no code
        raise RecordCodeError(f"{image}: không đọc được ảnh (zbarimg: mã lỗi {done.returncode}).")
    return [line for line in done.stdout.splitlines() if line.strip()]


def _pdf_pages(pdf: Path, folder: Path) -> list[Path]:
    pdftoppm = _tool("pdftoppm", "poppler-utils")
    done = subprocess.run(
        [pdftoppm, "-r", "150", "-gray", "-png", str(pdf), str(folder / "p")],
        capture_output=True,
        timeout=ZBAR_TIMEOUT_S,
    )
    if done.returncode != 0:
        raise RecordCodeError(f"{pdf}: không đọc được tệp PDF.")
    return sorted(folder.glob("p*.png"))


def page_texts(pdf: Path) -> list[list[str]]:
    """The record-code texts on each page of a PDF, rasterised at 150 dpi as a scan would be."""
    with tempfile.TemporaryDirectory() as tmp:
        pages = _pdf_pages(pdf, Path(tmp))
        return [[t for t in _zbar(p) if t.startswith(codec.PREFIX + ":")] for p in pages]


def read_texts(paths: list[Path]) -> list[str]:
    """The texts of every record code in the pictures (PNG, JPEG…) or PDFs, in order found."""
    texts: list[str] = []
    for path in paths:
        if not path.is_file():
            raise RecordCodeError(f"{path}: không có tệp này.")
        if path.suffix.lower() == ".pdf":
            texts += [t for page in page_texts(path) for t in page]
        else:
            texts += _zbar(path)
    found = [t for t in texts if t.startswith(codec.PREFIX + ":")]
    if not found:
        names = ", ".join(str(p) for p in paths)
        raise RecordCodeError(
            f"{names}: không thấy mã hồ sơ nào (mã in ở cuối trang danh mục giấy tờ). "
            "Chụp thẳng, đủ sáng, cả mã nằm trong ảnh."
        )
    return found


def group_of(catalog: Catalog, texts: list[str]) -> str:
    """The group that the codes name."""
    printed = codec.parse(texts[0]).group
    for gid in catalog.groups:
        if gid.upper() == printed:
            return gid
    raise RecordCodeError(
        f"Mã thuộc nhóm thủ tục '{printed.lower()}', không có trong bộ biểu mẫu này."
    )


def scan(catalog: Catalog, paths: list[Path]) -> tuple[str, dict[str, Any]]:
    """(group id, record) from the pictures of one set's codes."""
    texts = list(dict.fromkeys(read_texts(paths)))  # a code seen twice counts once
    group = group_of(catalog, texts)
    return group, codec.decode(texts, codec.layout(catalog, group))
