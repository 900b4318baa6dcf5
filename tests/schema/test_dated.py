"""Facts that know their dates (generator/schema/dated.py): a catalog read as of a day shows the
facts in force that day; lienthong check --as-of warns about facts that end with no successor."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lienthong.inputs.settings import publisher
from lienthong.schema import dated
from lienthong.schema.catalog import load_catalog
from lienthong.site.pages import render_pages
from tests.conftest import ROOT, edited_schemas, run_cli

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

    def basis(pages):  # the legal basis, not the notices at the top
        page = pages["thu-tuc/khai-sinh.md"].replace("<wbr>", "")
        return page.split("## Căn cứ pháp lý", 1)[1]

    assert "03/2026/QH16" not in basis(before)
    assert "03/2026/QH16" in basis(after)
    assert "60/2014/QH13" not in basis(after)


def test_check_as_of_warns_about_a_fact_that_ends_without_successor(tmp_path: Path):
    def ends(schema):
        schema["x-procedure"]["fee"][0]["effective_until"] = "2027-01-15"

    schemas = edited_schemas(tmp_path, "bhyt-tre-em", ends)
    args = ("--schemas", str(schemas), "check", "--config", "none.yml")
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
    successor = {"text": "Mới.", "source": "Văn bản mới", "effective_from": "2027-01-16"}
    edited_schemas(tmp_path, "bhyt-tre-em", lambda s: s["x-procedure"]["fee"].append(successor))
    assert "hết hiệu lực" not in run_cli(*args, "--as-of", "2027-01-01").stderr


def test_check_rejects_a_malformed_as_of_date():
    result = run_cli("check", "--as-of", "2027-02-30")
    assert result.returncode == 1
    assert "Lỗi: --as-of: ngày '2027-02-30' không hợp lệ" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("day", "linked"), [("2026-12-31", True), ("2027-01-01", False)])
def test_filing_moves_to_the_national_portal_on_1_january_2027(day, linked):
    catalog = load_catalog(ROOT / "schemas", _day(day))
    page = render_pages(catalog, PUBLISHER)["lien-thong-khai-sinh.md"]
    steps = page.split("## Sáu bước", 1)[1].split("\n\n", 2)[1]
    assert ("lienthong.dichvucong.gov.vn" in steps) is linked
    assert "<https://dichvucong.gov.vn>" in steps
    assert ("hoặc" in steps) is linked


def test_check_wants_exactly_one_filing_portal_in_force(tmp_path: Path):
    def open_ended(schema):
        del schema["x-group"]["portal"]["filing"][0]["effective_until"]

    schemas = edited_schemas(tmp_path, "lien-thong-khai-tu", open_ended)
    args = ("--schemas", str(schemas), "check", "--config", "none.yml")
    assert run_cli(*args, "--as-of", "2026-12-31").returncode == 0
    overlap = run_cli(*args, "--as-of", "2027-01-01")
    assert overlap.returncode == 1
    assert (
        "lien-thong-khai-tu.schema.json: /x-group/portal/filing: ngày 01/01/2027 có 2 cổng nộp "
        "hồ sơ đang hiệu lực; cần đúng một"
    ) in overlap.stderr
    assert "Traceback" not in overlap.stderr


# -- dated blocks in hand-written pages ---------------------------------------------------------

BLOCKS = """Đầu trang.
<!-- as-of until=2026-12-31 -->
Cũ.
<!-- /as-of -->
<!-- as-of from=2027-01-01 notice="Sắp đổi." -->
Mới.
<!-- /as-of -->
Cuối trang.
"""


@pytest.mark.parametrize(
    ("day", "kept"),
    [
        ("2026-10-02", ["Cũ."]),  # 91 days before: no notice yet
        ("2026-10-03", ["Cũ.", '!!! info "Từ ngày 01/01/2027"', "    Sắp đổi."]),
        ("2026-12-31", ["Cũ.", '!!! info "Từ ngày 01/01/2027"', "    Sắp đổi."]),
        ("2027-01-01", ["Mới."]),
    ],
)
def test_dated_blocks_keep_the_passage_in_force(day, kept):
    lines = [x for x in dated.select_blocks(BLOCKS, _day(day)).splitlines() if x]
    assert lines == ["Đầu trang.", *kept, "Cuối trang."]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a\n<!-- as-of until=2026-12-31 -->\nb\n", 2, "chưa đóng"),
        ("a\n<!-- /as-of -->\n", 2, "không có thẻ mở"),
        ("<!-- as-of from=2027-02-30 -->\nx\n<!-- /as-of -->\n", 1, "'2027-02-30' không hợp lệ"),
        ("<!-- as-of since=2027-01-01 -->\nx\n<!-- /as-of -->\n", 1, "gặp 'since'"),
        ("<!-- as-of -->\nx\n<!-- /as-of -->\n", 1, "cần from="),
        ('<!-- as-of until=2027-01-01 notice="x" -->\n<!-- /as-of -->\n', 1, "cùng from="),
        (
            "<!-- as-of from=2027-01-01 -->\n<!-- as-of until=2027-02-01 -->\n",
            2,
            "lồng trong thẻ mở ở dòng 1",
        ),
    ],
)
def test_malformed_dated_blocks_name_their_line(text, line, message):
    with pytest.raises(dated.BadBlock, match=message) as caught:
        dated.select_blocks(text, _day("2026-12-06"))
    assert caught.value.line == line
    assert str(caught.value).startswith(f"dòng {line}: ")


HAND_WRITTEN = [
    "tra-cuu-ho-so.md",
    "dang-nhap-vneid.md",
    "thuat-ngu.md",
    "can-bo/tiep-nhan-xu-ly.md",
]


@pytest.mark.parametrize(("day", "linked"), [("2026-12-31", True), ("2027-01-01", False)])
def test_hand_written_pages_follow_the_filing_portal(day, linked):
    for name in HAND_WRITTEN:
        text = dated.select_blocks((ROOT / "docs" / name).read_text(encoding="utf-8"), _day(day))
        assert ("lienthong.dichvucong.gov.vn" in text) is linked, name
        assert "as-of" not in text, name
    lookup = dated.select_blocks(
        (ROOT / "docs" / "tra-cuu-ho-so.md").read_text(encoding="utf-8"), _day(day)
    )
    assert ("## Cách 1: Tra cứu trên Cổng Dịch vụ công quốc gia" in lookup) is not linked
    # The last days of 2026 announce the move.
    assert ('!!! info "Từ ngày 01/01/2027"' in lookup) is linked


def test_a_malformed_block_stops_the_build_naming_file_and_line(tmp_path: Path):
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from lienthong.site.plugin import LienThongPlugin

    plugin = LienThongPlugin()
    plugin.catalog = load_catalog(ROOT / "schemas", _day("2026-12-06"))
    page = SimpleNamespace(file=SimpleNamespace(src_uri="tra-cuu-ho-so.md"))
    config = SimpleNamespace(docs_dir=str(tmp_path / "docs"))
    with pytest.raises(PluginError, match=r"^docs/tra-cuu-ho-so\.md: dòng 3: .*chưa đóng"):
        plugin.on_page_markdown("# T\n\n<!-- as-of until=2026-12-31 -->\nx\n", page, config, None)


def test_a_site_built_as_of_1_january_2027_sends_nobody_to_the_old_portal(tmp_path, monkeypatch):
    """End to end: every page, the pack's texts and its PDFs, as of the day the linked-services
    software is reported to close."""
    import subprocess

    from lienthong.site.build import build_site

    monkeypatch.setenv(dated.ENV, "2027-01-01")
    site = build_site(ROOT / "mkdocs.yml", tmp_path / "site")
    texts = [p for p in site.rglob("*") if p.suffix in (".html", ".txt", ".json", ".md")]
    for pdf in (site / "goi-tai-lieu").glob("*.pdf"):
        out = tmp_path / (pdf.stem + ".txt")
        subprocess.run(["pdftotext", "-q", str(pdf), str(out)], check=True)
        texts.append(out)
    assert len(texts) > 20
    history = {site / "thay-doi-gan-day.html", *(site / "search").glob("*")}
    for path in texts:
        text = path.read_text(encoding="utf-8")
        if path in history:
            # The changes page tells what the national portal replaced, and says only that.
            for line in text.splitlines():
                if "lienthong.dichvucong" in line:
                    assert "thay cho" in line, (path, line)
            continue
        assert "lienthong.dichvucong" not in text, path
    lookup = (site / "tra-cuu-ho-so.html").read_text(encoding="utf-8")
    assert "Tra cứu trên Cổng Dịch vụ công quốc gia" in lookup
    assert 'href="https://dichvucong.gov.vn/tra-cuu-ho-so"' in lookup


# -- announcements: 90-day notices and the changes page ----------------------------------------

NEW_LAW = "Luật Hộ tịch số 03/2026/QH16 có hiệu lực, thay cho Luật Hộ tịch số 60/2014/QH13"


@pytest.mark.parametrize(
    ("day", "notice"),
    [("2026-11-30", False), ("2026-12-01", True), ("2027-02-28", True), ("2027-03-01", False)],
)
def test_the_new_civil_status_law_is_announced_90_days_ahead(day, notice):
    pages = render_pages(load_catalog(ROOT / "schemas", _day(day)), PUBLISHER)
    for uri in ("thu-tuc/khai-sinh.md", "thu-tuc/khai-tu.md", "lien-thong-khai-sinh.md"):
        top = pages[uri].split("\n## ", 1)[0]
        assert (f"- **Từ ngày 01/03/2027**: {NEW_LAW}" in top) is notice, (uri, day)
    # Not on pages the law does not concern.
    assert NEW_LAW not in pages["thu-tuc/bhyt-tre-em.md"]


def test_changes_page_lists_every_change_by_date_with_its_source():
    page = render_pages(load_catalog(ROOT / "schemas", _day("2026-12-06")), PUBLISHER)[
        "thay-doi-gan-day.md"
    ]
    coming, past = page.split("## Sắp áp dụng", 1)[1].split("## Đã áp dụng trong 12 tháng qua")
    days = [line for line in coming.splitlines() if line.startswith("### ")]
    assert days == ["### Từ ngày 01/01/2027", "### Từ ngày 01/03/2027"]
    assert NEW_LAW in coming and "[Khai sinh](thu-tuc/khai-sinh.md)" in coming
    portal = next(x for x in coming.splitlines() if "Nộp hồ sơ liên thông trên Cổng" in x)
    assert "<https://dichvucong.gov.vn>" in portal and "Nghị định 301/2026/NĐ-CP, Điều 18" in portal
    # The base salary's change, linked to both funeral grants that use it; newest first.
    base = next(x for x in past.splitlines() if "2.530.000" in x)
    assert "thay cho Mức lương cơ sở 2.340.000 đồng/tháng" in base
    assert "thu-tuc/tro-cap-mai-tang-bhxh.md" in base and "Nghị định 161/2026/NĐ-CP" in base
    past_days = [line for line in past.splitlines() if line.startswith("### ")]
    assert past_days[0] == "### Từ ngày 05/10/2026" and past_days[-1] == "### Từ ngày 01/07/2026"
    # A year on, nothing is left to announce.
    later = render_pages(load_catalog(ROOT / "schemas", _day("2028-06-01")), PUBLISHER)
    assert "Chưa có thay đổi nào đã công bố" in later["thay-doi-gan-day.md"]
