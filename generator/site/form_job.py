"""The offline forms of the site, built in a separate process and cached.

Building one group's form compiles its validator with node (Ajv), compiles the print
templates to JavaScript and minifies the scripts: ~1 s a group, so, like the blank PDFs (site_pdfs), the plugin
starts it when the build starts and collects it before files are copied. Output is cached under
``.cache/lienthong/forms-<digest>`` by a digest of every input (schemas, forms, this package, the
npm lock file and the page settings).

Per group it writes ``<group>.html`` (the self-contained file a citizen saves to a phone) and
``<group>/index.html`` (the same form as a page of the site, linking back to the guide); and once
``quet-ma.html``, the clerk's page that reads the record codes of printed sets, and
``don-vi-cu.js``, the pre-2025 units that the forms load when a record needs them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lienthong.offline.legacy_js import FILE as LEGACY_FILE
from lienthong.site.pdf_job import PACKAGE, Job, PdfRenderFailed, input_digest

SCAN_PAGE = "quet-ma.html"
INPUT_GLOBS = [
    "**/*.py",
    "assets/form/*",
    "assets/validator/*",
    "assets/*.js",
    "templates/**/*",
    "data/*.json",
]


class FormBuildFailed(PdfRenderFailed):
    pass


def digest(project: Path, settings: dict[str, Any]) -> str:
    seed = json.dumps(settings, sort_keys=True, ensure_ascii=False)
    folders = (Path(settings["schemas_dir"]), Path(settings["forms_dir"]))
    return input_digest(folders, seed, INPUT_GLOBS, (project / "package-lock.json",))


def outputs(groups: list[str]) -> list[str]:
    """Site paths (under bieu-mau/) of every file the job writes: each group's form, then the
    clerk's scan page (offline/scan_page.py) and the pre-2025 unit table (offline/legacy_js.py)."""
    return [p for g in groups for p in (f"{g}.html", f"{g}/index.html")] + [SCAN_PAGE, LEGACY_FILE]


class FormsJob(Job):
    failure = FormBuildFailed
    what = "không dựng được tờ khai điền sẵn"


def start(project: Path, groups: list[str], settings: dict[str, Any]) -> FormsJob:
    """Start building (or reuse the cached) offline forms. ``settings``: schemas_dir, forms_dir,
    node_modules, site_name, office, site_url, directory_urls."""
    out_dir = project / ".cache" / "lienthong" / f"forms-{digest(project, settings)}"
    if (out_dir / ".complete").exists() and all((out_dir / p).exists() for p in outputs(groups)):
        return FormsJob(out_dir, None)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ, PYTHONPATH=str(PACKAGE.parent) + os.pathsep + os.environ.get("PYTHONPATH", "")
    )
    args = [sys.executable, "-m", "lienthong.site.form_job", str(out_dir), json.dumps(settings)]
    process = subprocess.Popen(
        args, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    return FormsJob(out_dir, process)


def main(out_dir: str, settings_json: str) -> int:
    from lienthong import _catalog
    from lienthong.inputs.files import write_atomic
    from lienthong.offline.form import build_group_pages
    from lienthong.offline.legacy_js import build_legacy_script
    from lienthong.offline.scan_page import build_scan_page

    settings = json.loads(settings_json)
    catalog = _catalog(Path(settings["schemas_dir"]))
    # Most of the work is node (Ajv) and esbuild in subprocesses: groups in threads
    # keep both cores busy while MkDocs waits on other work.
    with ThreadPoolExecutor(max_workers=len(catalog.groups) or 1) as pool:
        built = list(pool.map(lambda g: build_group_pages(catalog, g, settings), catalog.groups))
    built.append({SCAN_PAGE: build_scan_page(catalog, settings)})
    built.append({LEGACY_FILE: build_legacy_script()})
    for pages in built:
        for path, html in pages.items():
            target = Path(out_dir) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, html.encode("utf-8"))
    return 0


if __name__ == "__main__":
    from lienthong.errors import LienThongError

    try:
        sys.exit(main(*sys.argv[1:3]))
    except LienThongError as exc:  # one line for the build's message, never a traceback
        print(exc, file=sys.stderr)
        sys.exit(1)
