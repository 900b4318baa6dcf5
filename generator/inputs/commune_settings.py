"""Publisher settings for many communes at once, from one CSV or YAML file.

One row per commune, with the fields of ``schemas/publisher.schema.json`` (the same block a
single commune writes under ``plugins → lienthong → publisher`` in mkdocs.yml):

- **CSV** (UTF-8, with or without a byte-order mark, comma or semicolon separated): the first
  line names the columns, each later line is one commune. Empty cells are left out. Codes
  that lost their leading zeros in a spreadsheet ("1", "4") are padded back ("01", "00004").
- **YAML**: a list of mappings, or a mapping with ``communes:`` (that list) and an optional
  ``defaults:`` mapping whose values every row takes unless it gives its own. Every value is
  read as text, so "01" stays "01".

Every row is validated against the publisher schema by ``lienthong.schema.validation`` (the same
messages as ``lienthong check``); all problems are collected and raised together as
``SettingsInvalid``, each worded "tệp X, dòng N, trường F: ...". Old (pre-2025) commune and
province codes and district columns get messages that say what replaced them
(``generator.legacy_units``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lienthong.errors import CheckFailed, LienThongError
from lienthong.inputs.files import read_text
from lienthong.schema.catalog import Catalog

PUBLISHER_SCHEMA = "publisher"
# Digit-only codes a spreadsheet may have shortened, and their full width.
MAX_BYTES = 20 << 20  # the national table of 3,321 communes is about 2 MB
CODE_WIDTH = {"province": 2, "commune": 5}


@dataclass(frozen=True)
class CommuneSettings:
    """One commune's validated settings and where they were read."""

    settings: dict[str, Any]
    file: str
    line: int

    @property
    def commune(self) -> str:
        return self.settings["commune"]

    @property
    def origin(self) -> str:
        return f"tệp {self.file}, dòng {self.line}"


class SettingsInvalid(LienThongError):
    """Bad rows in a settings file; ``messages`` has one line per problem, in file order."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass(frozen=True)
class _Row:
    values: dict[str, Any]
    line: int
    field_lines: dict[str, int]
    problem: str | None = None  # a row that cannot be validated at all


def _where(file: str, line: int, field: str | None = None) -> str:
    where = f"tệp {file}, dòng {line}"
    return f"{where}, trường {field}" if field else where


def _pad_codes(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for key, width in CODE_WIDTH.items():
        value = out.get(key)
        if isinstance(value, str) and value.isdigit() and len(value) < width:
            out[key] = value.zfill(width)
    return out


# A cell that a spreadsheet would run as a formula (OWASP, "CSV Injection"): these first
# characters, tab and carriage return included, and their full-width forms.
FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def csv_cell(value: Any) -> str:
    """A value as a CSV cell that no spreadsheet runs: OWASP's escape, a leading apostrophe
    before a formula character (the csv module quotes what needs quoting)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_START else text


def csv_value(cell: str) -> str:
    """The value that ``csv_cell`` escaped, so that the project reads back what it wrote."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_START else cell


def write_settings_csv(path: Path, rows: list[dict[str, Any]], fields: list[str]) -> None:
    """Commune settings as a CSV file that ``read_settings`` reads back, every cell escaped."""
    with Path(path).open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(fields)
        for row in rows:
            writer.writerow([csv_cell(row.get(name)) for name in fields])


def _read_csv(text: str, file: str) -> list[_Row]:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    # Cells up to the file's own limit, so a long one is named by its field (maxLength)
    # rather than refused as an unreadable line. (Process-wide, but only ever raised.)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _csv_rows(reader, file)


def _csv_rows(reader: Any, file: str) -> list[_Row]:
    rows: list[_Row] = []
    header: list[str] | None = None
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            # A cell over the csv module's limit, or a NUL byte.
            raise SettingsInvalid(
                [
                    f"{_where(file, start)}: không đọc được dòng này (ô quá dài hoặc có ký tự "
                    "lạ); mỗi ô chỉ ghi vài dòng chữ."
                ]
            ) from None
        line, start = start, reader.line_num + 1
        if header is None:
            header = [name.strip() for name in record]
            continue
        if not any(cell.strip() for cell in record):
            continue
        values: dict[str, Any] = {}
        for name, cell in zip(header, record, strict=False):
            if name and cell.strip():
                values[name] = csv_value(cell.strip())
        problem = None
        if any(cell.strip() for cell in record[len(header) :]):
            problem = (
                f"dòng có {len(record)} ô, nhiều hơn {len(header)} cột của dòng tiêu đề; "
                "kiểm tra dấu phân cách thừa, hoặc đặt ô có dấu phẩy trong dấu ngoặc kép."
            )
        rows.append(_Row(values, line, {}, problem))
    return rows


class _TextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Reads every scalar as text (YAML 1.1 would read "01" as the number 1)."""


_TextLoader.add_constructor(
    "tag:yaml.org,2002:int", lambda loader, node: loader.construct_scalar(node)
)
_TextLoader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: loader.construct_scalar(node)
)
_TextLoader.add_constructor(
    "tag:yaml.org,2002:bool", lambda loader, node: loader.construct_scalar(node)
)
_TextLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


# Tags a settings file may hold: the ones YAML gives plain text, numbers, lists and tables.
SAFE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
)
# Aliases (&a / *a) may repeat a value; past these limits a small file would expand into
# millions of values (a "billion laughs" file), so it is refused before anything is built.
MAX_EXPANDED_NODES = 400_000  # a national file of 3.321 communes is about 90.000
MAX_EXPANDED_CHARS = 20_000_000


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Vietnamese groups thousands with dots


def check_yaml_nodes(root: yaml.Node, file: str) -> None:
    """Refuse unknown tags and alias expansion past the limits, naming the file and line.

    Walks the composed node graph once per node (aliases share nodes), adding up what each
    node would expand to, so the check costs as much as the file is long, not as it expands.
    """
    sizes: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> tuple[int, int]:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if node.tag not in SAFE_TAGS:
            raise SettingsInvalid(
                [
                    f"{_where(file, node.start_mark.line + 1)}: thẻ YAML '{node.tag}' không dùng "
                    "được ở đây; chỉ ghi chữ, số, danh sách và bảng khóa: giá trị."
                ]
            )
        if key in active:  # a value that contains itself
            raise SettingsInvalid(
                [f"{_where(file, node.start_mark.line + 1)}: bí danh YAML tự chứa chính nó."]
            )
        if isinstance(node, yaml.ScalarNode):
            total = (1, len(node.value))
        else:
            active.add(key)
            children = (
                [c for pair in node.value for c in pair]
                if isinstance(node, yaml.MappingNode)
                else list(node.value)
            )
            counts = [size(c) for c in children]
            active.discard(key)
            total = (1 + sum(n for n, _ in counts), sum(c for _, c in counts))
        if total[0] > MAX_EXPANDED_NODES or total[1] > MAX_EXPANDED_CHARS:
            raise SettingsInvalid(
                [
                    f"{_where(file, node.start_mark.line + 1)}: dữ liệu quá lớn khi mở các bí "
                    f"danh YAML (&/*): hơn {_thousands(MAX_EXPANDED_NODES)} giá trị hoặc "
                    f"{_thousands(MAX_EXPANDED_CHARS)} ký tự; tệp cấu hình các xã không cần lặp "
                    "lại như vậy."
                ]
            )
        sizes[key] = total
        return total

    size(root)


def _read_yaml(text: str, file: str) -> list[_Row]:
    try:
        root = yaml.compose(text, Loader=_TextLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _where(file, mark.line + 1) if mark else f"tệp {file}"
        raise SettingsInvalid([f"{where}: YAML không hợp lệ."]) from None
    if root is None:
        return []
    check_yaml_nodes(root, file)
    defaults: dict[str, Any] = {}
    items = root
    if isinstance(root, yaml.MappingNode):
        keys = {k.value: v for k, v in root.value}
        unknown = [k for k in keys if k not in ("communes", "defaults")]
        if unknown:
            raise SettingsInvalid(
                [
                    f"{_where(file, root.start_mark.line + 1)}: mục '{unknown[0]}' không hợp lệ; "
                    "tệp YAML chỉ có 'communes' (danh sách các xã) và 'defaults' (giá trị chung)."
                ]
            )
        if "defaults" in keys:
            node = keys["defaults"]
            if not isinstance(node, yaml.MappingNode):
                raise SettingsInvalid(
                    [
                        f"{_where(file, node.start_mark.line + 1)}: 'defaults' phải là bảng khóa: giá trị."
                    ]
                )
            defaults = _TextLoader(io.StringIO("")).construct_document(node)
        items = keys.get("communes")
    if not isinstance(items, yaml.SequenceNode):
        line = (items or root).start_mark.line + 1
        raise SettingsInvalid(
            [f"{_where(file, line)}: cần danh sách các xã (mỗi xã một mục bắt đầu bằng dấu -)."]
        )
    rows: list[_Row] = []
    loader = _TextLoader(io.StringIO(""))
    for item in items.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            rows.append(_Row({}, line, {}, "mỗi xã phải là một bảng khóa: giá trị."))
            continue
        values = dict(defaults)
        field_lines: dict[str, int] = {}
        for key_node, value_node in item.value:
            key = str(loader.construct_object(key_node, deep=True))
            values[key] = loader.construct_object(value_node, deep=True)
            field_lines[key] = key_node.start_mark.line + 1
        rows.append(_Row(values, line, field_lines))
    return rows


def _integer_fields(catalog: Catalog) -> set[str]:
    props = catalog.schemas[PUBLISHER_SCHEMA].get("properties", {})
    return {name for name, spec in props.items() if spec.get("type") == "integer"}


def read_settings(path: Path, catalog: Catalog) -> dict[str, CommuneSettings]:
    """Every commune's settings in ``path`` (``.csv``, ``.yml`` or ``.yaml``), by commune code.

    Raises:
        SettingsInvalid: the file cannot be read, or any row is wrong (all rows are checked).
    """
    from lienthong.inputs.legacy_units import district_message, explain, is_district_key
    from lienthong.schema.validation import validator_for

    path = Path(path)
    file = str(path)
    try:
        text = read_text(path, file, max_bytes=MAX_BYTES)
    except CheckFailed as exc:
        raise SettingsInvalid([f"tệp {p.file}: {p.message}" for p in exc.problems]) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _read_csv(text, file)
    elif suffix in (".yml", ".yaml"):
        rows = _read_yaml(text, file)
    else:
        raise SettingsInvalid(
            [
                f"tệp {file}: chỉ đọc được tệp .csv, .yml hoặc .yaml (xem README, mục Gói tài liệu cho xã)."
            ]
        )
    validator = validator_for(catalog, PUBLISHER_SCHEMA)
    integers = _integer_fields(catalog)
    messages: list[tuple[int, str]] = []  # (line, message), reported in line order
    found: dict[str, CommuneSettings] = {}
    known = set(catalog.schemas[PUBLISHER_SCHEMA].get("properties", {}))
    for row in rows:
        if row.problem:
            messages.append((row.line, f"{_where(file, row.line)}: {row.problem}"))
            continue
        values = _pad_codes(row.values)
        for name in sorted(values.keys() - known):
            line = row.field_lines.get(name, 1 if suffix == ".csv" else row.line)
            if is_district_key(name):
                problem = district_message(name, "cột" if suffix == ".csv" else "trường")
            else:
                problem = (
                    "không có trường này trong cấu hình đơn vị phát hành; "
                    f"các trường dùng được: {', '.join(sorted(known))}."
                )
            messages.append((line, f"{_where(file, line, name)}: {problem}"))
            del values[name]
        for name in integers & values.keys():
            if isinstance(values[name], str) and values[name].strip().isdigit():
                values[name] = int(values[name])
        # explain(): old commune/province codes say what replaced them.
        errors = explain(validator.validate(values), values)
        for error in errors:
            field = error["pointer"].lstrip("/").split("/")[0] or None
            line = row.field_lines.get(field, row.line) if field else row.line
            messages.append((line, f"{_where(file, line, field)}: {error['message']}"))
        if errors:
            continue
        code = values["commune"]
        if code in found:
            messages.append(
                (
                    row.line,
                    f"{_where(file, row.line, 'commune')}: xã {code} đã có ở dòng {found[code].line}; "
                    "mỗi xã chỉ một dòng.",
                )
            )
            continue
        found[code] = CommuneSettings(values, file, row.line)
    if messages:
        # An unknown CSV column is reported once, at the header, not once per row.
        ordered = sorted(dict.fromkeys(messages), key=lambda item: item[0])
        raise SettingsInvalid([message for _, message in ordered])
    return found
