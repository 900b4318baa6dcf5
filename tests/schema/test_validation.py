"""lienthong.validate: the shared case file, exact messages, formats, rules."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

import lienthong
from lienthong.schema import formats, rules

CASES = json.loads(
    (Path(__file__).parent.parent / "cases" / "records.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['schema']}: {c['description']}" for c in CASES])
def test_case_file(case):
    got = [e["pointer"] for e in lienthong.validate(case["schema"], case["record"])]
    assert got == case["expected"]


def test_case_file_is_current():
    """records.json is generated; regenerate it when the examples change."""
    from tests.cases.make_cases import build

    assert build() == CASES


@pytest.mark.parametrize(
    "group", ["lien-thong-khai-sinh", "lien-thong-khai-tu", "khai-tu-xoa-thuong-tru"]
)
def test_every_example_is_valid(group):
    schema = json.loads(Path(f"schemas/{group}.schema.json").read_text(encoding="utf-8"))
    assert schema["examples"], "each group needs a complete example"
    for example in schema["examples"]:
        assert lienthong.validate(group, example) == []


def _example(group: str) -> dict:
    return json.loads(Path(f"schemas/{group}.schema.json").read_text(encoding="utf-8"))["examples"][
        0
    ]


def test_messages_are_vietnamese_and_name_the_field():
    record = _example("lien-thong-khai-sinh")
    del record["khai_sinh"]["child"]["full_name"]
    record["requester"]["phone"] = "0123"
    record["khai_sinh"]["child"]["dob"] = "2025-02-30"
    assert lienthong.validate("lien-thong-khai-sinh", record) == [
        {
            "pointer": "/khai_sinh/child/dob",
            "message": "Ngày, tháng, năm sinh của trẻ không phải là ngày hợp lệ (ví dụ 2025-08-15).",
        },
        {"pointer": "/khai_sinh/child/full_name", "message": "Chưa nhập Họ, chữ đệm, tên của trẻ."},
        {
            "pointer": "/requester/phone",
            "message": "Số điện thoại di động không hợp lệ: cần 10 chữ số, bắt đầu bằng đầu số của nhà mạng Việt Nam (ví dụ 09x, 03x, 08x, 07x, 05x).",
        },
    ]


def test_conditional_message_comes_from_the_condition():
    record = _example("lien-thong-khai-sinh")
    del record["khai_sinh"]["mother"]
    assert lienthong.validate("lien-thong-khai-sinh", record) == [
        {
            "pointer": "/khai_sinh/mother",
            "message": "Trường hợp khai sinh đã chọn cần thông tin người mẹ.",
        }
    ]


def test_unknown_field_message():
    record = _example("khai-tu-xoa-thuong-tru")
    record["khai_tu"]["deceased"]["quan_huyen"] = "Quận Đống Đa"
    assert lienthong.validate("khai-tu-xoa-thuong-tru", record) == [
        {
            "pointer": "/khai_tu/deceased/quan_huyen",
            "message": "Mục 'quan_huyen' không có trong mẫu tờ khai; hãy xóa mục này.",
        }
    ]


def test_not_an_object():
    [error] = lienthong.validate("lien-thong-khai-sinh", [])
    assert error["pointer"] == ""
    assert "đối tượng JSON" in error["message"]


def test_messages_are_nfc():
    record = _example("lien-thong-khai-sinh")
    record["requester"] = {}
    for error in lienthong.validate("lien-thong-khai-sinh", record):
        assert unicodedata.is_normalized("NFC", error["message"])


def test_unknown_schema_id():
    with pytest.raises(lienthong.errors.UnknownSchema, match="không có biểu mẫu 'khai-sinh-x'"):
        lienthong.validate("khai-sinh-x", {})


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("+84 912 345 678", "0912345678"),
        ("+84 (0) 912.345.678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("(091) 2345678", "0912345678"),
    ],
)
def test_normalize_phone(raw, normal):
    assert formats.normalize_phone(raw) == normal


@pytest.mark.parametrize(
    ("prefix", "valid"),
    [
        (p, True)
        for p in [
            "032",
            "039",
            "052",
            "059",
            "070",
            "076",
            "079",
            "081",
            "086",
            "089",
            "090",
            "091",
            "094",
            "096",
            "099",
        ]
    ]
    + [(p, False) for p in ["031", "050", "051", "071", "075", "080", "087", "095", "020", "010"]],
)
def test_mobile_prefixes(prefix, valid):
    assert formats.is_mobile_phone(prefix + "1234567") is valid


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("1950", (1950,)),
        ("1950-03", (1950, 3)),
        ("2024-02-29", (2024, 2, 29)),
        ("2023-02-29", None),
        ("1950-00", None),
        ("50", None),
        ("1799", None),
    ],
)
def test_partial_dates(value, parsed):
    assert formats.parse_partial_date(value) == parsed


def test_strict_dates_reject_other_iso_forms():
    for value in ["20240315", "2024-W11-5", "2024-03-15T00:00", " 2024-03-15", "２０２４-03-15"]:
        assert not formats.is_date(value)
    assert formats.is_date("2024-03-15")


def test_id_rule_centuries():
    def check(number, birth, gender=None):
        values = {"/id": number, "/birth": birth, "/gender": gender}
        return rules.id_matches_person(
            values.get, {"id": "/id", "birth": "/birth", "gender": "/gender"}
        )

    assert check("001095012345", "1995-01-01", "Nam") is True
    assert check("001195012345", "1995", "Nữ") is True
    assert check("001225012345", "2025-09-02", "Nam") is True
    assert check("001325012345", "2025-09-02", "Nữ") is True
    assert check("001325012345", "2025-09-02", "Nam") is False
    assert check("001425012345", "2125-01-01") is True
    assert check("001225012345", "1925-01-01") is False
    assert check("0012", "1925-01-01") is None


def test_date_order_uses_common_precision():
    def order(a, b):
        values = {"/a": a, "/b": b}
        return rules.date_order(values.get, {"earlier": "/a", "later": "/b"})

    assert order("1950", "1950-01-01") is True
    assert order("1950-02", "1950-01-31") is False
    assert order("2025-10-03", "2025-10-03") is True
    assert order(None, "2025-10-03") is None


def test_age_under_leap_day():
    def under(birth, on):
        values = {"/b": birth, "/o": on}
        return rules.age_under(values.get, {"birth": "/b", "on": "/o", "years": 6})

    assert under("2024-02-29", "2030-02-28") is True
    assert under("2024-02-29", "2030-03-01") is False


@pytest.mark.parametrize(
    "path, value",
    [
        (("requester", "personal_id"), "001195012345\n"),
        (("requester", "full_name"), "Trần Thị Mai\n"),
        (("khai_sinh", "child", "dob"), "2025-09-02\n"),
    ],
)
def test_a_final_newline_is_refused(path, value):
    # JSON Schema patterns are ECMA-262: "$" is the very end, not "before a final newline".
    record = _example("lien-thong-khai-sinh")
    node = record
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    pointers = [e["pointer"] for e in lienthong.validate("lien-thong-khai-sinh", record)]
    assert "/" + "/".join(path) in pointers


def test_ecma_anchors():
    from lienthong.schema.validation import ecma_anchors

    assert ecma_anchors("^[0-9]{12}$") == "^[0-9]{12}\\Z"
    assert ecma_anchors("^[$]x\\$$") == "^[$]x\\$\\Z"
    assert ecma_anchors("^[]$]|[^]$]$") == "^[]$]|[^]$]\\Z"
