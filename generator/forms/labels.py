"""The enum labels a form prints (``as: label``, and the document type of ``as: id-document``),
as one table per group: ``{pattern: {enum value: x-enum-labels entry}}``. Python and the browser
read the same table, so a label is the same on paper and on screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lienthong.schema.catalog import Catalog
from lienthong.schema.validation import validator_for


def expressions(fields: dict[str, Any], ptr: str = "/fields") -> Iterator[tuple[str, dict]]:
    """(JSON pointer in the fields file, expression) of every expression, outermost first."""
    for name, expr in fields.items():
        at = f"{ptr}/{name}"
        yield from _walk(expr, at)


def _walk(expr: dict[str, Any], at: str) -> Iterator[tuple[str, dict]]:
    yield at, expr
    if "fields" in expr:
        yield from expressions(expr["fields"], at + "/fields")
    for key in ("of", "first"):
        for i, sub in enumerate(expr.get(key, [])):
            yield from _walk(sub, f"{at}/{key}/{i}")


def label_patterns(fields: dict[str, Any]) -> list[str]:
    """The pointers (``*`` for list items) whose enum values a form prints as labels."""
    out: list[str] = []
    for _, expr in expressions(fields):
        kind, ptr = expr.get("as"), expr.get("from")
        if ptr is None:
            continue
        found = (
            ptr if kind == "label" else ptr + "/id_document/type" if kind == "id-document" else None
        )
        if found and found not in out:
            out.append(found)
    return out


def label_table(catalog: Catalog, group_id: str, patterns: list[str]) -> dict[str, dict[str, str]]:
    """{pattern: {value: label}} from ``enum`` and ``x-enum-labels`` of the group's schema; the
    first schema along the field's chain that labels a value wins."""
    validator = validator_for(catalog, group_id)
    out: dict[str, dict[str, str]] = {}
    for pattern in patterns:
        parts = ["0" if p == "*" else p for p in pattern.split("/")[1:]]
        table: dict[str, str] = {}
        for schema in validator.field_chain(parts):
            enum, labels = schema.get("enum"), schema.get("x-enum-labels")
            if not (isinstance(enum, list) and isinstance(labels, list)):
                continue
            for value, label in zip(enum, labels, strict=False):
                if isinstance(value, str) and isinstance(label, str):
                    table.setdefault(value, label)
        if table:
            out[pattern] = table
    return out
