"""Spell a date in Vietnamese words, as declaration forms require ("ghi bằng chữ")."""

import datetime
import re

__all__ = ["date_in_words", "number_in_words"]

# Rule: a digit alone is spelled plainly; day 1/4/5 are "một"/"bốn"/"năm", and 0 alone is
# "không" (also used in "không trăm").
_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")

# Rule: after "mươi" (20-90) the unit 1 is "mốt", 4 is "tư", 5 is "lăm"; other units are plain.
_AFTER_MUOI = {1: "mốt", 4: "tư", 5: "lăm"}

# Rule: months are một ... mười hai, month 4 is "tư", never "giêng"/"chạp".
_MONTHS = (
    "một",
    "hai",
    "ba",
    "tư",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "mười một",
    "mười hai",
)

# Strictly "YYYY-MM-DD" with ASCII digits (date.fromisoformat alone also accepts "20240315",
# week dates and, via \d, non-ASCII digits).
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _tens_and_units(n: int, *, after_hundreds: bool) -> list[str]:
    """Words for 0..99, either standalone or following a "... trăm" group."""
    tens, units = divmod(n, 10)
    if tens == 0:
        if units == 0:
            # Rule: 0 after "mươi"/"trăm" is said as nothing.
            return []
        # Rule: after a hundreds group the units take "linh" and the plain digit
        # (linh một, linh bốn, linh năm).
        return ["linh", _DIGITS[units]] if after_hundreds else [_DIGITS[units]]
    if tens == 1:
        # Rule: 10 is "mười"; 11-19 are "mười" + unit, with 15 "mười lăm" but 11 "mười một"
        # and 14 "mười bốn".
        if units == 0:
            return ["mười"]
        return ["mười", "lăm" if units == 5 else _DIGITS[units]]
    # Rule: 20-90 are <digit> "mươi"; then 1 -> mốt, 4 -> tư, 5 -> lăm, 0 -> nothing.
    words = [_DIGITS[tens], "mươi"]
    if units:
        words.append(_AFTER_MUOI.get(units, _DIGITS[units]))
    return words


def number_in_words(n: int) -> str:
    """Spell an integer 0..9999 in Vietnamese words.

    2024 -> "hai nghìn không trăm hai mươi tư"; 0 alone -> "không".
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValueError(f"expected an integer from 0 to 9999, got {type(n).__name__} {n!r}")
    if not 0 <= n <= 9999:
        raise ValueError(f"expected an integer from 0 to 9999, got {n}")
    if n == 0:
        return _DIGITS[0]
    thousands, rest = divmod(n, 1000)
    hundreds, last_two = divmod(rest, 100)
    words: list[str] = []
    if thousands:
        words += [_DIGITS[thousands], "nghìn"]
    # Rule: "không trăm" is required when the hundreds digit is 0 but the last two digits are
    # not both 0 (2005 "hai nghìn không trăm linh năm"; 2000 is just "hai nghìn").
    if hundreds or (thousands and last_two):
        words += [_DIGITS[hundreds], "trăm"]
    words += _tens_and_units(last_two, after_hundreds=bool(thousands or hundreds))
    return " ".join(words)


def date_in_words(value: datetime.date | str) -> str:
    """Spell a date as "Ngày <day>, tháng <month>, năm <year>" in Vietnamese words.

    ``value`` is a ``datetime.date`` or an ISO "YYYY-MM-DD" string; anything else (including a
    ``datetime.datetime``, whose calendar day depends on a time zone) raises ``ValueError``.
    """
    if isinstance(value, datetime.datetime):
        raise ValueError(
            "expected a datetime.date or an ISO 'YYYY-MM-DD' string, got a datetime.datetime;"
            " pass its .date() explicitly"
        )
    if isinstance(value, datetime.date):
        day = value
    elif isinstance(value, str):
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(f"expected an ISO 'YYYY-MM-DD' date string, got {value!r}")
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"not a valid calendar date: {value!r}") from exc
    else:
        raise ValueError(
            "expected a datetime.date or an ISO 'YYYY-MM-DD' string,"
            f" got {type(value).__name__} {value!r}"
        )
    # Rule: only "Ngày" is capitalised; the day uses plain digits (day 4 "bốn"), the month
    # its own table (month 4 "tư").
    return (
        f"Ngày {number_in_words(day.day)}, tháng {_MONTHS[day.month - 1]},"
        f" năm {number_in_words(day.year)}"
    )
