"""Reading a group record for print: ``Source`` turns each field into display strings (dates
dd/mm/yyyy and in words, 12-digit boxes, addresses, office names, labels), never raising on
odd input."""

from __future__ import annotations

import re
from typing import Any

from lienthong.inputs import units
from lienthong.printing.date_words import date_in_words
from lienthong.schema.catalog import Catalog
from lienthong.schema.formats import normalize_phone, parse_date, parse_partial_date
from lienthong.schema.validation import nfc, resolve_pointer, validator_for

# -- formatting ----------------------------------------------------------------------------------

_DIGITS12 = re.compile(r"^[0-9]{12}\Z")


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


def day_month_year(value: Any) -> tuple[str, str, str] | None:
    """(day, month, year) for a "ngày … tháng … năm …" line.

    Days below 10 and months 1 and 2 take a leading zero, the rule for dates in administrative
    documents (Nghị định 30/2020/NĐ-CP, Phụ lục I: "ngày 05 tháng 02 năm 2025").
    """
    day = parse_date(value) if isinstance(value, str) else None
    if day is None:
        return None
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}", month, str(day.year)


def digits12(value: Any) -> list[str]:
    """Twelve characters for a 12-box số định danh row (blank boxes when unknown)."""
    if isinstance(value, str) and _DIGITS12.match(value):
        return list(value)
    return [""] * 12


class Source:
    """Read display values from a group record by JSON pointer; blank (None) when unusable."""

    def __init__(self, catalog: Catalog | None, group_id: str | None, record: Any):
        self.catalog = catalog
        self.group_id = group_id
        self.record = nfc(record) if record is not None else {}
        self._validator = (
            validator_for(catalog, group_id) if catalog is not None and group_id else None
        )

    # raw access
    def get(self, ptr: str) -> Any:
        return resolve_pointer(self.record, ptr) if isinstance(self.record, dict) else None

    def has(self, ptr: str) -> bool:
        return self.get(ptr) is not None

    # display values
    def text(self, ptr: str) -> str | None:
        value = self.get(ptr)
        if isinstance(value, bool) or value is None:
            return None
        if isinstance(value, int | float | str):
            text = str(value).strip()
            return text or None
        return None

    def upper(self, ptr: str) -> str | None:
        value = self.text(ptr)
        return value.upper() if value else None

    def phone(self, ptr: str) -> str | None:
        value = self.text(ptr)
        return normalize_phone(value) if value else None

    def date(self, ptr: str) -> str | None:
        return date_slash(self.get(ptr))

    def date_parts(self, ptr: str) -> tuple[str, str, str] | None:
        return day_month_year(self.get(ptr))

    def date_words(self, ptr: str) -> str | None:
        value = self.get(ptr)
        day = parse_date(value) if isinstance(value, str) else None
        # The parsed date, not the string: parse_date also reads "2025-09-02\n" (Python's "$"),
        # which the schemas' "date" format accepts but date_in_words would refuse.
        return date_in_words(day) if day is not None else None

    def label(self, ptr: str) -> str | None:
        """The Vietnamese label of an enum value (``x-enum-labels``), else the value itself."""
        value = self.get(ptr)
        if not isinstance(value, str):
            return None
        if self._validator is not None:
            for schema in self._validator.field_chain(ptr.split("/")[1:]):
                enum, labels = schema.get("enum"), schema.get("x-enum-labels")
                if isinstance(enum, list) and isinstance(labels, list) and value in enum:
                    index = enum.index(value)
                    if index < len(labels):
                        return labels[index]
        return value

    def address(self, ptr: str) -> str | None:
        """Two-level address: detail, commune, province (whatever of it is usable)."""
        value = self.get(ptr)
        if not isinstance(value, dict):
            return None
        detail = value.get("detail") if isinstance(value.get("detail"), str) else None
        commune = _commune(value.get("commune"))
        province = _province(value.get("province"))
        parts = [p for p in (detail, commune, province) if p]
        return ", ".join(parts) or None

    def unit(self, ptr: str) -> tuple[str | None, str | None]:
        """(commune name, province name) of an office or address."""
        value = self.get(ptr)
        if not isinstance(value, dict):
            return None, None
        return _commune(value.get("commune")), _province(value.get("province"))

    def office(self, ptr: str, body: str) -> str | None:
        """An addressee such as "Ủy ban nhân dân phường Ba Đình, Thành phố Hà Nội"."""
        commune, province = self.unit(ptr)
        if not commune:
            return None
        # Inside a name the unit type is lower case: "Ủy ban nhân dân phường Ba Đình".
        name = commune[0].lower() + commune[1:]
        return f"{body} {name}" + (f", {province}" if province else "")

    def id_document(self, ptr: str) -> str | None:
        """Giấy tờ tùy thân as footnote (3) of the TT 04/2024 forms shows it.

        "Căn cước công dân số 025188001010 do Cục Cảnh sát QLHC về TTXH cấp ngày 20/11/2021";
        with no document but a số định danh: "Số định danh cá nhân 001195012345".
        """
        doc = self.get(ptr + "/id_document")
        if isinstance(doc, dict) and isinstance(doc.get("number"), str):
            kind = self.label(ptr + "/id_document/type") or "Giấy tờ tùy thân"
            text = f"{kind} số {doc['number']}"
            if isinstance(doc.get("issued_by"), str):
                text += f" do {doc['issued_by']}"
            issued = date_slash(doc.get("issued_on"))
            if issued:
                text += f" cấp ngày {issued}"
            return text
        personal_id = self.text(ptr + "/personal_id")
        return f"Số định danh cá nhân {personal_id}" if personal_id else None

    def copies(self, ptr: str) -> dict[str, Any]:
        """Tick boxes and count of "Đề nghị cấp bản sao: Có ☐, Không ☐ Số lượng: … bản"."""
        requested = self.get(ptr + "/requested")
        count = self.get(ptr + "/count")
        return {
            "yes": requested is True,
            "no": requested is False,
            "count": f"{count:02d}"
            if isinstance(count, int) and not isinstance(count, bool) and requested is True
            else None,
        }

    def choice(self, ptr: str, value: str) -> bool:
        return self.get(ptr) == value


def _commune(code: Any) -> str | None:
    if not isinstance(code, str):
        return None
    entry = units.communes().get(code)
    return entry[0] if entry else None


def _province(code: Any) -> str | None:
    if not isinstance(code, str):
        return None
    return units.provinces().get(code)


def place_date(s: Source, place_ptr: str = "/filing_place", date_ptr: str = "/filing_date"):
    return {"place": s.text(place_ptr), "date": s.date_parts(date_ptr)}
