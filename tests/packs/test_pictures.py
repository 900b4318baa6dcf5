"""Pictures and posts for social media (generator/packs/pictures.py): sizes, codes read back
with zbar, legibility from the layout, posts within 600 characters, alt texts.

The packs themselves are the runs of tests/packs/runs.py (a province's national edition, the
site's publisher with a site address), made once for both modules.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pytest
from PIL import Image

from lienthong.packs import pack, pictures
from lienthong.packs.communes import _units, make_commune
from lienthong.printing import records
from tests.packs.runs import BLANK, FILLED, SITE
from tests.packs.test_pack import pack_dir

needs_zbar = pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools (make system)")

GROUPS = ("lien-thong-khai-sinh", "lien-thong-khai-tu", "khai-tu-xoa-thuong-tru")
LONG = {  # the longest values a publisher's settings file lets through, and then some
    "officer_name": "Tôn Nữ Thị Hoàng Phương Khánh Huyền Ngọc Diệp " * 2,
    "officer_phone": "0912 345 678 999",
    "hotline": "Đường dây nóng của Ủy ban nhân dân phường, gọi giờ hành chính " * 3,
}


def zbar(path: Path) -> list[str]:
    out = subprocess.run(["zbarimg", "-q", "--raw", str(path)], capture_output=True, text=True)
    return out.stdout.split()


def group_folder(root: Path, gid: str) -> Path:
    return root / pictures.FOLDER / gid


# -- what each pack holds ----------------------------------------------------------------------


@needs_zbar
@pytest.mark.parametrize("code", [FILLED, BLANK])
def test_every_group_has_two_pictures_a_post_and_an_alt_text(national, catalog, code):
    folder = pack_dir(national, code)
    commune = make_commune(code).view()
    for gid in GROUPS:
        where = group_folder(folder, gid)
        target = pack.targets(catalog)[f"nhom-{gid}"]
        for kind, name in pictures.FILES.items():
            with Image.open(where / name) as image:
                image.verify()  # chunk CRCs
            with Image.open(where / name) as image:
                assert image.size == pictures.SIZES[kind]
                image.load()  # the zlib stream, its checksum included
            assert zbar(where / name) == [target.url]
        post = (where / pictures.POST_FILE).read_text(encoding="utf-8")
        assert target.url in post
        assert commune["name_lower"] in post
        alt = (where / pictures.ALT_FILE).read_text(encoding="utf-8").strip()
        assert catalog.groups[gid]["post"]["headline"] in alt
        assert commune["name_lower"] in alt


def test_the_filled_communes_phone_is_on_its_pictures_and_post(national):
    folder = pack_dir(national, FILLED)
    post = (group_folder(folder, pack.BIRTH) / pictures.POST_FILE).read_text(encoding="utf-8")
    assert "0912 000 201" in post
    alt = (group_folder(folder, pack.BIRTH) / pictures.ALT_FILE).read_text(encoding="utf-8")
    assert "Điện thoại hỗ trợ: 0912 000 201" in alt
    blank = pack_dir(national, BLANK)
    alt = (group_folder(blank, pack.BIRTH) / pictures.ALT_FILE).read_text(encoding="utf-8")
    assert "Hỏi thêm tại bộ phận một cửa" in alt


@needs_zbar
def test_site_pack_pictures_lead_to_the_group_pages(site_pack, catalog):
    for gid in GROUPS:
        url = SITE + records.group_page(gid, False)
        for name in pictures.FILES.values():
            assert zbar(group_folder(site_pack, gid) / name) == [url]
        post = (group_folder(site_pack, gid) / pictures.POST_FILE).read_text(encoding="utf-8")
        assert url in post


def test_site_pack_lists_every_file(site_pack, catalog):
    from lienthong.inputs.settings import publisher
    from tests.conftest import ROOT

    pub, _ = publisher(ROOT / "mkdocs.yml")
    listed = set(pack.site_pack_files(catalog, pub, SITE, False))
    for path in pack.post_files(catalog):
        assert path in listed
        assert (site_pack / path).is_file()


def test_index_page_shows_the_pictures_with_their_alt_text(site_pack):
    page = (site_pack / pack.INDEX_FILE).read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', page)
    assert len(images) == len(GROUPS)
    for src, alt in images:
        folder = (site_pack / src).parent
        assert (site_pack / src).is_file()
        assert html.unescape(alt) == (folder / pictures.ALT_FILE).read_text("utf-8").strip()
    # The advice to paste the description in the apps' alt-text field.
    assert "Văn bản thay thế" in page and pictures.ALT_FILE in page


# -- posts --------------------------------------------------------------------------------------


def _posts_of(view: dict, catalog) -> list[str]:
    targets = pack.targets(catalog, SITE)
    return [
        pictures.post_text(catalog.groups[gid]["post"], view, targets[f"nhom-{gid}"].url)
        for gid in GROUPS
    ]


def test_posts_are_plain_nfc_text_within_600_characters_for_every_commune(catalog):
    """All 3,321 communes, without settings and with the longest settings."""
    communes = list(_units()[1])
    assert len(communes) == 3321
    longest = 0
    for code in communes:
        for settings in (None, LONG):
            for text in _posts_of(make_commune(code, settings).view(), catalog):
                body = text.rstrip("\n")
                longest = max(longest, len(body))
                assert len(body) <= pictures.POST_MAX, (code, text)
                assert unicodedata.is_normalized("NFC", text)
                assert not re.search(r"\*\*|__|^#|\]\(|^>", text, re.M), text  # no Markdown
                assert SITE in text
    assert longest > 400  # the posts say something: the bound is not met by saying nothing


def test_a_post_drops_its_closing_before_its_link_or_phone(catalog):
    post = dict(catalog.groups[pack.BIRTH]["post"])
    post["closing"] = "x" * 120
    post["headline"] = "Tiêu đề " * 12
    view = make_commune(FILLED, {**LONG, "officer_phone": "0912 000 201"}).view()
    text = pictures.post_text(post, view, SITE + "trang-rat-dai/" * 4)
    assert len(text.rstrip("\n")) <= pictures.POST_MAX
    assert "x" * 120 not in text
    assert SITE + "trang-rat-dai/" * 4 in text
    assert "0912 000 201" in text


# -- legibility, from the layout -----------------------------------------------------------------


@pytest.mark.parametrize("kind", list(pictures.SIZES))
@pytest.mark.parametrize("gid", GROUPS)
def test_the_layout_is_legible_and_nothing_overflows(catalog, gid, kind):
    display = pack.targets(catalog, SITE)[f"nhom-{gid}"].display
    layout = pictures.top_layout(kind, catalog.groups[gid]["post"], display)
    headline, *rest = layout.boxes
    assert headline.size >= 40
    assert all(box.size >= 22 for box in rest)
    steps = [b for b in rest if b.fill == "ink" and len(b.lines) and b.size >= 30]
    assert steps and all(b.size >= 30 for b in steps)
    width, height = pictures.SIZES[kind]
    for box in layout.boxes:
        assert not box.overflows(), box
        assert not box.lines[-1].endswith("…"), box  # the schema's words fit without a cut
        left, top, right, bottom = box.frame
        assert 0 <= left < right <= width and 0 <= top < bottom <= height - pictures.STRIP
    left, top, side = layout.code
    assert left + side <= width and top + side <= height - pictures.STRIP
    assert side >= 300  # about 28 % of the picture: a phone scans it from a screen


def test_strips_fit_for_every_commune(catalog):
    for code in _units()[1]:
        for settings in (None, {"officer_phone": "0912 345 678"}, LONG):
            for box in pictures.strip_layout(make_commune(code, settings).view()):
                assert not box.overflows(), (code, box)
                assert box.size >= 28
                assert box.frame[3] <= pictures.STRIP


# -- the assembled PNG -----------------------------------------------------------------------


def test_a_picture_is_its_shared_part_then_the_communes_strip(catalog):
    post = catalog.groups[pack.DEATH]["post"]
    top = pictures.draw_top("vuong", post, SITE, SITE)
    strip = pictures.draw_strip(make_commune(FILLED, LONG).view())
    data = pictures.png(top, strip)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, at = {}, 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks[kind] = body
        at += 12 + length
    raw = zlib.decompress(chunks[b"IDAT"])  # checks the stream's adler-32
    assert raw.endswith(strip.raw)
    row = 1 + (pictures.WIDTH * pictures.DEPTH + 7) // 8
    assert len(raw) == row * pictures.SIZES["vuong"][1]
    image = Image.open(io.BytesIO(data)).convert("RGB")
    colour = tuple(int(post["colour"][i : i + 2], 16) for i in (1, 3, 5))
    assert image.getpixel((5, 5)) == colour  # the band, in the group's colour
    assert image.getpixel((5, 600)) == (255, 255, 255)  # the page, pure white
    assert image.getpixel((5, 1075)) == (255, 255, 255)  # the strip


def test_shared_parts_round_trip_through_the_cache(catalog):
    top = pictures.draw_top("doc", catalog.groups[pack.BIRTH]["post"], SITE, SITE)
    assert pictures.Top.from_bytes(top.to_bytes()) == top


def test_same_input_same_bytes(catalog):
    post = catalog.groups[pack.BIRTH]["post"]
    view = make_commune(BLANK).view()
    one = pictures.png(pictures.draw_top("doc", post, SITE, SITE), pictures.draw_strip(view))
    two = pictures.png(pictures.draw_top("doc", post, SITE, SITE), pictures.draw_strip(view))
    assert one == two
