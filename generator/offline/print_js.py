"""Build the browser print of the offline form: one self-contained JavaScript file per group.

``build_print(catalog, group_id, renderer)`` returns JavaScript that defines
``window.lienthong.printDocument(record) -> str``: exactly the HTML that
``renderer.html(renderer.group_sheets(group_id, record, allow_incomplete=True),
renderer.group_title(group_id), inline_css=True)`` returns, every declaration of the group filled
in (``record=null``: the blank group) from the same print templates as the PDFs, with the A4
print CSS inlined; ``window.lienthong.printSheets(record) -> [{id, title, pages}]``, the sheets
that document holds (``Renderer.group_sheets``); and ``window.lienthong.printers[group_id]``
(= ``printDocument``). Under node it sets ``module.exports = {group, printer}`` instead, where
``printer({units, runtime})`` returns ``{printDocument, sheets}``. ``renderer`` must be built on
the same schemas as ``catalog``: it gives the templates, form.css, sheet titles and source
lines, and the site URL settings of the QR codes.

What is in the file:

1. The group's print templates compiled to JavaScript functions by ``jinja_js`` (from Jinja2's
   own parse of them, so the whitespace is Jinja2's), with their run time
   ``assets/form/templates.js``: markupsafe's escaping, ``marks``, ``max``, ``none``. A
   template that uses Jinja2 beyond that subset stops the build, naming the template and line.
2. ``assets/form/fields.js``: the browser's interpreter of the forms' fields files (the twin of
   ``lienthong.forms``), and ``assets/date-words.js`` (``lienthong.date_in_words``).
3. Build-time tables (``print_data``): each form's fields file, ``applies_if`` and enum
   labels, the group's procedures, documents and their ``applies_if``, the metadata of every sheet the group can
   print (template, source line, guide URL and its QR code as ``render_pdf.qr_svg`` draws it for
   the renderer's ``base_url`` and ``directory_urls``), form.css, the document title and the
   ``created`` date (``render_pdf.created_date()`` at build time).

At run time it needs ``window.lienthong.units`` and ``window.lienthong.runtime`` from the browser
validator (``generator/offline/validator_js.py``), loaded before ``printDocument`` is first called.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lienthong.errors import LienThongError
from lienthong.forms.spec import CHECKLIST
from lienthong.offline import esbuild
from lienthong.offline.jinja_js import TemplateCompileError, compile_templates
from lienthong.offline.validator_js import _js
from lienthong.schema.catalog import Catalog
from lienthong.schema.unicode_tables import upper_ranges

if TYPE_CHECKING:
    from lienthong.printing.records import Views
    from lienthong.printing.render_pdf import Renderer

ASSETS = Path(__file__).resolve().parent.parent / "assets"
# Keywords the browser evaluates in applies_if schemas (fields.js applies()).
APPLIES_KEYWORDS = frozenset({"properties", "required", "const", "enum"})
APPLIES_ANNOTATIONS = frozenset({"$comment", "title", "description"})


class PrintBuildError(LienThongError):
    """The catalog or templates use something the browser print cannot reproduce."""


# ---------------------------------------------------------------- build-time tables


def check_applies(schema: Any, where: str) -> None:
    """Stop the build if an applies_if schema uses a keyword fields.js does not evaluate."""
    if schema is None:
        return
    if not isinstance(schema, dict):
        raise PrintBuildError(f"{where}: applies_if phải là một schema dạng đối tượng.")
    for keyword, value in schema.items():
        at = f"{where}/{keyword}"
        if keyword in APPLIES_ANNOTATIONS:
            continue
        if keyword not in APPLIES_KEYWORDS:
            raise PrintBuildError(
                f"{at}: bản in trên trình duyệt chưa hiểu từ khóa '{keyword}' trong applies_if "
                f"(chỉ dùng được {', '.join(sorted(APPLIES_KEYWORDS))}; xem fields.js applies)."
            )
        if keyword == "properties":
            if not isinstance(value, dict):
                raise PrintBuildError(f"{at}: properties phải là đối tượng.")
            for name, sub in value.items():
                check_applies(sub, f"{at}/{name}")
        elif keyword == "required" and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raise PrintBuildError(f"{at}: required phải là danh sách tên.")
        elif keyword == "enum" and not isinstance(value, list):
            raise PrintBuildError(f"{at}: enum phải là danh sách.")


def _form_data(views: Views, form_id: str, group_id: str) -> dict[str, Any]:
    """What fields.js reads of one form: its fields, applies_if and label table."""
    spec = views.spec(form_id)
    return {
        "fields": spec.fields,
        "applies_if": spec.applies_if,
        "labels": views.labels(form_id, group_id),
    }


def print_data(catalog: Catalog, group_id: str, renderer: Renderer) -> dict[str, Any]:
    """The tables fields.js reads for one group (see the module docstring)."""
    from lienthong.printing.render_pdf import created_date

    if group_id not in catalog.groups:
        raise PrintBuildError(f"không có nhóm thủ tục '{group_id}'.")
    group = catalog.groups[group_id]
    qrs: list[str] = []

    def qr(svg: str) -> int:
        if svg not in qrs:
            qrs.append(svg)
        return qrs.index(svg)

    def sheet_data(sheet) -> dict[str, Any]:
        return {
            "id": sheet.id,
            "title": sheet.title,
            "template": sheet.template,
            "source_line": sheet.source_line,
            "url": sheet.url,
            "url_label": sheet.url_label,
            "qr": qr(str(sheet.qr)),
            "pages": sheet.pages,
        }

    views = renderer.views
    procedures: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    sheets: dict[str, dict[str, Any]] = {}
    forms: dict[str, Any] = {}
    for index, item in enumerate(group["procedures"]):
        proc = catalog.procedures[item["id"]]
        forms_of = [f["id"] for f in proc.get("forms", [])]
        procedures.append(
            {
                "id": item["id"],
                "key": proc["key"],
                "optional": not item.get("required", True),
                "short_name": proc["short_name"],
                "forms": forms_of,
            }
        )
        for n, doc in enumerate(proc["documents"]):
            where = f"{catalog.files.get(item['id'], item['id'])}#/x-procedure/documents/{n}"
            check_applies(doc.get("applies_if"), where + "/applies_if")
            documents.append(
                {
                    "p": index,
                    "name": doc["name"],
                    "mandatory": bool(doc.get("mandatory")),
                    "condition": doc["condition"],
                    "how": doc.get("how"),
                    "confidence": doc.get("confidence", "verified"),
                    "if": doc.get("applies_if"),
                }
            )
        for form_id in forms_of:
            spec = views.spec(form_id)
            check_applies(spec.applies_if, f"{spec.file}#/applies_if")
            forms[form_id] = _form_data(views, form_id, group_id)
            sheet = renderer._form_sheet(form_id, group_id, None, item["id"])
            sheets[f"{form_id} {item['id']}"] = sheet_data(sheet)
    forms[CHECKLIST] = _form_data(views, CHECKLIST, group_id)
    return {
        "title": renderer.group_title(group_id),
        "created": created_date(),
        "group": {
            "name": group["name"],
            "short_name": group["short_name"],
            "sections": sorted(catalog.schemas[group_id].get("properties", {})),
        },
        "procedures": procedures,
        "documents": documents,
        "forms": forms,
        "sheets": sheets,
        "checklist": sheet_data(renderer._checklist_sheet(group_id, None)),
        "upper": upper_ranges(),
        "qrs": qrs,
        "css": renderer.css(),
        "codes": views.code_layout(group_id).to_json(),
    }


# ---------------------------------------------------------------- templates


def template_names(data: dict[str, Any]) -> list[str]:
    """The templates a group's document uses: the frame, the macros, then each sheet's."""
    names = ["document.html.j2", "_macros.html.j2"]
    for sheet in [*data["sheets"].values(), data["checklist"]]:
        if sheet["template"] not in names:
            names.append(sheet["template"])
    return names


def precompile(renderer: Renderer, names: list[str]) -> str:
    """The templates compiled to JavaScript: an object literal {name: function} (jinja_js)."""
    try:
        return compile_templates(renderer.env, names)
    except TemplateCompileError as exc:
        raise PrintBuildError(str(exc)) from None


# ---------------------------------------------------------------- build


def _code(text: str, what: str) -> str:
    """Code to inline in a <script> element as it is: refuse what would end it early.

    Without "<script" anywhere, a "<!--" (in a regular expression, say) cannot put the
    HTML parser into the state where "</script>" stops ending the element.
    """
    if re.search(r"</?script", text, re.IGNORECASE):
        raise PrintBuildError(f"{what} chứa '<script' hoặc '</script', không nhúng được vào trang.")
    return text


# Stands for the build-time tables in the code that esbuild minifies: they hold the site's URLs
# and QR codes, and the code must not depend on a publisher's settings (generator/offline/prebuilt.py).
DATA_TOKEN = "__LT_PRINT_DATA__"


def build_print(catalog: Catalog, group_id: str, renderer: Renderer) -> str:
    """JavaScript source of the browser print of one group (see the module docstring)."""
    code, data = build_print_parts(catalog, group_id, renderer)
    return with_data(code, data)


def with_data(code: str, data: str) -> str:
    """Put the tables (a JSON literal) in place of DATA_TOKEN, which must occur exactly once."""
    if code.count(DATA_TOKEN) != 1:
        raise PrintBuildError(f"mã bản in phải có đúng một {DATA_TOKEN}.")
    return code.replace(DATA_TOKEN, data)


def build_print_parts(catalog: Catalog, group_id: str, renderer: Renderer) -> tuple[str, str]:
    """The print bundle's code, with DATA_TOKEN where its tables go, and those tables."""
    data = print_data(catalog, group_id, renderer)
    templates = precompile(renderer, template_names(data))
    header = (
        f"/* lienthong: bản in tờ khai '{group_id}', dựng từ forms/ và schemas/ bởi "
        "generator/offline/print_js.py; đừng sửa tay.\n"
        " * window.lienthong.printDocument(record) gives the HTML of render_pdf's Renderer.html;\n"
        " * no eval, no network. Licence: GPL-3.0-or-later. */\n"
    )
    return "".join(
        [
            header,
            "(function (root) {\n",
            "var __lt_templateRuntime = (function (module) {\n",
            _code((ASSETS / "form" / "templates.js").read_text(encoding="utf-8"), "templates.js"),
            "\nreturn module.exports;\n})({ exports: {} });\n",
            "var __lt_templates = __lt_templateRuntime.createTemplates(",
            _code(templates, "mẫu in đã dịch"),
            ");\n",
            "var __lt_dateWords = (function (module) {\n",
            _code((ASSETS / "date-words.js").read_text(encoding="utf-8"), "date-words.js"),
            "\nreturn module.exports;\n})({ exports: {} });\n",
            "var __lt_fields = (function (module) {\n",
            _code((ASSETS / "form" / "fields.js").read_text(encoding="utf-8"), "fields.js"),
            "\nreturn module.exports;\n})({ exports: {} });\n",
            _code(esbuild.qr_encoder(), "qr"),
            "\nvar __lt_recordCode = (function (module) {\n",
            _code(
                (ASSETS / "form" / "record-code.js").read_text(encoding="utf-8"), "record-code.js"
            ),
            "\nreturn module.exports;\n})({ exports: {} });\n",
            f"var __lt_data = {DATA_TOKEN};\n",
            f"var group = {_js(group_id)};\n",
            "function printer(deps) {\n",
            "  return __lt_fields.createPrinter(__lt_data, {\n",
            "    templates: __lt_templates, dateWords: __lt_dateWords,\n",
            "    recordCode: __lt_recordCode.createRecordCode(__lt_data.codes, __lt_qr),\n",
            "    units: deps.units, runtime: deps.runtime\n",
            "  });\n",
            "}\n",
            'if (typeof module === "object" && module && module.exports) {\n',
            "  module.exports = { group: group, printer: printer };\n",
            "} else if (root) {\n",
            "  var lt = root.lienthong || (root.lienthong = {});\n",
            # app.js draws the form's sections with the same runtime (offline/form.py).
            "  lt.createTemplates = __lt_templateRuntime.createTemplates;\n",
            "  var current = null;\n",
            "  var get = function () {\n",
            "    return (current = current || printer({ units: lt.units, runtime: lt.runtime }));\n",
            "  };\n",
            "  var printDocument = function (record, codes) {\n",
            "    return get().printDocument(record, codes);\n",
            "  };\n",
            # The record codes (recordcode/): texts for a record, and a record from texts.
            "  lt.recordCodes = function (record) {\n",
            "    return get().recordCode.texts(record);\n",
            "  };\n",
            "  lt.readRecordCodes = function (texts) {\n",
            "    return get().recordCode.decode(texts);\n",
            "  };\n",
            "  lt.printers = lt.printers || {};\n",
            "  lt.printers[group] = printDocument;\n",
            "  lt.printDocument = printDocument;\n",
            "  lt.printSheets = function (record) {\n",
            "    return get().sheets(record);\n",
            "  };\n",
            "}\n",
            '})(typeof window !== "undefined" ? window : typeof globalThis !== "undefined" ? globalThis : this);\n',
        ]
    ), _js(data)


def sizes(source: str) -> dict[str, int]:
    """Raw and gzipped (level 9) size of a built print bundle."""
    raw = source.encode("utf-8")
    return {"raw": len(raw), "gzip": len(gzip.compress(raw, 9))}
