"""Validate records against the schemas and word every error in Vietnamese.

The engine is jsonschema's Draft 2020-12 validator with three keywords
replaced or added so that errors point at the field a user must fix:

- ``required`` and ``additionalProperties`` yield one error per property, at
  that property's pointer (jsonschema reports them at the parent object);
- ``x-rules`` runs the named cross-field rules of ``generator.rules``.

``validate()`` returns ``[{"pointer", "message"}]``, one entry per pointer,
sorted by pointer. The browser validator must return the same list.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from jsonschema import Draft202012Validator, ValidationError, validators

from lienthong.schema.catalog import Catalog, for_evaluation
from lienthong.schema.formats import format_checker
from lienthong.schema.rules import RULES

DEFAULTS = {
    "required": "Chưa nhập {title}.",
    "additionalProperties": "Mục '{name}' không có trong mẫu tờ khai; hãy xóa mục này.",
    "type": "{title} không đúng kiểu dữ liệu.",
    "pattern": "{title} không đúng định dạng.",
    "format": "{title} không đúng định dạng.",
    "enum": "{title}: hãy chọn một giá trị trong danh sách.",
    "const": "{title} không đúng giá trị yêu cầu.",
    "minLength": "{title} phải có ít nhất {limit} ký tự.",
    "maxLength": "{title} dài quá {limit} ký tự.",
    "minimum": "{title} phải từ {limit} trở lên.",
    "maximum": "{title} không được quá {limit}.",
    "minItems": "{title} phải có ít nhất {limit} dòng.",
    "maxItems": "{title} có nhiều nhất {limit} dòng.",
}
# Which message to show when several keywords fail at one field.
KEYWORD_PRIORITY = {
    k: i
    for i, k in enumerate(
        [
            "type",
            "required",
            "additionalProperties",
            "const",
            "enum",
            "format",
            "pattern",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "minItems",
            "maxItems",
            "x-rules",
        ]
    )
}
ROOT_TITLE = "Hồ sơ"
TYPE_OBJECT = "{title} phải là một nhóm thông tin (đối tượng JSON trong dấu {{ }})."


def pointer(parts: Any) -> str:
    """RFC 6901 JSON pointer for a path."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _parts(ptr: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in ptr.split("/")[1:]]


def resolve_pointer(document: Any, ptr: str) -> Any:
    """Value at a JSON pointer, or None if the path does not exist."""
    node = document
    for part in _parts(ptr):
        if isinstance(node, dict):
            if part not in node:
                return None
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _required(validator, required, instance, schema) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for prop in required:
        if prop not in instance:
            yield ValidationError(f"{prop} is required", path=[prop])


def _additional(validator, additional, instance, schema) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    if additional is False:
        known = schema.get("properties", {})
        for prop in instance:
            if prop not in known:
                yield ValidationError(f"{prop} is not allowed", path=[prop])
        return
    yield from Draft202012Validator.VALIDATORS["additionalProperties"](
        validator, additional, instance, schema
    )


def _x_rules(validator, rules, instance, schema) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for spec in rules:
        verdict = RULES[spec["rule"]](lambda p: resolve_pointer(instance, p), spec["args"])
        if verdict is False:
            yield ValidationError(spec["message"], path=_parts(spec["at"]))


def ecma_anchors(pattern: str) -> str:
    """``pattern`` with each ``$`` outside a class turned into ``\\Z``.

    JSON Schema patterns are ECMA-262 regular expressions, where ``$`` matches
    only at the very end. Python's ``$`` also matches before a final newline,
    so "001203012345\\n" would pass a 12-digit pattern and print a 13th box.
    """
    out: list[str] = []
    i, class_start = 0, -1  # index where the open class's members begin
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if class_start >= 0:
            if c == "]" and i > class_start:
                class_start = -1
        elif c == "[":
            class_start = i + 2 if pattern[i + 1 : i + 2] == "^" else i + 1
        elif c == "$":
            c = "\\Z"
        out.append(c)
        i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(ecma_anchors(pattern))


def _pattern(validator, pattern, instance, schema) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _finite_number(checker, instance: Any) -> bool:
    # JSON such as 1e400 reads as infinity, which the browser's validator (Ajv with
    # strictNumbers) counts as no number: the same message on both sides. Draft 2020-12's
    # integer check already refuses infinity.
    return Draft202012Validator.TYPE_CHECKER.is_type(instance, "number") and math.isfinite(instance)


RecordValidator = validators.extend(
    Draft202012Validator,
    {
        "required": _required,
        "additionalProperties": _additional,
        "pattern": _pattern,
        "x-rules": _x_rules,
    },
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("number", _finite_number),
)


def nfc(value: Any) -> Any:
    """Return a copy with every string (keys too) in Unicode NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    return value


class Validator:
    """Validates records for one schema of a catalog."""

    def __init__(self, catalog: Catalog, schema_id: str):
        self.catalog = catalog
        self.schema = catalog.schema(schema_id)
        self._validator = RecordValidator(
            for_evaluation(self.schema), registry=catalog.registry, format_checker=format_checker()
        )

    def iter_problems(self, record: Any) -> Iterator[tuple[str, str, str]]:
        """(pointer, keyword, message) for every failing keyword."""
        for error in self._validator.iter_errors(record):
            yield pointer(error.absolute_path), error.validator, self._message(error)

    def validate(self, record: Any) -> list[dict[str, str]]:
        """One error per pointer, sorted by pointer.

        When several keywords fail at one pointer, the first by
        ``KEYWORD_PRIORITY`` wins, then the smallest message: a rule that does
        not depend on evaluation order, so the browser can reproduce it.
        """
        record = nfc(record)
        best: dict[str, tuple[int, str]] = {}
        for ptr, keyword, message in self.iter_problems(record):
            rank = (KEYWORD_PRIORITY.get(keyword, len(KEYWORD_PRIORITY)), message)
            if ptr not in best or rank < best[ptr]:
                best[ptr] = rank
        return [{"pointer": p, "message": best[p][1]} for p in sorted(best)]

    # -- messages ---------------------------------------------------------

    def _message(self, error: ValidationError) -> str:
        keyword = error.validator
        ptr_parts = list(error.absolute_path)
        if keyword == "x-rules":
            return error.message
        chain = self.field_chain(ptr_parts)
        title = next((s["title"] for s in chain if isinstance(s.get("title"), str)), ROOT_TITLE)
        if keyword in ("required", "additionalProperties"):
            # error.schema is the parent object's schema; the field is the last part.
            own = error.schema.get("x-messages", {}).get(keyword)
            template = own or next(
                (s["x-messages"][keyword] for s in chain if keyword in s.get("x-messages", {})),
                DEFAULTS[keyword],
            )
            return template.format(title=title, name=ptr_parts[-1] if ptr_parts else "")
        sources = [error.schema, *chain]
        template = next(
            (s["x-messages"][keyword] for s in sources if keyword in s.get("x-messages", {})),
            None,
        )
        if template is None:
            if keyword == "type" and error.validator_value == "object":
                template = TYPE_OBJECT
            elif keyword == "minLength" and error.validator_value == 1:
                template = DEFAULTS["required"]
            else:
                template = DEFAULTS.get(keyword, "{title} không hợp lệ.")
        return template.format(title=title, limit=error.validator_value)

    def field_chain(self, parts: list) -> list[dict]:
        """Schemas that describe the field at ``parts``, outermost first.

        Follows ``properties``/``items`` from the root and expands ``$ref``,
        so a title written beside a ``$ref`` wins over the referenced one.
        """
        return _field_chain(self.catalog, self.schema, tuple(str(p) for p in parts))


def _expand(catalog: Catalog, schema: dict, base: str) -> list[tuple[dict, str]]:
    """[schema, referenced schema, ...] with the base URI each one lives in."""
    out = [(schema, base)]
    seen = 0
    while isinstance(schema.get("$ref"), str) and seen < 20:
        ref = schema["$ref"]
        doc_uri, _, frag = ref.partition("#")
        target_base = base if not doc_uri else _join(base, doc_uri)
        resolved = catalog.registry.resolver(base_uri=target_base).lookup("#" + frag)
        schema, base = resolved.contents, target_base
        out.append((schema, base))
        seen += 1
    return out


def expand_properties(
    catalog: Catalog, pairs: list[tuple[dict, str]]
) -> dict[str, list[tuple[dict, str]]]:
    """Property name -> its schemas (``$ref`` expanded, outer first) for the value that
    ``pairs`` (an ``_expand`` chain) describe, in the referenced definition's order."""
    order: list[str] = []
    for schema, _ in reversed(pairs):
        for name in schema.get("properties", {}):
            if name not in order:
                order.append(name)
    out: dict[str, list[tuple[dict, str]]] = {}
    for name in order:
        found: list[tuple[dict, str]] = []
        for schema, base in pairs:
            sub = schema.get("properties", {}).get(name)
            if isinstance(sub, dict):
                found += _expand(catalog, sub, base)
        out[name] = found
    return out


def _join(base: str, rel: str) -> str:
    return urljoin(base, rel)


def _field_chain(catalog: Catalog, root: dict, parts: tuple[str, ...]) -> list[dict]:
    level = _expand(catalog, root, root.get("$id", ""))
    for part in parts:
        nxt: list[tuple[dict, str]] = []
        for schema, base in level:
            props = schema.get("properties")
            if isinstance(props, dict) and part in props:
                nxt += _expand(catalog, props[part], base)
            elif part.isdigit() and isinstance(schema.get("items"), dict):
                nxt += _expand(catalog, schema["items"], base)
        if not nxt:
            return []
        level = nxt
    return [s for s, _ in level]


_VALIDATORS: dict[tuple[int, str], Validator] = {}


def validator_for(catalog: Catalog, schema_id: str) -> Validator:
    """Cached Validator (compiling the schema takes longer than validating)."""
    key = (id(catalog), schema_id)
    if key not in _VALIDATORS:
        _VALIDATORS[key] = Validator(catalog, schema_id)
    return _VALIDATORS[key]
