"""generator/packs/speech.py: addresses, phone numbers, codes, dates and numbers as read aloud."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lienthong.packs import speech
from lienthong.schema.catalog import load_catalog
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (105, "một trăm linh năm"),
        (2024, "hai nghìn không trăm hai mươi tư"),
        (3321, "ba nghìn ba trăm hai mươi mốt"),
        (10000, "mười nghìn"),
        (120500, "một trăm hai mươi nghìn năm trăm"),
        (1000005, "một triệu không trăm linh năm"),
        (1050000, "một triệu không trăm năm mươi nghìn"),
        (10000000, "mười triệu"),
        (2000000000, "hai tỷ"),
    ],
)
def test_integer_in_words(n, words):
    assert speech.integer_in_words(n) == words


@pytest.mark.parametrize("bad", [-1, 10**12, 1.5, True, "12"])
def test_integer_in_words_refuses(bad):
    with pytest.raises(ValueError):
        speech.integer_in_words(bad)


@pytest.mark.parametrize(
    ("phone", "groups"),
    [
        ("0912 000 111", ["0912", "000", "111"]),
        ("1900.0368", ["1900", "0368"]),
        ("18001096", ["1800", "1096"]),
        ("0912345678", ["0912", "345", "678"]),
        ("02438231234", ["024", "3823", "1234"]),
        ("024 3823 1234", ["024", "3823", "1234"]),
        ("+84 912 345 678", ["0912", "345", "678"]),
        ("+84912345678", ["0912", "345", "678"]),
        ("0260.3958789", ["026", "0395", "8789"]),
        ("123456789", ["123", "456", "789"]),
    ],
)
def test_phone_groups(phone, groups):
    assert speech.phone_groups(phone) == groups
    assert all(len(g) <= 4 for g in speech.phone_groups(phone))


def test_phone_in_words():
    assert speech.phone_in_words("1900 0368") == "một chín không không, không ba sáu tám"
    assert (
        speech.phone_in_words("0912 000 111")
        == "không chín một hai, không không không, một một một"
    )


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://lienthong.dichvucong.gov.vn", "lienthong chấm dichvucong chấm gov chấm vn"),
        ("https://dichvucong.gov.vn/", "dichvucong chấm gov chấm vn"),
        ("http://www.dichvucong.gov.vn", "vê kép vê kép vê kép chấm dichvucong chấm gov chấm vn"),
        (
            "https://dichvucong.hanoi.gov.vn/tra-cuu",
            "dichvucong chấm hanoi chấm gov chấm vn gạch chéo tra gạch ngang cuu",
        ),
        ("https://x.vn/#/ke-khai/2.000986", None),
    ],
)
def test_url_in_words(url, words):
    said = speech.url_in_words(url)
    if words is not None:
        assert said == words
    assert not re.search(r"[0-9/:#.]", said)


def test_code_and_date_and_time():
    assert speech.code_in_words("CT01") == "CT không một"
    assert speech.code_in_words("G22.99.08-240725") == (
        "G hai hai chấm chín chín chấm không tám gạch ngang hai bốn không bảy hai năm"
    )
    assert speech.date_spoken(1, 7, 2025) == (
        "ngày mồng một tháng bảy năm hai nghìn không trăm hai mươi lăm"
    )
    assert speech.date_spoken(15, 4, 2024) == (
        "ngày mười lăm tháng tư năm hai nghìn không trăm hai mươi tư"
    )
    assert speech.time_spoken(8, 0) == "tám giờ"
    assert speech.time_spoken(13, 30) == "mười ba giờ ba mươi"
    with pytest.raises(ValueError):
        speech.date_spoken(1, 13, 2025)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            'Mở trang lienthong.dichvucong.gov.vn, chọn "TRA CỨU HỒ SƠ".',
            "Mở trang lienthong chấm dichvucong chấm gov chấm vn, chọn “TRA CỨU HỒ SƠ”.",
        ),
        ("Hồ sơ nhận sau 15 giờ.", "Hồ sơ nhận sau mười lăm giờ."),
        (
            "Từ ngày 01/7/2025 địa chỉ chỉ còn hai cấp.",
            "Từ ngày mồng một tháng bảy năm hai nghìn không trăm hai mươi lăm địa chỉ chỉ còn hai cấp.",
        ),
        ("tối đa 03 ngày làm việc", "tối đa ba ngày làm việc"),
        (
            "Nghị định 63/2024/NĐ-CP, Điều 7",
            "Nghị định số sáu mươi ba năm hai nghìn không trăm hai mươi tư của Chính phủ, Điều bảy",
        ),
        (
            "Mẫu số 2 Nghị định 176/2025",
            "Mẫu số hai Nghị định số một trăm bảy mươi sáu năm hai nghìn không trăm hai mươi lăm",
        ),
        ("thông tin cư trú (CT01) và", "thông tin cư trú, CT không một, và"),
        (
            "Sáng 8:00–12:00, chiều 13:30–17:00",
            "Sáng tám giờ đến mười hai giờ, chiều mười ba giờ ba mươi đến mười bảy giờ",
        ),
        ("gọi 1900 0368.", "gọi một chín không không, không ba sáu tám."),
        ("có 3.321 xã", "có ba nghìn ba trăm hai mươi mốt xã"),
        ("mã 1.001193.02", "mã một chấm không không một một chín ba chấm không hai"),
        ("thẻ BHYT của trẻ", "thẻ bảo hiểm y tế của trẻ"),
        ("ghi 0 nếu không cần", "ghi số không nếu không cần"),
        ("công chức tư pháp - hộ tịch", "công chức tư pháp, hộ tịch"),
        ("email a.b@x.gov.vn.", "email a chấm b a còng x chấm gov chấm vn."),
    ],
)
def test_speakable(text, said):
    assert speech.speakable(text) == said


def _assert_readable(said: str) -> None:
    assert not re.search(r"\d", said), said
    assert not (set(said) & speech.FORBIDDEN), said
    assert "http" not in said and "www." not in said
    assert unicodedata.is_normalized("NFC", said)


def test_every_schema_sentence_reads_aloud():
    """Every text of the groups that the loudspeaker article may read comes out speakable."""
    catalog = load_catalog(ROOT / "schemas")
    for group in catalog.groups.values():
        texts = [group["name"], group["summary"]]
        texts += [
            f["text"]
            for key in ("audience", "benefits", "warnings", "processing_time")
            for f in group[key]
        ]
        for step in group["steps"]:
            texts += [step["title"], step["text"], *step.get("tips", [])]
        for way in group["lookup"]:
            texts += [way["name"], *way["needs"], *way["steps"]]
        for text in texts:
            _assert_readable(speech.speakable(text))


_PIECES = ["http://", "https://", "www.", ".gov.vn", ".vn", "NĐ-CP", "–", "→", "\u0661"]
_ALPHABET = st.sampled_from(
    [*"0123456789 ./:-()\"'%+@#|*_=,;aăâbcdđeêhklmnoôơpqrstuưvxyAĐZ", *_PIECES]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_speakable_never_leaves_a_digit_or_symbol(text):
    _assert_readable(speech.speakable(text))
