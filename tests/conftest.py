"""Shared fixtures: Debian's Chromium driven by Playwright, with the network cut off.

Browser tests never download a browser: they use /usr/bin/chromium (``make system`` installs
it) and are skipped, with the reason, where it is missing. Every page runs in a fresh context
that aborts any request leaving the machine and records it, so a test can assert that the
site works offline; console errors and uncaught page errors are recorded as well.
"""

import contextlib
import functools
import http.server
import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request, Route

ROOT = Path(__file__).resolve().parent.parent

# Make `tests` importable however pytest is started (without tests/__init__.py pytest only puts
# tests/ itself on sys.path). `lienthong` comes from the install (make test: editable), since
# its source folder, generator/, does not carry the import name.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The suite reads the catalog as of one fixed day (generator/schema/dated.py), so that a commit made
# after a dated fact changes (01/01/2027, 01/3/2027...) does not turn the suite red by itself;
# tests about other days pass their day explicitly.
TEST_DAY = "2026-12-06"
os.environ["LIENTHONG_AS_OF"] = TEST_DAY

CHROMIUM = Path("/usr/bin/chromium")
# The flags the project launches Debian's Chromium with (one list, shared with make bench).
from lienthong.bench.pipeline import CHROMIUM_ARGS  # noqa: E402

# Requests to these stay on the machine: the file system, the tests' own loopback servers
# and in-page URLs. Anything else is recorded and aborted.
LOCAL_PREFIXES = (
    "file://",
    "http://127.0.0.1:",
    "http://127.0.0.1/",
    "data:",
    "blob:",
    "about:",
)

DEFAULT_VIEWPORT = {"width": 360, "height": 640}


def is_local(url: str) -> bool:
    """Whether a request for ``url`` stays on this machine (see LOCAL_PREFIXES)."""
    return url.startswith(LOCAL_PREFIXES)


@pytest.fixture(scope="session")
def browser() -> Iterator["Browser"]:
    """Debian's headless Chromium, shared by the whole session."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; install Debian's chromium package (make system)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def remote_requests() -> list[str]:
    """URLs of the requests the current test's page tried to send off the machine."""
    return []


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors and uncaught exceptions of the current test's page."""
    return []


@pytest.fixture
def page(
    browser: "Browser", remote_requests: list[str], console_errors: list[str]
) -> Iterator["Page"]:
    """A page in a fresh context (360x640, no service workers) with the network cut off.

    The lists are also reachable as ``page.remote_requests`` and ``page.console_errors``.
    """
    context = browser.new_context(viewport=DEFAULT_VIEWPORT, service_workers="block")

    seen: list[Request] = []

    def record(request: "Request") -> None:
        # The request event and the route handler can both see a request: record it once.
        if not is_local(request.url) and not any(request is r for r in seen):
            seen.append(request)
            remote_requests.append(request.url)

    def route(route: "Route") -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            record(route.request)
            route.abort("blockedbyclient")

    context.on("request", record)
    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    page.on("pageerror", lambda exc: console_errors.append(f"uncaught: {exc}"))
    page.remote_requests = remote_requests
    page.console_errors = console_errors
    try:
        yield page
    finally:
        context.close()


# --- the real site, built once per session ------------------------------------------------

CONFIG = ROOT / "mkdocs.yml"


@dataclass
class BuiltSite:
    root: Path
    # "logger LEVEL: message" for every record of level WARNING or above during the build.
    warnings: list[str] = field(default_factory=list)

    def html_pages(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))


class _Recorder(logging.Handler):
    """Keeps every record it sees once (it is attached to more than one logger)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not any(record is seen for seen in self.records):
            self.records.append(record)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The real site, built once with ``mkdocs build --strict`` semantics.

    caplog is function-scoped, so a session fixture records warnings with its own handler. It
    listens on the root logger and on "mkdocs" (which the MkDocs CLI stops from propagating):
    MkDocs' strict mode only counts warnings of the "mkdocs" logger tree, this catches any.
    """
    recorder = _Recorder()
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]
    for logger in loggers:
        logger.addHandler(recorder)
    try:
        from lienthong.site.build import build_site

        root = build_site(CONFIG, tmp_path_factory.mktemp("site"))
    finally:
        for logger in loggers:
            logger.removeHandler(recorder)
    warnings = [f"{r.name} {r.levelname}: {r.getMessage()}" for r in recorder.records]
    return BuiltSite(root=root, warnings=warnings)


# --- a folder over HTTP on loopback --------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """``directory`` over HTTP on loopback (http.server in a thread); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def edited_schemas(tmp_path: Path, name: str, edit: Callable[[dict], None]) -> Path:
    """A copy of schemas/ under ``tmp_path`` with ``edit`` applied to ``name``.schema.json
    (call it again with the same ``tmp_path`` to edit further); returns the folder."""
    folder = tmp_path / "schemas"
    if not folder.exists():
        shutil.copytree(ROOT / "schemas", folder)
    path = folder / f"{name}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    edit(schema)
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    return folder


def run_cli(
    *args: str,
    cwd: Path = ROOT,
    timeout: float = 120,
    env: dict[str, str] | None = None,
    memory_limit: int | None = None,
) -> subprocess.CompletedProcess:
    """``lienthong ARGS`` in a fresh process with a bare environment (plus ``env``), as a user
    runs it; ``memory_limit`` caps its address space in bytes."""

    def limit() -> None:
        if memory_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    bare = {"PYTHONPATH": str(ROOT), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    bare["LIENTHONG_AS_OF"] = TEST_DAY
    bare["HOME"] = os.environ.get("HOME", "/")
    return subprocess.run(
        [sys.executable, "-m", "lienthong.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env={**bare, **(env or {})},
        preexec_fn=limit,
    )
