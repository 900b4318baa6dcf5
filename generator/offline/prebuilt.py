"""What Node tools made, kept by the digest of their input, so a publisher needs no Node.

The offline forms need three Node tools at build time: Ajv compiles each group's validator
(``assets/validator/compile.cjs``), Nunjucks precompiles the print templates
(``assets/form/precompile.cjs``) and esbuild minifies the scripts. Their inputs depend only on
the schemas, the form templates and this package's own scripts, never on a publisher's
settings (``print_js`` keeps the site's URLs and QR codes out of what esbuild sees). So
``python -m lienthong.prebuilt DIR`` (``make dist``) runs every such job for the packaged
schemas and forms on every day their facts change, and stores each output under the SHA-256
of the tool, its script and its input. The wheel carries DIR as ``lienthong/_data/prebuilt``,
with the few browser files the site copies from npm packages (``node_modules/`` inside it) and
the fonts the PDFs embed (``fonts/``, see fonts.py).

:func:`run` answers from that store first; on a miss (a publisher edited a schema or a form)
it runs the tool, and without Node it stops with one Vietnamese line that says what to install.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from lienthong import PACKAGE_DATA
from lienthong.errors import LienThongError

STORE = PACKAGE_DATA / "prebuilt"
# The npm files the site and the print bundle copy as they are (search.py, print_js.py).
VENDORED = (
    "iframe-worker/package.json",
    "iframe-worker/shim/index.js",
    "nunjucks/package.json",
    "nunjucks/browser/nunjucks-slim.min.js",
)
# What to install when a job is not in the store and this machine has no Node (one line).
NEED_NODE = (
    "cần Node.js để dựng lại mã trình duyệt cho schemas/ hoặc forms/ đã sửa: cài Node.js ≥ 18 "
    "rồi chạy `npm install ajv@8.20.0 nunjucks@3.2.4 esbuild@0.28.2` trong thư mục dự án."
)


class NodeMissing(LienThongError):
    """A tool's output is needed, it is not prebuilt, and Node (or the npm package) is absent."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(NEED_NODE + (f" ({detail})" if detail else ""))


_MEMORY: dict[str, str] = {}
_LOCK = threading.Lock()
# Set by record(): every job run in this process is also written there.
_RECORD: list[Path] = []


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
    for root in _RECORD:
        target = _path(root, digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(out, encoding="utf-8", newline="")
    return out


def node_modules_dirs(*extra: Path) -> list[Path]:
    """Folders to look up npm packages in: ``extra`` and the working folder's node_modules, the
    checkout's, then the store's vendored copies."""
    from lienthong.offline.validator_js import PROJECT

    found = [*extra, Path.cwd() / "node_modules", PROJECT / "node_modules", STORE / "node_modules"]
    return [p for p in dict.fromkeys(p.resolve() for p in found) if p.is_dir()]


def node() -> str:
    found = shutil.which("node")
    if found is None:
        raise NodeMissing("không thấy lệnh node")
    return found


# ---------------------------------------------------------------- making the store


def _days(catalog) -> list:
    """Every day the catalog's facts change, and the day before the first: the days whose
    browser code can differ."""
    import datetime as dt

    found: set[dt.date] = {catalog.day}

    def walk(node) -> None:
        if isinstance(node, dict):
            for name in ("effective_from", "effective_until"):
                value = node.get(name)
                if isinstance(value, str):
                    try:
                        day = dt.date.fromisoformat(value)
                    except ValueError:
                        continue
                    found.update({day, day - dt.timedelta(days=1), day + dt.timedelta(days=1)})
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for schema in catalog.schemas.values():
        walk(schema)
    return sorted(found)


def make(out: Path) -> dict:
    """Run every browser-code job of the packaged schemas and forms into ``out``."""
    from lienthong import default_schemas_dir
    from lienthong.offline import print_js
    from lienthong.offline.form import scripts_for, site_settings
    from lienthong.offline.validator_js import PROJECT
    from lienthong.printing.render_pdf import default_forms_dir, renderer
    from lienthong.schema.catalog import load_catalog

    if not (PROJECT / "package-lock.json").is_file():
        raise LienThongError("chỉ dựng sẵn được từ bản sao mã nguồn (có package-lock.json).")
    out = out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name in VENDORED:
        src = next((d / name for d in node_modules_dirs() if (d / name).is_file()), None)
        if src is None:
            raise NodeMissing(f"thiếu node_modules/{name}: chạy `npm ci`")
        target = out / "node_modules" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    from lienthong.printing.fonts import copy_fonts

    # The fonts the PDFs embed (fonts.py), so that they need no system font package.
    copy_fonts(out / "fonts")
    schemas, forms = default_schemas_dir(), default_forms_dir()
    site = site_settings(
        schemas_dir=schemas,
        forms_dir=forms,
        node_modules=Path.cwd() / "node_modules",
        site_name="",
        office="",
    )
    days = _days(load_catalog(schemas))
    _RECORD.append(out)
    try:
        for day in days:
            catalog = load_catalog(schemas, day)
            for group in catalog.groups:
                scripts_for(catalog, group, Path(site["node_modules"]), site)
        # The site build compiles every print template in one run first (site_forms.py).
        print_js._COMPILED.clear()
        print_js.precompile_all(renderer(schemas, forms))
    finally:
        _RECORD.remove(out)
    from lienthong.offline.source_digest import source_digest

    jobs = sorted(p.stem for p in (out / "jobs").rglob("*.js"))
    manifest = {
        "source": source_digest(PROJECT),
        "days": [d.isoformat() for d in days],
        "jobs": len(jobs),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("dùng: python -m lienthong.prebuilt THƯ_MỤC", file=sys.stderr)
        return 2
    try:
        manifest = make(Path(args[0]))
    except LienThongError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 1
    print(
        f"{manifest['jobs']} kết quả dựng sẵn, {len(manifest['days'])} ngày, vào {args[0]}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    # Run as a script this file is __main__, not the lienthong.prebuilt the builders call.
    from lienthong.offline.prebuilt import main as _main

    sys.exit(_main())
