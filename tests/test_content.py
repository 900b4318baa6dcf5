"""User-facing text: written fresh (not copied from the seed documents), NFC."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from lienthong.inputs.settings import publisher
from lienthong.schema.catalog import load_catalog
from lienthong.site import pages

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
RUN = 10  # words in a row that count as copying
# Official names and labels users must recognise may be quoted verbatim.
ALLOWED = [
    "liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
    "đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
    "đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi",
    "đăng ký thường trú, cấp thẻ bảo hiểm y tế",
    "cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
    "cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi",
    "thủ tục liên thông về đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất (trợ cấp tuất và trợ cấp mai táng)/hỗ trợ chi phí mai táng/hưởng mai táng phí",
    "đăng ký khai tử, xóa đăng ký thường trú",
    "dịch vụ công liên thông: khai sinh, khai tử",
    "tài khoản định danh điện tử vneid mức độ 2",
    "tài khoản định danh điện tử cấp bởi bộ công an",  # the portal's login button
    "tài khoản định danh điện tử mức độ 2",
    "hệ thống thông tin giải quyết thủ tục hành chính",
    "hệ thống thông tin quản lý hộ tịch",
    # column headers of the portal's look-up table
    "mã hồ sơ, đơn, trạng thái, ngày tiếp nhận, ngày hẹn trả",
]


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).lower()
    return re.findall(r"\w+", text)


def shingles(text: str) -> set[tuple[str, ...]]:
    """Runs of RUN words, not crossing an official phrase (cut out first)."""
    joined = " ".join(words(text))
    for phrase in ALLOWED:
        joined = joined.replace(" ".join(words(phrase)), "|")
    found = set()
    for segment in joined.split("|"):
        w = segment.split()
        found |= {tuple(w[i : i + RUN]) for i in range(len(w) - RUN + 1)}
    return found


@pytest.fixture(scope="module")
def seed_shingles():
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    found: set[tuple[str, ...]] = set()
    for path in SEEDS.glob("*.txt"):
        found |= shingles(path.read_text(encoding="utf-8"))
    return found


def user_texts():
    catalog = load_catalog(ROOT / "schemas")
    rendered = pages.render_pages(catalog, publisher(ROOT / "mkdocs.yml")[0])
    yield from (("generated/" + k, v) for k, v in rendered.items())
    for path in sorted((ROOT / "docs").rglob("*.md")):
        yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "text"),
    list(user_texts()),
    ids=lambda v: v if isinstance(v, str) and len(v) < 60 else "",
)
def test_not_copied_from_seeds(name, text, seed_shingles):
    copied = shingles(text) & seed_shingles
    assert not copied, f"{name} repeats seed wording: " + " | ".join(
        " ".join(s) for s in list(copied)[:3]
    )


@pytest.mark.parametrize(
    ("name", "text"),
    list(user_texts()),
    ids=lambda v: v if isinstance(v, str) and len(v) < 60 else "",
)
def test_text_is_nfc(name, text):
    assert unicodedata.is_normalized("NFC", text), name
