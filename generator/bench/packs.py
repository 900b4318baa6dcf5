"""Bench of the publishing packs (issue "QR codes, posters, leaflets, loudspeaker scripts").

Budgets, on a 2-core machine, measured in one run:

- the national edition (3,321 packs) from a cold cache: <= 60 s wall;
- its pictures and posts for social media (issue 15): <= 30 % more than the edition without
  them (``--no-social``, also cold, measured first in the same run);
- on a 200-commune sample, the batched run >= 10x faster than the naive loop of one WeasyPrint
  document per file (both measured here, on the same communes and settings);
- one commune's phone changed, the national edition rebuilt: <= 2 s wall;
- peak memory (largest resident set of the run's processes) < 2 GB.

The national edition is made with a settings file for 100 communes (every other commune of the
sample, invented contact details) and blank contact lines for the other 3,221. Every run is a
fresh ``lienthong pack`` process, as an officer would start it.

The naive loop renders each commune's poster and leaflet as a WeasyPrint document of their own
(the whole sheet, static and commune parts together) and writes the same text, index and QR
files; it reuses the blank forms rendered once, which favours it (a truly naive loop would also
render the nine blank forms for every commune, ~2 s more each), so the ratio is a lower bound.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = 200

BUDGETS = {
    "pack_national_cold_s": 60.0,
    "pack_social_extra_ratio": 0.30,
    "pack_sample_batched_over_naive": 0.1,
    "pack_national_one_phone_rebuild_s": 2.0,
    "pack_peak_memory_mb": 2048.0,
}


def sample_codes(size: int = SAMPLE) -> list[str]:
    """``size`` communes spread over the whole list (every k-th code): all 34 provinces."""
    from lienthong.packs import pack

    codes = [c for p in pack.province_codes() for c in pack.communes_of(p)]
    step = len(codes) // size
    return codes[::step][:size]


def write_settings(path: Path, codes: list[str]) -> None:
    """Invented settings for ``codes`` (one province look-up address per province)."""
    from lienthong.inputs.commune_settings import write_settings_csv
    from lienthong.packs import pack

    fields = [
        "province",
        "commune",
        "office_name",
        "office_address",
        "opening_hours",
        "officer_name",
        "officer_phone",
        "hotline",
        "provincial_portal_url",
        "provincial_lookup_url",
    ]
    rows = []
    for i, code in enumerate(codes):
        c = pack.make_commune(code)
        lower = c.name[:1].lower() + c.name[1:]
        values = [
            c.province,
            c.code,
            f"Bộ phận Một cửa, Ủy ban nhân dân {lower}",
            f"Trụ sở Ủy ban nhân dân {lower}, {c.province_name} (địa chỉ minh họa)",
            "Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu",
            "Nguyễn Văn An",
            f"0912 {i:03d} {i:03d}",
            "1900 0368",
            f"https://dichvucong.tinh{c.province}.example.vn",
            f"https://dichvucong.tinh{c.province}.example.vn/tra-cuu",
        ]
        rows.append(dict(zip(fields, values, strict=True)))
    write_settings_csv(path, rows, fields)


def _pack(*args: str) -> float:
    """Wall time of one ``lienthong pack`` process. The disk's pending writes are flushed first,
    so that a run does not pay for the previous run's files (or their deletion)."""
    cmd = [sys.executable, "-m", "lienthong.cli", "pack", "--no-progress", *args]
    os.sync()
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def naive_packs(communes: list[Any], out: Path, blank_dir: Path) -> None:
    """The baseline: one WeasyPrint document per PDF file, commune after commune."""
    from lienthong import _catalog, default_schemas_dir
    from lienthong.packs import pack, pictures
    from lienthong.packs import pdf as pack_pdf

    catalog = _catalog(default_schemas_dir())
    shared = pack.shared_view(catalog, pack.targets(catalog))

    def draw_top(gid: str, kind: str) -> Any:
        # Every picture drawn whole, for every commune.
        group = shared["posts"][gid]
        target = shared["targets"][group["target"]]
        return pictures.draw_top(kind, group["post"], target.url, target.display)

    titles = pack.blank_titles(catalog)
    renderer = pack_pdf.LayerRenderer()
    for commune in communes:
        view = commune.view()
        folder = out / commune.province_slug / commune.slug
        (folder / pack.QR_DIR).mkdir(parents=True)
        blank = not view["filled"]
        qr = pack.qr_svg(view["lookup"].url) if view["lookup"] else None
        poster = [{"kind": "poster", "blank": blank, "commune": view, "qr": qr}]
        leaflet = [
            {"kind": "front", "commune": view},
            {"kind": "back", "blank": blank, "commune": view, "qr": qr},
        ]
        for name, pages in ((pack.POSTER_FILE, poster), (pack.LEAFLET_FILE, leaflet)):
            document = renderer.layout(pages, shared, commune.name)
            (folder / name).write_bytes(renderer.write(document))
        (folder / pack.SPEECH_FILE).write_text(pack.speech_text(shared, view), encoding="utf-8")
        codes = pack.pack_targets(shared, view)
        for target in codes:
            data = pack.qr_svg_file(target.url, target.title)
            (folder / pack.QR_DIR / f"{target.key}.svg").write_bytes(data)
        blanks = [(f"{pack.BLANK_DIR}/{fid}.pdf", title) for fid, title in titles.items()]
        posts = pack.write_posts(shared, view, folder, draw_top)
        (folder / pack.INDEX_FILE).write_text(
            pack.index_html(shared, view, codes, blanks, posts), encoding="utf-8"
        )
        shutil.copytree(blank_dir, folder / pack.BLANK_DIR)


def run(sample: int = SAMPLE, provinces: str | None = None) -> dict[str, float]:
    """Every figure of the pack bench (see the module docstring); ``provinces`` (codes,
    comma-separated) restricts the "national" edition, for a quick try of the bench itself."""
    from lienthong import _catalog, default_schemas_dir
    from lienthong.inputs.commune_settings import read_settings
    from lienthong.packs import pack

    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-pack-") as tmp:
        tmp_path = Path(tmp)
        cache, national = tmp_path / "cache", tmp_path / "national"
        codes = sample_codes(sample)
        settings = tmp_path / "xa.csv"
        write_settings(settings, codes[::2])
        config = tmp_path / "none.yml"  # no mkdocs.yml publisher: only the settings file

        # 1. national edition, cold cache; its processes' largest resident set
        args = ["--settings", str(settings), "--config", str(config), "--cache-dir", str(cache)]
        if provinces:
            args += ["--provinces", provinces]
        # Without the social-media pictures first (its own output and cold cache), for what
        # they add to the edition's time.
        bare = ["--settings", str(settings), "--config", str(config), "--no-social"]
        bare += ["--cache-dir", str(tmp_path / "cache-bare")]
        if provinces:
            bare += ["--provinces", provinces]
        without = _pack("--national", "-o", str(tmp_path / "bare"), *bare)
        shutil.rmtree(tmp_path / "bare")
        results["pack_national_no_social_s"] = without
        results["pack_national_cold_s"] = _pack("--national", "-o", str(national), *args)
        results["pack_social_extra_ratio"] = results["pack_national_cold_s"] / without - 1
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        results["pack_peak_memory_mb"] = peak_kb / 1024
        results["pack_national_mb_on_disk"] = (
            sum(
                p.stat().st_size
                for p in national.rglob("*")
                if p.is_file() and p.stat().st_nlink == 1
            )
            / 2**20
        )

        # 2. one phone changed, the whole edition rebuilt
        text = settings.read_text(encoding="utf-8")
        settings.write_text(text.replace("0912 000 000", "0912 999 999", 1), encoding="utf-8")
        results["pack_national_one_phone_rebuild_s"] = _pack(
            "--national", "-o", str(national), *args
        )

        # 3. the sample: batched (a fresh process and output, shared layers cached) against
        # the naive loop, on the same communes and settings
        batched = _sample_batched(codes, tmp_path / "sample", settings, cache)
        results["pack_sample_batched_s"] = batched
        rows = read_settings(settings, _catalog(default_schemas_dir()))
        sample_communes = [
            pack.make_commune(c, rows[c].settings if c in rows else None) for c in codes
        ]
        blank_dir = next(cache.glob("goi-*/bieu-mau"))
        start = time.perf_counter()
        naive_packs(sample_communes, tmp_path / "naive", blank_dir)
        results["pack_sample_naive_s"] = time.perf_counter() - start
        results["pack_sample_batched_over_naive"] = batched / results["pack_sample_naive_s"]
        results["pack_sample_speedup_x"] = results["pack_sample_naive_s"] / batched
    return results


def _sample_batched(codes: list[str], out: Path, settings: Path, cache: Path) -> float:
    """The sample's packs in one fresh process, shared layers already cached."""
    script = (
        "import sys; from pathlib import Path; "
        "from lienthong import _catalog, default_schemas_dir; from lienthong.packs import pack; "
        "from lienthong.inputs.commune_settings import read_settings; "
        "from lienthong.printing.render_pdf import default_forms_dir; "
        "c = _catalog(default_schemas_dir()); "
        "rows = read_settings(Path(sys.argv[2]), c); "
        "codes = sys.argv[4].split(','); "
        "communes = [pack.make_commune(x, rows[x].settings if x in rows else None) for x in codes]; "
        "o = pack.PackOptions(default_schemas_dir(), default_forms_dir(), Path(sys.argv[3])); "
        "pack.build_packs(c, communes, Path(sys.argv[1]), o, tree=True)"
    )
    cmd = [sys.executable, "-c", script, str(out), str(settings), str(cache), ",".join(codes)]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """``python -m lienthong.bench.packs [SAMPLE [PROVINCES]]``; no arguments: the budgets' run."""
    argv = sys.argv[1:] if argv is None else argv
    sample = int(argv[0]) if argv else SAMPLE
    results = run(sample, argv[1] if len(argv) > 1 else None)
    from lienthong.bench.report import report

    return 1 if report(results, BUDGETS) else 0


if __name__ == "__main__":
    sys.exit(main())
