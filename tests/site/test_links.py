"""Link check of the built site: every internal link and resource resolves.

Every ``href``/``src`` of every HTML file (MkDocs pages, offline forms, the pack's index)
that stays inside the site must name a file that exists; a ``#fragment`` must name an element
id (or anchor name) in the target page. Links to other sites are counted but not fetched
(CI has no network); they must use https, except the ``tel:``/``mailto:`` kinds.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import BuiltSite

LINK_ATTRS = {"href", "src", "xlink:href", "action", "poster"}
OTHER_SCHEMES = {"tel", "mailto", "data", "javascript", "blob"}
# 404.html is served for any missing path, so its links are site-absolute on purpose.
SITE_ABSOLUTE = {"404.html"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id",) or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in LINK_ATTRS and not (tag == "link" and ("rel", "canonical") in attrs):
                self.links.append(value)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def check_links(root: Path) -> tuple[list[str], int, int]:
    """(broken links as "page -> link: why", internal links checked, external links seen)."""
    pages = {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*.html"))}
    parsed: dict[str, _Page] = {}

    def get(name: str) -> _Page:
        if name not in parsed:
            parsed[name] = _parse(pages[name])
        return parsed[name]

    broken: list[str] = []
    internal = external = 0
    for name in pages:
        for link in get(name).links:
            parts = urlsplit(link)
            if parts.scheme in OTHER_SCHEMES:
                if parts.scheme == "javascript":
                    broken.append(f"{name} -> {link}: javascript: link")
                continue
            if parts.scheme or parts.netloc:
                external += 1
                if parts.scheme != "https":
                    broken.append(f"{name} -> {link}: not https")
                continue
            internal += 1
            path = unquote(parts.path)
            if not path:
                target = name
            elif path.startswith("/"):
                if name not in SITE_ABSOLUTE:
                    broken.append(f"{name} -> {link}: site-absolute path breaks under file://")
                    continue
                target = path.lstrip("/")
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
            if target.startswith("../"):
                broken.append(f"{name} -> {link}: leaves the site")
                continue
            file = root / target
            if file.is_dir():
                target = posixpath.join(target, "index.html")
                file = root / target
            if not file.is_file():
                broken.append(f"{name} -> {link}: {target} does not exist")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target in pages and fragment not in get(target).ids:
                broken.append(f"{name} -> {link}: no #{parts.fragment} in {target}")
    return broken, internal, external


def test_check_links_finds_broken_ones(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/b.html#x">1</a><a href="a/">2</a><img src="khong-co.png">'
        '<a href="a/b.html#khong">3</a><a href="http://x.vn">4</a><a href="/a/b.html">5</a>'
        '<a href="javascript:alert(1)">6</a><a href="tel:0912">7</a><a href="#top" id="top">8</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "b.html").write_text('<h2 id="x">x</h2>', encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text('<a href="../../ngoai.html">ra</a>', "utf-8")
    broken, internal, external = check_links(tmp_path)
    assert sorted(b.split(" -> ")[1].split(":")[0] for b in broken) == sorted(
        ["../../ngoai.html", "khong-co.png", "a/b.html#khong", "http", "/a/b.html", "javascript"]
    )
    assert (internal, external) == (7, 1)


@pytest.mark.build
def test_built_site_has_no_broken_internal_link(built_site: BuiltSite) -> None:
    broken, internal, external = check_links(built_site.root)
    print(f"links: {internal} internal checked, {external} external, {len(broken)} broken")
    assert broken == []
    assert internal > 1000


@pytest.mark.build
def test_every_page_is_reachable(built_site: BuiltSite) -> None:
    """No orphan: every HTML page is linked from another page (404.html aside)."""
    linked: dict[str, set[str]] = defaultdict(set)
    root = built_site.root
    for page in sorted(root.rglob("*.html")):
        name = page.relative_to(root).as_posix()
        for link in _parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
                continue
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(name), unquote(parts.path))
            )
            if (root / target).is_dir():
                target = posixpath.join(target, "index.html")
            linked[target].add(name)
    orphans = [
        p.relative_to(root).as_posix()
        for p in sorted(root.rglob("*.html"))
        if p.name != "404.html"
        and not (linked[p.relative_to(root).as_posix()] - {p.relative_to(root).as_posix()})
    ]
    assert orphans == []
