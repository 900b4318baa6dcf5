"""generator/inputs/legacy_units.py: pre-2025 units in user input are refused with what replaced them."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata

import pytest

import lienthong
from lienthong.inputs import legacy_units, units
from lienthong.inputs.commune_settings import SettingsInvalid, read_settings
from lienthong.inputs.legacy_units import (
    abolished_commune,
    abolished_province,
    explain,
    is_district_key,
    old_communes,
    old_provinces,
)
from lienthong.schema.catalog import load_catalog
from tests.conftest import ROOT, run_cli

GROUP = "lien-thong-khai-sinh"
HEADER = (
    "province,commune,office_name,office_address,officer_name,officer_phone,hotline,"
    "provincial_portal_url,provincial_lookup_url"
)
ROW = "01,{commune},Bộ phận Một cửa,Số 1 phố Đội Cấn,Trần Thị Minh Thư,0912 000 201,1900 0368,https://dichvucong.hanoi.gov.vn,https://dichvucong.hanoi.gov.vn"

PHUC_XA = (
    "Mã xã 00001 là đơn vị hành chính cũ (Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội), "
    "không còn từ ngày 01/7/2025; nay thuộc Phường Hồng Hà (mã 00097), Thành phố Hà Nội."
)
HA_GIANG = (
    "Mã tỉnh 02 là đơn vị hành chính cũ (Tỉnh Hà Giang), không còn từ ngày 01/7/2025; "
    "nay thuộc Tỉnh Tuyên Quang (mã 08)."
)
NO_DISTRICT = (
    "từ ngày 01/7/2025 không còn cấp huyện; địa chỉ chỉ ghi xã/phường/đặc khu và tỉnh/thành phố."
)


def example() -> dict:
    schema = json.loads((ROOT / "schemas" / f"{GROUP}.schema.json").read_text(encoding="utf-8"))
    return schema["examples"][0]


def old_record() -> dict:
    record = example()
    record["requester"]["residence"]["commune"] = "00001"
    record["khai_sinh"]["child"]["birthplace"]["address"]["province"] = "02"
    record["thuong_tru"]["address"]["quan_huyen"] = "Quận Ba Đình"
    return record


# -- data ---------------------------------------------------------------------


def test_attribution_and_size():
    path = legacy_units.DATA_FILE
    assert path.stat().st_size < 600_000
    about = json.loads(path.read_text(encoding="utf-8"))["about"]
    assert about["source"]["package"] == "vietnamadminunits"
    assert about["source"]["licence"] == "MIT"
    assert "Tran Ngoc Minh Hieu" in about["source"]["copyright"]
    assert about["counts"] == {
        "provinces": len(old_provinces()),
        "communes": len(old_communes()),
        "split": sum(1 for c in old_communes().values() if len(c.new) > 1),
    }


def test_provinces():
    olds = old_provinces()
    assert len(olds) == 63
    assert all(len(p.new) == 1 and p.new[0] in units.provinces() for p in olds.values())
    # Each 2025 province kept the code of one of the provinces it merged.
    for code in units.provinces():
        assert olds[code].new == (code,)
        assert abolished_province(code) is None
    assert len([c for c in olds if abolished_province(c)]) == 63 - 34
    assert olds["02"].name == "Tỉnh Hà Giang" and olds["02"].new == ("08",)


def test_communes_point_at_2025_units_of_the_right_province():
    communes = units.communes()
    for code, old in old_communes().items():
        assert code not in communes, "an old code reused by a 2025 unit must be left out"
        assert old.new and all(new in communes for new in old.new), code
        assert {communes[new][1] for new in old.new} == set(old.province.new), code
        for text in (old.name, old.district, old.province.name):
            assert unicodedata.is_normalized("NFC", text)


def test_known_merges_and_a_split():
    """Nghị quyết 1656/NQ-UBTVQH15 (Hà Nội), Điều 1 khoản 1, 3, 11, 13, 14."""
    assert old_communes()["00001"].new == ("00097",)  # Phúc Xá → Hồng Hà
    assert units.commune_name("00097") == "Phường Hồng Hà"
    assert old_communes()["00013"].new == ("00004",)  # Quán Thánh → Ba Đình
    assert units.commune_name("00004") == "Phường Ba Đình"
    # Trúc Bạch's old code 00004 is Phường Ba Đình's code now: valid, not abolished.
    assert abolished_commune("00004") is None
    dien_bien = abolished_commune("00019")
    assert (dien_bien.name, dien_bien.district) == ("Phường Điện Biên", "Quận Ba Đình")
    assert [units.commune_name(c) for c in dien_bien.new] == [
        "Phường Ba Đình",
        "Phường Hoàn Kiếm",
        "Phường Ô Chợ Dừa",
        "Phường Văn Miếu - Quốc Tử Giám",
    ]


def test_namesakes_do_not_share_successors():
    """vietnamadminunits lists Xã Tân Thạnh (Long Phú, Sóc Trăng)'s successor for Xã Tân
    Thạnh (Thới Lai, Cần Thơ) too; the tool drops it (drop_name_collisions)."""
    tan_thanh = abolished_commune("31268")
    assert (tan_thanh.name, tan_thanh.district) == ("Xã Tân Thạnh", "Huyện Thới Lai")
    assert tan_thanh.new == ("31288",)
    assert units.commune_name("31288") == "Xã Trường Thành"


def test_the_tool_reproduces_the_data_file(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_legacy_units
    finally:
        sys.path.remove(str(ROOT / "tools"))
    if not make_legacy_units.DEFAULT_PACKAGE.exists():
        pytest.skip(f"{make_legacy_units.DEFAULT_PACKAGE} is missing (see the tool's docstring)")
    out = tmp_path / "legacy-units.json"
    assert make_legacy_units.main(["-o", str(out)]) == 0
    assert out.read_bytes() == legacy_units.DATA_FILE.read_bytes()


# -- messages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "district"),
    [
        ("district", True),
        ("District_Code", True),
        ("districtName", True),
        ("huyen", True),
        ("Huyện", True),
        ("ma_huyen", True),
        ("quan_huyen", True),
        ("Quận/Huyện", True),
        ("quan", True),
        ("thi_xa", True),
        ("commune", False),
        ("province", False),
        ("detail", False),
        ("quan_he", False),
        (3, False),
    ],
)
def test_district_keys(name, district):
    assert is_district_key(name) is district


def test_explain_rewords_only_abolished_units():
    record = old_record()
    record["requester"]["phone"] = "0123"
    core = lienthong.validate(GROUP, record)
    # The core result (shared with the browser validator) keeps its generic messages.
    assert [e["pointer"] for e in core] == [
        "/khai_sinh/child/birthplace/address/province",
        "/requester/phone",
        "/requester/residence/commune",
        "/thuong_tru/address/quan_huyen",
    ]
    assert "không có trong danh mục 3.321" in core[2]["message"]
    explained = explain(core, record)
    assert [e["pointer"] for e in explained] == [e["pointer"] for e in core]
    assert explained[0]["message"].startswith(HA_GIANG)
    assert "Nghị quyết số 202/2025/QH15 ngày 12/6/2025" in explained[0]["message"]
    assert explained[1] == core[1]
    assert explained[2]["message"].startswith(PHUC_XA)
    assert explained[3]["message"].startswith("Mục 'quan_huyen' là cấp huyện")
    assert NO_DISTRICT in explained[3]["message"]
    assert "Luật Tổ chức chính quyền địa phương số 72/2025/QH15" in explained[3]["message"]
    for error in explained:
        assert unicodedata.is_normalized("NFC", error["message"])


def test_a_split_commune_lists_every_successor():
    message = legacy_units.commune_message(abolished_commune("00019"))
    assert (
        "nay thuộc một trong các xã, phường của Thành phố Hà Nội: Phường Ba Đình (mã 00004), "
        "Phường Hoàn Kiếm (mã 00070), Phường Ô Chợ Dừa (mã 00190) và "
        "Phường Văn Miếu - Quốc Tử Giám (mã 00196)."
    ) in message


def test_unknown_codes_keep_the_generic_message():
    record = example()
    record["requester"]["residence"]["commune"] = "99999"
    core = lienthong.validate(GROUP, record)
    assert explain(core, record) == core


# -- end to end -------------------------------------------------------------------


def assert_clean_failure(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_explains_old_units(tmp_path):
    path = tmp_path / "ho-so.json"
    path.write_text(json.dumps(old_record(), ensure_ascii=False), encoding="utf-8")
    result = run_cli("validate", GROUP, str(path))
    assert_clean_failure(result)
    errors = {e["pointer"]: e["message"] for e in json.loads(result.stdout)}
    assert list(errors) == [
        "/khai_sinh/child/birthplace/address/province",
        "/requester/residence/commune",
        "/thuong_tru/address/quan_huyen",
    ]
    assert errors["/khai_sinh/child/birthplace/address/province"].startswith(HA_GIANG)
    assert errors["/requester/residence/commune"].startswith(PHUC_XA)
    assert NO_DISTRICT in errors["/thuong_tru/address/quan_huyen"]


def test_pdf_explains_old_units(tmp_path):
    path = tmp_path / "ho-so.json"
    path.write_text(json.dumps(old_record(), ensure_ascii=False), encoding="utf-8")
    result = run_cli("pdf", GROUP, "--data", str(path), "-o", str(tmp_path / "ho-so.pdf"))
    assert_clean_failure(result)
    assert f"{path}: /requester/residence/commune: {PHUC_XA}" in result.stderr
    assert not (tmp_path / "ho-so.pdf").exists()


def test_check_explains_old_publisher_settings(tmp_path):
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert text.count('commune: "00004"') == 1
    config.write_text(
        text.replace('commune: "00004"', 'commune: "00001"\n        district: Quận Ba Đình'),
        encoding="utf-8",
    )
    result = run_cli("check", "--config", str(config))
    assert_clean_failure(result)
    assert f"{config}: /plugins/2/lienthong/publisher/commune: {PHUC_XA}" in result.stderr
    assert (
        f"{config}: /plugins/2/lienthong/publisher/district: Mục 'district' là cấp huyện"
        in result.stderr
    )


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "schemas")


def test_settings_csv_explains_old_codes_and_district_columns(tmp_path, catalog):
    path = tmp_path / "xa.csv"
    path.write_text(
        "\n".join(
            [
                HEADER + ",huyen",
                ROW.format(commune="00008") + ",Quận Ba Đình",
                ROW.format(commune="1") + ",Quận Ba Đình",  # a spreadsheet dropped the zeros
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(SettingsInvalid) as caught:
        read_settings(path, catalog)
    district, commune = caught.value.messages
    assert district.startswith(f"tệp {path}, dòng 1, trường huyen: Cột 'huyen' là cấp huyện")
    assert NO_DISTRICT in district and "Hãy xóa cột này." in district
    assert commune.startswith(f"tệp {path}, dòng 3, trường commune: {PHUC_XA}")

    pack = ["pack", "--province", "01", "--commune", "00008", "--settings"]
    result = run_cli(*pack, str(path), "-o", str(tmp_path / "out"))
    assert_clean_failure(result)
    assert district in result.stderr and commune in result.stderr
    assert not (tmp_path / "out").exists()


def test_settings_yaml_explains_district_fields(tmp_path, catalog):
    path = tmp_path / "xa.yml"
    path.write_text(
        """communes:
  - province: "02"
    commune: "00001"
    quan_huyen: Quận Ba Đình
    office_name: Bộ phận Một cửa
    office_address: Số 1
    officer_name: Trần Thị Minh Thư
    officer_phone: 0912 000 201
    hotline: 1900 0368
    provincial_portal_url: https://dichvucong.hanoi.gov.vn
    provincial_lookup_url: https://dichvucong.hanoi.gov.vn
""",
        encoding="utf-8",
    )
    with pytest.raises(SettingsInvalid) as caught:
        read_settings(path, catalog)
    messages = caught.value.messages
    assert f"tệp {path}, dòng 2, trường province: {HA_GIANG}" in " ".join(messages)
    assert f"tệp {path}, dòng 3, trường commune: {PHUC_XA}" in " ".join(messages)
    assert any(
        m.startswith(f"tệp {path}, dòng 4, trường quan_huyen: Trường 'quan_huyen' là cấp huyện")
        for m in messages
    )
