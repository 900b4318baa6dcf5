"""Publishing packs: what a commune office prints, pins up, hands out and reads aloud.

A pack is one folder per commune:

- ``ap-phich.pdf``: an A4 poster with three QR codes (account, birth group, death group), the
  six steps, the commune's office, officer, phone and hotline;
- ``to-roi.pdf``: a two-sided A4 leaflet (documents checklists of both groups; six steps,
  look-up, contacts);
- ``bai-tuyen-truyen.txt``: the loudspeaker article, written to be read aloud (addresses, phone
  numbers and dates in words: generator/packs/speech.py);
- ``bieu-mau/*.pdf``: the blank declarations and checklists (the same files as the site's);
- ``ma-qr/*.svg``: every QR code of the pack, for web pages and social media;
- ``index.html``: what is in the folder, with the QR codes and their targets.

Everything comes from the schemas (groups, steps, checklists, look-up, portals) and the
commune's publisher settings; a commune without settings gets blank lines to fill by hand.

The pipeline (``build_packs``):

1. ``targets`` and ``shared_view``: every QR target and the facts shared by all packs;
2. ``pack_key``: a content hash per commune; a pack whose folder holds the same key is skipped;
3. shared layers, made once and cached under ``.cache/lienthong/``: the blank forms
   (generator/printing/render_pdf.py), the static layer of the poster and leaflet and one QR stamp per
   province look-up page (generator/packs/pdf.py), the fonts of the communes' own layers
   (generator/packs/text.py);
4. per batch of communes, in a process per core (``render_batch``): each commune's header band
   and contact box written straight into PDF (WeasyPrint lays out any that cannot be), one
   small PDF per sheet stacked with pikepdf, the article, index page and QR files;
5. each pack is written into a temporary folder and swapped into place, so a reader sees the
   old pack or the new one, never a mix; bad settings stop the run before anything is written
   (the caller reads them first: generator/inputs/commune_settings.py).

This module is the run; what every pack says is in content.py, the communes of a run and their
keys in communes.py, and the safe writing of folders in output.py.
"""

from __future__ import annotations

import concurrent.futures as futures
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lienthong.schema.catalog import Catalog

# What callers use from this one module: the run (here), what every pack says (content.py) and
# the communes of a run (communes.py).
__all__ = [
    "BIRTH",
    "BLANK_DIR",
    "CHUNK",
    "DEATH",
    "INDEX_FILE",
    "LEAFLET_FILE",
    "POSTER_FILE",
    "QR_DIR",
    "SPEECH_FILE",
    "PackError",
    "PackOptions",
    "PackReport",
    "blank_titles",
    "build_packs",
    "build_site_pack",
    "communes_of",
    "index_html",
    "make_commune",
    "pack_targets",
    "post_files",
    "province_codes",
    "qr_svg",
    "qr_svg_file",
    "select_communes",
    "shared_view",
    "site_pack_files",
    "speech_text",
    "targets",
    "write_posts",
]


# -- 4. the run --------------------------------------------------------------------------------------
from lienthong.packs import output
from lienthong.packs.communes import (
    Commune,
    band_characters,
    communes_of,
    edition_digest,
    make_commune,
    pack_key,
    province_codes,
    select_communes,
)
from lienthong.packs.content import (
    BIRTH,
    BLANK_DIR,
    CHUNK,
    DEATH,
    INDEX_FILE,
    LEAFLET_FILE,
    MARKER,
    POSTER_FILE,
    QR_DIR,
    SPEECH_FILE,
    TREE_MARKER,
    PackError,
    blank_titles,
    index_html,
    pack_targets,
    post_files,
    qr_svg,
    qr_svg_file,
    shared_view,
    speech_text,
    targets,
)


@dataclass
class PackOptions:
    schemas_dir: Path
    forms_dir: Path
    cache_dir: Path
    site_url: str | None = None
    directory_urls: bool = False
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    chunk: int = CHUNK
    progress: bool = False
    # Blank forms already rendered elsewhere (the site build's), as <id>.pdf; else rendered
    # once per edition into the cache.
    blank_source: Path | None = None
    # Write each commune's own layer straight into PDF (pack_text) rather than laying it out
    # with WeasyPrint (the fallback when a font or glyph is missing).
    direct_text: bool = True
    # Each group's pictures, post and alt text for social media (mang-xa-hoi/).
    social: bool = True
    # Where a single pack is published (the site's goi-tai-lieu/): its index.html then gets
    # link-preview tags, with the birth group's square picture.
    public_url: str | None = None


@dataclass
class PackReport:
    total: int = 0
    rendered: int = 0
    skipped: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class _Shared:
    """What a worker needs for every commune of a run (pickled once per batch)."""

    edition: str
    shared: dict[str, Any]
    base: dict[int, bytes]
    stamps: list[bytes]  # one PDF per look-up URL
    stamp_index: dict[str, int]
    blank_titles: dict[str, str]
    qr_cache: Path
    text: Any = None  # pack_text.TextLayer, or None to lay every layer out with WeasyPrint
    # (group, picture kind) -> the shared part of its social-media picture (pictures.Top)
    pictures: dict[tuple[str, str], Any] = field(default_factory=dict)
    public_url: str | None = None

    def top(self, gid: str, kind: str) -> Any:
        return self.pictures[gid, kind]


class _Worker:
    """Per-process state: WeasyPrint and pikepdf objects made once, reused for every batch."""

    renderer = None
    compositor = None
    compositor_for: str | None = None


def _compositor(shared: _Shared):
    from lienthong.packs.pdf import Compositor

    key = f"{shared.edition}:{sorted(shared.base)}:{sorted(shared.stamp_index)}"
    if _Worker.compositor_for != key:
        _Worker.compositor = Compositor(shared.base, shared.stamps)
        _Worker.compositor_for = key
    return _Worker.compositor


def _renderer():
    from lienthong.packs.pdf import LayerRenderer

    if _Worker.renderer is None:
        _Worker.renderer = LayerRenderer()
    return _Worker.renderer


def render_batch(shared: _Shared, batch: list[tuple[Commune, Path]]) -> list[tuple[str, Path]]:
    """Make the packs of a batch of communes in temporary folders; returns (code, folder).

    ``batch`` holds (commune, temporary folder). The caller links the blank forms, writes the
    key and swaps each folder into place.
    """
    from lienthong.packs import pdf as pack_pdf

    compositor = _compositor(shared)
    views = [c.view() for c, _ in batch]
    # Each commune's own layer: its header band, and a contact box for those with settings.
    # Written straight into PDF (pack_text) when the fonts hold every character, else laid
    # out by WeasyPrint; both give the same boxes.
    direct_pages: list[list[Any]] = []
    layout_pages: list[dict[str, Any]] = []
    where: list[tuple[tuple[str, int], tuple[str, int] | None]] = []

    def place(kind: str, view: dict[str, Any]) -> tuple[str, int]:
        text = shared.text
        if text is not None and text.covers(_layer_text(kind, view)):
            lines = text.band(view) if kind == "band" else text.contact(view)
            if lines is not None:
                direct_pages.append(lines)
                return ("direct", len(direct_pages) - 1)
        layout_pages.append({"kind": kind, "commune": view})
        return ("layout", len(layout_pages) - 1)

    for view in views:
        band = place("band", view)
        contact = place("contact", view) if view["filled"] else None
        where.append((band, contact))
    sources = {
        "direct": shared.text.pdf(direct_pages) if direct_pages else None,
        "layout": compositor.open(_renderer().overlays(layout_pages)) if layout_pages else None,
    }
    done = []
    for (commune, tmp), view, (band, contact) in zip(batch, views, where, strict=True):
        tmp.mkdir(parents=True)
        band_page = (sources[band[0]], band[1])
        stamp = None
        if view["lookup"] is not None:
            stamp = shared.stamp_index.get(view["lookup"].url)
        if contact is None:
            poster = [(pack_pdf.POSTER_BLANK, [band_page], None)]
            leaflet = [(pack_pdf.FRONT, [band_page], None), (pack_pdf.BACK_BLANK, [], None)]
        else:
            contact_page = (sources[contact[0]], contact[1])
            poster = [(pack_pdf.POSTER, [band_page, contact_page], stamp)]
            leaflet = [
                (pack_pdf.FRONT, [band_page], None),
                (pack_pdf.BACK, [contact_page], stamp),
            ]
        output.write(tmp / POSTER_FILE, compositor.compose(poster, f"Áp phích: {commune.name}"))
        output.write(tmp / LEAFLET_FILE, compositor.compose(leaflet, f"Tờ rơi: {commune.name}"))
        output.write(tmp / SPEECH_FILE, speech_text(shared.shared, view))
        codes = pack_targets(shared.shared, view)
        (tmp / QR_DIR).mkdir()
        for target in codes:
            output.link(output.qr_file(shared.qr_cache, target), tmp / QR_DIR / f"{target.key}.svg")
        blanks = [(f"{BLANK_DIR}/{fid}.pdf", title) for fid, title in shared.blank_titles.items()]
        posts = []
        if shared.pictures:
            posts = write_posts(shared.shared, view, tmp, shared.top)
        meta = _index_meta(shared.public_url, view, posts) if shared.public_url else ""
        page = index_html(shared.shared, view, codes, blanks, posts, meta)
        output.write(tmp / INDEX_FILE, page)
        done.append((commune.code, tmp))
    return done


def write_posts(
    shared: dict[str, Any], view: dict[str, Any], tmp: Path, top: Callable[[str, str], Any]
) -> list[dict[str, Any]]:
    """Each group's pictures, post and alt text in ``mang-xa-hoi/<group>/``; what the index
    page shows of them. ``top(group, kind)`` gives the shared part of a picture (pictures.Top):
    the run's, drawn once, or (the bench's naive loop) drawn anew."""
    from lienthong.packs import pictures

    strip = pictures.draw_strip(view)  # the same strip under every group's pictures
    out = []
    for gid, group in shared["posts"].items():
        folder = tmp / pictures.FOLDER / gid
        folder.mkdir(parents=True)
        for kind, name in pictures.FILES.items():
            output.write(folder / name, pictures.png(top(gid, kind), strip))
        target = shared["targets"][group["target"]]
        post = pictures.post_text(group["post"], view, target.url)
        alt = pictures.alt_text(group["post"], view, target.display)
        output.write(folder / pictures.POST_FILE, post)
        output.write(folder / pictures.ALT_FILE, alt + "\n")
        out.append({**group, "folder": f"{pictures.FOLDER}/{gid}", "text": post, "alt": alt})
    return out


def _index_meta(url: str, view: dict[str, Any], posts: list[dict[str, Any]]) -> str:
    """Link-preview tags of a published pack's index page."""
    from lienthong.packs import pictures
    from lienthong.site import social

    first = posts[0] if posts else None
    return social.tags(
        title=f"Gói tài liệu dịch vụ công liên thông: {view['name']}, {view['province_name']}",
        site_name="",
        description=social.shorten(
            "Áp phích, tờ rơi, bài tuyên truyền, tờ khai in trống, mã QR, ảnh và bài đăng "
            f"Zalo, Facebook về khai sinh, khai tử liên thông của {view['name_lower']}."
        ),
        url=url,
        kind="website",
        image=url + f"{first['folder']}/{pictures.FILES['vuong']}" if first else None,
        image_alt=first["alt"] if first else None,
        image_size=pictures.SIZES["vuong"],
    )


def _picture_tops(cache: Path, shared: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """The shared part of every group's pictures, drawn once per edition (cached)."""
    from lienthong.inputs.files import write_atomic
    from lienthong.packs import pictures

    out = {}
    for gid, group in shared["posts"].items():
        target = shared["targets"][group["target"]]
        for kind in pictures.SIZES:
            path = cache / pictures.FOLDER / f"{gid}-{kind}-{pictures.VERSION}.bin"
            if path.is_file():
                out[gid, kind] = pictures.Top.from_bytes(path.read_bytes())
                continue
            top = pictures.draw_top(kind, group["post"], target.url, target.display)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, top.to_bytes())
            out[gid, kind] = top
    return out


def _layer_text(kind: str, view: dict[str, Any]) -> str:
    """Every character a commune's band or contact box shows."""
    if kind == "band":
        return view["name"].upper() + view["province_name"] + "ỦY BAN NHÂN DÂN"
    keys = ("office_name", "office_address", "opening_hours", "officer_name", "officer_title")
    keys += ("officer_phone", "hotline", "email")
    parts = [view["name"].upper(), *(str(view[k]) for k in keys if view.get(k))]
    if view.get("lookup"):
        parts.append(view["lookup"].display)
    return "".join(parts)


def _render_blanks(
    schemas_dir: Path, forms_dir: Path, site_url: str | None, directory_urls: bool, out: Path
) -> Path:
    """The blank forms and checklists, once per edition (cached in ``out``)."""
    from lienthong.printing.render_pdf import Renderer

    if (out / ".complete").exists():
        return out
    tmp = Path(tempfile.mkdtemp(prefix=".bieu-mau-", dir=out.parent))
    pdfs = Renderer(schemas_dir, forms_dir, site_url, directory_urls).blank_pdfs()
    for uri, data in pdfs.items():
        output.write(tmp / Path(uri).name, data)
    output.write(tmp / ".complete", "")
    if out.exists():
        shutil.rmtree(tmp)
    else:
        tmp.rename(out)
    return out


def _base_layers(
    cache: Path, shared: dict[str, Any], renderer: Callable[[], Any], pages: set[int]
) -> dict[int, bytes]:
    """The static layer of the sheets ``pages`` (pack_pdf.BASE_PAGES), cached per edition."""
    from lienthong.inputs.files import write_atomic

    paths = {i: cache / f"lop-chung-{i}.pdf" for i in sorted(pages)}
    missing = [i for i, path in paths.items() if not path.exists()]
    made = renderer().base(shared, missing) if missing else {}
    for i, pdf in made.items():
        write_atomic(paths[i], pdf)
    return {i: made[i] if i in made else paths[i].read_bytes() for i in paths}


def _stamps(cache: Path, urls: list[str], renderer: Callable[[], Any]) -> list[bytes]:
    """One QR stamp (a one-page PDF) per look-up URL, each cached on its own."""
    from lienthong.inputs.files import write_atomic

    paths = [cache / f"ma-qr-{hashlib.sha256(u.encode()).hexdigest()[:16]}.pdf" for u in urls]
    missing = [i for i, path in enumerate(paths) if not path.exists()]
    if missing:
        made = renderer().stamps([qr_svg(urls[i]) for i in missing])
        for i, data in zip(missing, made, strict=True):
            write_atomic(paths[i], data)
    return [path.read_bytes() for path in paths]


class _Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled, self.done = total, enabled and total > 0, 0
        self.start = time.perf_counter()

    def advance(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / self.total)
        elapsed = time.perf_counter() - self.start
        sys.stderr.write(
            f"\rĐang tạo gói: [{'#' * filled}{'-' * (width - filled)}] "
            f"{self.done}/{self.total} xã, {elapsed:.0f} giây"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _pool(workers: int) -> futures.ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    # fork: the workers inherit the imported modules (WeasyPrint takes ~0.8 s to import).
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    return futures.ProcessPoolExecutor(max_workers=workers, mp_context=context)


def build_packs(
    catalog: Catalog,
    communes: list[Commune],
    out: Path,
    options: PackOptions,
    *,
    tree: bool,
    log: Callable[[str], None] | None = None,
) -> PackReport:
    """Make (or bring up to date) the packs of ``communes`` under ``out``.

    With ``tree`` the layout is ``out/<province>/<commune>/`` plus shared ``out/bieu-mau/``
    and ``out/index.html``; without, ``out`` is the single commune's pack.

    Raises:
        PackError: ``out`` holds files that are not a previous pack.
    """
    start = time.perf_counter()
    report = PackReport(total=len(communes))
    timings = report.timings
    out = Path(out).resolve()
    output.check_output(out, TREE_MARKER if tree else MARKER)
    if not tree and len(communes) != 1:
        raise PackError("một thư mục gói chỉ chứa được một xã; dùng --all hoặc --national.")

    # 1. shared facts and keys
    edition = edition_digest(
        options.schemas_dir,
        options.forms_dir,
        options.site_url,
        options.directory_urls,
        catalog.day.isoformat(),
    )
    if not options.social:
        edition += "-0"  # packs without pictures are another edition
    all_targets = targets(catalog, options.site_url, options.directory_urls)
    shared = shared_view(catalog, all_targets)
    titles = blank_titles(catalog)
    keys = {c.code: pack_key(edition, c) for c in communes}

    def pack_dir(c: Commune) -> Path:
        return out / c.province_slug / c.slug if tree else out

    todo = [c for c in communes if output.current_key(pack_dir(c)) != keys[c.code]]
    added = any(not pack_dir(c).exists() for c in todo)
    report.skipped = len(communes) - len(todo)
    report.rendered = len(todo)
    timings["plan_s"] = time.perf_counter() - start
    cache = Path(options.cache_dir).resolve() / f"goi-{edition}"
    if tree:
        out.mkdir(parents=True, exist_ok=True)
    if not todo:
        if tree:
            output.write_tree_index(out, False, edition, shared)
        report.seconds = time.perf_counter() - start
        return report

    # 2. shared layers: blank forms (in a worker when there is a pool), static sheets, stamps,
    # each rendered only when the cache lacks it (WeasyPrint is imported only then: ~0.9 s).
    t = time.perf_counter()
    workers = max(1, min(options.workers, -(-len(todo) // max(1, options.chunk))))
    blank_cache = cache / BLANK_DIR
    cache.mkdir(parents=True, exist_ok=True)
    pool = _pool(workers) if workers > 1 else None
    try:
        blank_job = None
        blank_args = (
            options.schemas_dir,
            options.forms_dir,
            options.site_url,
            options.directory_urls,
            blank_cache,
        )
        if options.blank_source is not None:
            blank_cache = options.blank_source
        elif pool is not None and not (blank_cache / ".complete").exists():
            blank_job = pool.submit(_render_blanks, *blank_args)
        from lienthong.packs import pdf as pack_pdf

        needed = {pack_pdf.FRONT}
        if any(c.settings is None for c in todo):
            needed |= {pack_pdf.POSTER_BLANK, pack_pdf.BACK_BLANK}
        if any(c.settings is not None for c in todo):
            needed |= {pack_pdf.POSTER, pack_pdf.BACK}
        base = _base_layers(cache, shared, _renderer, needed)
        lookup_urls = sorted(
            {c.settings["provincial_lookup_url"] for c in todo if c.settings is not None}
        )
        stamps = _stamps(cache, lookup_urls, _renderer)
        stamp_index = {url: i for i, url in enumerate(lookup_urls)}
        timings["shared_layers_s"] = time.perf_counter() - t
        qr_cache = cache / QR_DIR
        qr_cache.mkdir(exist_ok=True)
        text = None
        if options.direct_text:
            from lienthong.packs.text import TextLayer

            # One character set for every run (Vietnamese, ASCII, every unit's name), so a
            # commune's layer never depends on the others' or on what is cached; a contact box
            # with a character outside it is laid out by WeasyPrint instead.
            fonts = Path(options.cache_dir).resolve() / "phong-chu"
            text = TextLayer.create(band_characters(), fonts)
        tops = _picture_tops(cache, shared) if options.social else {}
        run = _Shared(
            edition,
            shared,
            base,
            stamps,
            stamp_index,
            titles,
            qr_cache,
            text,
            tops,
            options.public_url,
        )

        # 3. communes, in batches
        t = time.perf_counter()
        progress = _Progress(len(todo), options.progress)
        staging = out if tree else out.parent
        staging.mkdir(parents=True, exist_ok=True)
        batches = [todo[i : i + options.chunk] for i in range(0, len(todo), options.chunk)]

        def batch_args(batch: list[Commune]) -> list[tuple[Commune, Path]]:
            items = []
            for c in batch:
                parent = pack_dir(c).parent
                parent.mkdir(parents=True, exist_ok=True)
                tmp = parent / f".{pack_dir(c).name}.tmp-{os.getpid()}-{c.code}"
                shutil.rmtree(tmp, ignore_errors=True)
                items.append((c, tmp))
            return items

        by_code = {c.code: c for c in todo}
        blank_source: Path | None = None

        def finish(done: list[tuple[str, Path]]) -> None:
            nonlocal blank_source
            if blank_source is None:
                if blank_job is not None:
                    blank_job.result()
                if options.blank_source is not None:
                    blank_source = options.blank_source
                else:
                    blank_source = _render_blanks(*blank_args)
                if tree:
                    output.place_shared(out, blank_source, titles, shared, edition)
                    blank_source = out / BLANK_DIR
            for code, tmp in done:
                output.link_blanks(blank_source, tmp, titles)
                output.write(tmp / MARKER, json.dumps({"key": keys[code], "commune": code}))
                output.swap_in(tmp, pack_dir(by_code[code]))
            progress.advance(len(done))

        if pool is None:
            for batch in batches:
                finish(render_batch(run, batch_args(batch)))
        else:
            jobs = [pool.submit(render_batch, run, batch_args(b)) for b in batches]
            for job in futures.as_completed(jobs):
                finish(job.result())
        progress.close()
        timings["communes_s"] = time.perf_counter() - t
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        output.clean_staging(out if tree else out.parent, tree)
    if tree:
        output.write_tree_index(out, added, edition, shared)
    report.seconds = time.perf_counter() - start
    if log:
        log(f"{report.rendered} gói mới, {report.skipped} gói không đổi.")
    return report


def site_pack_files(
    catalog: Catalog, publisher: dict[str, Any], site_url: str | None, directory_urls: bool
) -> list[str]:
    """Paths (inside the pack folder) of every file of the site's pack, known before it is made."""
    from lienthong.printing.render_pdf import site_url as normalise

    commune = make_commune(publisher["commune"], publisher)
    shared = {"targets": targets(catalog, normalise(site_url), directory_urls)}
    files = [INDEX_FILE, POSTER_FILE, LEAFLET_FILE, SPEECH_FILE]
    files += [f"{BLANK_DIR}/{fid}.pdf" for fid in blank_titles(catalog)]
    files += [f"{QR_DIR}/{t.key}.svg" for t in pack_targets(shared, commune.view())]
    files += post_files(catalog)
    return files


def build_site_pack(
    schemas_dir: Path,
    forms_dir: Path,
    publisher: dict[str, Any],
    out: Path,
    blank_source: Path,
    site_url: str | None,
    directory_urls: bool,
    cache_dir: Path,
) -> PackReport:
    """The default publisher's pack for the site (one commune, its blank forms reused)."""
    from lienthong import _catalog
    from lienthong.printing.render_pdf import site_url as normalise

    catalog = _catalog(Path(schemas_dir))
    options = PackOptions(
        Path(schemas_dir),
        Path(forms_dir),
        Path(cache_dir),
        site_url=normalise(site_url),
        directory_urls=directory_urls,
        workers=1,
        blank_source=Path(blank_source),
        # One commune: WeasyPrint, already loaded for the blank forms, sets its layer in
        # ~50 ms; subsetting fonts for the direct writer would cost ~0.4 s of the build.
        direct_text=False,
        public_url=f"{normalise(site_url)}{Path(out).name}/" if site_url else None,
    )
    commune = make_commune(publisher["commune"], publisher)
    return build_packs(catalog, [commune], out, options, tree=False)
