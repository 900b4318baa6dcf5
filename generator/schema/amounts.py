"""Amounts a family receives, computed from rules in the schemas (issue 12).

A procedure's ``amounts`` are rules: ``times`` × a base (``x-bases`` in common.schema.json, a
table of values dated by ``effective_from``/``effective_until``) taken in the month of an event
(the date at ``month_of`` in the group record, e.g. the day of death). The page shows the amount
for an event in the build's month, the earlier amounts, the rule and its sources; the offline
form computes the same from the date the family typed (assets/form/amounts.js, the same cases in
tests/cases/amounts.json). A rule or base value that is unverified gives no figure: the page then
shows the rule as far as it is known and sends the reader to the officer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lienthong.schema import dated


def vnd(amount: int) -> str:
    """25300000 -> "25.300.000 đồng" (Vietnamese groups thousands with dots)."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def base_value(base: Mapping[str, Any], day: dt.date) -> Mapping[str, Any] | None:
    """The value of ``base`` in force on ``day``, or None."""
    return next((v for v in base.get("values", []) if dated.in_force(v, day)), None)


def settled(rule: Mapping[str, Any], value: Mapping[str, Any] | None) -> bool:
    """Whether a figure may be printed: a known value, neither it nor the rule unverified, and
    the rule an exact amount (not "at least")."""
    return (
        value is not None
        and rule.get("confidence") != "unverified"
        and value.get("confidence") != "unverified"
        and not rule.get("at_least")
    )


def amount_on(rule: Mapping[str, Any], bases: Mapping[str, Any], event: dt.date) -> int | None:
    """The amount for an event on ``event``, or None when no settled figure exists for it.

    The base is read on the first day of the event's month: the law takes "the month in which
    the person died", and bases change on the first of a month.
    """
    if rule.get("month_from") and event.isoformat() < rule["month_from"]:
        return None
    base = bases.get(rule["base"])
    if base is None:
        return None
    value = base_value(base, event.replace(day=1))
    if not settled(rule, value):
        return None
    return int(rule["times"]) * int(value["amount"])


@dataclass(frozen=True)
class Period:
    """The amount for events from ``first`` to ``last`` (None: no end yet)."""

    first: str
    last: str | None
    amount: int


@dataclass(frozen=True)
class AmountView:
    """What a page says about one rule on the build's day."""

    rule: Mapping[str, Any]
    base: Mapping[str, Any]
    now: Period | None  # the amount for an event in the build's month
    earlier: list[Period]  # the amounts before it, newest first
    coming: list[Period]  # amounts that start within 90 days of the build's day
    base_now: Mapping[str, Any] | None  # the base's value in force on the build's day

    @property
    def figure(self) -> str | None:
        return vnd(self.now.amount) if self.now else None


def periods(rule: Mapping[str, Any], base: Mapping[str, Any]) -> list[Period]:
    """Every period of the base table the rule gives a settled figure for, oldest first."""
    out = []
    for value in base.get("values", []):
        first, last = dated.starts(value), dated.ends(value)
        if first is None or not settled(rule, value):
            continue
        if rule.get("month_from"):
            if last is not None and last < rule["month_from"]:
                continue
            first = max(first, rule["month_from"])
        out.append(Period(first, last, int(rule["times"]) * int(value["amount"])))
    return sorted(out, key=lambda p: p.first)


def view(
    rule: Mapping[str, Any], bases: Mapping[str, Any], day: dt.date, notice_days: int = 90
) -> AmountView:
    base = bases.get(rule["base"], {})
    all_periods = periods(rule, base)
    month = day.replace(day=1).isoformat()
    now = next(
        (p for p in all_periods if p.first <= month and (p.last is None or month <= p.last)),
        None,
    )
    earlier = [p for p in all_periods if p.last is not None and p.last < month]
    limit = (day + dt.timedelta(days=notice_days)).isoformat()
    coming = [p for p in all_periods if day.isoformat() < p.first <= limit]
    earlier.sort(key=lambda p: p.first, reverse=True)
    return AmountView(rule, base, now, earlier, coming, base_value(base, day))


def form_rules(procedure: Mapping[str, Any], bases: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A procedure's settled rules as the offline form's script reads them: compact, with the
    base table's settled values only (the script prints nothing the page would not)."""
    out = []
    for rule in procedure.get("amounts", []):
        base = bases.get(rule["base"], {})
        values = [
            [dated.starts(v), dated.ends(v), int(v["amount"])]
            for v in base.get("values", [])
            if dated.starts(v) and settled(rule, v)
        ]
        if values:
            out.append(
                {
                    "id": rule["id"],
                    "name": rule["name"],
                    "times": int(rule["times"]),
                    "base": str(base.get("name", "")).lower(),
                    "at": rule["month_of"],
                    "from": rule.get("month_from"),
                    "values": values,
                }
            )
    return out


__all__ = ["AmountView", "Period", "amount_on", "base_value", "form_rules", "view", "vnd"]
