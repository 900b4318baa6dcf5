"""What each printed sheet shows, computed from one group record.

A group record (``schemas/<group>.schema.json``) holds the requester once and one section per
procedure. Every printed form is a *view* of that record: a dict of display strings that the
form's ``forms/<id>/fields.yml`` declares, field by field, and ``lienthong.forms.view``
computes. A blank form is the same fields evaluated on no record, so blank and filled forms
always share one layout.

``Views`` holds the fields files of one forms folder and gives the views of its forms and of
the checklist; sheets.py knows which forms a group prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from lienthong.forms.labels import label_patterns, label_table
from lienthong.forms.spec import CHECKLIST, FormSpec, FormSpecs
from lienthong.forms.view import Record, evaluate_fields
from lienthong.printing.sheets import (
    CHECKLIST_PREFIX,
    Example,
    catalog_forms,
    checklist_items,
    group_page,
    group_parts,
    guess_group,
    load_examples,
    page_url,
    procedure_page,
)
from lienthong.recordcode import codec, draw
from lienthong.schema.catalog import Catalog

# Callers reach, through this module, what sheets.py holds (the forms of the catalog, the
# checklist's documents, the examples).
__all__ = [
    "CHECKLIST_PREFIX",
    "Example",
    "Views",
    "catalog_forms",
    "checklist_items",
    "group_page",
    "group_parts",
    "guess_group",
    "load_examples",
    "page_url",
    "procedure_page",
]


class Views:
    """The views of the forms of ``forms_dir`` (their fields files, each read once)."""

    def __init__(self, catalog: Catalog, forms_dir: Path):
        self.catalog = catalog
        self.specs = FormSpecs(catalog, forms_dir)
        self._labels: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
        self._code_layouts: dict[str, codec.Layout] = {}

    def spec(self, form_id: str) -> FormSpec:
        return self.specs[form_id]

    def pages(self, form_id: str) -> int:
        return self.specs[form_id].pages

    def applies_if(self, form_id: str) -> dict | None:
        return self.specs[form_id].applies_if

    def labels(self, form_id: str, group_id: str) -> dict[str, dict[str, str]]:
        """The label table of a form's ``label`` fields in one group (labels.py)."""
        key = (form_id, group_id)
        if key not in self._labels:
            patterns = label_patterns(self.specs[form_id].fields)
            self._labels[key] = label_table(self.catalog, group_id, patterns)
        return self._labels[key]

    def record(self, form_id: str, group_id: str | None, record: Any, procedure: str | None):
        """The record as the fields' expressions read it; ``record=None``: the blank form."""
        if record is None:
            return Record(None)
        if group_id is None:
            return Record(record, {}, procedure)
        sections = frozenset(self.catalog.schemas[group_id].get("properties", {}))
        return Record(record, self.labels(form_id, group_id), procedure, sections)

    def form_view(
        self, form_id: str, group_id: str | None, record: Any, procedure: str | None
    ) -> dict[str, Any]:
        """The view of one form; ``record=None`` gives the blank form."""
        r = self.record(form_id, group_id, record, procedure if record is not None else None)
        return evaluate_fields(self.specs[form_id].fields, r)

    def code_layout(self, group_id: str) -> codec.Layout:
        if group_id not in self._code_layouts:
            self._code_layouts[group_id] = codec.layout(self.catalog, group_id)
        return self._code_layouts[group_id]

    def record_codes(self, group_id: str, record: Any) -> list[str]:
        """The texts of the QR codes that carry ``record`` (recordcode.codec)."""
        return codec.encode(record, self.code_layout(group_id))

    def checklist_view(
        self, group_id: str, record: Any | None, codes: list[str] | None = None
    ) -> dict[str, Any]:
        """The checklist of a group: the fields file's part, then the program's (``context``).

        A filled checklist carries the record codes: ``codes`` (their texts) when given, else
        the texts this record encodes to."""
        group = self.catalog.groups[group_id]
        sections = frozenset(self.catalog.schemas[group_id].get("properties", {}))
        r = Record(
            record,
            self.labels(CHECKLIST, group_id) if record is not None else {},
            "" if record is not None else None,  # filled, serving no one procedure
            sections,
        )
        all_items = list(checklist_items(self.catalog, group_id, None))
        items = (
            list(checklist_items(self.catalog, group_id, record))
            if record is not None
            else all_items
        )
        context = {
            "group_name": group["name"],
            "short_name": group["short_name"],
            "filled": record is not None,
            "items": items,
            "omitted": len(all_items) - len(items),
            "codes": code_figures(
                codes if codes is not None else self.record_codes(group_id, record)
            )
            if record is not None
            else [],
        }
        return {**evaluate_fields(self.specs[CHECKLIST].fields, r), **context}


def code_figures(texts: list[str]) -> list[Markup]:
    """The record codes as the checklist prints them (draw.py), each named "Mã i/n"."""
    n = len(texts)
    return [draw.figure(t, f"Mã hồ sơ {i}/{n}") for i, t in enumerate(texts, 1)]
