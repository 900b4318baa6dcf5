"""generator/inputs/commune_settings.py: many communes' settings from CSV or YAML, every bad row named."""

from __future__ import annotations

from pathlib import Path

import pytest

from lienthong.inputs.commune_settings import SettingsInvalid, read_settings
from lienthong.schema.catalog import load_catalog
from tests.conftest import ROOT

HEADER = (
    "province,commune,office_name,office_address,officer_name,officer_phone,hotline,"
    "provincial_portal_url,provincial_lookup_url"
)
GOOD = '01,00008,"Bộ phận Một cửa, UBND phường Ngọc Hà",Số 1 phố Đội Cấn,Trần Thị Minh Thư,0912 000 201,1900 0368,https://dichvucong.hanoi.gov.vn,https://dichvucong.hanoi.gov.vn'


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "schemas")


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def errors(path: Path, catalog) -> list[str]:
    with pytest.raises(SettingsInvalid) as caught:
        read_settings(path, catalog)
    return caught.value.messages


def test_examples_read_the_same_from_csv_and_yaml(catalog):
    csv = read_settings(ROOT / "examples" / "cau-hinh-xa.csv", catalog)
    yml = read_settings(ROOT / "examples" / "cau-hinh-xa.yml", catalog)
    assert list(csv) == list(yml) == ["00008", "00025"]
    assert csv["00008"].settings == yml["00008"].settings
    assert csv["00008"].line == 2 and yml["00008"].line == 10
    # YAML defaults fill what a row leaves out; a row's own value wins.
    assert yml["00025"].settings["opening_hours"].startswith("Sáng 8:00")
    assert "opening_hours" not in csv["00025"].settings


def test_csv_with_bom_semicolons_and_shortened_codes(tmp_path, catalog):
    text = (
        HEADER.replace(",", ";")
        + "\n"
        + GOOD.replace('"Bộ phận Một cửa, UBND phường Ngọc Hà"', "Bộ phận Một cửa")
        .replace(",", ";")
        .replace("01;00008", "1;8")
    )
    path = write(tmp_path, "xa.csv", text, encoding="utf-8-sig")
    rows = read_settings(path, catalog)
    assert rows["00008"].settings["province"] == "01"
    assert rows["00008"].settings["office_name"] == "Bộ phận Một cửa"


def test_bad_rows_name_the_file_row_and_field(tmp_path, catalog):
    rows = [
        HEADER,
        GOOD,
        GOOD.replace("0912 000 201", "09abc"),
        GOOD.replace("00008", "00025").replace(
            "https://dichvucong.hanoi.gov.vn,https", "http://x.vn,https"
        ),
        GOOD.replace("00008", "99999"),
        GOOD.replace("01,00008", "04,00025"),
        GOOD,
    ]
    path = write(tmp_path, "xa.csv", "\n".join(rows) + "\n")
    found = errors(path, catalog)
    assert found == [
        f"tệp {path}, dòng 3, trường officer_phone: Số điện thoại cán bộ hỗ trợ chỉ gồm chữ số, "
        "có thể có dấu cách hoặc dấu chấm, ví dụ 0912 345 678 hoặc 024 3823 1234.",
        f"tệp {path}, dòng 4, trường provincial_portal_url: Địa chỉ Cổng dịch vụ công của tỉnh "
        "phải là địa chỉ bắt đầu bằng https://, không có dấu cách, dấu nháy kép hay dấu < >, ví dụ https://dichvucong.hanoi.gov.vn",
        f"tệp {path}, dòng 5, trường commune: Xã, phường, đặc khu: mã này không có trong danh mục "
        "3.321 xã, phường, đặc khu từ ngày 01/7/2025. Chọn lại trong danh sách.",
        f"tệp {path}, dòng 6, trường commune: Mã xã, phường không thuộc tỉnh đã khai trong cấu hình.",
        f"tệp {path}, dòng 7, trường commune: xã 00008 đã có ở dòng 2; mỗi xã chỉ một dòng.",
    ]


def test_missing_and_unknown_fields(tmp_path, catalog):
    text = HEADER + ",fax\n" + GOOD + ",123\n" + "01,00025,,,,,,,\n"
    found = errors(write(tmp_path, "xa.csv", text), catalog)
    assert found[0].startswith(
        f"tệp {tmp_path / 'xa.csv'}, dòng 1, trường fax: không có trường này"
    )
    missing = [m for m in found if "dòng 3" in m]
    assert (
        f"tệp {tmp_path / 'xa.csv'}, dòng 3, trường office_name: Chưa nhập Tên nơi tiếp nhận hồ sơ."
        in missing
    )
    assert len([m for m in found if "trường fax" in m]) == 1  # once, at the header


def test_extra_cells_and_quotes(tmp_path, catalog):
    text = (
        HEADER
        + "\n"
        + GOOD.replace(
            '"Bộ phận Một cửa, UBND phường Ngọc Hà"', "Bộ phận Một cửa, UBND phường Ngọc Hà"
        )
        + "\n"
    )
    found = errors(write(tmp_path, "xa.csv", text), catalog)
    assert found == [
        f"tệp {tmp_path / 'xa.csv'}, dòng 2: dòng có 10 ô, nhiều hơn 9 cột của dòng tiêu đề; "
        "kiểm tra dấu phân cách thừa, hoặc đặt ô có dấu phẩy trong dấu ngoặc kép."
    ]


def test_yaml_lines_point_at_the_field(tmp_path, catalog):
    text = """defaults:
  hotline: 1900 0368
  provincial_portal_url: https://dichvucong.hanoi.gov.vn
  provincial_lookup_url: https://dichvucong.hanoi.gov.vn
communes:
  - province: 01
    commune: 00008
    office_name: Bộ phận Một cửa
    office_address: Số 1
    officer_name: Trần 3
    officer_phone: 0912 000 201
  - just text
"""
    path = write(tmp_path, "xa.yml", text)
    assert errors(path, catalog) == [
        f"tệp {path}, dòng 10, trường officer_name: Họ tên cán bộ hỗ trợ chỉ gồm chữ cái và "
        "khoảng trắng (có thể có dấu gạch nối hoặc dấu nháy).",
        f"tệp {path}, dòng 12: mỗi xã phải là một bảng khóa: giá trị.",
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("xa.yml", "communes: [\n", "YAML không hợp lệ"),
        ("xa.yml", "xa: []\n", "mục 'xa' không hợp lệ"),
        ("xa.yml", "communes: 3\n", "cần danh sách các xã"),
        ("xa.txt", "", "chỉ đọc được tệp .csv, .yml hoặc .yaml"),
        ("xa.csv", b"\xff\xfe\x00", "không phải văn bản UTF-8"),
    ],
)
def test_unreadable_files(tmp_path, catalog, name, content, expected):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    (message,) = errors(path, catalog)
    assert message.startswith(f"tệp {path}") and expected in message, message


def test_missing_file(tmp_path, catalog):
    (message,) = errors(tmp_path / "khong-co.csv", catalog)
    assert (
        message
        == f"tệp {tmp_path / 'khong-co.csv'}: không đọc được tệp (không có tệp hoặc thư mục này)."
    )


def test_a_national_yaml_file_is_within_the_alias_limits(tmp_path, catalog):
    """The expansion limits (issue 16, class 5) leave room for every commune of the country,
    with shared defaults through an alias as the README shows."""
    from lienthong.inputs import units

    codes = sorted(units.communes())
    lines = [
        "defaults: &chung",
        '  hotline: "1900 0368"',
        "  provincial_portal_url: https://dichvucong.gov.vn",
        "  provincial_lookup_url: https://dichvucong.gov.vn",
        "communes:",
    ]
    for code in codes:
        province = units.communes()[code][1]
        lines += [
            f'  - province: "{province}"',
            f'    commune: "{code}"',
            "    office_name: Bộ phận Một cửa, Ủy ban nhân dân xã",
            "    office_address: Số 1 đường Chính",
            "    officer_name: Nguyễn Văn An",
            '    officer_phone: "0912 000 111"',
        ]
    path = tmp_path / "ca-nuoc.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(read_settings(path, catalog)) == len(codes) == 3321


def test_yaml_tags_and_alias_bombs_are_refused_by_line(tmp_path, catalog):
    path = tmp_path / "x.yml"
    path.write_text('communes:\n  - commune: !!binary "AAAA"\n', encoding="utf-8")
    with pytest.raises(SettingsInvalid) as exc:
        read_settings(path, catalog)
    assert exc.value.messages == [
        f"tệp {path}, dòng 2: thẻ YAML 'tag:yaml.org,2002:binary' không dùng được ở đây; "
        "chỉ ghi chữ, số, danh sách và bảng khóa: giá trị."
    ]


# ------------------------------------------------------------- formula text (issue 16, class 6)

FORMULAS = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\uff1d1", "\uff20x", '=HYPERLINK("x")']


@pytest.mark.parametrize(
    "field", ["office_name", "office_address", "opening_hours", "officer_title"]
)
@pytest.mark.parametrize("value", FORMULAS)
def test_formula_text_is_refused_with_row_and_field(tmp_path, catalog, field, value):
    import csv

    path = tmp_path / "xa.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        row = next(csv.reader([GOOD]))
        header = HEADER.split(",")
        if field in header:
            row[header.index(field)] = value
        else:
            header.append(field)
            row.append(value)
        writer.writerows([header, row])
    (message,) = errors(path, catalog)
    assert message.startswith(f"tệp {path}, dòng 2, trường {field}: ") and "công thức" in message


def test_a_hotline_may_start_with_plus_and_a_digit(tmp_path, catalog):
    good = GOOD.replace(",1900 0368,", ",+84 24 3823 1234,")
    assert read_settings(write(tmp_path, "xa.csv", f"{HEADER}\n{good}\n"), catalog)
    for bad in ("+cmd", "=1", "-1", "@1"):
        path = write(tmp_path, "xa.csv", f"{HEADER}\n{GOOD.replace(',1900 0368,', f',{bad},')}\n")
        (message,) = errors(path, catalog)
        assert "trường hotline" in message and "công thức" in message


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+84 24 3823 1234", "'+84 24 3823 1234"),
        ("-", "'-"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\uff1dx", "'\uff1dx"),
        ("Bộ phận Một cửa", "Bộ phận Một cửa"),
        ("'quoted'", "'quoted'"),
        ("", ""),
        (None, ""),
        (30, "30"),
    ],
)
def test_csv_cells_are_escaped_as_owasp_advises(value, cell):
    from lienthong.inputs.commune_settings import csv_cell, csv_value

    assert csv_cell(value) == cell
    if isinstance(value, str):
        assert csv_value(csv_cell(value)) == value


def test_written_settings_read_back_the_same(tmp_path, catalog):
    from lienthong.inputs.commune_settings import write_settings_csv

    first = read_settings(ROOT / "examples" / "cau-hinh-xa.csv", catalog)
    rows = [dict(s.settings) for s in first.values()]
    rows[0]["hotline"] = "+84 24 3823 1234"  # escaped on the way out, restored on the way in
    fields = sorted({k for r in rows for k in r})
    path = tmp_path / "ra.csv"
    write_settings_csv(path, rows, fields)
    assert "'+84 24 3823 1234" in path.read_text(encoding="utf-8")
    again = read_settings(path, catalog)
    assert [dict(s.settings) for s in again.values()] == rows
