"""What each printed declaration shows, computed from one group record.

A group record (``schemas/<group>.schema.json``) holds the requester once and one section per
procedure. Every printed form is a *view* of that record: a dict of display strings built by the
form's builder, registered by form id in ``BUILDERS`` (the form's folder ``forms/<id>/`` holds the
template that lays the view out). A blank form is the same builder run on an empty record, so
blank and filled forms always share one layout.

Builders never raise on odd input: with ``--allow-incomplete`` a record may miss fields or carry
values of the wrong type, and whatever cannot be shown is left blank.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from lienthong.inputs import units
from lienthong.printing.date_words import date_in_words
from lienthong.schema.catalog import Catalog
from lienthong.schema.check import applies
from lienthong.schema.formats import normalize_phone, parse_date, parse_partial_date
from lienthong.schema.validation import _parts, nfc, resolve_pointer, validator_for
from lienthong.site import pages

# Pages each printed sheet is designed to fill. Rendering shrinks the type step by step until a
# sheet fits (see render_pdf), so a long value never adds a page.
FORM_PAGES: dict[str, int] = {
    "to-khai-khai-sinh": 1,
    "ct01": 1,
    "tk1-ts": 1,
    "to-khai-khai-tu": 1,
    "mau-04-nd20": 1,
    "mau-2-nd176": 2,  # two pages, as the official form (sections 3-4 on page 2)
    "checklist": 1,
}

# Which of a procedure's forms applies to a record, as JSON Schemas evaluated against the whole
# group record (absent = always), like the documents' ``applies_if``. Hỗ trợ chi phí mai táng has
# two forms: Mẫu số 2 of Nghị định 176/2025 for social pensioners, Mẫu số 04 of Nghị định
# 20/2021 for other social-protection beneficiaries (domain-facts 0.5).
FORM_APPLIES_IF: dict[str, dict] = {
    "mau-04-nd20": {
        "properties": {"ho_tro_mai_tang": {"properties": {"subject": {"const": "bao-tro-xa-hoi"}}}}
    },
    "mau-2-nd176": {
        "properties": {
            "ho_tro_mai_tang": {
                "required": ["subject"],
                "properties": {"subject": {"const": "huu-tri-xa-hoi"}},
            }
        }
    },
}

CHECKLIST_PREFIX = "checklist-"


# -- the catalog's forms -------------------------------------------------------------------------


@dataclass(frozen=True)
class FormInfo:
    """A declaration form as the schemas describe it (``x-procedure.forms[]``)."""

    id: str
    name: str
    number: str | None
    issued_with: str
    confidence: str
    procedures: tuple[str, ...]  # procedure ids that use it, in catalog order
    template: str = "template.html.j2"  # in forms/<id>/: the version in force on the build's day


def catalog_forms(catalog: Catalog) -> dict[str, FormInfo]:
    """Every form declared by a procedure, by id (first declaration wins for the wording)."""
    found: dict[str, FormInfo] = {}
    for pid, proc in catalog.procedures.items():
        for f in proc.get("forms", []):
            old = found.get(f["id"])
            found[f["id"]] = (
                replace(old, procedures=(*old.procedures, pid))
                if old
                else FormInfo(
                    f["id"],
                    f["name"],
                    f.get("number"),
                    f["issued_with"],
                    f.get("confidence", "verified"),
                    (pid,),
                    f.get("template", "template.html.j2"),
                )
            )
    return found


def groups_with_form(catalog: Catalog, form_id: str) -> list[str]:
    """Group ids whose procedures use ``form_id``, in catalog order."""
    forms = catalog_forms(catalog)
    info = forms.get(form_id)
    if info is None:
        return []
    return [
        gid
        for gid, group in catalog.groups.items()
        if any(p["id"] in info.procedures for p in group["procedures"])
    ]


def guess_group(catalog: Catalog, form_id: str, record: Any) -> str | None:
    """The group a record for ``form_id`` belongs to, judged by its top-level keys.

    Prefers a group whose schema knows every key of the record, then one whose required keys are
    all present, then the one with most of them; ties go to catalog order.
    """
    candidates = groups_with_form(catalog, form_id)
    if not candidates:
        return None
    if not isinstance(record, dict):
        return candidates[0]

    def score(gid: str) -> tuple[bool, bool, int]:
        schema = catalog.schemas[gid]
        keys = set(record)
        known = set(schema.get("properties", {}))
        required = set(schema.get("required", []))
        return (keys <= known, required <= keys, len(required & keys))

    return max(candidates, key=lambda gid: (score(gid), -candidates.index(gid)))


@dataclass(frozen=True)
class Part:
    """One printed sheet of a group document: a form or the checklist."""

    form_id: str  # a form id, or "checklist"
    procedure_id: str | None  # the procedure the form serves in this record


def procedure_page(pid: str, directory_urls: bool = False) -> str:
    """Site path of a procedure's guide page as MkDocs serves it ("thu-tuc/khai-sinh.html")."""
    return page_url(pages.procedure_uri(pid), directory_urls)


def group_page(gid: str, directory_urls: bool = False) -> str:
    """Site path of a group's guide page ("lien-thong-khai-sinh.html")."""
    return page_url(pages.group_uri(gid), directory_urls)


def page_url(src_uri: str, directory_urls: bool = False) -> str:
    """The URL path MkDocs gives the page ``src_uri`` ("a/b.md" -> "a/b.html" or "a/b/").

    The site is built with the offline plugin, which turns ``use_directory_urls`` off, so
    ".html" paths are the default; asking MkDocs itself keeps printed QR codes in step with it.
    """
    from mkdocs.structure.files import File

    return File(src_uri, src_dir=None, dest_dir="", use_directory_urls=directory_urls).url


def procedures_in(
    catalog: Catalog, group_id: str, record: Any | None
) -> Iterator[tuple[dict, dict]]:
    """(group entry, x-procedure) of each procedure a record takes part in, in group order.

    Without a record, every procedure; with one, an optional procedure only when the record has
    its section (``x-procedure.key``).
    """
    for item in catalog.groups[group_id]["procedures"]:
        proc = catalog.procedures[item["id"]]
        optional = not item.get("required", True)
        if record is None or not optional or (isinstance(record, dict) and proc["key"] in record):
            yield item, proc


def group_parts(catalog: Catalog, group_id: str, record: Any | None) -> list[Part]:
    """The sheets of a group document, in the group's procedure order, then the checklist.

    With a record, an optional procedure counts only when the record has its section, and a form
    with an ``applies_if`` (FORM_APPLIES_IF) only when it holds. Without a record (a blank
    group), every form of every procedure is printed.
    """
    parts: list[Part] = []
    seen: set[str] = set()
    for item, proc in procedures_in(catalog, group_id, record):
        for f in proc.get("forms", []):
            if record is not None and not applies(catalog, FORM_APPLIES_IF.get(f["id"]), record):
                continue
            if f["id"] in seen:
                continue
            seen.add(f["id"])
            parts.append(Part(f["id"], item["id"]))
    parts.append(Part("checklist", None))
    return parts


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


# -- builders ------------------------------------------------------------------------------------

Builder = Callable[[Source, "str | None"], dict[str, Any]]
BUILDERS: dict[str, Builder] = {}


def form(form_id: str):
    """Register a view builder for ``form_id``; the function name is free."""

    def register(func: Builder) -> Builder:
        BUILDERS[form_id] = func
        return func

    return register


def _parent(s: Source, ptr: str) -> dict[str, Any]:
    return {
        "name": s.text(ptr + "/full_name"),
        "dob": s.date(ptr + "/dob"),
        "ethnicity": s.text(ptr + "/ethnicity"),
        "nationality": s.text(ptr + "/nationality"),
        "residence": s.address(ptr + "/residence"),
        "id": s.id_document(ptr),
    }


def _requester(s: Source) -> dict[str, Any]:
    return {
        "name": s.text("/requester/full_name"),
        "dob": s.date("/requester/dob"),
        "residence": s.address("/requester/residence"),
        "id": s.id_document("/requester"),
        "relationship": s.label("/requester/relationship"),
        "phone": s.phone("/requester/phone"),
        "email": s.text("/requester/email"),
        "gender": s.text("/requester/gender"),
        "personal_id": s.text("/requester/personal_id"),
    }


@form("to-khai-khai-sinh")
def to_khai_khai_sinh(s: Source, procedure: str | None) -> dict[str, Any]:
    """Tờ khai đăng ký khai sinh, Thông tư 04/2024/TT-BTP."""
    ks = "/khai_sinh"
    birthplace = None
    if s.has(ks + "/child/birthplace"):
        facility = s.text(ks + "/child/birthplace/facility")
        where = s.address(ks + "/child/birthplace/address")
        birthplace = ", ".join(p for p in (facility, where) if p) or None
    marriage = ks + "/marriage_certificate"
    return {
        "to": s.office(ks + "/registry_office", "Ủy ban nhân dân"),
        "requester": _requester(s),
        "child": {
            "name": s.text(ks + "/child/full_name"),
            "dob": s.date(ks + "/child/dob"),
            "dob_words": s.date_words(ks + "/child/dob"),
            "gender": s.text(ks + "/child/gender"),
            "ethnicity": s.text(ks + "/child/ethnicity"),
            "nationality": s.text(ks + "/child/nationality"),
            "birthplace": birthplace,
            "hometown": s.text(ks + "/child/hometown"),
        },
        "mother": _parent(s, ks + "/mother"),
        "father": _parent(s, ks + "/father"),
        "marriage": {
            "number": s.text(marriage + "/number"),
            "book": s.text(marriage + "/book"),
            "date": s.date(marriage + "/registered_on"),
            "at": s.text(marriage + "/registered_at"),
        },
        "copies": s.copies(ks + "/copies"),
        "signer": s.text("/requester/full_name"),
        **place_date(s),
    }


@form("to-khai-khai-tu")
def to_khai_khai_tu(s: Source, procedure: str | None) -> dict[str, Any]:
    """Tờ khai đăng ký khai tử, Thông tư 04/2024/TT-BTP."""
    kt = "/khai_tu"
    kind = s.get(kt + "/death_notice/kind")
    number = s.text(kt + "/death_notice/number")
    if kind == "giay-to-thay-the":
        # Footnote (4): for a substitute, write its name and number.
        name = s.text(kt + "/death_notice/substitute_name")
        number = " số ".join(p for p in (name, number) if p) or None
    place = s.text(kt + "/death/place")
    place_address = s.address(kt + "/death/place_address")
    death_time = s.text(kt + "/death/time")
    hour, minute = death_time.split(":", 1) if death_time and ":" in death_time else (None, None)
    return {
        "to": s.office(kt + "/registry_office", "Ủy ban nhân dân"),
        "requester": _requester(s),
        "deceased": {
            "name": s.text(kt + "/deceased/full_name"),
            "dob": s.date(kt + "/deceased/dob"),
            "gender": s.text(kt + "/deceased/gender"),
            "ethnicity": s.text(kt + "/deceased/ethnicity"),
            "nationality": s.text(kt + "/deceased/nationality"),
            "residence": s.address(kt + "/deceased/last_residence"),
            "id": s.id_document(kt + "/deceased"),
        },
        "death": {
            "hour": hour,
            "minute": minute,
            "date": s.date_parts(kt + "/death/date"),
            "place": ", ".join(p for p in (place, place_address) if p) or None,
            "cause": s.text(kt + "/death/cause"),
        },
        "notice": {
            # Footnote (4): strike "Giấy tờ thay thế Giấy báo tử" when a Giấy báo tử is given,
            # strike "Giấy báo tử" when a substitute is given; neither when blank.
            "strike_substitute": kind == "giay-bao-tu",
            "strike_notice": kind == "giay-to-thay-the",
            "number": number,
            "issued_by": s.text(kt + "/death_notice/issued_by"),
            "date": s.date_parts(kt + "/death_notice/issued_on"),
        },
        "copies": s.copies(kt + "/copies"),
        "signer": s.text("/requester/full_name"),
        **place_date(s),
    }


@form("ct01")
def ct01(s: Source, procedure: str | None) -> dict[str, Any]:
    """Tờ khai thay đổi thông tin cư trú, Mẫu CT01 (Thông tư 53/2025/TT-BCA).

    In the birth group it registers the child's permanent residence (the child is the person of
    items 1-4, the requester the declarant); in the death groups it asks to remove the deceased's
    permanent residence.
    """
    req = _requester(s)
    view: dict[str, Any] = {
        "to": None,
        "person": {"name": None, "dob": None, "gender": None, "id": digits12(None)},
        "phone": None,
        "email": None,
        "head": {"name": None, "relationship": None, "id": digits12(None)},
        "content": None,
        "members": [],
        "owner_vneid": {"name": None, "id": None},
        "parent_vneid": {"name": None, "id": None},
        "declarant": {"name": None, "place": None, "date": None},
    }
    if procedure == "thuong-tru":
        tt, ks = "/thuong_tru", "/khai_sinh/child"
        address = s.address(tt + "/address")
        vneid = s.get(tt + "/consent_via_vneid") is True
        parent = {"name": None, "id": None}
        if vneid and s.get("/requester/relationship") in ("cha", "me", "nguoi-giam-ho"):
            parent = {"name": req["name"], "id": req["personal_id"]}
        view.update(
            to=s.office(tt + "/police_office", "Công an"),
            person={
                "name": s.text(ks + "/full_name"),
                "dob": s.date(ks + "/dob"),
                "gender": s.text(ks + "/gender"),
                "id": digits12(None),  # issued with the birth registration
            },
            head=_head(s, tt + "/household_head"),
            content=f"Đăng ký thường trú tại: {address}" if address else None,
            members=_members(s, tt + "/members"),
            owner_vneid={
                "name": s.text(tt + "/owner/full_name") if vneid else None,
                "id": s.text(tt + "/owner/personal_id") if vneid else None,
            },
            parent_vneid=parent,
        )
    elif procedure == "xoa-thuong-tru":
        xt, kt = "/xoa_thuong_tru", "/khai_tu"
        died = s.date(kt + "/death/date")
        content = "Xóa đăng ký thường trú"
        address = s.address(kt + "/deceased/last_residence")
        if address:
            content += f" tại {address}"
        if died:
            content += f" (người đã chết ngày {died})"
        view.update(
            to=s.office(xt + "/police_office", "Công an"),
            person={
                "name": s.text(kt + "/deceased/full_name"),
                "dob": s.date(kt + "/deceased/dob"),
                "gender": s.text(kt + "/deceased/gender"),
                "id": digits12(s.get(kt + "/deceased/personal_id")),
            },
            head=_head(s, xt + "/household_head"),
            content=content if s.has(xt) or s.has(kt) else None,
        )
    if procedure is not None:
        view.update(
            phone=req["phone"],
            email=req["email"],
            declarant={"name": req["name"], **place_date(s)},
        )
    return view


def _head(s: Source, ptr: str) -> dict[str, Any]:
    return {
        "name": s.text(ptr + "/full_name"),
        "relationship": s.text(ptr + "/relationship"),
        "id": digits12(s.get(ptr + "/personal_id")),
    }


def _members(s: Source, ptr: str) -> list[dict[str, Any]]:
    members = s.get(ptr)
    if not isinstance(members, list):
        return []
    return [
        {
            "name": s.text(f"{ptr}/{i}/full_name"),
            "dob": s.date(f"{ptr}/{i}/dob"),
            "gender": s.text(f"{ptr}/{i}/gender"),
            "id": s.text(f"{ptr}/{i}/personal_id"),
            "relationship": s.text(f"{ptr}/{i}/relationship"),
        }
        for i in range(len(members))
    ]


@form("tk1-ts")
def tk1_ts(s: Source, procedure: str | None) -> dict[str, Any]:
    """TK1-TS for a child under 6 (QĐ 505/QĐ-BHXH as amended by QĐ 490/QĐ-BHXH).

    Two-level government: the district lines [09.2] and [14] are not printed.
    """
    ks, tt, bh = "/khai_sinh", "/thuong_tru", "/bhyt"
    registry_commune, registry_province = s.unit(ks + "/registry_office")
    guardian = s.get(bh + "/card_guardian")
    guardian_ptr = {
        "me": ks + "/mother/full_name",
        "cha": ks + "/father/full_name",
        "nguoi-yeu-cau": "/requester/full_name",
    }.get(guardian if isinstance(guardian, str) else "")
    # [12]-[15]: the postal address when results come by post, else where the child will live.
    address_ptr = (
        "/delivery/address" if s.get("/delivery/method") == "buu-chinh" else tt + "/address"
    )
    commune, province = s.unit(address_ptr)
    return {
        "name": s.upper(ks + "/child/full_name"),
        "gender": s.text(ks + "/child/gender"),
        "dob": s.date(ks + "/child/dob"),
        "nationality": s.text(ks + "/child/nationality"),
        "ethnicity": s.text(ks + "/child/ethnicity"),
        "id": None,  # the child's số định danh is issued with the birth registration
        "phone": s.phone("/requester/phone"),
        "email": s.text("/requester/email"),
        "birth_commune": registry_commune,
        "birth_province": registry_province,
        "guardian": s.text(guardian_ptr) if guardian_ptr else None,
        "delivery": s.label("/delivery/method"),
        "street": s.text(address_ptr + "/detail"),
        "commune": commune,
        "province": province,
        "primary_care": s.text(bh + "/primary_care"),
        "card_guardian": s.label(bh + "/card_guardian"),
        "signer": s.text("/requester/full_name"),
        **place_date(s),
    }


def _organiser(s: Source, ht: str) -> dict[str, Any]:
    org = ht + "/organisation"
    is_org = s.get(ht + "/organiser_kind") == "co-quan-to-chuc"
    return {
        "is_org": is_org,
        "org_name": s.text(org + "/name"),
        "org_address": s.text(org + "/address"),
        "org_rep": s.text(org + "/representative"),
        "org_position": s.text(org + "/position"),
    }


@form("mau-04-nd20")
def mau_04_nd20(s: Source, procedure: str | None) -> dict[str, Any]:
    """Tờ khai đề nghị hỗ trợ chi phí mai táng, Mẫu số 04, Nghị định 20/2021/NĐ-CP."""
    kt, ht = "/khai_tu", "/ho_tro_mai_tang"
    organiser = _organiser(s, ht)
    person = not organiser["is_org"] and procedure is not None
    req = _requester(s)
    id_number = s.text("/requester/id_document/number") or req["personal_id"]
    return {
        "deceased": {
            "name": s.upper(kt + "/deceased/full_name"),
            "dob": s.date(kt + "/deceased/dob"),
            "gender": s.text(kt + "/deceased/gender"),
            "ethnicity": s.text(kt + "/deceased/ethnicity"),
            "residence": s.address(kt + "/deceased/last_residence"),
            "died": s.date_parts(kt + "/death/date"),
            "cause": s.text(kt + "/death/cause"),
            "burial_date": s.date(ht + "/burial_date"),
            "burial_place": s.text(ht + "/burial_place"),
        },
        **organiser,
        "person": {
            "name": req["name"] if person else None,
            "dob": req["dob"] if person else None,
            "phone": req["phone"] if person else None,
            "id_number": id_number if person else None,
            "id_date": s.date("/requester/id_document/issued_on") if person else None,
            "id_by": s.text("/requester/id_document/issued_by") if person else None,
            "residence": req["residence"] if person else None,
            "relationship": req["relationship"] if person else None,
        },
        "signer": s.text("/requester/full_name") if procedure is not None else None,
        "date": s.date_parts("/filing_date"),
    }


@form("mau-2-nd176")
def mau_2_nd176(s: Source, procedure: str | None) -> dict[str, Any]:
    """Tờ khai đề nghị hỗ trợ chi phí mai táng, Mẫu số 2, Nghị định 176/2025/NĐ-CP."""
    kt, ht = "/khai_tu", "/ho_tro_mai_tang"
    organiser = _organiser(s, ht)
    req = _requester(s)
    person = not organiser["is_org"] and procedure is not None
    death_time = s.text(kt + "/death/time")
    hour, minute = death_time.split(":", 1) if death_time and ":" in death_time else (None, None)
    kind = s.get(kt + "/death_notice/kind")
    number = s.text(kt + "/death_notice/number")
    if kind == "giay-to-thay-the":
        name = s.text(kt + "/death_notice/substitute_name")
        number = " số ".join(p for p in (name, number) if p) or None
    place = s.text(kt + "/death/place")
    place_address = s.address(kt + "/death/place_address")
    pay = ht + "/payment"
    return {
        "to": s.office(kt + "/registry_office", "Chủ tịch Ủy ban nhân dân"),
        "requester": {
            "name": s.upper("/requester/full_name"),
            "residence": req["residence"],
            "id": req["personal_id"] or s.text("/requester/id_document/number"),
            "relationship": req["relationship"],
            "request": "Đề nghị hỗ trợ chi phí mai táng cho người hưởng trợ cấp hưu trí xã hội"
            if procedure is not None
            else None,
        },
        "deceased": {
            "name": s.text(kt + "/deceased/full_name"),
            "dob": s.date(kt + "/deceased/dob"),
            "gender": s.text(kt + "/deceased/gender"),
            "ethnicity": s.text(kt + "/deceased/ethnicity"),
            "nationality": s.text(kt + "/deceased/nationality"),
            "residence": s.address(kt + "/deceased/last_residence"),
            "id": s.text(kt + "/deceased/personal_id")
            or s.text(kt + "/deceased/id_document/number"),
            "hour": hour,
            "minute": minute,
            "died": s.date_parts(kt + "/death/date"),
            "place": ", ".join(p for p in (place, place_address) if p) or None,
            "cause": s.text(kt + "/death/cause"),
            "notice_number": number,
            "notice_by": s.text(kt + "/death_notice/issued_by"),
            "notice_date": s.date(kt + "/death_notice/issued_on"),
        },
        **organiser,
        "person": {
            "name": req["name"] if person else None,
            "dob": req["dob"] if person else None,
            "gender": req["gender"] if person else None,
            "id": (req["personal_id"] or s.text("/requester/id_document/number"))
            if person
            else None,
            "residence": req["residence"] if person else None,
            "relationship": req["relationship"] if person else None,
            "phone": req["phone"] if person else None,
        },
        "pay_bank": s.choice(pay + "/method", "tai-khoan"),
        "pay_cash": s.choice(pay + "/method", "tien-mat"),
        "account": {
            "holder": s.text(pay + "/account/holder"),
            "number": s.text(pay + "/account/number"),
            "bank": s.text(pay + "/account/bank"),
        },
        "signer": s.text("/requester/full_name") if procedure is not None else None,
        "date": s.date_parts("/filing_date"),
    }


def build_view(
    catalog: Catalog, form_id: str, group_id: str | None, record: Any, procedure: str | None
) -> dict[str, Any]:
    """The view of one form; ``record=None`` gives the blank form."""
    if record is None:
        return BUILDERS[form_id](Source(None, None, {}), None)
    return BUILDERS[form_id](Source(catalog, group_id, record), procedure)


# -- checklist -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    name: str
    mandatory: bool
    condition: str
    how: str | None
    procedure: str
    confidence: str


def checklist_items(catalog: Catalog, group_id: str, record: Any | None) -> Iterator[ChecklistItem]:
    """Documents to bring or upload for a group; for a record, only those that apply.

    A document applies when its procedure is part of the record (optional procedures need their
    section) and its ``applies_if`` schema holds for the whole group record.
    """
    for _, proc in procedures_in(catalog, group_id, record):
        for doc in proc["documents"]:
            if record is not None and not applies(catalog, doc.get("applies_if"), record):
                continue
            yield ChecklistItem(
                doc["name"],
                bool(doc.get("mandatory")),
                doc["condition"],
                doc.get("how"),
                proc["short_name"],
                doc.get("confidence", "verified"),
            )


def checklist_view(catalog: Catalog, group_id: str, record: Any | None) -> dict[str, Any]:
    group = catalog.groups[group_id]
    s = Source(catalog, group_id, record) if record is not None else Source(None, None, {})
    subject = s.text("/khai_sinh/child/full_name") or s.text("/khai_tu/deceased/full_name")
    subject_label = (
        "Người được khai sinh" if "khai_sinh" in catalog.schemas[group_id]["properties"] else None
    ) or "Người đã chết"
    all_items = list(checklist_items(catalog, group_id, None))
    items = list(checklist_items(catalog, group_id, record)) if record is not None else all_items
    return {
        "group_name": group["name"],
        "short_name": group["short_name"],
        "filled": record is not None,
        "requester": s.text("/requester/full_name"),
        "subject_label": subject_label,
        "subject": subject,
        "filing_date": s.date("/filing_date"),
        "delivery": s.label("/delivery/method"),
        "items": items,
        "omitted": len(all_items) - len(items),
    }


# -- examples ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """One entry of ``forms/<form-id>/examples.json`` with its record resolved."""

    form_id: str
    name: str
    description: str
    group: str
    record: Any
    valid: bool
    errors: list[dict[str, str]]


def load_examples(catalog: Catalog, forms_dir, form_id: str) -> list[Example]:
    """The examples of a form: group examples (``examples[base]``) changed by set/remove.

    ``set`` maps JSON pointers to new values (missing parents are created), ``remove`` lists
    JSON pointers to delete. Nothing is typed twice: the group's example stays the source.
    """
    import copy
    import json
    from pathlib import Path

    path = Path(forms_dir) / form_id / "examples.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for item in data["examples"]:
        record = copy.deepcopy(catalog.schemas[item["group"]]["examples"][item.get("base", 0)])
        for ptr, value in item.get("set", {}).items():
            *parents, last = _parts(ptr)
            node = record
            for part in parents:
                node = node.setdefault(part, {})
            node[last] = copy.deepcopy(value)
        for ptr in item.get("remove", []):
            *parents, last = _parts(ptr)
            node = record
            for part in parents:
                node = node[part]
            del node[last]
        out.append(
            Example(
                form_id,
                item["name"],
                item["description"],
                item["group"],
                record,
                bool(item.get("valid", True)),
                item.get("errors", []),
            )
        )
    return out
