"""`make bench`: time the pipeline stages against the issues' budgets.

Figures are medians of several runs in one process, plus ratios measured in
the same run (machines are noisy; compare ratios, not absolute times).
Budgets (issue "Schemas as the single source of truth"): full default site
<= 5 s, no-change rebuild <= 1 s, on a 2-core machine.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lienthong.bench.report import report

ROOT = Path(__file__).resolve().parent.parent.parent


def _median(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_site(runs: int = 3) -> dict[str, float]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from lienthong.site.build import build_site

    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        # Full build in a fresh process with a cold PDF cache: what `make site`
        # costs on a new clone after set-up.
        shutil.rmtree(ROOT / ".cache" / "lienthong", ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "lienthong.cli", "build", "-d", str(site)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        results["site_full_fresh_process_s"] = time.perf_counter() - start
        results["site_full_warm_s"] = _median(lambda: build_site(ROOT / "mkdocs.yml", site), runs)

        # No-change rebuild: what `mkdocs serve` does on a save (dirty build
        # into the same directory, config reloaded).
        def rebuild():
            # Not strict: MkDocs warns about every dirty build, as serve does not mind.
            config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=False)
            build(config, dirty=True)

        results["site_nochange_rebuild_s"] = _median(rebuild, runs)
    return results


def bench_validate(runs: int = 2000) -> dict[str, float]:
    import lienthong

    record = json.loads(
        (ROOT / "schemas/lien-thong-khai-sinh.schema.json").read_text(encoding="utf-8")
    )["examples"][0]
    lienthong.validate("lien-thong-khai-sinh", record)
    start = time.perf_counter()
    for _ in range(runs):
        lienthong.validate("lien-thong-khai-sinh", record)
    return {"validate_group_record_us": (time.perf_counter() - start) / runs * 1e6}


def bench_cards(pages: int = 20) -> dict[str, float]:
    """Issue 15: preview images add <= 2 s to a cold build and are not redrawn when nothing
    changed. ``pages`` cards, as many as the demonstration site has pages."""
    from lienthong.site import cards

    place = "Phường Ba Đình, Thành phố Hà Nội"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        targets = {
            folder / "out" / f"p{i}.png": (
                f"Trang {i}: khai sinh, thường trú, thẻ BHYT cho trẻ dưới 6 tuổi",
                place,
                f"https://lienthong-ba-dinh.github.io/p{i}.html",
                cards.BAND,
            )
            for i in range(pages)
        }
        start = time.perf_counter()
        cards.write_all(targets, folder / "cache")
        cold = time.perf_counter() - start
        start = time.perf_counter()
        cards.write_all(targets, folder / "cache")
        cached = time.perf_counter() - start
    return {"preview_cards_cold_s": cold, "preview_cards_unchanged_s": cached}


def bench_pdf(runs: int = 5) -> dict[str, float]:
    """Issue "Printable declaration forms": filled group <= 0.5 s warm, <= 1.5 s fresh."""
    from lienthong.printing.render_pdf import warm_up

    record_path = ROOT / "schemas/lien-thong-khai-sinh.schema.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))["examples"][0]
    r = warm_up()
    results = {
        "pdf_blank_form_warm_s": _median(lambda: r.render_form("to-khai-khai-sinh"), runs),
        "pdf_filled_group_warm_s": _median(
            lambda: r.render_group("lien-thong-khai-sinh", record), runs
        ),
    }
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "record.json"
        data.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        cmd = [
            sys.executable,
            "-m",
            "lienthong.cli",
            "pdf",
            "lien-thong-khai-sinh",
            "--data",
            str(data),
        ]
        cmd += ["-o", str(Path(tmp) / "out.pdf")]
        results["pdf_filled_group_fresh_process_s"] = _median(
            lambda: subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True), 3
        )
    return results


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def bench_browser_validate(group: str = "lien-thong-khai-sinh") -> dict[str, float]:
    """Issue "Offline form": full validation <= 50 µs median in Chromium."""
    from playwright.sync_api import sync_playwright

    from lienthong.offline.validator_js import TIMING_JS, build_validator
    from lienthong.schema.catalog import load_catalog

    catalog = load_catalog(ROOT / "schemas")
    record = catalog.schemas[group]["examples"][0]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        page_file = Path(tmp) / "validator.html"
        page_file.write_text(
            "<!doctype html><meta charset='utf-8'><title>bench</title>"
            f"<script>{build_validator(catalog, group)}</script>",
            encoding="utf-8",
        )
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(page_file.as_uri())
        timing = page.evaluate(TIMING_JS, record)
        browser.close()
    return {"validate_chromium_median_us": timing["median"]}


# Time one keystroke in a field that shows an error: the input handler reads the whole form
# into a record, validates it and redraws every message (the heaviest path typing can take).
TYPING_JS = """() => {
    const input = document.getElementById("f-requester-personal_id");
    const per = [];
    for (let i = 0; i < 60; i++) {
        input.value = i % 2 ? "12345" : "001203012345";
        const t0 = performance.now();
        input.dispatchEvent(new Event("input", { bubbles: true }));
        per.push(performance.now() - t0);
    }
    per.sort((a, b) => a - b);
    return { median: per[per.length >> 1], max: per[per.length - 1] };
}"""


def bench_offline_form() -> dict[str, float]:
    """Issue "Offline form": the self-contained file <= 40 KB gzipped without the unit data,
    the unit data <= 30 KB gzipped; typing never lags (one input event << one 16 ms frame)."""
    import gzip

    from playwright.sync_api import sync_playwright

    from lienthong import _catalog
    from lienthong.offline.form import build_group_pages, site_settings

    catalog = _catalog(ROOT / "schemas")
    settings = site_settings(
        schemas_dir=ROOT / "schemas",
        forms_dir=ROOT / "forms",
        node_modules=ROOT / "node_modules",
        site_name="bench",
        office="bench",
    )
    results: dict[str, float] = {}
    start = time.perf_counter()
    pages = {g: build_group_pages(catalog, g, settings)[f"{g}.html"] for g in catalog.groups}
    results["offline_form_build_3_groups_s"] = time.perf_counter() - start
    full, bare = [], []
    for g, html in pages.items():
        without = build_group_pages(catalog, g, settings, with_units=False)[f"{g}.html"]
        full.append(len(gzip.compress(html.encode(), 9)) / 1024)
        bare.append(len(gzip.compress(without.encode(), 9)) / 1024)
    results["offline_form_gzip_kb_max"] = max(full)
    results["offline_form_gzip_kb_without_units_max"] = max(bare)
    results["offline_form_units_gzip_kb"] = max(f - b for f, b in zip(full, bare, strict=True))
    group = "lien-thong-khai-sinh"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        page_file = Path(tmp) / "form.html"
        page_file.write_text(pages[group], encoding="utf-8")
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 360, "height": 640})
        start = time.perf_counter()
        page.goto(page_file.as_uri())
        results["offline_form_load_ms"] = (time.perf_counter() - start) * 1000
        results["offline_form_first_step_ms"] = _first_step_ms(page, page_file.as_uri())
        page.evaluate("r => window.lienthong.form.fill(r)", catalog.schemas[group]["examples"][0])
        page.fill("#f-requester-personal_id", "12345")
        page.evaluate("window.lienthong.form.check()")
        typing = page.evaluate(TYPING_JS)
        # A cheap phone: the CPU slowed 6 times through the DevTools protocol.
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 6})
        results["offline_form_first_step_cpu6x_ms"] = _first_step_ms(page, page_file.as_uri())
        browser.close()
    results["offline_form_keystroke_median_ms"] = typing["median"]
    results["offline_form_keystroke_max_ms"] = typing["max"]
    return results


def _first_step_ms(page, uri: str, runs: int = 5) -> float:
    """Median time from navigation to the first step usable (app.js marks "lt-ready"), each
    run a new visit (a reload would reopen the step the last run ended on)."""
    times = []
    for _ in range(runs):
        page.goto(uri)
        page.wait_for_function("() => performance.getEntriesByName('lt-ready').length > 0")
        times.append(page.evaluate("performance.getEntriesByName('lt-ready')[0].startTime"))
    return statistics.median(times)


BUDGETS = {
    "offline_form_first_step_ms": 300.0,
    "offline_form_first_step_cpu6x_ms": 1000.0,
    "offline_form_gzip_kb_without_units_max": 40.0,
    "offline_form_units_gzip_kb": 30.0,
    "offline_form_keystroke_max_ms": 16.0,
    "validate_chromium_median_us": 50.0,
    "site_full_fresh_process_s": 5.0,
    "site_nochange_rebuild_s": 1.0,
    "pdf_filled_group_warm_s": 0.5,
    "preview_cards_cold_s": 2.0,
    "pdf_filled_group_fresh_process_s": 1.5,
}


def main() -> int:
    import logging

    from lienthong.bench import hostile as bench_hostile
    from lienthong.bench import package as bench_package
    from lienthong.bench import packs as bench_pack
    from lienthong.bench import recordcode as bench_codes

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    BUDGETS.update(bench_pack.BUDGETS)  # issue "QR codes, posters, leaflets..."
    BUDGETS.update(bench_package.BUDGETS)  # issue 13: pip install, lienthong new, mkdocs build
    BUDGETS.update(bench_hostile.BUDGETS)  # issue 16: every hostile input refused quickly
    BUDGETS.update(bench_codes.BUDGETS)  # issue 14, item 4: a record in at most 3 codes
    results = {
        **bench_site(),
        **bench_validate(),
        **bench_browser_validate(),
        **bench_offline_form(),
        **bench_pdf(),
        **bench_codes.run(),
        **bench_cards(),
        **bench_pack.run(),
        **bench_package.run(),
        **bench_hostile.run(),
    }
    failed = report(results, BUDGETS)
    if "site_full_warm_s" in results and "site_nochange_rebuild_s" in results:
        ratio = results["site_full_warm_s"] / results["site_nochange_rebuild_s"]
        print(f"{'ratio full/no-change rebuild':38s} {ratio:10.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
