"""Record codes (issue 14, item 4): how many codes a record takes, what they cost a printed
set, and the paper round trip.

``make bench`` runs :func:`run`: codes per record over 1,000 records a group (median and
maximum; the maximal records apart), the extra time the codes add to a filled group PDF, and a
paper round trip of 100 records a group. ``make roundtrip`` (``python -m
lienthong.bench.recordcode 1000``) runs the issue's paper round trip: 1,000 records a group,
printed to PDF in WeasyPrint, rasterised at 150 dpi by pdftoppm, read by zbar, decoded and
compared, on both cores. Run from a checkout: the records come from tests/recordcode.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

GROUPS = ["lien-thong-khai-sinh", "lien-thong-khai-tu", "khai-tu-xoa-thuong-tru"]
BUDGETS = {
    # A maximal record (every block, every list full, long real words) in at most 3 codes.
    "record_codes_maximal_max": 3.0,
    # Every code scanned back from paper at 150 dpi.
    "record_codes_paper_failures": 0.0,
}


def _records(group: str, count: int, seed: int) -> list[Any]:
    from lienthong import _catalog, default_schemas_dir
    from tests.recordcode.test_codec import records

    return records(_catalog(default_schemas_dir()), group, count, seed)


def codes_per_record(count: int = 1000) -> dict[str, float]:
    from lienthong import _catalog, default_schemas_dir
    from lienthong.offline.form import form_model
    from lienthong.recordcode import codec
    from tests.recordcode.records import maximal

    catalog = _catalog(default_schemas_dir())
    out: dict[str, float] = {}
    every, maximal_counts, extreme_counts, example_counts = [], [], [], []
    for group in GROUPS:
        lay = codec.layout(catalog, group)
        model = form_model(catalog, group)
        rng = random.Random(1)
        every += [len(codec.encode(r, lay)) for r in _records(group, count, 3)]
        maximal_counts += [len(codec.encode(maximal(model, rng), lay)) for _ in range(50)]
        extreme_counts += [len(codec.encode(maximal(model, rng, True), lay)) for _ in range(20)]
        example_counts += [len(codec.encode(e, lay)) for e in catalog.schema(group)["examples"]]
    out["record_codes_median"] = statistics.median(every)
    out["record_codes_max"] = max(every)
    out["record_codes_example_max"] = max(example_counts)
    out["record_codes_maximal_max"] = max(maximal_counts)
    # Every text at its schema's maxLength: more than three codes, in further rows.
    out["record_codes_extreme_max"] = max(extreme_counts)
    return out


def pdf_cost(runs: int = 5) -> dict[str, float]:
    """A filled group PDF with and without its codes, for records never printed before."""
    from lienthong.printing import records as views_module
    from lienthong.printing.render_pdf import warm_up

    renderer = warm_up()
    # Records mutated from the example (after the example and the 15 maximal ones): a clerk's
    # day, never the same record twice, so no cache helps.
    chosen = _records("lien-thong-khai-sinh", 16 + runs, 5)[16:]

    def timed(rec_list) -> float:
        times = []
        for rec in rec_list:
            start = time.perf_counter()
            renderer.render_group("lien-thong-khai-sinh", rec, allow_incomplete=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    with_codes = timed(chosen)
    original = views_module.code_figures
    views_module.code_figures = lambda texts: []
    try:
        without = timed(chosen)
    finally:
        views_module.code_figures = original
    return {
        "pdf_filled_group_distinct_records_s": with_codes,
        "pdf_record_codes_extra_s": with_codes - without,
    }


def _paper_batch(job: tuple[str, int, int, int]) -> tuple[int, int, float]:
    """(records read back identical, records not, seconds) for one slice of one group."""
    from lienthong.printing.render_pdf import Renderer
    from lienthong.recordcode import codec, scan
    from tests.recordcode.test_codec import read_back

    group, count, seed, _ = job
    chosen = _records(group, count, seed)
    renderer = Renderer(base_url="https://xa.example.vn/")
    lay = renderer.views.code_layout(group)
    start = time.perf_counter()
    sheets = [renderer.form_sheet(f"checklist-{group}", r, allow_incomplete=True) for r in chosen]
    HTML, css, fonts = renderer._weasyprint()
    pdf = HTML(string=renderer.html(sheets, "thử")).write_pdf(stylesheets=[css], font_config=fonts)
    good = bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "set.pdf").write_bytes(pdf)
        found = [page for page in scan.page_texts(Path(tmp) / "set.pdf") if page]
    for index, record in enumerate(chosen):
        try:
            texts = sorted(found[index], key=lambda t: codec.parse(t).index)
            ok = codec.decode(texts, lay) == read_back(record)
        except (IndexError, codec.RecordCodeError):
            ok = False
        good, bad = good + ok, bad + (not ok)
    return good, bad, time.perf_counter() - start


def paper_roundtrip(per_group: int, slice_size: int = 50) -> dict[str, float]:
    jobs = []
    for g_index, group in enumerate(GROUPS):
        for n, _ in enumerate(range(0, per_group, slice_size)):
            jobs.append((group, min(slice_size, per_group - n * slice_size), 100 * g_index + n, n))
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        done = list(pool.map(_paper_batch, jobs))
    return {
        "record_codes_paper_records": float(sum(g + b for g, b, _ in done)),
        "record_codes_paper_failures": float(sum(b for _, b, _ in done)),
        "record_codes_paper_s": time.perf_counter() - start,
    }


def run() -> dict[str, float]:
    return {**codes_per_record(), **pdf_cost(), **paper_roundtrip(100)}


def main(argv: list[str]) -> int:
    from lienthong.bench.report import report

    per_group = int(argv[0]) if argv else 1000
    results = paper_roundtrip(per_group)
    print(json.dumps(results, indent=1))
    return 1 if report(results, BUDGETS) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
