"""Administrative units after 1 July 2025 (34 provinces, 3,321 communes).

Data: the ``vietnam-provinces`` package (GSO data, 2025-10-18). Codes are
zero-padded strings as in Quyết định 19/2025/QĐ-TTg: "01", "00004".
"""

from __future__ import annotations

from functools import cache

from vietnam_provinces import Province, Ward


@cache
def provinces() -> dict[str, str]:
    """Province code -> official name, in code order."""
    return {f"{p.code:02d}": p.name for p in sorted(Province.iter_all(), key=lambda p: p.code)}


@cache
def communes() -> dict[str, tuple[str, str]]:
    """Commune code -> (name, province code), in code order."""
    return {
        f"{w.code:05d}": (w.name, f"{w.province_code:02d}")
        for w in sorted(Ward.iter_all(), key=lambda w: w.code)
    }


def province_name(code: str) -> str:
    return provinces()[code]


def commune_name(code: str) -> str:
    return communes()[code][0]


def full_address(detail: str | None, commune: str, province: str) -> str:
    """Two-level address line: detail, commune, province."""
    parts = [detail] if detail else []
    parts += [commune_name(commune), province_name(province)]
    return ", ".join(parts)


def browser_data() -> dict[str, list]:
    """Compact form for the offline form: provinces and communes by province."""
    by_province: dict[str, list[list[str]]] = {code: [] for code in provinces()}
    for code, (name, prov) in communes().items():
        by_province[prov].append([code, name])
    return {
        "provinces": [[code, name] for code, name in provinces().items()],
        "communes": by_province,
    }
