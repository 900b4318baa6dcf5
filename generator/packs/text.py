"""A commune's own layer written straight into PDF: no layout engine, about 1 ms a commune.

What differs between two communes' posters and leaflets is a header band (three centred lines)
and a contact box (a title and a few labelled rows). WeasyPrint needs ~10 ms to lay out even a
nearly empty page, which over 3,321 communes is most of a national run, and importing it takes
~0.9 s, most of a one-commune rebuild. This module sets those few lines itself:

1. ``TextLayer.create``: the fonts the sheets use (Noto Sans, found with fontconfig, the way
   WeasyPrint finds them), subset once with fontTools to the characters a layer may need (glyph
   ids kept), cached on disk; widths and metrics read from the font;
2. ``band_lines`` / ``contact_lines``: the commune's text as lines of styled runs, broken to
   the box width with the fonts' advance widths (greedy, at spaces; an over-long word such as a
   web address is broken between characters), type stepped down until the box holds it;
3. ``TextLayer.pdf``: one A4 page per commune with those lines as text operators in Type0 fonts
   (Identity-H, CID = glyph id) that carry ToUnicode maps, so pdftotext and search read them.

Positions come from ``pack_pdf.GEOMETRY``, colours and sizes mirror pack.css. Anything this
module cannot set (a font missing, a character the font lacks) is left to WeasyPrint
(``pack_pdf.LayerRenderer.overlays``), which gives the same content in the same boxes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lienthong.packs.pdf import A4_HEIGHT_MM, GEOMETRY, MM

NAVY = (0.102, 0.137, 0.494)  # #1a237e
RED = (0.776, 0.157, 0.157)  # #c62828
BLACK = (0.067, 0.067, 0.067)  # #111
GREY = (0.2, 0.2, 0.2)
FONT_QUERIES = {"bold": "Noto Sans:bold", "regular": "Noto Sans:regular"}
# Type steps a contact box may take before text is allowed to run past it.
CONTACT_SCALES = (1.0, 0.9, 0.8, 0.72, 0.64)

_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_VOWELS = "aăâeêioôơuưy"


def base_characters() -> frozenset[str]:
    """Characters every layer font carries: printable ASCII, every Vietnamese letter in both
    cases, and the punctuation of the sheets; a run adds only what its settings use beyond."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for vowel in _VOWELS:
        for tone in _TONES:
            letter = unicodedata.normalize("NFC", vowel + tone)
            chars |= {letter, letter.upper()}
    chars |= set("đĐ“”‘’–—…·")
    return frozenset(chars)


# -- fonts --------------------------------------------------------------------------------------------


def font_file(query: str) -> str | None:
    """The file fontconfig picks for ``query``, as WeasyPrint would for the same family."""
    if shutil.which("fc-match") is None:
        return None
    done = subprocess.run(
        ["fc-match", "-f", "%{file}", query], capture_output=True, text=True, check=False
    )
    path = done.stdout.strip()
    return path if done.returncode == 0 and path.endswith((".ttf", ".otf")) else None


@dataclass
class Face:
    """A font subset: its file, glyph ids and advance widths (1/1000 em), metrics."""

    name: str
    data: bytes
    gids: dict[str, int]
    widths: dict[int, int]
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]

    def width(self, text: str, size: float) -> float:
        """Advance width of ``text`` at ``size`` pt, in pt."""
        return sum(self.widths[self.gids[ch]] for ch in text) * size / 1000


def _cache_paths(path: str, chars: frozenset[str], cache: Path) -> tuple[Path, Path]:
    stat = os.stat(path)
    key = hashlib.sha256(
        f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{''.join(sorted(chars))}".encode()
    ).hexdigest()[:16]
    stem = Path(path).stem
    return cache / f"{stem}-{key}.json", cache / f"{stem}-{key}.ttf"


def subset_face(path: str, chars: frozenset[str], cache: Path | None) -> Face | None:
    """The glyphs of ``chars`` from the font at ``path`` (ids kept); None if one is missing.

    Subsetting takes ~0.5 s, so the result is kept in ``cache`` by font file and characters.
    """
    if cache is not None:
        meta_path, data_path = _cache_paths(path, chars, cache)
        if meta_path.exists() and data_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            meta["widths"] = {int(k): v for k, v in meta["widths"].items()}
            meta["bbox"] = tuple(meta["bbox"])
            return Face(data=data_path.read_bytes(), **meta)
    face = _subset(path, chars)
    if face is not None and cache is not None:
        from lienthong.inputs.files import write_atomic

        cache.mkdir(parents=True, exist_ok=True)
        write_atomic(data_path, face.data)
        meta = {k: v for k, v in face.__dict__.items() if k != "data"}
        write_atomic(meta_path, json.dumps(meta, ensure_ascii=False).encode())
    return face


def _subset(path: str, chars: frozenset[str]) -> Face | None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    cmap = font.getBestCmap()
    if any(ord(ch) not in cmap for ch in chars):
        return None
    order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    scale = 1000 / font["head"].unitsPerEm
    hmtx = font["hmtx"]
    gids = {ch: order[cmap[ord(ch)]] for ch in chars}
    widths = {order[cmap[ord(ch)]]: round(hmtx[cmap[ord(ch)]][0] * scale) for ch in chars}
    head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
    postscript = font["name"].getDebugName(6) or Path(path).stem
    metrics = {
        "ascent": round(hhea.ascent * scale),
        "descent": round(hhea.descent * scale),
        "cap_height": round(getattr(os2, "sCapHeight", hhea.ascent) * scale),
        "bbox": tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
    }
    options = subset.Options()
    options.retain_gids = True
    options.hinting = False
    options.layout_features = []
    options.name_IDs = [1, 2, 6]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for ch in chars])
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    digest = hashlib.sha256((postscript + "".join(sorted(chars))).encode()).digest()
    tag = "".join(chr(65 + b % 26) for b in digest[:6])
    return Face(f"{tag}+{postscript}", buffer.getvalue(), gids, widths, **metrics)


# -- lines -------------------------------------------------------------------------------------------


@dataclass
class Run:
    text: str
    style: str  # "bold" | "regular"
    size: float  # pt
    colour: tuple[float, float, float] = BLACK


@dataclass
class Line:
    runs: list[Run]
    x: float  # left edge, mm from the page's left
    baseline: float  # mm from the page's top
    centre: float | None = None  # centre the line on this x (mm) instead
    height: float = field(default=0.0)


def _wrap(faces: dict[str, Face], runs: list[Run], width_mm: float) -> list[list[Run]]:
    """Break styled runs into lines no wider than ``width_mm`` (greedy, at spaces)."""
    limit = width_mm * MM
    words: list[Run] = []
    for run in runs:
        for i, word in enumerate(run.text.split(" ")):
            if i:
                words.append(Run(" ", run.style, run.size, run.colour))
            if word:
                words.append(Run(word, run.style, run.size, run.colour))
    lines: list[list[Run]] = [[]]
    used = 0.0
    for word in words:
        w = faces[word.style].width(word.text, word.size)
        if word.text == " ":
            if lines[-1]:
                lines[-1].append(word)
                used += w
            continue
        if used + w > limit and lines[-1]:
            while lines[-1] and lines[-1][-1].text == " ":
                lines[-1].pop()
            lines.append([])
            used = 0.0
        if w > limit:  # a web address or code longer than the line: break inside it
            for piece in _pieces(faces[word.style], word, limit - used, limit)[:-1]:
                lines[-1].append(Run(piece, word.style, word.size, word.colour))
                lines.append([])
                used = 0.0
            rest = _pieces(faces[word.style], word, limit - used, limit)[-1]
            word = Run(rest, word.style, word.size, word.colour)
            w = faces[word.style].width(rest, word.size)
        lines[-1].append(word)
        used += w
    return [line for line in lines if line]


def _pieces(face: Face, word: Run, first: float, limit: float) -> list[str]:
    """An over-long word cut into pieces that fit: after "/", ".", "-" when one fits, else
    between any two characters. The first piece fits ``first``, the others ``limit``."""
    pieces, text, room = [], word.text, first
    while face.width(text, word.size) > room:
        cut = 1
        for i in range(1, len(text)):
            if face.width(text[:i], word.size) > room:
                break
            cut = i
        soft = max((i + 1 for i, ch in enumerate(text[:cut]) if ch in "/.-?&=_"), default=0)
        cut = soft if soft > cut // 2 else cut
        pieces.append(text[:cut])
        text, room = text[cut:], limit
    return [*pieces, text]


def band_lines(commune: dict[str, Any]) -> list[str]:
    """The text of a commune's header band, line by line."""
    return ["ỦY BAN NHÂN DÂN", commune["name"].upper(), commune["province_name"]]


# The band's lines: (style, size pt, baseline mm from the page top); mirrors .band in pack.css.
BAND_STYLE = (("bold", 10.5, 11.8), ("bold", 15.0, 19.0), ("regular", 10.0, 24.2))


class TextLayer:
    """Sets bands and contact boxes with ``faces`` (see the module docstring)."""

    def __init__(self, faces: dict[str, Face]):
        self.faces = faces

    @classmethod
    def create(cls, chars: frozenset[str], cache: Path | None = None) -> TextLayer | None:
        """Font subsets covering ``chars``; None when a font or a glyph is missing."""
        chars = frozenset(chars | base_characters())
        faces = {}
        for style, query in FONT_QUERIES.items():
            path = font_file(query)
            face = subset_face(path, chars, cache) if path else None
            if face is None:
                return None
            faces[style] = face
        return cls(faces)

    def covers(self, text: str) -> bool:
        return all(ch in face.gids for face in self.faces.values() for ch in text)

    # -- layout -------------------------------------------------------------------------------------

    def band(self, commune: dict[str, Any]) -> list[Line]:
        box = GEOMETRY["band"]
        lines = []
        for (style, size, baseline), text in zip(BAND_STYLE, band_lines(commune), strict=True):
            width = self.faces[style].width(text, size)
            if width > box.width * MM:
                size = max(7.0, size * box.width * MM / width)
            lines.append(
                Line([Run(text, style, size, NAVY)], box.left, baseline, box.left + box.width / 2)
            )
        return lines

    def contact(self, commune: dict[str, Any]) -> list[Line] | None:
        """The contact box's lines, at the largest type step that fits; None if none fits."""
        box, stamp = GEOMETRY["contact"], GEOMETRY["stamp"]
        left = box.left + 4
        right = (stamp.left - 3) if commune.get("lookup") else (box.left + box.width - 4)
        for scale in CONTACT_SCALES:
            lines = self._contact_at(commune, scale, left, right - left, box.top + 3)
            if lines[-1].baseline + 1.5 <= box.top + box.height:
                return lines + self._caption(commune)
        return None

    def _contact_at(
        self, c: dict[str, Any], scale: float, left: float, width: float, top: float
    ) -> list[Line]:
        size, big = 10.5 * scale, 17 * scale
        rows: list[list[Run]] = [
            [Run(f"HỖ TRỢ NỘP HỒ SƠ TẠI {c['name'].upper()}", "bold", 12.5 * scale, NAVY)]
        ]

        def row(label: str, value: str, style: str = "regular") -> list[Run]:
            return [Run(label + " ", "bold", size), Run(value, style, size)]

        rows.append(row("Nơi tiếp nhận:", f"{c['office_name']}, {c['office_address']}."))
        if c.get("opening_hours"):
            rows.append(row("Giờ tiếp nhận:", f"{c['opening_hours']}."))
        officer = c["officer_name"] + (f", {c['officer_title']}" if c.get("officer_title") else "")
        rows.append(row("Cán bộ hỗ trợ:", officer + "."))
        rows.append([Run("Điện thoại: ", "bold", size), Run(c["officer_phone"], "bold", big, RED)])
        rows.append(row("Đường dây nóng:", c["hotline"], "bold"))
        if c.get("email"):
            rows.append(row("Thư điện tử:", c["email"]))
        lines: list[Line] = []
        y = top
        for i, runs in enumerate(rows):
            for wrapped in _wrap(self.faces, runs, width):
                tallest = max(r.size for r in wrapped)
                leading = tallest * (1.2 if tallest > size * 1.2 else 1.3) * 25.4 / 72
                ascent = self.faces["bold"].ascent / 1000 * tallest * 25.4 / 72
                baseline = y + ascent + (leading - (ascent + 0.293 * tallest * 25.4 / 72)) / 2
                lines.append(Line(wrapped, left, baseline))
                y += leading
            y += (1.2 if i == 0 else 0.9) * scale
        return lines

    def _caption(self, c: dict[str, Any]) -> list[Line]:
        """ "Tra cứu ..." and the look-up address under the province's QR stamp."""
        lookup = c.get("lookup")
        if not lookup:
            return []
        stamp = GEOMETRY["stamp"]
        centre, width = stamp.left + stamp.size / 2, stamp.size + 6
        size = 7.5
        y = stamp.top + stamp.size + 0.5
        lines = []
        runs = [Run("Tra cứu hồ sơ trên cổng của tỉnh", "regular", size, GREY)]
        for wrapped in [
            *_wrap(self.faces, runs, width),
            *_wrap(self.faces, [Run(lookup.display, "bold", size, GREY)], width),
        ]:
            y += size * 1.15 * 25.4 / 72
            lines.append(Line(wrapped, stamp.left - 3, y - 0.8, centre))
        return lines

    # -- PDF ------------------------------------------------------------------------------------------

    def operators(self, lines: list[Line], names: dict[str, str]) -> bytes:
        ops = []
        for line in lines:
            x = line.x * MM
            if line.centre is not None:
                width = sum(self.faces[r.style].width(r.text, r.size) for r in line.runs)
                x = line.centre * MM - width / 2
            y = (A4_HEIGHT_MM - line.baseline) * MM
            for run in line.runs:
                face = self.faces[run.style]
                glyphs = "".join(f"{face.gids[ch]:04X}" for ch in run.text)
                colour = "{:.3f} {:.3f} {:.3f} rg".format(*run.colour)
                ops.append(
                    f"BT {colour} /{names[run.style]} {run.size:.2f} Tf {x:.2f} {y:.2f} Td <{glyphs}> Tj ET"
                )
                x += face.width(run.text, run.size)
        return "\n".join(ops).encode("ascii")

    def pdf(self, pages: list[list[Line]]):
        """A pikepdf document with one A4 page per list of lines (to stack with Compositor)."""
        import pikepdf

        pdf = pikepdf.new()
        names = {style: f"F{i}" for i, style in enumerate(self.faces)}
        fonts = pikepdf.Dictionary(
            {f"/{names[style]}": _font_objects(pdf, face) for style, face in self.faces.items()}
        )
        resources = pdf.make_indirect(pikepdf.Dictionary(Font=fonts))
        box = pikepdf.Array([0, 0, 210 * MM, A4_HEIGHT_MM * MM])
        for lines in pages:
            page = pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=box,
                Contents=pdf.make_stream(self.operators(lines, names)),
                Resources=resources,
            )
            pdf.pages.append(pikepdf.Page(page))
        return pdf


def _flate(pdf, data: bytes, **extra):
    """A stream stored compressed, so that saving each output does not compress it again."""
    import pikepdf

    stream = pikepdf.Stream(pdf, zlib.compress(data, 9))
    stream.Filter = pikepdf.Name.FlateDecode
    for key, value in extra.items():
        stream[pikepdf.Name("/" + key)] = value
    return stream


def _to_unicode(face: Face) -> bytes:
    by_gid = {gid: ch for ch, gid in face.gids.items()}
    entries = [
        f"<{gid:04X}> <{by_gid[gid].encode('utf-16-be').hex().upper()}>" for gid in sorted(by_gid)
    ]
    blocks = []
    for i in range(0, len(entries), 100):
        chunk = entries[i : i + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def _font_objects(pdf, face: Face):
    """A Type0 font (Identity-H, CID = glyph id) with its subset embedded and a ToUnicode map."""
    import pikepdf

    name = pikepdf.Name("/" + face.name)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=name,
        Flags=32,
        FontBBox=pikepdf.Array(face.bbox),
        ItalicAngle=0,
        Ascent=face.ascent,
        Descent=face.descent,
        CapHeight=face.cap_height,
        StemV=80,
        FontFile2=_flate(pdf, face.data, Length1=len(face.data)),
    )
    widths = pikepdf.Array()
    for gid in sorted(face.widths):
        widths.append(gid)
        widths.append(pikepdf.Array([face.widths[gid]]))
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=name,
        CIDSystemInfo=pikepdf.Dictionary(
            Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
        ),
        FontDescriptor=pdf.make_indirect(descriptor),
        W=widths,
        CIDToGIDMap=pikepdf.Name.Identity,
    )
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type0,
        BaseFont=name,
        Encoding=pikepdf.Name("/Identity-H"),
        DescendantFonts=pikepdf.Array([pdf.make_indirect(cid_font)]),
        ToUnicode=_flate(pdf, _to_unicode(face)),
    )
    return pdf.make_indirect(font)
