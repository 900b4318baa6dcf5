"""Preview images for link previews (issue 15, item 2): one 1200×630 PNG per page.

A card shows the page's title, the commune's name, a band in the site's colour and a QR
code to the page, in the fonts the PDFs bundle (Noto Sans). Material's own social plugin
was not used: it downloads its fonts from Google Fonts at build time, and a build must work
offline. Cards are drawn with Pillow (already installed with WeasyPrint) and kept in a cache
by the digest of what they show, so an unchanged page's card is not drawn again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import segno
from PIL import Image, ImageDraw, ImageFont

from lienthong.inputs.files import write_atomic
from lienthong.printing.fonts import pil_font

WIDTH, HEIGHT = 1200, 630
MARGIN = 60
BAND = "#283593"  # Material's indigo, the site's primary colour
INK = "#1a1a1a"
QR_SIDE = 390  # px, the code with its quiet zone
TITLE_SIZES = (64, 56, 48, 42)  # the largest that fits in four lines wins
TITLE_WIDTH = WIDTH - 3 * MARGIN - QR_SIDE
VERSION = 1  # bump when the drawing changes, so cached cards are drawn again


def page_colour(catalog: Any, src_uri: str) -> str:
    """The band's colour for a page: its group's (``x-group.post.colour``) on a group's page
    or on a procedure page that only one colour's groups hold, else the site's indigo."""
    from lienthong.site.pages import group_uri, procedure_uri

    colours = set()
    for gid, group in catalog.groups.items():
        colour = group.get("post", {}).get("colour")
        if src_uri == group_uri(gid):
            return colour or BAND
        if any(src_uri == procedure_uri(p["id"]) for p in group["procedures"]):
            colours.add(colour or BAND)
    return colours.pop() if len(colours) == 1 else BAND


def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    return pil_font(size, bold)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """``text`` in lines no wider than ``width`` px (a word longer than that keeps its line)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if not current or font.getlength(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def title_layout(title: str) -> tuple[int, list[str]]:
    """(font size, lines) of the title: the largest size at which it takes four lines."""
    for size in TITLE_SIZES:
        lines = wrap(title, _font(size, True), TITLE_WIDTH)
        if len(lines) <= 4:
            return size, lines
    size = TITLE_SIZES[-1]
    lines = wrap(title, _font(size, True), TITLE_WIDTH)[:4]
    lines[-1] = lines[-1].rstrip(" ,;:") + "…"
    return size, lines


def _qr(url: str) -> Image.Image:
    code = segno.make(url, error="q")
    # A whole number of pixels per module, so every module is as sharp as the next.
    modules = code.symbol_size(scale=1, border=4)[0]
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=max(1, QR_SIDE // modules), border=4)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def draw(title: str, place: str, url: str, colour: str = BAND) -> bytes:
    """The card as PNG bytes; the same input always gives the same bytes. ``colour`` is the
    band's: a group's own (``x-group.post.colour``) on its pages, else the site's."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    pen = ImageDraw.Draw(image)
    pen.rectangle([0, 0, WIDTH, 28], fill=colour)
    size, lines = title_layout(title)
    font = _font(size, True)
    y = 80
    for line in lines:
        pen.text((MARGIN, y), line, font=font, fill=INK)
        y += round(size * 1.25)
    small = _font(34, False)
    for i, line in enumerate(wrap(place, small, TITLE_WIDTH)[:2]):
        pen.text((MARGIN, HEIGHT - MARGIN - 48 * (2 - i)), line, font=small, fill="#333333")
    code = _qr(url)
    image.paste(code, (WIDTH - MARGIN - code.width, (HEIGHT - code.height) // 2 + 14))
    out = io.BytesIO()
    # zlib level 6: a third of "optimize"'s time for a file 5 % larger (36 KB).
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def card(title: str, place: str, url: str, cache: Path, colour: str = BAND) -> bytes:
    """The card, from ``cache`` when one with the same title, place, address and colour exists."""
    key = json.dumps([VERSION, title, place, url, colour], ensure_ascii=False)
    path = cache / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".png")
    if path.is_file():
        return path.read_bytes()
    data = draw(title, place, url, colour)
    cache.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    return data


def write_all(targets: dict[Path, tuple[str, str, str, str]], cache: Path) -> None:
    """Write each card ``{path: (title, place, url, colour)}``; drawn in threads (Pillow's
    drawing and zlib let go of the GIL), taken from ``cache`` when unchanged."""

    def one(item: tuple[Path, tuple[str, str, str, str]]) -> None:
        path, (title, place, url, colour) = item
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(card(title, place, url, cache, colour))

    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        list(pool.map(one, targets.items()))
