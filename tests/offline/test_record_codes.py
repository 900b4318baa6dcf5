"""Record codes in Chromium: the citizen's print carries them, the clerk's scan page reads them
from a photo of the page, and the form opens the record from them, or refuses them unchanged.

The pages are built as the site builds them (bieu-mau/<group>.html and quet-ma.html) and opened
from file:// with the network cut off. Desktop Chromium on Linux has no BarcodeDetector, so the
scan page runs the bundled decoder (npm qr), as on a clerk's Windows or Linux desk.
"""

from __future__ import annotations

import copy
import json
import random
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

from lienthong import _catalog
from lienthong.offline.form import form_model
from lienthong.printing import render_pdf
from lienthong.recordcode import codec, scan
from tests.axe import describe, run_axe
from tests.recordcode.records import maximal

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
GROUP = "lien-thong-khai-sinh"


@pytest.fixture(scope="module")
def catalog():
    return _catalog(SCHEMAS)


@pytest.fixture(scope="module")
def forms(tmp_path_factory, catalog) -> Path:
    from tests.offline.test_offline_form import write_forms

    groups = ("lien-thong-khai-sinh", "lien-thong-khai-tu")
    return write_forms(tmp_path_factory.mktemp("bieu-mau"), catalog, groups, scan_page=True)


def example(catalog, group: str = GROUP) -> dict:
    return copy.deepcopy(catalog.schema(group)["examples"][0])


def record_of(page: Page) -> Any:
    return page.evaluate("window.lienthong.form.record()")


def printed_page_png(record: Any, folder: Path) -> Path:
    """The checklist page of ``record`` printed by Python and scanned at 150 dpi."""
    renderer = render_pdf.Renderer(base_url="https://xa.example.vn/")
    pdf = folder / "danh-muc.pdf"
    pdf.write_bytes(renderer.render(f"checklist-{GROUP}", record, allow_incomplete=True))
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(folder / "p")], check=True)
    return next(
        p
        for p in sorted(folder.glob("p-*.png"))
        if any(t.startswith("LT1:") for t in scan._zbar(p))
    )


def test_the_citizens_print_carries_the_record(page: Page, forms: Path, catalog, tmp_path):
    """Filled and printed in the browser, scanned at 150 dpi, read back by Python."""
    record = maximal(form_model(catalog, GROUP), random.Random(2))
    page.goto((forms / f"{GROUP}.html").as_uri())
    page.evaluate("r => window.lienthong.form.fill(r)", record)
    held = record_of(page)  # without the fields the case hides (an address for mail, say)
    assert held != record
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("#lt-print")
    page.wait_for_function("() => window.__printed === true")
    assert page.locator("#lt-print-view svg.rc").count() == 3
    pdf = tmp_path / "in.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "p")], check=True)
    texts = [t for p in sorted(tmp_path.glob("p-*.png")) for t in scan._zbar(p)]
    codes = sorted((t for t in texts if t.startswith("LT1:")), key=lambda t: codec.parse(t).index)
    assert len(codes) == 3
    assert codec.decode(codes, codec.layout(catalog, GROUP)) == held
    assert page.console_errors == [] and page.remote_requests == []


def test_the_clerk_scans_a_photo_and_gets_the_record(page: Page, forms: Path, catalog, tmp_path):
    record = maximal(form_model(catalog, GROUP), random.Random(8))
    photo = printed_page_png(record, tmp_path)
    page.goto((forms / "quet-ma.html").as_uri())
    assert page.evaluate("typeof window.BarcodeDetector") == "undefined"  # the bundled decoder
    page.set_input_files("#lt-scan-files", str(photo))
    page.wait_for_selector("#lt-scan-open:not([hidden])", timeout=30000)
    assert "Đã đọc đủ 3 mã" in page.inner_text("#lt-scan-status")
    assert describe(run_axe(page)) == ""
    page.click("#lt-scan-open")
    page.wait_for_function(
        "() => document.querySelector('#lt-draft-note').innerText.includes('mã trên tờ khai')"
    )
    scanned = record_of(page)
    # What the form holds is what it would hold had the record been typed into it (a case
    # hides some fields: maximal() fills every one).
    page.evaluate("r => window.lienthong.form.fill(r)", record)
    assert scanned == record_of(page)
    # The record left the address bar and the history entry at once.
    assert "#ma=" not in page.url and page.evaluate("location.hash") == ""
    page.go_back()
    assert "#ma=" not in page.url
    assert page.console_errors == [] and page.remote_requests == []


def test_a_set_with_a_code_missing_is_not_opened(page: Page, forms: Path, catalog, tmp_path):
    from PIL import Image

    record = maximal(form_model(catalog, GROUP), random.Random(9))
    whole = Image.open(printed_page_png(record, tmp_path))
    w, h = whole.size
    whole.crop((0, 0, int(w * 0.64), h)).save(tmp_path / "trai.png")  # codes 1 and 2
    page.goto((forms / "quet-ma.html").as_uri())
    page.set_input_files("#lt-scan-files", str(tmp_path / "trai.png"))
    page.wait_for_function(
        "() => document.querySelector('#lt-scan-status').innerText.includes('Còn thiếu')"
    )
    assert "Còn thiếu mã 3/3" in page.inner_text("#lt-scan-status")
    assert page.is_hidden("#lt-scan-open")
    blank = tmp_path / "trang.png"
    Image.new("RGB", (400, 400), "white").save(blank)
    page.click("#lt-scan-reset")
    page.set_input_files("#lt-scan-files", str(blank))
    page.wait_for_function(
        "() => document.querySelector('#lt-scan-status').innerText.includes('Không thấy mã')"
    )


@pytest.mark.parametrize(
    "what",
    ["other-group", "other-version", "damaged", "missing-part", "not-a-code", "bad-escape"],
)
def test_hostile_codes_leave_the_form_unchanged(page: Page, forms: Path, catalog, what):
    lay = codec.layout(catalog, GROUP)
    texts = codec.encode(maximal(form_model(catalog, GROUP), random.Random(4)), lay)
    death = codec.layout(catalog, "lien-thong-khai-tu")
    if what == "other-group":
        texts = codec.encode(example(catalog, "lien-thong-khai-tu"), death)
    elif what == "other-version":
        texts = [t.replace(lay.tag, "V0-000000") for t in texts]
    elif what == "damaged":
        texts = [t[:-9] + ("A" if t[-9] != "A" else "B") + t[-8:] for t in texts]
    elif what == "missing-part":
        texts = texts[:2]
    elif what == "not-a-code":
        texts = ["<img src=x onerror=window.__pwned=1>"]
    fragment = "%E0%A4%A" if what == "bad-escape" else quote("\n".join(texts), safe="")
    reason = {
        "other-group": "nhóm thủ tục khác",
        "other-version": "phiên bản biểu mẫu khác",
        "damaged": "không ghép được",
        "missing-part": "Còn thiếu mã 3",
        "not-a-code": "không phải mã hồ sơ",
        "bad-escape": "không phải mã hồ sơ",
    }[what]
    page.goto((forms / f"{GROUP}.html").as_uri())
    before = record_of(page)
    page.goto("about:blank")  # a new load, not a jump inside the page
    page.goto((forms / f"{GROUP}.html").as_uri() + "#ma=" + fragment)
    page.wait_for_function(
        "() => document.querySelector('#lt-draft-note').innerText.includes('giữ nguyên')"
    )
    note = page.inner_text("#lt-draft-note")
    assert reason in note, note
    assert record_of(page) == before
    assert page.evaluate("location.hash") == ""
    assert page.evaluate("window.__pwned") is None
    assert page.console_errors == [] and page.remote_requests == []


def test_the_scan_page_is_offline_and_strict(forms: Path):
    from html import unescape

    html = unescape((forms / "quet-ma.html").read_text(encoding="utf-8"))
    assert "default-src 'none'" in html and "connect-src" not in html
    assert "media-src blob:;" in html
    data = json.loads(html.split('id="lt-scan-data">', 1)[1].split("</script>", 1)[0])
    assert data["groups"]["LIEN-THONG-KHAI-SINH"]["href"] == "lien-thong-khai-sinh.html"


def test_the_camera_starts_under_the_pages_policy(browser, forms: Path):
    """Chromium's fake camera (a moving test pattern): the stream plays in the page under its
    CSP, frames are read without an error, and the camera stops again."""
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    fake = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ],
    )
    try:
        context = fake.new_context(viewport={"width": 360, "height": 640}, permissions=["camera"])
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((forms / "quet-ma.html").as_uri())
        page.click("#lt-scan-camera")
        page.wait_for_function("() => document.getElementById('lt-scan-video').videoWidth > 0")
        assert "Đưa lần lượt" in page.inner_text("#lt-scan-status")
        page.wait_for_timeout(800)  # a few frames through the decoder
        page.click("#lt-scan-camera")
        assert page.is_hidden("#lt-scan-video")
        assert errors == []
    finally:
        fake.close()
