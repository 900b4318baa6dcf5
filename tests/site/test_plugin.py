"""The MkDocs plugin and page rendering, without a full site build."""

from __future__ import annotations

import copy
import json
import unicodedata
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from lienthong.inputs.settings import publisher
from lienthong.schema.catalog import load_catalog
from lienthong.site import pages
from lienthong.site.plugin import LienThongPlugin

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "schemas")


@pytest.fixture(scope="module")
def settings():
    return publisher(ROOT / "mkdocs.yml")[0]


def test_entry_point_is_registered():
    [ep] = [ep for ep in entry_points(group="mkdocs.plugins") if ep.name == "lienthong"]
    assert ep.load() is LienThongPlugin


def test_on_serve_watches_schemas():
    # The publisher's own folder: the merged copy the build reads is remade from it.
    plugin = LienThongPlugin()
    plugin.own_schemas = ROOT / "schemas"
    watched = []

    class Server:
        def watch(self, path):
            watched.append(path)

    plugin.on_serve(Server(), config=None, builder=None)
    assert watched == [str(ROOT / "schemas")]


def test_generated_pages(catalog, settings):
    rendered = pages.render_pages(catalog, settings)
    assert set(rendered) == {
        "index.md",
        "giay-to.md",
        "lien-thong-khai-sinh.md",
        "lien-thong-khai-tu.md",
        "khai-tu-xoa-thuong-tru.md",
        "thay-doi-gan-day.md",
        *(f"thu-tuc/{pid}.md" for pid in catalog.procedures),
    }
    for text in rendered.values():
        assert unicodedata.is_normalized("NFC", text)
    birth = rendered["lien-thong-khai-sinh.md"]
    # The six steps, both look-ups with the publisher's URL, contacts, legal basis, checked date.
    for label in [
        "LỰA CHỌN CƠ QUAN THỰC HIỆN",
        "KÊ KHAI THÔNG TIN",
        "XEM LẠI CÁC TỜ KHAI CHI TIẾT",
        "ĐÍNH KÈM THÀNH PHẦN HỒ SƠ",
        "CHỌN HÌNH THỨC NHẬN KẾT QUẢ",
        "HOÀN THIỆN GỬI HỒ SƠ",
    ]:
        assert label in birth
    assert "<https://lienthong.dichvucong.gov.vn>" in birth
    assert "<https://dichvucong.hanoi.gov.vn>" in birth
    assert "Nguyễn Thu Trang" in birth and "tel:0912000111" in birth
    assert "Nghị định 63/2024/NĐ-CP" in birth
    assert "kiểm tra lần cuối ngày 23/11/2026" in birth
    proc = rendered["thu-tuc/khai-sinh.md"]
    assert "Luật Hộ tịch số 60/2014/QH13" in proc and "01/01/2016" in proc


def test_unverified_facts_are_marked(catalog, settings):
    rendered = pages.render_pages(catalog, settings)
    # The national code of the birth group is only from a local catalogue.
    assert "1.001193.02" in rendered["lien-thong-khai-sinh.md"]
    line = next(x for x in rendered["lien-thong-khai-sinh.md"].splitlines() if "1.001193.02" in x)
    assert "cần kiểm tra lại" in line


def test_schema_text_cannot_inject_markup(catalog, settings):
    hostile = copy.deepcopy(catalog)
    group = hostile.schemas["lien-thong-khai-sinh"]["x-group"]
    group["summary"] = "<script>alert(1)</script> [link](javascript:alert(2)) **bold** `code`"
    group["warnings"][0]["text"] = '<img src=x onerror="alert(3)">'
    text = pages.render_pages(hostile, settings)["lien-thong-khai-sinh.md"]
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    assert "\\[link\\]" in text and "\\*\\*bold\\*\\*" in text and "\\`code\\`" in text


def test_unsafe_publisher_url_is_refused(catalog, settings):
    bad = dict(settings, provincial_portal_url="javascript:alert(1)")
    with pytest.raises(ValueError, match="unsafe URL"):
        pages.render_pages(catalog, bad)


def test_hand_written_page_wins(catalog, settings, tmp_path):
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files

    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    plugin = LienThongPlugin()
    plugin.load_config({"publisher": settings})
    plugin.catalog = catalog
    own = File("index.md", str(ROOT / "docs"), str(tmp_path / "site"), use_directory_urls=False)
    config.plugins._current_plugin = "lienthong"  # set by MkDocs while an event runs
    files = plugin.on_files(Files([own]), config)
    assert files.get_file_from_path("index.md") is own
    assert files.get_file_from_path("lien-thong-khai-sinh.md").generated_by == "lienthong"


def test_examples_are_realistic(catalog):
    from lienthong.inputs import units

    for gid in catalog.groups:
        example = catalog.schemas[gid]["examples"][0]
        codes = [v for k, v in _walk(example) if k == "commune"]
        assert codes and all(code in units.communes() for code in codes)
    assert json.dumps(catalog.schemas["lien-thong-khai-sinh"]["examples"][0], ensure_ascii=False)


def _walk(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


# -- sources and dates ("Trust") -------------------------------------------------------------------


def _sourced(annotation: dict) -> list[dict]:
    """Every item of an x-procedure or x-group that names a source, read off the schema."""
    out = []
    for value in annotation.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and "source" in item:
                out.append(item)
    return out


def _label(item: dict) -> str:
    """The words a page prints for an item: a fact's text, a document's or form's name, a law's
    title (at most the first 60 characters, as Markdown escapes them)."""
    for key in ("text", "name", "title"):
        if key in item:
            return pages.md_escape(item[key])[:60]
    raise AssertionError(item)


def _vi(day: str) -> str:
    return "/".join(reversed(day.split("-")))


def assert_sourced_and_dated(text: str, items: list[dict], day: str, where: str) -> None:
    """Each item's line shows its source, and its date either on the line or in the note that
    closes its section (before the next heading)."""
    lines = text.replace("<wbr>", "").splitlines()  # break points in document numbers
    for item in items:
        source = pages.md_escape(item["source"])
        label = _label(item)
        found = [i for i, line in enumerate(lines) if label in line and source in line]
        assert found, f"{where}: no line shows {label!r} with its source {source!r}"
        date = _vi(item.get("checked", day))
        for i in found:
            if f"kiểm tra ngày {date}" in lines[i]:
                continue
            rest = []
            for line in lines[i + 1 :]:
                if line.startswith("#"):
                    break
                rest.append(line)
            assert any(f"kiểm tra lần cuối ngày {date}" in r.lower() for r in rest), (
                f"{where}: {label!r} has no date {date} on its line or in its section"
            )


def test_every_fact_shows_its_source_and_date(catalog, settings):
    rendered = pages.render_pages(catalog, settings)
    for pid, proc in catalog.procedures.items():
        where = pages.procedure_uri(pid)
        assert_sourced_and_dated(rendered[where], _sourced(proc), proc["checked"], where)
    documents = rendered["giay-to.md"]
    for gid, group in catalog.groups.items():
        where = pages.group_uri(gid)
        assert_sourced_and_dated(rendered[where], _sourced(group), group["checked"], where)
        for item in group["procedures"]:
            proc = catalog.procedures[item["id"]]
            fed = [proc["agency"], *proc["documents"]]
            assert_sourced_and_dated(rendered[where], fed, proc["checked"], where)
            assert_sourced_and_dated(documents, proc["documents"], proc["checked"], "giay-to.md")


def test_a_fact_checked_on_its_own_date_says_so(catalog, settings):
    """A fact with its own ``checked`` shows that date on its line; the section's note and the
    page's last line say that some entries carry their own date."""
    changed = copy.deepcopy(catalog)
    proc = changed.schemas["khai-sinh"]["x-procedure"]
    proc["fee"][1]["checked"] = "2026-01-15"
    text = pages.render_pages(changed, settings)["thu-tuc/khai-sinh.md"]
    fees = text.split("## Lệ phí\n", 1)[1].split("\n## ", 1)[0]
    [own] = [line for line in fees.splitlines() if "2026-01-15" in line or "15/01/2026" in line]
    assert pages.md_escape(proc["fee"][1]["source"]) + "; kiểm tra ngày 15/01/2026)*" in own
    day = _vi(proc["checked"])
    assert f"*Kiểm tra lần cuối ngày {day}, trừ mục ghi ngày riêng.*" in fees
    # One line per fee with a date of its own (the changed one and any re-checked since).
    assert fees.count("kiểm tra ngày") == sum("checked" in fee for fee in proc["fee"])
    assert text.rstrip().endswith(f"ngày {day}, trừ mục ghi ngày riêng.*")
    # The facts in force on the build's day (a future law is announced, not listed).
    shown = changed.procedures["khai-sinh"]
    assert_sourced_and_dated(text, _sourced(shown), proc["checked"], "khai-sinh (changed)")


def test_document_numbers_break_after_slashes_only(catalog, settings):
    """On a 360 px phone the legal-basis table wraps "02/2020/UBTVQH14" at its slashes."""
    page = pages.render_pages(catalog, settings)["thu-tuc/mai-tang-phi-nguoi-co-cong.md"]
    basis = page.split("## Căn cứ pháp lý", 1)[1]
    assert "| Pháp lệnh 02/<wbr>2020/<wbr>UBTVQH14 |" in basis
