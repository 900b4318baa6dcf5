"""A new form as data only: tests/fixtures/forms/mau-2-nd188 (template, fields.yml, examples,
README) listed in the schema of bhyt-tre-em prints blank and filled, in Python and in the
browser, and passes `lienthong check`, with no code change."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import lienthong
from lienthong.forms.check import check_forms
from lienthong.printing import render_pdf
from lienthong.schema.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "forms" / "mau-2-nd188"
GROUP = "lien-thong-khai-sinh"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("new-form")
    schemas, forms = root / "schemas", root / "forms"
    shutil.copytree(lienthong.default_schemas_dir(), schemas)
    shutil.copytree(ROOT / "forms", forms)
    shutil.copytree(FIXTURE, forms / FIXTURE.name)
    path = schemas / "bhyt-tre-em.schema.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["x-procedure"]["forms"].append(
        {
            "id": "mau-2-nd188",
            "name": "Tờ khai tham gia, điều chỉnh thông tin bảo hiểm y tế",
            "number": "Mẫu số 2",
            "issued_with": "Nghị định 188/2025/NĐ-CP",
            "confidence": "unverified",
        }
    )
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return schemas, forms


def pdftotext(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")


def test_it_passes_check(project):
    schemas, forms = project
    assert [str(p) for p in check_forms(load_catalog(schemas), forms) if p.level == "error"] == []


def test_it_prints_blank_and_filled(project):
    schemas, forms = project
    renderer = render_pdf.Renderer(schemas, forms)
    blank = " ".join(pdftotext(renderer.render("mau-2-nd188")).split())
    assert "TỜ KHAI THAM GIA, ĐIỀU CHỈNH THÔNG TIN BẢO HIỂM Y TẾ" in blank
    assert "5. Nơi đăng ký khám bệnh, chữa bệnh ban đầu:" in blank
    record = renderer.catalog.schemas[GROUP]["examples"][0]
    filled = " ".join(pdftotext(renderer.render("mau-2-nd188", record)).split())
    child = record["khai_sinh"]["child"]
    assert child["full_name"].upper() in filled
    assert record["bhyt"]["primary_care"] in filled
    # ... and in the group's document, after TK1-TS.
    ids = [s.id for s in renderer.group_sheets(GROUP, record)]
    assert ids.index("mau-2-nd188") == ids.index("tk1-ts") + 1


def test_the_browser_prints_it_as_python_does(project, tmp_path, monkeypatch):
    from tests.offline.test_print_js import (
        EPOCH,
        _build,
        _need_node,
        python_codes,
        python_html,
        run_js,
        without_code_figures,
    )

    _need_node()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    schemas, forms = project
    renderer = render_pdf.Renderer(schemas, forms, base_url="https://xa.example.vn/")
    bundles = _build(tmp_path, renderer, [GROUP])
    record = renderer.catalog.schemas[GROUP]["examples"][0]
    job = [[GROUP, r, python_codes(renderer, GROUP, r)] for r in (None, record)]
    got = run_js(tmp_path, bundles=bundles, records=job)["records"]
    for js, rec in zip(got, [None, record], strict=True):
        py = python_html(renderer, GROUP, rec)
        assert "TỜ KHAI THAM GIA, ĐIỀU CHỈNH THÔNG TIN BẢO HIỂM Y TẾ" in py
        assert without_code_figures(js) == without_code_figures(py)
