"""Where each fact comes from and when it was last checked (issue "Trust").

A fact's date is its own ``checked`` when it has one, else the ``checked`` of the procedure or
group that holds it (schemas/VOCABULARY.md); documents, legal documents and forms carry no date
of their own and take their owner's. The guide pages (``generator/site/pages.py``), the PDF footers
(``generator/printing/render_pdf.py``) and the offline form (``generator/offline/form.py``) word sources
and dates through these helpers, so all three say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

# Parts of an x-procedure or x-group that hold sourced items: one item, or a list of them.
SOURCED = (
    "agency",
    "who",
    "deadline",
    "audience",
    "case_types",
    "documents",
    "processing_time",
    "fee",
    "amounts",
    "forms",
    "notes",
    "benefits",
    "warnings",
    "legal_basis",
    "national_code",
)
UNVERIFIED = " (cần kiểm tra lại)"


def date_vi(value: str) -> str:
    """An ISO date as Vietnamese readers write it: "2026-11-23" -> "23/11/2026"."""
    return dt.date.fromisoformat(value).strftime("%d/%m/%Y")


def checked(item: Mapping[str, Any], default: str) -> str:
    """When ``item`` was last checked: its own ``checked``, else ``default`` (its owner's)."""
    own = item.get("checked")
    return own if isinstance(own, str) else default


def sourced(annotation: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(pointer below the annotation, item) of every item of an x-procedure or x-group that
    names a source, in SOURCED order."""
    for key in SOURCED:
        value = annotation.get(key)
        if isinstance(value, Mapping):
            yield f"/{key}", value
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield f"/{key}/{i}", item


def dates(annotation: Mapping[str, Any]) -> list[str]:
    """Every date an x-procedure's or x-group's items were last checked, oldest first."""
    own = annotation["checked"]
    return sorted({own, *(checked(item, own) for _, item in sourced(annotation))})


def group_dates(group: Mapping[str, Any], procedures: Iterable[Mapping[str, Any]]) -> list[str]:
    """``dates`` of a group and of its procedures together, oldest first."""
    found = set(dates(group))
    for proc in procedures:
        found.update(dates(proc))
    return sorted(found)


def when(days: Iterable[str]) -> str:
    """ "ngày 23/11/2026", or "từ ngày 01/10/2026 đến ngày 23/11/2026" when the dates differ."""
    ordered = sorted(set(days))
    if len(ordered) == 1:
        return f"ngày {date_vi(ordered[0])}"
    return f"từ ngày {date_vi(ordered[0])} đến ngày {date_vi(ordered[-1])}"


def reviewed(days: Iterable[str]) -> str:
    """The sentence printed forms end their source line with."""
    return f"Thông tin rà soát {when(days)}."


def cite(document: Mapping[str, Any]) -> str:
    """A legal document's number, marked when it is still unverified."""
    mark = UNVERIFIED if document.get("confidence") == "unverified" else ""
    return document["document"] + mark


def form_line(title: str, issued_with: str, procedure: Mapping[str, Any], form_id: str) -> str:
    """Footer of a printed declaration: the form, the act that issued it, and the date."""
    entry = next((f for f in procedure.get("forms", []) if f.get("id") == form_id), {})
    day = checked(entry, procedure["checked"])
    return f"{title}, ban hành kèm theo {issued_with}. {reviewed([day])}"


def checklist_line(group: Mapping[str, Any], procedures: Iterable[Mapping[str, Any]]) -> str:
    """Footer of a group's documents checklist: where the list comes from, and its dates.

    The same for a blank and a filled checklist (the browser print takes it from build-time
    data), so it covers every procedure of the group.
    """
    days = [group["checked"]]
    for proc in procedures:
        days += [checked(doc, proc["checked"]) for doc in proc["documents"]]
    laws = "; ".join(cite(d) for d in group.get("legal_basis", []))
    basis = f" (căn cứ: {laws})" if laws else ""
    return (
        f"Danh mục giấy tờ: {group['short_name']}. Lập từ thành phần hồ sơ của các thủ tục "
        f"trong nhóm{basis}; nguồn của từng giấy tờ ghi ở trang hướng dẫn. {reviewed(days)} "
        "Đối chiếu với Cổng dịch vụ công khi nộp."
    )


def basis_line(procedure: Mapping[str, Any]) -> str:
    """One line on a procedure's legal basis, its forms' issuing acts and its dates."""
    laws = "; ".join(cite(d) for d in procedure["legal_basis"])
    acts = list(dict.fromkeys(f["issued_with"] for f in procedure.get("forms", [])))
    forms = f" Mẫu tờ khai theo {'; '.join(acts)}." if acts else ""
    return f"Căn cứ: {laws}.{forms} {reviewed(dates(procedure))}"
