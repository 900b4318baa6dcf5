"""Diacritic-insensitive, offline site search on top of Material for MkDocs.

Vietnamese readers often search without diacritics ("dang ky khai sinh") or send decomposed
(NFD) text, which Material's lunr search does not fold. Material 9.8 has no hook for this, so
after the build :func:`patch_search_worker` appends ``assets/search-fold.js`` to the search
worker the theme copied into the site; that script patches lunr inside the worker (see its
header comment for how).

Material's offline plugin makes search work from ``file://`` through the iframe-worker shim,
but loads that shim from unpkg.com. :func:`vendor_iframe_worker` copies the npm-installed shim
into the site and :func:`replace_remote_polyfills` points ``extra.polyfills`` at the copy.

Only :func:`patch_search_worker` and :func:`vendor_iframe_worker` write files.
"""

import json
import pathlib
import re
import unicodedata
from urllib.parse import urlsplit

__all__ = [
    "IFRAME_WORKER_PATH",
    "fold",
    "iframe_worker_source",
    "patch_search_worker",
    "replace_remote_polyfills",
    "vendor_iframe_worker",
]

# Where the vendored iframe-worker shim lives in the built site (site-relative, "/"-separated).
IFRAME_WORKER_PATH = "assets/javascripts/iframe-worker.js"

# The JavaScript appended to the search worker.
_FOLD_JS = pathlib.Path(__file__).parent.parent / "assets" / "search-fold.js"

# Material's search worker(s), relative to the site directory.
_WORKER_DIR = ("assets", "javascripts", "workers")
_WORKER_GLOB = "search.*.min.js"

# Markers around the appended script: a patched worker is recognised (and re-patched in
# place) by these, which keeps patch_search_worker idempotent.
_BEGIN = "/* lienthong:search-fold begin */"
_END = "/* lienthong:search-fold end */"
_PATCH = re.compile(re.escape(_BEGIN) + r".*?" + re.escape(_END) + r"\n?", re.DOTALL)

# What the appended script relies on in Material's worker bundle: lunr 2.3.9 (it patches
# lunr's Builder, QueryParser and Index and reads Pipeline internals), exposed as `self.lunr`.
# Checked before patching, so that a Material upgrade that changes them fails the build
# instead of silently not folding.
_WORKER_ANCHORS = ("not as bright - 2.3.9", "self.lunr=")

# The trailing source-map comment, which must stay the last line of the worker.
_SOURCE_MAP = re.compile(r"\n//# sourceMappingURL=[^\n]*\s*\Z")


def fold(text: str) -> str:
    """Fold ``text`` for diacritic-insensitive matching.

    Decompose (NFD), drop nonspacing marks (general category Mn), map "đ"/"Đ" to "d"/"D",
    lower-case: "Đăng ký thường trú" -> "dang ky thuong tru". The Python twin of ``fold`` in
    ``assets/search-fold.js``; keep the two identical.
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def _patched(worker: str, script: str) -> str:
    """Return the worker source with ``script`` appended between the patch markers."""
    original = _PATCH.sub("", worker)
    missing = [anchor for anchor in _WORKER_ANCHORS if anchor not in original]
    if missing:
        raise RuntimeError(
            "Material's search worker no longer looks as generator/site/search.py expects "
            f"(missing {', '.join(repr(m) for m in missing)}); check search-fold.js against "
            "the installed mkdocs-material before updating it"
        )
    match = _SOURCE_MAP.search(original)
    body, tail = (original[: match.start()], match.group()) if match else (original, "\n")
    return f"{body.rstrip()}\n{_BEGIN}\n{script.strip()}\n{_END}{tail}"


def patch_search_worker(site_dir: pathlib.Path) -> None:
    """Append the diacritic-folding script to Material's search worker(s) in ``site_dir``.

    Rewrites ``assets/javascripts/workers/search.*.min.js``. Idempotent and deterministic: an
    already patched worker gets its patch replaced by the current script, byte for byte the
    same output; unchanged files are not rewritten. Raises ``FileNotFoundError`` if the site
    has no search worker and ``RuntimeError`` if the worker is not the expected Material one.
    """
    workers = sorted(pathlib.Path(site_dir).joinpath(*_WORKER_DIR).glob(_WORKER_GLOB))
    if not workers:
        raise FileNotFoundError(
            f"no Material search worker ({'/'.join(_WORKER_DIR)}/{_WORKER_GLOB}) in {site_dir}"
        )
    script = _FOLD_JS.read_text(encoding="utf-8")
    for worker in workers:
        source = worker.read_text(encoding="utf-8")
        patched = _patched(source, script)
        if patched != source:
            worker.write_text(patched, encoding="utf-8", newline="\n")


def iframe_worker_source(node_modules: pathlib.Path) -> pathlib.Path:
    """Return the npm-installed iframe-worker shim, or raise ``FileNotFoundError``."""
    from lienthong.offline import prebuilt

    name = pathlib.Path("iframe-worker") / "shim" / "index.js"
    # The project's npm copy, else the checkout's, else the one the package carries.
    found = [d / name for d in prebuilt.node_modules_dirs(pathlib.Path(node_modules))]
    shim = next((p for p in found if p.is_file()), pathlib.Path(node_modules) / name)
    if not shim.is_file():
        raise FileNotFoundError(
            f"thiếu iframe-worker ({shim}): chạy `npm ci` trong thư mục dự án để cài các gói "
            "trình duyệt."
        )
    return shim


def vendor_iframe_worker(site_dir: pathlib.Path, node_modules: pathlib.Path) -> str:
    """Copy the iframe-worker shim into ``site_dir``; return its site-relative path.

    The copy is prefixed with a licence banner (the shim itself carries none). Raises
    ``FileNotFoundError`` naming ``npm ci`` if ``node_modules`` lacks the package.
    """
    shim = iframe_worker_source(node_modules)
    meta = json.loads((shim.parent.parent / "package.json").read_text(encoding="utf-8"))
    banner = (
        f"/*! iframe-worker {meta.get('version', '')} | {meta.get('license', 'MIT')} License"
        " | (c) Martin Donath | https://github.com/squidfunk/iframe-worker */\n"
    )
    target = pathlib.Path(site_dir).joinpath(*IFRAME_WORKER_PATH.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    content = banner + shim.read_text(encoding="utf-8")
    if not target.is_file() or target.read_text(encoding="utf-8") != content:
        target.write_text(content, encoding="utf-8", newline="\n")
    return IFRAME_WORKER_PATH


def _is_remote(url: str) -> bool:
    """Whether ``url`` would be fetched from the network (http(s) or protocol-relative)."""
    return url.startswith("//") or urlsplit(url).scheme.lower() in ("http", "https")


def replace_remote_polyfills(polyfills: list[str], local: str) -> list[str]:
    """Return ``polyfills`` with remote iframe-worker URLs replaced by ``local``.

    Order is kept and ``local`` appears at most once. Any other remote polyfill raises
    ``ValueError``: the site must work offline, and only iframe-worker is vendored.
    """
    result: list[str] = []
    for url in polyfills:
        if _is_remote(url):
            if "iframe-worker" not in url:
                raise ValueError(
                    f"remote polyfill {url!r} would break offline use; vendor it via npm"
                )
            url = local
        if url not in result:
            result.append(url)
    return result
