"""The communes of a run: their names and slugs from the 2025 units, their settings, and
the content keys that let a run skip packs that have not changed."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# -- 2. communes and keys ----------------------------------------------------------------------------
from lienthong.packs.content import PACKAGE, PackError, lookup_target


@dataclass(frozen=True)
class Commune:
    """A commune to make a pack for; ``settings`` is None when none were given."""

    code: str
    name: str
    province: str
    province_name: str
    slug: str
    province_slug: str
    settings: dict[str, Any] | None = None

    def view(self) -> dict[str, Any]:
        s = self.settings or {}
        lookup = s.get("provincial_lookup_url")
        return {
            "code": self.code,
            "name": self.name,
            # "Phường Ba Đình" mid-sentence reads "phường Ba Đình".
            "name_lower": self.name[:1].lower() + self.name[1:],
            "province": self.province,
            "province_name": self.province_name,
            "filled": self.settings is not None,
            "office_name": s.get("office_name"),
            "office_address": s.get("office_address"),
            "opening_hours": s.get("opening_hours"),
            "officer_name": s.get("officer_name"),
            "officer_title": s.get("officer_title"),
            "officer_phone": s.get("officer_phone"),
            "hotline": s.get("hotline"),
            "email": s.get("email"),
            "portal": s.get("provincial_portal_url"),
            "lookup": lookup_target(lookup) if lookup else None,
        }


@functools.cache
def _units() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str, str]]]:
    """Provinces (code -> name, slug) and communes (code -> name, province, slug)."""
    from vietnam_provinces import Province, Ward

    provinces = {
        f"{p.code:02d}": (p.name, f"{p.code:02d}-{p.codename.replace('_', '-')}")
        for p in sorted(Province.iter_all(), key=lambda p: p.code)
    }
    communes = {
        f"{w.code:05d}": (
            w.name,
            f"{w.province_code:02d}",
            f"{w.code:05d}-{w.codename.replace('_', '-')}",
        )
        for w in sorted(Ward.iter_all(), key=lambda w: w.code)
    }
    return provinces, communes


@functools.cache
def band_characters() -> frozenset[str]:
    """Every character a header band can show: all unit names, upper-cased, and the title."""
    from lienthong.packs.text import band_lines

    provinces, communes = _units()
    chars: set[str] = set()
    for name, province, _ in communes.values():
        lines = band_lines({"name": name, "province_name": provinces[province][0]})
        chars.update("".join(lines))
    return frozenset(chars)


def province_codes() -> list[str]:
    return list(_units()[0])


def communes_of(province: str) -> list[str]:
    return [code for code, (_, prov, _) in _units()[1].items() if prov == province]


def make_commune(code: str, settings: dict[str, Any] | None = None) -> Commune:
    provinces, communes = _units()
    if code not in communes:
        raise PackError(
            f"không có xã, phường, đặc khu mã '{code}' trong danh mục 3.321 đơn vị từ ngày 01/7/2025."
        )
    name, province, slug = communes[code]
    province_name, province_slug = provinces[province]
    return Commune(code, name, province, province_name, slug, province_slug, settings)


def edition_digest(
    schemas_dir: Path,
    forms_dir: Path,
    site_url: str | None,
    directory_urls: bool,
    day: str = "",
) -> str:
    """A hash of every input shared by the packs of a run (schemas, forms, templates, code,
    fonts' renderer versions, site address, and the as-of day, which picks the dated facts)."""
    h = hashlib.sha256(f"{site_url or ''}\0{directory_urls}\0{day}".encode())
    for dist in ("weasyprint", "pikepdf", "segno", "vietnam-provinces"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            h.update(f"{dist}={importlib.metadata.version(dist)}\0".encode())
    paths = [
        *sorted(Path(schemas_dir).rglob("*.json")),
        *sorted(Path(forms_dir).rglob("*")),
        *sorted(PACKAGE.glob("**/*.py")),
        *sorted((PACKAGE / "templates").rglob("*")),
    ]
    for path in paths:
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:20]


def pack_key(edition: str, commune: Commune) -> str:
    data = json.dumps(
        [edition, commune.code, commune.name, commune.province_name, commune.settings],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(data.encode()).hexdigest()[:24]


def select_communes(
    *,
    provinces: list[str],
    commune: str | None = None,
    settings: dict[str, dict[str, Any]] | None = None,
) -> list[Commune]:
    """The communes of a run, each with its settings when ``settings`` has them.

    ``provinces`` are province codes ("01"); with ``commune`` only that commune of the one
    province. Raises PackError, in Vietnamese, for an unknown code.
    """
    known_provinces, known_communes = _units()
    for code in provinces:
        if code not in known_provinces:
            raise PackError(
                f"không có tỉnh, thành phố mã '{code}'; mã hợp lệ: {', '.join(known_provinces)}."
            )
    settings = settings or {}
    if commune is not None:
        if commune not in known_communes:
            raise PackError(
                f"không có xã, phường, đặc khu mã '{commune}' trong danh mục 3.321 đơn vị "
                "từ ngày 01/7/2025."
            )
        if known_communes[commune][1] not in provinces:
            raise PackError(
                f"xã, phường mã {commune} ({known_communes[commune][0]}) không thuộc "
                f"{known_provinces[provinces[0]][0]}."
            )
        codes = [commune]
    else:
        codes = [code for p in provinces for code in communes_of(p)]
    return [make_commune(code, settings.get(code)) for code in codes]
