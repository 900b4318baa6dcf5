"""How one value is written on a printed form: the formatters that ``forms/<id>/fields.yml``
names in ``as``. They are the only code behind a form; ``assets/form/fields.js`` has the same
ones for the browser, and ``tests/cases/formatters.json`` pins both to the same output.

A formatter reads the record through a ``Reader`` at one JSON pointer (``None``: no source, the
blank of that formatter) and never raises: with ``--allow-incomplete`` a record may miss fields
or hold values of the wrong type, and whatever cannot be shown is left blank (``None``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from lienthong.inputs import units
from lienthong.printing.date_words import date_in_words
from lienthong.schema.formats import normalize_phone, parse_date, parse_partial_date

_DIGITS12 = re.compile(r"^[0-9]{12}\Z")


class Reader(Protocol):
    """What a formatter may ask of the record being printed."""

    def get(self, ptr: str | None) -> Any: ...

    def label(self, pattern: str, value: str) -> str: ...


# -- display helpers -----------------------------------------------------------------------------


def text(value: Any) -> str | None:
    """A string or number as stripped text; anything else (booleans too) is blank."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | str):
        return str(value).strip() or None
    return None


def date_slash(value: Any) -> str | None:
    """ISO date (or YYYY-MM / YYYY) as dd/mm/yyyy (mm/yyyy, yyyy); other strings unchanged."""
    if not isinstance(value, str) or not value:
        return None
    parts = parse_partial_date(value)
    if parts is None:
        return value
    if len(parts) == 3:
        return f"{parts[2]:02d}/{parts[1]:02d}/{parts[0]:04d}"
    if len(parts) == 2:
        return f"{parts[1]:02d}/{parts[0]:04d}"
    return f"{parts[0]:04d}"


def day_month_year(value: Any) -> list[str] | None:
    """[day, month, year] for a "ngày … tháng … năm …" line.

    Days below 10 and months 1 and 2 take a leading zero, the rule for dates in administrative
    documents (Nghị định 30/2020/NĐ-CP, Phụ lục I: "ngày 05 tháng 02 năm 2025").
    """
    day = parse_date(value) if isinstance(value, str) else None
    if day is None:
        return None
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return [f"{day.day:02d}", month, str(day.year)]


def digits12(value: Any) -> list[str]:
    """Twelve characters for a 12-box số định danh row (blank boxes when unknown)."""
    if isinstance(value, str) and _DIGITS12.match(value):
        return list(value)
    return [""] * 12


def commune_name(code: Any) -> str | None:
    if not isinstance(code, str):
        return None
    entry = units.communes().get(code)
    return entry[0] if entry else None


def province_name(code: Any) -> str | None:
    if not isinstance(code, str):
        return None
    return units.provinces().get(code)


def _unit(value: Any) -> tuple[str | None, str | None]:
    if not isinstance(value, dict):
        return None, None
    return commune_name(value.get("commune")), province_name(value.get("province"))


def _hour_minute(value: Any) -> tuple[str | None, str | None]:
    time = text(value)
    if time and ":" in time:
        hour, minute = time.split(":", 1)
        return hour, minute
    return None, None


# -- formatters ----------------------------------------------------------------------------------

Formatter = Callable[[Reader, "str | None", dict[str, Any]], Any]


def _label(r: Reader, ptr: str | None, opts: dict[str, Any]) -> str | None:
    """The Vietnamese label of an enum value (``x-enum-labels``), else the value itself."""
    value = r.get(ptr)
    return r.label(opts["pattern"], value) if isinstance(value, str) else None


def _address(r: Reader, ptr: str | None, opts: dict[str, Any]) -> str | None:
    """Two-level address: detail, commune, province (whatever of it is usable)."""
    value = r.get(ptr)
    if not isinstance(value, dict):
        return None
    detail = value.get("detail") if isinstance(value.get("detail"), str) else None
    parts = [p for p in (detail, *_unit(value)) if p]
    return ", ".join(parts) or None


def _office(r: Reader, ptr: str | None, opts: dict[str, Any]) -> str | None:
    """An addressee such as "Ủy ban nhân dân phường Ba Đình, Thành phố Hà Nội"."""
    commune, province = _unit(r.get(ptr))
    if not commune:
        return None
    # Inside a name the unit type is lower case: "Ủy ban nhân dân phường Ba Đình".
    name = commune[0].lower() + commune[1:]
    return f"{opts['body']} {name}" + (f", {province}" if province else "")


def _id_document(r: Reader, ptr: str | None, opts: dict[str, Any]) -> str | None:
    """Giấy tờ tùy thân of a person, as footnote (3) of the TT 04/2024 forms shows it.

    "Căn cước công dân số 025188001010 do Cục Cảnh sát QLHC về TTXH cấp ngày 20/11/2021";
    with no document but a số định danh: "Số định danh cá nhân 001195012345".
    """
    if ptr is None:
        return None
    doc = r.get(ptr + "/id_document")
    if isinstance(doc, dict) and isinstance(doc.get("number"), str):
        kind = doc.get("type")
        kind = (
            r.label(opts["pattern"] + "/id_document/type", kind) if isinstance(kind, str) else None
        )
        line = f"{kind or 'Giấy tờ tùy thân'} số {doc['number']}"
        if isinstance(doc.get("issued_by"), str):
            line += f" do {doc['issued_by']}"
        issued = date_slash(doc.get("issued_on"))
        if issued:
            line += f" cấp ngày {issued}"
        return line
    personal_id = text(r.get(ptr + "/personal_id"))
    return f"Số định danh cá nhân {personal_id}" if personal_id else None


def _copies(r: Reader, ptr: str | None, opts: dict[str, Any]) -> dict[str, Any]:
    """Tick boxes and count of "Đề nghị cấp bản sao: Có ☐, Không ☐ Số lượng: … bản"."""
    value = r.get(ptr)
    requested = value.get("requested") if isinstance(value, dict) else None
    count = value.get("count") if isinstance(value, dict) else None
    return {
        "yes": requested is True,
        "no": requested is False,
        "count": f"{count:02d}"
        if isinstance(count, int) and not isinstance(count, bool) and requested is True
        else None,
    }


def _upper(r: Reader, ptr: str | None, opts: dict[str, Any]) -> str | None:
    value = text(r.get(ptr))
    return value.upper() if value else None


def _phone(r: Reader, ptr: str | None, opts: dict[str, Any]) -> str | None:
    value = text(r.get(ptr))
    return normalize_phone(value) if value else None


def _date_words(r: Reader, ptr: str | None, opts: dict[str, Any]) -> str | None:
    value = r.get(ptr)
    day = parse_date(value) if isinstance(value, str) else None
    # The parsed date, not the string: parse_date also reads "2025-09-02\n" (Python's "$"),
    # which the schemas' "date" format accepts but date_in_words would refuse.
    return date_in_words(day) if day is not None else None


FORMATTERS: dict[str, Formatter] = {
    "text": lambda r, ptr, opts: text(r.get(ptr)),
    "upper": _upper,
    "phone": _phone,
    "date": lambda r, ptr, opts: date_slash(r.get(ptr)),
    "date-parts": lambda r, ptr, opts: day_month_year(r.get(ptr)),
    "date-words": _date_words,
    "digits12": lambda r, ptr, opts: digits12(r.get(ptr)),
    "address": _address,
    "commune": lambda r, ptr, opts: _unit(r.get(ptr))[0],
    "province": lambda r, ptr, opts: _unit(r.get(ptr))[1],
    "office": _office,
    "id-document": _id_document,
    "label": _label,
    "copies": _copies,
    "checkbox": lambda r, ptr, opts: same(r.get(ptr), opts["equals"]),
    "hour": lambda r, ptr, opts: _hour_minute(r.get(ptr))[0],
    "minute": lambda r, ptr, opts: _hour_minute(r.get(ptr))[1],
}

# What a template may read inside a formatter's value (``v.copies.yes``); None: any index.
STRUCTURED: dict[str, frozenset[str] | None] = {
    "copies": frozenset({"yes", "no", "count"}),
    "date-parts": None,
    "digits12": None,
}


def same(a: Any, b: Any) -> bool:
    """JSON equality of scalars as the browser's ``===``: true is not 1, "1" is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a is b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return False
