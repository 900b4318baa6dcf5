"""Named format checks, shared by name with the browser validator.

Each function takes the instance and returns True when it is valid. The
browser bundle implements the same names; tests/cases/*.json hold cases that
both must agree on. Patterns use only syntax that Python ``re`` and
ECMAScript read the same way.
"""

from __future__ import annotations

import datetime as dt
import re

from jsonschema import FormatChecker

from lienthong.inputs import units

_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_PARTIAL = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
# ajv-formats' "email" (full mode), so both sides agree.
_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\Z",
    re.IGNORECASE,
)
# The 34 mobile prefixes after the 2018 renumbering (Viettel 032-039, 086,
# 096-098; VinaPhone 081-085, 088, 091, 094; MobiFone 070, 076-079, 089, 090,
# 093; Vietnamobile 052, 056, 058, 092; Gmobile 059, 099). Source: vn-ident
# 0.1.0 tables.py, cross-checked in shared/domain-facts.md 4.2.
_MOBILE = re.compile(r"^0(?:3[2-9]|5[2689]|7[06-9]|8[1-689]|9[0-46-9])[0-9]{7}\Z")
_PHONE_NOISE = re.compile(r"[ .\-()]")


def parse_date(value: str) -> dt.date | None:
    """Strict YYYY-MM-DD (``date.fromisoformat`` alone accepts more forms)."""
    m = _DATE.match(value)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_partial_date(value: str) -> tuple[int, ...] | None:
    """YYYY, YYYY-MM or YYYY-MM-DD as a tuple of ints, or None if invalid."""
    m = _PARTIAL.match(value)
    if not m:
        return None
    year = int(m[1])
    if year < 1800:
        return None
    if m[2] is None:
        return (year,)
    month = int(m[2])
    if not 1 <= month <= 12:
        return None
    if m[3] is None:
        return (year, month)
    if parse_date(value) is None:
        return None
    return (year, month, int(m[3]))


def normalize_phone(value: str) -> str:
    """Strip spaces, dots, dashes, brackets; +84/84 -> 0; drop '(0)' after +84."""
    s = value.strip().replace("(0)", "")
    s = _PHONE_NOISE.sub("", s)
    if s.startswith("+84"):
        s = "0" + s[3:]
    elif s.startswith("84") and len(s) == 11:
        s = "0" + s[2:]
    return s


def is_date(value: object) -> bool:
    return not isinstance(value, str) or parse_date(value) is not None


def is_partial_date(value: object) -> bool:
    return not isinstance(value, str) or parse_partial_date(value) is not None


def is_mobile_phone(value: object) -> bool:
    return not isinstance(value, str) or bool(_MOBILE.match(normalize_phone(value)))


def is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


def is_commune_code(value: object) -> bool:
    return not isinstance(value, str) or value in units.communes()


FORMATS = {
    "date": is_date,
    "partial-date": is_partial_date,
    "so-di-dong": is_mobile_phone,
    "email": is_email,
    "ma-xa": is_commune_code,
}


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, func in FORMATS.items():
        checker.checks(name)(func)
    return checker
