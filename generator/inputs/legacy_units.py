"""Pre-2025 administrative units, and messages that say what replaced them.

Since 01/7/2025 local government has two levels: 34 provinces and 3,321
communes (xã, phường, đặc khu), no districts. People still write the old
units, so where an address enters from a user (``lienthong validate``,
``lienthong pdf``, the publisher settings of mkdocs.yml, commune settings
files) the generic messages of ``lienthong.schema.validation`` for

- an old commune code (``commune``: not in the 2025 list, but a pre-2025 code),
- an old province code (``province``: one of the 63 pre-2025 codes that no
  2025 province kept),
- a district-level field (``district``, ``quan_huyen``, ``huyen`` ...),

are replaced by ones that name the old unit and the 2025 unit(s) that took
its place. This is a separate step after ``Validator.validate`` so that the
core result, which the browser validator reproduces, stays unchanged.

Data: ``generator/data/legacy-units.json``, made by
``tools/make_legacy_units.py`` from ``vietnamadminunits`` (MIT), with 2025
codes and names from ``vietnam-provinces`` (``generator.units``). An old
commune code that a 2025 unit reuses is not in the file: it is valid today.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lienthong.inputs import units
from lienthong.schema.validation import nfc, resolve_pointer

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "legacy-units.json"

EFFECTIVE = "01/7/2025"
BASIS_DISTRICT = "Luật Tổ chức chính quyền địa phương số 72/2025/QH15"
BASIS_PROVINCE = (
    "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh"
)
BASIS_COMMUNE = (
    "các nghị quyết năm 2025 của Ủy ban Thường vụ Quốc hội "
    "về sắp xếp đơn vị hành chính cấp xã của từng tỉnh, thành phố"
)

# Field names that mean the district level (quận, huyện, thị xã, thành phố thuộc tỉnh),
# compared after _fold(): no diacritics, lower case, letters and digits only.
DISTRICT_KEYS = frozenset(
    {
        "district",
        "districtcode",
        "districtid",
        "districtname",
        "huyen",
        "mahuyen",
        "tenhuyen",
        "huyenquan",
        "quan",
        "maquan",
        "tenquan",
        "quanhuyen",
        "maquanhuyen",
        "tenquanhuyen",
        "caphuyen",
        "thixa",
        "huyenthixa",
        "quanhuyenthixa",
    }
)
COMMUNE_KEY = "commune"
PROVINCE_KEY = "province"


@dataclass(frozen=True)
class OldProvince:
    code: str
    name: str
    new: tuple[str, ...]


@dataclass(frozen=True)
class OldCommune:
    code: str
    name: str
    district: str
    province: OldProvince
    new: tuple[str, ...]


@cache
def _data() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@cache
def old_provinces() -> dict[str, OldProvince]:
    """All 63 pre-2025 province codes (including those a 2025 province kept)."""
    return {
        code: OldProvince(code, entry["name"], tuple(entry["new"]))
        for code, entry in _data()["provinces"].items()
    }


@cache
def old_communes() -> dict[str, OldCommune]:
    """Pre-2025 commune codes that are not 2025 codes."""
    provinces = old_provinces()
    return {
        code: OldCommune(code, name, district, provinces[province], tuple(new))
        for code, (name, district, province, new) in _data()["communes"].items()
    }


def abolished_commune(code: Any) -> OldCommune | None:
    """The old commune a code stood for, or None (a 2025 code, or not a code at all)."""
    if not isinstance(code, str) or code in units.communes():
        return None
    return old_communes().get(code)


def abolished_province(code: Any) -> OldProvince | None:
    """The old province a code stood for, or None (a 2025 code, or not a code at all)."""
    if not isinstance(code, str) or code in units.provinces():
        return None
    return old_provinces().get(code)


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "".join(ch for ch in text.lower() if ch.isalnum())


def is_district_key(name: Any) -> bool:
    """Whether a field name means the district level ("district", "Quận/Huyện", "ma_huyen" ...)."""
    return isinstance(name, str) and _fold(name) in DISTRICT_KEYS


# -- messages ---------------------------------------------------------------


def _clean(name: str) -> str:
    return " ".join(name.split())


def _province_label(code: str) -> str:
    """A 2025 province as written in an address: "Thành phố Hà Nội", "Tỉnh Tuyên Quang"."""
    name = _clean(units.province_name(code))
    return name if name.startswith(("Thành phố", "Tỉnh")) else f"Tỉnh {name}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]


def commune_message(old: OldCommune) -> str:
    where = f"{old.name}, {old.district}, {old.province.name}"
    head = f"Mã xã {old.code} là đơn vị hành chính cũ ({where}), không còn từ ngày {EFFECTIVE}; "
    news = [(code, *units.communes()[code]) for code in old.new]
    provinces = sorted({province for _, _, province in news})
    if len(news) == 1:
        code, name, province = news[0]
        now = f"nay thuộc {_clean(name)} (mã {code}), {_province_label(province)}. Hãy ghi mã mới."
    elif len(provinces) == 1:
        listed = _and([f"{_clean(name)} (mã {code})" for code, name, _ in news])
        now = (
            f"nay thuộc một trong các xã, phường của {_province_label(provinces[0])}: {listed}. "
            "Hãy chọn đơn vị nơi có địa chỉ."
        )
    else:
        listed = _and(
            [f"{_clean(name)} (mã {code}, {_province_label(prov)})" for code, name, prov in news]
        )
        now = f"nay thuộc một trong các xã, phường: {listed}. Hãy chọn đơn vị nơi có địa chỉ."
    return f"{head}{now} Căn cứ: {BASIS_COMMUNE}."


def province_message(old: OldProvince) -> str:
    now = _and([f"{_province_label(code)} (mã {code})" for code in old.new])
    return (
        f"Mã tỉnh {old.code} là đơn vị hành chính cũ ({old.name}), không còn từ ngày {EFFECTIVE}; "
        f"nay thuộc {now}. Hãy ghi mã mới. Căn cứ: {BASIS_PROVINCE}."
    )


def district_message(name: str, noun: str = "mục") -> str:
    """Why a district-level field is refused; ``noun`` names what to delete ("mục", "cột")."""
    return (
        f"{noun.capitalize()} '{name}' là cấp huyện (quận, huyện, thị xã): từ ngày {EFFECTIVE} "
        "không còn cấp huyện; địa chỉ chỉ ghi xã/phường/đặc khu và tỉnh/thành phố. "
        f"Hãy xóa {noun} này. Căn cứ: {BASIS_DISTRICT} (chính quyền địa phương hai cấp)."
    )


def _explanation(ptr: str, record: Any) -> str | None:
    if not ptr:
        return None
    parent_ptr, _, last = ptr.rpartition("/")
    key = last.replace("~1", "/").replace("~0", "~")
    parent = resolve_pointer(record, parent_ptr)
    if not isinstance(parent, dict) or key not in parent:
        return None
    value = parent[key]
    if key == COMMUNE_KEY and (old := abolished_commune(value)):
        return commune_message(old)
    if key == PROVINCE_KEY and (old_province := abolished_province(value)):
        return province_message(old_province)
    if is_district_key(key):
        # No schema has a district field (two-level addresses), so any error here is
        # the unknown-field one.
        return district_message(key)
    return None


def explain(errors: list[dict[str, str]], record: Any) -> list[dict[str, str]]:
    """``errors`` of ``Validator.validate(record)``, with abolished units explained.

    Returns a new list in the same order and shape; an error is reworded only when the
    value at its pointer is an old commune or province code, or its field is a district
    field. Everything else is returned unchanged.
    """
    record = nfc(record)
    out = []
    for error in errors:
        message = _explanation(error.get("pointer", ""), record)
        out.append({**error, "message": message} if message else dict(error))
    return out
