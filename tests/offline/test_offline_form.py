"""The offline form (generator/offline/form.py + assets/form/app.js) in Debian's Chromium.

The pages are built once per session with the real pipeline (validator, print view, app,
minified) and opened from file:// with the network cut off (conftest's ``page`` fixture).
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import lienthong
from lienthong import _catalog
from lienthong.offline.form import (
    CONDITION_KEYWORDS,
    FormBuildError,
    build_group_pages,
    field_id,
    form_model,
    render_page,
    site_settings,
)
from tests.axe import describe, run_axe

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
GROUPS = ("lien-thong-khai-sinh", "lien-thong-khai-tu", "khai-tu-xoa-thuong-tru")
DESKTOP = {"width": 1280, "height": 900}


def example(group: str) -> dict:
    return json.loads((SCHEMAS / f"{group}.schema.json").read_text(encoding="utf-8"))["examples"][0]


@pytest.fixture(scope="session")
def catalog():
    return _catalog(SCHEMAS)


@pytest.fixture(scope="session")
def forms(tmp_path_factory: pytest.TempPathFactory, catalog) -> Path:
    """bieu-mau/ as the site build writes it: <group>.html and <group>/index.html, with the
    whole form on one page (test_form_steps.py has the phone's one step at a time)."""
    return write_forms(tmp_path_factory.mktemp("bieu-mau"), catalog, GROUPS)


def write_forms(out: Path, catalog, groups, scan_page: bool = False) -> Path:
    """The groups' pages into ``out`` as the site build writes them (one page at a time on no
    screen: layout one-page) with the pre-2025 unit table beside them, and with ``scan_page``
    the clerk's quet-ma.html."""
    settings = site_settings(
        schemas_dir=SCHEMAS,
        forms_dir=ROOT / "forms",
        node_modules=ROOT / "node_modules",
        site_name="Dịch vụ công liên thông",
        office="Bộ phận Một cửa, Ủy ban nhân dân phường Ba Đình",
        layout="one-page",
    )
    for group in groups:
        for path, html in build_group_pages(catalog, group, settings).items():
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_text(html, encoding="utf-8")
    from lienthong.offline.legacy_js import FILE, build_legacy_script

    (out / FILE).write_text(build_legacy_script(), encoding="utf-8")
    if scan_page:
        from lienthong.offline.scan_page import build_scan_page

        (out / "quet-ma.html").write_text(build_scan_page(catalog, settings), encoding="utf-8")
    return out


def open_form(page: Page, forms: Path, group: str) -> None:
    page.goto((forms / f"{group}.html").as_uri())
    assert page.evaluate("!!(window.lienthong && window.lienthong.form)")


# -- driving the form like a person ---------------------------------------------------------------


def _real(ptr: str, idx: list[int]) -> str:
    it = iter(idx)
    return re.sub("#", lambda _: str(next(it)), ptr)


def drive(page: Page, node: dict, value: Any, idx: list[int] | None = None) -> None:
    """Type, pick and tick ``value`` into the form, in the form's own order."""
    idx = idx or []
    ptr = _real(node["p"], idx)
    fid = field_id(ptr)
    kind = node["k"]
    if kind in ("object", "place"):
        if value is None:
            return
        if node.get("o"):
            page.check(f"#{fid}-on")
        if kind == "place":
            page.select_option(f"#{fid}-province", value["province"])
            page.select_option(f"#{fid}-commune", value["commune"])
            if "detail" in value:
                page.fill(f"#{fid}-detail", value["detail"])
            return
        for child in node["c"]:
            key = child["p"].rsplit("/", 1)[-1]
            if key in value:
                drive(page, child, value[key], idx)
    elif kind == "array":
        for i, item in enumerate(value):
            page.click(f'[data-add="{node["p"]}"]')
            drive(page, node["i"], item, [*idx, i])
    elif kind == "radio":
        page.check(f'input[name="{ptr}"][value="{value}"]')
    elif kind == "checkbox":
        page.set_checked(f"#{fid}", value is True)
    elif kind == "select":
        page.select_option(f"#{fid}", value)
    else:
        page.fill(f"#{fid}", str(value))


def model(page: Page) -> dict:
    return page.evaluate("JSON.parse(document.getElementById('lt-model').textContent).t")


def record(page: Page) -> Any:
    return page.evaluate("window.lienthong.form.record()")


def shown_errors(page: Page) -> dict[str, str]:
    """Inline messages on screen, by the id of the field they belong to."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#lt-form .lt-error')]
            .filter(p => !p.hidden).map(p => [p.id.replace(/-error$/, ''), p.textContent]))"""
    )


# -- the model ------------------------------------------------------------------------------------


def _find(node, ptr):
    if node.ptr == ptr:
        return node
    for child in [*node.children, *([node.item] if node.item else [])]:
        found = _find(child, ptr)
        if found:
            return found
    return None


def test_model_follows_the_schema(catalog) -> None:
    m = form_model(catalog, "lien-thong-khai-sinh")
    assert [c.key for c in m.children][:2] == ["requester", "khai_sinh"]
    assert [c.key for c in m.children][-3:] == ["filing_date", "filing_place", "delivery"]
    facility = _find(m, "/khai_sinh/child/birthplace/facility")
    assert facility.when == [
        {"properties": {"kind": {"const": "co-so-y-te"}}, "required": ["kind"]}
    ]
    assert _find(m, "/khai_sinh/mother").when and not _find(m, "/khai_sinh/mother").required
    assert _find(m, "/khai_sinh/marriage_certificate").optional
    assert _find(m, "/requester/residence").kind == "place"
    assert _find(m, "/khai_sinh/child/ethnicity").kind == "select"
    members = _find(m, "/thuong_tru/members")
    assert members.kind == "array" and members.item.ptr == "/thuong_tru/members/#"
    # The requester's relationship takes the group's narrower list, with labels.
    relationship = _find(m, "/requester/relationship")
    assert [v for v, _ in relationship.options][:2] == ["cha", "me"]
    tu = form_model(catalog, "lien-thong-khai-tu")
    assert [c.key for c in tu.children][:2] == ["requester", "funeral_benefit"]
    assert _find(tu, "/bhxh_mai_tang").when


def test_conditions_outside_the_browser_evaluator_stop_the_build(tmp_path) -> None:
    import shutil

    from lienthong.schema.catalog import load_catalog

    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    path = tmp_path / "schemas" / "common.schema.json"
    common = json.loads(path.read_text(encoding="utf-8"))
    common["$defs"]["copies"]["if"] = {"properties": {"count": {"minimum": 2}}}
    path.write_text(json.dumps(common, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FormBuildError, match="minimum"):
        form_model(load_catalog(tmp_path / "schemas"), "lien-thong-khai-sinh")
    assert "minimum" not in CONDITION_KEYWORDS


def test_procedure_sections_name_their_sources_and_date(catalog) -> None:
    """Under each procedure's heading: its legal basis, the acts that issued its forms and the
    date it was last checked, as the schemas give them; the footer keeps the version."""
    for group in GROUPS:
        links = {"home": None, "guide": None}
        html = render_page(catalog, group, scripts=[], site_name="S", office="O", links=links)
        spec = catalog.groups[group]
        for item in spec["procedures"]:
            proc = catalog.procedures[item["id"]]
            heading = f'<h2 id="w{field_id("/" + proc["key"])}-title" tabindex="-1">'
            head = html.split(heading, 1)[1].split("</h2>", 1)[1]
            source = re.match(r'\s*<p class="lt-source">([^<]*)</p>', head)
            assert source, f"{group}/{proc['key']}: no source line under the heading"
            line = unescape(source[1])
            expected = [d["document"] for d in proc["legal_basis"]]
            expected += [f["issued_with"] for f in proc.get("forms", [])]
            days = {proc["checked"]} | {
                v["checked"]
                for value in proc.values()
                for v in (value if isinstance(value, list) else [value])
                if isinstance(v, dict) and "checked" in v
            }
            expected += ["/".join(reversed(d.split("-"))) for d in days]
            for text in expected:
                assert text in line, f"{group}/{proc['key']}: {text!r} not in {line!r}"
        footer = unescape(html.split('<footer class="lt-footer">', 1)[1])
        assert f"phiên bản {spec['version']}" in footer
        assert "/".join(reversed(spec["checked"].split("-"))) in footer


def as_drawn(html: str, catalog, group: str) -> str:
    """The page's markup as the browser has it once app.js drew the sections (their HTML is
    Python's: test_the_browser_draws_the_sections_that_python_renders), scripts left out."""
    from lienthong.offline.form import form_markup, form_model, sections

    markup = str(form_markup(sections(catalog, form_model(catalog, group))))
    html = re.sub(r"(<script[^>]*>).*?(</script>)", r"\1\2", html, flags=re.S)
    review = '<section class="lt-section" id="lt-review"'
    return html.replace(review, markup + review, 1)


def test_pages_are_self_contained_and_locked_down(forms: Path, catalog) -> None:
    for group in GROUPS:
        for path in (forms / f"{group}.html", forms / group / "index.html"):
            source = path.read_text(encoding="utf-8")
            html = as_drawn(source, catalog, group)
            csp = unescape(
                re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)[1]
            )
            assert "unsafe-eval" not in csp and "http" not in csp
            assert "default-src 'none'" in csp
            assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="', source), path
            ids = re.findall(r' id="([^"]+)"', html)
            assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1][:3]
            # Every input and select has a label (or is in a labelled radio/checkbox label).
            for fid in re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html):
                if fid == "lt-import":
                    continue
                assert f'for="{fid}"' in html or re.search(
                    rf'<label class="lt-radio[^"]*"><input [^>]*id="{re.escape(fid)}"', html
                ), fid


# -- in the browser ----------------------------------------------------------------------------


@pytest.mark.parametrize("group", ["lien-thong-khai-sinh", "lien-thong-khai-tu"])
def test_example_filled_through_the_ui_is_valid(page: Page, forms: Path, group: str) -> None:
    open_form(page, forms, group)
    csp_violations = page.evaluate(
        "window.__v = []; document.addEventListener('securitypolicyviolation', e => "
        "window.__v.push(e.violatedDirective)); window.__v"
    )
    drive(page, model(page), example(group))
    assert record(page) == example(group)
    page.click("#lt-check")
    assert page.is_visible("#lt-done")
    assert page.evaluate("document.activeElement.id") == "lt-done"
    assert page.evaluate("window.lienthong.validate(window.lienthong.form.record())") == []
    assert page.evaluate("window.__v") == csp_violations == []
    assert page.remote_requests == []
    assert page.console_errors == []


def test_conditional_fields_appear_only_when_they_apply(page: Page, forms: Path) -> None:
    open_form(page, forms, "lien-thong-khai-sinh")
    facility = "#wf-khai_sinh-child-birthplace-facility"
    assert page.is_hidden(facility)
    page.check('input[name="/khai_sinh/child/birthplace/kind"][value="co-so-y-te"]')
    assert page.is_visible(facility)
    page.check('input[name="/khai_sinh/child/birthplace/kind"][value="ngoai-co-so-y-te"]')
    assert page.is_hidden(facility)
    assert page.is_hidden("#wf-khai_sinh-father")
    page.check('input[name="/khai_sinh/parents_case"][value="chua-xac-dinh-me"]')
    assert page.is_visible("#wf-khai_sinh-father") and page.is_hidden("#wf-khai_sinh-mother")
    # An optional block stays out of the record until the person opens it.
    assert "marriage_certificate" not in record(page)["khai_sinh"]
    page.check("#f-khai_sinh-marriage_certificate-on")
    assert record(page)["khai_sinh"]["marriage_certificate"] == {}
    # Province -> commune picker from the 2025 units.
    page.select_option("#f-requester-residence-province", "79")
    options = page.eval_on_selector_all(
        "#f-requester-residence-commune option", "os => os.map(o => o.value)"
    )
    assert len(options) > 100 and all(o == "" or len(o) == 5 for o in options)
    # Repeating rows: add two household members, remove the first.
    page.click('[data-add="/thuong_tru/members"]')
    page.fill("#f-thuong_tru-members-0-full_name", "Trần Văn Một")
    page.click('[data-add="/thuong_tru/members"]')
    page.fill("#f-thuong_tru-members-1-full_name", "Trần Văn Hai")
    page.click("#f-thuong_tru-members-rows [data-row]:first-child [data-remove]")
    assert record(page)["thuong_tru"]["members"] == [{"full_name": "Trần Văn Hai"}]


def test_invalid_values_get_python_messages_inline_and_in_the_summary(
    page: Page, forms: Path
) -> None:
    group = "lien-thong-khai-sinh"
    open_form(page, forms, group)
    drive(page, model(page), example(group))
    page.fill("#f-requester-personal_id", "12345")
    page.focus("#f-requester-phone")  # blur: the message appears next to the field
    python = {e["pointer"]: e["message"] for e in lienthong.validate(group, record(page))}
    assert shown_errors(page) == {"f-requester-personal_id": python["/requester/personal_id"]}
    assert page.get_attribute("#f-requester-personal_id", "aria-invalid") == "true"
    # A cross-field rule: the child born after the filing date.
    page.fill("#f-khai_sinh-child-dob", "2099-01-01")
    page.fill("#f-requester-phone", "12")
    page.click("#lt-check")
    expected = lienthong.validate(group, record(page))
    assert {e["pointer"] for e in expected} >= {
        "/requester/personal_id",
        "/requester/phone",
        "/khai_sinh/child/dob",
    }
    assert page.evaluate("document.activeElement.id") == "lt-summary"
    links = page.eval_on_selector_all(
        "#lt-summary-list a", "as => as.map(a => [a.textContent, a.getAttribute('href')])"
    )
    assert sorted(t for t, _ in links) == sorted(e["message"] for e in expected)
    assert page.get_attribute("#lt-summary", "role") == "alert"
    first = links[0][1]
    page.click(f'#lt-summary-list a[href="{first}"]')
    assert "#" + page.evaluate("document.activeElement.id") == first
    # Fixing a field clears its message as the person types.
    page.fill("#f-requester-personal_id", example(group)["requester"]["personal_id"])
    assert "f-requester-personal_id" not in shown_errors(page)


def test_draft_needs_consent_and_survives_a_reload(page: Page, forms: Path) -> None:
    group = "khai-tu-xoa-thuong-tru"
    open_form(page, forms, group)
    page.fill("#f-requester-full_name", "Lê Thị Hoa")
    page.reload()
    assert page.evaluate("!!(window.lienthong && window.lienthong.form)")
    assert page.input_value("#f-requester-full_name") == ""
    assert page.evaluate("localStorage.length") == 0
    page.check("#lt-consent")
    page.fill("#f-requester-full_name", "Lê Thị Hoa")
    page.check('input[name="/delivery/method"][value="buu-chinh"]')
    page.wait_for_timeout(400)  # autosave is debounced
    page.reload()
    assert page.evaluate("!!(window.lienthong && window.lienthong.form)")
    assert page.input_value("#f-requester-full_name") == "Lê Thị Hoa"
    assert page.is_checked("#lt-consent")
    assert page.is_visible("#wf-delivery-address")
    assert "Đã mở lại bản nháp" in page.inner_text("#lt-draft-note")
    # Withdrawing consent deletes the draft.
    page.uncheck("#lt-consent")
    assert page.evaluate("localStorage.length") == 0


def test_old_draft_is_migrated_and_explained_never_dropped(page: Page, forms: Path) -> None:
    group = "khai-tu-xoa-thuong-tru"
    open_form(page, forms, group)
    old = {
        "version": 0,
        "saved": "2026-01-05T08:30:00Z",
        "record": {"requester": {"full_name": "Lê Văn Cũ", "ten_cu": "x"}, "muc_da_bo": 1},
    }
    page.evaluate(f"localStorage.setItem('lienthong:{group}', {json.dumps(json.dumps(old))})")
    page.reload()
    assert page.evaluate("!!(window.lienthong && window.lienthong.form)")
    assert page.input_value("#f-requester-full_name") == "Lê Văn Cũ"
    note = page.inner_text("#lt-draft-note")
    assert "phiên bản 0" in note and "phiên bản 1" in note and "không đưa vào được" in note
    # No old unit and no district field: the pre-2025 table is not fetched for this draft.
    assert page.evaluate("!window.lienthong.legacy && !document.querySelector('script[src]')")
    assert json.loads(page.evaluate(f"localStorage.getItem('lienthong:{group}:cu')")) == old
    with page.expect_download() as download:
        page.click("#lt-draft-note button")
    assert json.loads(Path(download.value.path()).read_text(encoding="utf-8")) == old


def test_export_clear_import_round_trip(page: Page, forms: Path, tmp_path: Path) -> None:
    group = "lien-thong-khai-tu"
    open_form(page, forms, group)
    page.check("#lt-consent")
    page.evaluate("r => window.lienthong.form.fill(r)", example(group))
    with page.expect_download() as download:
        page.click("#lt-export")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith(group) and saved.suffix == ".json"
    assert json.loads(saved.read_text(encoding="utf-8")) == example(group)
    # The exported file prints with the command-line tool.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "lienthong.cli",
            "pdf",
            group,
            "--data",
            str(saved),
            "-o",
            str(tmp_path / "out.pdf"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    page.click("#lt-clear")
    page.click("#lt-clear-yes")
    assert page.evaluate("localStorage.length") == 0
    assert page.input_value("#f-requester-full_name") == ""
    assert not page.is_checked("#lt-consent")
    page.set_input_files("#lt-import", str(saved))
    page.wait_for_selector("#lt-done:not([hidden])")
    assert record(page) == example(group)
    assert page.is_visible("#lt-done")


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("hong.json", b'{"requester": {"full_name": "A"', "không đọc được dạng JSON"),
        ("mang.json", b"[1, 2, 3]", "không chứa một hồ sơ"),
        (
            "la.json",
            b'{"requester": {}, "<img src=x onerror=alert(1)>": 1}',
            "không thuộc biểu mẫu",
        ),
        (
            "sau.json",
            json.dumps({"requester": {"full_name": [[[[[[[[[["x"]]]]]]]]]]}}).encode(),
            "quá sâu",
        ),
        ("rong.json", b"{}", "không có thông tin"),
    ],
)
def test_bad_import_is_refused_and_changes_nothing(
    page: Page, forms: Path, tmp_path: Path, name: str, content: bytes, why: str
) -> None:
    group = "lien-thong-khai-sinh"
    open_form(page, forms, group)
    page.fill("#f-requester-full_name", "Nguyễn Văn Giữ")
    before = record(page)
    (tmp_path / name).write_bytes(content)
    page.set_input_files("#lt-import", str(tmp_path / name))
    page.wait_for_selector("#lt-draft-note:not([hidden])")
    note = page.inner_text("#lt-draft-note")
    assert name in note and why in note and "giữ nguyên" in note
    assert record(page) == before
    assert page.console_errors == []


def test_print_gives_the_filled_declarations(page: Page, forms: Path, tmp_path: Path) -> None:
    group = "lien-thong-khai-sinh"
    open_form(page, forms, group)
    record_ = example(group)
    page.evaluate("r => window.lienthong.form.fill(r)", record_)
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("#lt-print")
    page.wait_for_function("() => window.__printed === true")  # after the record codes
    pdf = tmp_path / "print.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text
    assert record_["khai_sinh"]["child"]["full_name"] in text
    assert record_["requester"]["full_name"] in text
    assert lienthong.date_in_words(record_["khai_sinh"]["child"]["dob"]) in " ".join(text.split())
    assert "Điền tờ khai" not in text  # the form itself does not print
    assert page.remote_requests == []


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("viewport", [{"width": 360, "height": 640}, DESKTOP])
def test_axe_finds_nothing_in_any_state(
    page: Page, forms: Path, viewport: dict, group: str, tmp_path: Path
) -> None:
    """Every state a person can bring the form into: empty; every optional block opened;
    the error summary; filled; a draft reopened; an import refused; clearing asked to
    confirm; the print view shown."""
    page.set_viewport_size(viewport)
    open_form(page, forms, group)
    states = {"empty": run_axe(page)}
    # Opening a block can show more blocks inside it.
    while toggles := [
        t
        for t in page.query_selector_all("input[data-toggle]")
        if t.is_visible() and not t.is_checked()
    ]:
        for toggle in toggles:
            toggle.check()
    states["all-blocks-open"] = run_axe(page)
    page.click("#lt-check")
    states["errors"] = run_axe(page)
    page.check("#lt-consent")
    page.evaluate("r => window.lienthong.form.fill(r)", example(group))
    page.click("#lt-check")
    states["filled"] = run_axe(page)
    page.wait_for_timeout(400)  # autosave is debounced
    page.reload()
    page.wait_for_selector("#lt-draft-note:not([hidden])")
    states["draft-reopened"] = run_axe(page)
    (tmp_path / "hong.json").write_bytes(b'{"requester": ')
    page.set_input_files("#lt-import", str(tmp_path / "hong.json"))
    page.wait_for_function(
        "() => document.querySelector('#lt-draft-note').innerText.includes('hong')"
    )
    states["import-refused"] = run_axe(page)
    page.click("#lt-clear")
    page.wait_for_selector("#lt-clear-confirm:not([hidden])")
    states["clear-confirm"] = run_axe(page)
    page.click("#lt-clear-no")
    page.evaluate("window.print = () => {}")
    page.click("#lt-print")
    page.wait_for_function("() => document.getElementById('lt-print-view').childElementCount > 0")
    states["print-view"] = run_axe(page)
    assert {k: describe(v) for k, v in states.items()} == {k: "" for k in states}
    # Nothing wider than a phone screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_site_page_links_back_to_the_guide(forms: Path) -> None:
    html = (forms / "lien-thong-khai-sinh" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../lien-thong-khai-sinh.html"' in html
    single = (forms / "lien-thong-khai-sinh.html").read_text(encoding="utf-8")
    assert 'href="../lien-thong-khai-sinh.html"' in single


def test_hostile_example_values_are_shown_as_text(page: Page, forms: Path) -> None:
    group = "lien-thong-khai-sinh"
    open_form(page, forms, group)
    hostile = copy.deepcopy(example(group))
    hostile["requester"]["full_name"] = '<img src=x onerror="window.__pwned=1">'
    page.evaluate("r => window.lienthong.form.fill(r)", hostile)
    page.click("#lt-check")
    page.evaluate("window.print = () => {}")
    page.click("#lt-print")
    page.wait_for_function("() => document.getElementById('lt-print-view').childElementCount > 0")
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img').length") == 0


def test_amount_follows_the_date_of_death(page: Page, forms: Path) -> None:
    """The same figures as the pages and tests/cases/amounts.json, for the date typed."""
    open_form(page, forms, "lien-thong-khai-tu")
    grant = '[data-amount="tro-cap-mai-tang"]'
    merit = '[data-amount="mai-tang-phi"]'
    assert "nhập ngày chết" in page.text_content(grant)
    page.fill("#f-khai_tu-death-date", "2026-06-30")
    assert "Trợ cấp mai táng dự kiến: 23.400.000 đồng" in page.text_content(grant)
    page.fill("#f-khai_tu-death-date", "2026-07-01")
    assert "Trợ cấp mai táng dự kiến: 25.300.000 đồng" in page.text_content(grant)
    assert "người mất trước ngày 01/10/2026" in page.text_content(merit)
    # Unverified support gets no figure, and the group without these benefits no script.
    assert page.locator('[data-amount="ho-tro-chi-phi-mai-tang"]').count() == 0
    assert page.console_errors == []
    open_form(page, forms, "khai-tu-xoa-thuong-tru")
    assert page.evaluate("!!window.lienthong.amounts") is False


# Catches the HTML app.js inserts before the check-answers section, before app.js changes it.
CAPTURE = """(() => {
  const insert = Element.prototype.insertAdjacentHTML;
  Element.prototype.insertAdjacentHTML = function (where, html) {
    if (this.id === "lt-review") window.__drawn = html;
    return insert.call(this, where, html);
  };
})();"""


@pytest.mark.parametrize("group", GROUPS)
def test_the_browser_draws_the_sections_that_python_renders(page, forms, catalog, group) -> None:
    """The page sends the sections as data; app.js draws them with sections.html.j2 compiled to
    JavaScript. What it draws is Python's HTML, byte for byte, and the page has no other copy."""
    from lienthong.offline.form import form_markup, form_model, sections

    html = (forms / f"{group}.html").read_text(encoding="utf-8")
    page.add_init_script(CAPTURE)
    open_form(page, forms, group)
    drawn = page.evaluate("() => window.__drawn")
    assert drawn == str(form_markup(sections(catalog, form_model(catalog, group))))
    assert drawn[:400] not in html and 'data-ptr="/requester/full_name"' not in html
    assert page.locator("section.lt-section").count() >= 4


def _pre_2025_record(group: str, tmp_path: Path) -> tuple[Path, str, str]:
    """A saved record with a commune code from before 01/7/2025 and an old province code."""
    from lienthong.inputs import units
    from lienthong.inputs.legacy_units import old_communes, old_provinces

    old_commune = next(iter(old_communes()))
    old_province = next(c for c in old_provinces() if c not in units.provinces())
    value = copy.deepcopy(example(group))
    value["requester"]["residence"]["commune"] = old_commune
    value["khai_sinh"]["child"]["birthplace"]["address"]["province"] = old_province
    value["thuong_tru"]["address"]["district"] = "Quận Ba Đình"
    saved = tmp_path / "cu.json"
    saved.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return saved, old_commune, old_province


def test_an_imported_pre_2025_code_gets_what_replaced_it(
    page: Page, forms: Path, tmp_path: Path
) -> None:
    """The form loads don-vi-cu.js from beside it (CSP 'strict-dynamic') only for such a
    record, and says what lienthong validate says of each old unit, under the field's label."""
    from lienthong.inputs import legacy_units, units

    group = "lien-thong-khai-sinh"
    saved, old_commune, old_province = _pre_2025_record(group, tmp_path)
    open_form(page, forms, group)
    assert page.evaluate("!window.lienthong.legacy")  # not for a form that needs none
    page.set_input_files("#lt-import", str(saved))
    page.wait_for_function(
        "() => document.getElementById('lt-draft-note').textContent.includes('Căn cứ')"
    )
    note = page.inner_text("#lt-draft-note")
    commune = legacy_units.commune_message(legacy_units.old_communes()[old_commune])
    province = legacy_units.province_message(legacy_units.old_provinces()[old_province])
    district = legacy_units.district_message("district")
    assert f"Ở mục “Nơi cư trú”: {commune}" in note, note
    assert f": {province}" in note and f": {district}" in note, note
    assert note.startswith("Đã mở tệp “cu.json”. Không đưa vào được: ")
    assert page.input_value("#f-requester-residence-commune") == ""
    # One unit took the old one's whole place: one tap puts it in.
    (successor,) = legacy_units.old_communes()[old_commune].new
    new_name, new_province = units.communes()[successor]
    page.click(f"#lt-draft-note button:has-text('Chọn {new_name} cho mục “Nơi cư trú”')")
    assert page.input_value("#f-requester-residence-province") == new_province
    assert page.input_value("#f-requester-residence-commune") == successor
    (province,) = legacy_units.old_provinces()[old_province].new
    page.click(f"#lt-draft-note button:has-text('Chọn {units.provinces()[province]} cho mục')")
    assert page.input_value("#f-khai_sinh-child-birthplace-address-province") == province
    assert page.console_errors == [] and page.remote_requests == []


def test_a_draft_with_a_pre_2025_code_is_explained_when_it_opens(
    page: Page, forms: Path, tmp_path: Path
) -> None:
    from lienthong.inputs import legacy_units

    group = "lien-thong-khai-sinh"
    saved, old_commune, _ = _pre_2025_record(group, tmp_path)
    draft = {"version": 1, "saved": "2025-06-20T08:30:00Z", "record": json.loads(saved.read_text())}
    open_form(page, forms, group)
    page.evaluate(f"localStorage.setItem('lienthong:{group}', {json.dumps(json.dumps(draft))})")
    page.reload()
    page.wait_for_function(
        "() => document.getElementById('lt-draft-note').textContent.includes('Căn cứ')"
    )
    note = page.inner_text("#lt-draft-note")
    assert legacy_units.commune_message(legacy_units.old_communes()[old_commune]) in note
    assert "Bản nháp cũ vẫn được giữ nguyên trên máy." in note
    assert page.console_errors == []


def test_an_imported_district_field_alone_is_explained(
    page: Page, forms: Path, tmp_path: Path
) -> None:
    """No old code, only a district field (as old spreadsheets have): the table is loaded for
    its explanation all the same."""
    from lienthong.inputs import legacy_units

    group = "lien-thong-khai-sinh"
    value = copy.deepcopy(example(group))
    value["requester"]["residence"]["Quận/Huyện"] = "Quận Ba Đình"
    saved = tmp_path / "huyen.json"
    saved.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    open_form(page, forms, group)
    page.set_input_files("#lt-import", str(saved))
    page.wait_for_function(
        "() => document.getElementById('lt-draft-note').textContent.includes('Căn cứ')"
    )
    note = page.inner_text("#lt-draft-note")
    assert f"Ở mục “Nơi cư trú”: {legacy_units.district_message('Quận/Huyện')}" in note, note
    assert page.console_errors == []


def test_a_form_saved_alone_names_old_codes_without_the_table(
    page: Page, forms: Path, tmp_path: Path
) -> None:
    """Without don-vi-cu.js beside it (a citizen kept the one file), the short note stays:
    the code is old, and where to pick the new unit."""
    group = "lien-thong-khai-sinh"
    alone = tmp_path / "tai-ve"
    alone.mkdir()
    (alone / f"{group}.html").write_bytes((forms / f"{group}.html").read_bytes())
    saved, old_commune, old_province = _pre_2025_record(group, tmp_path)
    open_form(page, alone, group)
    page.set_input_files("#lt-import", str(saved))
    page.wait_for_selector("#lt-draft-note:not([hidden])")
    page.wait_for_function("() => !document.querySelector('script[src]')")  # the load failed
    note = page.inner_text("#lt-draft-note")
    assert f"mã xã, phường {old_commune} ở mục “" in note, note
    assert f"mã tỉnh {old_province} ở mục “" in note, note
    assert "01/7/2025" in note and "Tìm nhanh xã, phường" in note
    assert [e for e in page.console_errors if "ERR_FILE_NOT_FOUND" not in e] == []
