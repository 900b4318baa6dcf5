"""Facts that know their dates (generator/dated.py): a catalog read as of a day shows the
facts in force that day; lienthong check --as-of warns about facts that end with no successor."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from generator import dated
from generator.pages import render_pages
from generator.schemas import load_catalog
from generator.settings import publisher
from tests.conftest import ROOT, run_cli

PUBLISHER = publisher(ROOT / "mkdocs.yml")[0]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_in_force_bounds_are_inclusive():
    item = {"text": "x", "effective_from": "2027-01-01", "effective_until": "2027-02-28"}
    assert not dated.in_force(item, _day("2026-12-31"))
    assert dated.in_force(item, _day("2027-01-01"))
    assert dated.in_force(item, _day("2027-02-28"))
    assert not dated.in_force(item, _day("2027-03-01"))
    # A legal document's "effective" is its first day.
    law = {"document": "Luật", "effective": "2027-03-01"}
    assert not dated.in_force(law, _day("2027-02-28"))
    assert dated.in_force(law, _day("2027-03-01"))


def test_resolve_is_pure_and_deep():
    data = {"a": [{"x": 1, "effective_until": "2026-12-31"}, {"x": 2}], "b": {"c": [1, 2]}}
    out = dated.resolve(data, _day("2027-01-01"))
    assert out == {"a": [{"x": 2}], "b": {"c": [1, 2]}}
    assert len(data["a"]) == 2


def test_build_day_order(monkeypatch):
    monkeypatch.delenv(dated.ENV, raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01T00:00:00Z
    assert dated.build_day() == _day("2027-01-01")
    monkeypatch.setenv(dated.ENV, "2027-03-01")
    assert dated.build_day() == _day("2027-03-01")
    assert dated.build_day("2026-06-30") == _day("2026-06-30")
    with pytest.raises(dated.BadDate, match="năm-tháng-ngày"):
        dated.build_day("30/6/2026")


def _laws(catalog, pid: str) -> list[str]:
    return [d["document"] for d in catalog.procedures[pid]["legal_basis"]]


@pytest.mark.parametrize(
    ("day", "old", "new"),
    [("2027-02-28", True, False), ("2027-03-01", False, True)],
)
def test_civil_status_law_changes_on_1_march_2027(day, old, new):
    catalog = load_catalog(ROOT / "schemas", _day(day))
    for pid in ("khai-sinh", "khai-tu"):
        laws = _laws(catalog, pid)
        assert ("Luật Hộ tịch số 60/2014/QH13" in laws) is old
        assert ("Luật Hộ tịch số 03/2026/QH16" in laws) is new


@pytest.mark.parametrize(
    ("day", "lookup"),
    [("2026-12-31", "he-thong-lien-thong"), ("2027-01-01", "cong-dich-vu-cong-quoc-gia")],
)
def test_lookup_moves_to_the_national_portal_on_1_january_2027(day, lookup):
    catalog = load_catalog(ROOT / "schemas", _day(day))
    other = {"he-thong-lien-thong", "cong-dich-vu-cong-quoc-gia"} - {lookup}
    for group in catalog.groups.values():
        ids = [m["id"] for m in group["lookup"]]
        assert lookup in ids and not other & set(ids)
    page = render_pages(catalog, PUBLISHER)["lien-thong-khai-sinh.md"]
    expected = "dichvucong.gov.vn/tra-cuu-ho-so" if lookup.startswith("cong") else "lienthong."
    assert expected in page.split("## ", 1)[1]


def test_pages_as_of_cite_the_law_in_force():
    before = render_pages(load_catalog(ROOT / "schemas", _day("2027-02-28")), PUBLISHER)
    after = render_pages(load_catalog(ROOT / "schemas", _day("2027-03-01")), PUBLISHER)
    assert "03/2026/QH16" not in before["thu-tuc/khai-sinh.md"]
    assert "03/2026/QH16" in after["thu-tuc/khai-sinh.md"]
    assert "60/2014/QH13" not in after["thu-tuc/khai-sinh.md"]


def test_check_as_of_warns_about_a_fact_that_ends_without_successor(tmp_path: Path):
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    path = tmp_path / "schemas" / "bhyt-tre-em.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["x-procedure"]["fee"][0]["effective_until"] = "2027-01-15"
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    args = ("--schemas", str(tmp_path / "schemas"), "check", "--config", "none.yml")
    soon = run_cli(*args, "--as-of", "2027-01-01")
    assert soon.returncode == 0
    assert (
        "bhyt-tre-em.schema.json: /x-procedure/fee/0: cảnh báo: thông tin hết hiệu lực sau "
        "ngày 15/01/2027 mà chưa có thông tin thay thế"
    ) in soon.stderr
    strict = run_cli(*args, "--strict", "--as-of", "2027-01-01")
    assert strict.returncode == 1
    # More than 30 days ahead, and after the end: no warning.
    for day in ("2026-12-01", "2027-01-16"):
        later = run_cli(*args, "--as-of", day)
        assert "hết hiệu lực" not in later.stderr
    # A successor starting the next day silences it.
    schema["x-procedure"]["fee"].append(
        {"text": "Mới.", "source": "Văn bản mới", "effective_from": "2027-01-16"}
    )
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    assert "hết hiệu lực" not in run_cli(*args, "--as-of", "2027-01-01").stderr


def test_check_rejects_a_malformed_as_of_date():
    result = run_cli("check", "--as-of", "2027-02-30")
    assert result.returncode == 1
    assert "Lỗi: --as-of: ngày '2027-02-30' không hợp lệ" in result.stderr
    assert "Traceback" not in result.stderr
