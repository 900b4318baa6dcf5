"""Print the declaration forms (tờ khai) as PDF with WeasyPrint: blank, filled, or a whole group.

The pipeline, one step per method of ``Renderer``:

1. ``group_sheets`` / ``form_sheet``: validate the record, choose the sheets to print
   (``records.group_parts``) and compute what each shows (``records.Views``, from each form's
   ``fields.yml``) from one group record, the requester typed once;
2. ``html``: lay the sheets out with Jinja (``generator/templates/forms/document.html.j2``
   around each ``forms/<form-id>/template.html.j2``), one ``<section>`` per sheet, each with a
   footer naming the form, where it comes from and when that was last checked
   (``provenance``), and a QR code back to its guide page;
3. ``layout``: render all sheets as ONE WeasyPrint document (one document per sheet costs ~3.6x
   more); a sheet that runs past its intended page count gets a smaller type step, estimated
   from how far it overflows, and the document is laid out again, so a long value never adds a
   page and nothing is cut;
4. ``pdf``: PDF with subset, embedded fonts; deterministic (no dates unless
   ``SOURCE_DATE_EPOCH`` is set; the file identifier is a hash of the content).

Public API: ``render_form``, ``render_group``, ``blank_pdfs`` (every blank form for the site);
``Renderer`` keeps everything warm between calls (the bench can time
``Renderer.render_group`` after ``warm_up``).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from lienthong import default_schemas_dir
from lienthong.errors import LienThongError, UnknownSchema
from lienthong.printing import records
from lienthong.printing.fonts import font_faces
from lienthong.printing.layout import (
    MAX_DENSITY,
    end_fraction,
    import_weasyprint,
    next_density,
    no_gc,
    sheet_page_counts,
)
from lienthong.schema import provenance
from lienthong.schema.catalog import Catalog

log = logging.getLogger("lienthong.pdf")
# Where the site is published; the QR codes point there. Without it they lead to the national
# portal (never to a bare path, which no phone can open).
SITE_URL_ENV = "LIENTHONG_SITE_URL"
NATIONAL_PORTAL = "https://dichvucong.gov.vn"  # when no group names it (a catalog of forms only)

# Blank PDFs for the site, as bieu-mau/<id>.pdf.
BLANK_DIR = "bieu-mau"

_MARK = re.compile(r"\((\d)\)")


class RecordInvalid(LienThongError):
    """A record that fails validation; ``errors`` is the list ``lienthong validate`` prints."""

    def __init__(self, schema_id: str, errors: list[dict[str, str]]):
        self.schema_id = schema_id
        self.errors = errors
        super().__init__(
            f"hồ sơ không hợp lệ theo '{schema_id}': "
            + "; ".join(f"{e['pointer']}: {e['message']}" for e in errors)
        )


def default_forms_dir() -> Path:
    """The packaged forms: the checkout's forms/, or the wheel's copy."""
    from lienthong import bundled

    return bundled("forms")


def strip_css_comments(css: str) -> str:
    """``css`` without ``/* ... */`` comments (kept inside quoted strings) and blank lines."""
    out: list[str] = []
    i, n = 0, len(css)
    while i < n:
        c = css[i]
        if c in "\"'":
            end = i + 1
            while end < n and css[end] != c:
                end += 2 if css[end] == "\\" else 1
            out.append(css[i : end + 1])
            i = end + 1
        elif css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            out.append(c)
            i += 1
    lines = (line.rstrip() for line in "".join(out).splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def site_url(base_url: str | None = None) -> str | None:
    """The site's base URL: the argument, else $LIENTHONG_SITE_URL, else None (relative paths)."""
    url = base_url if base_url is not None else os.environ.get(SITE_URL_ENV) or None
    if url and not url.endswith("/"):
        url += "/"
    return url


@functools.lru_cache(maxsize=256)
def qr_svg(target: str) -> Markup:
    """An inline SVG QR code for ``target``: error correction M, 4-module quiet zone."""
    import segno

    code = segno.make(target, error="m", boost_error=False, micro=False)
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True))


def marks(label: str) -> Markup:
    """Footnote marks "(1)" in a label, printed small and raised as on the official forms."""
    return Markup(_MARK.sub(r'<span class="n">(\1)</span>', str(escape(label))))


def created_date() -> str | None:
    """Document date from SOURCE_DATE_EPOCH (reproducible builds), else none at all."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        when = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Sheet:
    """One printed form (or the checklist) of a document."""

    id: str  # form id, or "checklist-<group id>"
    title: str
    template: str  # Jinja template name
    view: dict[str, Any]
    source_line: str
    guide_path: str
    pages: int
    density: int = 0
    url: str = ""
    url_label: str = ""  # what the printed line says the QR code and URL lead to
    qr: Markup = field(default_factory=lambda: Markup(""))


class Renderer:
    """Renders forms; keeps the catalog, templates, parsed CSS and fonts between calls."""

    def __init__(
        self,
        schemas_dir: Path | None = None,
        forms_dir: Path | None = None,
        base_url: str | None = None,
        directory_urls: bool = False,
    ):
        from lienthong import _catalog

        self.catalog: Catalog = _catalog(Path(schemas_dir or default_schemas_dir()))
        self.forms_dir = Path(forms_dir or default_forms_dir())
        self.base_url = site_url(base_url)
        # MkDocs' use_directory_urls of the site the QR codes point into.
        self.directory_urls = directory_urls
        self.forms = records.catalog_forms(self.catalog)
        self.views = records.Views(self.catalog, self.forms_dir)
        self.env = Environment(
            loader=ChoiceLoader(
                [
                    FileSystemLoader(str(self.forms_dir)),
                    PackageLoader("lienthong", "templates/forms"),
                ]
            ),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["marks"] = marks
        self._weasy: tuple[Any, Any, Any] | None = None

    # -- ids ------------------------------------------------------------------------------------

    def ids(self) -> dict[str, str]:
        """Every printable id: form ids, checklist-<group>, group ids -> kind."""
        out = {fid: "form" for fid in self.forms}
        for gid in self.catalog.groups:
            out[records.CHECKLIST_PREFIX + gid] = "checklist"
            out[gid] = "group"
        return out

    def _unknown(self, what: str) -> UnknownSchema:
        known = ", ".join(sorted(self.ids()))
        return UnknownSchema(f"không có biểu mẫu hay nhóm thủ tục '{what}'. Các mã có: {known}.")

    # -- step 1: sheets -------------------------------------------------------------------------

    def css(self) -> str:
        """form.css without its comments: WeasyPrint reads the same rules, and the offline
        form's print view, which carries this text, is 1.4 KB lighter gzipped."""
        source = self.env.loader.get_source(self.env, "form.css")[0]  # type: ignore[union-attr]
        return strip_css_comments(source)

    def _url(self, path: str) -> str:
        return (self.base_url or "") + path

    def _form_sheet(
        self, form_id: str, group_id: str | None, record: Any, procedure: str | None
    ) -> Sheet:
        info = self.forms[form_id]
        number = f" ({info.number})" if info.number else ""
        pid = procedure or info.procedures[0]
        guide = records.procedure_page(pid, self.directory_urls)
        return self._finish(
            Sheet(
                id=form_id,
                title=info.name + number,
                template=f"{form_id}/{info.template}",
                view=self.views.form_view(form_id, group_id, record, procedure),
                source_line=provenance.form_line(
                    info.name + number, info.issued_with, self.catalog.procedures[pid], form_id
                ),
                guide_path=guide,
                pages=self.views.pages(form_id),
            )
        )

    def _checklist_sheet(self, group_id: str, record: Any) -> Sheet:
        group = self.catalog.groups[group_id]
        return self._finish(
            Sheet(
                id=records.CHECKLIST_PREFIX + group_id,
                title=f"Danh mục giấy tờ: {group['short_name']}",
                template="checklist/template.html.j2",
                view=self.views.checklist_view(group_id, record),
                source_line=provenance.checklist_line(
                    group, [self.catalog.procedures[p["id"]] for p in group["procedures"]]
                ),
                guide_path=records.group_page(group_id, self.directory_urls),
                # A filled checklist ends with the record codes: a page more where they do not
                # fit under a long list, rather than the whole list in smaller type.
                pages=self.views.pages("checklist") + (record is not None),
            )
        )

    def _finish(self, sheet: Sheet) -> Sheet:
        # A code must open something from any phone: the guide page when the site's address is
        # known, else the national portal (never a bare path), and the line under it says which.
        if self.base_url:
            url, label = self._url(sheet.guide_path), "Hướng dẫn, mẫu trống"
        else:
            url, label = self.portal, "Nộp hồ sơ trực tuyến"
        return replace(sheet, url=url, url_label=label, qr=qr_svg(url))

    @functools.cached_property
    def portal(self) -> str:
        """The national public-service portal, from the groups' schemas."""
        found = [g["portal"]["national"] for g in self.catalog.groups.values() if "portal" in g]
        return found[0] if found else NATIONAL_PORTAL

    def _validate(self, schema_id: str, record: Any, allow_incomplete: bool) -> None:
        """Raise RecordInvalid with the messages of ``lienthong validate``, unless allowed."""
        from lienthong.schema.validation import validator_for

        errors = validator_for(self.catalog, schema_id).validate(record)
        if errors and not allow_incomplete:
            raise RecordInvalid(schema_id, errors)

    def group_sheets(
        self, group_id: str, record: Any = None, *, allow_incomplete: bool = False
    ) -> list[Sheet]:
        if group_id not in self.catalog.groups:
            raise self._unknown(group_id)
        if record is not None:
            self._validate(group_id, record, allow_incomplete)
        sheets = []
        for part in records.group_parts(self.catalog, group_id, record, self.views.applies_if):
            if part.form_id == "checklist":
                sheets.append(self._checklist_sheet(group_id, record))
            else:
                sheets.append(self._form_sheet(part.form_id, group_id, record, part.procedure_id))
        return sheets

    def form_sheet(
        self,
        form_id: str,
        record: Any = None,
        *,
        allow_incomplete: bool = False,
        group: str | None = None,
    ) -> Sheet:
        if form_id.startswith(records.CHECKLIST_PREFIX):
            group_id = form_id[len(records.CHECKLIST_PREFIX) :]
            if group_id not in self.catalog.groups:
                raise self._unknown(form_id)
            if record is not None:
                self._validate(group_id, record, allow_incomplete)
            return self._checklist_sheet(group_id, record)
        if form_id not in self.forms:
            raise self._unknown(form_id)
        if record is None:
            return self._form_sheet(form_id, None, None, None)
        group_id = group or records.guess_group(self.catalog, form_id, record)
        if group_id is None or group_id not in self.catalog.groups:
            raise self._unknown(group or form_id)
        self._validate(group_id, record, allow_incomplete)
        procedure = next(
            (
                p["id"]
                for p in self.catalog.groups[group_id]["procedures"]
                if p["id"] in self.forms[form_id].procedures
            ),
            None,
        )
        return self._form_sheet(form_id, group_id, record, procedure)

    # -- step 2: HTML ---------------------------------------------------------------------------

    def html(self, sheets: list[Sheet], title: str, *, inline_css: bool = False) -> str:
        """The document's HTML (NFC). ``inline_css`` embeds form.css, for a browser's print view."""
        parts = [
            {
                "form_id": s.id,
                "template": s.template,
                "view": s.view,
                "anchor": f"sheet-{i}",
                "density": s.density,
                "source_line": s.source_line,
                "url": s.url,
                "url_label": s.url_label,
                "qr": s.qr,
            }
            for i, s in enumerate(sheets)
        ]
        html = self.env.get_template("document.html.j2").render(
            title=title,
            parts=parts,
            created=created_date(),
            css=Markup(self.css()) if inline_css else None,
        )
        return unicodedata.normalize("NFC", html)

    # -- step 3: layout -------------------------------------------------------------------------

    def _weasyprint(self) -> tuple[Any, Any, Any]:
        """(HTML class, parsed form.css, FontConfiguration), created once."""
        if self._weasy is None:
            HTML, CSS, FontConfiguration = import_weasyprint()
            fonts = FontConfiguration()
            # The packaged fonts (fonts.py) for WeasyPrint only: the HTML stays the browser's.
            css = CSS(string=font_faces() + self.css(), font_config=fonts)
            self._weasy = (HTML, css, fonts)
        return self._weasy

    def layout(self, sheets: list[Sheet], title: str):
        """A laid-out WeasyPrint document in which every sheet keeps its page count."""
        HTML, css, fonts = self._weasyprint()
        with no_gc():
            return self._layout(HTML, css, fonts, sheets, title)

    def _render(self, HTML, css, fonts, sheets: list[Sheet], title: str):
        html = self.html(sheets, title)
        return HTML(string=html, base_url=str(self.forms_dir)).render(
            stylesheets=[css], font_config=fonts
        )

    def _layout(self, HTML, css, fonts, sheets: list[Sheet], title: str):
        while True:
            document = self._render(HTML, css, fonts, sheets, title)
            counts = sheet_page_counts(document, len(sheets))
            over = [i for i, s in enumerate(sheets) if counts[i] > s.pages]
            fixable = [i for i in over if sheets[i].density < MAX_DENSITY]
            if not fixable:
                for i in over:
                    _warn_overflow(sheets[i], counts[i])
                document.sheet_pages = counts
                return document
            for i in fixable:
                sheets[i].density = next_density(sheets[i], counts[i], end_fraction(document, i))

    # -- step 4: PDF ----------------------------------------------------------------------------

    @staticmethod
    def pdf(document) -> bytes:
        with no_gc():
            return document.write_pdf(pdf_identifier=True)

    # -- public ---------------------------------------------------------------------------------

    def render_form(
        self,
        form_id: str,
        record: Any = None,
        *,
        allow_incomplete: bool = False,
        group: str | None = None,
    ) -> bytes:
        """One form as PDF: blank when ``record`` is None, else filled from a group record.

        Args:
            form_id: a form id (``to-khai-khai-sinh``, ``ct01``, ...) or ``checklist-<group>``.
            record: a group record; its group is guessed from its keys unless ``group`` is given.
            allow_incomplete: print an invalid or incomplete record, leaving what is missing
                blank, instead of raising ``RecordInvalid``.

        Raises:
            UnknownSchema: no such form.
            RecordInvalid: the record fails validation (and ``allow_incomplete`` is false).
        """
        sheet = self.form_sheet(form_id, record, allow_incomplete=allow_incomplete, group=group)
        return self.pdf(self.layout([sheet], sheet.title))

    def render_group(
        self, group_id: str, record: Any = None, *, allow_incomplete: bool = False
    ) -> bytes:
        """Every declaration of a group plus its documents checklist, in one PDF.

        With ``record`` the forms are filled and the checklist lists only what the case needs;
        without, every form of the group is printed blank with the full checklist.
        """
        sheets = self.group_sheets(group_id, record, allow_incomplete=allow_incomplete)
        return self.pdf(self.layout(sheets, self.group_title(group_id)))

    def group_title(self, group_id: str) -> str:
        """The document title of a group's declarations ("Tờ khai: <short name>")."""
        return f"Tờ khai: {self.catalog.groups[group_id]['short_name']}"

    def render(self, id_: str, record: Any = None, *, allow_incomplete: bool = False) -> bytes:
        """A group id prints the group; a form or checklist id prints that sheet."""
        kind = self.ids().get(id_)
        if kind is None:
            raise self._unknown(id_)
        if kind == "group":
            return self.render_group(id_, record, allow_incomplete=allow_incomplete)
        return self.render_form(id_, record, allow_incomplete=allow_incomplete)

    def blank_sheets(self) -> list[Sheet]:
        sheets = [self.form_sheet(fid) for fid in self.forms]
        sheets += [self.form_sheet(records.CHECKLIST_PREFIX + gid) for gid in self.catalog.groups]
        return sheets

    def split_pdfs(self, sheets: list[Sheet], title: str = "Biểu mẫu") -> list[bytes]:
        """One PDF per sheet, from a single layout of all of them (much faster than one each).

        Sheets that overflow the first layout are laid out again on their own, at a higher
        density, instead of the whole set again: the parts are separate PDFs anyway.
        """
        HTML, css, fonts = self._weasyprint()
        with no_gc():
            document = self._render(HTML, css, fonts, sheets, title)
        counts = sheet_page_counts(document, len(sheets))
        places: list[tuple[Any, int, int]] = []  # (document, first page, pages) per sheet
        start = 0
        for i, sheet in enumerate(sheets):
            if counts[i] > sheet.pages and sheet.density < MAX_DENSITY:
                sheet.density = next_density(sheet, counts[i], end_fraction(document, i))
                alone = self.layout([sheet], title)
                places.append((alone, 0, alone.sheet_pages[0]))
            else:
                if counts[i] > sheet.pages:
                    _warn_overflow(sheet, counts[i])
                places.append((document, start, counts[i]))
            start += counts[i]
        out: list[bytes] = []
        for sheet, (doc, first, count) in zip(sheets, places, strict=True):
            part = doc.copy(doc.pages[first : first + count])
            part.metadata = copy.copy(doc.metadata)
            part.metadata.title = sheet.title
            out.append(self.pdf(part))
        return out

    def blank_pdfs(self) -> dict[str, bytes]:
        """Every blank form and group checklist, as ``{"bieu-mau/<id>.pdf": PDF bytes}``."""
        sheets = self.blank_sheets()
        pdfs = self.split_pdfs(sheets)
        return {f"{BLANK_DIR}/{s.id}.pdf": pdf for s, pdf in zip(sheets, pdfs, strict=True)}

    def warm_up(self) -> None:
        """Import WeasyPrint, parse the CSS and load the fonts (a tiny render), once."""
        self.render_form("ct01")


def _warn_overflow(sheet: Sheet, pages: int) -> None:
    log.warning(
        "%s: nội dung dài, tờ khai chiếm %d trang thay vì %d.", sheet.id, pages, sheet.pages
    )


# -- module-level API (a warm default renderer per schemas/forms folder and site URL) -----------

_RENDERERS: dict[tuple[str, str, str | None, bool], Renderer] = {}


def renderer(
    schemas_dir: Path | None = None,
    forms_dir: Path | None = None,
    base_url: str | None = None,
    directory_urls: bool = False,
) -> Renderer:
    """A cached Renderer (the catalog, templates, CSS and fonts stay loaded)."""
    key = (
        str(Path(schemas_dir or default_schemas_dir()).resolve()),
        str(Path(forms_dir or default_forms_dir()).resolve()),
        site_url(base_url),
        directory_urls,
    )
    if key not in _RENDERERS:
        _RENDERERS[key] = Renderer(*key[:2], base_url=key[2], directory_urls=directory_urls)
    return _RENDERERS[key]


def render_form(
    form_id: str,
    record: Any = None,
    *,
    allow_incomplete: bool = False,
    group: str | None = None,
    base_url: str | None = None,
) -> bytes:
    """See ``Renderer.render_form``."""
    return renderer(base_url=base_url).render_form(
        form_id, record, allow_incomplete=allow_incomplete, group=group
    )


def render_group(
    group_id: str,
    record: Any = None,
    *,
    allow_incomplete: bool = False,
    base_url: str | None = None,
) -> bytes:
    """See ``Renderer.render_group``."""
    return renderer(base_url=base_url).render_group(
        group_id, record, allow_incomplete=allow_incomplete
    )


def blank_pdfs(base_url: str | None = None) -> dict[str, bytes]:
    """Every blank form and group checklist as ``{"bieu-mau/<id>.pdf": bytes}``, for the site.

    Call with the site's URL (MkDocs ``site_url``) so the QR codes are absolute.
    """
    return renderer(base_url=base_url).blank_pdfs()


def warm_up(base_url: str | None = None) -> Renderer:
    """Load everything a render needs, so the next render measures only the work itself."""
    r = renderer(base_url=base_url)
    r.warm_up()
    return r
