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
"""

from __future__ import annotations

import concurrent.futures as futures
import contextlib
import functools
import hashlib
import importlib.metadata
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from lienthong.errors import LienThongError
from lienthong.printing import records
from lienthong.schema.catalog import Catalog

PACKAGE = Path(__file__).resolve().parent.parent

BIRTH, DEATH, DEATH_SHORT = "lien-thong-khai-sinh", "lien-thong-khai-tu", "khai-tu-xoa-thuong-tru"
POSTER_FILE, LEAFLET_FILE = "ap-phich.pdf", "to-roi.pdf"
SPEECH_FILE, INDEX_FILE = "bai-tuyen-truyen.txt", "index.html"
BLANK_DIR, QR_DIR = "bieu-mau", "ma-qr"
MARKER = ".goi.json"  # in each pack: the content key it was built from
TREE_MARKER = ".lienthong-goi.json"  # at the top of a multi-commune output folder
# The site's offline form of each group (issue "Offline form"): bieu-mau/<group>.html.
OFFLINE_FORM = "bieu-mau/{group}.html"
# Site pages with guides a citizen may want from a pack (src paths under docs/).
SITE_GUIDES = {
    "huong-dan-dang-nhap": ("dang-nhap-vneid.md", "Hướng dẫn đăng nhập bằng VNeID"),
    "huong-dan-tra-cuu": ("tra-cuu-ho-so.md", "Hướng dẫn tra cứu hồ sơ"),
}
CHUNK = 40  # communes per batch (one WeasyPrint document, one text layer) in a large run


class PackError(LienThongError):
    """A pack cannot be made (bad output folder, unknown commune)."""


# -- 1. QR targets and shared facts ---------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a QR code leads, and what is printed under and beside it."""

    key: str  # file name of its SVG in ma-qr/
    url: str
    title: str
    hint: str = ""

    @property
    def display(self) -> str:
        """The target in words under the code: the address without "https://" or a final "/"."""
        url = self.url
        for scheme in ("https://", "http://"):
            url = url.removeprefix(scheme)
        return url.rstrip("/") if url.count("/") <= 1 else url


@functools.lru_cache(maxsize=512)
def qr_svg(url: str) -> Markup:
    """An inline SVG QR code for print: error correction Q (25 %, raised for free when it fits
    the same size), 4-module quiet zone in white, no fixed size (CSS sizes it)."""
    import segno

    code = segno.make(url, error="q", boost_error=True, micro=False)
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True, light="#fff"))


@functools.lru_cache(maxsize=512)
def qr_svg_file(url: str, title: str) -> bytes:
    """A standalone SVG file of the same code (10 px a module), with a title."""
    import io

    import segno

    code = segno.make(url, error="q", boost_error=True, micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=10, border=4, light="#fff", title=title, xmldecl=True)
    return out.getvalue()


def filing_portal(group: dict) -> dict:
    """The portal a group's files are sent through on the build's day (``portal.filing``,
    dated: the linked-services system until 31/12/2026, the national portal after). ``check``
    makes sure exactly one is in force; the national portal stands in if none is."""
    portal = group["portal"]
    return next(
        iter(portal.get("filing") or ()),
        {"url": portal["national"], "name": "Cổng Dịch vụ công quốc gia", "menu": ""},
    )


def group_url(catalog: Catalog, gid: str, site_url: str | None, directory_urls: bool) -> str:
    """Where a group's QR code leads: the group's page on the filing portal when the schema
    names one (``x-group.portal.group_url``), else the group's guide page on the site when the
    site's address is known, else the filing portal itself (the hint then names the group)."""
    group = catalog.groups[gid]
    if group["portal"].get("group_url"):
        return group["portal"]["group_url"]
    if site_url:
        return site_url + records.group_page(gid, directory_urls)
    return filing_portal(group)["url"]


def targets(
    catalog: Catalog, site_url: str | None = None, directory_urls: bool = False
) -> dict[str, Target]:
    """Every QR target shared by all packs of a run, by key."""
    birth = catalog.groups[BIRTH]
    out = {
        "tai-khoan": Target(
            "tai-khoan",
            birth["portal"]["national"],
            "Cổng Dịch vụ công quốc gia: tạo tài khoản, đăng nhập",
            "Đăng nhập bằng tài khoản định danh điện tử VNeID mức độ 2.",
        ),
        "lien-thong": Target(
            "lien-thong",
            filing_portal(birth)["url"],
            filing_portal(birth)["name"] + ": khai sinh, khai tử",
        ),
    }
    for gid in (BIRTH, DEATH, DEATH_SHORT):
        group = catalog.groups[gid]
        url = group_url(catalog, gid, site_url, directory_urls)
        if url == filing_portal(group)["url"]:
            hint = f"Đăng nhập, chọn “{group['portal']['group_label']}”."
        elif site_url and url.startswith(site_url):
            hint = "Hướng dẫn đầy đủ: giấy tờ, sáu bước, đường vào Cổng."
        else:
            hint = "Trang nộp hồ sơ của nhóm thủ tục trên Cổng."
        out[f"nhom-{gid}"] = Target(
            f"nhom-{gid}", url, f"Nhóm thủ tục: {group['short_name']}", hint
        )
    national_lookup = next(w for w in birth["lookup"] if not w.get("url_setting"))
    out["tra-cuu"] = Target("tra-cuu", national_lookup["url"], national_lookup["name"])
    if site_url:
        for key, (src, title) in SITE_GUIDES.items():
            out[key] = Target(key, site_url + records.page_url(src, directory_urls), title)
        for gid in (BIRTH, DEATH):
            short = catalog.groups[gid]["short_name"]
            out[f"to-khai-{gid}"] = Target(
                f"to-khai-{gid}",
                site_url + OFFLINE_FORM.format(group=gid),
                f"Tờ khai điền trên điện thoại, không cần mạng: {short}",
            )
    return out


def lookup_target(url: str) -> Target:
    """The province's look-up page (a publisher setting), a target of its own."""
    return Target("tra-cuu-tinh", url, "Tra cứu hồ sơ trên Cổng dịch vụ công của tỉnh")


def _facts(items: list[dict], *, spoken: bool = False) -> list[str]:
    """Texts of schema facts; an unverified one is marked (print) or left out (speech)."""
    out = []
    for fact in items:
        unverified = fact.get("confidence") == "unverified"
        if spoken and unverified:
            continue
        out.append(fact["text"] + (" (cần kiểm tra lại)" if unverified else ""))
    return out


def shared_view(catalog: Catalog, all_targets: dict[str, Target]) -> dict[str, Any]:
    """The facts every pack of a run shows, from the schemas."""
    groups = catalog.groups
    birth, death, short = groups[BIRTH], groups[DEATH], groups[DEATH_SHORT]

    def group_view(gid: str, heading: str, label: str) -> dict[str, Any]:
        g = groups[gid]
        return {
            "id": gid,
            "label": label,
            "heading": heading,
            "name": g["name"],
            "short_name": g["short_name"],
            "summary": g["summary"],
            "audience": _facts(g["audience"]),
            "audience_spoken": _facts(g["audience"], spoken=True),
            "benefits": _facts(g["benefits"], spoken=True),
            "warnings": _facts(g["warnings"], spoken=True),
            "processing_time": _facts(g["processing_time"]),
            "processing_time_spoken": _facts(g["processing_time"], spoken=True),
            "checklist": list(records.checklist_items(catalog, gid, None)),
            "portal_label": g["portal"]["group_label"],
            "target": f"nhom-{gid}",
            "note": "",
        }

    birth_view = group_view(BIRTH, "Khi gia đình có con mới sinh", "Khai sinh")
    death_view = group_view(DEATH, "Khi gia đình có người mất", "Khai tử")
    death_view["note"] = (
        f"Không đề nghị chế độ mai táng? Chọn nhóm ngắn hơn “{short['portal']['group_label']}”: "
        + " ".join(_facts(short["audience"]))
    )
    steps = []
    for b, d in zip(birth["steps"], death["steps"], strict=True):
        texts = [("Khai sinh", b["text"]), ("Khai tử", d["text"])]
        steps.append(
            {
                "title": b["title"],
                "portal_label": b["portal_label"],
                "texts": texts,
                "same": b["text"] == d["text"],
                "tips": [],
            }
        )
    national_lookup = all_targets["tra-cuu"].url
    lookup = [
        {
            **way,
            "target": "tra-cuu" if way.get("url") == national_lookup else None,
            "example": way.get("example"),
        }
        for way in birth["lookup"]
    ]
    warnings_spoken = list(
        dict.fromkeys(birth_view["warnings"] + death_view["warnings"])
    )  # both groups share some warnings; say each once
    checked = min(g["checked"] for g in (birth, death, short))
    legal = next((d["document"] for d in birth.get("legal_basis", [])), None)
    return {
        "birth": birth_view,
        "death": death_view,
        "short": group_view(DEATH_SHORT, "Khai tử, xóa thường trú", "Khai tử"),
        "steps": steps,
        "lookup": lookup,
        "warnings_spoken": warnings_spoken,
        "targets": all_targets,
        "qr": {key: qr_svg(t.url) for key, t in all_targets.items()},
        "checked": "/".join(reversed(checked.split("-"))),
        "legal": legal,
        "portal_menu": filing_portal(birth)["menu"],
    }


# -- 2. communes and keys ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    """A commune to make a pack for; ``settings`` is None when none were given."""

    code: str
    name: str
    province: str
    province_name: str
    slug: str
    province_slug: str
    settings: dict[str, Any] | None = None

    def view(self) -> dict[str, Any]:
        s = self.settings or {}
        lookup = s.get("provincial_lookup_url")
        return {
            "code": self.code,
            "name": self.name,
            # "Phường Ba Đình" mid-sentence reads "phường Ba Đình".
            "name_lower": self.name[:1].lower() + self.name[1:],
            "province": self.province,
            "province_name": self.province_name,
            "filled": self.settings is not None,
            "office_name": s.get("office_name"),
            "office_address": s.get("office_address"),
            "opening_hours": s.get("opening_hours"),
            "officer_name": s.get("officer_name"),
            "officer_title": s.get("officer_title"),
            "officer_phone": s.get("officer_phone"),
            "hotline": s.get("hotline"),
            "email": s.get("email"),
            "portal": s.get("provincial_portal_url"),
            "lookup": lookup_target(lookup) if lookup else None,
        }


@functools.cache
def _units() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str, str]]]:
    """Provinces (code -> name, slug) and communes (code -> name, province, slug)."""
    from vietnam_provinces import Province, Ward

    provinces = {
        f"{p.code:02d}": (p.name, f"{p.code:02d}-{p.codename.replace('_', '-')}")
        for p in sorted(Province.iter_all(), key=lambda p: p.code)
    }
    communes = {
        f"{w.code:05d}": (
            w.name,
            f"{w.province_code:02d}",
            f"{w.code:05d}-{w.codename.replace('_', '-')}",
        )
        for w in sorted(Ward.iter_all(), key=lambda w: w.code)
    }
    return provinces, communes


@functools.cache
def band_characters() -> frozenset[str]:
    """Every character a header band can show: all unit names, upper-cased, and the title."""
    from lienthong.packs.text import band_lines

    provinces, communes = _units()
    chars: set[str] = set()
    for name, province, _ in communes.values():
        lines = band_lines({"name": name, "province_name": provinces[province][0]})
        chars.update("".join(lines))
    return frozenset(chars)


def province_codes() -> list[str]:
    return list(_units()[0])


def communes_of(province: str) -> list[str]:
    return [code for code, (_, prov, _) in _units()[1].items() if prov == province]


def make_commune(code: str, settings: dict[str, Any] | None = None) -> Commune:
    provinces, communes = _units()
    if code not in communes:
        raise PackError(
            f"không có xã, phường, đặc khu mã '{code}' trong danh mục 3.321 đơn vị từ ngày 01/7/2025."
        )
    name, province, slug = communes[code]
    province_name, province_slug = provinces[province]
    return Commune(code, name, province, province_name, slug, province_slug, settings)


def edition_digest(
    schemas_dir: Path,
    forms_dir: Path,
    site_url: str | None,
    directory_urls: bool,
    day: str = "",
) -> str:
    """A hash of every input shared by the packs of a run (schemas, forms, templates, code,
    fonts' renderer versions, site address, and the as-of day, which picks the dated facts)."""
    h = hashlib.sha256(f"{site_url or ''}\0{directory_urls}\0{day}".encode())
    for dist in ("weasyprint", "pikepdf", "segno", "vietnam-provinces"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            h.update(f"{dist}={importlib.metadata.version(dist)}\0".encode())
    paths = [
        *sorted(Path(schemas_dir).rglob("*.json")),
        *sorted(Path(forms_dir).rglob("*")),
        *sorted(PACKAGE.glob("**/*.py")),
        *sorted((PACKAGE / "templates").rglob("*")),
    ]
    for path in paths:
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:20]


def pack_key(edition: str, commune: Commune) -> str:
    data = json.dumps(
        [edition, commune.code, commune.name, commune.province_name, commune.settings],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(data.encode()).hexdigest()[:24]


# -- 3. texts: loudspeaker article and index pages ---------------------------------------------------


@functools.cache
def _text_env() -> Environment:
    from lienthong.packs.speech import phone_in_words, speakable, url_in_words

    env = Environment(
        loader=PackageLoader("lienthong", "templates/pack"),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Every value is rewritten to be read aloud; the template's own text already is.
        finalize=lambda value: "" if value is None else speakable(str(value)),
    )
    env.filters["phone"] = phone_in_words
    env.filters["url"] = url_in_words
    env.filters["lower_first"] = lambda text: text[:1].lower() + text[1:]
    return env


@functools.cache
def _html_env() -> Environment:
    return Environment(
        loader=PackageLoader("lienthong", "templates/pack"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def speech_text(shared: dict[str, Any], commune: dict[str, Any]) -> str:
    """The loudspeaker article: plain text to read aloud, NFC, no digit, no address."""
    text = _text_env().get_template("bai-tuyen-truyen.txt.j2").render(s=shared, c=commune)
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:  # at most one blank line between paragraphs
        if line or (out and out[-1]):
            out.append(line)
    return unicodedata.normalize("NFC", "\n".join(out).strip() + "\n")


def index_html(
    shared: dict[str, Any],
    commune: dict[str, Any],
    pack_targets: list[Target],
    blanks: list[tuple[str, str]],
) -> str:
    html = (
        _html_env()
        .get_template("index.html.j2")
        .render(
            s=shared,
            c=commune,
            codes=[(t, qr_svg(t.url)) for t in pack_targets],
            blanks=blanks,
            files={
                "poster": POSTER_FILE,
                "leaflet": LEAFLET_FILE,
                "speech": SPEECH_FILE,
                "qr": QR_DIR,
                "blank": BLANK_DIR,
            },
        )
    )
    return unicodedata.normalize("NFC", html)


def pack_targets(shared: dict[str, Any], commune: dict[str, Any]) -> list[Target]:
    """The QR codes of one pack: the run's targets plus the province's look-up page."""
    out = list(shared["targets"].values())
    if commune["lookup"] is not None:
        out.append(commune["lookup"])
    return out


def blank_titles(catalog: Catalog) -> dict[str, str]:
    """Blank forms of the pack (file id -> title), in the site's order."""
    forms = records.catalog_forms(catalog)
    out = {}
    for fid, info in forms.items():
        out[fid] = info.name + (f" ({info.number})" if info.number else "")
    for gid, group in catalog.groups.items():
        out[records.CHECKLIST_PREFIX + gid] = f"Danh mục giấy tờ: {group['short_name']}"
    return out


# -- 4. the run --------------------------------------------------------------------------------------


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


def _link(src: Path, dst: Path) -> None:
    """Hard-link ``src`` at ``dst`` (no copy of identical files), else copy it."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _swap_in(tmp: Path, final: Path) -> None:
    """Replace ``final`` by the complete folder ``tmp`` with renames only."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _write(path: Path, data: bytes | str) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def _check_output(out: Path, marker: str) -> None:
    """Refuse to replace a folder that holds something other than a previous pack."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / marker).exists())):
        raise PackError(
            f"thư mục {out} đã có tệp khác, không phải gói tài liệu do lienthong tạo; "
            "chọn một thư mục trống hoặc chưa có."
        )


def _current_key(pack_dir: Path) -> str | None:
    try:
        return json.loads((pack_dir / MARKER).read_text(encoding="utf-8")).get("key")
    except (OSError, ValueError):
        return None


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
        _write(tmp / POSTER_FILE, compositor.compose(poster, f"Áp phích: {commune.name}"))
        _write(tmp / LEAFLET_FILE, compositor.compose(leaflet, f"Tờ rơi: {commune.name}"))
        _write(tmp / SPEECH_FILE, speech_text(shared.shared, view))
        codes = pack_targets(shared.shared, view)
        (tmp / QR_DIR).mkdir()
        for target in codes:
            _link(_qr_file(shared.qr_cache, target), tmp / QR_DIR / f"{target.key}.svg")
        blanks = [(f"{BLANK_DIR}/{fid}.pdf", title) for fid, title in shared.blank_titles.items()]
        _write(tmp / INDEX_FILE, index_html(shared.shared, view, codes, blanks))
        done.append((commune.code, tmp))
    return done


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


def _qr_file(cache: Path, target: Target) -> Path:
    """The target's SVG file, written once per edition into the cache and linked from there."""
    digest = hashlib.sha256(f"{target.url}\0{target.title}".encode()).hexdigest()[:16]
    path = cache / f"{target.key}-{digest}.svg"
    if not path.exists():
        from lienthong.printing.render_pdf import write_atomic

        write_atomic(path, qr_svg_file(target.url, target.title))
    return path


def _link_blanks(blank_dir: Path, pack_dir: Path, titles: dict[str, str]) -> None:
    (pack_dir / BLANK_DIR).mkdir(exist_ok=True)
    for fid in titles:
        _link(blank_dir / f"{fid}.pdf", pack_dir / BLANK_DIR / f"{fid}.pdf")


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
        _write(tmp / Path(uri).name, data)
    _write(tmp / ".complete", "")
    if out.exists():
        shutil.rmtree(tmp)
    else:
        tmp.rename(out)
    return out


def _base_layers(
    cache: Path, shared: dict[str, Any], renderer: Callable[[], Any], pages: set[int]
) -> dict[int, bytes]:
    """The static layer of the sheets ``pages`` (pack_pdf.BASE_PAGES), cached per edition."""
    from lienthong.printing.render_pdf import write_atomic

    paths = {i: cache / f"lop-chung-{i}.pdf" for i in sorted(pages)}
    missing = [i for i, path in paths.items() if not path.exists()]
    made = renderer().base(shared, missing) if missing else {}
    for i, pdf in made.items():
        write_atomic(paths[i], pdf)
    return {i: made[i] if i in made else paths[i].read_bytes() for i in paths}


def _stamps(cache: Path, urls: list[str], renderer: Callable[[], Any]) -> list[bytes]:
    """One QR stamp (a one-page PDF) per look-up URL, each cached on its own."""
    from lienthong.printing.render_pdf import write_atomic

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
    _check_output(out, TREE_MARKER if tree else MARKER)
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
    all_targets = targets(catalog, options.site_url, options.directory_urls)
    shared = shared_view(catalog, all_targets)
    titles = blank_titles(catalog)
    keys = {c.code: pack_key(edition, c) for c in communes}

    def pack_dir(c: Commune) -> Path:
        return out / c.province_slug / c.slug if tree else out

    todo = [c for c in communes if _current_key(pack_dir(c)) != keys[c.code]]
    added = any(not pack_dir(c).exists() for c in todo)
    report.skipped = len(communes) - len(todo)
    report.rendered = len(todo)
    timings["plan_s"] = time.perf_counter() - start
    cache = Path(options.cache_dir).resolve() / f"goi-{edition}"
    if tree:
        out.mkdir(parents=True, exist_ok=True)
    if not todo:
        if tree:
            _write_tree_index(out, False, edition, shared)
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
        run = _Shared(edition, shared, base, stamps, stamp_index, titles, qr_cache, text)

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
                    _place_shared(out, blank_source, titles, shared, edition)
                    blank_source = out / BLANK_DIR
            for code, tmp in done:
                _link_blanks(blank_source, tmp, titles)
                _write(tmp / MARKER, json.dumps({"key": keys[code], "commune": code}))
                _swap_in(tmp, pack_dir(by_code[code]))
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
        _clean_staging(out if tree else out.parent, tree)
    if tree:
        _write_tree_index(out, added, edition, shared)
    report.seconds = time.perf_counter() - start
    if log:
        log(f"{report.rendered} gói mới, {report.skipped} gói không đổi.")
    return report


def _clean_staging(root: Path, tree: bool) -> None:
    """Remove temporary folders a failed run left behind."""
    pattern = "*/.*.tmp-*" if tree else ".*.tmp-*"
    for leftover in root.glob(pattern):
        shutil.rmtree(leftover, ignore_errors=True)


def _place_shared(
    out: Path, blank_source: Path, titles: dict[str, str], shared: dict[str, Any], edition: str
) -> None:
    """The tree's shared folders (blank forms, QR codes), replaced when the edition changes."""
    marker = out / BLANK_DIR / ".edition"
    if marker.exists() and marker.read_text(encoding="utf-8") == edition:
        return
    tmp = out / f".{BLANK_DIR}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for fid in titles:
        _link(blank_source / f"{fid}.pdf", tmp / f"{fid}.pdf")
    _write(tmp / ".edition", edition)
    _swap_in(tmp, out / BLANK_DIR)


def _write_tree_index(out: Path, added: bool, edition: str, shared: dict[str, Any]) -> None:
    """out/index.html listing every pack under ``out`` (not only this run's); rewritten only
    when packs were added or the edition changed."""
    from lienthong.printing.render_pdf import write_atomic

    try:
        marker = json.loads((out / TREE_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        marker = {}
    if not added and marker.get("edition") == edition and (out / INDEX_FILE).exists():
        return

    provinces, units = _units()
    found: dict[str, list[tuple[str, str]]] = {}
    for name, province, slug in units.values():
        province_slug = provinces[province][1]
        if (out / province_slug / slug / MARKER).exists():
            found.setdefault(province, []).append((name, f"{province_slug}/{slug}/index.html"))
    html = (
        _html_env()
        .get_template("muc-luc.html.j2")
        .render(
            provinces=[(provinces[p][0], found[p]) for p in found],
            count=sum(len(v) for v in found.values()),
            blank_dir=BLANK_DIR,
            s=shared,
        )
    )
    write_atomic(out / INDEX_FILE, unicodedata.normalize("NFC", html).encode())
    write_atomic(out / TREE_MARKER, json.dumps({"edition": edition}).encode())


# -- 5. choosing communes, the site's pack -----------------------------------------------------------


def select_communes(
    *,
    provinces: list[str],
    commune: str | None = None,
    settings: dict[str, dict[str, Any]] | None = None,
) -> list[Commune]:
    """The communes of a run, each with its settings when ``settings`` has them.

    ``provinces`` are province codes ("01"); with ``commune`` only that commune of the one
    province. Raises PackError, in Vietnamese, for an unknown code.
    """
    known_provinces, known_communes = _units()
    for code in provinces:
        if code not in known_provinces:
            raise PackError(
                f"không có tỉnh, thành phố mã '{code}'; mã hợp lệ: {', '.join(known_provinces)}."
            )
    settings = settings or {}
    if commune is not None:
        if commune not in known_communes:
            raise PackError(
                f"không có xã, phường, đặc khu mã '{commune}' trong danh mục 3.321 đơn vị "
                "từ ngày 01/7/2025."
            )
        if known_communes[commune][1] not in provinces:
            raise PackError(
                f"xã, phường mã {commune} ({known_communes[commune][0]}) không thuộc "
                f"{known_provinces[provinces[0]][0]}."
            )
        codes = [commune]
    else:
        codes = [code for p in provinces for code in communes_of(p)]
    return [make_commune(code, settings.get(code)) for code in codes]


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
    )
    commune = make_commune(publisher["commune"], publisher)
    return build_packs(catalog, [commune], out, options, tree=False)
