"""What each printed declaration shows, computed from one group record.

A group record (``schemas/<group>.schema.json``) holds the requester once and one section per
procedure. Every printed form is a *view* of that record: a dict of display strings built by the
form's builder, registered by form id in ``BUILDERS`` (the form's folder ``forms/<id>/`` holds the
template that lays the view out). A blank form is the same builder run on an empty record, so
blank and filled forms always share one layout.

Builders never raise on odd input: with ``--allow-incomplete`` a record may miss fields or carry
values of the wrong type, and whatever cannot be shown is left blank.

This module holds the builders; ``Source`` (source.py) reads the record's fields as display
strings, and sheets.py knows which forms a group prints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lienthong.printing.sheets import (
    CHECKLIST_PREFIX,
    FORM_APPLIES_IF,
    FORM_PAGES,
    Example,
    catalog_forms,
    checklist_items,
    checklist_view,
    group_page,
    group_parts,
    guess_group,
    load_examples,
    page_url,
    procedure_page,
)
from lienthong.printing.source import Source, digits12, place_date
from lienthong.schema.catalog import Catalog

# The view builders are here; callers also reach, through this module, what sheets.py and
# source.py hold (the forms of the catalog, the checklist, Source).
__all__ = [
    "BUILDERS",
    "CHECKLIST_PREFIX",
    "FORM_APPLIES_IF",
    "FORM_PAGES",
    "Example",
    "Source",
    "build_view",
    "catalog_forms",
    "checklist_items",
    "checklist_view",
    "group_page",
    "group_parts",
    "guess_group",
    "load_examples",
    "page_url",
    "procedure_page",
]


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
