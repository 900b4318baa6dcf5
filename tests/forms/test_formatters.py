"""The formatters of the fields files against tests/cases/formatters.json, in Python and in the
browser's fields.js (the same cases, read by both)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lienthong.forms.formatters import FORMATTERS
from lienthong.forms.view import Record

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "tests" / "cases" / "formatters.json").read_text(encoding="utf-8"))[
    "cases"
]


def python_format(case: dict):
    options = dict(case.get("options", {}))
    labels = options.pop("labels", {})
    record = Record({"v": case["value"]}, labels, "printed")
    return FORMATTERS[case["as"]](record, "/v", {**options, "from": "/v", "pattern": "/v"})


def test_every_formatter_has_cases():
    assert {c["as"] for c in CASES} == set(FORMATTERS)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['as']}: {c['why']}" for c in CASES])
def test_python(case):
    assert python_format(case) == case["expect"]


def test_browser(tmp_path):
    from tests.offline.test_print_js import _build, _need_node, run_js

    _need_node()
    from lienthong.printing import render_pdf

    bundles = _build(tmp_path, render_pdf.Renderer(), ["lien-thong-khai-sinh"])
    got = run_js(
        tmp_path,
        bundles=bundles,
        formats=[
            ["lien-thong-khai-sinh", c["as"], c["value"], c.get("options", {})] for c in CASES
        ],
    )["formats"]
    wrong = [
        (c["as"], c["why"], c["expect"], js)
        for c, js in zip(CASES, got, strict=True)
        if js != c["expect"]
    ]
    assert not wrong, wrong
