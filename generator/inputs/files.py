"""Reading files that users hand us, and writing the ones they name: bounded, strict,
and worded for people.

Schemas, records, mkdocs.yml and commune settings all come from outside. Before any
stage sees them they must be text in UTF-8, not too large, plain JSON values (no NaN,
no number of a hundred thousand digits) and not too deep or too wide once aliases are
expanded. Each refusal is a ``Problem`` naming the file and, where there is one, the
JSON pointer.

What a user names as output may be a file, a device or a pipe: only a regular file is ever
replaced (``write_output``).
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from lienthong.errors import CheckFailed, Problem

MAX_DEPTH = 32  # no real record or schema nests deeper than about 12
MAX_NODES = 200_000  # values in one document, counting every use of a shared (aliased) value
MB = 1 << 20
DOUBLE_DIGITS = 309  # the largest double, 1.8e308, has 309 digits


STDIN = "-"  # a file name that means standard input, as in most command-line tools


def _refuse(display: str, message: str) -> CheckFailed:
    return CheckFailed([Problem(display, "", message)])


def _too_large(display: str, size: int, max_bytes: int) -> CheckFailed:
    return _refuse(
        display,
        f"tệp lớn {size / MB:.1f} MB, quá giới hạn {max_bytes / MB:.0f} MB; "
        "hãy kiểm tra lại đúng tệp chưa.",
    )


def _read_capped(stream: BinaryIO, display: str, max_bytes: int) -> bytes:
    # One byte past the cap tells a stream that is too long from one that fits: an endless
    # stream (/dev/zero, a FIFO, standard input) is read only this far.
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _refuse(
            display,
            f"dữ liệu dài quá giới hạn {max_bytes / MB:.0f} MB (đã dừng đọc); "
            "hãy kiểm tra lại đúng tệp chưa.",
        )
    return data


def read_bytes(path: Path | str, display: str, max_bytes: int) -> bytes:
    """At most ``max_bytes`` of a file, a device, a FIFO or standard input (``-``).

    Raises CheckFailed naming ``display``: too large, a folder or socket, or unreadable.
    """
    try:
        if str(path) == STDIN:
            return _read_capped(sys.stdin.buffer, display, max_bytes)
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(display, "đây là một thư mục, không phải một tệp.")
        if stat.S_ISSOCK(info.st_mode):
            raise _refuse(display, "đây là một socket, không phải một tệp.")
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise _too_large(display, info.st_size, max_bytes)
        with open(path, "rb") as stream:
            return _read_capped(stream, display, max_bytes)
    except OSError as exc:
        raise _refuse(display, f"không đọc được tệp ({os_reason(exc)}).") from None


def read_text(path: Path | str, display: str, max_bytes: int) -> str:
    """The file's text (UTF-8, a byte-order mark allowed), or CheckFailed."""
    data = read_bytes(path, display, max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _refuse(
            display,
            f"tệp không phải văn bản UTF-8 (byte lạ ở dòng {line}); "
            "hãy lưu lại tệp với bảng mã UTF-8.",
        ) from None


# The reasons a user can act on, in their words; any other keeps the system's wording.
_REASONS = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết dung lượng được cấp",
    errno.EPIPE: "chương trình nhận dữ liệu đã đóng",
    errno.EACCES: "không có quyền",
    errno.EPERM: "không có quyền",
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.EISDIR: "đây là một thư mục",
}


def os_reason(exc: OSError) -> str:
    """Why a read or write failed, in Vietnamese where the reason is a common one."""
    return _REASONS.get(exc.errno, exc.strerror or exc.__class__.__name__)


def write_output(path: Path | str, data: bytes) -> None:
    """Write a file the user named, never replacing anything but a regular file.

    A regular file (or a new one) is written through a temporary file and a rename, so
    readers see the old file or the whole new one. ``-`` is standard output; a character
    device (/dev/null, a terminal) or a FIFO with a reader is written in place, so that it
    stays what it was. A folder, a socket, a block device or a FIFO nobody reads is refused.

    Raises:
        CheckFailed: the path is of a kind that is refused.
        OSError: the write itself failed (full disk, closed pipe, no permission).
    """
    if str(path) == STDIN:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    if stat.S_ISREG(mode):
        # Through a link, the file it points to is replaced, not the link.
        write_atomic(path.resolve() if path.is_symlink() else path, data)
    elif stat.S_ISCHR(mode):
        with open(path, "wb", buffering=0) as out:
            _write_all(out.fileno(), data)
    elif stat.S_ISFIFO(mode):
        _write_fifo(path, data)
    else:
        kind = (
            "một thư mục"
            if stat.S_ISDIR(mode)
            else "một socket"
            if stat.S_ISSOCK(mode)
            else "một thiết bị lưu trữ"
        )
        raise _refuse(str(path), f"đây là {kind}, không ghi đè được; hãy chọn tên tệp khác.")


def _write_fifo(path: Path, data: bytes) -> None:
    # Opening a FIFO that nobody reads would wait forever: open without waiting, then
    # write normally once a reader is known to be there.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise _refuse(
                str(path), "không có chương trình nào đang đọc ống (FIFO) này; không ghi gì."
            ) from None
        raise
    try:
        os.set_blocking(fd, True)
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Readers see the old file or the complete new one, never a half-written one. Only for
    paths that are regular files or new: ``write_output`` decides.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


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
