"""Content-Security-Policy for the built pages: hashes of their inline scripts, no eval, no
network beyond the site itself.

The MkDocs pages (Material for MkDocs) run two inline scripts of their own (the ``__md_scope``
bootstrap in the head, the ``location.hash`` snippet after the content) next to script files
under ``assets/javascripts/``; ``<script id="__config" type="application/json">`` is data, not
code, and needs no hash. :func:`add_csp` puts a ``<meta http-equiv="Content-Security-Policy">``
right after ``<meta charset="utf-8">`` (before any script) allowing exactly those scripts.

From ``file://`` Material's search runs in the iframe-worker shim (``window.Worker`` is
replaced by ``IFrameWorker``): it writes an inline script into an ``about:blank`` iframe,
which inherits the page's policy, so that script needs a hash too.
:func:`iframe_worker_script` rebuilds its text from the shim's source and the worker URL
Material passes (``search`` in the page's ``__config``); the script is the same on every
load, so the hash is deterministic.

The offline forms (:mod:`generator.offline_form`) have their own, stricter policy and share
:func:`sha256_source` only.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
import re
from collections.abc import Iterable
from html.parser import HTMLParser

__all__ = [
    "add_csp",
    "iframe_worker_script",
    "inline_scripts",
    "page_policy",
    "search_worker_url",
    "sha256_source",
    "with_csp",
]

# MIME types (and the "module" type) a browser runs as script; anything else, such as
# "application/json", is a data block (HTML's "classic script" / "module script" rules).
_JS_TYPES = {
    "",
    "module",
    "application/ecmascript",
    "application/javascript",
    "application/x-ecmascript",
    "application/x-javascript",
    "text/ecmascript",
    "text/javascript",
    "text/javascript1.0",
    "text/javascript1.1",
    "text/javascript1.2",
    "text/javascript1.3",
    "text/javascript1.4",
    "text/javascript1.5",
    "text/jscript",
    "text/livescript",
    "text/x-ecmascript",
    "text/x-javascript",
}

# Where the meta tag goes: right after the charset declaration (which must stay within the
# first 1024 bytes), so that the policy is in force before the first script.
_CHARSET = re.compile(r"<meta\s+charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)
_CSP_META = re.compile(
    r"<meta\s[^>]*http-equiv=[\"']?content-security-policy[\"']?[^>]*>", re.IGNORECASE
)
_SCRIPT_TAG = re.compile(r"<script\b", re.IGNORECASE)


def sha256_source(script: str) -> str:
    """The CSP source expression (``'sha256-…'``) allowing the inline script ``script``."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def _executable(attrs: dict[str, str | None]) -> bool:
    """Whether a ``<script>`` with these attributes runs its text (not a data block)."""
    kind = (attrs.get("type") or "").strip().lower()
    if "type" not in attrs and (attrs.get("language") or "").strip():
        kind = "text/" + (attrs["language"] or "").strip().lower()
    return kind in _JS_TYPES


class _Scripts(HTMLParser):
    """Collects ``<script>`` elements: attributes and text, as the browser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            # The first of repeated attributes wins, as in the browser.
            seen: dict[str, str | None] = {}
            for name, value in attrs:
                seen.setdefault(name, value)
            self._open, self._text = seen, []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.scripts.append((self._open, "".join(self._text)))
            self._open = None


def _scripts(page: str) -> list[tuple[dict[str, str | None], str]]:
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    return parser.scripts


def inline_scripts(page: str) -> list[str]:
    """The text of every inline script ``page`` runs, in document order.

    Scripts with ``src`` (their text is ignored) and data blocks (``type="application/json"``
    and the like) are left out. Newlines are normalised as the HTML parser does before the
    browser hashes a script (CRLF and lone CR become LF).
    """
    return [
        text.replace("\r\n", "\n").replace("\r", "\n")
        for attrs, text in _scripts(page)
        if "src" not in attrs and _executable(attrs)
    ]


def search_worker_url(page: str) -> str | None:
    """The search worker URL in a Material page's ``__config`` (None without search)."""
    for attrs, text in _scripts(page):
        if attrs.get("id") == "__config":
            url = json.loads(text).get("search")
            return url if isinstance(url, str) and url else None
    return None


# The shim writes its iframe's document with one template literal, containing the inline
# script (functions of the shim interpolated by name, the worker URL as ``${<param>}``) and
# a <script src> for the worker itself.
_SHIM_WRITE = re.compile(r"\.document\.write\(`(?P<html>(?:[^`\\]|\\.)*)`\)")
_SHIM_CONSTRUCTOR = re.compile(r"\bconstructor\((?P<param>[A-Za-z_$][\w$]*)\)")
_INTERPOLATION = re.compile(r"\$\{(?P<expr>[^}]*)\}")
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")


def _function_source(source: str, name: str) -> str:
    """The text of ``function name(...){...}`` in ``source``, as ``Function.prototype.toString``
    returns it (V8 keeps the exact source text)."""
    match = re.search(r"\bfunction\s+" + re.escape(name) + r"\s*\(", source)
    if match is None:
        raise ValueError(f"function {name} not found")
    depth = 0
    quote = ""
    i = source.index("{", match.end())
    start = match.start()
    while i < len(source):
        ch = source[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'`":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return source[start : i + 1]
        i += 1
    raise ValueError(f"function {name} is not closed")


def iframe_worker_script(shim_source: str, worker_url: str) -> str:
    """The inline script iframe-worker's shim writes into its iframe for ``worker_url``.

    Raises ``ValueError`` if the shim no longer has the shape this relies on (one
    ``document.write`` template whose only inline script interpolates the shim's functions by
    name and the constructor's URL parameter); a new iframe-worker release must be checked
    against this function before it is vendored.
    """
    writes = _SHIM_WRITE.findall(shim_source)
    constructors = _SHIM_CONSTRUCTOR.findall(shim_source)
    if len(writes) != 1 or len(constructors) != 1:
        raise ValueError(
            "iframe-worker's shim no longer looks as generator/site/csp.py expects (one "
            "document.write template, one constructor)"
        )
    (template,), (param,) = writes, constructors
    if re.search(r"\\[^/]", template):
        raise ValueError("iframe-worker's document.write template has escapes besides \\/")
    template = template.replace("\\/", "/")

    def substitute(match: re.Match[str]) -> str:
        expr = match.group("expr").strip()
        if expr == param:
            return worker_url
        if _IDENTIFIER.fullmatch(expr):
            return _function_source(shim_source, expr)
        # Other expressions (the cache-busting ?${+Date.now()} of the worker's <script src>)
        # may only appear outside the inline script; a placeholder keeps the HTML parseable.
        return "\0"

    written = _INTERPOLATION.sub(substitute, template)
    scripts = inline_scripts(written)
    if len(scripts) != 1 or "\0" in scripts[0] or worker_url not in scripts[0]:
        raise ValueError(
            "iframe-worker's shim no longer writes one inline script naming the worker URL"
        )
    return scripts[0]


def page_policy(hashes: Iterable[str], *, live_reload: bool = False) -> str:
    """The policy of a site page that may run ``hashes`` (``'sha256-…'``) inline.

    Scripts, styles, fonts, workers and fetches come from the site itself ('self', which
    Chromium also matches for ``file://`` pages against ``file://`` URLs); nothing is
    evaluated from strings; images may also be ``data:`` URLs (Material's stylesheet draws
    its icons as data: SVG masks). ``live_reload`` (``mkdocs serve`` only) allows any inline
    script instead of ``hashes``, for the reload script the development server injects.
    """
    inline = ["'unsafe-inline'"] if live_reload else list(dict.fromkeys(hashes))
    script_src = " ".join(["'self'", *inline])
    return (
        "default-src 'none'; "
        f"script-src {script_src}; "
        "style-src 'self'; "
        "img-src 'self' data:; "
        "font-src 'self'; "
        "connect-src 'self'; "
        "worker-src 'self'; "
        "base-uri 'none'; "
        "form-action 'none'"
    )


def add_csp(page: str, policy: str) -> str:
    """``page`` with a CSP meta tag for ``policy`` right after ``<meta charset="utf-8">``.

    Raises ``ValueError`` if the page already has a policy, has no UTF-8 charset declaration
    or runs a script before it.
    """
    if _CSP_META.search(page):
        raise ValueError("the page already has a Content-Security-Policy meta tag")
    charset = _CHARSET.search(page)
    if charset is None:
        raise ValueError('the page has no <meta charset="utf-8"> to put the policy after')
    script = _SCRIPT_TAG.search(page)
    if script is not None and script.start() < charset.start():
        raise ValueError('the page has a <script> before <meta charset="utf-8">')
    content = html_lib.escape(policy, quote=False).replace('"', "&quot;")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    indent = re.search(r"\n[ \t]*\Z", page[: charset.start()])
    separator = indent.group() if indent else "\n"
    return page[: charset.end()] + separator + meta + page[charset.end() :]


def with_csp(page: str, iframe_worker: str | None = None, *, live_reload: bool = False) -> str:
    """``page`` (a built Material page) with its policy (see :func:`page_policy`): its inline
    scripts by hash, plus, given the iframe-worker shim's source and if the page has search,
    the script the shim writes into its iframe."""
    scripts = inline_scripts(page)
    url = search_worker_url(page) if iframe_worker is not None else None
    if iframe_worker is not None and url is not None:
        scripts.append(iframe_worker_script(iframe_worker, url))
    policy = page_policy((sha256_source(s) for s in scripts), live_reload=live_reload)
    return add_csp(page, policy)
