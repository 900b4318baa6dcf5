"""Amounts computed from dated bases (generator/schema/amounts.py) and the same in the browser
(generator/assets/amounts.js): both read tests/cases/amounts.json."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest

from lienthong.inputs.settings import publisher
from lienthong.schema import amounts
from lienthong.schema.catalog import load_catalog
from lienthong.site.pages import render_pages
from tests.conftest import ROOT, edited_schemas, run_cli

CASES = json.loads((ROOT / "tests" / "cases" / "amounts.json").read_text(encoding="utf-8"))["cases"]
ASSET = ROOT / "generator" / "assets" / "amounts.js"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "schemas", dt.date(2026, 12, 6))


def _rule(catalog, case):
    return next(
        r for r in catalog.procedures[case["procedure"]]["amounts"] if r["id"] == case["rule"]
    )


def _python(catalog, case):
    try:
        day = dt.date.fromisoformat(case["death"])
    except ValueError:
        return None
    return amounts.amount_on(_rule(catalog, case), catalog.bases, day)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['rule']}-{c['death'] or 'empty'}")
def test_python_amounts(catalog, case):
    assert _python(catalog, case) == case["amount"]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_browser_amounts_agree_with_the_case_file(catalog):
    rules = {
        r["id"]: r
        for pid in {c["procedure"] for c in CASES}
        for r in amounts.form_rules(catalog.procedures[pid], catalog.bases)
    }
    script = (
        f"const a = require({json.dumps(str(ASSET))});"
        "const {rules, cases} = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(cases.map(c => rules[c.rule] ?"
        " [a.amountFor(rules[c.rule], c.death), a.message(rules[c.rule], c.death)] : [null, ''])));"
    )
    done = subprocess.run(
        ["node", "-e", script],
        input=json.dumps({"rules": rules, "cases": CASES}),
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(done.stdout)
    assert [g[0] for g in got] == [c["amount"] for c in CASES]
    # The message states the amount the page would (Vietnamese thousands with dots).
    for amount, message in got:
        if amount is not None:
            assert amounts.vnd(amount) in message
    assert got[4][1] == (
        "Trợ cấp mai táng dự kiến: 25.300.000 đồng (người mất tháng 07/2026; 10 lần mức tham "
        "chiếu 2.530.000 đồng/tháng)."
    )
    assert got[0][1] == (
        "Trợ cấp mai táng: người mất trước ngày 01/07/2025, hỏi cán bộ tiếp nhận hồ sơ về số tiền."
    )


def test_unverified_values_never_reach_the_form(catalog):
    assert amounts.form_rules(catalog.procedures["ho-tro-mai-tang"], catalog.bases) == []


def test_vnd():
    assert amounts.vnd(25300000) == "25.300.000 đồng"
    assert amounts.vnd(540000) == "540.000 đồng"


PUBLISHER = publisher(ROOT / "mkdocs.yml")[0]


@pytest.mark.parametrize(
    ("day", "now", "other"),
    [
        ("2026-06-30", "23.400.000 đồng", "Từ ngày 01/07/2026: 25.300.000 đồng"),
        (
            "2026-07-01",
            "25.300.000 đồng",
            "Người mất từ 01/07/2025 đến 30/06/2026: 23.400.000 đồng",
        ),
    ],
)
def test_pages_show_the_amount_of_the_build_month(day, now, other):
    pages = render_pages(load_catalog(ROOT / "schemas", dt.date.fromisoformat(day)), PUBLISHER)
    month = f"{dt.date.fromisoformat(day):%m/%Y}"
    page = pages["thu-tuc/tro-cap-mai-tang-bhxh.md"].split("## Số tiền được nhận", 1)[1]
    assert f"**Trợ cấp mai táng: {now}** cho người mất trong tháng {month}." in page
    assert other in page
    assert "Điều 85 khoản 2" in page  # the rule's source, and the base's
    assert ("Nghị định 73/2024/NĐ-CP" if day < "2026-07" else "Nghị định 161/2026/NĐ-CP") in page
    group = pages["lien-thong-khai-tu.md"].split("## Số tiền được nhận", 1)[1].split("\n## ", 1)[0]
    assert f"**Trợ cấp mai táng: {now}**" in group
    # Social-assistance support: no figure from unverified sources, the officer instead.
    support = pages["thu-tuc/ho-tro-mai-tang.md"].split("## Số tiền được nhận", 1)[1]
    assert "chưa có số tiền từ văn bản chính thức; hỏi cán bộ" in support
    assert "(cần kiểm tra lại)" in support and "000 đồng**" not in support


def test_check_names_a_missing_base(tmp_path):
    def broken(schema):
        schema["x-procedure"]["amounts"][0]["base"] = "muc-luong-toi-thieu"
        schema["x-procedure"]["amounts"][0]["month_of"] = "/khai_tu/death/place"

    schemas = edited_schemas(tmp_path, "tro-cap-mai-tang-bhxh", broken)
    result = run_cli("--schemas", str(schemas), "check", "--config", "none.yml")
    assert result.returncode == 1
    assert (
        "tro-cap-mai-tang-bhxh.schema.json: /x-procedure/amounts/0/base: không có mức "
        "'muc-luong-toi-thieu' trong x-bases"
    ) in result.stderr
    assert "/x-procedure/amounts/0/month_of: '/khai_tu/death/place' không phải là một ngày" in (
        result.stderr
    )
