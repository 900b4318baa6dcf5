"""Old words that find the new pages (issue 15): hộ khẩu, chứng minh nhân dân, huyện…

People search with the words they grew up with. ``x-old-terms`` in ``common.schema.json``
maps each old word to today's term, with a one-line explanation, the date it changed, its
source and the pages of today's term. From it the plugin gives:

- each page of today's term a short "Tên gọi cũ" section (``page_section``): a heading made
  of the old words, then the one line that explains them. Material's search ranks words in
  headings a thousand times above words in text, so "xoa ho khau nguoi chet" finds the page
  on xóa đăng ký thường trú first, and the reader who lands there reads the explanation;
- the glossary (``GLOSSARY``) a section with every old word, today's term, the date and the
  source (``glossary_section``).

Not Material's page tags: their boost is a million times the text's, and a folded syllable
of an old word ("hộ" is "ho", as in "hồ sơ") would pull those pages above every other for
common queries.

Pure: the plugin adds the Markdown to the pages.
"""

from __future__ import annotations

from typing import Any

from lienthong.schema.catalog import Catalog
from lienthong.schema.provenance import date_vi
from lienthong.site.pages import CONFIDENCE_NOTE, group_uri, md_escape, procedure_uri

GLOSSARY = "thuat-ngu.md"


def entries(catalog: Catalog) -> list[dict[str, Any]]:
    return list(catalog.schemas.get("common", {}).get("x-old-terms", []))


def page_uri(catalog: Catalog, ref: str) -> str | None:
    """The source path of a page named in ``pages``: a procedure, a group or a docs page."""
    if ref.endswith(".md"):
        return ref
    if ref in catalog.groups:
        return group_uri(ref)
    if ref in catalog.procedures:
        return procedure_uri(ref)
    return None


def by_page(catalog: Catalog) -> dict[str, list[dict[str, Any]]]:
    """{page source path: the entries whose today's term it is}, in the glossary's order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for entry in entries(catalog):
        for ref in entry["pages"]:
            uri = page_uri(catalog, ref)
            if uri is not None:
                out.setdefault(uri, []).append(entry)
    return out


def _heading(entry: dict[str, Any]) -> str:
    # Every old word in the heading: search weighs heading words a thousand times the text's
    # (and by the heading's length, so keep the lists short).
    text = ", ".join(md_escape(w) for w in entry["old"])
    return text[:1].upper() + text[1:]


def _line(entry: dict[str, Any]) -> str:
    note = CONFIDENCE_NOTE.get(entry.get("confidence", "verified"), "")
    return f"{md_escape(entry['text'])}{note} *(Nguồn: {md_escape(entry['source'])})*"


def page_section(catalog: Catalog, uri: str) -> str:
    """The "Tên gọi cũ" section that ends the page ``uri`` ("" if no old word leads there)."""
    found = by_page(catalog).get(uri, [])
    if not found or uri == GLOSSARY:
        return ""
    lines = ["## Tên gọi cũ", ""]
    for entry in found:
        lines += [f"### {_heading(entry)}", "", _line(entry), ""]
    return "\n".join(lines)


def _link(catalog: Catalog, ref: str, here: str) -> str | None:
    uri = page_uri(catalog, ref)
    if uri is None or uri == here:
        return None
    if ref in catalog.groups:
        name = catalog.groups[ref]["short_name"]
    elif ref in catalog.procedures:
        name = catalog.procedures[ref]["short_name"]
    else:
        return None
    return f"[{md_escape(name)}]({uri})"


def glossary_section(catalog: Catalog, here: str = GLOSSARY) -> str:
    """The glossary's "Từ ngữ cũ" section (Markdown, links relative to ``here``)."""
    items = entries(catalog)
    if not items:
        return ""
    lines = [
        "## Từ ngữ cũ và tên gọi hiện nay",
        "",
        "Nhiều giấy tờ và cơ quan đã đổi tên. Dưới đây là các từ cũ vẫn hay được dùng, tên gọi "
        "hiện nay và thời điểm thay đổi. Ô tìm kiếm của trang hiểu cả các từ cũ này.",
        "",
    ]
    for entry in items:
        since = f" Thay đổi từ ngày {date_vi(entry['since'])}." if entry.get("since") else ""
        links = [x for x in (_link(catalog, r, here) for r in entry["pages"]) if x]
        see = f" Xem: {'; '.join(links)}." if links else ""
        lines += [
            f"### {_heading(entry)}",
            "",
            f"Nay là **{md_escape(entry['new'])}**.{since}{see} {_line(entry)}",
            "",
        ]
    return "\n".join(lines)


__all__ = [
    "GLOSSARY",
    "by_page",
    "entries",
    "glossary_section",
    "page_section",
    "page_uri",
]
