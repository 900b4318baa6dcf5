"""Load the schema files into a catalog: schemas by id, procedures, groups.

Loading never raises on the first problem: it collects every unreadable file
and reports them together (see ``errors.CheckFailed``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from lienthong.errors import CheckFailed, Problem, UnknownSchema
from lienthong.inputs.files import MB, parse_json, read_text
from lienthong.schema import dated

BASE_URI = "https://lienthong.invalid/schemas/"
SUFFIX = ".schema.json"


SCHEMA_MAX_BYTES = 5 * MB


def read_json(path: Path, display: str | None = None, max_bytes: int = SCHEMA_MAX_BYTES) -> Any:
    """Parse a JSON file or raise CheckFailed naming the file (and line and column)."""
    name = display or str(path)
    return parse_json(read_text(path, name, max_bytes), name)


@dataclass
class Catalog:
    """Every schema of a project, indexed by id (the file name without suffix)."""

    root: Path
    schemas: dict[str, dict] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    meta: dict[str, dict] = field(default_factory=dict)
    # The day the catalog is read as of (generator/schema/dated.py): procedures and groups hold only
    # the facts in force that day; ``schemas`` keeps every dated fact for check and the
    # announcements.
    day: dt.date = field(default_factory=dated.build_day)
    # procedures and groups as of ``day``, made on first use: resolving on every access cost
    # two thirds of the time to lay out a group's sheets (23 accesses of 0.5 ms a record).
    # A copy starts without it, so a copied catalog edited before use shows its edits; edit a
    # catalog's schemas only before reading its procedures or groups.
    _resolved: dict = field(default_factory=dict, repr=False, compare=False)

    def __deepcopy__(self, memo: dict) -> Catalog:
        import copy

        fresh = Catalog(
            root=self.root,
            schemas=copy.deepcopy(self.schemas, memo),
            files=dict(self.files),
            meta=copy.deepcopy(self.meta, memo),
            day=self.day,
        )
        return fresh

    def _as_of(self, part: str) -> dict[str, dict]:
        key = (part, self.day)
        if key not in self._resolved:
            self._resolved[key] = {
                k: dated.resolve(s[part], self.day)
                for k, s in self.schemas.items()
                if isinstance(s.get(part), dict)
            }
        return self._resolved[key]

    @cached_property
    def registry(self) -> Registry:
        # Root "$schema" is dropped: jsonschema re-picks the validator class
        # from it when following a $ref, which would lose our keywords.
        resources = [
            (s["$id"], Resource.from_contents(for_evaluation(s), default_specification=DRAFT202012))
            for s in self.schemas.values()
            if isinstance(s, dict) and isinstance(s.get("$id"), str)
        ]
        return Registry().with_resources(resources).crawl()

    @property
    def procedures(self) -> dict[str, dict]:
        return dict(self._as_of("x-procedure"))

    @property
    def bases(self) -> dict[str, dict]:
        """The dated base tables (``x-bases``) of every schema, by slug. Not resolved to the
        build's day: an amount is computed for the month of its event, which may be earlier."""
        return {k: v for s in self.schemas.values() for k, v in s.get("x-bases", {}).items()}

    @property
    def groups(self) -> dict[str, dict]:
        order = ["lien-thong-khai-sinh", "lien-thong-khai-tu", "khai-tu-xoa-thuong-tru"]
        found = self._as_of("x-group")
        return {
            k: found[k]
            for k in sorted(found, key=lambda k: (order.index(k) if k in order else 99, k))
        }

    def schema(self, schema_id: str) -> dict:
        try:
            return self.schemas[schema_id]
        except KeyError:
            known = ", ".join(sorted(self.schemas))
            raise UnknownSchema(f"không có biểu mẫu '{schema_id}'. Các mã có: {known}.") from None

    def procedure_by_key(self, key: str) -> tuple[str, dict] | None:
        for pid, proc in self.procedures.items():
            if proc.get("key") == key:
                return pid, proc
        return None


def for_evaluation(schema: dict) -> dict:
    """The schema without its root ``$schema`` keyword (see Catalog.registry)."""
    return {k: v for k, v in schema.items() if k != "$schema"}


def _nfc_problems(path: str, text: str) -> list[Problem]:
    if unicodedata.is_normalized("NFC", text):
        return []
    return [
        Problem(
            path,
            "",
            "tệp có chữ tiếng Việt không ở dạng Unicode NFC; lưu lại ở dạng NFC (dựng sẵn).",
        )
    ]


def load_catalog(root: Path, day: dt.date | None = None) -> Catalog:
    """Read every ``*.schema.json`` under ``root`` (and ``root/meta``), as of ``day``
    (default: ``dated.build_day()``)."""
    catalog = Catalog(root=root, day=day or dated.build_day())
    problems: list[Problem] = []
    if not root.is_dir():
        raise CheckFailed([Problem(str(root), "", "không thấy thư mục schemas.")])
    for path in sorted(root.glob(f"*{SUFFIX}")) + sorted((root / "meta").glob(f"*{SUFFIX}")):
        display = (
            path.relative_to(root.parent).as_posix() if root.parent in path.parents else str(path)
        )
        try:
            text = read_text(path, display, SCHEMA_MAX_BYTES)
            data = parse_json(text, display)
        except CheckFailed as exc:
            problems += exc.problems
            continue
        problems += _nfc_problems(display, text)
        if not isinstance(data, dict):
            problems.append(Problem(display, "", "schema phải là một đối tượng JSON."))
            continue
        sid = path.name[: -len(SUFFIX)]
        expected = BASE_URI + ("meta/" if path.parent.name == "meta" else "") + path.name
        if data.get("$id") != expected:
            problems.append(Problem(display, "/$id", f"$id phải là '{expected}' (trùng tên tệp)."))
        target = catalog.meta if path.parent.name == "meta" else catalog.schemas
        target[sid] = data
        catalog.files[sid] = display
    if problems:
        raise CheckFailed(problems)
    return catalog
