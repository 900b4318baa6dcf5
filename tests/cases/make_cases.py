"""Regenerate records.json: each case mutates a group's example record.

Run ``python tests/cases/make_cases.py`` after changing the schemas' examples,
then review the diff: ``expected`` lists the pointers both validators must
report (the Python test and the browser test read the same file).
"""

from __future__ import annotations

import copy
import json
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("records.json")


def example(group: str) -> dict:
    schema = json.loads((ROOT / "schemas" / f"{group}.schema.json").read_text(encoding="utf-8"))
    return schema["examples"][0]


def setp(record: dict, pointer: str, value) -> None:
    *parents, last = pointer.strip("/").split("/")
    node = record
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value


DELETE = object()

# (description, group, [(pointer, value)], expected pointers)
MUTATIONS = [
    ("ví dụ hợp lệ", "lien-thong-khai-sinh", [], []),
    ("ví dụ hợp lệ", "lien-thong-khai-tu", [], []),
    ("ví dụ hợp lệ", "khai-tu-xoa-thuong-tru", [], []),
    (
        "thiếu họ tên trẻ",
        "lien-thong-khai-sinh",
        [("/khai_sinh/child/full_name", DELETE)],
        ["/khai_sinh/child/full_name"],
    ),
    (
        "họ tên có chữ số",
        "lien-thong-khai-sinh",
        [("/khai_sinh/child/full_name", "Nguyễn Văn 2")],
        ["/khai_sinh/child/full_name"],
    ),
    (
        "họ tên bắt đầu bằng dấu cách",
        "lien-thong-khai-sinh",
        [("/requester/full_name", " Trần Mai")],
        ["/requester/full_name"],
    ),
    (
        "ngày sinh sai lịch",
        "lien-thong-khai-sinh",
        [("/khai_sinh/child/dob", "2025-02-30")],
        ["/khai_sinh/child/dob"],
    ),
    (
        "ngày sinh dạng dd/mm/yyyy",
        "lien-thong-khai-sinh",
        [("/khai_sinh/child/dob", "02/09/2025")],
        ["/khai_sinh/child/dob"],
    ),
    (
        "trẻ sinh sau ngày khai",
        "lien-thong-khai-sinh",
        [("/khai_sinh/child/dob", "2025-09-21")],
        ["/khai_sinh/child/dob"],
    ),
    (
        "đúng hạn nhưng quá 60 ngày",
        "lien-thong-khai-sinh",
        [("/filing_date", "2025-11-02")],
        ["/khai_sinh/registration_type"],
    ),
    ("đúng ngày thứ 60 vẫn đúng hạn", "lien-thong-khai-sinh", [("/filing_date", "2025-11-01")], []),
    (
        "quá hạn nhưng còn trong 60 ngày",
        "lien-thong-khai-sinh",
        [("/khai_sinh/registration_type", "qua-han")],
        ["/khai_sinh/registration_type"],
    ),
    (
        "trẻ đủ 6 tuổi",
        "lien-thong-khai-sinh",
        [("/khai_sinh/registration_type", "qua-han"), ("/filing_date", "2031-09-02")],
        ["/khai_sinh/child/dob"],
    ),
    (
        "trẻ 6 tuổi thiếu 1 ngày",
        "lien-thong-khai-sinh",
        [("/khai_sinh/registration_type", "qua-han"), ("/filing_date", "2031-09-01")],
        [],
    ),
    (
        "CCCD sai mã tỉnh",
        "lien-thong-khai-sinh",
        [("/requester/personal_id", "003195012345")],
        ["/requester/personal_id"],
    ),
    (
        "CCCD 11 số",
        "lien-thong-khai-sinh",
        [("/requester/personal_id", "00119501234")],
        ["/requester/personal_id"],
    ),
    (
        "CCCD sai giới tính",
        "lien-thong-khai-sinh",
        [("/requester/personal_id", "001095012345")],
        ["/requester/personal_id"],
    ),
    (
        "CCCD sai năm sinh",
        "lien-thong-khai-sinh",
        [("/requester/personal_id", "001196012345")],
        ["/requester/personal_id"],
    ),
    (
        "CCCD thế kỷ 21 cho người sinh 1995",
        "lien-thong-khai-sinh",
        [("/requester/personal_id", "001395012345")],
        ["/requester/personal_id"],
    ),
    (
        "số thẻ căn cước khác số định danh hợp lệ",
        "lien-thong-khai-sinh",
        [("/requester/id_document/number", "12345")],
        ["/requester/id_document/number"],
    ),
    (
        "hộ chiếu được dùng chữ và số",
        "lien-thong-khai-sinh",
        [
            ("/requester/id_document/type", "ho-chieu"),
            ("/requester/id_document/number", "C1234567"),
        ],
        [],
    ),
    (
        "điện thoại +84 có dấu cách",
        "lien-thong-khai-sinh",
        [("/requester/phone", "+84 912 345 678")],
        [],
    ),
    ("điện thoại có dấu chấm", "lien-thong-khai-sinh", [("/requester/phone", "0912.345.678")], []),
    (
        "điện thoại 11 số cũ",
        "lien-thong-khai-sinh",
        [("/requester/phone", "01662345678")],
        ["/requester/phone"],
    ),
    (
        "điện thoại cố định",
        "lien-thong-khai-sinh",
        [("/requester/phone", "02438231234")],
        ["/requester/phone"],
    ),
    (
        "đầu số không có nhà mạng",
        "lien-thong-khai-sinh",
        [("/requester/phone", "0201234567")],
        ["/requester/phone"],
    ),
    (
        "thư điện tử sai",
        "lien-thong-khai-sinh",
        [("/requester/email", "mai@@example")],
        ["/requester/email"],
    ),
    (
        "xã không thuộc tỉnh",
        "lien-thong-khai-sinh",
        [("/thuong_tru/address/commune", "26740")],
        ["/thuong_tru/address/commune"],
    ),
    (
        "mã xã không tồn tại",
        "lien-thong-khai-sinh",
        [("/thuong_tru/address/commune", "99999")],
        ["/thuong_tru/address/commune"],
    ),
    (
        "mã tỉnh cũ trước 2025",
        "lien-thong-khai-sinh",
        [("/thuong_tru/address/province", "02")],
        ["/thuong_tru/address/province"],
    ),
    (
        "địa chỉ có quận huyện",
        "lien-thong-khai-sinh",
        [("/thuong_tru/address/district", "Quận Ba Đình")],
        ["/thuong_tru/address/district"],
    ),
    (
        "thiếu mẹ khi đã xác định cả cha lẫn mẹ",
        "lien-thong-khai-sinh",
        [("/khai_sinh/mother", DELETE)],
        ["/khai_sinh/mother"],
    ),
    (
        "chưa xác định cha thì không cần cha",
        "lien-thong-khai-sinh",
        [("/khai_sinh/parents_case", "chua-xac-dinh-cha"), ("/khai_sinh/father", DELETE)],
        [],
    ),
    (
        "cha không có số định danh phải khai dân tộc, quốc tịch, nơi cư trú",
        "lien-thong-khai-sinh",
        [("/khai_sinh/father/personal_id", DELETE)],
        [
            "/khai_sinh/father/ethnicity",
            "/khai_sinh/father/nationality",
            "/khai_sinh/father/residence",
        ],
    ),
    (
        "mẹ sinh sau con",
        "lien-thong-khai-sinh",
        [("/khai_sinh/mother/dob", "2026")],
        ["/khai_sinh/mother/dob"],
    ),
    (
        "sinh ở cơ sở y tế thiếu tên",
        "lien-thong-khai-sinh",
        [("/khai_sinh/child/birthplace/facility", DELETE)],
        ["/khai_sinh/child/birthplace/facility"],
    ),
    (
        "đề nghị bản sao thiếu số lượng",
        "lien-thong-khai-sinh",
        [("/khai_sinh/copies/count", DELETE)],
        ["/khai_sinh/copies/count"],
    ),
    (
        "số bản sao 0",
        "lien-thong-khai-sinh",
        [("/khai_sinh/copies/count", 0)],
        ["/khai_sinh/copies/count"],
    ),
    (
        "số bản sao là chữ",
        "lien-thong-khai-sinh",
        [("/khai_sinh/copies/count", "2")],
        ["/khai_sinh/copies/count"],
    ),
    (
        "dân tộc không có trong danh mục",
        "lien-thong-khai-sinh",
        [("/khai_sinh/child/ethnicity", "Kinh tế")],
        ["/khai_sinh/child/ethnicity"],
    ),
    (
        "người đi khai sinh là vợ",
        "lien-thong-khai-sinh",
        [("/requester/relationship", "vo")],
        ["/requester/relationship"],
    ),
    (
        "bưu chính thiếu địa chỉ",
        "lien-thong-khai-sinh",
        [("/delivery/method", "buu-chinh")],
        ["/delivery/address"],
    ),
    (
        "cha mẹ không là chủ sở hữu thiếu chủ sở hữu",
        "lien-thong-khai-sinh",
        [("/thuong_tru/case", "cha-me-khong-chu-so-huu")],
        ["/thuong_tru/owner"],
    ),
    ("mục lạ ở gốc", "lien-thong-khai-sinh", [("/ghi_chu", "x")], ["/ghi_chu"]),
    (
        "ký tự điều khiển trong địa chỉ",
        "lien-thong-khai-sinh",
        [("/requester/residence/detail", "Số 12\u0000")],
        ["/requester/residence/detail"],
    ),
    (
        "chữ NFD vẫn hợp lệ",
        "lien-thong-khai-sinh",
        [
            ("/khai_sinh/child/full_name", unicodedata.normalize("NFD", "Nguyễn Minh Khang")),
            ("/khai_sinh/child/gender", unicodedata.normalize("NFD", "Nữ")),
        ],
        [],
    ),
    (
        "ngày chết trước ngày sinh",
        "lien-thong-khai-tu",
        [("/khai_tu/deceased/dob", "2025-10-04")],
        ["/khai_tu/death/date", "/khai_tu/deceased/personal_id"],
    ),
    (
        "khai tử quá 15 ngày mà chọn đúng hạn",
        "lien-thong-khai-tu",
        [("/filing_date", "2025-10-19")],
        ["/khai_tu/registration_type"],
    ),
    ("khai tử ngày thứ 15", "lien-thong-khai-tu", [("/filing_date", "2025-10-18")], []),
    (
        "giấy thay thế thiếu tên",
        "lien-thong-khai-tu",
        [("/khai_tu/death_notice/substitute_name", DELETE)],
        ["/khai_tu/death_notice/substitute_name"],
    ),
    (
        "chọn bảo trợ xã hội thiếu phần hỗ trợ",
        "lien-thong-khai-tu",
        [("/ho_tro_mai_tang", DELETE)],
        ["/ho_tro_mai_tang"],
    ),
    (
        "chuyển khoản thiếu tài khoản",
        "lien-thong-khai-tu",
        [("/ho_tro_mai_tang/payment/account", DELETE)],
        ["/ho_tro_mai_tang/payment/account"],
    ),
    (
        "mai táng trước ngày chết",
        "lien-thong-khai-tu",
        [("/ho_tro_mai_tang/burial_date", "2025-10-01")],
        ["/ho_tro_mai_tang/burial_date"],
    ),
    (
        "giờ chết sai",
        "lien-thong-khai-tu",
        [("/khai_tu/death/time", "25:00")],
        ["/khai_tu/death/time"],
    ),
    (
        "năm sinh người chết chỉ có năm",
        "lien-thong-khai-tu",
        [("/khai_tu/deceased/dob", "1940")],
        [],
    ),
    (
        "người chết không có số định danh phải khai đủ",
        "khai-tu-xoa-thuong-tru",
        [("/khai_tu/deceased/personal_id", DELETE), ("/khai_tu/deceased/ethnicity", DELETE)],
        ["/khai_tu/deceased/ethnicity"],
    ),
    ("ngày sinh người chết chỉ tháng năm, khớp CCCD", "khai-tu-xoa-thuong-tru", [], []),
    (
        "tháng sinh 13",
        "khai-tu-xoa-thuong-tru",
        [("/khai_tu/deceased/dob", "1951-13")],
        ["/khai_tu/deceased/dob"],
    ),
    (
        "mã BHXH 10 số",
        "lien-thong-khai-tu",
        [
            ("/funeral_benefit", "bhxh"),
            (
                "/bhxh_mai_tang",
                {
                    "bhxh_number": "0123456789",
                    "survivor_allowance": "mot-lan",
                    "payment": {"method": "tien-mat"},
                },
            ),
        ],
        [],
    ),
    (
        "mã BHXH là số định danh 12 số",
        "lien-thong-khai-tu",
        [
            ("/funeral_benefit", "bhxh"),
            (
                "/bhxh_mai_tang",
                {
                    "bhxh_number": "036040001234",
                    "survivor_allowance": "khong",
                    "payment": {"method": "tien-mat"},
                },
            ),
        ],
        [],
    ),
    (
        "mã BHXH 9 số",
        "lien-thong-khai-tu",
        [
            ("/funeral_benefit", "bhxh"),
            (
                "/bhxh_mai_tang",
                {
                    "bhxh_number": "012345678",
                    "survivor_allowance": "khong",
                    "payment": {"method": "tien-mat"},
                },
            ),
        ],
        ["/bhxh_mai_tang/bhxh_number"],
    ),
]


def build() -> list[dict]:
    cases = []
    for description, group, changes, expected in MUTATIONS:
        record = copy.deepcopy(example(group))
        for ptr, value in changes:
            setp(record, ptr, value)
        cases.append(
            {
                "description": description,
                "schema": group,
                "record": record,
                "expected": sorted(expected),
            }
        )
    cases.append(
        {
            "description": "hồ sơ là mảng",
            "schema": "lien-thong-khai-sinh",
            "record": [],
            "expected": [""],
        }
    )
    cases.append(
        {
            "description": "hồ sơ là chuỗi",
            "schema": "lien-thong-khai-tu",
            "record": "x",
            "expected": [""],
        }
    )
    return cases


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
