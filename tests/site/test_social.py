"""Link previews (issue 15, item 1): every page has its own Open Graph and Twitter tags."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

import pytest

from lienthong.site import social
from tests.conftest import BuiltSite

SITE_URL = "https://lienthong-ba-dinh.github.io/"


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.canonical: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta.setdefault(a.get("property") or a.get("name"), []).append(a.get("content"))
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")


def head(path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def mkdocs_pages(built_site: BuiltSite) -> list[str]:
    """MkDocs' pages; the offline forms (bieu-mau/) have their own test below, and the
    pack's index pages (goi-tai-lieu/) no preview yet."""
    return [
        p
        for p in built_site.html_pages()
        if p != "404.html" and not p.startswith(("goi-tai-lieu/", "bieu-mau/"))
    ]


def test_every_page_has_its_own_preview(built_site: BuiltSite) -> None:
    pages = mkdocs_pages(built_site)
    assert len(pages) >= 15
    descriptions = {}
    for page in pages:
        h = head(built_site.root / page)
        for key in ("og:title", "og:description", "og:site_name", "og:url", "twitter:card"):
            assert len(h.meta.get(key, [])) == 1, f"{page}: {key} {h.meta.get(key)}"
        assert h.meta["og:locale"] == ["vi_VN"], page
        assert h.meta["og:url"][0] == h.canonical, page
        assert h.canonical.startswith(SITE_URL), page
        text = h.meta["og:description"][0]
        assert 20 <= len(text) <= social.DESCRIPTION_MAX, f"{page}: {text!r}"
        assert unicodedata.is_normalized("NFC", text)
        assert h.meta["description"] == [text], page  # Material's own tag says the same
        descriptions[page] = text
    # Not the one site-wide description: nearly every page says something of its own.
    assert len(set(descriptions.values())) >= 0.9 * len(descriptions), descriptions


def test_a_procedure_page_is_described_by_its_own_words(built_site: BuiltSite) -> None:
    h = head(built_site.root / "lien-thong-khai-sinh.html")
    assert "khai sinh" in h.meta["og:description"][0].lower()
    assert h.meta["og:title"][0] != h.meta["og:site_name"][0]


def test_first_paragraph_skips_labels_and_code() -> None:
    content = (
        '<div class="admonition"><p class="admonition-title">Lưu ý</p>'
        "<p>Ngắn</p></div>"
        "<p>Cha mẹ <strong>đăng ký khai sinh</strong> cho con <code>x</code> trong 60 ngày"
        "<sup>1</sup>.</p><p>Đoạn sau.</p>"
    )
    assert social.first_paragraph(content) == "Cha mẹ đăng ký khai sinh cho con trong 60 ngày."


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Một hai ba", 20, "Một hai ba"),
        ("Một hai ba bốn năm sáu", 12, "Một hai ba…"),
        ("Dài, ngắn, vừa", 10, "Dài…"),
        ("Tie\u0302\u0301ng Việt", 50, "Tiếng Việt"),
    ],
)
def test_shorten_cuts_at_a_word(text, limit, expected) -> None:
    got = social.shorten(text, limit)
    assert got == expected and len(got) <= limit


def test_tags_are_escaped_and_skip_what_is_missing() -> None:
    meta = social.tags(title='"><script>x</script>', site_name="Xã", description="Mô tả", url=None)
    assert "<script>" not in meta and "&quot;&gt;&lt;script&gt;" in meta
    assert "og:url" not in meta
    assert (
        social.with_tags("<html><head><title>t</title></head></html>", meta).count("og:title") == 1
    )
    assert social.with_tags("<p>no head</p>", meta) == "<p>no head</p>"


@pytest.mark.parametrize("group", ["lien-thong-khai-sinh", "lien-thong-khai-tu"])
def test_offline_forms_have_a_preview_with_their_own_address(built_site: BuiltSite, group) -> None:
    for path, address in (
        (f"bieu-mau/{group}.html", f"{SITE_URL}bieu-mau/{group}.html"),
        (f"bieu-mau/{group}/index.html", f"{SITE_URL}bieu-mau/{group}/index.html"),
    ):
        h = head(built_site.root / path)
        assert h.meta["og:url"] == [address], path
        assert h.meta["og:title"][0].startswith("Điền tờ khai: "), path
        assert h.meta["og:locale"] == ["vi_VN"], path
        assert len(h.meta["og:description"][0]) <= social.DESCRIPTION_MAX


def test_every_preview_image_is_1200_by_630_and_its_code_opens_the_page(
    built_site: BuiltSite,
) -> None:
    import shutil
    import subprocess

    from PIL import Image

    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg is missing (apt-get install zbar-tools)")
    for page in mkdocs_pages(built_site):
        h = head(built_site.root / page)
        (image,) = h.meta["og:image"]
        assert image.startswith(SITE_URL) and h.meta["twitter:image"] == [image], page
        assert h.meta["twitter:card"] == ["summary_large_image"], page
        assert "mã QR" in h.meta["og:image:alt"][0], page
        path = built_site.root / image.removeprefix(SITE_URL)
        with Image.open(path) as png:
            assert png.format == "PNG" and png.size == (1200, 630), page
        decoded = subprocess.run(
            ["zbarimg", "-q", "--raw", str(path)], capture_output=True, text=True, check=True
        ).stdout.strip()
        assert decoded == h.meta["og:url"][0], page


def test_group_pages_cards_carry_the_groups_colour(built_site: BuiltSite) -> None:
    from PIL import Image

    from lienthong.schema.catalog import load_catalog
    from lienthong.site import cards
    from tests.conftest import ROOT

    catalog = load_catalog(ROOT / "schemas")
    seen = set()
    for gid, group in catalog.groups.items():
        h = head(built_site.root / f"{gid}.html")
        path = built_site.root / h.meta["og:image"][0].removeprefix(SITE_URL)
        colour = group["post"]["colour"]
        with Image.open(path) as png:
            assert png.convert("RGB").getpixel((600, 10)) == tuple(
                int(colour[i : i + 2], 16) for i in (1, 3, 5)
            ), gid
        seen.add(colour)
    assert len(seen) == 3
    home = head(built_site.root / "index.html")
    with Image.open(built_site.root / home.meta["og:image"][0].removeprefix(SITE_URL)) as png:
        assert png.convert("RGB").getpixel((600, 10)) == (0x28, 0x35, 0x93)
    assert cards.page_colour(catalog, "thu-tuc/khai-tu.md") == cards.BAND  # in two groups


def test_cards_fit_their_title_and_come_from_the_cache(tmp_path) -> None:
    from lienthong.site import cards

    size, lines = cards.title_layout("Khai sinh")
    assert size == cards.TITLE_SIZES[0] and lines == ["Khai sinh"]
    long = "Khai tử, xóa thường trú, chế độ mai táng và trợ cấp tuất " * 4
    size, lines = cards.title_layout(long)
    assert size >= 40 and len(lines) == 4 and lines[-1].endswith("…")
    font = cards._font(size, True)
    assert all(font.getlength(line) <= cards.TITLE_WIDTH for line in lines)
    first = cards.card("Khai sinh", "Phường Ba Đình", "https://x.invalid/a.html", tmp_path)
    (cached,) = tmp_path.glob("*.png")
    cached.write_bytes(b"from the cache")
    again = cards.card("Khai sinh", "Phường Ba Đình", "https://x.invalid/a.html", tmp_path)
    assert again == b"from the cache" and first.startswith(b"\x89PNG")
    assert cards.draw("Khai sinh", "Phường Ba Đình", "https://x.invalid/a.html") == first


def test_pack_posts_link_to_pages_of_the_built_site(built_site: BuiltSite) -> None:
    """bai-dang.txt of the site's own pack: its one link is a page that the build made."""
    from lienthong.packs import pictures

    posts = sorted((built_site.root / "goi-tai-lieu" / pictures.FOLDER).glob("*/bai-dang.txt"))
    assert len(posts) == 3
    for post in posts:
        links = re.findall(r"https?://\S+", post.read_text(encoding="utf-8"))
        assert len(links) == 1 and links[0].startswith(SITE_URL), post
        target = built_site.root / links[0].removeprefix(SITE_URL)
        if links[0].endswith("/"):
            target = target / "index.html"
        assert target.is_file(), links[0]
        assert post.parent.name in target.read_text(encoding="utf-8")


def test_the_site_pack_page_has_a_preview_with_its_square_picture(built_site: BuiltSite) -> None:
    import shutil
    import subprocess

    from PIL import Image

    h = head(built_site.root / "goi-tai-lieu" / "index.html")
    assert h.meta["og:url"] == [f"{SITE_URL}goi-tai-lieu/"]
    assert h.meta["og:title"][0].startswith("Gói tài liệu dịch vụ công liên thông: ")
    (image,) = h.meta["og:image"]
    assert h.meta["og:image:width"] == ["1080"] and h.meta["og:image:height"] == ["1080"]
    assert "Ảnh hướng dẫn" in h.meta["og:image:alt"][0]
    path = built_site.root / image.removeprefix(SITE_URL)
    with Image.open(path) as png:
        assert png.size == (1080, 1080)
    if shutil.which("zbarimg"):
        decoded = subprocess.run(
            ["zbarimg", "-q", "--raw", str(path)], capture_output=True, text=True, check=True
        ).stdout.strip()
        assert decoded == f"{SITE_URL}lien-thong-khai-sinh.html"
