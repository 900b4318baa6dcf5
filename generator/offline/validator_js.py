"""Build the browser validator: one self-contained JavaScript file per group.

``build_validator(catalog, group_id)`` returns JavaScript that defines
``window.lienthong.validate(record) -> [{pointer, message}]``, ``window.lienthong.units`` and
``window.lienthong.runtime`` (the Python-semantics helpers the print bundle of
``generator/offline/print_js.py`` reuses); under node, ``module.exports = {group, validate, units,
runtime}``. It must give exactly
the verdicts and messages of ``lienthong.schema.validation.Validator.validate``.

How it is made:

1. The catalog's schemas are copied for Ajv (``_prepare``): annotations are
   dropped, ``pattern`` is rewritten so that JavaScript reads it as the Python
   validator does (``$`` only at the very end, as in ECMA-262; ``.`` does not
   match ``\\n`` only), ``x-rules`` pointers are normalised, and every subschema gets
   ``x-msg``: for each keyword it carries, the message code the Python side
   would start from (see *Messages*). Keywords the port does not cover
   (``anyOf``, ``patternProperties``, ...) stop the build with their location.
2. ``assets/validator/compile.cjs`` (node, Ajv 8 with ``allErrors``) compiles
   the group with Ajv's standalone code generation: plain code, no ``eval`` or
   ``new Function`` at run time. The formats and the ``x-rules`` keyword call
   ``assets/validator/runtime.js``, the JavaScript port of
   ``generator/schema/formats.py`` and ``generator/schema/rules.py`` (same names).
3. The file is runtime.js + the compiled code + build-time tables, with the
   administrative units of ``generator.units.browser_data()`` packed in.

Messages. Python words an error from three things: the failing subschema's own
``x-messages[keyword]``, the ``x-messages``/``title`` of the schemas describing
the field at the error's pointer (``Validator.field_chain``), and defaults. The
first is fixed per keyword *location*, so the build writes it into the error
site itself: compile.cjs wraps Ajv's ``reportError`` so that each site's message
is the code from ``x-msg`` — ``O<template>`` (the subschema's own template) or
``F<fallback>`` (``DEFAULTS``/``TYPE_OBJECT``, used when no schema of the chain
has one), plus ``\\0<limit>`` (Python's ``str()`` of the keyword value) where a
template may use ``{limit}``; ``x-rules`` sites carry ``R<at>\\0<message>``. The
second depends only on the pointer, so the build precomputes the field tree:
for every path of the schema (array indices generalised), the first ``title``
and the first template per keyword along the chain. At run time runtime.js
walks that tree with the error's pointer and fills ``{title}``, ``{limit}``,
``{name}`` (templates are pre-parsed here with Python's own format parser).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from lienthong import CHECKOUT
from lienthong.inputs import units
from lienthong.offline import prebuilt
from lienthong.offline.ajv_input import (
    UNIT_PREFIXES,
    ValidatorBuildError,
    _js_uri,
    js_pattern,
    message_tree,
    prepared_schemas,
)
from lienthong.schema.catalog import Catalog
from lienthong.schema.rules import RULES
from lienthong.schema.unicode_tables import digit_ranges, unassigned_ranges
from lienthong.schema.validation import (
    KEYWORD_PRIORITY,
    ROOT_TITLE,
)

# Median time of one validation, in µs, run in the page that loaded the validator.
# performance.now() is coarse in Chromium, so runs are timed in batches of 50.
TIMING_JS = """(record) => {
    const validate = window.lienthong.validate;
    for (let i = 0; i < 500; i++) validate(record);   // warm up the JIT
    const per = [];
    const batch = 50;
    for (let b = 0; b < 40; b++) {                    // 2,000 runs
        const t0 = performance.now();
        for (let i = 0; i < batch; i++) validate(record);
        per.push(((performance.now() - t0) * 1000) / batch);
    }
    per.sort((a, b) => a - b);
    return {median: per[per.length >> 1], min: per[0], max: per[per.length - 1],
            result: validate(record)};
}"""

# Built here from ajv_input.py's schemas; importable from this module as before.
__all__ = [
    "TIMING_JS",
    "ValidatorBuildError",
    "build_validator",
    "js_pattern",
    "message_tree",
    "prepared_schemas",
    "sizes",
]

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "validator"
PROJECT = CHECKOUT

# Keywords dropped before compiling: annotations (Python ignores them too).
# ---------------------------------------------------------------- units


def _pack_units(data: dict) -> dict:
    """browser_data() in a compact form (runtime.js decodeUnits), or as is if it does not fit."""
    lines = []
    for prov, communes in data["communes"].items():
        items, prev = [prov], 0
        for code, name in communes:
            if not (len(code) == 5 and code.isascii() and code.isdigit()) or int(code) < prev:
                return data
            if "|" in name or "\n" in name or "|" in prov or "\n" in prov:
                return data
            tag = "~"
            for prefix, letter in UNIT_PREFIXES.items():
                if name.startswith(prefix):
                    tag, name = letter, name[len(prefix) :]
                    break
            items.append(f"{int(code) - prev}{tag}{name}")
            prev = int(code)
        lines.append("|".join(items))
    return {"p": data["provinces"], "c": "\n".join(lines)}


# ---------------------------------------------------------------- build


def _compile(schemas: list[dict], root_id: str, search: list[Path]) -> str:
    script = ASSETS / "compile.cjs"
    payload = json.dumps({"schemas": schemas, "root": root_id, "rules": sorted(RULES)})

    def compute() -> str:
        npm = [p / "node_modules" for p in search]
        code, out, detail = prebuilt.run_node(script, payload, "ajv", *npm)
        if code != 0:
            lines = detail.splitlines()
            raise ValidatorBuildError(
                "không dựng được trình kiểm tra trên trình duyệt: "
                + (lines[-1] if lines else f"node thoát với mã {code}")
            )
        return out

    return prebuilt.run("ajv", script.read_text(encoding="utf-8"), payload, compute)


def _js(value: Any) -> str:
    """JSON as a JavaScript literal (safe inside <script>)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("</", "<\\/")
        .replace("<!--", "<\\!--")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _has_items(node: dict) -> bool:
    return "i" in node or any(_has_items(child) for child in node.get("p", {}).values())


def build_validator(catalog: Catalog, group_id: str, with_units: bool = True) -> str:
    """JavaScript source of the browser validator of one group (or any record schema).

    ``with_units=False`` leaves the administrative units out (only to measure their weight).
    """
    schema = catalog.schema(group_id)
    tree = message_tree(catalog, group_id)
    compiled = _compile(
        prepared_schemas(catalog),
        _js_uri(schema["$id"]),
        [Path.cwd(), catalog.root.parent, PROJECT],
    )
    config = {
        "tree": tree,
        "rootTitle": ROOT_TITLE,
        "priority": KEYWORD_PRIORITY,
        "unassigned": unassigned_ranges(),
        "digits": digit_ranges() if _has_items(tree) else "",
    }
    runtime = (ASSETS / "runtime.js").read_text(encoding="utf-8")
    version = schema.get("x-group", {}).get("version") if isinstance(schema, dict) else None
    header = (
        f"/* lienthong: trình kiểm tra hồ sơ '{group_id}'"
        + (f" (phiên bản {version})" if version is not None else "")
        + ", dựng từ schemas/ bởi generator/offline/validator_js.py; đừng sửa tay.\n"
        " * Gives the same [{pointer, message}] as lienthong.validate(); no eval, no network.\n"
        " * Licence: GPL-3.0-or-later; includes Ajv runtime helpers (MIT) and administrative\n"
        " * unit data from vietnam-provinces (GPL-3.0-or-later). */\n"
    )
    return "".join(
        [
            header,
            "(function (root) {\n",
            '"use strict";\n',
            "var __lt_createRuntime = (function (module) {\n",
            runtime,
            "\nreturn module.exports;\n})({ exports: {} });\n",
            "var __lt_units = __lt_createRuntime.decodeUnits("
            + (_js(_pack_units(units.browser_data())) if with_units else "null")
            + ");\n",
            f"var __lt_runtime = __lt_createRuntime(__lt_units, {_js(config)});\n",
            "var __lt_ajv = ",
            compiled,
            "(__lt_runtime);\n",
            "var validate = __lt_runtime.wrap(__lt_ajv);\n",
            f"var group = {_js(group_id)};\n",
            "var api = { group: group, validate: validate, units: __lt_units, runtime: __lt_runtime };\n",
            'if (typeof module === "object" && module && module.exports) {\n',
            "  module.exports = api;\n",
            "} else if (root) {\n",
            "  var lt = root.lienthong || (root.lienthong = {});\n",
            "  lt.validators = lt.validators || {};\n",
            "  lt.validators[group] = validate;\n",
            "  lt.validate = validate;\n",
            "  lt.units = __lt_units;\n",
            "  lt.runtime = __lt_runtime;\n",
            "}\n",
            '})(typeof window !== "undefined" ? window : typeof globalThis !== "undefined" ? globalThis : this);\n',
        ]
    )


def sizes(source: str) -> dict[str, int]:
    """Raw and gzipped size of a built validator, with and without the unit data."""
    data = _js(_pack_units(units.browser_data())).encode("utf-8")
    raw = source.encode("utf-8")
    without = raw.replace(data, b"null")
    return {
        "raw": len(raw),
        "gzip": len(gzip.compress(raw, 9)),
        "raw_without_units": len(without),
        "gzip_without_units": len(gzip.compress(without, 9)),
        "units_raw": len(data),
        "units_gzip": len(gzip.compress(data, 9)),
    }
