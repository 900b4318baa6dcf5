"""The MkDocs plugin and page rendering, without a full site build."""

from __future__ import annotations

import copy
import json
import unicodedata
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from generator import pages
from generator.plugin import LienThongPlugin
from generator.schemas import load_catalog
from generator.settings import publisher

ROOT = Path(__file__).resolve().parents[1]


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
    plugin = LienThongPlugin()
    plugin.schemas_dir = ROOT / "schemas"
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
    from generator import units

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
