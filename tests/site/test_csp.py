"""The Content-Security-Policy of the built pages (generator/site/csp.py, hooked in by the plugin).

Issue requirement: "Offline forms and pages ship a Content-Security-Policy with no
'unsafe-eval' and no remote origins", and built pages run no unexpected script.

* generator/site/csp.py on its own: hashing, which scripts count, where the meta tag goes, the
  script iframe-worker writes into its iframe.
* The real site (test_site's session build): every HTML page has one policy, before any
  script, allowing exactly its inline scripts; a second build writes the same bytes.
* In Chromium, from file:// and from a loopback HTTP server: no page reports a violation
  (its own or its iframes') or a console error; search works both ways; a script injected
  into a built page is blocked and reported, and eval is refused.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from base64 import b64encode
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest

from lienthong.inputs.settings import site_address
from lienthong.offline import form as offline_form
from lienthong.site import csp
from lienthong.site.plugin import _serving
from lienthong.site.search import IFRAME_WORKER_PATH
from tests.conftest import CONFIG, BuiltSite, serve_directory
from tests.search_box import search_hrefs
from tests.site import test_site

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
SHIM = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"

# The real site, built once for this module with test_site's fixture (strict, warnings kept).

# Pages built outside MkDocs' page pipeline with a policy of their own: the offline forms.
OFFLINE_FORMS = re.compile(r"bieu-mau/[a-z0-9-]+(?:\.html|/index\.html)")
# The publisher's pack index (generator/packs/pack.py, copied in as a static file): no policy yet.
# It runs no script (checked below); the pack template should get a policy of its own.
# The pack's index page has a policy but no script at all.
NO_SCRIPT = {"goi-tai-lieu/index.html"}
# 404.html links to "/assets/...": a web server's page for any missing path, not for file://.
HTTP_ONLY = {"404.html"}

# The Material pages' policy, with the hashes left out.
PAGE_DIRECTIVES = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
}

# All a policy may say, besides hashes: no 'unsafe-eval', no host, no scheme but data: and
# blob:, no wildcard. ('unsafe-inline' is for the offline forms' style-src; never for scripts.)
ALLOWED_WORDS = {"'none'", "'self'", "'unsafe-inline'", "data:", "blob:"}

_META = re.compile(
    r"<meta\s[^>]*http-equiv=[\"']?content-security-policy[\"']?[^>]*>", re.IGNORECASE
)
_CONTENT = re.compile(r"""content=(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_HASH = re.compile(r"'sha256-[A-Za-z0-9+/]+=*'")


def policies(html: str) -> list[str]:
    """The policies of the page's CSP meta tags, unescaped."""
    out = []
    for meta in _META.findall(html):
        match = _CONTENT.search(meta)
        out.append(unescape(match.group(1) or match.group(2)) if match else "")
    return out


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        if words := part.split():
            assert words[0].lower() not in parsed, f"{words[0]} given twice"
            parsed[words[0].lower()] = words[1:]
    return parsed


def sha256(text: str) -> str:
    return "'sha256-" + b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# --- generator/site/csp.py ------------------------------------------------------------------------


def test_sha256_source() -> None:
    # The empty script's well-known hash.
    assert csp.sha256_source("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    assert csp.sha256_source("đ") == sha256("đ")
    # The offline forms hash with the same helper (their output is unchanged).
    assert "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='" in offline_form.csp([""])


def test_inline_scripts_are_the_executable_ones() -> None:
    page = (
        "<head><meta charset='utf-8'><script>a()</script>"
        '<script src="x.js">ignored()</script>'
        '<script id="__config" type="application/json">{"x": 1}</script>'
        '<script type="module">b()</script><script type="TEXT/JavaScript">c()</script>'
        '<script language="javascript">d()</script><script type="text/template">e</script>'
        "</head><body><!-- <script>commented()</script> -->"
        "<pre>&lt;script&gt;shown()&lt;/script&gt;</pre><script>\r\nf()\r</script></body>"
    )
    assert csp.inline_scripts(page) == ["a()", "b()", "c()", "d()", "\nf()\n"]


def test_add_csp_after_charset() -> None:
    page = '<html>\n  <head>\n    <meta charset="utf-8">\n    <script>x()</script>'
    out = csp.add_csp(page, "default-src 'none'; script-src \"q\" &")
    assert out == (
        '<html>\n  <head>\n    <meta charset="utf-8">\n'
        '    <meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; script-src &quot;q&quot; &amp;\">\n"
        "    <script>x()</script>"
    )
    assert policies(out) == ["default-src 'none'; script-src \"q\" &"]
    with pytest.raises(ValueError, match="already has"):
        csp.add_csp(out, "default-src 'none'")
    with pytest.raises(ValueError, match="charset"):
        csp.add_csp("<head><script>x()</script>", "default-src 'none'")
    with pytest.raises(ValueError, match="before"):
        csp.add_csp('<script>x()</script><meta charset="utf-8">', "default-src 'none'")


def test_iframe_worker_script() -> None:
    shim = SHIM.read_text(encoding="utf-8")
    url = "../assets/javascripts/workers/search.0000.min.js"
    script = csp.iframe_worker_script(shim, url)
    assert script.startswith("postMessage=function ")
    assert ";importScripts=function " in script
    assert f'filename:"{url}"' in script
    assert "${" not in script and "<" not in script
    # Vendored with a banner comment in front: the same functions, the same script.
    assert csp.iframe_worker_script("/*! banner */\n" + shim, url) == script
    # A shim of another shape fails loudly instead of yielding a hash that matches nothing.
    with pytest.raises(ValueError, match="iframe-worker"):
        csp.iframe_worker_script(shim.replace("document.write(", "document.writeln("), url)
    with pytest.raises(ValueError, match="iframe-worker"):
        csp.iframe_worker_script(shim.replace('filename:"${e}"', 'filename:"?"'), url)


def test_with_csp_and_live_reload() -> None:
    shim = SHIM.read_text(encoding="utf-8")
    page = (
        '<head><meta charset="utf-8"><script>boot()</script></head><body>'
        '<script id="__config" type="application/json">{"search": "w.js"}</script></body>'
    )
    (policy,) = policies(csp.with_csp(page, shim))
    parsed = directives(policy)
    assert parsed["script-src"] == [
        "'self'",
        sha256("boot()"),
        sha256(csp.iframe_worker_script(shim, "w.js")),
    ]
    assert {k: v for k, v in parsed.items() if k != "script-src"} == {
        k: v for k, v in PAGE_DIRECTIVES.items() if k != "script-src"
    }
    # Without search (no worker URL in __config) there is no iframe to allow.
    (policy,) = policies(csp.with_csp(page.replace('"search"', '"other"'), shim))
    assert directives(policy)["script-src"] == ["'self'", sha256("boot()")]
    # mkdocs serve injects a reload script no hash can allow.
    (policy,) = policies(csp.with_csp(page, shim, live_reload=True))
    assert directives(policy)["script-src"] == ["'self'", "'unsafe-inline'"]


def test_serving_is_mkdocs_serve_only() -> None:
    def config(site_url: str | None) -> Any:
        return SimpleNamespace(site_url=site_url, dev_addr=("127.0.0.1", 8000))

    assert _serving(config("http://127.0.0.1:8000/"))
    assert _serving(config("http://127.0.0.1:8000/sub/"))
    assert not _serving(config(None))
    assert not _serving(config(""))
    assert not _serving(config("https://dichvucong.example.gov.vn/"))


# --- the built site ----------------------------------------------------------------------------


def _first_script(html: str) -> int:
    match = re.search(r"<script\b", html, re.IGNORECASE)
    return match.start() if match else len(html)


@pytest.mark.build
def test_every_page_has_one_strict_policy(built_site: BuiltSite) -> None:
    pages = built_site.html_pages()
    assert set(test_site.GENERATED) <= set(pages)
    # Two per group, and the clerk's scan page (bieu-mau/quet-ma.html).
    offline = [p for p in pages if OFFLINE_FORMS.fullmatch(p)]
    assert len(offline) == 2 * len(test_site.GROUPS) + 1 and "bieu-mau/quet-ma.html" in offline
    problems: dict[str, str] = {}
    for name in pages:
        html = (built_site.root / name).read_text(encoding="utf-8")
        found = policies(html)
        if len(found) != 1:
            problems[name] = f"{len(found)} policies"
            continue
        (policy,) = found
        if _META.search(html).start() > _first_script(html):
            problems[name] = "policy after the first <script>"
        parsed = directives(policy)
        words = [w for values in parsed.values() for w in values]
        # The group forms' own scripts may add one: the pre-2025 unit table (legacy_js.py).
        loads = bool(OFFLINE_FORMS.fullmatch(name)) and name != "bieu-mau/quet-ma.html"
        if loads != ("'strict-dynamic'" in parsed.get("script-src", [])):
            problems[name] = f"'strict-dynamic' {'missing' if loads else 'allowed'}"
            continue
        words = [w for w in words if w != "'strict-dynamic'"]
        bad = [w for w in words if w not in ALLOWED_WORDS and not _HASH.fullmatch(w)]
        if bad:
            problems[name] = f"allows {bad}"
        elif "'unsafe-inline'" in parsed.get("script-src", ["'unsafe-inline'"]):
            problems[name] = f"script-src {parsed.get('script-src')}"
        elif parsed.get("default-src") != ["'none'"]:
            problems[name] = f"default-src {parsed.get('default-src')}"
        elif not OFFLINE_FORMS.fullmatch(name) and name not in NO_SCRIPT:
            # A Material page: the pages' policy exactly, hashes aside.
            script_src = [w for w in parsed["script-src"] if not _HASH.fullmatch(w)]
            if {**parsed, "script-src": script_src} != PAGE_DIRECTIVES:
                problems[name] = f"unexpected policy {policy}"
    assert problems == {}


@pytest.mark.build
def test_policy_allows_exactly_the_inline_scripts(built_site: BuiltSite) -> None:
    shim = (built_site.root / IFRAME_WORKER_PATH).read_text(encoding="utf-8")
    problems: dict[str, Any] = {}
    for name in built_site.html_pages():
        html = (built_site.root / name).read_text(encoding="utf-8")
        (policy,) = policies(html)
        allowed = [w for w in directives(policy)["script-src"] if _HASH.fullmatch(w)]
        needed = [sha256(s) for s in csp.inline_scripts(html)]
        assert bool(needed) != (name in NO_SCRIPT), f"{name}: inline scripts {len(needed)}"
        if name in NO_SCRIPT:
            assert allowed == [], name
            continue
        if OFFLINE_FORMS.fullmatch(name):
            missing = [h for h in needed if h not in allowed]
            if missing:
                problems[name] = {"missing": missing}
            continue
        # Material's two inline scripts, then the one iframe-worker writes (from the shim as
        # vendored into the site, for the worker URL of this page's __config): no more.
        assert len(needed) == 2, name
        url = csp.search_worker_url(html)
        assert url, name
        # A relative URL, or from the site root on 404.html (served for any missing path).
        # The site's own path (site_url https://host/ba-dinh/) is the root of such a URL.
        root = urlsplit(site_address(CONFIG)[0] or "/").path
        worker = (
            url[len(root) :]
            if url.startswith("/")
            else posixpath.join(posixpath.dirname(name), url)
        )
        assert (built_site.root / posixpath.normpath(unquote(worker))).is_file(), (name, url)
        needed.append(sha256(csp.iframe_worker_script(shim, url)))
        if allowed != needed:
            problems[name] = {"allowed": allowed, "needed": needed}
    assert problems == {}


# securitypolicyviolation events of the page and of its same-origin iframes
# (iframe-worker's about:blank iframe inherits the page's policy; document.open() drops
# listeners, so each iframe is watched once its constructor is done, before the violation
# event, which is queued as a task, is fired).
_WATCH_VIOLATIONS = r"""(() => {
  if (window !== window.top) return;
  const seen = (window.__cspViolations = []);
  const watch = (doc, frame) => doc.addEventListener("securitypolicyviolation", (e) =>
    seen.push({ frame, directive: e.effectiveDirective, blocked: e.blockedURI,
                source: e.sourceFile, line: e.lineNumber, sample: e.sample }));
  watch(document, false);
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes)
        if (node.tagName === "IFRAME")
          try { watch(node.contentDocument, true); } catch (e) { /* cross-origin */ }
  }).observe(document, { childList: true, subtree: true });
})();"""

# Let queued violation events (and console messages) fire.
_SETTLE = "() => new Promise((resolve) => setTimeout(resolve, 50))"


@pytest.fixture(scope="module")
def site_http(built_site: BuiltSite) -> Iterator[str]:
    with serve_directory(built_site.root) as url:
        yield url


@pytest.fixture
def csp_page(page: Page) -> Page:
    """conftest's offline page, recording CSP violations from the first script on."""
    page.context.add_init_script(script=_WATCH_VIOLATIONS)
    return page


def violations(page: Page) -> list[dict[str, Any]]:
    page.evaluate(_SETTLE)
    return page.evaluate("window.__cspViolations")


def url_of(root: Path, http_root: str, name: str, scheme: str) -> str:
    return (root / name).as_uri() if scheme == "file" else http_root + name


@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize("scheme", ["file", "http"])
def test_pages_load_without_violations(
    built_site: BuiltSite, site_http: str, csp_page: Page, scheme: str
) -> None:
    page = csp_page
    found: dict[str, Any] = {}
    loaded = []
    for name in built_site.html_pages():
        if scheme == "file" and name in HTTP_ONLY:
            continue
        page.goto(url_of(built_site.root, site_http, name, scheme))
        seen = violations(page)
        errors = test_site.console_settled(page)
        page.console_errors.clear()
        if seen or errors:
            found[name] = {"violations": seen, "console": errors}
        loaded.append(name)
        if name in NO_SCRIPT or OFFLINE_FORMS.fullmatch(name):
            continue
        # The scripts really ran: the head bootstrap (hash), the bundle ('self') and, on
        # file://, the iframe-worker shim in place of Worker.
        state = page.evaluate(
            """() => [typeof __md_scope, document.documentElement.classList.contains("js"),
                      window.Worker === window.IFrameWorker]"""
        )
        if state != ["object", True, scheme == "file"]:
            found[name] = {"state": state}
    assert len(loaded) >= len(test_site.GENERATED) + 2 * len(test_site.GROUPS)
    assert found == {}
    assert page.remote_requests == []


@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize("scheme", ["file", "http"])
def test_search_works_under_the_policy(
    built_site: BuiltSite, site_http: str, csp_page: Page, scheme: str
) -> None:
    page = csp_page
    page.goto(url_of(built_site.root, site_http, "index.html", scheme))
    # file:// searches in iframe-worker's iframe, HTTP in a real worker (worker-src 'self').
    assert page.evaluate("window.Worker === window.IFrameWorker") == (scheme == "file")
    test_site.open_search(page)
    hrefs = search_hrefs(page, "khai sinh")
    index = urlsplit(url_of(built_site.root, site_http, "index.html", scheme)).path
    root = unquote(index).removesuffix("index.html")
    results = [unquote(urlsplit(h).path).removeprefix(root) for h in hrefs if h]
    assert len(results) >= 3, results
    assert "thu-tuc/khai-sinh.html" in results, results
    assert violations(page) == []
    assert test_site.console_settled(page) == []
    # Enter opens the first result (Material handles it; form-action 'none' stays unused).
    page.locator("input.md-search__input").press("Enter")
    page.wait_for_url(re.compile(re.escape(results[0]) + r"(\?|#|$)"))
    assert violations(page) == []
    assert test_site.console_settled(page) == []
    assert page.remote_requests == []


@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize("scheme", ["file", "http"])
def test_injected_script_is_blocked(
    built_site: BuiltSite, csp_page: Page, tmp_path: Path, scheme: str
) -> None:
    """A script slipped into a built page (keeping its policy) does not run, and is reported."""
    name = "thu-tuc/khai-sinh.html"
    root = tmp_path / "site"
    root.mkdir()
    # The built site's files, by symlink, with a tampered copy of one page.
    for entry in built_site.root.iterdir():
        if entry.name != "thu-tuc":
            (root / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    (root / "thu-tuc").mkdir()
    html = (built_site.root / name).read_text(encoding="utf-8")
    injected = "<script>window.__pwned=1</script>"
    (root / name).write_text(html.replace("</head>", injected + "</head>", 1), encoding="utf-8")
    assert len(policies((root / name).read_text(encoding="utf-8"))) == 1

    page = csp_page
    with serve_directory(root) as http_root:
        page.goto(url_of(root, http_root, name, scheme))
        assert page.evaluate("typeof window.__pwned") == "undefined"
        # The page's own scripts still ran.
        assert page.evaluate("typeof __md_scope") == "object"
        assert page.evaluate("document.documentElement.classList.contains('js')")
        # No eval either ('unsafe-eval' is absent). DevTools' own evaluation may eval, so the
        # attempts run later, from a timer, as page code would.
        refused = page.evaluate(
            """() => new Promise((resolve) => setTimeout(() => resolve(
                 [() => eval("1"), () => new Function("return 1")()].map((run) => {
                   try { run(); return "ran"; } catch (e) { return e.name; } }))))"""
        )
        seen = violations(page)
    assert refused == ["EvalError", "EvalError"]
    # Reported: the injected element, then the two evals; nothing else on the page.
    assert [(v["directive"], v["blocked"], v["frame"]) for v in seen] == [
        ("script-src-elem", "inline", False),
        ("script-src", "eval", False),
        ("script-src", "eval", False),
    ], seen
    assert any("Content Security Policy" in e for e in page.console_errors)
