"""Reading files that users hand us: bounded, strict, and worded for people.

Schemas, records, mkdocs.yml and commune settings all come from outside. Before any
stage sees them they must be text in UTF-8, not too large, plain JSON values (no NaN,
no number of a hundred thousand digits) and not too deep or too wide once aliases are
expanded. Each refusal is a ``Problem`` naming the file and, where there is one, the
JSON pointer.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from lienthong.errors import CheckFailed, Problem

MAX_DEPTH = 32  # no real record or schema nests deeper than about 12
MAX_NODES = 200_000  # values in one document, counting every use of a shared (aliased) value
MB = 1 << 20
DOUBLE_DIGITS = 309  # the largest double, 1.8e308, has 309 digits


def read_text(path: Path, display: str, max_bytes: int) -> str:
    """The file's text (UTF-8, a byte-order mark allowed), or CheckFailed."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise CheckFailed(
                [
                    Problem(
                        display,
                        "",
                        f"tệp lớn {size / MB:.1f} MB, quá giới hạn {max_bytes / MB:.0f} MB; "
                        "hãy kiểm tra lại đúng tệp chưa.",
                    )
                ]
            )
        data = path.read_bytes()
    except OSError as exc:
        raise CheckFailed(
            [
                Problem(
                    display, "", f"không đọc được tệp ({exc.strerror or exc.__class__.__name__})."
                )
            ]
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CheckFailed(
            [
                Problem(
                    display,
                    "",
                    f"tệp không phải văn bản UTF-8 (byte lạ ở dòng {line}); "
                    "hãy lưu lại tệp với bảng mã UTF-8.",
                )
            ]
        ) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} không phải là giá trị JSON")


def _parse_int(text: str) -> int | float:
    """An integer as Python reads it while it fits a double, else infinity as a browser reads it.

    ``JSON.parse`` turns an integer beyond the double range into Infinity, which both
    validators then refuse with the same message; Python would keep a huge int (or refuse
    one longer than 4,300 digits) and answer differently.
    """
    if len(text.lstrip("-")) > DOUBLE_DIGITS:
        return -math.inf if text.startswith("-") else math.inf
    value = int(text)
    try:
        float(value)
    except OverflowError:
        return -math.inf if value < 0 else math.inf
    return value


def parse_json(text: str, display: str) -> Any:
    """A JSON value within the shape limits, or CheckFailed naming line and column."""
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        message = (
            f"JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}. "
            "Sửa cú pháp rồi chạy lại."
        )
        raise CheckFailed([Problem(display, "", message)]) from None
    except RecursionError:
        raise CheckFailed([Problem(display, "", _too_deep())]) from None
    except ValueError as exc:
        # The words NaN or Infinity (_no_constant's message).
        detail = str(exc)
        raise CheckFailed(
            [Problem(display, "", f"JSON không hợp lệ: {detail}. Sửa rồi chạy lại.")]
        ) from None
    problem = shape_problem(value)
    if problem:
        raise CheckFailed([Problem(display, *problem)])
    return value


def _too_deep() -> str:
    return f"dữ liệu lồng nhau quá sâu (quá {MAX_DEPTH} tầng); tệp này không phải hồ sơ hợp lệ."


def shape_problem(value: Any) -> tuple[str, str] | None:
    """(pointer, message) if ``value`` nests deeper than MAX_DEPTH or expands to more than
    MAX_NODES values; None otherwise.

    Shared values (YAML aliases) are counted once per use, without walking them again, so a
    "billion laughs" document is measured in microseconds instead of expanded.
    """
    sizes: dict[int, int] = {}

    def walk(node: Any, path: list[str]) -> int:
        if not isinstance(node, (dict, list)):
            return 1
        if id(node) in sizes:
            return sizes[id(node)]
        if len(path) >= MAX_DEPTH:
            raise _Refused(path, _too_deep())
        children = node.items() if isinstance(node, dict) else enumerate(node)
        total = 1
        for key, child in children:
            total += walk(child, [*path, str(key)])
            if total > MAX_NODES:
                raise _Refused(
                    path,
                    f"dữ liệu có hơn {MAX_NODES:,} giá trị (kể cả giá trị lặp lại qua bí danh "
                    "YAML &/*); tệp này không phải cấu hình hay hồ sơ hợp lệ.".replace(",", "."),
                )
        sizes[id(node)] = total
        return total

    try:
        walk(value, [])
    except _Refused as refused:
        return refused.pointer, refused.message
    return None


class _Refused(Exception):
    def __init__(self, path: list[str], message: str):
        shown = path[:8]
        self.pointer = "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in shown)
        if len(path) > len(shown):
            self.pointer += "/…"
        self.message = message
