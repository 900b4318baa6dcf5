"""The record code: a whole group record in a few QR codes printed on the declarations.

A citizen who fills the offline form at home prints the set; the clerk scans its codes and gets
the record back without retyping. The encoding is derived from the schema, so that a code is
small and a code printed from another schema is refused instead of misread:

1. **Layout.** The group's schema gives every key of the record in a fixed order (the
   properties of each object, ``$ref`` followed, in the referenced definition's order). An object is written as the list of its children's values in that order
   (``null`` for a missing one, trailing ``null`` dropped), a list as the list of its rows, any
   other value as itself. Keys that the layout does not know, and values of the wrong shape,
   are kept aside as ``{pointer: value}``, so that even an invalid draft comes back whole.
2. **Bytes.** ``[tree]`` or ``[tree, extras]`` as compact JSON in UTF-8, raw deflate,
   then the CRC-32 of the JSON (4 bytes, big-endian): a wrong combination of codes that
   happens to inflate is still refused.
3. **Codes.** The bytes are cut into near-equal parts (``CAPACITIES``), each written in
   Base45 (RFC 9285, as the EU Digital COVID Certificate does), so that the QR code uses its
   alphanumeric mode and no reader has to guess a character set. Each text reads
   ``LT1:<GROUP-ID>:<TAG>:<i>/<n>:<base45>``; ``TAG`` is the group's schema version and a
   digest of the layout.

The browser's codec (``generator/assets/form/record-code.js``) reads the same layout, which
this module gives it (``layout``), and must agree with this one: tests/recordcode checks both
ways. Deflate output may differ byte for byte between zlib builds; what must agree is the
record that comes back.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from dataclasses import dataclass
from typing import Any

from lienthong.errors import LienThongError
from lienthong.schema.catalog import Catalog
from lienthong.schema.validation import _expand, expand_properties

PREFIX = "LT1"
BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
# Characters of Base45 per code, after its header: a record takes the first size that holds it
# in at most CODES_PER_ROW codes. Version 20 at error correction M holds 970 characters,
# version 25 holds 1,451; at 0.46 mm a module (draw.py), three version-25 codes fit side by
# side on A4 and each module is 2.7 pixels when the page is scanned at 150 dpi.
CAPACITIES = (900, 1400)
CODES_PER_ROW = 3
MAX_JSON_BYTES = 256 * 1024  # inflating a hostile code stops here
MAX_DEPTH = 12  # a schema nested deeper is not a form (and a $ref loop must stop)
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class RecordCodeError(LienThongError):
    """A code that cannot give a record back: the message says why, in Vietnamese."""


# -- layout --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One key of an object in the layout: its name and the layout of its value."""

    name: str
    node: Any  # tuple[Key, ...] for an object, ("#", node) for a list, None for a plain value


def _from_schema(catalog: Catalog, pairs: list[tuple[dict, str]], depth: int = 0) -> Any:
    """The layout of the value that ``pairs`` (a ``$ref`` chain, outer first) describe."""
    schemas = [sch for sch, _ in pairs]
    kind = next((sch["type"] for sch in schemas if "type" in sch), None)
    if depth > MAX_DEPTH:
        return None
    if kind == "object":  # in the referenced definition's order, as the form's
        props = expand_properties(catalog, pairs)
        return tuple(
            Key(name, _from_schema(catalog, sub, depth + 1)) for name, sub in props.items()
        )
    if kind == "array":
        held = next(
            ((sch, base) for sch, base in pairs if isinstance(sch.get("items"), dict)), None
        )
        if held is None:
            return None
        items = _expand(catalog, held[0]["items"], held[1])
        return ("#", _from_schema(catalog, items, depth + 1))
    return None


def _to_json(node: Any) -> Any:
    if isinstance(node, tuple) and node[:1] == ("#",):
        return {"#": _to_json(node[1])}
    if isinstance(node, tuple):
        return [[k.name, _to_json(k.node)] if k.node is not None else k.name for k in node]
    return None


@dataclass(frozen=True)
class Layout:
    """What a group's codes are read with: its id, its tag and the order of its keys."""

    group: str
    tag: str
    root: tuple

    def to_json(self) -> dict[str, Any]:
        """The layout as the browser's codec reads it: an object is a list of keys, each a
        name (a plain value) or ``[name, layout]``; a list is ``{"#": layout}``."""
        return {"group": self.group, "tag": self.tag, "keys": _to_json(self.root)}


def layout(catalog: Catalog, group_id: str) -> Layout:
    """The layout of a group's record codes, from its schema (``$ref`` resolved)."""
    schema = catalog.schema(group_id)
    root = _from_schema(catalog, _expand(catalog, schema, schema.get("$id", "")))
    if not isinstance(root, tuple) or root[:1] == ("#",):
        root = ()
    shape = json.dumps(_to_json(root), separators=(",", ":"))
    version = catalog.groups[group_id].get("version", 1)
    digest = hashlib.sha256(shape.encode()).hexdigest()[:6].upper()
    return Layout(group_id, f"V{version}-{digest}", root)


# -- record <-> tree -----------------------------------------------------------------------------


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _pack(value: Any, node: Any, pointer: str, extras: dict[str, Any]) -> Any:
    if node is None:
        if value is None:  # a literal null would read back as "missing"
            extras[pointer] = None
        return value
    if isinstance(node, tuple) and node[:1] == ("#",):
        if not isinstance(value, list):
            extras[pointer] = value
            return None
        return [_pack(v, node[1], f"{pointer}/{i}", extras) for i, v in enumerate(value)]
    if not isinstance(value, dict):
        extras[pointer] = value
        return None
    known = {k.name for k in node}
    for name in value:
        if name not in known:
            extras[f"{pointer}/{_escape(name)}"] = value[name]
    out = [
        _pack(value[k.name], k.node, f"{pointer}/{_escape(k.name)}", extras)
        if k.name in value
        else None
        for k in node
    ]
    while out and out[-1] is None:
        out.pop()
    return out


def _unpack(tree: Any, node: Any) -> Any:
    if node is None or tree is None:
        return tree
    if isinstance(node, tuple) and node[:1] == ("#",):
        if not isinstance(tree, list):
            raise ValueError("list")
        return [_unpack(v, node[1]) for v in tree]
    if not isinstance(tree, list) or len(tree) > len(node):
        raise ValueError("object")
    return {k.name: _unpack(v, k.node) for k, v in zip(node, tree, strict=False) if v is not None}


def _set(record: dict, pointer: str, value: Any) -> None:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    if not parts:
        raise ValueError("root")
    node: Any = record
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(parts[-1])] = value
    elif isinstance(node, dict):
        node[parts[-1]] = value
    else:
        raise ValueError(pointer)


# -- Base45 (RFC 9285) ---------------------------------------------------------------------------


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        c, n = n % 45, n // 45
        d, e = n % 45, n // 45
        out += [BASE45[c], BASE45[d], BASE45[e]]
    if len(data) % 2:
        c, d = data[-1] % 45, data[-1] // 45
        out += [BASE45[c], BASE45[d]]
    return "".join(out)


def b45decode(text: str) -> bytes:
    try:
        digits = [BASE45.index(ch) for ch in text]
    except ValueError:
        raise ValueError("base45") from None
    if len(digits) % 3 == 1:
        raise ValueError("base45")
    out = bytearray()
    for i in range(0, len(digits), 3):
        chunk = digits[i : i + 3]
        if len(chunk) == 3:
            n = chunk[0] + chunk[1] * 45 + chunk[2] * 45 * 45
            if n > 0xFFFF:
                raise ValueError("base45")
            out += bytes((n >> 8, n & 0xFF))
        else:
            n = chunk[0] + chunk[1] * 45
            if n > 0xFF:
                raise ValueError("base45")
            out.append(n)
    return bytes(out)


# -- encode --------------------------------------------------------------------------------------


def payload(record: Any, lay: Layout) -> bytes:
    """The JSON bytes a record's codes carry (before deflate)."""
    extras: dict[str, Any] = {}
    tree = _pack(record, lay.root, "", extras)
    body = [tree, extras] if extras else [tree]
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    # Not normalised: the record comes back as it was typed (the print is NFC either way). A
    # lone surrogate (in a str every surrogate is lone) has no UTF-8: U+FFFD, as the browser's
    # TextEncoder writes it.
    text = LONE_SURROGATE.sub("\ufffd", text)
    return text.encode("utf-8")


def encode(record: Any, lay: Layout) -> list[str]:
    """The texts of a record's QR codes, in order."""
    data = payload(record, lay)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    frame = packer.compress(data) + packer.flush() + zlib.crc32(data).to_bytes(4, "big")
    return split(frame, lay)


def split(frame: bytes, lay: Layout) -> list[str]:
    """Cut the framed bytes into near-equal codes (even byte counts, so each part is Base45 on
    its own) and put the header on each."""
    for chars in CAPACITIES:
        per_code = chars // 3 * 2
        count = max(1, -(-len(frame) // per_code))
        if count <= CODES_PER_ROW:
            break
    size = -(-len(frame) // count)
    size += size % 2
    parts = [frame[i : i + size] for i in range(0, len(frame), size)] or [b""]
    head = f"{PREFIX}:{lay.group.upper()}:{lay.tag}"
    return [f"{head}:{i + 1}/{len(parts)}:{b45encode(p)}" for i, p in enumerate(parts)]


# -- decode --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    group: str  # as printed: upper case
    tag: str
    index: int
    count: int
    data: bytes


def parse(text: str) -> Part:
    """One code's text, checked for its shape; RecordCodeError names what is wrong."""
    fields = text.strip().split(":", 4)
    if len(fields) != 5 or fields[0] != PREFIX:
        raise RecordCodeError("Đây không phải mã hồ sơ in trên tờ khai của chương trình này.")
    _, group, tag, position, body = fields
    index, _, count = position.partition("/")
    if not (index.isdigit() and count.isdigit()) or not 1 <= int(index) <= int(count) <= 99:
        raise RecordCodeError("Mã hồ sơ bị hỏng: không đọc được số thứ tự của mã.")
    try:
        data = b45decode(body)
    except ValueError:
        raise RecordCodeError(f"Mã {index}/{count} bị hỏng: nội dung không hợp lệ.") from None
    return Part(group, tag, int(index), int(count), data)


def decode(texts: list[str], lay: Layout) -> Any:
    """The record that a group's codes carry. Every part must be there, of this group and of
    this layout; the message of RecordCodeError says which is missing or wrong."""
    parts = [parse(t) for t in texts]
    if not parts:
        raise RecordCodeError("Chưa có mã nào.")
    for p in parts:
        if p.group != lay.group.upper():
            raise RecordCodeError(
                f"Mã này thuộc nhóm thủ tục khác ({p.group.lower()}), "
                f"không phải {lay.group}. Hãy mở đúng biểu mẫu của nhóm đó."
            )
        if p.tag != lay.tag:
            raise RecordCodeError(
                f"Mã được in từ một phiên bản biểu mẫu khác ({p.tag}; bản này: {lay.tag}). "
                "Hãy dùng biểu mẫu cùng phiên bản với tờ khai, hoặc nhập lại thông tin."
            )
    count = parts[0].count
    by_index: dict[int, bytes] = {}
    for p in parts:
        if p.count != count:
            raise RecordCodeError("Các mã không cùng một bộ tờ khai (số mã khác nhau).")
        if by_index.setdefault(p.index, p.data) != p.data:
            raise RecordCodeError(
                f"Có hai mã {p.index}/{count} khác nhau: chúng thuộc hai bộ tờ khai."
            )
    missing = [str(i) for i in range(1, count + 1) if i not in by_index]
    if missing:
        raise RecordCodeError(
            f"Còn thiếu mã {', '.join(missing)} (trong {count} mã). Hãy quét cả các mã đó."
        )
    frame = b"".join(by_index[i] for i in range(1, count + 1))
    return unframe(frame, lay)


def unframe(frame: bytes, lay: Layout) -> Any:
    broken = RecordCodeError(
        "Các mã không ghép được thành hồ sơ: mã bị hỏng hoặc thuộc hai bộ tờ khai khác nhau."
    )
    if len(frame) < 5:
        raise broken
    unpacker = zlib.decompressobj(-15)
    try:
        data = unpacker.decompress(frame[:-4], MAX_JSON_BYTES)
    except zlib.error:
        raise broken from None
    if unpacker.unconsumed_tail or not unpacker.eof or unpacker.unused_data:
        raise broken
    if zlib.crc32(data).to_bytes(4, "big") != frame[-4:]:
        raise broken
    try:
        body = json.loads(data.decode("utf-8"))
        if not isinstance(body, list) or len(body) not in (1, 2):
            raise ValueError("body")
        extras = body[1] if len(body) == 2 else {}
        if not isinstance(extras, dict):
            raise ValueError("extras")
        if "" in extras:  # the record itself is not an object (an invalid file, printed anyway)
            if body[0] is not None or len(extras) != 1:
                raise ValueError("extras")
            return extras[""]
        record = _unpack(body[0], lay.root)
        if not isinstance(record, dict):
            raise ValueError("root")
        for pointer in sorted(extras, key=lambda p: p.count("/")):
            _set(record, pointer, extras[pointer])
    except (ValueError, TypeError, IndexError, KeyError, UnicodeDecodeError):
        raise broken from None
    return record
