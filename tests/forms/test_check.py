"""`lienthong check` on the forms' fields files: every kind of fault is refused, naming the file
and the JSON pointer (or the template's line)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import lienthong
from lienthong import cli
from lienthong.forms.check import check_forms, template_reads
from lienthong.schema.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(lienthong.default_schemas_dir())


@pytest.fixture
def forms(tmp_path) -> Path:
    target = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(catalog, forms: Path, readmes: bool = False) -> list[str]:
    """The errors; a changed fields file also makes its README table stale, which only the
    README test looks at."""
    found = [str(p) for p in check_forms(catalog, forms) if p.level == "error"]
    return [m for m in found if readmes or "/README.md:" not in m]


def test_the_project_forms_pass(catalog):
    assert messages(catalog, ROOT / "forms") == []


def test_a_pointer_no_schema_has(catalog, forms):
    edit(forms / "tk1-ts" / "fields.yml", "/khai_sinh/child/gender", "/khai_sinh/child/sex")
    assert messages(catalog, forms) == [
        "forms/tk1-ts/fields.yml, dòng 7: /fields/gender/from: không có trường "
        "'/khai_sinh/child/sex' trong schema của nhóm lien-thong-khai-sinh."
    ]


def test_a_condition_on_an_unknown_field_or_procedure(catalog, forms):
    fields = forms / "ct01" / "fields.yml"
    edit(
        fields,
        "{field: /thuong_tru/consent_via_vneid, equals: true}",
        "{field: /thuong_tru/vneid, equals: true}",
    )
    edit(
        fields,
        "when: {procedure: xoa-thuong-tru}}\n  person",
        "when: {procedure: xoa-thuong-tru-x}}\n  person",
    )
    found = messages(catalog, forms)
    assert len(found) == 2, found
    assert any(
        "/fields/to/first/1/when/procedure: không có thủ tục 'xoa-thuong-tru-x'" in m for m in found
    )
    assert any(
        "/fields/owner_vneid/when/all/1/field: không có trường '/thuong_tru/vneid'" in m
        for m in found
    )


def test_an_unknown_formatter(catalog, forms):
    edit(forms / "to-khai-khai-tu" / "fields.yml", "as: hour}", "as: gio}")
    (found,) = messages(catalog, forms)
    assert found.startswith(
        "forms/to-khai-khai-tu/fields.yml, dòng 24: /fields/death/fields/hour/as: 'gio' không có cách viết này"
    )


def test_a_template_variable_never_set(catalog, forms):
    edit(forms / "to-khai-khai-sinh" / "template.html.j2", "v.child.hometown", "v.child.home_town")
    found = messages(catalog, forms)
    assert (
        "forms/to-khai-khai-sinh/template.html.j2, dòng 19: mẫu in đọc v.child.home_town nhưng forms/to-khai-khai-sinh/fields.yml không khai báo trường này."
        in found
    )
    # ... and the field it meant is now printed by no template.
    assert any(
        m.startswith(
            "forms/to-khai-khai-sinh/fields.yml, dòng 29: /fields/child/fields/hometown: không mẫu in nào"
        )
        for m in found
    )
    assert len(found) == 2


def test_a_field_no_template_prints(catalog, forms):
    edit(
        forms / "mau-04-nd20" / "fields.yml",
        "  signer:",
        "  is_org: {from: /ho_tro_mai_tang/organiser_kind, as: checkbox, equals: co-quan-to-chuc}\n  signer:",
    )
    (found,) = messages(catalog, forms)
    assert found == (
        "forms/mau-04-nd20/fields.yml, dòng 45: /fields/is_org: không mẫu in nào của tờ khai in "
        "trường này; bỏ nó đi, hoặc in nó."
    )


def test_reading_inside_a_plain_value(catalog, forms):
    edit(forms / "ct01" / "template.html.j2", "v.phone", "v.phone.number")
    found = messages(catalog, forms)
    assert any(
        "mẫu in đọc v.phone.number nhưng forms/ct01/fields.yml khai báo 'phone' là một giá trị (phone), không có 'number'"
        in m
        for m in found
    ), found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fields: [a, b\n", "forms/tk1-ts/fields.yml, dòng 2: YAML không hợp lệ."),
        (
            "fields: !!python/object:os.system {}\n",
            "thẻ YAML 'tag:yaml.org,2002:python/object:os.system'",
        ),
        (
            "fields:\n  name: {from: /khai_sinh/child/full_name, colour: red}\n",
            "/fields/name/colour: khóa 'colour' không dùng được ở đây",
        ),
        ("fields:\n  name: {from: khai_sinh}\n", "/fields/name/from: 'khai_sinh' không đúng dạng"),
        ("pages: two\nfields: {name: {from: /requester/full_name}}\n", "/pages: phải là số nguyên"),
        ("fields:\n  name: {join: ', '}\n", "/fields/name: mục này phải là đúng một loại"),
        ("", "forms/tk1-ts/fields.yml: tệp trống"),
    ],
)
def test_fields_files_that_cannot_be_read(catalog, forms, text, expected):
    (forms / "tk1-ts" / "fields.yml").write_text(text, encoding="utf-8")
    found = messages(catalog, forms)
    assert len(found) == 1 and expected in found[0], found


def test_a_missing_fields_file(catalog, forms):
    (forms / "tk1-ts" / "fields.yml").unlink()
    assert messages(catalog, forms) == [
        "forms/tk1-ts/fields.yml: thiếu tệp fields.yml: mỗi tờ khai khai báo các trường in ở đây."
    ]


def test_the_command_names_the_fault(forms, capsys, monkeypatch, tmp_path):
    edit(forms / "tk1-ts" / "fields.yml", "as: upper}", "as: hoa}")
    monkeypatch.chdir(tmp_path)
    code = cli.main(["--forms", str(forms), "check"])
    err = capsys.readouterr().err
    assert code != 0
    assert "forms/tk1-ts/fields.yml, dòng 6: /fields/name/as: 'hoa' không có cách viết này" in err
    assert "Traceback" not in err


def test_loops_and_rows_alias_the_view():
    reads = template_reads(
        '{% for who, p in [["mẹ", v.mother], ["cha", v.father]] %}{{ p.name }}{% endfor %}'
        "{% for m in v.members %}{{ m.dob }}{% endfor %}{{ v.copies.yes }}",
        "t",
    )
    paths = {path for path, _ in reads}
    assert {
        ("mother", "name"),
        ("father", "name"),
        ("members", "[]", "dob"),
        ("copies", "yes"),
    } <= paths


def test_a_stale_readme_table(catalog, forms):
    readme = forms / "tk1-ts" / "README.md"
    edit(readme, "| [02]. Giới tính |", "| [02]. Giới tính (cũ) |")
    assert messages(catalog, forms, readmes=True) == [
        "forms/tk1-ts/README.md: bảng trường trong README.md khác forms/tk1-ts/fields.yml; "
        "chạy `lienthong forms-readme`."
    ]
    assert cli.main(["--forms", str(forms), "forms-readme", str(forms)]) == 0
    assert messages(catalog, forms, readmes=True) == []
