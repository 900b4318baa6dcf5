"""The offline form on a phone (issue 14): one step at a time, check your answers, ask once.

Chromium at 360x640 from file://, the pages built as the site builds them for a publisher in
Phường Ba Đình (the receiving agencies' default).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from lienthong import _catalog
from lienthong.inputs import units
from lienthong.offline.form import build_group_pages, field_id, site_settings
from tests.axe import describe, run_axe
from tests.offline.test_offline_form import _real, example, record
from tests.offline.test_offline_form import model as tree

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
PHONE = {"width": 360, "height": 640}
HOME = {"province": "01", "commune": "00004"}  # Phường Ba Đình, Thành phố Hà Nội
GROUPS = ("lien-thong-khai-sinh", "lien-thong-khai-tu")


def settings(**page: Any) -> dict:
    return site_settings(
        schemas_dir=SCHEMAS,
        forms_dir=ROOT / "forms",
        node_modules=ROOT / "node_modules",
        site_name="Dịch vụ công liên thông",
        office="Bộ phận Một cửa, Ủy ban nhân dân phường Ba Đình",
        **page,
    )


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bieu-mau-steps")
    catalog = _catalog(SCHEMAS)
    for group in ("lien-thong-khai-sinh", "lien-thong-khai-tu", "khai-tu-xoa-thuong-tru"):
        (out / f"{group}.html").write_text(
            build_group_pages(catalog, group, settings(home=HOME))[f"{group}.html"],
            encoding="utf-8",
        )
    return out


def open_phone(page: Page, forms: Path, group: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto((forms / f"{group}.html").as_uri())
    assert page.evaluate("!!(window.lienthong && window.lienthong.form)")


def step(page: Page) -> str | None:
    return page.evaluate("window.lienthong.form.step()")


PLACE_VALUE = """id => Object.fromEntries(['province', 'commune', 'detail'].map(part => {
    const input = document.getElementById(id + '-' + part);
    return [part, input ? input.value.trim() : ''];
}))"""


class Person:
    """Fills the form as a person would, counting what they do: a tap is any press or pick, a
    field typed is a text box filled in."""

    def __init__(self, page: Page, reuse: bool):
        self.page = page
        self.reuse = reuse
        self.taps = 0
        self.typed = 0
        self.moves = 0  # presses of "Tiếp tục": counted in taps too

    def type(self, selector: str, text: str) -> None:
        self.page.fill(selector, text)
        self.taps += 1
        self.typed += 1

    def tap(self, selector: str) -> None:
        self.page.click(selector)
        self.taps += 1

    def pick(self, selector: str, value: str) -> None:
        self.page.select_option(selector, value)
        self.taps += 1

    def check(self, selector: str, on: bool = True) -> None:
        if self.page.is_checked(selector) != on:
            self.page.set_checked(selector, on)
            self.taps += 1

    def place(self, ptr: str, value: dict) -> None:
        fid = field_id(ptr)
        want = {"province": value["province"], "commune": value["commune"]}
        has_detail = self.page.query_selector(f"#{fid}-detail") is not None
        if has_detail:
            want["detail"] = value.get("detail", "")
        now = self.page.evaluate(PLACE_VALUE, fid)
        if self.reuse and all(now[k] == v for k, v in want.items()):
            return  # already right: the publisher's commune
        if self.reuse:
            for button in self.page.query_selector_all(f'[data-to="{ptr}"]'):
                if not button.is_visible():
                    continue
                src = self.page.evaluate(PLACE_VALUE, field_id(button.get_attribute("data-copy")))
                after = {**now, "province": src["province"], "commune": src["commune"]}
                if button.get_attribute("data-detail") is not None:
                    after["detail"] = src["detail"]
                if all(after[k] == v for k, v in want.items()):
                    button.click()
                    self.taps += 1
                    return
        self.pick(f"#{fid}-province", value["province"])
        self.pick(f"#{fid}-commune", value["commune"])
        if value.get("detail"):
            self.type(f"#{fid}-detail", value["detail"])

    def fill(self, node: dict, value: Any, idx: list[int] | None = None) -> None:
        idx = idx or []
        ptr = _real(node["p"], idx)
        fid = field_id(ptr)
        kind = node["k"]
        if kind in ("object", "place"):
            if node.get("o"):
                self.check(f"#{fid}-on")
            if kind == "place":
                self.place(ptr, value)
                return
            for child in node["c"]:
                key = child["p"].rsplit("/", 1)[-1]
                if key in value:
                    self.fill(child, value[key], idx)
        elif kind == "array":
            for i, item in enumerate(value):
                self.tap(f'[data-add="{node["p"]}"]')
                self.fill(node["i"], item, [*idx, i])
        elif kind == "radio":
            self.tap(f'input[name="{ptr}"][value="{value}"]')
        elif kind == "checkbox":
            self.check(f"#{fid}", value is True)
        elif kind == "select":
            self.pick(f"#{fid}", value)
        elif self.page.input_value(f"#{fid}") != str(value):
            self.type(f"#{fid}", str(value))


def section_of(page: Page, node: dict) -> str:
    return page.evaluate(
        "id => document.getElementById('w' + id).closest('.lt-section').id", field_id(node["p"])
    )


def fill_in_steps(page: Page, person: Person, value: dict, axe: dict | None = None) -> list[str]:
    """Each step: fill what belongs to it, press "Tiếp tục"; until the check-answers page."""
    seen: list[str] = []
    while (here := step(page)) != "lt-review":
        assert here not in seen, f"step {here} came twice"
        seen.append(here)
        progress = page.text_content("#lt-progress")
        assert re.match(rf"Bước {len(seen)}/\d+: ", progress), progress
        for node in tree(page)["c"]:
            key = node["p"].rsplit("/", 1)[-1]
            if key in value and section_of(page, node) == here:
                person.fill(node, value[key])
        if axe is not None:
            axe[here] = run_axe(page)
        person.tap("#lt-next")
        person.moves += 1
        assert page.is_hidden("#lt-summary"), page.inner_text("#lt-summary")
    return seen


@pytest.mark.parametrize("group", GROUPS)
def test_example_in_steps_then_check_answers_edit_and_print(
    page: Page, forms: Path, group: str
) -> None:
    open_phone(page, forms, group)
    assert step(page) == "wf-requester"
    # Only the first step is on screen.
    assert page.is_visible("#f-requester-full_name")
    assert (
        page.evaluate(
            "[...document.querySelectorAll('.lt-section')].filter(s => s.offsetParent).length"
        )
        == 1
    )
    want = example(group)
    person = Person(page, reuse=True)
    states: dict[str, list] = {}
    steps = fill_in_steps(page, person, want, states)
    assert len(steps) >= 5
    assert record(page) == want
    # The check-answers page: every section, the answers as the reader gave them.
    states["lt-review"] = run_axe(page)
    review = page.inner_text("#lt-review-list")
    assert want["requester"]["full_name"] in review
    home = want["requester"]["residence"]
    commune = units.communes()[home["commune"]][0]
    assert f"{home['detail']}, {commune}, {units.provinces()[home['province']]}" in review
    assert page.is_visible("#lt-done")
    assert page.is_visible("#lt-print") and page.is_hidden("#lt-next")
    # Change the requester's name through its "Sửa" link, and come back.
    edit = page.locator('#lt-review-list a[data-edit][href="#f-requester-full_name"]')
    assert edit.inner_text().startswith("Sửa")
    edit.click()
    assert step(page) == "wf-requester"
    assert page.evaluate("document.activeElement.id") == "f-requester-full_name"
    page.fill("#f-requester-full_name", "Trần Thị Bình")
    page.click("#lt-next")
    assert step(page) == "lt-review"
    assert "Trần Thị Bình" in page.inner_text("#lt-review-list")
    # Print from the check-answers page.
    page.evaluate("window.print = () => {}")
    page.click("#lt-print")
    page.wait_for_function("() => document.getElementById('lt-print-view').childElementCount > 0")
    assert "Trần Thị Bình" in page.inner_text(
        "#lt-print-view"
    ) or "TRẦN THỊ BÌNH" in page.inner_text("#lt-print-view")
    assert {k: describe(v) for k, v in states.items()} == {k: "" for k in states}
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.console_errors == []


def test_back_and_forward_buttons_move_between_steps_and_keep_every_value(
    page: Page, forms: Path
) -> None:
    group = "lien-thong-khai-sinh"
    open_phone(page, forms, group)
    want = example(group)
    steps = fill_in_steps(page, Person(page, reuse=True), want)
    assert step(page) == "lt-review"
    length = page.evaluate("history.length")
    for expected in reversed(steps):
        page.go_back()
        assert step(page) == expected
    for expected in [*steps[1:], "lt-review"]:
        page.go_forward()
        assert step(page) == expected
    # No reload happened and nothing was lost.
    assert page.evaluate("history.length") == length
    assert record(page) == want
    # "Quay lại" goes one step back; the first step has none.
    page.click("#lt-back")
    assert step(page) == steps[-1]
    page.go_back()
    assert step(page) == "lt-review"
    for expected in reversed(steps):
        page.click("#lt-back")
        assert step(page) == expected
    assert page.is_hidden("#lt-back")
    assert record(page) == want


def test_a_step_is_checked_when_the_reader_leaves_it(page: Page, forms: Path) -> None:
    open_phone(page, forms, "lien-thong-khai-sinh")
    page.click("#lt-next")
    assert step(page) == "wf-requester"
    assert page.evaluate("document.activeElement.id") == "lt-summary"
    messages = page.inner_text("#lt-summary-list")
    assert "Chưa nhập Họ, chữ đệm, tên người yêu cầu." in messages
    # Only this step's problems: nothing yet about the child.
    assert "khai sinh" not in messages.lower()
    # A link in the summary goes to its field.
    page.locator("#lt-summary-list a").first.click()
    assert page.evaluate("document.activeElement.id") == "f-requester-full_name"


def test_check_answers_sends_the_reader_to_a_missing_field_in_its_step(
    page: Page, forms: Path
) -> None:
    group = "lien-thong-khai-sinh"
    open_phone(page, forms, group)
    incomplete = copy.deepcopy(example(group))
    del incomplete["khai_sinh"]["child"]["full_name"]
    page.evaluate("r => window.lienthong.form.fill(r)", incomplete)
    page.evaluate("window.lienthong.form.check()")
    assert step(page) == "lt-review"
    assert page.is_visible("#lt-summary") and page.is_hidden("#lt-done")
    page.locator("#lt-summary-list a").first.click()
    assert step(page) == "wf-khai_sinh"
    assert page.evaluate("document.activeElement.id") == "f-khai_sinh-child-full_name"
    page.fill("#f-khai_sinh-child-full_name", "Nguyễn Minh Khôi")
    page.click("#lt-next")
    assert step(page) == "lt-review"
    assert page.is_visible("#lt-done")


def test_asking_once_takes_fewer_taps_than_the_one_page_form(page: Page, forms: Path) -> None:
    """The same example record, typed by the same person: on one page with every place picked
    by hand, then in steps with "same as" buttons and the publisher's commune."""
    counts = {}
    for group in GROUPS:
        want = example(group)
        open_phone(page, forms, group)
        page.click("#lt-layout")  # the whole form on one page
        assert step(page) is None
        by_hand = Person(page, reuse=False)
        for node in tree(page)["c"]:
            key = node["p"].rsplit("/", 1)[-1]
            if key in want:
                by_hand.fill(node, want[key])
        assert record(page) == want
        page.evaluate("window.localStorage.clear()")
        open_phone(page, forms, group)
        stepped = Person(page, reuse=True)
        fill_in_steps(page, stepped, want)
        assert record(page) == want
        counts[group] = {
            "one page": (by_hand.taps, by_hand.typed),
            "steps": (stepped.taps, stepped.typed, stepped.moves),
        }
        # Fewer fields typed, and fewer taps on the fields; "Tiếp tục" costs a tap a step.
        assert stepped.typed < by_hand.typed
        assert stepped.taps - stepped.moves < by_hand.taps
    print("(taps, fields typed[, of the taps 'Tiếp tục']):", counts)


def test_receiving_agencies_start_at_the_publishers_commune(page: Page, forms: Path) -> None:
    open_phone(page, forms, "lien-thong-khai-sinh")
    rec = record(page)
    assert rec["khai_sinh"]["registry_office"] == HOME
    assert rec["thuong_tru"]["police_office"] == HOME
    # Addresses are not agencies: they start empty.
    assert rec["requester"]["residence"] == {}
    # Clearing the form brings the default back, not an empty agency.
    page.evaluate("window.lienthong.form.clear()")
    assert record(page)["khai_sinh"]["registry_office"] == HOME


def test_same_as_buttons_appear_once_the_source_is_filled_and_copy_in_one_tap(
    page: Page, forms: Path
) -> None:
    open_phone(page, forms, "lien-thong-khai-tu")
    same = '[data-to="/khai_tu/deceased/last_residence"][data-copy="/requester/residence"]'
    assert page.text_content(same) == "Giống nơi cư trú của người yêu cầu"
    assert page.is_hidden(same)
    page.select_option("#f-requester-residence-province", "01")
    page.select_option("#f-requester-residence-commune", "00454")
    page.fill("#f-requester-residence-detail", "Thôn Đông, số nhà 45")
    page.evaluate("window.lienthong.form.fill(window.lienthong.form.record())")
    page.click("#lt-layout")  # one page: both places on screen
    page.check("#f-khai_tu-deceased-last_residence-on")
    assert page.is_visible(same)
    page.click(same)
    assert record(page)["khai_tu"]["deceased"]["last_residence"] == {
        "province": "01",
        "commune": "00454",
        "detail": "Thôn Đông, số nhà 45",
    }
    assert page.is_hidden(same)  # nothing left to copy
    assert page.evaluate("document.activeElement.id") == "f-khai_tu-deceased-last_residence-detail"
    # An agency is offered the commune only.
    office = '[data-to="/xoa_thuong_tru/police_office"][data-copy="/khai_tu/registry_office"]'
    assert page.text_content(office) == "Cùng xã, phường với cơ quan đăng ký khai tử"


def _fold(text: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return bare.lower().replace("đ", "d")


def test_commune_search_folds_diacritics_and_finds_all_3321_communes(
    page: Page, forms: Path
) -> None:
    open_phone(page, forms, "lien-thong-khai-sinh")
    page.fill("#f-requester-residence-search", "ba dinh")
    results = page.locator("#f-requester-residence-search-results [data-pick]")
    assert "Phường Ba Đình, Thành phố Hà Nội" in results.all_inner_texts()
    assert "nơi khớp" in page.text_content("#f-requester-residence-search-count")
    results.filter(has_text="Phường Ba Đình, Thành phố Hà Nội").click()
    place = record(page)["requester"]["residence"]
    assert place == {"province": "01", "commune": "00004"}
    assert page.evaluate("document.activeElement.id") == "f-requester-residence-detail"
    assert page.is_hidden("#f-requester-residence-search-results")
    # Enter picks the first match instead of sending the form.
    page.fill("#f-requester-residence-search", "giang vo")
    page.press("#f-requester-residence-search", "Enter")
    assert record(page)["requester"]["residence"]["commune"] == "00025"
    assert step(page) == "wf-requester"
    # Every commune of the 2025 data is found by its name and province, typed without marks.
    communes = units.communes()
    provinces = units.provinces()
    assert len(communes) == 3321
    queries = [
        [_fold(f"{name} {provinces[prov]}"), prov, code] for code, (name, prov) in communes.items()
    ]
    missed = page.evaluate(
        """qs => qs.filter(([q, p, c]) => !window.lienthong.form.findCommunes(q)
                .some(([pp, cc]) => pp === p && cc === c)).map(([q]) => q)""",
        queries,
    )
    assert missed == [], missed
    # Nothing found is said so.
    page.fill("#f-requester-residence-search", "khong co xa nao ten nay")
    assert "Không thấy" in page.text_content("#f-requester-residence-search-count")


def test_officer_can_keep_the_whole_form_on_one_page(tmp_path: Path, page: Page) -> None:
    group = "khai-tu-xoa-thuong-tru"
    html = build_group_pages(_catalog(SCHEMAS), group, settings(layout="one-page"))[f"{group}.html"]
    (tmp_path / "f.html").write_text(html, encoding="utf-8")
    page.set_viewport_size(PHONE)
    page.goto((tmp_path / "f.html").as_uri())
    assert step(page) is None
    assert page.is_visible("#lt-check")
    # The reader may still choose steps.
    page.click("#lt-layout")
    assert step(page) == "wf-requester"


def test_wide_screens_get_one_page(page: Page, forms: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto((forms / "lien-thong-khai-sinh.html").as_uri())
    assert step(page) is None
    assert page.is_visible("#lt-check") and page.is_hidden("#lt-next")
    # Narrowing the window (a phone turned upright) switches to steps.
    page.set_viewport_size(PHONE)
    page.wait_for_function("() => window.lienthong.form.step() === 'wf-requester'")


def test_places_offer_the_requesters_place_and_the_nearest_of_their_kind() -> None:
    from lienthong.offline.form import _places, form_model

    model = form_model(_catalog(SCHEMAS), "lien-thong-khai-sinh")
    offers = {
        p.ptr: [(r.source, r.label, r.detail) for r in p.reuse] for p, _ in _places(model, model)
    }
    assert offers["/requester/residence"] == []
    assert offers["/khai_sinh/registry_office"] == [
        ("/requester/residence", "Cùng xã, phường với nơi cư trú của người yêu cầu", False)
    ]
    assert offers["/thuong_tru/police_office"][1] == (
        "/khai_sinh/registry_office",
        "Cùng xã, phường với cơ quan đăng ký khai sinh",
        False,
    )
    # Two places called "Nơi cư trú" in one procedure: the owner tells them apart.
    assert offers["/khai_sinh/father/residence"][1] == (
        "/khai_sinh/mother/residence",
        "Giống nơi cư trú của mẹ",
        True,
    )
    agencies = [p.ptr for p, _ in _places(model, model) if p.office]
    assert agencies == ["/khai_sinh/registry_office", "/thuong_tru/police_office"]


def test_an_unknown_layout_is_refused() -> None:
    from lienthong.offline.form import FormBuildError, render_page

    with pytest.raises(FormBuildError, match="form_layout"):
        render_page(
            _catalog(SCHEMAS),
            "lien-thong-khai-sinh",
            scripts=[],
            site_name="S",
            office="O",
            links={"home": None, "guide": None},
            layout="mobile",
        )
