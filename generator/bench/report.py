"""One line per figure of `make bench`, with its budget."""

from __future__ import annotations


def report(results: dict[str, float], budgets: dict[str, float]) -> bool:
    """Print one line per figure with its budget; True when any figure is over budget."""
    failed = False
    for name, value in results.items():
        budget = budgets.get(name)
        verdict = "" if budget is None else ("  OK" if value <= budget else "  OVER BUDGET")
        failed |= verdict == "  OVER BUDGET"
        limit = "" if budget is None else f" (budget {budget:g})"
        print(f"{name:38s} {value:10.3f}{limit}{verdict}")
    return failed
