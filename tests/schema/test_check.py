"""lienthong check / validate / build on broken input: clear messages, no traceback,
previous site intact."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lienthong.schema.catalog import Catalog
from lienthong.schema.check import _staleness
from tests.conftest import ROOT, run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's inputs that a test may break."""
    for name in ("schemas", "docs", "forms"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    return tmp_path


def edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def assert_clean_failure(result: subprocess.CompletedProcess, *expected: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


def test_check_passes_on_the_project():
    result = run_cli("check", "--strict", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Kiểm tra đạt: 0 lỗi, 0 cảnh báo." in result.stderr


def test_malformed_json(project):
    path = project / "schemas" / "khai-sinh.schema.json"
    path.write_text(path.read_text(encoding="utf-8")[:500], encoding="utf-8")
    assert_clean_failure(
        run_cli("check", cwd=project), "schemas/khai-sinh.schema.json: JSON không hợp lệ ở dòng"
    )


def test_several_problems_are_reported_together(project):
    (project / "schemas" / "khai-tu.schema.json").write_text("{", encoding="utf-8")
    (project / "schemas" / "thuong-tru.schema.json").write_text("[1,", encoding="utf-8")
    result = run_cli("check", cwd=project)
    assert_clean_failure(result, "schemas/khai-tu.schema.json", "schemas/thuong-tru.schema.json")


def test_unknown_ref(project):
    edit_json(
        project / "schemas" / "bhyt-tre-em.schema.json",
        lambda s: s["properties"]["primary_care"].update(
            {"$ref": "common.schema.json#/$defs/khong_co"}
        ),
    )
    assert_clean_failure(
        run_cli("check", cwd=project),
        "schemas/bhyt-tre-em.schema.json: /properties/primary_care/$ref: không tìm thấy đích của $ref",
    )


def test_unknown_commune_code_in_example(project):
    edit_json(
        project / "schemas" / "lien-thong-khai-sinh.schema.json",
        lambda s: s["examples"][0]["requester"]["residence"].update({"commune": "00001"}),
    )
    assert_clean_failure(
        run_cli("check", cwd=project),
        "schemas/lien-thong-khai-sinh.schema.json: /examples/0/requester/residence/commune: Xã, phường, đặc khu: mã này không có trong danh mục",
    )


def test_missing_required_annotation(project):
    edit_json(project / "schemas" / "khai-tu.schema.json", lambda s: s["x-procedure"].pop("fee"))
    assert_clean_failure(
        run_cli("check", cwd=project),
        "schemas/khai-tu.schema.json: /x-procedure: thiếu chú thích bắt buộc: 'fee'",
    )


def test_a_pale_group_colour_is_refused(project):
    """White text must stay legible on the pack pictures' band (WCAG AA, 4.5:1)."""
    edit_json(
        project / "schemas" / "lien-thong-khai-sinh.schema.json",
        lambda s: s["x-group"]["post"].update({"colour": "#ffeb3b"}),
    )
    assert_clean_failure(
        run_cli("check", cwd=project),
        "schemas/lien-thong-khai-sinh.schema.json: /x-group/post/colour: màu #ffeb3b quá nhạt",
    )


def test_a_fourth_post_step_is_refused(project):
    edit_json(
        project / "schemas" / "lien-thong-khai-tu.schema.json",
        lambda s: s["x-group"]["post"]["steps"].append("Bước thứ tư."),
    )
    assert_clean_failure(
        run_cli("check", cwd=project), "schemas/lien-thong-khai-tu.schema.json: /x-group/post/steps"
    )


def test_misspelt_rule_name(project):
    edit_json(
        project / "schemas" / "khai-tu.schema.json",
        lambda s: s["x-rules"][0].update({"rule": "date_oder"}),
    )
    assert_clean_failure(
        run_cli("check", cwd=project),
        "schemas/khai-tu.schema.json: /x-rules/0/rule: giá trị 'date_oder'",
    )


def test_stale_fact_warns_and_fails_in_strict_mode(project):
    edit_json(
        project / "schemas" / "khai-tu.schema.json",
        lambda s: s["x-procedure"].update({"checked": "2020-01-01"}),
    )
    relaxed = run_cli("check", cwd=project)
    assert relaxed.returncode == 0
    assert "cảnh báo: thông tin kiểm tra lần cuối ngày 01/01/2020" in relaxed.stderr
    assert run_cli("check", "--strict", cwd=project).returncode == 1


def test_stale_fact_date_is_reported_at_its_own_pointer(project):
    """A fact's own ``checked`` counts, not only its procedure's or group's."""
    edit_json(
        project / "schemas" / "khai-sinh.schema.json",
        lambda s: s["x-procedure"]["fee"][2].update({"checked": "2021-03-04"}),
    )
    edit_json(
        project / "schemas" / "lien-thong-khai-tu.schema.json",
        lambda s: s["x-group"].update({"checked": "2022-05-06"}),
    )
    relaxed = run_cli("check", cwd=project)
    assert relaxed.returncode == 0, relaxed.stderr
    for line in (
        "schemas/khai-sinh.schema.json: /x-procedure/fee/2/checked: cảnh báo: thông tin kiểm "
        "tra lần cuối ngày 04/03/2021, đã quá 365 ngày",
        "schemas/lien-thong-khai-tu.schema.json: /x-group/checked: cảnh báo: thông tin kiểm "
        "tra lần cuối ngày 06/05/2022, đã quá 365 ngày",
    ):
        assert line in relaxed.stderr
    assert "Kiểm tra đạt: 0 lỗi, 2 cảnh báo." in relaxed.stderr
    strict = run_cli("check", "--strict", cwd=project)
    assert strict.returncode == 1
    assert "Kiểm tra không đạt: 0 lỗi, 2 cảnh báo." in strict.stderr


def _days_ago(days: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days)).isoformat()


def _set_review_days(config: Path, publisher: int | None, plugin: int | None) -> None:
    text = config.read_text(encoding="utf-8")
    if plugin is not None:
        text = text.replace(
            "      schemas_dir: schemas\n",
            f"      schemas_dir: schemas\n      review_days: {plugin}\n",
        )
    if publisher is not None:
        text = text.replace(
            '        province: "01"\n',
            f'        province: "01"\n        review_days: {publisher}\n',
        )
    config.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("publisher", "plugin", "flag", "warns"),
    [
        (None, None, None, False),  # default 365 days
        (None, 60, None, True),  # the plugin's option
        (60, 400, None, True),  # the publisher's setting wins over the plugin's
        (400, 60, None, False),
        (60, None, "400", False),  # --review-days wins over both
        (None, None, "60", True),
    ],
)
def test_review_period_comes_from_the_settings(project, publisher, plugin, flag, warns):
    edit_json(
        project / "schemas" / "khai-tu.schema.json",
        lambda s: s["x-procedure"].update({"checked": _days_ago(100)}),
    )
    config = project / "mkdocs.yml"
    _set_review_days(config, publisher, plugin)
    assert ("review_days" in config.read_text(encoding="utf-8")) == bool(publisher or plugin)
    result = run_cli("check", *(["--review-days", flag] if flag else []), cwd=project)
    assert result.returncode == 0, result.stderr
    assert ("/x-procedure/checked: cảnh báo" in result.stderr) == warns, result.stderr


def test_staleness_reads_only_the_vocabularys_dates(tmp_path):
    """Dates in examples, defaults and constants are data, not facts; x-checked anywhere else
    and checked in an x-procedure or x-group are facts."""
    old = "2001-01-01"
    schema = {
        "x-checked": old,
        "properties": {
            "examples": {"x-checked": old},  # a property that happens to be named "examples"
            "when": {"default": {"checked": old, "x-checked": old}, "const": {"checked": old}},
        },
        "examples": [{"checked": old, "x-checked": old}],
        "x-procedure": {"checked": old, "fee": [{"text": "t", "source": "s", "checked": old}]},
        "$defs": {"checked": {"x-checked": old}},
    }
    catalog = Catalog(tmp_path, schemas={"a": schema}, files={"a": "schemas/a.schema.json"})
    found = _staleness(catalog, dt.date(2026, 1, 1), 365)
    assert [p.pointer for p in found] == [
        "/x-checked",
        "/properties/examples/x-checked",
        "/x-procedure/checked",
        "/x-procedure/fee/0/checked",
        "/$defs/checked/x-checked",
    ]
    assert {p.level for p in found} == {"warning"}
    assert not _staleness(catalog, dt.date(2001, 6, 1), 365)


def test_bad_publisher_setting(project):
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('commune: "00004"', 'commune: "26740"'),
        encoding="utf-8",
    )
    assert_clean_failure(
        run_cli("check", cwd=project),
        "mkdocs.yml: /plugins/2/lienthong/publisher/commune: Mã xã, phường không thuộc tỉnh đã khai trong cấu hình.",
    )


def test_validate_exit_codes(tmp_path):
    good = tmp_path / "good.json"
    example = json.loads(
        (ROOT / "schemas" / "lien-thong-khai-tu.schema.json").read_text(encoding="utf-8")
    )["examples"][0]
    good.write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    ok = run_cli("validate", "lien-thong-khai-tu", str(good), cwd=ROOT)
    assert (ok.returncode, json.loads(ok.stdout)) == (0, [])

    example["khai_tu"]["death"]["date"] = "2025-13-01"
    good.write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    bad = run_cli("validate", "lien-thong-khai-tu", str(good), cwd=ROOT)
    assert bad.returncode == 1
    assert [e["pointer"] for e in json.loads(bad.stdout)] == ["/khai_tu/death/date"]

    (tmp_path / "array.json").write_text("[]", encoding="utf-8")
    not_object = run_cli("validate", "lien-thong-khai-tu", str(tmp_path / "array.json"), cwd=ROOT)
    assert not_object.returncode == 1
    assert json.loads(not_object.stdout)[0]["pointer"] == ""

    (tmp_path / "broken.json").write_text('{"requester": ', encoding="utf-8")
    unreadable = run_cli("validate", "lien-thong-khai-tu", str(tmp_path / "broken.json"), cwd=ROOT)
    assert unreadable.returncode == 2
    assert "JSON không hợp lệ ở dòng 1" in unreadable.stderr
    missing = run_cli("validate", "lien-thong-khai-tu", str(tmp_path / "none.json"), cwd=ROOT)
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr + unreadable.stderr


@pytest.mark.build
def test_failed_build_leaves_previous_site_intact(project):
    first = run_cli("build", cwd=project)
    assert first.returncode == 0, first.stderr
    index = project / "site" / "index.html"
    before = index.read_bytes()

    edit_json(
        project / "schemas" / "khai-sinh.schema.json", lambda s: s["x-procedure"].pop("documents")
    )
    broken = run_cli("build", cwd=project)
    assert_clean_failure(
        broken, "schemas/khai-sinh.schema.json: /x-procedure: thiếu chú thích bắt buộc: 'documents'"
    )
    assert index.read_bytes() == before
    assert not list(project.glob(".site-build-*"))


@pytest.mark.build
def test_broken_internal_link_fails_strict_build(project):
    run_cli("build", cwd=project)
    before = (project / "site" / "index.html").read_bytes()
    page = project / "docs" / "thuat-ngu.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n[xem](khong-co-trang-nay.md)\n", encoding="utf-8"
    )
    result = run_cli("build", cwd=project)
    assert_clean_failure(result, "khong-co-trang-nay.md")
    assert (project / "site" / "index.html").read_bytes() == before
