"""The catalog as Ajv reads it, with the Python validator's messages: annotations stripped,
patterns rewritten for Python's semantics (``js_pattern``), each keyword's message code in
``x-msg`` (``prepared_schemas``), and the per-field message tree the runtime reads
(``message_tree``). validator_js.py compiles and bundles the result."""

from __future__ import annotations

import copy
import string
from typing import Any

from lienthong.errors import LienThongError
from lienthong.schema.catalog import BASE_URI, Catalog, for_evaluation
from lienthong.schema.formats import FORMATS
from lienthong.schema.rules import RULES
from lienthong.schema.validation import (
    DEFAULTS,
    KEYWORD_PRIORITY,
    TYPE_OBJECT,
    _parts,
    pointer,
    validator_for,
)

# Median time of one validation, in µs, run in the page that loaded the validator.
# performance.now() is coarse in Chromium, so runs are timed in batches of 50.
ANNOTATIONS = {
    "$schema",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "contentEncoding",
    "contentMediaType",
    "x-messages",
    "x-enum-labels",
    "x-source",
    "x-checked",
    "x-procedure",
    "x-group",
    "x-print",
}
# Keywords that report errors, with the message code of validation.Validator._message.
ASSERTIONS = (set(KEYWORD_PRIORITY) - {"x-rules"}) | {
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minProperties",
    "maxProperties",
    "not",
}
# Keywords whose subschemas are walked.
SCHEMA_MAPS = {"properties", "$defs", "definitions"}
SCHEMA_ONE = {"items", "if", "then", "else", "not"}
SCHEMA_LISTS = {"allOf"}
OTHER_OK = {"$id", "$ref", "x-rules"}
# Standard keywords the port does not cover: Ajv and jsonschema report them differently.
UNSUPPORTED = {
    "anyOf",
    "oneOf",
    "dependentSchemas",
    "dependentRequired",
    "dependencies",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "patternProperties",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "multipleOf",
    "uniqueItems",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
    "$vocabulary",
    "contentSchema",
}
# Placeholders for the format fields (runtime.js fill()).
FIELDS = {"title": "\x01", "limit": "\x02", "name": "\x03"}
NAMED = {"required", "additionalProperties"}  # formatted with title and name, not limit
GENERIC = "{title} không hợp lệ."
UNIT_PREFIXES = {"Xã ": "X", "Phường ": "P", "Đặc khu ": "D"}
# Schema ids inside the generated code: same paths, no http(s) URL in the file.
JS_BASE_URI = "lienthong:/schemas/"


def _js_uri(uri: Any) -> Any:
    if isinstance(uri, str) and uri.startswith(BASE_URI):
        return JS_BASE_URI + uri[len(BASE_URI) :]
    return uri


class ValidatorBuildError(LienThongError):
    """The schemas use something the browser validator cannot reproduce."""


# ---------------------------------------------------------------- templates


def _template(text: Any, keyword: str, where: str) -> str:
    """A Python ``str.format`` template as runtime.js fill() reads it."""
    if not isinstance(text, str):
        raise ValidatorBuildError(f"{where}: thông báo của '{keyword}' phải là chuỗi.")
    allowed = {"title", "name"} if keyword in NAMED else {"title", "limit"}
    out = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValidatorBuildError(f"{where}: thông báo '{text}' sai cú pháp ({exc}).") from None
    for literal, field, spec, conversion in parsed:
        if any(c in literal for c in "\x00\x01\x02\x03"):
            raise ValidatorBuildError(f"{where}: thông báo '{text}' có ký tự điều khiển.")
        out.append(literal)
        if field is None:
            continue
        if field not in allowed or spec or conversion:
            raise ValidatorBuildError(
                f"{where}: thông báo '{text}' dùng '{{{field}}}'; với '{keyword}' chỉ dùng được "
                + ", ".join("{" + f + "}" for f in sorted(allowed))
                + "."
            )
        out.append(FIELDS[field])
    return "".join(out)


# ---------------------------------------------------------------- patterns


def js_pattern(pattern: str, where: str = "") -> str:
    """Rewrite a Python ``re`` pattern so that JavaScript (flag "u") matches the same strings.

    ``$`` stays (the Python validator reads it as ``\\Z``, see
    ``validation.ecma_anchors``), ``.`` becomes ``[^\\n]``, ``\\Z``/``\\A`` become ``$``/``^``, escaped punctuation
    becomes ``\\u{..}``. Constructs whose meaning differs between the two engines
    (``\\d``, ``\\w``, ``\\s``, ``\\b``, inline flags, named groups, back-references)
    stop the build.
    """

    def fail(what: str) -> ValidatorBuildError:
        return ValidatorBuildError(
            f"{where}: mẫu '{pattern}' dùng {what}, trình kiểm tra trên trình duyệt không hiểu "
            "giống Python; hãy viết lại (ví dụ [0-9] thay cho \\d)."
        )

    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    class_start = 0
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                raise fail("dấu \\ ở cuối")
            e = pattern[i + 1]
            i += 2
            if e in "nrtfv":
                out.append("\\" + e)
            elif e == "a":
                out.append("\\x07")
            elif e == "x":
                digits = pattern[i : i + 2]
                if len(digits) != 2 or not all(d in string.hexdigits for d in digits):
                    raise fail("\\x sai")
                out.append("\\x" + digits)
                i += 2
            elif e in "uU":
                size = 4 if e == "u" else 8
                digits = pattern[i : i + size]
                if len(digits) != size or not all(d in string.hexdigits for d in digits):
                    raise fail(f"\\{e} sai")
                out.append(f"\\u{{{int(digits, 16):x}}}")
                i += size
            elif e == "Z" and not in_class:
                out.append("$")
            elif e == "A" and not in_class:
                out.append("^")
            elif e.isascii() and e.isalnum():
                raise fail(f"\\{e}")
            else:
                out.append(f"\\u{{{ord(e):x}}}")
            continue
        if in_class:
            if c == "]" and i > class_start:
                in_class = False
            elif c == "[" and pattern[i + 1 : i + 2] == ":":
                raise fail("lớp POSIX [:...:]")
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if pattern[i : i + 1] == "^":
                out.append("^")
                i += 1
            class_start = i  # a "]" right here is a literal
            if pattern[i : i + 1] == "]":
                out.append("\\]")
                i += 1
            continue
        if c == "$":
            out.append("$")
        elif c == ".":
            out.append("[^\\n]")
        elif c == "(" and pattern[i + 1 : i + 2] == "?":
            ahead = pattern[i + 2 : i + 4]
            if not (ahead[:1] in (":", "=", "!") or ahead in ("<=", "<!")):
                raise fail("nhóm (?...) đặc biệt")
            out.append(c)
        elif c == "{":
            close = pattern.find("}", i)
            body = pattern[i + 1 : close] if close > 0 else ""
            lo, _, hi = body.partition(",")
            if (
                close < 0
                or not (lo.isdigit() or (lo == "" and "," in body))
                or not (hi == "" or hi.isdigit())
            ):
                raise fail("dấu { không phải là lượng từ")
            if not (lo.isascii() and hi.isascii()):
                raise fail("chữ số không phải ASCII trong lượng từ")
            out.append("{" + (lo or "0") + ("," + hi if "," in body else "") + "}")
            i = close + 1
            continue
        elif c == "}":
            raise fail("dấu } lẻ")
        else:
            out.append(c)
        i += 1
    if in_class:
        raise fail("lớp ký tự chưa đóng")
    return "".join(out)


# ---------------------------------------------------------------- schemas for Ajv


def _message_codes(schema: dict, where: str, limits: set[str]) -> dict[str, str]:
    """keyword -> message code for the assertion keywords of one subschema."""
    own_messages = schema.get("x-messages", {})
    if not isinstance(own_messages, dict):
        own_messages = {}
    codes = {}
    for keyword, value in schema.items():
        if keyword not in ASSERTIONS:
            continue
        if keyword == "additionalProperties" and value is not False:
            continue
        if keyword in NAMED:
            own = own_messages.get(keyword)
            code = "O" + _template(own, keyword, where) if own else None
            code = code or "F" + _template(DEFAULTS[keyword], keyword, where)
        else:
            if keyword in own_messages:
                code = "O" + _template(own_messages[keyword], keyword, where)
            elif keyword == "type" and value == "object":
                code = "F" + _template(TYPE_OBJECT, keyword, where)
            elif keyword == "minLength" and value == 1:
                code = "F" + _template(DEFAULTS["required"], keyword, where)
            else:
                code = "F" + _template(DEFAULTS.get(keyword, GENERIC), keyword, where)
            if keyword in limits:
                code += "\x00" + str(value)
        codes[keyword] = code
    return codes


def _prepare(node: Any, where: str, limits: set[str]) -> Any:
    """A copy of a (sub)schema for Ajv; see the module docstring."""
    if not isinstance(node, dict):
        raise ValidatorBuildError(f"{where}: schema dạng true/false chưa được hỗ trợ.")
    out: dict[str, Any] = {}
    for keyword, value in node.items():
        at = f"{where}/{keyword}"
        if keyword in UNSUPPORTED:
            raise ValidatorBuildError(
                f"{at}: từ khóa '{keyword}' chưa được trình kiểm tra trên trình duyệt hỗ trợ."
            )
        if keyword in ANNOTATIONS:
            continue
        if keyword in SCHEMA_MAPS:
            out[keyword] = {k: _prepare(v, f"{at}/{k}", limits) for k, v in value.items()}
        elif keyword in SCHEMA_ONE:
            out[keyword] = _prepare(value, at, limits)
        elif keyword in SCHEMA_LISTS:
            out[keyword] = [_prepare(v, f"{at}/{i}", limits) for i, v in enumerate(value)]
        elif keyword == "additionalProperties":
            if isinstance(value, dict):
                raise ValidatorBuildError(f"{at}: chỉ hỗ trợ additionalProperties: false.")
            if value is False:
                out[keyword] = False
        elif keyword == "pattern":
            out[keyword] = js_pattern(value, at)
        elif keyword == "format":
            if value in FORMATS:  # Python ignores unknown formats
                out[keyword] = value
        elif keyword == "x-rules":
            out[keyword] = [_rule(spec, f"{at}/{i}") for i, spec in enumerate(value)]
        elif keyword in ("$id", "$ref"):
            out[keyword] = _js_uri(value)
        elif keyword in ASSERTIONS or keyword in OTHER_OK:
            out[keyword] = copy.deepcopy(value)
        # any other keyword is unknown to Draft 2020-12 and ignored by jsonschema too
    codes = _message_codes(node, where, limits)
    if codes:
        out["x-msg"] = codes
    return out


def _rule(spec: dict, where: str) -> dict:
    try:
        name, args, at, message = spec["rule"], spec["args"], spec["at"], spec["message"]
    except (KeyError, TypeError):
        raise ValidatorBuildError(f"{where}: quy tắc cần rule, args, at, message.") from None
    if name not in RULES:
        raise ValidatorBuildError(
            f"{where}: không có quy tắc '{name}' trong generator/schema/rules.py."
        )
    for value in args.values():
        if isinstance(value, str) and value.startswith("/"):
            for part in _parts(value):
                if part.isdigit() and not part.isascii():
                    raise ValidatorBuildError(f"{where}: chỉ số mảng phải là chữ số ASCII.")
    at = pointer(_parts(at))
    if "\x00" in at or not isinstance(message, str):
        raise ValidatorBuildError(f"{where}: 'at' hoặc 'message' không hợp lệ.")
    return {"rule": name, "args": args, "at": at, "message": message}


def _limit_keywords(catalog: Catalog) -> set[str]:
    """Keywords whose message may use ``{limit}`` (their sites carry the value)."""

    def uses_limit(text: Any) -> bool:
        try:
            return any(f == "limit" for _, f, _, _ in string.Formatter().parse(text))
        except (ValueError, TypeError):
            return False

    found = {k for k, text in DEFAULTS.items() if uses_limit(text)}
    found |= {k for k in ("type", "minLength") if uses_limit(TYPE_OBJECT)}
    found |= {k for k in ASSERTIONS if uses_limit(GENERIC)}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            messages = node.get("x-messages")
            if isinstance(messages, dict):
                found.update(k for k, text in messages.items() if uses_limit(text))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(catalog.schemas)
    return found - NAMED


def prepared_schemas(catalog: Catalog) -> list[dict]:
    """Every schema of the catalog, ready for Ajv."""
    limits = _limit_keywords(catalog)
    return [
        _prepare(for_evaluation(schema), catalog.files.get(sid, sid) + "#", limits)
        for sid, schema in catalog.schemas.items()
        if isinstance(schema, dict) and isinstance(schema.get("$id"), str)
    ]


# ---------------------------------------------------------------- message tree


def message_tree(catalog: Catalog, schema_id: str) -> dict:
    """Validator.field_chain for every path of the schema, as nested nodes.

    A node is ``{"t": first title, "m": {keyword: first template}, "p": {name:
    node}, "i": node for array items}``; nodes that would say nothing are left
    out (an absent node means: title "Hồ sơ", no template, as an empty chain).
    """
    validator = validator_for(catalog, schema_id)

    def build(parts: list[str], depth: int) -> dict | None:
        if depth > 40:
            raise ValidatorBuildError(f"{schema_id}: schema lồng quá sâu hoặc đệ quy.")
        level = validator.field_chain(parts)
        if not level:
            return None
        node: dict[str, Any] = {}
        title = next((s["title"] for s in level if isinstance(s.get("title"), str)), None)
        if title is not None:
            node["t"] = title
        messages: dict[str, str] = {}
        for s in level:
            own = s.get("x-messages", {})
            for keyword, text in own.items() if isinstance(own, dict) else ():
                if keyword in ASSERTIONS and keyword not in messages:
                    where = f"{schema_id}#{pointer(parts)}/x-messages/{keyword}"
                    messages[keyword] = _template(text, keyword, where)
        if messages:
            node["m"] = messages
        names: list[str] = []
        for s in level:
            props = s.get("properties")
            if isinstance(props, dict):
                names += [k for k in props if k not in names]
        children = {}
        for name in names:
            child = build([*parts, name], depth + 1)
            if child is not None:
                children[name] = child
        if children:
            node["p"] = children
        if any(isinstance(s.get("items"), dict) for s in level):
            index = next(str(i) for i in range(len(names) + 1) if str(i) not in names)
            child = build([*parts, index], depth + 1)
            if child is not None:
                node["i"] = child
        if not node and parts:
            return None
        return node

    return build([], 0) or {}
