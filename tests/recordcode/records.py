"""Records for the record-code tests: maximal ones (every optional block filled, every list at
its maximum) and randomised ones, built from the group's form tree."""

from __future__ import annotations

import random
from typing import Any

from lienthong.inputs import units

FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Tôn Nữ"
ADDRESS = "thôn xóm ấp khu phố đường ngõ ngách hẻm số nhà tổ dân bản làng khóm"


def vocabulary() -> list[str]:
    """Words people write in these forms: the 3,321 communes' names, family names, and the
    words of addresses. Varied enough that deflate gains what it gains on real records."""
    found = {w for name, _ in units.communes().values() for w in name.split()}
    found |= set(FAMILY.split())
    found |= set(ADDRESS.split())
    return sorted(found)


WORDS = vocabulary()


def words(rng: random.Random, length: int) -> str:
    """Vietnamese words, with diacritics, exactly ``length`` characters long."""
    out = ""
    while len(out) < length:
        out += (" " if out else "") + rng.choice(WORDS)
    return out[:length].rstrip() or "A"


REALISTIC = {"full_name": 34, "detail": 90, "relationship": 24, "nationality": 9}


def _leaf(node: Any, rng: random.Random, extreme: bool) -> Any:
    if node.options:
        return max((v for v, _ in node.options), key=len)
    if node.kind == "checkbox":
        return True
    if node.kind == "integer":
        return rng.randint(1, 99)
    if node.kind == "date":
        return f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if node.kind == "partial-date":
        return f"19{rng.randint(40, 99)}-{rng.randint(1, 12):02d}"
    if node.kind == "time":
        return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    key = node.key
    if "personal_id" in key or key.endswith("_id") or "number" in key:
        return "".join(rng.choice("0123456789") for _ in range(12))
    if "phone" in key:
        return "09" + "".join(rng.choice("0123456789") for _ in range(8))
    if "email" in key:
        return "nguoi.dan." + "".join(rng.choice("abcdefgh") for _ in range(12)) + "@example.vn"
    limit = int(node.input.get("maxlength", 200))
    return words(rng, limit if extreme else min(limit, REALISTIC.get(key, 60)))


def maximal(model: Any, rng: random.Random, extreme: bool = False) -> Any:
    """Every field of ``model`` filled: objects whole, lists full, texts long (at their
    maxLength when ``extreme``)."""
    return _fill(model, rng, extreme, sorted(units.communes().items()))


def _fill(node: Any, rng: random.Random, extreme: bool, communes: Any) -> Any:
    if node.kind == "object":
        return {c.key: _fill(c, rng, extreme, communes) for c in node.children}
    if node.kind == "array":
        return [_fill(node.item, rng, extreme, communes) for _ in range(node.max_items or 5)]
    if node.kind == "place":
        code, (_, province) = rng.choice(communes)
        place = {"province": province, "commune": code}
        if node.detail:
            place["detail"] = words(rng, 200 if extreme else 90)
        return place
    return _leaf(node, rng, extreme)
