"""Render the generated Markdown pages from the catalog and publisher settings.

Pure: returns ``{src_uri: markdown}``; the plugin adds them to MkDocs' files.
Every value from schemas or settings is escaped for HTML and Markdown by the
environment's ``finalize`` hook, so a schema string can never inject markup;
only values passed through ``url`` (checked https URLs) are emitted raw.

Every fact, document, form and legal document shows its source and the date it was last
checked (``generator/schema/provenance.py``): inline, or, when it is the date of its section, once in
the note that closes the section ("Kiểm tra lần cuối ngày …"), so a phone screen is not a wall
of repeated dates.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterable
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from lienthong.inputs import units
from lienthong.schema import amounts, dated, provenance
from lienthong.schema.catalog import Catalog
from lienthong.schema.provenance import date_vi

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|!~])")
_SAFE_URL = re.compile(r"^https://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~%/?#=&+-]*)?$")

CONFIDENCE_NOTE = {
    "verified": "",
    "transcribed": "",
    "unverified": " **(cần kiểm tra lại)**",
}


def md_escape(value: Any) -> str:
    """Escape a value for Markdown text (HTML-escaped, Markdown specials backslashed)."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    # Only &, < and > need entities in Markdown text; quotes stay literal.
    text = html.escape(str(value), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def url(value: str) -> Markup:
    if not isinstance(value, str) or not _SAFE_URL.match(value):
        raise ValueError(f"unsafe URL {value!r}")
    return Markup(value)


def tel(value: str) -> Markup:
    digits = re.sub(r"[^0-9+]", "", str(value))
    # A blank left by lienthong new has no digits: link to nothing rather than to "tel:".
    return Markup("tel:" + digits if digits else "#")


def yaml_str(value: str) -> Markup:
    """A YAML-safe scalar (a JSON string is valid YAML)."""
    return Markup(json.dumps(str(value), ensure_ascii=False))


def own_date(item: dict, default: str, section: str | None = None) -> Markup:
    """ "; kiểm tra ngày …" for an item whose date differs from its section's note (or always,
    when the section has no note: ``section=None``)."""
    day = provenance.checked(item, default)
    return Markup("" if day == section else f"; kiểm tra ngày {date_vi(day)}")


def source(item: dict, default: str, section: str | None = None) -> Markup:
    """ " *(Nguồn: …; kiểm tra ngày …)*" after a fact, document or form (see ``own_date``)."""
    return Markup(f" *(Nguồn: {md_escape(item['source'])}{own_date(item, default, section)})*")


def doc_number(value: str) -> Markup:
    """A document number that a narrow table column may break after its slashes only:
    "Nghị định 63/2024/NĐ-CP" wraps as "63/ 2024/ NĐ-CP", never inside "2024"."""
    return Markup(md_escape(value).replace("/", "/<wbr>"))


def basis_source(document: dict, default: str, section: str | None = None) -> Markup:
    """``source`` for a legal document, left out when the source is the document itself."""
    if document["source"] == document["document"] and not own_date(document, default, section):
        return Markup("")
    return source(document, default, section)


def checked_note(day: str, days: Iterable[str] = ()) -> Markup:
    """The date line that closes a section whose entries show only their source.

    ``days`` are the entries' own dates; an entry dated otherwise shows its date inline."""
    other = ", trừ mục ghi ngày riêng" if any(d != day for d in days) else ""
    return Markup(f"*Kiểm tra lần cuối ngày {date_vi(day)}{other}.*")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("lienthong", "templates/pages"),
        undefined=StrictUndefined,
        finalize=md_escape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["url"] = url
    env.filters["doc_number"] = doc_number
    env.filters["date_vi"] = date_vi
    env.filters["checked"] = provenance.checked
    env.filters["dates"] = provenance.dates
    env.filters["source"] = source
    env.filters["own_date"] = own_date
    env.filters["basis_source"] = basis_source
    env.globals["checked_note"] = checked_note
    env.filters["tel"] = tel
    env.filters["lower_first"] = _lower_first
    env.filters["yaml_str"] = yaml_str
    env.filters["note"] = lambda fact: Markup(
        CONFIDENCE_NOTE.get(fact.get("confidence", "verified"), "")
    )
    env.filters["vnd"] = amounts.vnd
    env.globals["commune_name"] = units.commune_name
    env.globals["province_name"] = units.province_name
    return env


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def procedure_uri(pid: str) -> str:
    return f"thu-tuc/{pid}.md"


def group_uri(gid: str) -> str:
    return f"{gid}.md"


def render_pages(
    catalog: Catalog,
    publisher: dict,
    pdfs: dict[str, str] | None = None,
    offline: dict[str, dict[str, str]] | None = None,
) -> dict[str, str]:
    """All generated pages, keyed by their path under docs/.

    ``pdfs`` maps form ids to the site paths of their blank PDFs; ``offline`` maps group ids to
    the site paths of their offline form and of the clerk's scan page (``{"page": ...,
    "file": ..., "scan": ...}``).
    """
    env = _environment()
    procedures = catalog.procedures
    groups = catalog.groups
    ctx = {
        "publisher": publisher,
        "procedures": procedures,
        "groups": groups,
        "procedure_uri": procedure_uri,
        "pdfs": pdfs or {},
        "offline": offline or {},
        "group_uri": group_uri,
        "commune": units.commune_name(publisher["commune"]),
        # "Phường Ba Đình" mid-sentence reads "phường Ba Đình".
        "commune_lower": _lower_first(units.commune_name(publisher["commune"])),
        "province": units.province_name(publisher["province"]),
    }
    bases = catalog.bases
    ctx["amount_view"] = lambda rule: amounts.view(rule, bases, catalog.day)
    ctx["build_month"] = f"{catalog.day:%m/%Y}"
    changes = announced(catalog)
    ctx["notices_for"] = lambda ids: notices(catalog, changes, ids)
    ctx["changes_uri"] = CHANGES_URI
    pages = {"index.md": env.get_template("index.md.j2").render(**ctx)}
    for gid, group in groups.items():
        members = [(p["id"], procedures[p["id"]], p) for p in group["procedures"]]
        pages[group_uri(gid)] = env.get_template("group.md.j2").render(
            g=group, members=members, **ctx
        )
    for pid, proc in procedures.items():
        in_groups = [
            (gid, g) for gid, g in groups.items() if any(p["id"] == pid for p in g["procedures"])
        ]
        pages[procedure_uri(pid)] = env.get_template("procedure.md.j2").render(
            p=proc, in_groups=in_groups, **ctx
        )
    pages["giay-to.md"] = env.get_template("documents.md.j2").render(**ctx)
    pages[CHANGES_URI] = env.get_template("changes.md.j2").render(
        **ctx, **_changes_page(catalog, changes)
    )
    return pages


CHANGES_URI = "thay-doi-gan-day.md"
NOTICE_DAYS = 90


def _change_line(change: dated.Change, links: dict[str, str], prefix: str = "") -> Markup:
    """One change as a list item: what, which pages it concerns, its source."""
    what = _label(change.label)
    if "document" in change.item:
        what += " có hiệu lực" if change.starts else " hết hiệu lực"
    elif not change.starts:
        what = "Hết áp dụng: " + what
    if change.replaces:
        what += f", thay cho {_label(change.replaces)}"
    pages = "; ".join(f"[{md_escape(name)}]({prefix}{uri})" for name, uri in links.items())
    line = what + "." + CONFIDENCE_NOTE.get(change.item.get("confidence", "verified"), "")
    if pages:
        line += f" Áp dụng cho: {pages}."
    if change.item.get("source"):
        checked = change.item.get("checked")
        day = f"; kiểm tra ngày {date_vi(checked)}" if checked else ""
        line += f" *(Nguồn: {md_escape(change.item['source'])}{day})*"
    return Markup(line)


def _label(text: str) -> str:
    """A change's label in Markdown: escaped, but its <https://...> links kept as links."""
    parts = re.split(r"(<https://[^<>\s]+>)", text)
    return "".join(p if p.startswith("<https://") else md_escape(p) for p in parts)


def _concerned(catalog: Catalog, change: dated.Change) -> list[str]:
    """The schemas a change concerns: those that hold it and, for a base value, the procedures
    whose amounts use that base."""
    ids = list(change.owners)
    for slug, base in catalog.bases.items():
        if any(v is change.item for v in base.get("values", [])):
            for pid, proc in catalog.procedures.items():
                if any(r["base"] == slug for r in proc.get("amounts", [])) and pid not in ids:
                    ids.append(pid)
    return ids


def _concerns(catalog: Catalog, ids: list[str]) -> dict[str, str]:
    """{title: uri} of the pages of the schemas ``ids`` (what ``_concerned`` gives)."""
    out: dict[str, str] = {}
    procedures, groups = catalog.procedures, catalog.groups
    for sid in ids:
        if sid in groups:
            out[groups[sid]["short_name"]] = group_uri(sid)
        elif sid in procedures:
            out[procedures[sid]["short_name"]] = procedure_uri(sid)
    return out


def announced(catalog: Catalog) -> list[tuple[dated.Change, list[str]]]:
    """Every change of the last 12 months and to come, with the schemas it concerns: read
    once per render, for the changes page and for the notices of every page."""
    day = catalog.day
    found = dated.changes(catalog.schemas, day - dt.timedelta(days=365), dt.date.max)
    return [(c, _concerned(catalog, c)) for c in found]


def _changes_page(catalog: Catalog, changes: list[tuple[dated.Change, list[str]]]) -> dict:
    by_day: dict[str, list] = {}
    for change, ids in changes:
        by_day.setdefault(change.day, []).append((change, ids))
    iso = catalog.day.isoformat()
    return {
        "today": iso,
        "coming": [(d, cs) for d, cs in by_day.items() if d > iso],
        "past": sorted(((d, cs) for d, cs in by_day.items() if d <= iso), reverse=True),
        "change_line": lambda pair: _change_line(pair[0], _concerns(catalog, pair[1])),
    }


def notices(
    catalog: Catalog, changes: list[tuple[dated.Change, list[str]]], ids: Iterable[str]
) -> list[tuple[str, Markup]]:
    """(day, line) of the changes that start within 90 days and concern one of ``ids``."""
    first = (catalog.day + dt.timedelta(days=1)).isoformat()
    last = (catalog.day + dt.timedelta(days=NOTICE_DAYS)).isoformat()
    wanted = set(ids)
    return [
        (c.day, _change_line(c, {}))
        for c, concerned in changes
        if first <= c.day <= last and wanted & set(concerned)
    ]
