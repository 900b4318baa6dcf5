"""``bieu-mau/don-vi-cu.js``: the pre-2025 units for the offline forms, loaded only when needed.

An imported record or a draft can hold a commune or province code from before 01/7/2025, or a
district field. ``lienthong validate`` then says which 2025 unit took its place
(``lienthong.inputs.legacy_units``); the form says the same, word for word, with
``assets/form/legacy-units.js``. Its table of 6,700 old communes weighs about 60 KB gzipped,
more than the whole form, so it is a file of its own beside the forms. app.js adds it to the
page (a script element that the form's own scripts create, which the page's CSP allows with
'strict-dynamic') only when a record holds a code that the 2025 lists do not have. A form
saved alone, without this file next to it, keeps its shorter note.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from lienthong.inputs import legacy_units

FILE = "don-vi-cu.js"  # beside the forms, under bieu-mau/
ASSETS = Path(__file__).resolve().parent.parent / "assets"


def browser_data() -> dict[str, Any]:
    """The table legacy-units.js reads: the old provinces, and the old communes sorted by
    code, each as [code minus the previous one, name, district index, province, new codes]."""
    districts: list[str] = []
    seen: dict[str, int] = {}
    rows: list[list[Any]] = []
    previous = 0
    for code, old in sorted(legacy_units.old_communes().items()):
        if old.district not in seen:
            seen[old.district] = len(districts)
            districts.append(old.district)
        rows.append(
            [int(code) - previous, old.name, seen[old.district], old.province.code, list(old.new)]
        )
        previous = int(code)
    return {
        "e": legacy_units.EFFECTIVE,
        "b": {
            "c": legacy_units.BASIS_COMMUNE,
            "p": legacy_units.BASIS_PROVINCE,
            "d": legacy_units.BASIS_DISTRICT,
        },
        "p": {code: [p.name, list(p.new)] for code, p in legacy_units.old_provinces().items()},
        "d": districts,
        "c": rows,
        "k": sorted(legacy_units.DISTRICT_KEYS),
    }


@functools.cache
def address_suffix() -> str:
    """``?v=<digest>`` for the forms' link to the file: a browser that cached an older table
    asks for this one (a file:// address ignores it)."""
    return "?v=" + hashlib.sha256(build_legacy_script().encode()).hexdigest()[:10]


@functools.cache
def build_legacy_script() -> str:
    """The file's JavaScript: legacy-units.js and its table; it sets window.lienthong.legacy."""
    table = json.dumps(browser_data(), ensure_ascii=False, separators=(",", ":"))
    # A file of its own, not inline: only line separators need escaping, for older engines.
    table = table.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return "".join(
        [
            "/* lienthong: đơn vị hành chính trước ngày 01/7/2025, dựng bởi "
            "generator/offline/legacy_js.py; đừng sửa tay.\n"
            " * Data: vietnamadminunits (MIT) and vietnam-provinces (GPL-3.0-or-later). */\n",
            "(function (root) {\n",
            "var createLegacy = (function (module) {\n",
            (ASSETS / "form" / "legacy-units.js").read_text(encoding="utf-8"),
            "\nreturn module.exports;\n})({ exports: {} });\n",
            "var lt = root.lienthong || (root.lienthong = {});\n",
            f"lt.legacy = createLegacy({table});\n",
            "})(window);\n",
        ]
    )
