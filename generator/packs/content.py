"""What every pack says: its QR targets, the facts shared by all communes' packs, the
loudspeaker article and the index page (the run is in pack.py)."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from lienthong.errors import LienThongError
from lienthong.packs import pictures
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
    posts = {
        gid: {"id": gid, "short_name": g["short_name"], "post": g["post"], "target": f"nhom-{gid}"}
        for gid, g in groups.items()
    }
    return {
        "birth": birth_view,
        "death": death_view,
        "posts": posts,
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
    posts: list[dict[str, Any]],
    meta: str = "",
) -> str:
    html = (
        _html_env()
        .get_template("index.html.j2")
        .render(
            s=shared,
            c=commune,
            codes=[(t, qr_svg(t.url)) for t in pack_targets],
            blanks=blanks,
            posts=posts,
            meta=Markup(meta),
            pictures=pictures.LABELS,
            pictures_files=pictures.FILES,
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


def post_files(catalog: Catalog) -> list[str]:
    """Paths (inside a pack) of every group's pictures, post and alt text."""
    names = [*pictures.FILES.values(), pictures.POST_FILE, pictures.ALT_FILE]
    return [f"{pictures.FOLDER}/{gid}/{name}" for gid in catalog.groups for name in names]


def blank_titles(catalog: Catalog) -> dict[str, str]:
    """Blank forms of the pack (file id -> title), in the site's order."""
    forms = records.catalog_forms(catalog)
    out = {}
    for fid, info in forms.items():
        out[fid] = info.name + (f" ({info.number})" if info.number else "")
    for gid, group in catalog.groups.items():
        out[records.CHECKLIST_PREFIX + gid] = f"Danh mục giấy tờ: {group['short_name']}"
    return out
