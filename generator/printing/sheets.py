"""The sheets a group prints: the catalog's forms and which apply to a record, the guide
pages their QR codes open, the checklist and the forms' example records."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from lienthong.schema.catalog import Catalog
from lienthong.schema.check import applies
from lienthong.schema.validation import _parts
from lienthong.site import pages

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


def group_parts(
    catalog: Catalog,
    group_id: str,
    record: Any | None,
    applies_if: Callable[[str], dict | None],
) -> list[Part]:
    """The sheets of a group document, in the group's procedure order, then the checklist.

    With a record, an optional procedure counts only when the record has its section, and a form
    with an ``applies_if`` (its fields file's, given by ``applies_if(form_id)``) only when it
    holds. Without a record (a blank
    group), every form of every procedure is printed.
    """
    parts: list[Part] = []
    seen: set[str] = set()
    for item, proc in procedures_in(catalog, group_id, record):
        for f in proc.get("forms", []):
            if record is not None and not applies(catalog, applies_if(f["id"]), record):
                continue
            if f["id"] in seen:
                continue
            seen.add(f["id"])
            parts.append(Part(f["id"], item["id"]))
    parts.append(Part("checklist", None))
    return parts


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
