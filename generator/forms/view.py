"""The interpreter of ``forms/<id>/fields.yml``: what a printed form shows, from one group record.

A fields file maps every name the form's template prints to an *expression* (forms/README.md):

- ``{from: /pointer, as: formatter}``: one value of the record, written by a formatter
  (formatters.py; ``as`` defaults to ``text``), with an optional ``prefix``/``suffix`` around a
  non-blank result;
- ``{value: "..."}``: fixed text (or ``null``);
- ``{join: ", ", of: [...]}``: the non-blank results joined, blank when none;
- ``{first: [...]}``: the first alternative whose ``when`` holds and whose result is not blank;
- ``{fields: {...}}``: a group of names (``v.child.name``);
- ``{each: /pointer, fields: {...}}``: one group per item of a list, ``*`` in the pointers
  standing for the item's index.

Any expression may carry ``when``, a condition on the record (``field`` with ``equals``, ``in``
or ``present``; ``procedure``; ``filled``; ``section``; ``all``, ``any``, ``not``). When it does
not hold, the expression gives its blank: what its formatter shows with no value (empty boxes,
unticked checkbox), an empty list for ``each``, ``None`` otherwise.

``assets/form/fields.js`` is the same interpreter for the browser; both read the same data, so
the browser's print agrees with the PDFs by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lienthong.forms.formatters import FORMATTERS, same
from lienthong.schema.validation import nfc, resolve_pointer


@dataclass
class Record:
    """The record being printed, as the fields' expressions and conditions see it."""

    data: Any
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # pattern -> value -> label
    procedure: str | None = None  # the procedure this form serves in the record; None: blank
    sections: frozenset[str] = frozenset()  # top-level properties of the group's schema

    def __post_init__(self) -> None:
        self.data = nfc(self.data) if self.data is not None else {}

    @property
    def filled(self) -> bool:
        return self.procedure is not None

    def get(self, ptr: str | None) -> Any:
        if ptr is None or not isinstance(self.data, dict):
            return None
        return resolve_pointer(self.data, ptr)

    def label(self, pattern: str, value: str) -> str:
        return self.labels.get(pattern, {}).get(value, value)


def evaluate_fields(fields: dict[str, Any], r: Record, index: list[int] | None = None) -> dict:
    """The view of a ``fields`` mapping: name -> display value."""
    return {name: evaluate(expr, r, index or []) for name, expr in fields.items()}


def evaluate(expr: dict[str, Any], r: Record, index: list[int]) -> Any:
    if "when" in expr and not holds(expr["when"], r, index):
        return blank(expr)
    if "fields" in expr and "each" not in expr:
        return evaluate_fields(expr["fields"], r, index)
    if "each" in expr:
        items = r.get(_at(expr["each"], index))
        if not isinstance(items, list):
            return []
        return [evaluate_fields(expr["fields"], r, [*index, i]) for i in range(len(items))]
    if "first" in expr:
        for option in expr["first"]:
            if "when" in option and not holds(option["when"], r, index):
                continue
            value = evaluate(option, r, index)
            if value is not None:
                return value
        return None
    if "join" in expr:
        parts = [evaluate(part, r, index) for part in expr["of"]]
        value = expr["join"].join(p for p in parts if isinstance(p, str) and p) or None
    elif "value" in expr:
        value = expr["value"]
    else:
        ptr = expr.get("from")
        opts = {**expr, "pattern": ptr or ""}
        value = FORMATTERS[expr.get("as", "text")](r, _at(ptr, index), opts)
    if isinstance(value, str) and value:
        value = expr.get("prefix", "") + value + expr.get("suffix", "")
    return value


def blank(expr: dict[str, Any]) -> Any:
    """What an expression shows when its ``when`` does not hold."""
    if "each" in expr:
        return []
    if "fields" in expr:
        return {name: blank(sub) for name, sub in expr["fields"].items()}
    if "first" in expr or "join" in expr or "value" in expr:
        return None
    return FORMATTERS[expr.get("as", "text")](Record(None), None, {**expr, "pattern": ""})


def holds(cond: dict[str, Any], r: Record, index: list[int]) -> bool:
    if "all" in cond:
        return all(holds(c, r, index) for c in cond["all"])
    if "any" in cond:
        return any(holds(c, r, index) for c in cond["any"])
    if "not" in cond:
        return not holds(cond["not"], r, index)
    if "procedure" in cond:
        return r.procedure == cond["procedure"]
    if "filled" in cond:
        return r.filled is cond["filled"]
    if "section" in cond:
        return cond["section"] in r.sections
    value = r.get(_at(cond["field"], index))
    if "equals" in cond:
        return same(value, cond["equals"])
    if "in" in cond:
        return any(same(value, option) for option in cond["in"])
    return (value is not None) is cond["present"]


def _at(ptr: str | None, index: list[int]) -> str | None:
    """``ptr`` with each ``*`` replaced by the index of the enclosing ``each`` item."""
    if ptr is None or "*" not in ptr:
        return ptr
    parts = ptr.split("/")
    it = iter(index)
    return "/".join(str(next(it, "*")) if p == "*" else p for p in parts)
