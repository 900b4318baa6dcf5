"""Each form's README table "Label on the form | Filled from", generated from its fields file,
so the two cannot disagree. The table sits between two markers in ``forms/<id>/README.md``;
``lienthong forms-readme`` rewrites it and ``lienthong check`` reports a stale one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lienthong.errors import Problem
from lienthong.forms.spec import FormSpec

BEGIN = (
    "<!-- fields: generated from fields.yml by `lienthong forms-readme`; do not edit by hand -->"
)
END = "<!-- end fields -->"
_BLOCK = re.compile(re.escape(BEGIN) + r"\n.*?" + re.escape(END), re.DOTALL)

WRITTEN = {
    "text": "",
    "upper": "in capitals",
    "phone": "phone number, digits only",
    "date": "dd/mm/yyyy",
    "date-parts": "ngày … tháng … năm …",
    "date-words": "date in words",
    "digits12": "12 boxes",
    "address": "detail, xã, tỉnh",
    "commune": "name of the xã",
    "province": "name of the tỉnh",
    "office": None,  # uses its body
    "id-document": "identity document, footnote (3) of TT 04/2024",
    "label": "the value's label",
    "copies": "Có/Không boxes and count",
    "checkbox": None,  # uses its value
    "hour": "hour of hh:mm",
    "minute": "minute of hh:mm",
}


def condition(cond: dict[str, Any]) -> str:
    if "all" in cond:
        return " and ".join(condition(c) for c in cond["all"])
    if "any" in cond:
        return "(" + " or ".join(condition(c) for c in cond["any"]) + ")"
    if "not" in cond:
        return "not " + condition(cond["not"])
    if "procedure" in cond:
        return f"procedure `{cond['procedure']}`"
    if "filled" in cond:
        return "filled form" if cond["filled"] else "blank form"
    if "section" in cond:
        return f"group has `{cond['section']}`"
    ptr = f"`{cond['field']}`"
    if "equals" in cond:
        return f"{ptr} = `{_scalar(cond['equals'])}`"
    if "in" in cond:
        return f"{ptr} in " + ", ".join(f"`{_scalar(v)}`" for v in cond["in"])
    return f"{ptr} given" if cond["present"] else f"no {ptr}"


def _scalar(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def source(expr: dict[str, Any]) -> str:
    """Where an expression's value comes from, in words."""
    if "first" in expr:
        text = ", else ".join(source(o) for o in expr["first"])
    elif "join" in expr:
        text = " + ".join(source(o) for o in expr["of"])
    elif "value" in expr:
        text = f"“{expr['value']}”" if expr["value"] is not None else "left blank"
    else:
        kind = expr.get("as", "text")
        how = WRITTEN[kind]
        if kind == "office":
            how = f"“{expr['body']} <xã>, <tỉnh>”"
        elif kind == "checkbox":
            how = f"ticked when `{_scalar(expr['equals'])}`"
        text = f"`{expr['from']}`" if "from" in expr else "nothing"
        text += f" ({how})" if how else ""
    for key, word in (("prefix", "after"), ("suffix", "before")):
        if expr.get(key):
            text += f", {word} “{expr[key].strip()}”"
    if "when" in expr:
        text += f" — when {condition(expr['when'])}"
    return text


def rows(fields: dict[str, Any], when: list[str] | None = None, label: str = "") -> list[tuple]:
    out: list[tuple[str, str]] = []
    for name, expr in fields.items():
        conds = list(when or [])
        if "fields" in expr:
            if "when" in expr:
                conds.append(condition(expr["when"]))
            prefix = label
            if "each" in expr:
                prefix = (expr.get("label", name) + ": ") if expr.get("label") else label
                conds.append(f"one row per item of `{expr['each']}`")
            out += rows(expr["fields"], conds, prefix)
            continue
        text = source(expr)
        if conds:
            text += " — " + "; ".join(conds)
        if expr.get("note"):
            text += f" *({expr['note']})*"
        out.append((label + expr.get("label", name), text))
    return out


def table(spec: FormSpec) -> str:
    lines = ["| Label on the form | Filled from (group record) |", "|---|---|"]
    lines += [f"| {_cell(label)} | {_cell(text)} |" for label, text in rows(spec.fields)]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def block(spec: FormSpec) -> str:
    return f"{BEGIN}\n{table(spec)}\n{END}"


def updated(readme: str, spec: FormSpec) -> str | None:
    """The README with its table regenerated; None when it has no markers."""
    if not _BLOCK.search(readme):
        return None
    return _BLOCK.sub(lambda _: block(spec), readme, count=1)


def readme_problems(spec: FormSpec, folder: Path, display: str) -> list[Problem]:
    path = folder / "README.md"
    if not path.is_file():
        return [Problem(display, "", "thiếu README.md của tờ khai.", "warning")]
    text = path.read_text(encoding="utf-8")
    new = updated(text, spec)
    if new is None:
        return [Problem(display, "", f"README.md không có bảng trường ({BEGIN}).")]
    if new != text:
        return [
            Problem(
                display,
                "",
                f"bảng trường trong README.md khác {spec.file}; chạy `lienthong forms-readme`.",
            )
        ]
    return []
