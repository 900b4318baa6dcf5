"""Pictures and post texts for social media (issue 15, items 3 and 4).

Each commune's pack gets, for each group, a square 1080×1080 and a portrait 1080×1350 PNG
(the sizes Facebook and Zalo show whole in a feed): the group's headline, its three short
steps and a QR code to its page, above a strip with the commune's name and phone. Beside them
``bai-dang.txt``, a post of at most 600 characters to paste, and ``mo-ta-anh.txt``, the
pictures' description for the apps' alt-text field. The words come from ``x-group.post``.

The national edition makes 3,321 × 3 × 2 pictures, so a picture is not drawn per commune.
Everything above the strip is the same for every commune: it is drawn, quantised to a fixed
palette and deflated once per group and size (``Top``). The strip is drawn once per commune in
greys only, which every palette shares, and deflated once. A commune's PNG is then the shared
deflate stream, flushed to a byte boundary, followed by the strip's own stream: a valid zlib
stream whose checksum continues the shared part's (``png``). A picture costs its strip's
drawing shared by six pictures, and two checksums.

Layouts are data (``top_layout``, ``strip_layout``: boxes with their frame, font size and
lines) so that tests can check legibility and that no text leaves its frame without looking
at pixels.
"""

from __future__ import annotations

import functools
import io
import re
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from lienthong.printing.fonts import pil_font

WIDTH = 1080
SIZES = {"vuong": (1080, 1080), "doc": (1080, 1350)}  # kind -> (width, height)
FILES = {"vuong": "anh-vuong.png", "doc": "anh-doc.png"}
LABELS = {"vuong": "Ảnh vuông 1080×1080", "doc": "Ảnh dọc 1080×1350"}  # on the pack's index page
POST_FILE, ALT_FILE = "bai-dang.txt", "mo-ta-anh.txt"
FOLDER = "mang-xa-hoi"
POST_MAX = 600  # characters, the bound: a post that shows whole without "Xem thêm"
STRIP = 200  # px: the commune's own rows at the bottom of every picture
MARGIN = 64
INK = 26  # grey level of the text (#1a1a1a)
DEPTH = 4  # bits per pixel: a 16-colour palette
COLOURS = 1 << DEPTH
GREYS = COLOURS // 2  # entries 0..7: black to white; 8..15: white to the group's colour
VERSION = 1  # bump when the drawing changes, so that cached shared parts are drawn again
# Grey level (0..255) -> palette index of the nearest grey.
_GREY_INDEX = [round(v * (GREYS - 1) / 255) for v in range(256)]


# -- fonts and text boxes ------------------------------------------------------------------------


def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    return pil_font(size, bold)


@functools.lru_cache(maxsize=65536)
def _length(word: str, size: int, bold: bool) -> float:
    return _font(size, bold).getlength(word)


def measure(line: str, size: int, bold: bool) -> float:
    """The width of ``line`` in px, as the words are set: each word on its own, one space
    between them (kerning across a space is nil in Noto Sans)."""
    words = line.split(" ")
    space = _length(" ", size, bold)
    return sum(_length(w, size, bold) for w in words) + space * (len(words) - 1)


@functools.lru_cache(maxsize=16384)
def _word_mask(word: str, size: int, bold: bool) -> tuple[Image.Image, int, int]:
    """A word's anti-aliased coverage, drawn once: (mask, left, top) from its origin.

    Syllables repeat across the 3,321 communes' names, so a national run draws each once and
    pastes it after: a commune's strip then costs no call into FreeType.
    """
    font = _font(size, bold)
    left, top, right, bottom = font.getbbox(word)
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), word, font=font, fill=255)
    return mask, left, top


def set_line(
    image: Image.Image, xy: tuple[float, int], line: str, size: int, bold: bool, value: int
) -> None:
    """Paint ``line`` in ``value`` onto ``image`` (mode L), word by word as ``measure`` sets it."""
    x, y = xy
    space = _length(" ", size, bold)
    for word in line.split(" "):
        if word:
            mask, left, top = _word_mask(word, size, bold)
            image.paste(value, (round(x) + left, y + top), mask)
        x += _length(word, size, bold) + space


def wrap(text: str, size: int, bold: bool, width: int, *, url: bool = False) -> list[str]:
    """``text`` in lines no wider than ``width`` px (a longer word keeps a line of its own).
    An address (``url``) breaks after its slashes, dots and hyphens instead of at spaces."""
    if not url and measure(" ".join(text.split()), size, bold) <= width:
        return [" ".join(text.split())] if text.strip() else []
    lines: list[str] = []
    current = ""
    words = re.findall(r"[^/.\-]*[/.\-]*", text) if url else text.split()
    joiner = "" if url else " "
    for word in filter(None, words):
        candidate = f"{current}{joiner}{word}".strip()
        if not current or measure(candidate, size, bold) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


@dataclass(frozen=True)
class Box:
    """A text placed in a frame: ``frame`` is (left, top, right, bottom) in px."""

    frame: tuple[int, int, int, int]
    lines: tuple[str, ...]
    size: int
    bold: bool
    fill: str  # "ink", "white", "colour", or "number" (a step's number on a colour disc)
    leading: float = 1.3
    centre: bool = False

    @property
    def line_height(self) -> int:
        return round(self.size * self.leading)

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)

    def widths(self) -> list[float]:
        return [measure(line, self.size, self.bold) for line in self.lines]

    def overflows(self) -> bool:
        """Whether a line is wider than the frame or the lines taller than it."""
        left, top, right, bottom = self.frame
        return any(w > right - left for w in self.widths()) or self.height > bottom - top


def fit(
    text: str,
    frame: tuple[int, int, int, int],
    sizes: tuple[int, ...],
    *,
    bold: bool = False,
    fill: str = "ink",
    centre: bool = False,
    leading: float = 1.3,
    url: bool = False,
) -> Box:
    """The largest of ``sizes`` at which ``text`` fits ``frame``; at the smallest, the lines
    that fit and an ellipsis (only a publisher's own long texts come to that)."""
    left, top, right, bottom = frame
    for size in sizes:
        lines = wrap(text, size, bold, right - left, url=url)
        box = Box(frame, tuple(lines), size, bold, fill, leading, centre)
        if not box.overflows():
            return box
    size = sizes[-1]
    room = max(1, (bottom - top) // round(size * leading))
    lines = wrap(text, size, bold, right - left, url=url)[:room]
    last = lines[-1] if lines else ""
    while last and measure(last + "…", size, bold) > right - left:
        last = last[:-1]
    lines[-1:] = [last.rstrip(" ,;:") + "…"]
    return Box(frame, tuple(lines), size, bold, fill, leading, centre)


# -- layouts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """The shared part of a picture: the colour band's height, the text boxes, the code's
    square (left, top, side; quiet zone included)."""

    band: int
    boxes: list[Box]
    code: tuple[int, int, int]


def top_layout(kind: str, post: dict[str, Any], url_display: str) -> Layout:
    """The boxes of the shared part of a picture (everything above the commune's strip)."""
    _, height = SIZES[kind]
    bottom = height - STRIP - 8  # the colour rule above the strip
    left, right = MARGIN, WIDTH - MARGIN
    if kind == "vuong":
        band, sizes = 300, (60, 56, 52, 48, 44, 40)
    else:
        band, sizes = 320, (64, 60, 56, 52, 48, 44)
    headline = fit(
        post["headline"], (left, 40, right, band - 36), sizes, bold=True, fill="white", leading=1.2
    )
    if kind == "vuong":
        # Steps on the left; on the right the call, the code and its address.
        side = 330
        column = (right - side, band + 36, right, bottom - 24)
        steps = step_boxes(post["steps"], (left, band + 36, column[0] - 36, bottom - 24))
        call = fit(
            "Quét mã để xem hướng dẫn",
            (column[0], column[1], right, column[1] + 80),
            (32, 30, 28),
            bold=True,
            fill="colour",
            centre=True,
            leading=1.2,
        )
        code = (column[0], column[1] + 90, side)
        address = fit(
            url_display,
            (column[0], code[1] + side + 10, right, column[3]),
            (28, 26, 24, 22),
            centre=True,
            leading=1.2,
            url=True,
        )
    else:
        # Steps across the width; under them the code, with the call and address beside it.
        side = 320
        code = (left, bottom - 24 - side, side)
        steps = step_boxes(post["steps"], (left, band + 40, right, code[1] - 32))
        text_left = left + side + 40
        call = fit(
            "Quét mã để xem hướng dẫn",
            (text_left, code[1] + 40, right, code[1] + 150),
            (40, 38, 36, 34),
            bold=True,
            fill="colour",
            leading=1.2,
        )
        address = fit(
            url_display,
            (text_left, code[1] + 170, right, code[1] + side),
            (32, 30, 28, 26, 24),
            leading=1.2,
            url=True,
        )
    return Layout(band, [headline, *steps, call, address], code)


NUMBER = 56  # px: the diameter of a step's number disc
NUMBER_GAP = 20


def step_boxes(steps: list[str], frame: tuple[int, int, int, int]) -> list[Box]:
    """The three steps, each beside its number, at the largest size where all fit."""
    left, top, right, bottom = frame
    text_left = left + NUMBER + NUMBER_GAP
    for size in (42, 40, 38, 36, 34, 32, 30):
        wrapped = [wrap(step, size, False, right - text_left) for step in steps]
        line = round(size * 1.3)
        gap = round(size * 0.75)
        total = sum(max(len(w) * line, NUMBER) for w in wrapped) + gap * (len(steps) - 1)
        if total <= bottom - top:
            break
    boxes = []
    y = top
    for n, lines in enumerate(wrapped, 1):
        block = max(len(lines) * line, NUMBER)
        boxes.append(Box((left, y, left + NUMBER, y + NUMBER), (str(n),), 34, True, "number", 1.0))
        boxes.append(Box((text_left, y, right, y + block), tuple(lines), size, False, "ink"))
        y += block + gap
    return boxes


def contact_line(commune: dict[str, Any]) -> str:
    """The strip's second line: the officer's phone, else where to ask."""
    phone = commune.get("officer_phone")
    if phone and phone != "CẦN ĐIỀN":
        return f"Điện thoại hỗ trợ: {phone}"
    hotline = commune.get("hotline")
    if hotline and hotline != "CẦN ĐIỀN":
        return f"Đường dây nóng: {hotline}"
    return f"Hỏi thêm tại bộ phận một cửa của {commune['name_lower']}"


def strip_layout(commune: dict[str, Any]) -> list[Box]:
    """The commune's strip: its name and province, then its phone (frames inside the strip)."""
    inner = (MARGIN, WIDTH - MARGIN)
    name = f"{commune['name']}, {commune['province_name']}"
    return [
        fit(name, (inner[0], 26, inner[1], 26 + 62), (42, 40, 36, 32, 28), bold=True),
        fit(contact_line(commune), (inner[0], 100, inner[1], 100 + 70), (46, 42, 40, 36, 32, 28)),
    ]


# -- drawing ---------------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def palette(colour: str) -> bytes:
    """The palette: GREYS greys from black to white, then as many steps from white to
    ``colour``. Eight levels of anti-aliasing look smooth at these sizes, and 4-bit pixels
    make the file half the size of 8-bit ones."""
    out = bytearray()
    for i in range(GREYS):
        v = round(255 * i / (GREYS - 1))
        out += bytes((v, v, v))
    target = _rgb(colour)
    for i in range(COLOURS - GREYS):
        t = i / (COLOURS - GREYS - 1)
        out += bytes(round(255 + (c - 255) * t) for c in target)
    return bytes(out)


Pens = dict[str, tuple[Image.Image, int]]  # a box's fill -> (layer, value)


def _draw_boxes(pens: Pens, boxes: list[Box]) -> None:
    for box in boxes:
        left, top, right, _ = box.frame
        if box.fill == "number":
            layer, value = pens["colour"]
            ImageDraw.Draw(layer).ellipse([left, top, right - 1, top + NUMBER - 1], fill=value)
            centre = ((left + right) / 2, top + NUMBER / 2)
            layer, value = pens["white"]
            font = _font(box.size, box.bold)
            ImageDraw.Draw(layer).text(centre, box.lines[0], font=font, fill=value, anchor="mm")
            continue
        layer, value = pens[box.fill]
        y = top
        for line, width in zip(box.lines, box.widths(), strict=True):
            x = left + ((right - left) - width) / 2 if box.centre else left
            set_line(layer, (x, y), line, box.size, box.bold, value)
            y += box.line_height


def _qr(url: str, side: int) -> Image.Image:
    import segno

    code = segno.make(url, error="q", boost_error=True, micro=False)
    modules = code.symbol_size(scale=1, border=4)[0]
    buffer = io.BytesIO()
    # A whole number of pixels per module, so that every module is as sharp as the next.
    code.save(buffer, kind="png", scale=max(1, side // modules), border=4)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def _scanlines(image: Image.Image) -> bytes:
    """The image's rows, each after PNG filter byte 0 (none), as one byte string."""
    data = image.tobytes("raw", f"{image.mode};{DEPTH}")
    width = (image.width * DEPTH + 7) // 8
    return b"".join(b"\0" + data[i : i + width] for i in range(0, len(data), width))


@dataclass(frozen=True)
class Top:
    """The shared part of one picture, already deflated and flushed to a byte boundary."""

    width: int
    height: int  # of the whole picture
    palette: bytes
    deflated: bytes
    adler: int

    def to_bytes(self) -> bytes:
        head = struct.pack(">HHI", self.width, self.height, self.adler)
        return head + self.palette + self.deflated

    @classmethod
    def from_bytes(cls, data: bytes) -> Top:
        width, height, adler = struct.unpack(">HHI", data[:8])
        return cls(width, height, data[8 : 8 + 3 * COLOURS], data[8 + 3 * COLOURS :], adler)


def draw_top(kind: str, post: dict[str, Any], url: str, url_display: str) -> Top:
    """Draw and deflate the part of a picture that every commune shares.

    It is drawn as two grey layers, the colour's amount and the ink's, which map exactly onto
    the palette's two ramps: white text and anti-aliased edges on the band are mixes of white
    and the colour, black text and the code are greys, and the two never overlap.
    """
    width, height = SIZES[kind]
    size = (width, height - STRIP)
    amount, grey = Image.new("L", size, 0), Image.new("L", size, 255)
    tint = ImageDraw.Draw(amount)
    layout = top_layout(kind, post, url_display)
    tint.rectangle([0, 0, width, layout.band], fill=255)
    tint.rectangle([0, height - STRIP - 8, width, height - STRIP], fill=255)
    pens = {"white": (amount, 0), "colour": (amount, 255), "ink": (grey, INK)}
    _draw_boxes(pens, layout.boxes)
    left, top, side = layout.code
    code = _qr(url, side).convert("L")
    grey.paste(code, (left + (side - code.width) // 2, top + (side - code.height) // 2))
    coloured = amount.point([GREYS + round(a * (COLOURS - GREYS - 1) / 255) for a in range(256)])
    indexed = Image.composite(coloured, grey.point(_GREY_INDEX), amount.point([0] + [255] * 255))
    raw = _scanlines(indexed)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = packer.compress(raw) + packer.flush(zlib.Z_FULL_FLUSH)
    return Top(width, height, palette(post["colour"]), deflated, zlib.adler32(raw))


@dataclass(frozen=True)
class Strip:
    """A commune's strip: its scanlines (for the checksum) and their own deflate stream."""

    raw: bytes
    deflated: bytes


def draw_strip(commune: dict[str, Any]) -> Strip:
    """The commune's strip, in greys only, so that it fits under every group's picture."""
    image = Image.new("L", (WIDTH, STRIP), 255)
    _draw_boxes({"ink": (image, INK)}, strip_layout(commune))
    raw = _scanlines(image.point(_GREY_INDEX))
    # Level 1: an eighth of level 6's time, for 2 KB more on a 33 KB picture.
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    return Strip(raw, packer.compress(raw) + packer.flush())


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))
    )


def png(top: Top, strip: Strip) -> bytes:
    """The PNG of one commune's picture: the shared stream, then the strip's."""
    stream = b"\x78\x9c" + top.deflated + strip.deflated
    stream += struct.pack(">I", zlib.adler32(strip.raw, top.adler))
    header = struct.pack(">IIBBBBB", top.width, top.height, DEPTH, 3, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", top.palette),
            _chunk(b"IDAT", stream),
            _chunk(b"IEND", b""),
        )
    )


# -- texts -----------------------------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def alt_text(post: dict[str, Any], commune: dict[str, Any], url_display: str) -> str:
    """What the pictures show, in words, for the apps' alt-text field."""
    steps = " ".join(f"{n}. {s}" for n, s in enumerate(post["steps"], 1))
    return _nfc(
        f"Ảnh hướng dẫn của {commune['name_lower']}, {commune['province_name']}: "
        f"{post['headline']}. Ba bước: {steps} {contact_line(commune)}. "
        f"Mã QR mở trang hướng dẫn {url_display}."
    )


def _contact_sentence(commune: dict[str, Any], short: bool) -> str:
    phone = commune.get("officer_phone")
    if phone == "CẦN ĐIỀN":
        phone = None
    if phone and not short and commune.get("officer_name"):
        return f"Cần hỗ trợ, gọi {commune['officer_name']}, {commune['name_lower']}: {phone}."
    if phone:
        return f"Cần hỗ trợ, gọi {phone}."
    return f"Cần hỗ trợ, hỏi bộ phận một cửa của {commune['name_lower']}."


def post_text(post: dict[str, Any], commune: dict[str, Any], url: str) -> str:
    """``bai-dang.txt``: plain text, no Markdown, at most POST_MAX characters, the link kept.

    Parts are dropped in this order until the post fits: the closing sentence, the officer's
    name, then the steps; the headline, the link and the phone always stay.
    """
    steps = [f"{n}. {s}" for n, s in enumerate(post["steps"], 1)]
    link = f"Hướng dẫn đầy đủ, giấy tờ cần chuẩn bị: {url}"
    tries = [
        (True, False, True),  # closing, full contact, steps
        (False, False, True),
        (False, True, True),
        (False, True, False),
    ]
    for closing, short, with_steps in tries:
        parts = [post["headline"], ""]
        if with_steps:
            parts += [*steps, ""]
        if closing:
            parts.append(post["closing"])
        parts += [link, _contact_sentence(commune, short)]
        text = _nfc("\n".join(parts).strip() + "\n")
        if len(text.rstrip("\n")) <= POST_MAX:
            return text
    return text  # headline, link and phone: bounded by the schemas, checked by the tests
