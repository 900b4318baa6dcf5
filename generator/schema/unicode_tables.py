"""Unicode tables the browser needs to behave like Python: which code points are unassigned,
which are digits, which ``str.upper()`` changes.

They depend only on Python's Unicode database, yet computing them walks all 1,114,112 code
points (about 2.5 s, on every cold build of the offline forms). So they ship precomputed in
``generator/data/unicode-tables.json`` for one ``unicodedata.unidata_version``; under a Python
with another database they are computed instead (and ``python -m lienthong.schema.unicode_tables``
rewrites the file). tests/schema/test_unicode_tables.py checks the file against a fresh computation.

Ranges are in runtime.js ``rangeClass()`` form: base-36 pairs (gap from the previous end,
length - 1), comma-separated.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "unicode-tables.json"
NAMES = ("unassigned", "digits", "upper")


def ranges(predicate: Callable[[str], bool]) -> str:
    """Code point ranges where ``predicate`` holds."""
    out: list[str] = []
    prev = 0
    start = None
    for cp in range(0x110000 + 1):
        inside = cp < 0x110000 and predicate(chr(cp))
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            end = cp - 1
            out += [_b36(start - prev), _b36(end - start)]
            prev, start = end, None
    return ",".join(out)


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while True:
        n, r = divmod(n, 36)
        s = digits[r] + s
        if not n:
            return s


def compute() -> dict[str, str]:
    return {
        # runtime.js nfcString: unassigned code points stay as they are.
        "unassigned": ranges(lambda c: unicodedata.category(c) == "Cn"),
        # str.isdigit(), for array indexes in JSON pointers.
        "digits": ranges(str.isdigit),
        # views.js pyUpper: newer JavaScript engines map more characters than Python.
        "upper": ranges(lambda c: c.upper() != c),
    }


@cache
def tables() -> dict[str, str]:
    """The three tables for the running Python's Unicode database."""
    try:
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if data.get("unidata_version") == unicodedata.unidata_version:
        return {name: data[name] for name in NAMES}
    return compute()


def unassigned_ranges() -> str:
    return tables()["unassigned"]


def digit_ranges() -> str:
    return tables()["digits"]


def upper_ranges() -> str:
    return tables()["upper"]


def write() -> None:
    data = {"unidata_version": unicodedata.unidata_version, **compute()}
    DATA_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
    print(f"wrote {DATA_FILE} for Unicode {unicodedata.unidata_version}", file=sys.stderr)
