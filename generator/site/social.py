"""Link previews: the Open Graph and Twitter card tags of every page (issue 15, item 1).

Communes share pages in Zalo and Facebook groups, which show a link as a card built from
these tags. Each page gets its own title and description: the description is the page's
first paragraph (or a summary the page sets in its front matter), cut at a word to fit a
card, never the one site-wide description. ``og:url`` needs an absolute address, so it is
left out, with one warning per build, when ``site_url`` is not set.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

DESCRIPTION_MAX = 200  # Facebook and Zalo show about two lines of a card's description
LOCALE = "vi_VN"


class _FirstParagraph(HTMLParser):
    """The text of the first ``<p>`` of a page's content that holds words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <p>
        self.skip = 0  # inside something whose text is no prose (admonition title, code)
        self.parts: list[str] = []
        self.found: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is not None:
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag == "p" and "admonition-title" not in classes:
            self.depth += 1
        elif self.depth and tag in ("code", "script", "style", "sup"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self.found is not None:
            return
        if self.depth and tag in ("code", "script", "style", "sup") and self.skip:
            self.skip -= 1
        elif tag == "p" and self.depth:
            self.depth -= 1
            text = " ".join("".join(self.parts).split())
            self.parts = []
            if len(text) >= 20:  # a label or a lone link is no description
                self.found = text

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip and self.found is None:
            self.parts.append(data)


def first_paragraph(content_html: str) -> str | None:
    """The first paragraph of a page's HTML content as plain text, or None."""
    parser = _FirstParagraph()
    parser.feed(content_html)
    parser.close()
    return parser.found


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """``text`` cut at a word so that it fits ``limit`` characters, with an ellipsis."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–-") + "…"


def description(content_html: str, summary: str | None, fallback: str) -> str:
    """What a card says under the title: the page's own summary, else its first paragraph,
    else the site's description."""
    for text in (summary, first_paragraph(content_html), fallback):
        if isinstance(text, str) and text.strip():
            return shorten(text)
    return ""


def image_alt(title: str, place: str) -> str:
    """The preview image's description, for readers who cannot see it."""
    where = f" của {place}" if place else ""
    return f"Ảnh giới thiệu trang “{title}”{where}, kèm mã QR mở trang này."


def tags(
    *,
    title: str,
    site_name: str,
    description: str,
    url: str | None,
    kind: str = "article",
    image: str | None = None,
    image_alt: str | None = None,
    image_size: tuple[int, int] = (1200, 630),
) -> str:
    """The ``<meta>`` elements of one page's link preview, escaped, one per line."""
    pairs = [
        ("property", "og:type", kind),
        ("property", "og:site_name", site_name),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:locale", LOCALE),
    ]
    if url:
        pairs.append(("property", "og:url", url))
    if image:
        pairs += [
            ("property", "og:image", image),
            ("property", "og:image:type", "image/png"),
            ("property", "og:image:width", str(image_size[0])),
            ("property", "og:image:height", str(image_size[1])),
            ("property", "og:image:alt", image_alt or title),
        ]
    pairs += [
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    if image:
        pairs += [
            ("name", "twitter:image", image),
            ("name", "twitter:image:alt", image_alt or title),
        ]
    return "\n".join(
        f'<meta {attr}="{key}" content="{html.escape(unicodedata.normalize("NFC", value))}">'
        for attr, key, value in pairs
        if value
    )


_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


def with_tags(page_html: str, meta: str) -> str:
    """``page_html`` with ``meta`` at the end of its head (unchanged when it has none)."""
    match = _HEAD_END.search(page_html)
    if match is None:
        return page_html
    return page_html[: match.start()] + meta + "\n" + page_html[match.start() :]
