"""Cross-field rules, referenced by name from the ``x-rules`` keyword.

A rule gets ``get(pointer)`` (value at a JSON pointer relative to the object
carrying the rule, or None) and its ``args``. It returns False when the
record breaks the rule, and True or None when it holds or cannot be judged
(a missing or malformed value is reported by other keywords, not twice).
The browser validator implements the same names with the same semantics.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from lienthong.inputs import units
from lienthong.schema.formats import parse_date, parse_partial_date

Getter = Callable[[str], Any]
_ID = re.compile(r"^[0-9]{12}\Z")

RULES: dict[str, Callable[[Getter, dict], bool | None]] = {}


def rule(func):
    RULES[func.__name__] = func
    return func


def _date(value: Any) -> dt.date | None:
    return parse_date(value) if isinstance(value, str) else None


def _partial(value: Any) -> tuple[int, ...] | None:
    return parse_partial_date(value) if isinstance(value, str) else None


@rule
def commune_in_province(get: Getter, args: dict) -> bool | None:
    province, commune = get(args["province"]), get(args["commune"])
    if not isinstance(province, str) or not isinstance(commune, str):
        return None
    entry = units.communes().get(commune)
    if entry is None or province not in units.provinces():
        return None
    return entry[1] == province


@rule
def id_matches_person(get: Getter, args: dict) -> bool | None:
    """Digit 4 of a personal ID encodes century and sex, digits 5-6 the year.

    0/1 = male/female born 1900-1999, 2/3 = 2000-2099, 4/5 = 2100-2199 ...
    (Thông tư 07/2016/TT-BCA; shared/domain-facts.md 4.1).
    """
    number, birth = get(args["id"]), _partial(get(args["birth"]))
    if not isinstance(number, str) or not _ID.match(number) or birth is None:
        return None
    digit = int(number[3])
    year = 1900 + 100 * (digit // 2) + int(number[4:6])
    if year != birth[0]:
        return False
    gender = get(args.get("gender", "/__none__"))
    if gender in ("Nam", "Nữ"):
        return (digit % 2 == 1) == (gender == "Nữ")
    return True


@rule
def date_order(get: Getter, args: dict) -> bool | None:
    """earlier <= later, compared at the precision both dates have."""
    a, b = _partial(get(args["earlier"])), _partial(get(args["later"]))
    if a is None or b is None:
        return None
    n = min(len(a), len(b))
    return a[:n] <= b[:n]


@rule
def deadline(get: Getter, args: dict) -> bool | None:
    """The chosen registration type must match the days since the event.

    Day 1 is the day after the event, so filing on day ``days`` is on time.
    """
    event, filed, kind = _date(get(args["event"])), _date(get(args["filed"])), get(args["type"])
    if event is None or filed is None or not isinstance(kind, str):
        return None
    elapsed = (filed - event).days
    if elapsed < 0:
        return None
    if kind == args["on_time"]:
        return elapsed <= args["days"]
    if kind == args["late"]:
        return elapsed > args["days"]
    return True


@rule
def age_under(get: Getter, args: dict) -> bool | None:
    """Younger than ``years`` on the given day (a 29 February birthday counts as 1 March)."""
    birth, on = _date(get(args["birth"])), _date(get(args["on"]))
    if birth is None or on is None:
        return None
    year = birth.year + args["years"]
    if year > dt.MAXYEAR:
        # The birthday falls after every day a date can hold: younger on any of them, as the
        # browser's validator says (it has no year 9999 limit).
        return True
    try:
        birthday = birth.replace(year=year)
    except ValueError:
        birthday = dt.date(year, 3, 1)
    return on < birthday
