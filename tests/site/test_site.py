"""End-to-end checks of the real site, built once per session from mkdocs.yml.

* The build is strict-clean: ``build_site`` raises on any warning MkDocs counts, and no log
  record of level WARNING or above is emitted by any logger during the build.
* Every nav page exists, and every generated page is reachable from the home page's nav.
* No page loads anything from the network (only ``<a href>`` may point off the machine).
* axe-core finds no WCAG 2.1 A/AA violation on any page, at 1280x900 and at 360x640, with
  the search box open and showing results as well; nothing is ignored.
* Diacritic-insensitive search works on the real site from ``file://`` with the network cut
  off, and ranks the right pages first.
* Screenshots of the home page and the birth group page at both sizes, for a human to look
  at, and no horizontal overflow on phones.

Browser tests share conftest's Chromium and use its offline ``page`` fixture.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.axe import AXE_JS, describe, run_axe
from tests.conftest import BuiltSite, serve_directory
from tests.search_box import search_hrefs

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "mkdocs.yml"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 640}

PROCEDURES = (
    "khai-sinh",
    "thuong-tru",
    "bhyt-tre-em",
    "khai-tu",
    "xoa-thuong-tru",
    "tro-cap-mai-tang-bhxh",
    "ho-tro-mai-tang",
    "mai-tang-phi-nguoi-co-cong",
)
GROUPS = ("lien-thong-khai-sinh", "lien-thong-khai-tu", "khai-tu-xoa-thuong-tru")
# Every page the lienthong plugin generates, as site paths.
GENERATED = (
    "index.html",
    *(f"{group}.html" for group in GROUPS),
    *(f"thu-tuc/{pid}.html" for pid in PROCEDURES),
    "giay-to.html",
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- the build -----------------------------------------------------------------------------


def nav_pages() -> list[str]:
    """Site paths of the pages in mkdocs.yml's nav (the offline plugin turns off directory
    URLs, so ``a/b.md`` is ``a/b.html``)."""
    from mkdocs.config import load_config

    config = load_config(str(CONFIG))

    def walk(items: Any) -> Iterator[str]:
        if isinstance(items, str):
            yield items
        elif isinstance(items, list):
            for item in items:
                yield from walk(item)
        elif isinstance(items, dict):
            for value in items.values():
                yield from walk(value)

    return [re.sub(r"\.md$", ".html", page) for page in walk(config.nav)]


class _Links(HTMLParser):
    """Collects ``<a href>`` inside the first ``nav.md-nav--primary`` (nested navs included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # nav elements open inside the primary nav, itself included
        self.done = False
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "nav":
            classes = (dict(attrs).get("class") or "").split()
            if self.depth or "md-nav--primary" in classes:
                self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.depth:
            self.depth -= 1
            self.done = self.depth == 0


def resolve(page: str, href: str) -> str | None:
    """The site path ``href`` on ``page`` points to, or None for anchors and other sites."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = PurePosixPath(page).parent / unquote(parts.path)
    resolved: list[str] = []
    for part in path.parts:
        if part == "..":
            resolved.pop()
        elif part != ".":
            resolved.append(part)
    return "/".join(resolved)


@pytest.mark.build
def test_build_is_strict_clean(built_site: BuiltSite) -> None:
    assert built_site.warnings == []
    assert (built_site.root / "index.html").is_file()
    assert (built_site.root / "search" / "search_index.json").is_file()


@pytest.mark.build
def test_nav_pages_exist_and_generated_pages_are_linked(built_site: BuiltSite) -> None:
    pages = nav_pages()
    assert set(GENERATED) <= set(pages), "every generated page belongs in mkdocs.yml's nav"
    missing = [page for page in pages if not (built_site.root / page).is_file()]
    assert missing == []

    parser = _Links()
    parser.feed((built_site.root / "index.html").read_text(encoding="utf-8"))
    linked = {resolve("index.html", href) for href in parser.hrefs} - {None}
    assert linked, "no links found in index.html's nav.md-nav--primary"
    assert sorted(set(GENERATED) - linked) == []
    assert sorted(set(pages) - linked) == []
    assert sorted(p for p in linked if not (built_site.root / p).is_file()) == []


# --- no remote resources ----------------------------------------------------------------------

# Attributes through which a page loads something. <a href> only navigates.
_RESOURCE_ATTRS = {"src", "srcset", "href", "xlink:href", "data", "poster", "action", "formaction"}
_REMOTE = re.compile(r"(?:https?:)?//", re.IGNORECASE)
_CSS_REMOTE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])(?:https?:)?//""", re.IGNORECASE)
_WEB_FONTS = ("fonts.googleapis", "fonts.gstatic")


class _Resources(HTMLParser):
    """Collects remote resource references: attributes, inline styles and <style> blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.remote: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_style = tag == "style"
        for name, value in attrs:
            if not value:
                continue
            if name == "style" and _CSS_REMOTE.search(value):
                self.remote.append(f"<{tag} style={value!r}>")
            elif tag == "link" and ("rel", "canonical") in attrs:
                continue  # the page's own address (site_url), never fetched
            elif tag != "a" and name in _RESOURCE_ATTRS:
                if name == "srcset":
                    urls = [c.split()[0] for c in value.split(",") if c.strip()]
                else:
                    urls = [value.strip()]
                self.remote += [f"<{tag} {name}={url!r}>" for url in urls if _REMOTE.match(url)]

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style and _CSS_REMOTE.search(data):
            self.remote.append(f"<style>: {_CSS_REMOTE.search(data).group(0)}")


@pytest.mark.build
def test_no_remote_resources(built_site: BuiltSite) -> None:
    found: dict[str, list[str]] = {}
    pages = built_site.html_pages()
    assert set(GENERATED) <= set(pages)
    for page in pages:
        text = (built_site.root / page).read_text(encoding="utf-8")
        parser = _Resources()
        parser.feed(text)
        parser.close()
        problems = parser.remote + [f"mentions {font}" for font in _WEB_FONTS if font in text]
        if problems:
            found[page] = problems
    for css in sorted(built_site.root.rglob("*.css")):
        text = css.read_text(encoding="utf-8")
        problems = [m.group(0) for m in _CSS_REMOTE.finditer(text)]
        problems += [f"mentions {font}" for font in _WEB_FONTS if font in text]
        if problems:
            found[css.relative_to(built_site.root).as_posix()] = problems
    assert found == {}
    # The project's stylesheet is part of the site.
    index = (built_site.root / "index.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="stylesheets/extra.css">' in index


# --- in Chromium ---------------------------------------------------------------------------------

# Horizontal overflow: of the page itself, and of Material's table scroll containers.
_OVERFLOW = """() => {
  const out = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) out.push(`page ${root.scrollWidth}px`);
  document.querySelectorAll(".md-typeset__scrollwrap").forEach((e, i) => {
    if (e.scrollWidth > e.clientWidth) out.push(`table ${i + 1}: ${e.scrollWidth}px`);
  });
  return out;
}"""


def open_search(page: Page) -> None:
    """Open Material's search: the header button on phones, the inline box on desktops."""
    button = page.locator("label.md-header__button[for=__search]")
    if button.is_visible():
        button.click()
    else:
        page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").wait_for(state="visible")


def search_in_page(page: Page, site: Path, query: str) -> list[str]:
    """Type ``query`` into the open search box; return the result pages (site paths), best
    first."""
    hrefs = search_hrefs(page, query)
    root = PurePosixPath(unquote(urlsplit(site.resolve().as_uri()).path))
    return [PurePosixPath(unquote(urlsplit(h).path)).relative_to(root).as_posix() for h in hrefs]


@pytest.fixture(scope="module")
def http_root(built_site: BuiltSite) -> Iterator[str]:
    """The site served on loopback, for 404.html: its links are absolute ("/assets/...") as
    a web server serves it for any missing path, so it cannot work from file://."""
    with serve_directory(built_site.root) as url:
        yield url


_SENTINEL = "test_site: console settled"


# axe-core preloads the CSSOM by XHR-ing each stylesheet; on file:// Chromium refuses (CORS),
# and the error can arrive after the page it came from. Nothing else on these pages uses XHR.
_AXE_PRELOAD_NOISE = ("XMLHttpRequest", "net::ERR_FAILED")


def console_settled(page: Page) -> list[str]:
    """The page's console errors so far, once every message logged before this call has
    reached Playwright (console events arrive asynchronously), axe's preload noise aside."""
    with page.expect_console_message(lambda msg: msg.text == _SENTINEL):
        page.evaluate("text => console.debug(text)", _SENTINEL)
    return [e for e in page.console_errors if not any(n in e for n in _AXE_PRELOAD_NOISE)]


@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280x900", "360x640"])
def test_axe_every_page(
    built_site: BuiltSite, http_root: str, page: Page, viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    # axe-core from node_modules in every page from the start (run_axe then skips injecting
    # it): much faster than injecting it into each page after load.
    page.context.add_init_script(path=str(AXE_JS))
    pages = built_site.html_pages()
    assert set(GENERATED) <= set(pages)
    violations: dict[str, str] = {}
    overflow: dict[str, list[str]] = {}
    console_errors: dict[str, list[str]] = {}
    for name in pages:
        if name == "404.html":
            page.goto(http_root + name)
        else:
            page.goto((built_site.root / name).as_uri())
        if errors := console_settled(page):
            console_errors[name] = errors
        found = run_axe(page)
        # axe itself logs errors on file:// (it tries to XHR the stylesheets to preload the
        # CSSOM, which Chromium refuses): only errors from loading the page itself count.
        console_settled(page)
        page.console_errors.clear()
        if found:
            violations[name] = describe(found)
        if viewport == PHONE and (wide := page.evaluate(_OVERFLOW)):
            overflow[name] = wide

    # The search box open, showing results.
    page.goto((built_site.root / "index.html").as_uri())
    open_search(page)
    results = search_in_page(page, built_site.root, "khai sinh")
    assert len(results) >= 3
    if errors := console_settled(page):
        console_errors["index.html with search results"] = errors
    found = run_axe(page)
    if found:
        violations["index.html with search results"] = describe(found)

    assert violations == {}, "\n".join(f"{k}:\n{v}" for k, v in violations.items())
    assert overflow == {}
    assert page.remote_requests == []
    assert console_errors == {}


# query -> pages acceptable as the first result (read off the built site: each query's group
# page, whose title names all of the group's procedures, or the procedure's own page).
FIRST_RESULT = {
    "dang ky khai sinh": {"lien-thong-khai-sinh.html", "thu-tuc/khai-sinh.html"},
    "thuong tru": {
        "thu-tuc/thuong-tru.html",
        "thu-tuc/xoa-thuong-tru.html",
        "lien-thong-khai-sinh.html",
        "lien-thong-khai-tu.html",
        "khai-tu-xoa-thuong-tru.html",
    },
    "bao hiem y te": {"thu-tuc/bhyt-tre-em.html", "lien-thong-khai-sinh.html"},
    "khai tu": {"lien-thong-khai-tu.html", "khai-tu-xoa-thuong-tru.html", "thu-tuc/khai-tu.html"},
}
# The same queries as people type them with diacritics, NFC and NFD.
ACCENTED = {
    "dang ky khai sinh": ["đăng ký khai sinh", nfd("đăng ký khai sinh")],
    "thuong tru": ["thường trú"],
    "bao hiem y te": ["bảo hiểm y tế"],
    "khai tu": ["khai tử"],
}
# The procedure page must at least be among the results shown.
LISTED = {
    "dang ky khai sinh": "thu-tuc/khai-sinh.html",
    "thuong tru": "thu-tuc/thuong-tru.html",
    "bao hiem y te": "thu-tuc/bhyt-tre-em.html",
}


@pytest.mark.browser
@pytest.mark.build
def test_search_real_site_offline(built_site: BuiltSite, page: Page) -> None:
    assert page.viewport_size == PHONE
    page.goto((built_site.root / "index.html").as_uri())
    # Search runs through the vendored iframe-worker shim, as Worker is unusable on file://.
    assert page.evaluate("window.Worker === window.IFrameWorker")
    open_search(page)

    queries = [q for plain in FIRST_RESULT for q in (plain, *ACCENTED[plain])]
    results = {query: search_in_page(page, built_site.root, query) for query in queries}
    for plain, acceptable in FIRST_RESULT.items():
        assert results[plain][:1] and results[plain][0] in acceptable, (plain, results[plain])
        for accented in ACCENTED[plain]:
            assert results[accented][:1] == results[plain][:1], (accented, results[accented])
    for query, procedure in LISTED.items():
        assert procedure in results[query], (query, results[query])
    # NFD input finds exactly what NFC input finds.
    assert results[nfd("đăng ký khai sinh")] == results["đăng ký khai sinh"]

    assert page.remote_requests == []
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360x640", "1280x900"])
def test_screenshots(
    built_site: BuiltSite, page: Page, viewport: dict[str, int], tmp_path: Path
) -> None:
    """Full-page screenshots for a human to look at (saved in this test's tmp_path), plus the
    machine-checkable part: nothing wider than the screen."""
    page.set_viewport_size(viewport)
    for name in ("index.html", "lien-thong-khai-sinh.html"):
        page.goto((built_site.root / name).as_uri())
        shot = tmp_path / f"{Path(name).stem}-{viewport['width']}x{viewport['height']}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        assert page.evaluate(_OVERFLOW) == [], name
    assert page.remote_requests == []
    assert page.console_errors == []


@pytest.mark.build
def test_group_pages_link_their_blank_pdfs(built_site: BuiltSite) -> None:
    expected = {
        "lien-thong-khai-sinh": {
            "to-khai-khai-sinh",
            "ct01",
            "tk1-ts",
            "checklist-lien-thong-khai-sinh",
        },
        "lien-thong-khai-tu": {
            "to-khai-khai-tu",
            "ct01",
            "mau-04-nd20",
            "mau-2-nd176",
            "checklist-lien-thong-khai-tu",
        },
        "khai-tu-xoa-thuong-tru": {"to-khai-khai-tu", "ct01", "checklist-khai-tu-xoa-thuong-tru"},
    }
    for group, forms in expected.items():
        html = (built_site.root / f"{group}.html").read_text(encoding="utf-8")
        linked = set(re.findall(r'href="bieu-mau/([a-z0-9-]+)\.pdf"', html))
        assert linked == forms, group
        for form in forms:
            assert (built_site.root / "bieu-mau" / f"{form}.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.build
def test_qr_codes_of_site_pdfs_open_built_pages(built_site: BuiltSite, tmp_path: Path) -> None:
    """A printed QR code must open a page this build actually has (the offline plugin serves
    ``a/b.html``, not ``a/b/``) under the site's address (site_url of mkdocs.yml)."""
    from lienthong.inputs.settings import site_address

    base = site_address(CONFIG)[0]
    assert base and base.startswith("https://")
    import subprocess

    for pdf in sorted((built_site.root / "bieu-mau").glob("*.pdf")):
        out = tmp_path / pdf.stem
        out.mkdir()
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", pdf, out / "p"])
        images = sorted(str(p) for p in out.glob("*.png"))
        codes = subprocess.run(
            ["zbarimg", "-q", "--raw", *images], capture_output=True, text=True
        ).stdout.split()
        assert codes, pdf.name
        for target in codes:
            assert target.startswith(base), (pdf.name, target)
            assert (built_site.root / target[len(base) :]).is_file(), (pdf.name, target)


def test_offline_forms_default_the_agencies_to_the_publishers_commune(
    built_site: BuiltSite,
) -> None:
    import json

    from lienthong.inputs.settings import publisher as read_publisher

    publisher, _ = read_publisher(ROOT / "mkdocs.yml")
    html = (built_site.root / "bieu-mau" / "lien-thong-khai-sinh.html").read_text(encoding="utf-8")
    model = re.search(r'<script type="application/json" id="lt-model">(.*?)</script>', html, re.S)
    data = json.loads(model.group(1))
    assert data["h"] == {"province": publisher["province"], "commune": publisher["commune"]}
    assert data.get("l", "auto") == publisher.get("form_layout", "auto")


def test_the_forms_find_the_pre_2025_units_beside_them(built_site: BuiltSite) -> None:
    """bieu-mau/don-vi-cu.js is in the site, and both pages of each form name it where it is."""
    import json

    from lienthong.offline.legacy_js import FILE, address_suffix, build_legacy_script

    folder = built_site.root / "bieu-mau"
    assert (folder / FILE).read_text(encoding="utf-8") == build_legacy_script()
    for group in GROUPS:
        for page in (folder / f"{group}.html", folder / group / "index.html"):
            html = page.read_text(encoding="utf-8")
            model = re.search(
                r'<script type="application/json" id="lt-model">(.*?)</script>', html, re.S
            )
            address, _, version = json.loads(model.group(1))["o"].partition("?v=")
            assert (page.parent / address).resolve() == (folder / FILE).resolve()
            assert address_suffix() == "?v=" + version
