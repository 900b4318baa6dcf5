"""The hostile-input corpus: broken or malicious inputs for every entry point.

Each case writes its input into a fresh folder and names the command that reads it. The
runner (tests/test_hostile.py) checks that the command refuses the input with a message that
names the file and the JSON pointer or row, exits non-zero, prints no traceback, finishes in
bounded time and memory, and leaves previous output untouched. Record cases are also
imported into the offline form (tests/offline/test_offline_form.py) by the browser.

Inputs are generated rather than stored: some are megabytes long, and generating them keeps
the intent of each case readable here.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
GROUP = "lien-thong-khai-sinh"

# Markup that would run if any output forgot to escape it.
PAYLOAD = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
    "\"'><svg onload=window.__pwned=3>{{7*7}}${7*7}"
)

# Entry points.
SCHEMAS_EP = "schemas"  # lienthong check --schemas DIR, and lienthong build with them
PUBLISHER = "publisher"  # the publisher block of mkdocs.yml (check and build)
COMMUNES = "communes"  # lienthong pack --settings FILE (CSV or YAML)
RECORD = "record"  # lienthong validate / lienthong pdf --data FILE (and the form's import)
COMMAND = "command"  # command-line arguments themselves


@dataclass(frozen=True)
class Case:
    id: str
    entry: str
    what: str
    # Writes the input under the given folder and returns the file a user would name.
    make: Callable[[Path], Path]
    # Text the message must contain besides the file name (a pointer, a row, a field).
    expect: tuple[str, ...] = ()
    # Extra command-line arguments (COMMAND cases).
    argv: tuple[str, ...] = field(default=())
    # False for what a browser cannot be handed as a file (a device, a folder).
    as_file: bool = True


def example_record() -> dict[str, Any]:
    schema = json.loads((SCHEMAS / f"{GROUP}.schema.json").read_text(encoding="utf-8"))
    return copy.deepcopy(schema["examples"][0])


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _deep(depth: int, leaf: str = "0") -> str:
    return "[" * depth + leaf + "]" * depth


# ------------------------------------------------------------------------- records


def _record(edit: Callable[[dict], Any]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        record = example_record()
        edit(record)
        return _write(folder / "ho-so.json", json.dumps(record, ensure_ascii=False))

    return make


def _record_bytes(data: Callable[[], bytes | str]) -> Callable[[Path], Path]:
    return lambda folder: _write(folder / "ho-so.json", data())


def _set(path: str, value: Any) -> Callable[[dict], None]:
    def edit(record: dict) -> None:
        *parents, last = path.strip("/").split("/")
        node = record
        for part in parents:
            node = node[part]
        node[last] = value

    return edit


def _record_number(ptr: str, number: str) -> Callable[[Path], Path]:
    """The example record with a raw JSON number (which Python's json would not write)."""

    def make(folder: Path) -> Path:
        record = example_record()
        _set(ptr, "@NUMBER@")(record)
        text = json.dumps(record, ensure_ascii=False).replace('"@NUMBER@"', number)
        return _write(folder / "ho-so.json", text)

    return make


def _truncated() -> str:
    text = json.dumps(example_record(), ensure_ascii=False)
    return text[: len(text) // 2]


RECORD_CASES = [
    Case(
        "record-truncated", RECORD, "JSON cut in the middle", _record_bytes(_truncated), ("dòng",)
    ),
    Case("record-empty", RECORD, "empty file", _record_bytes(lambda: b""), ()),
    Case("record-array", RECORD, "a list instead of an object", _record_bytes(lambda: "[1, 2]")),
    Case(
        "record-not-utf8",
        RECORD,
        "Windows-1258 bytes",
        _record_bytes(lambda: '{"requester": {"full_name": "Hà Mai"}}'.encode("cp1258")),
        ("UTF-8",),
    ),
    Case(
        "record-nan",
        RECORD,
        "NaN is not JSON",
        _record_bytes(lambda: '{"khai_sinh": {"copies": NaN}}'),
        ("NaN",),
    ),
    Case(
        "record-huge-number",
        RECORD,
        "an integer of 100,000 digits",
        _record_bytes(lambda: '{"khai_sinh": {"copies": ' + "9" * 100_000 + "}}"),
    ),
    Case(
        "record-number-1e400",
        RECORD,
        "1e400 (beyond the double range) as a number of copies",
        _record_number("/khai_sinh/copies/count", "1e400"),
        ("/khai_sinh/copies/count", "số nguyên"),
    ),
    Case(
        "record-number-minus-1e400",
        RECORD,
        "-1e400 as a number of copies",
        _record_number("/khai_sinh/copies/count", "-1e400"),
        ("/khai_sinh/copies/count", "số nguyên"),
    ),
    Case(
        "record-number-400-digits",
        RECORD,
        "an integer of 400 digits (a browser reads Infinity) as a number of copies",
        _record_number("/khai_sinh/copies/count", "9" * 400),
        ("/khai_sinh/copies/count", "số nguyên"),
    ),
    Case(
        "record-number-in-name",
        RECORD,
        "1e400 where a name belongs",
        _record_number("/requester/full_name", "1E+400"),
        ("/requester/full_name",),
    ),
    Case(
        "record-number-in-date",
        RECORD,
        "-1e400 where a date belongs",
        _record_number("/khai_sinh/child/dob", "-1e400"),
        ("/khai_sinh/child/dob",),
    ),
    Case(
        "record-number-underflow",
        RECORD,
        "1e-400 (reads as 0) as a number of copies",
        _record_number("/khai_sinh/copies/count", "1e-400"),
        ("/khai_sinh/copies/count", "ít nhất"),
    ),
    Case(
        "record-dev-zero",
        RECORD,
        "an endless device (/dev/zero) as the record",
        lambda folder: Path("/dev/zero"),
        ("MB",),
        as_file=False,
    ),
    Case(
        "record-dev-urandom",
        RECORD,
        "endless random bytes (/dev/urandom) as the record",
        lambda folder: Path("/dev/urandom"),
        ("MB",),
        as_file=False,
    ),
    Case(
        "record-folder",
        RECORD,
        "a folder named as the record",
        lambda folder: folder,
        ("thư mục",),
        as_file=False,
    ),
    Case(
        "record-deep-nesting",
        RECORD,
        "100,000 nested arrays",
        _record_bytes(lambda: '{"requester": ' + _deep(100_000) + "}"),
        ("sâu",),
    ),
    Case(
        "record-nested-900",
        RECORD,
        "900 nested arrays in a field (under Python's recursion limit)",
        _record_bytes(
            lambda: json.dumps({**example_record(), "requester": json.loads(_deep(900))})
        ),
        ("sâu",),
    ),
    Case(
        "record-huge-file",
        RECORD,
        "a 30 MB file",
        _record_bytes(lambda: '{"x": "' + "a" * 30_000_000 + '"}'),
        ("MB",),
    ),
    Case(
        "record-huge-string",
        RECORD,
        "a 1 MB name",
        _record(_set("/requester/full_name", "Nguyễn " * 120_000)),
        ("/requester/full_name",),
    ),
    Case(
        "record-wrong-type",
        RECORD,
        "a date given as a number",
        _record(_set("/khai_sinh/child/dob", 20250902)),
        ("/khai_sinh/child/dob",),
    ),
    Case(
        "record-object-for-string",
        RECORD,
        "an object where a name belongs",
        _record(_set("/requester/full_name", {"$ref": "#"})),
        ("/requester/full_name",),
    ),
    Case(
        "record-unknown-commune",
        RECORD,
        "a commune code that does not exist",
        _record(_set("/khai_sinh/child/birthplace/address/commune", "99999")),
        ("/khai_sinh/child/birthplace/address/commune",),
    ),
    Case(
        "record-old-commune",
        RECORD,
        "a commune code abolished on 1 July 2025",
        _record(_set("/requester/residence/commune", "00001")),
        ("/requester/residence/commune", "Phường Hồng Hà (mã 00097)"),
    ),
    Case(
        "record-commune-other-province",
        RECORD,
        "a commune of another province",
        _record(_set("/khai_sinh/child/birthplace/address/commune", "26734")),
        ("/khai_sinh/child/birthplace/address/commune",),
    ),
    Case(
        "record-nul",
        RECORD,
        "NUL inside a name",
        _record(_set("/requester/full_name", "Trần\u0000Thị Mai")),
        ("/requester/full_name",),
    ),
    Case(
        "record-rtl-override",
        RECORD,
        "a right-to-left override inside a name",
        _record(_set("/requester/full_name", "Trần \u202eiaM ịhT")),
        ("/requester/full_name",),
    ),
    Case(
        "record-newline-id",
        RECORD,
        "a personal id with a final newline",
        _record(_set("/requester/personal_id", "001195012345\n")),
        ("/requester/personal_id",),
    ),
    Case(
        "record-script-in-name",
        RECORD,
        "markup in a name",
        _record(_set("/requester/full_name", PAYLOAD)),
        ("/requester/full_name",),
    ),
    Case(
        "record-unknown-key",
        RECORD,
        "__proto__ and an unknown section",
        _record_bytes(lambda: json.dumps({**example_record(), "__proto__": {"polluted": 1}})),
        ("/__proto__",),
    ),
    Case(
        "record-district-field",
        RECORD,
        "a district in an address (abolished on 1 July 2025)",
        _record(_set("/khai_sinh/child/birthplace/address/district", "Quận Ba Đình")),
        ("/khai_sinh/child/birthplace/address/district",),
    ),
]

# ------------------------------------------------------------------------- schemas


def _schemas(edit: Callable[[Path], Path]) -> Callable[[Path], Path]:
    """Copy schemas/ into the folder, let ``edit`` break one file, return that file."""

    def make(folder: Path) -> Path:
        target = folder / "schemas"
        (target / "meta").mkdir(parents=True)
        for path in SCHEMAS.glob("*.schema.json"):
            (target / path.name).write_bytes(path.read_bytes())
        for path in (SCHEMAS / "meta").glob("*.schema.json"):
            (target / "meta" / path.name).write_bytes(path.read_bytes())
        return edit(target)

    return make


def _edit_schema(name: str, edit: Callable[[dict], Any]) -> Callable[[Path], Path]:
    def change(folder: Path) -> Path:
        path = folder / f"{name}.schema.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    return change


def _raw_schema(name: str, text: Callable[[str], str]) -> Callable[[Path], Path]:
    def change(folder: Path) -> Path:
        path = folder / f"{name}.schema.json"
        path.write_text(text(path.read_text(encoding="utf-8")), encoding="utf-8")
        return path

    return change


def _title(value: str) -> Callable[[dict], None]:
    def edit(schema: dict) -> None:
        schema["x-procedure"]["name"] = value

    return edit


def _ref_loop(schema: dict) -> None:
    schema["$defs"] = {
        **schema.get("$defs", {}),
        "a": {"$ref": "#/$defs/b"},
        "b": {"$ref": "#/$defs/a"},
    }
    schema["properties"]["loop"] = {"$ref": "#/$defs/a"}


def _ref_outside(schema: dict) -> None:
    schema["properties"]["requester"] = {"$ref": "../../../../etc/passwd"}


def _ref_unknown(schema: dict) -> None:
    schema["properties"]["requester"] = {"$ref": "common.schema.json#/$defs/khong-co"}


def _checked_number(schema: dict) -> None:
    schema["x-procedure"]["checked"] = 20261123


def _deep_schema(text: str) -> str:
    return text.rstrip()[:-1] + ', "x-print": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}"


SCHEMA_CASES = [
    Case(
        "schema-truncated",
        SCHEMAS_EP,
        "a schema file cut in the middle",
        _schemas(_raw_schema("khai-sinh", lambda t: t[: len(t) // 2])),
        ("dòng",),
    ),
    Case(
        "schema-wrong-type",
        SCHEMAS_EP,
        "a checked date given as a number",
        _schemas(_edit_schema("khai-sinh", _checked_number)),
        ("/x-procedure/checked",),
    ),
    Case(
        "schema-ref-loop",
        SCHEMAS_EP,
        "two definitions that refer to each other",
        _schemas(_edit_schema("khai-sinh", _ref_loop)),
        ("/$defs/a",),
    ),
    Case(
        "schema-ref-outside",
        SCHEMAS_EP,
        "a $ref that climbs out of the schemas folder",
        _schemas(_edit_schema("khai-sinh", _ref_outside)),
        ("/properties/requester/$ref",),
    ),
    Case(
        "schema-ref-unknown",
        SCHEMAS_EP,
        "a $ref to a definition that does not exist",
        _schemas(_edit_schema("khai-sinh", _ref_unknown)),
        ("/properties/requester/$ref",),
    ),
    Case(
        "schema-huge-title",
        SCHEMAS_EP,
        "a procedure name of 2 MB",
        _schemas(_edit_schema("khai-sinh", _title("Đăng ký " * 250_000))),
        ("/x-procedure/name",),
    ),
    Case(
        "schema-deep-nesting",
        SCHEMAS_EP,
        "5,000 nested objects",
        _schemas(_raw_schema("khai-sinh", _deep_schema)),
        ("sâu",),
    ),
    Case(
        "schema-nul",
        SCHEMAS_EP,
        "NUL in a procedure name",
        _schemas(_edit_schema("khai-sinh", _title("Đăng ký\u0000khai sinh"))),
        ("/x-procedure/name",),
    ),
    Case(
        "schema-rtl-override",
        SCHEMAS_EP,
        "a right-to-left override in a procedure name",
        _schemas(_edit_schema("khai-sinh", _title("Đăng ký \u202ehnis iahk"))),
        ("/x-procedure/name",),
    ),
    Case(
        "schema-nfd",
        SCHEMAS_EP,
        "decomposed (NFD) Vietnamese",
        _schemas(_edit_schema("khai-sinh", _title("Đăng ky\u0301 khai sinh"))),
        ("NFC",),
    ),
    Case(
        "schema-not-utf8",
        SCHEMAS_EP,
        "a schema saved as Windows-1258",
        _schemas(
            lambda folder: _write(
                folder / "khai-sinh.schema.json",
                (folder / "khai-sinh.schema.json")
                .read_text(encoding="utf-8")
                .encode("cp1258", errors="replace"),
            )
        ),
        ("UTF-8",),
    ),
]

# ------------------------------------------------------------------------- publisher

PUBLISHER_BASE = {
    "province": "01",
    "commune": "00004",
    "office_name": "Bộ phận Một cửa",
    "office_address": "Số 1 phố Liễu Giai",
    "officer_name": "Nguyễn Thu Trang",
    "officer_phone": "0912 000 111",
    "hotline": "1900 0368",
    "provincial_portal_url": "https://dichvucong.hanoi.gov.vn",
    "provincial_lookup_url": "https://dichvucong.hanoi.gov.vn",
}


# Not "mkdocs.yml": every message must name the file really read (lienthong build -f FILE).
PUBLISHER_FILE = "cau-hinh-tinh.yml"


def mkdocs_yml(publisher_yaml: str) -> str:
    """A mkdocs.yml for the real docs and schemas, with the given publisher block."""
    return (
        "site_name: Thử\n"
        "site_url: https://thu.lienthong.invalid/\n"
        f"docs_dir: {ROOT / 'docs'}\n"
        "theme:\n  name: material\n  language: vi\n  font: false\n"
        "plugins:\n  - search\n  - offline\n  - lienthong:\n"
        f"      schemas_dir: {SCHEMAS}\n"
        f"      forms_dir: {ROOT / 'forms'}\n"
        f"      node_modules: {ROOT / 'node_modules'}\n"
        "      publisher:\n" + "".join(f"        {line}\n" for line in publisher_yaml.splitlines())
    )


def _publisher(**changes: Any) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        values = {**PUBLISHER_BASE, **changes}
        block = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in values.items())
        return _write(folder / PUBLISHER_FILE, mkdocs_yml(block))

    return make


def _publisher_raw(text: str) -> Callable[[Path], Path]:
    return lambda folder: _write(folder / PUBLISHER_FILE, text)


_LAUGHS = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
)

PUBLISHER_CASES = [
    Case(
        "publisher-formula-office-name",
        PUBLISHER,
        "a spreadsheet formula as the office name",
        _publisher(office_name='=HYPERLINK("https://vi-du.invalid","Bấm vào đây")'),
        ("/publisher/office_name", "công thức"),
    ),
    Case(
        "publisher-formula-hotline",
        PUBLISHER,
        "a hotline that starts with @",
        _publisher(hotline="@SUM(1+1)*cmd|' /C calc'!A0"),
        ("/publisher/hotline", "công thức"),
    ),
    Case(
        "publisher-formula-fullwidth",
        PUBLISHER,
        "an address that starts with a full-width plus sign",
        _publisher(office_address="\uff0b1+2"),
        ("/publisher/office_address", "công thức"),
    ),
    Case(
        "publisher-wrong-type",
        PUBLISHER,
        "a phone number as a list",
        _publisher(officer_phone=["0912", "000"]),
        ("/publisher/officer_phone",),
    ),
    Case(
        "publisher-unknown-commune",
        PUBLISHER,
        "a commune code that does not exist",
        _publisher(commune="99999"),
        ("/publisher/commune",),
    ),
    Case(
        "publisher-javascript-url",
        PUBLISHER,
        "a javascript: portal address",
        _publisher(provincial_portal_url="javascript:alert(1)"),
        ("/publisher/provincial_portal_url",),
    ),
    Case(
        "publisher-quote-in-url",
        PUBLISHER,
        "a portal address that breaks out of an attribute",
        _publisher(provincial_lookup_url='https://a.vn/"><script>alert(1)</script>'),
        ("/publisher/provincial_lookup_url",),
    ),
    Case(
        "publisher-control-chars",
        PUBLISHER,
        "a tab and a bell in the office name",
        _publisher(office_name="Bộ phận\tMột cửa\u0007"),
        ("/publisher/office_name",),
    ),
    Case(
        "publisher-rtl-override",
        PUBLISHER,
        "a right-to-left override in the officer's name",
        _publisher(officer_name="Nguyễn \u202egnarT"),
        ("/publisher/officer_name",),
    ),
    Case(
        "publisher-huge-string",
        PUBLISHER,
        "an office address of 300 KB",
        _publisher(office_address="Số 1 " * 60_000),
        ("/publisher/office_address",),
    ),
    Case(
        "publisher-huge-file",
        PUBLISHER,
        "a mkdocs.yml of 1.4 MB",
        _publisher(office_address="Số 1 " * 200_000),
        ("MB",),
    ),
    Case(
        "publisher-unknown-key",
        PUBLISHER,
        "a district setting",
        _publisher(district="Quận Ba Đình"),
        ("/publisher/district",),
    ),
    Case(
        "publisher-site-name-markup",
        PUBLISHER,
        "markup in the site name, which Material writes into an attribute unescaped",
        lambda folder: _write(
            folder / "mkdocs.yml",
            mkdocs_yml(
                "\n".join(f"{k}: {json.dumps(v)}" for k, v in PUBLISHER_BASE.items())
            ).replace("site_name: Thử", "site_name: " + json.dumps("Thử " + PAYLOAD)),
        ),
        ("/site_name",),
    ),
    Case(
        "publisher-truncated-yaml",
        PUBLISHER,
        "a mkdocs.yml cut inside a quoted string",
        lambda folder: _write(
            folder / "mkdocs.yml", mkdocs_yml('office_name: "Bộ phận Một cửa')[:-1]
        ),
        ("dòng",),
    ),
    Case(
        "publisher-yaml-bomb",
        PUBLISHER,
        "a billion-laughs alias bomb in the office name",
        lambda folder: _write(
            folder / "mkdocs.yml",
            mkdocs_yml("office_name: *i").replace("site_name: Thử\n", "site_name: Thử\n" + _LAUGHS),
        ),
        ("bí danh",),
    ),
]

# ------------------------------------------------------------------------- commune settings

CSV_HEADER = ",".join(PUBLISHER_BASE)


def _csv_row(**changes: Any) -> str:
    values = {**PUBLISHER_BASE, **changes}
    return ",".join('"' + str(v).replace('"', '""') + '"' for v in values.values())


def _communes_csv(*rows: str, header: str = CSV_HEADER) -> Callable[[Path], Path]:
    return lambda folder: _write(folder / "cau-hinh.csv", "\n".join([header, *rows]) + "\n")


def _communes_yaml(text: str) -> Callable[[Path], Path]:
    return lambda folder: _write(folder / "cau-hinh.yml", text)


COMMUNE_CASES = [
    Case(
        "communes-dev-zero",
        COMMUNES,
        "an endless device (/dev/zero) as the settings file",
        lambda folder: Path("/dev/zero"),
        ("MB",),
    ),
    Case(
        "communes-formula-csv",
        COMMUNES,
        "a formula as a CSV office name",
        _communes_csv(_csv_row(office_name="=1+1")),
        ("dòng 2", "office_name", "công thức"),
    ),
    Case(
        "communes-formula-title",
        COMMUNES,
        "an officer's title that starts with -",
        _communes_csv(_csv_row(officer_title="-2+3"), header=CSV_HEADER + ",officer_title"),
        ("dòng 2", "officer_title", "công thức"),
    ),
    Case(
        "communes-formula-yaml",
        COMMUNES,
        "opening hours that start with + in YAML",
        _communes_yaml(
            "- province: '01'\n  commune: '00004'\n  office_name: Bộ phận Một cửa\n"
            "  office_address: Số 1\n  opening_hours: '+cmd'\n  officer_name: Lê Văn An\n"
            "  officer_phone: 0912 000 111\n  hotline: 1900 0368\n"
            "  provincial_portal_url: https://dichvucong.hanoi.gov.vn\n"
            "  provincial_lookup_url: https://dichvucong.hanoi.gov.vn/tra-cuu\n"
        ),
        ("dòng", "opening_hours", "công thức"),
    ),
    Case(
        "communes-wrong-province",
        COMMUNES,
        "a commune listed under another province",
        _communes_csv(_csv_row(province="79")),
        ("dòng 2", "commune"),
    ),
    Case(
        "communes-path-traversal",
        COMMUNES,
        "a commune code that is a path",
        _communes_csv(_csv_row(commune="../../../tmp/x")),
        ("dòng 2", "commune"),
    ),
    Case(
        "communes-script",
        COMMUNES,
        "markup in an officer's name",
        _communes_csv(_csv_row(officer_name=PAYLOAD)),
        ("dòng 2", "officer_name"),
    ),
    Case(
        "communes-nul",
        COMMUNES,
        "a NUL byte in the file",
        _communes_csv(_csv_row(office_name="Bộ phận\u0000Một cửa")),
        ("dòng 2",),
    ),
    Case(
        "communes-not-utf8",
        COMMUNES,
        "a CSV saved as UTF-16 (Excel's 'Unicode text')",
        lambda folder: _write(
            folder / "cau-hinh.csv", ("\n".join([CSV_HEADER, _csv_row()]) + "\n").encode("utf-16")
        ),
        ("UTF-8",),
    ),
    Case(
        "communes-district-column",
        COMMUNES,
        "a district column",
        _communes_csv(_csv_row() + ',"Quận Ba Đình"', header=CSV_HEADER + ",huyen"),
        ("huyen",),
    ),
    Case(
        "communes-huge-cell",
        COMMUNES,
        "a 5 MB cell",
        _communes_csv(_csv_row(office_address="x" * 5_000_000)),
        ("dòng 2", "office_address"),
    ),
    Case(
        "communes-truncated-yaml",
        COMMUNES,
        "a YAML list cut inside a quoted string",
        _communes_yaml('communes:\n  - province: "01"\n    commune: "000'),
        ("dòng",),
    ),
    Case(
        "communes-yaml-bomb",
        COMMUNES,
        "a billion-laughs alias bomb",
        _communes_yaml(_LAUGHS + "communes:\n  - *i\n"),
        ("dòng",),
    ),
    # Issue 16, class 5: tags outside the safe set, and aliases expanded inside a value.
    Case(
        "communes-yaml-python-tag",
        COMMUNES,
        "a Python object tag in a value",
        _communes_yaml(
            'communes:\n  - province: "01"\n    commune: "00004"\n'
            '    office_name: !!python/object/apply:os.system ["echo pwned"]\n'
        ),
        ("dòng 4", "thẻ YAML"),
    ),
    Case(
        "communes-yaml-custom-tag",
        COMMUNES,
        "an application tag (!include) in a value",
        _communes_yaml('communes:\n  - province: "01"\n    commune: !include other.yml\n'),
        ("dòng 3", "thẻ YAML"),
    ),
    Case(
        "communes-yaml-tagged-defaults",
        COMMUNES,
        "a tag on the defaults table",
        _communes_yaml('defaults: !!python/name:os.system\ncommunes:\n  - commune: "00004"\n'),
        ("dòng 1", "thẻ YAML"),
    ),
    Case(
        "communes-yaml-bomb-in-value",
        COMMUNES,
        "aliases that expand a field's value to 86 million items",
        _communes_yaml(
            "defaults:\n"
            + "".join(f"  {line}\n" for line in _LAUGHS.splitlines())
            + 'communes:\n  - commune: "00004"\n    office_name: [*i, *i]\n'
        ),
        ("dòng", "bí danh"),
    ),
    Case(
        "communes-yaml-self-alias",
        COMMUNES,
        "a commune that contains itself through an alias",
        _communes_yaml('communes:\n  - &a\n    commune: "00004"\n    x: *a\n'),
        ("dòng 2", "bí danh"),
    ),
    Case(
        "communes-yaml-wrong-shape",
        COMMUNES,
        "a mapping where the list of communes belongs",
        _communes_yaml("communes:\n  province: '01'\n"),
        ("dòng 2", "danh sách"),
    ),
]

# ------------------------------------------------------------------------- arguments

COMMAND_CASES = [
    Case(
        "command-form-id-path",
        COMMAND,
        "a form id that is a path",
        lambda folder: folder / "khong-co.pdf",
        ("../../etc/passwd",),
        argv=("pdf", "../../etc/passwd"),
    ),
    Case(
        "command-schema-id-path",
        COMMAND,
        "a schema id that is a path",
        lambda folder: _write(folder / "ho-so.json", "{}"),
        ("../common",),
        argv=("validate", "../common"),
    ),
]

CASES = RECORD_CASES + SCHEMA_CASES + PUBLISHER_CASES + COMMUNE_CASES + COMMAND_CASES
