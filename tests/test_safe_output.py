"""Safe output: markup in schemas, settings and records stays text everywhere it is shown.

A whole site is built from schemas whose every user-facing text ends with the corpus's
PAYLOAD (script tags, an event handler, an attribute break-out, template syntax) and from a
publisher whose every free-text setting does too. Chromium then opens every page and both
offline forms of each group, imports a record carrying the payload in every text field that
accepts it, and prints it. Nothing may run: no dialog, no console error, no ``__pwned``, no
element the payload would have created. The payload must be readable as text instead. The
PDFs show it as text too.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import lienthong
from lienthong import cli
from lienthong.site.build import build_site
from tests.hostile.corpus import (
    PAYLOAD,
    PUBLISHER_BASE,
    RECORD,
    RECORD_CASES,
    SCHEMAS,
    example_record,
    mkdocs_yml,
)
from tests.site.test_site import GENERATED

if TYPE_CHECKING:
    from playwright.sync_api import Page

GROUP = "lien-thong-khai-sinh"
# Schema keys whose strings readers see (ids, codes, patterns, dates and message templates
# are left alone: they are checked, not shown verbatim).
TEXT_KEYS = {
    "title",
    "description",
    "text",
    "name",
    "summary",
    "condition",
    "how",
    "note",
    "source",
    "audience",
    "who",
    "label",
    "portal_label",
    "document",
}
PUBLISHER_TEXT = ("office_name", "office_address", "opening_hours", "officer_title", "hotline")
# What the payload would leave behind in the DOM if it were parsed as markup.
INJECTED = "img[src='x'], svg[onload], [onerror], [onload]"
PWNED = "window.__pwned"


def _poison(node: Any, key: str | None = None) -> Any:
    if isinstance(node, dict):
        # Examples are records, checked against the schemas: they stay valid.
        return {k: v if k == "examples" else _poison(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_poison(v, key) for v in node]
    if isinstance(node, str) and key in TEXT_KEYS:
        return node + " " + PAYLOAD
    return node


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("hostile-site")
    schemas = work / "schemas"
    (schemas / "meta").mkdir(parents=True)
    for path in SCHEMAS.glob("*.schema.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        poisoned = _poison(data)
        (schemas / path.name).write_text(json.dumps(poisoned, ensure_ascii=False), "utf-8")
    for path in (SCHEMAS / "meta").glob("*.schema.json"):
        (schemas / "meta" / path.name).write_bytes(path.read_bytes())
    publisher = {**PUBLISHER_BASE, **{k: f"Mục {k} {PAYLOAD}" for k in PUBLISHER_TEXT}}
    block = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in publisher.items())
    config = work / "mkdocs.yml"
    text = mkdocs_yml(block).replace(f"schemas_dir: {SCHEMAS}", f"schemas_dir: {schemas}")
    # The site name reaches every page's title, header and Material's inlined JSON config;
    # markup characters are refused there (a corpus case), the rest must come through.
    name = json.dumps("Thử & 'nháy đơn' {{7*7}} ${7*7}", ensure_ascii=False)
    config.write_text(text.replace("site_name: Thử", f"site_name: {name}"), encoding="utf-8")
    return build_site(config, work / "site")


def hostile_record() -> dict:
    """The example record with the payload in every text field that accepts it."""
    record = example_record()

    def walk(node: Any, path: list) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            if isinstance(value, (dict, list)):
                walk(value, [*path, key])
            elif isinstance(value, str):
                node[key] = value + " " + PAYLOAD
                ptr = "/" + "/".join(str(p) for p in [*path, key])
                errors = lienthong.validate(GROUP, record)
                if any(e["pointer"] == ptr for e in errors):
                    node[key] = value

    walk(record, [])
    return record


def test_payload_reaches_many_fields() -> None:
    record = hostile_record()
    text = json.dumps(record, ensure_ascii=False)
    assert text.count(PAYLOAD.replace('"', '\\"')) >= 10
    assert lienthong.validate(GROUP, record) == []


def test_hostile_pages_are_text_only(hostile_site: Path) -> None:
    """Outside script elements the payload is escaped; inside them (the offline form's data)
    it is a string that cannot close its element, or the markup would show up outside."""
    pages = sorted(hostile_site.rglob("*.html"))
    shown: list[str] = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        # As the HTML parser does: a script element ends at the first "</script".
        outside = re.sub(r"(?is)<script\b[^>]*>.*?</script\s*>", "", html)
        for raw in ("<script>window.__pwned", "<img src=x", "<svg onload", "\"'><svg"):
            assert raw not in outside, (page, raw)
        if "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in outside:
            shown.append(page.relative_to(hostile_site).as_posix())
    # On every page made from the schemas readers see the payload as text: escaped, not dropped.
    assert set(GENERATED) <= set(shown)


def _watch(page: Page) -> list[str]:
    events: list[str] = []
    page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
    return events


def _assert_inert(page: Page, events: list[str]) -> None:
    assert page.evaluate(PWNED) is None
    assert page.evaluate(f"document.querySelectorAll({json.dumps(INJECTED)}).length") == 0
    assert events == []
    assert page.console_errors == []


@pytest.mark.build
def test_hostile_site_runs_no_script(hostile_site: Path, page: Page) -> None:
    events = _watch(page)
    shown: list[str] = []
    # 404.html links "/assets/...": a web server's page, not one for file://.
    pages = sorted(
        p
        for p in hostile_site.rglob("*.html")
        if "bieu-mau" not in p.parts and p.name != "404.html"
    )
    assert len(pages) > 15
    for path in pages:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        _assert_inert(page, events)
        if "<script>window.__pwned=1</script>" in page.inner_text("body"):
            shown.append(path.relative_to(hostile_site).as_posix())
    # The payload is read as text, not dropped.
    assert set(GENERATED) <= set(shown)


@pytest.mark.build
@pytest.mark.parametrize("variant", ["single", "site"])
def test_hostile_offline_form_runs_no_script(
    hostile_site: Path, page: Page, tmp_path: Path, variant: str
) -> None:
    events = _watch(page)
    form = hostile_site / "bieu-mau" / (f"{GROUP}.html" if variant == "single" else GROUP)
    page.goto((form if variant == "single" else form / "index.html").as_uri())
    page.wait_for_load_state("load")
    _assert_inert(page, events)
    assert "<script>window.__pwned=1</script>" in page.inner_text("body")
    data = tmp_path / "ho-so.json"
    data.write_text(json.dumps(hostile_record(), ensure_ascii=False), encoding="utf-8")
    page.set_input_files("#lt-import", str(data))
    page.click("#lt-check")
    page.evaluate("window.print = () => {}")
    page.click("#lt-print")
    page.wait_for_function("() => document.getElementById('lt-print-view').childElementCount > 0")
    _assert_inert(page, events)
    # The form took every hostile value up as data (and shows it as text).
    assert page.evaluate("() => window.lienthong.form.record()") == hostile_record()


@pytest.mark.parametrize(
    "case", [c for c in RECORD_CASES if c.entry == RECORD and c.as_file], ids=lambda c: c.id
)
def test_corpus_records_imported_into_the_form(
    case, hostile_site: Path, page: Page, tmp_path: Path
) -> None:
    """Every hostile record: refused with the file named and the form unchanged, or taken up
    with its errors shown at the fields; never a script, never a console error."""
    events = _watch(page)
    page.goto((hostile_site / "bieu-mau" / f"{GROUP}.html").as_uri())
    page.fill("#f-requester-full_name", "Nguyễn Văn Giữ")
    before = page.evaluate("() => window.lienthong.form.record()")
    file = case.make(tmp_path)
    page.set_input_files("#lt-import", str(file))
    page.wait_for_function(
        "() => !document.querySelector('#lt-draft-note').hidden"
        " || document.querySelector('#f-requester-full_name').value !== 'Nguyễn Văn Giữ'",
        timeout=20_000,
    )
    note = page.inner_text("#lt-draft-note") if page.is_visible("#lt-draft-note") else ""
    if "giữ nguyên" in note:
        assert file.name in note
        assert page.evaluate("() => window.lienthong.form.record()") == before
    else:
        page.click("#lt-check")
    _assert_inert(page, events)


@pytest.mark.build
def test_hostile_record_prints_as_text(tmp_path: Path) -> None:
    data = tmp_path / "ho-so.json"
    data.write_text(json.dumps(hostile_record(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "ho-so.pdf"
    assert cli.main(["pdf", GROUP, "--data", str(data), "-o", str(out)]) == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<script>window.__pwned=1</script>" in " ".join(text.split())
    plain = copy.deepcopy(example_record())
    data.write_text(json.dumps(plain, ensure_ascii=False), encoding="utf-8")
    base = tmp_path / "mau.pdf"
    assert cli.main(["pdf", GROUP, "--data", str(data), "-o", str(base)]) == 0

    def images(pdf: Path) -> int:
        listing = subprocess.run(
            ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        return len(listing.splitlines()) - 2

    # The payload's <img src=x> did not become an image: the two differ only by their record
    # codes (one image each, and the longer record takes more of them).
    from lienthong.printing.render_pdf import renderer

    codes = renderer().views.record_codes
    extra = len(codes(GROUP, hostile_record())) - len(codes(GROUP, plain))
    assert images(out) == images(base) + extra


def test_hostile_settings_print_as_text_in_the_pack(hostile_site: Path) -> None:
    for name in ("ap-phich.pdf", "to-roi.pdf"):
        text = subprocess.run(
            ["pdftotext", str(hostile_site / "goi-tai-lieu" / name), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert f"Mục office_name {PAYLOAD.split('<img')[0]}" in " ".join(text.split()), name
