"""Facts that know their dates (issue 12): a build is made "as of" one day.

Any item in a list of an ``x-procedure`` or ``x-group`` (a fact, a legal document, a form, a
look-up method, a document) may carry ``effective_from`` and ``effective_until`` (ISO dates,
both inclusive). A legal document's ``effective`` counts as its ``effective_from``. ``resolve``
keeps the items in force on the build's day and drops the others, so every stage downstream
(pages, PDFs, offline forms, packs) sees only the facts of that day without knowing about dates.

The day is, in order: ``--as-of`` on the command line (which sets ``LIENTHONG_AS_OF`` so the
build's background processes agree), ``LIENTHONG_AS_OF``, ``SOURCE_DATE_EPOCH`` (reproducible
builds), else today.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

ENV = "LIENTHONG_AS_OF"


class BadDate(ValueError):
    """An as-of date that is not a calendar date."""


def parse_day(text: str) -> dt.date:
    """ "2027-03-01" -> date; raises BadDate with a Vietnamese message."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadDate(
            f"ngày '{text}' không hợp lệ; ghi theo dạng năm-tháng-ngày, ví dụ 2027-03-01."
        ) from None


def build_day(explicit: str | None = None) -> dt.date:
    """The day a build is made as of (see the module docstring)."""
    if explicit:
        return parse_day(explicit)
    if os.environ.get(ENV):
        return parse_day(os.environ[ENV])
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().lstrip("-").isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def starts(item: Mapping[str, Any]) -> str | None:
    """The first day ``item`` is in force, or None (always was)."""
    value = item.get("effective_from", item.get("effective") if "document" in item else None)
    return value if isinstance(value, str) else None


def ends(item: Mapping[str, Any]) -> str | None:
    """The last day ``item`` is in force, or None (no end known)."""
    value = item.get("effective_until")
    return value if isinstance(value, str) else None


def in_force(item: Mapping[str, Any], day: dt.date) -> bool:
    iso = day.isoformat()
    first, last = starts(item), ends(item)
    return (first is None or first <= iso) and (last is None or iso <= last)


def resolve(value: Any, day: dt.date) -> Any:
    """``value`` with every list item not in force on ``day`` left out, at any depth.

    Pure: returns new lists and dicts; the input is not changed.
    """
    if isinstance(value, Mapping):
        return {k: resolve(v, day) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, day) for v in value if not isinstance(v, Mapping) or in_force(v, day)]
    return value


def expiring(value: Any, day: dt.date, days: int = 30, pointer: str = "") -> list[tuple]:
    """(last day, pointer, item) of every dated list item that ends within ``days`` days of
    ``day`` while no item of the same list starts the day after it (no successor)."""
    found: list[tuple] = []
    iso, limit = day.isoformat(), (day + dt.timedelta(days=days)).isoformat()
    if isinstance(value, Mapping):
        for k, v in value.items():
            found += expiring(v, day, days, f"{pointer}/{k}")
    elif isinstance(value, list):
        firsts = {starts(v) for v in value if isinstance(v, Mapping)}
        for i, v in enumerate(value):
            if not isinstance(v, Mapping):
                continue
            last = ends(v)
            if last and iso <= last <= limit:
                after = (dt.date.fromisoformat(last) + dt.timedelta(days=1)).isoformat()
                if after not in firsts:
                    found.append((last, f"{pointer}/{i}", v))
            found += expiring(v, day, days, f"{pointer}/{i}")
    return found


def unsettled(value: Any, pointer: str = "") -> list[tuple[str, Mapping[str, Any]]]:
    """(pointer, item) of every item whose dates its sources do not agree on."""
    found: list[tuple[str, Mapping[str, Any]]] = []
    if isinstance(value, Mapping):
        if isinstance(value.get("dates_unsettled"), str):
            found.append((pointer, value))
        for k, v in value.items():
            found += unsettled(v, f"{pointer}/{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += unsettled(v, f"{pointer}/{i}")
    return found


# -- dated blocks in hand-written pages ------------------------------------------------------

NOTICE_DAYS = 90
_OPEN = re.compile(r"^\s*<!--\s*as-of\b(?P<attrs>.*?)-->\s*$")
_CLOSE = re.compile(r"^\s*<!--\s*/as-of\s*-->\s*$")
_ATTR = re.compile(r'\s*(?P<key>[a-z]+)=(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+))')


class BadBlock(ValueError):
    """A dated block in a page that cannot be read; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"dòng {line}: {message}")
        self.line = line


def _attrs(text: str, line: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    rest = text.strip()
    while rest:
        match = _ATTR.match(rest)
        if not match:
            raise BadBlock(line, f"không đọc được '{rest}' trong thẻ as-of.")
        key = match["key"]
        if key not in ("from", "until", "notice") or key in attrs:
            raise BadBlock(
                line, f"thẻ as-of chỉ nhận from=, until=, notice= (mỗi thứ một lần), gặp '{key}'."
            )
        attrs[key] = match["quoted"] if match["quoted"] is not None else match["bare"]
        rest = rest[match.end() :].strip()
    for key in ("from", "until"):
        if key in attrs:
            try:
                attrs[key] = parse_day(attrs[key]).isoformat()
            except BadDate as exc:
                raise BadBlock(line, f"{key}=: {exc}") from None
    if "from" not in attrs and "until" not in attrs:
        raise BadBlock(line, "thẻ as-of cần from=NĂM-THÁNG-NGÀY hoặc until=NĂM-THÁNG-NGÀY.")
    if "notice" in attrs and "from" not in attrs:
        raise BadBlock(line, "notice= chỉ dùng cùng from= (báo trước một thay đổi sắp có).")
    return attrs


def select_blocks(markdown: str, day: dt.date) -> str:
    """A hand-written page as of ``day``: the text between ``<!-- as-of from=… until=… -->``
    and ``<!-- /as-of -->`` stays when the day is within its dates (both inclusive) and goes
    otherwise. A block with ``notice="…"`` that starts within 90 days leaves that notice in its
    place, as a note headed "Từ ngày …". Raises BadBlock (with the line) on malformed markers."""
    out: list[str] = []
    block: dict[str, str] | None = None
    opened = 0
    body: list[str] = []
    for number, line in enumerate(markdown.splitlines(keepends=True), start=1):
        opening, closing = _OPEN.match(line), _CLOSE.match(line)
        if opening:
            if block is not None:
                raise BadBlock(number, f"thẻ as-of lồng trong thẻ mở ở dòng {opened}.")
            block, opened, body = _attrs(opening["attrs"], number), number, []
        elif closing:
            if block is None:
                raise BadBlock(number, "thẻ đóng <!-- /as-of --> không có thẻ mở.")
            out += _settle(block, body, day)
            block = None
        elif block is not None:
            body.append(line)
        else:
            out.append(line)
    if block is not None:
        raise BadBlock(opened, "thẻ as-of chưa đóng; thêm <!-- /as-of --> sau đoạn có hiệu lực.")
    return "".join(out)


def _settle(block: dict[str, str], body: list[str], day: dt.date) -> list[str]:
    item = {"effective_from": block.get("from"), "effective_until": block.get("until")}
    if in_force(item, day):
        return body
    first = block.get("from")
    notice = block.get("notice")
    if notice and first and 0 < (dt.date.fromisoformat(first) - day).days <= NOTICE_DAYS:
        heading = f"Từ ngày {dt.date.fromisoformat(first):%d/%m/%Y}"
        return [f'!!! info "{heading}"\n\n', f"    {notice}\n\n"]
    return []


# -- the changes a build announces -----------------------------------------------------------

ANNOUNCED = ("x-procedure", "x-group", "x-bases")


@dataclass(frozen=True)
class Change:
    """A dated item that starts (``starts``) or stops being in force on ``day``; ``owners`` are
    the schemas that hold it (one fact is often repeated in several), ``replaces`` the label of
    an item of the same list that ends the day before."""

    day: str
    starts: bool
    label: str
    item: Mapping[str, Any]
    owners: tuple[str, ...]
    replaces: str | None = None


def label(item: Mapping[str, Any]) -> str:
    """One line naming a dated item, whatever its kind."""
    if "document" in item:
        return item["document"]
    if item.get("url") and item.get("menu"):  # a filing portal (x-group.portal.filing)
        return f"Nộp hồ sơ liên thông trên {item['name']} <{item['url']}>"
    if item.get("url") and item.get("name"):
        return f"{item['name']} <{item['url']}>"
    if item.get("text"):
        return str(item["text"]).rstrip(".")
    return str(item.get("name", ""))


def _dated_lists(value: Any) -> Iterator[list]:
    if isinstance(value, Mapping):
        for v in value.values():
            yield from _dated_lists(v)
    elif isinstance(value, list):
        if any(isinstance(v, Mapping) and (starts(v) or ends(v)) for v in value):
            yield value
        for v in value:
            yield from _dated_lists(v)


def changes(
    schemas: Mapping[str, Mapping[str, Any]], first: dt.date, last: dt.date
) -> list[Change]:
    """Every change from ``first`` to ``last`` (inclusive) in the schemas' procedures, groups
    and bases, soonest first; the same change in several schemas is listed once."""
    lo, hi = first.isoformat(), last.isoformat()
    found: dict[tuple[str, bool, str], Change] = {}

    def add(change: Change) -> None:
        key = (change.day, change.starts, change.label)
        if key in found:
            owners = found[key].owners + tuple(
                o for o in change.owners if o not in found[key].owners
            )
            change = Change(
                change.day,
                change.starts,
                change.label,
                found[key].item,
                owners,
                found[key].replaces or change.replaces,
            )
        found[key] = change

    for sid, schema in schemas.items():
        for part in ANNOUNCED:
            for items in _dated_lists(schema.get(part)):
                entries = [v for v in items if isinstance(v, Mapping)]
                ending = {_day_after(ends(v)): v for v in entries if ends(v)}
                beginning = {starts(v) for v in entries if starts(v)}
                for v in entries:
                    day = starts(v)
                    if day and lo <= day <= hi:
                        old = ending.get(day)
                        add(Change(day, True, label(v), v, (sid,), label(old) if old else None))
                    after = _day_after(ends(v)) if ends(v) else None
                    if after and lo <= after <= hi and after not in beginning:
                        add(Change(after, False, label(v), v, (sid,)))
    return sorted(found.values(), key=lambda c: (c.day, not c.starts, c.label))


def _day_after(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()
