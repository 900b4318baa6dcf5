"""Error types and the Problem record every check reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located by file and JSON pointer.

    ``level`` is "error", "warning" or "note"; warnings fail only in strict mode, notes never.
    """

    file: str
    pointer: str
    message: str
    level: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}: {self.pointer}" if self.pointer else self.file
        prefix = {"warning": "cảnh báo: ", "note": "lưu ý: "}.get(self.level, "")
        return f"{where}: {prefix}{self.message}"


class LienThongError(Exception):
    """Base class for errors shown to users without a traceback."""


class CheckFailed(LienThongError):
    """Raised after all problems were collected, so they are reported at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownSchema(LienThongError):
    """A schema or form id that does not exist."""


class RecordUnreadable(LienThongError):
    """A record file that cannot be read or parsed (exit status 2)."""
