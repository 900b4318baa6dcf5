"""`lienthong check`: validate schemas, vocabulary, examples and settings.

Every problem is collected first and reported together; the caller decides
whether to fail (errors always fail, warnings only in strict mode).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema_specifications import REGISTRY as SPECIFICATIONS
from referencing import Registry, Resource

from lienthong.errors import Problem
from lienthong.inputs.files import shape_problem
from lienthong.inputs.legacy_units import explain
from lienthong.inputs.settings import BLANK
from lienthong.schema import dated
from lienthong.schema.catalog import Catalog
from lienthong.schema.formats import format_checker
from lienthong.schema.validation import pointer, resolve_pointer, validator_for

DEFAULT_REVIEW_DAYS = 365
PUBLISHER_SCHEMA = "publisher"


def check_catalog(
    catalog: Catalog, *, today: dt.date | None = None, review_days: int = DEFAULT_REVIEW_DAYS
) -> list[Problem]:
    """Every problem with the schemas themselves."""
    problems: list[Problem] = []
    problems += _vocabulary(catalog)
    if problems:
        # Later checks assume the vocabulary's shape.
        return problems
    problems += _refs(catalog)
    problems += _composition(catalog)
    if problems:
        return problems
    problems += _examples(catalog)
    problems += _amounts(catalog)
    problems += _old_terms(catalog)
    problems += _post_colours(catalog)
    problems += _staleness(catalog, today or dt.date.today(), review_days)
    problems += _dated(catalog, catalog.day)
    return problems


def _old_terms(catalog: Catalog) -> list[Problem]:
    """Pages of x-old-terms that name no procedure or group (site/old_terms.py)."""
    file = catalog.files.get("common", "common.schema.json")
    terms = catalog.schemas.get("common", {}).get("x-old-terms", [])
    return [
        Problem(
            file,
            f"/x-old-terms/{n}/pages/{i}",
            f"'{ref}' không phải thủ tục, nhóm thủ tục hay trang .md nào.",
        )
        for n, entry in enumerate(terms)
        for i, ref in enumerate(entry.get("pages", []))
        if not ref.endswith(".md") and ref not in catalog.groups and ref not in catalog.procedures
    ]


def contrast(colour: str, other: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(colour), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _post_colours(catalog: Catalog) -> list[Problem]:
    """A group's colour carries white text on the pack pictures: at least WCAG AA (4.5:1)."""
    problems = []
    for name, schema in catalog.schemas.items():
        colour = (schema.get("x-group") or {}).get("post", {}).get("colour")
        if colour and contrast(colour) < 4.5:
            problems.append(
                Problem(
                    catalog.files.get(name, name),
                    "/x-group/post/colour",
                    f"màu {colour} quá nhạt cho chữ trắng: độ tương phản "
                    f"{contrast(colour):.1f}:1, cần ít nhất 4,5:1.",
                )
            )
    return problems


def check_publisher(catalog: Catalog, settings: Any, file: str, base: str) -> list[Problem]:
    """Problems in the publisher settings (``base`` is their pointer in ``file``)."""
    if PUBLISHER_SCHEMA not in catalog.schemas:
        return [Problem(file, base, "thiếu schemas/publisher.schema.json.")]
    shape = shape_problem(settings)
    if shape:
        return [Problem(file, base + shape[0], shape[1])]
    errors = validator_for(catalog, PUBLISHER_SCHEMA).validate(settings)
    # Old commune/province codes and district fields: say what replaced them.
    errors = explain(errors, settings)
    problems = [Problem(file, base + e["pointer"], e["message"]) for e in errors]
    # lienthong new leaves marked blanks: a note each, so a new project builds as it is.
    return problems + [
        Problem(
            file,
            f"{base}/{key}",
            f"còn chữ “{BLANK}”: điền thông tin thật của xã trước khi đăng trang.",
            "note",
        )
        for key, value in (settings or {}).items()
        if isinstance(value, str) and BLANK in value
    ]


# mkdocs.yml texts that Material's templates write into pages, some into attributes
# unescaped (site_name in aria-label): markup characters there would break the page.
SITE_TEXTS = ("site_name", "site_description", "site_author")
_MARKUP = re.compile(r"[<>\"`]|&(?=[#a-zA-Z])")


def check_site_texts(config: Any, file: str) -> list[Problem]:
    """Problems with the site's own texts in mkdocs.yml (name, description, author)."""
    problems = []
    for key in SITE_TEXTS:
        value = config.get(key) if hasattr(config, "get") else None
        if isinstance(value, str) and _MARKUP.search(value):
            problems.append(
                Problem(
                    file,
                    f"/{key}",
                    'không dùng các ký tự < > " ` hay mã HTML (&…;) ở đây; '
                    "hãy viết bằng chữ thường, ví dụ dấu nháy đơn thay cho nháy kép.",
                )
            )
    return problems


@cache
def _meta_validator(meta_json: str) -> Draft202012Validator:
    # A crawled registry: without it every $dynamicRef re-crawls the
    # meta-schemas, which made this check take 2 s.
    meta = json.loads(meta_json)
    registry = (
        Registry()
        .with_resource(meta["$id"], Resource.from_contents(meta))
        .combine(SPECIFICATIONS)
        .crawl()
    )
    return Draft202012Validator(meta, registry=registry, format_checker=format_checker())


def _vocabulary(catalog: Catalog) -> list[Problem]:
    meta = catalog.meta.get("vocabulary")
    if meta is None:
        return [Problem("schemas/meta", "", "thiếu meta-schema vocabulary.schema.json.")]
    validator = _meta_validator(json.dumps(meta, sort_keys=True))
    problems = []
    for sid, schema in catalog.schemas.items():
        for error in validator.iter_errors(schema):
            where = pointer(error.absolute_path)
            problems.append(Problem(catalog.files[sid], where, _meta_message(error)))
    return problems


def _meta_message(error) -> str:
    keyword = error.validator
    if keyword == "required":
        return f"thiếu chú thích bắt buộc: {error.message.split(' is a required')[0]}. Bổ sung theo schemas/VOCABULARY.md."
    if keyword == "additionalProperties":
        return f"có mục không thuộc từ vựng: {error.message}. Kiểm tra lỗi chính tả."
    if keyword == "enum":
        return (
            f"giá trị {error.instance!r} không được phép; chọn một trong {error.validator_value}."
        )
    return f"{error.message} (từ khóa {keyword})."


def _walk(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, (*path, i))


def _refs(catalog: Catalog) -> list[Problem]:
    problems = []
    for sid, schema in catalog.schemas.items():
        resolver = catalog.registry.resolver(base_uri=schema["$id"])
        for path, node in _walk(schema):
            if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                try:
                    loop = _ref_loop(resolver, node["$ref"])
                except Exception:
                    problems.append(
                        Problem(
                            catalog.files[sid],
                            pointer((*path, "$ref")),
                            f"không tìm thấy đích của $ref '{node['$ref']}'. Kiểm tra tên tệp và đường dẫn #/$defs/….",
                        )
                    )
                    continue
                if loop:
                    problems.append(
                        Problem(
                            catalog.files[sid],
                            pointer((*path, "$ref")),
                            "vòng tham chiếu $ref không dẫn tới định nghĩa nào: "
                            + " → ".join(loop)
                            + ". Một định nghĩa trong vòng phải có nội dung thay cho $ref.",
                        )
                    )
    return problems


def _ref_loop(resolver: Any, ref: str) -> list[str]:
    """The $refs of a chain that comes back on itself ($ref to $ref to ...), or [].

    A schema that is nothing but a $ref to itself, directly or through others, would make
    every validator recurse forever; recursion through properties or items is fine.
    """
    seen: list[int] = []
    chain = [ref]
    resolved = resolver.lookup(ref)
    while isinstance(resolved.contents, dict) and isinstance(resolved.contents.get("$ref"), str):
        if id(resolved.contents) in seen:
            return chain
        seen.append(id(resolved.contents))
        chain.append(resolved.contents["$ref"])
        resolved = resolved.resolver.lookup(resolved.contents["$ref"])
    return []


def _composition(catalog: Catalog) -> list[Problem]:
    problems = []
    procedures = catalog.procedures
    keys: dict[str, str] = {}
    for pid, proc in procedures.items():
        file = catalog.files[pid]
        if proc["id"] != pid:
            problems.append(Problem(file, "/x-procedure/id", f"id phải trùng tên tệp: '{pid}'."))
        if proc["key"] in keys:
            problems.append(
                Problem(
                    file, "/x-procedure/key", f"key '{proc['key']}' trùng với {keys[proc['key']]}."
                )
            )
        keys[proc["key"]] = pid
    for gid, group in catalog.groups.items():
        file = catalog.files[gid]
        schema = catalog.schemas[gid]
        if group["id"] != gid:
            problems.append(Problem(file, "/x-group/id", f"id phải trùng tên tệp: '{gid}'."))
        for i, item in enumerate(group["procedures"]):
            proc = procedures.get(item["id"])
            if proc is None:
                problems.append(
                    Problem(
                        file,
                        f"/x-group/procedures/{i}/id",
                        f"không có thủ tục '{item['id']}' trong schemas/.",
                    )
                )
            elif proc["key"] not in schema.get("properties", {}):
                problems.append(
                    Problem(
                        file,
                        "/properties",
                        f"nhóm thiếu mục '{proc['key']}' cho thủ tục '{item['id']}'.",
                    )
                )
        if not schema.get("examples"):
            problems.append(
                Problem(
                    file, "/examples", "nhóm cần ít nhất một hồ sơ mẫu hợp lệ trong 'examples'."
                )
            )
    return problems


def _examples(catalog: Catalog) -> list[Problem]:
    problems = []
    for gid in catalog.groups:
        file = catalog.files[gid]
        for i, example in enumerate(catalog.schemas[gid].get("examples", [])):
            for error in validator_for(catalog, gid).validate(example):
                problems.append(Problem(file, f"/examples/{i}{error['pointer']}", error["message"]))
    return problems


# Keywords whose values are data (records, literal values), not schemas: a "checked" there is
# a value someone typed, not a date the vocabulary defines.
_DATA_KEYWORDS = frozenset({"examples", "const", "default", "enum"})
# Keywords whose keys are names chosen by the schema's author (a property may be "examples").
_NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})


def _dates(schema: dict) -> Iterator[tuple[tuple, str]]:
    """(path, value) of every last-checked date the vocabulary defines in a schema: ``checked``
    of an x-procedure or x-group and of each of their facts, and ``x-checked`` anywhere."""
    for path, node in _walk(schema):
        if not path or not isinstance(node, str):
            continue
        annotation = path[-1] == "checked" and path[0] in ("x-procedure", "x-group")
        if annotation or (path[-1] == "x-checked" and not _in_data(path)):
            yield path, node


def _in_data(path: tuple) -> bool:
    return any(
        key in _DATA_KEYWORDS and (i == 0 or path[i - 1] not in _NAME_MAPS)
        for i, key in enumerate(path[:-1])
    )


def _staleness(catalog: Catalog, today: dt.date, review_days: int) -> list[Problem]:
    """Warn about facts whose last check is older than the review period.

    A fact without a date of its own was checked with its procedure or group, whose
    ``checked`` is then the one reported; a fact's own ``checked`` is reported at its pointer.
    """
    problems = []
    limit = today - dt.timedelta(days=review_days)
    for sid, schema in catalog.schemas.items():
        for path, node in _dates(schema):
            try:
                checked = dt.date.fromisoformat(node)
            except ValueError:
                continue  # the vocabulary's "date" format reports it
            if checked < limit:
                problems.append(
                    Problem(
                        catalog.files[sid],
                        pointer(path),
                        f"thông tin kiểm tra lần cuối ngày {checked:%d/%m/%Y}, đã quá {review_days} ngày: "
                        "rà soát lại với văn bản hiện hành rồi cập nhật ngày.",
                        level="warning",
                    )
                )
    return problems


EXPIRY_WARNING_DAYS = 30


def _dated(catalog: Catalog, day: dt.date) -> list[Problem]:
    """Warn about facts that end soon with nothing after them, dates the sources disagree on,
    and unverified facts that do not say what would settle them (generator/schema/dated.py)."""
    problems = []
    for sid, schema in catalog.schemas.items():
        file = catalog.files[sid]
        for last, where, _ in dated.expiring(schema, day, EXPIRY_WARNING_DAYS):
            problems.append(
                Problem(
                    file,
                    where,
                    f"thông tin hết hiệu lực sau ngày {dt.date.fromisoformat(last):%d/%m/%Y} mà "
                    "chưa có thông tin thay thế (một mục cùng danh sách có effective_from ngày "
                    "hôm sau): bổ sung quy định mới hoặc ghi rõ không còn áp dụng.",
                    level="warning",
                )
            )
        for where, item in dated.unsettled(schema):
            problems.append(
                Problem(
                    file,
                    where,
                    f"ngày hiệu lực chưa thống nhất giữa các nguồn ({item['dates_unsettled']}); "
                    "đối chiếu văn bản gốc.",
                    # A note, not a warning: an honest open question must not fail --strict.
                    level="note",
                )
            )
        filing = schema.get("x-group", {}).get("portal", {}).get("filing")
        if isinstance(filing, list):
            open_ = [i for i, item in enumerate(filing) if dated.in_force(item, day)]
            if len(open_) != 1:
                problems.append(
                    Problem(
                        file,
                        "/x-group/portal/filing",
                        f"ngày {day:%d/%m/%Y} có {len(open_)} cổng nộp hồ sơ đang hiệu lực; cần "
                        "đúng một (xem effective_from, effective_until của từng mục).",
                    )
                )
        for where, _item in _unverified(schema):
            problems.append(
                Problem(
                    file,
                    where,
                    "thông tin chưa xác minh (unverified) cần ghi to_settle: văn bản, điều khoản "
                    "hoặc cơ quan cần đối chiếu để xác minh.",
                    level="warning",
                )
            )
    return problems


def _amounts(catalog: Catalog) -> list[Problem]:
    """Each amount rule names a base that exists, and its event date is a date in the examples of
    every group that lists its procedure."""
    problems = []
    bases = catalog.bases
    for pid, schema in catalog.schemas.items():
        for i, rule in enumerate(schema.get("x-procedure", {}).get("amounts", [])):
            where = f"/x-procedure/amounts/{i}"
            if rule["base"] not in bases:
                known = ", ".join(sorted(bases)) or "chưa có"
                problems.append(
                    Problem(
                        catalog.files[pid],
                        where + "/base",
                        f"không có mức '{rule['base']}' trong x-bases (hiện có: {known}).",
                    )
                )
            for gid, group in catalog.groups.items():
                if not any(p["id"] == pid for p in group["procedures"]):
                    continue
                found = [
                    resolve_pointer(example, rule["month_of"])
                    for example in catalog.schemas[gid].get("examples", [])
                ]
                if not any(isinstance(v, str) and _is_day(v) for v in found):
                    problems.append(
                        Problem(
                            catalog.files[pid],
                            where + "/month_of",
                            f"'{rule['month_of']}' không phải là một ngày trong các ví dụ của "
                            f"nhóm {gid}.",
                        )
                    )
    return problems


def _is_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _unverified(value: Any, path: str = ""):
    if isinstance(value, dict):
        if value.get("confidence") == "unverified" and "to_settle" not in value:
            yield path, value
        for k, v in value.items():
            if k not in ("properties", "$defs"):
                yield from _unverified(v, f"{path}/{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _unverified(v, f"{path}/{i}")


def applies(catalog: Catalog, condition: dict | None, record: Any) -> bool:
    """Whether a document's ``applies_if`` holds for a group record."""
    if condition is None:
        return True
    return Draft202012Validator(condition).is_valid(record)


__all__ = ["applies", "check_catalog", "check_publisher", "resolve_pointer"]
