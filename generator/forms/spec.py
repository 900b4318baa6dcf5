"""Read ``forms/<id>/fields.yml``: a form's printed fields as data, checked by
``schemas/meta/form-fields.schema.json`` (forms/README.md explains every key).

``FormSpecs(catalog, forms_dir)`` loads each form's file once; a file that is missing, is not
safe YAML, or breaks the meta-schema stops with ``FieldsInvalid``, whose problems name the file
and the JSON pointer (and the line) of each fault.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from lienthong.errors import LienThongError, Problem
from lienthong.inputs.commune_settings import SettingsInvalid, check_yaml_nodes
from lienthong.inputs.files import read_text
from lienthong.schema.catalog import Catalog
from lienthong.schema.validation import nfc

FIELDS_FILE = "fields.yml"
META = "form-fields"
MAX_BYTES = 256 * 1024  # the largest form's file is about 9 KB
CHECKLIST = "checklist"


class FieldsInvalid(LienThongError):
    """A fields file cannot be used; ``problems`` locate each fault."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class FormSpec:
    """One form's fields file, read and checked against the meta-schema."""

    id: str
    file: str  # as messages name it: "forms/ct01/fields.yml"
    data: dict[str, Any]
    lines: dict[str, int]  # JSON pointer -> line in the file

    @property
    def pages(self) -> int:
        return int(self.data.get("pages", 1))

    @property
    def applies_if(self) -> dict[str, Any] | None:
        return self.data.get("applies_if")

    @property
    def fields(self) -> dict[str, Any]:
        return self.data["fields"]

    @property
    def context(self) -> list[str]:
        return list(self.data.get("context", []))

    def line(self, ptr: str) -> int | None:
        while ptr and ptr not in self.lines:
            ptr = ptr.rsplit("/", 1)[0]
        return self.lines.get(ptr)


def _display(path: Path, forms_dir: Path) -> str:
    try:
        return (Path(forms_dir.name) / path.relative_to(forms_dir)).as_posix()
    except ValueError:
        return str(path)


def _lines(node: yaml.Node, ptr: str = "") -> dict[str, int]:
    out = {ptr: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = f"{ptr}/{str(key.value).replace('~', '~0').replace('/', '~1')}"
            out.update(_lines(value, sub))
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            out.update(_lines(value, f"{ptr}/{i}"))
    return out


def read_fields(catalog: Catalog, forms_dir: Path, form_id: str) -> FormSpec:
    """The fields file of ``form_id`` in ``forms_dir``, checked (raises ``FieldsInvalid``)."""
    path = Path(forms_dir) / form_id / FIELDS_FILE
    file = _display(path, Path(forms_dir))
    if not path.is_file():
        raise FieldsInvalid(
            [
                Problem(
                    file, "", f"thiếu tệp {FIELDS_FILE}: mỗi tờ khai khai báo các trường in ở đây."
                )
            ]
        )
    text = read_text(path, file, MAX_BYTES)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", dòng {mark.line + 1}" if mark else ""
        raise FieldsInvalid([Problem(file + line, "", "YAML không hợp lệ.")]) from None
    if root is None:
        raise FieldsInvalid([Problem(file, "", "tệp trống; cần ít nhất mục 'fields'.")])
    try:
        check_yaml_nodes(root, file)
    except SettingsInvalid as exc:
        raise FieldsInvalid(
            [Problem(file, "", m.split(": ", 1)[-1]) for m in exc.messages]
        ) from None
    data = yaml.SafeLoader(text).get_single_data()
    data = nfc(data)
    spec = FormSpec(form_id, file, data if isinstance(data, dict) else {}, _lines(root))
    problems = meta_problems(catalog, spec, data)
    if problems:
        raise FieldsInvalid(problems)
    return spec


@functools.cache
def _meta_validator(meta_json: str) -> Draft202012Validator:
    import json

    return Draft202012Validator(json.loads(meta_json))


def meta_problems(catalog: Catalog, spec: FormSpec, data: Any) -> list[Problem]:
    """Every place where ``data`` breaks the meta-schema, one problem per place."""
    import json

    meta = catalog.meta.get(META)
    if meta is None:
        return [
            Problem("schemas/meta/form-fields.schema.json", "", "thiếu meta-schema của tờ khai.")
        ]
    validator = _meta_validator(json.dumps(meta, sort_keys=True))
    out: dict[str, Problem] = {}
    for error in validator.iter_errors(data):
        ptr, message = _explain(_deepest(error))
        line = spec.line(ptr)
        where = f"{spec.file}, dòng {line}" if line else spec.file
        out.setdefault(ptr, Problem(where, ptr or "/", message))
    return list(out.values())


def _deepest(error: ValidationError) -> ValidationError:
    """Of a oneOf/anyOf failure, the branch error that went furthest into the value."""
    while error.context:
        deeper = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.context or [])))
        if len(deeper.absolute_path) <= len(error.absolute_path):
            break  # no branch got further: the value is of no kind at all
        error = deeper
    return error


def _pointer(parts) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _explain(error: ValidationError) -> tuple[str, str]:
    ptr = _pointer(error.absolute_path)
    kind, value = error.validator, error.instance
    if kind == "enum" and "x-messages" in error.schema:
        return ptr, f"'{value}' {error.schema['x-messages']['enum']}"
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        return ptr + (f"/{extra[0]}" if extra else ""), (
            f"khóa '{extra[0] if extra else '?'}' không dùng được ở đây (xem forms/README.md)."
        )
    if kind == "required":
        return ptr, f"thiếu khóa {error.message.split(' ')[0]}."
    if kind == "pattern":
        return (
            ptr,
            f"'{value}' không đúng dạng (con trỏ JSON như /khai_sinh/child/full_name, tên như full_name).",
        )
    if kind == "type":
        return ptr, f"phải là {_types(error.validator_value)}, không phải {type(value).__name__}."
    if kind in ("oneOf", "anyOf", "not"):
        return ptr, (
            "mục này phải là đúng một loại: {from, as}, {value}, {join, of}, {first}, {fields} "
            "hoặc {each, fields}; điều kiện: field với equals/in/present, procedure, filled, "
            "section, all, any hoặc not."
        )
    return ptr, error.message


def _types(kinds: Any) -> str:
    names = {
        "string": "chữ",
        "integer": "số nguyên",
        "boolean": "true/false",
        "null": "null",
        "object": "bảng khóa: giá trị",
        "array": "danh sách",
    }
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return " hoặc ".join(names.get(k, k) for k in kinds)


class FormSpecs:
    """Every form's fields file in ``forms_dir``, each read once."""

    def __init__(self, catalog: Catalog, forms_dir: Path):
        self.catalog = catalog
        self.forms_dir = Path(forms_dir)
        self._specs: dict[str, FormSpec] = {}

    def __getitem__(self, form_id: str) -> FormSpec:
        if form_id not in self._specs:
            self._specs[form_id] = read_fields(self.catalog, self.forms_dir, form_id)
        return self._specs[form_id]
