"""``python -m lienthong.offline.prebuild DIR`` (``make dist``): run every browser-code job of the
packaged schemas and forms, on every day their facts change, into DIR (the store that
prebuilt.py reads), with the vendored npm files and the fonts the PDFs embed.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from lienthong import CHECKOUT
from lienthong.errors import LienThongError
from lienthong.offline import prebuilt


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
    from lienthong.offline.form import page_style, scripts_for, site_settings
    from lienthong.offline.scan_page import build_scan_page
    from lienthong.printing.render_pdf import default_forms_dir
    from lienthong.schema.catalog import load_catalog

    if not (CHECKOUT / "package-lock.json").is_file():
        raise LienThongError("chỉ dựng sẵn được từ bản sao mã nguồn (có package-lock.json).")
    out = out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name in prebuilt.VENDORED:
        src = next((d / name for d in prebuilt.node_modules_dirs() if (d / name).is_file()), None)
        if src is None:
            raise prebuilt.NodeMissing(f"thiếu node_modules/{name}: chạy `npm ci`")
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
    prebuilt.RECORD.append(out)
    try:
        page_style(Path(site["node_modules"]))
        # The scan page's scripts depend on no schema (offline/scan_page.py).
        build_scan_page(load_catalog(schemas), site)
        for day in days:
            catalog = load_catalog(schemas, day)
            for group in catalog.groups:
                scripts_for(catalog, group, Path(site["node_modules"]), site)
    finally:
        prebuilt.RECORD.remove(out)
    from lienthong.offline.source_digest import source_digest

    jobs = sorted(p.stem for p in (out / "jobs").rglob("*.js"))
    manifest = {
        "source": source_digest(CHECKOUT),
        "days": [d.isoformat() for d in days],
        "jobs": len(jobs),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("dùng: python -m lienthong.offline.prebuild THƯ_MỤC", file=sys.stderr)
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
    sys.exit(main())
