"""What Node tools made, kept by the digest of their input, so a publisher needs no Node.

The offline forms need two Node tools at build time: Ajv compiles each group's validator
(``assets/validator/compile.cjs``) and esbuild minifies the scripts (the print templates are
compiled to JavaScript in Python, ``jinja_js.py``). Their inputs depend only on
the schemas, the form templates and this package's own scripts, never on a publisher's
settings (``print_js`` keeps the site's URLs and QR codes out of what esbuild sees). So
``python -m lienthong.offline.prebuild DIR`` (``make dist``) runs every such job for the packaged
schemas and forms on every day their facts change, and stores each output under the SHA-256
of the tool, its script and its input. The wheel carries DIR as ``lienthong/_data/prebuilt``,
with the few browser files the site copies from npm packages (``node_modules/`` inside it) and
the fonts the PDFs embed (``fonts/``, see fonts.py).

:func:`run` answers from that store first; on a miss (a publisher edited a schema or a form)
it runs the tool, and without Node it stops with one Vietnamese line that says what to install.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from lienthong import CHECKOUT, PACKAGE_DATA
from lienthong.errors import LienThongError

STORE = PACKAGE_DATA / "prebuilt"
# The npm files the site and the print bundle copy (search.py; print_js.py: the QR encoder).
VENDORED = (
    "iframe-worker/package.json",
    "iframe-worker/shim/index.js",
    "lean-qr/package.json",
    "lean-qr/index.mjs",
    "lean-qr/LICENSE",
    "qr/package.json",
    "qr/index.js",
    "qr/decode.js",
    "qr/LICENSE",
)
# What to install when a job is not in the store and this machine has no Node (one line).
NEED_NODE = (
    "cần Node.js để dựng lại mã trình duyệt cho schemas/ hoặc forms/ đã sửa: cài Node.js ≥ 18 "
    "rồi chạy `npm install ajv@8.20.0 esbuild@0.28.2` trong thư mục dự án."
)


class NodeMissing(LienThongError):
    """A tool's output is needed, it is not prebuilt, and Node (or the npm package) is absent."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(NEED_NODE + (f" ({detail})" if detail else ""))


_MEMORY: dict[str, str] = {}
_LOCK = threading.Lock()
# Set by prebuild.make(): every job run in this process is also written there.
RECORD: list[Path] = []


def key(tool: str, script: str, payload: str) -> str:
    h = hashlib.sha256()
    for part in (tool, script, payload):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


def _path(root: Path, digest: str) -> Path:
    return root / "jobs" / digest[:2] / f"{digest}.js"


def run(tool: str, script: str, payload: str, compute: Callable[[], str]) -> str:
    """``compute()``'s output for (tool, script, payload), from memory, the store or a new run.

    ``script`` is the text of the tool's driver (or its version), so a changed driver never
    reuses an old output.
    """
    digest = key(tool, script, payload)
    with _LOCK:
        if digest in _MEMORY:
            return _MEMORY[digest]
    stored = _path(STORE, digest)
    out = stored.read_text(encoding="utf-8") if stored.is_file() else compute()
    with _LOCK:
        _MEMORY[digest] = out
    for root in RECORD:
        target = _path(root, digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(out, encoding="utf-8", newline="")
    return out


def node_modules_dirs(*extra: Path) -> list[Path]:
    """Folders to look up npm packages in: ``extra`` and the working folder's node_modules, the
    checkout's, then the store's vendored copies."""
    found = [*extra, Path.cwd() / "node_modules", CHECKOUT / "node_modules", STORE / "node_modules"]
    return [p for p in dict.fromkeys(p.resolve() for p in found) if p.is_dir()]


def run_node(script: Path, payload: str, package: str, *extra: Path) -> tuple[int, str, str]:
    """Run ``node script`` with ``payload`` on stdin and the npm folders on NODE_PATH; returns
    (exit code, stdout, stderr). A missing npm ``package`` raises NodeMissing naming it."""
    env = dict(os.environ)
    paths = [str(p) for p in node_modules_dirs(*extra)]
    env["NODE_PATH"] = os.pathsep.join([*paths, env.get("NODE_PATH", "")]).strip(os.pathsep)
    done = subprocess.run(
        [node(), str(script)], input=payload.encode("utf-8"), capture_output=True, env=env
    )
    stderr = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0 and "Cannot find module" in stderr:
        raise NodeMissing(f"thiếu gói npm {package}")
    return done.returncode, done.stdout.decode("utf-8"), stderr


def node() -> str:
    found = shutil.which("node")
    if found is None:
        raise NodeMissing("không thấy lệnh node")
    return found
