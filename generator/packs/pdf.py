"""Posters and leaflets for thousands of communes: lay out what differs, stack it on what doesn't.

A commune's poster and leaflet differ from every other commune's only in a header band (the
commune's name), a contact box (office, officer, phone, hotline) and the look-up QR code of
its province. Laying out and drawing the rest (titles, three big QR codes, the six steps, two
documents checklists) again for each of 3,321 communes would cost ~0.3 s a commune. So each
sheet is drawn in layers:

1. ``base``: the static layer of every sheet, laid out ONCE per run (one WeasyPrint document
   per page, so each page carries only its own fonts): poster, poster with blank contact
   lines, leaflet front, leaflet back, leaflet back with blank contact lines;
2. ``stamps``: one small page per distinct QR target that varies (a province's look-up page),
   drawn once and placed wherever it is needed;
3. each commune's own layer (band, contact box): written straight into PDF by
   generator/packs/text.py, or, when it cannot (a font or glyph missing), laid out here by
   ``overlays``: ONE WeasyPrint document for a batch of communes; a block that overflows its
   box gets a smaller type step and the batch is laid out again;
4. ``Compositor.compose``: with pikepdf (qpdf), each output page is a base page with the
   commune's layer pages and stamps placed on it as form XObjects: no layout, no drawing,
   ~2 ms a file. Text stays text (pdftotext reads it), QR codes stay vectors.

The positions shared by the layers and the composition are in ``GEOMETRY`` (mm).
"""

from __future__ import annotations

import io
import logging
import unicodedata
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from lienthong.printing.fonts import font_faces
from lienthong.printing.render_pdf import created_date, import_weasyprint, no_gc

log = logging.getLogger("lienthong.packs.pack")

MM = 72 / 25.4  # PDF points per millimetre
A4_HEIGHT_MM = 297.0


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class Stamp:
    left: float
    top: float
    size: float

    def rect(self) -> tuple[float, float, float, float]:
        """The stamp's place on an A4 page in PDF points (origin bottom left)."""
        x0 = self.left * MM
        y0 = (A4_HEIGHT_MM - self.top - self.size) * MM
        return (x0, y0, x0 + self.size * MM, y0 + self.size * MM)


GEOMETRY: dict[str, Any] = {
    "band": Box(left=20, top=7, width=170, height=24),
    "rule_top": 32.5,
    "contact": Box(left=12, top=222, width=186, height=63),
    # The province's look-up QR code, at the right of the contact box.
    "stamp": Stamp(left=164, top=226, size=28),
}

# Pages of the base document.
POSTER, POSTER_BLANK, FRONT, BACK, BACK_BLANK = range(5)
BASE_PAGES = [
    {"kind": "poster", "blank": False},
    {"kind": "poster", "blank": True},
    {"kind": "front"},
    {"kind": "back", "blank": False},
    {"kind": "back", "blank": True},
]
MAX_DENSITY = 3  # .d0 ... .d3 in pack.css for the band and the contact box
# Tolerance when comparing an overlay's end with its box's bottom, in CSS px.
_SLACK = 0.5


class LayerRenderer:
    """Lays out layers with WeasyPrint; keeps templates, parsed CSS and fonts between calls."""

    def __init__(self) -> None:
        self.env = Environment(
            loader=PackageLoader("lienthong", "templates/pack"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        HTML, CSS, FontConfiguration = import_weasyprint()
        self._html_class = HTML
        self.fonts = FontConfiguration()
        css = self.env.loader.get_source(self.env, "pack.css")[0]  # type: ignore[union-attr]
        self.css = CSS(string=font_faces() + css, font_config=self.fonts)

    def html(self, pages: list[dict[str, Any]], shared: dict[str, Any] | None, title: str) -> str:
        html = self.env.get_template("sheets.html.j2").render(
            pages=pages, s=shared, g=GEOMETRY, title=title, created=created_date()
        )
        return unicodedata.normalize("NFC", html)

    def layout(self, pages: list[dict[str, Any]], shared: dict[str, Any] | None, title: str):
        with no_gc():
            html = self.html(pages, shared, title)
            return self._html_class(string=html).render(
                stylesheets=[self.css], font_config=self.fonts
            )

    @staticmethod
    def write(document) -> bytes:
        with no_gc():
            return document.write_pdf(pdf_identifier=True)

    def base(self, shared: dict[str, Any], pages: list[int]) -> dict[int, bytes]:
        """The static layer of the sheets ``pages`` (indices into ``BASE_PAGES``), one PDF each.

        A block whose content runs past its box is logged (a schema text grew too long for
        the sheet); tests fail on it.
        """
        out = {}
        for index in pages:
            page = BASE_PAGES[index]
            document = self.layout([page], shared, "Lớp chung")
            for name in overflowing_blocks(document.pages[0]):
                log.warning(
                    "%s: nội dung khung '%s' dài quá chỗ dành cho nó trên trang in.",
                    page["kind"],
                    name,
                )
            out[index] = self.write(document)
        return out

    def stamps(self, svgs: list[Markup]) -> list[bytes]:
        """One PDF per QR code (a ``GEOMETRY['stamp'].size`` mm square page), in order."""
        pages = [{"kind": "stamp", "svg": svg} for svg in svgs]
        document = self.layout(pages, None, "Mã QR")
        return [self.write(document.copy([page])) for page in document.pages]

    def overlays(self, pages: list[dict[str, Any]]) -> bytes:
        """The per-commune layers (``band`` / ``contact`` pages), all in one document.

        A block whose text runs past its box is set one type step smaller (``density``) and the
        document is laid out again, until everything fits or the smallest step is reached.
        """
        for page in pages:
            page.setdefault("density", 0)
        while True:
            document = self.layout(pages, None, "Lớp của xã")
            over = [i for i, page in enumerate(document.pages) if _overflows(page, i)]
            fixable = [i for i in over if pages[i]["density"] < MAX_DENSITY]
            if not fixable:
                return self.write(document)
            for i in fixable:
                pages[i]["density"] += 1


def _overflows(page, name: int | str) -> bool:
    end = page.anchors.get(f"end-{name}")
    limit = page.anchors.get(f"limit-{name}")
    return bool(end and limit and end[1] > limit[1] + _SLACK)


def overflowing_blocks(page) -> list[str]:
    """Names of the fitted blocks (``fit()`` in sheets.html.j2) whose text runs past their box."""
    names = [a[len("limit-") :] for a in page.anchors if a.startswith("limit-")]
    return [name for name in names if _overflows(page, name)]


class Compositor:
    """Stacks overlay pages and stamps on base pages with pikepdf, one small PDF per sheet."""

    def __init__(self, base: dict[int, bytes], stamps: list[bytes]):
        import pikepdf

        self._pikepdf = pikepdf
        self.base = {i: pikepdf.open(io.BytesIO(pdf)) for i, pdf in base.items()}
        self.stamps = [pikepdf.open(io.BytesIO(pdf)) for pdf in stamps]
        self.stamp_rect = pikepdf.Rectangle(*GEOMETRY["stamp"].rect())
        self._forms: dict[tuple[int, int], Any] = {}

    def open(self, pdf: bytes):
        return self._pikepdf.open(io.BytesIO(pdf))

    def _place(self, out, page, placed: list[tuple[Any, Any]]) -> None:
        """Draw each (page, rectangle) of ``placed`` over ``page`` as a form XObject.

        pikepdf's ``add_overlay`` names the XObjects at random; these get fixed names
        (/Layer0, /Layer1 ...) so that the same inputs give the same bytes.
        """
        pikepdf = self._pikepdf
        if not placed:
            return
        drawn = [b"Q"]
        for i, (source, rect) in enumerate(placed):
            formx = out.copy_foreign(self._form(source))
            name = pikepdf.Name(f"/Layer{i}")
            page.add_resource(formx, pikepdf.Name.XObject, name)
            where = rect if rect is not None else pikepdf.Rectangle(page.trimbox)
            drawn.append(b"q " + page.calc_form_xobject_placement(formx, name, where) + b" Q")
        page.contents_add(out.make_stream(b"q"), prepend=True)
        page.contents_add(out.make_stream(b"\n".join(drawn)), prepend=False)

    def _form(self, source: tuple[Any, int]):
        """Page ``source`` = (document, index) as a form XObject of that document, made once."""
        pdf, index = source
        key = (id(pdf), index)
        formx = self._forms.get(key)
        if formx is None:
            formx = pdf.make_indirect(pdf.pages[index].as_form_xobject())
            self._forms[key] = (pdf, formx)  # keeps the document alive while it is cached
            return formx
        return formx[1]

    def compose(
        self,
        pages: list[tuple[int, list[Any], int | None]],
        title: str,
    ) -> bytes:
        """One PDF: for each page, (base page, overlays to place on it, stamp or None); an
        overlay is (pikepdf document, page index)."""
        pikepdf = self._pikepdf
        out = pikepdf.new()
        for base_index, overlays, stamp in pages:
            out.pages.append(self.base[base_index].pages[0])
            page = out.pages[-1]
            placed = [(overlay, None) for overlay in overlays]
            if stamp is not None:
                placed.append(((self.stamps[stamp], 0), self.stamp_rect))
            self._place(out, page, placed)
        out.Root.Lang = pikepdf.String("vi")
        out.docinfo[pikepdf.Name.Title] = pikepdf.String(title)
        out.docinfo[pikepdf.Name.Creator] = pikepdf.String("lienthong")
        created = created_date()
        if created:
            stamp_text = "D:" + created.replace("-", "").replace(":", "").replace("T", "")
            stamp_text = stamp_text.rstrip("Z") + "Z"
            out.docinfo[pikepdf.Name.CreationDate] = pikepdf.String(stamp_text)
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, compress_streams=True)
        return buffer.getvalue()
