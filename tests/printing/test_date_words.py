"""Tests for generator.date_words and its JavaScript port generator/assets/date-words.js."""

import datetime
import json
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from lienthong.printing.date_words import date_in_words, number_in_words

JS_FILE = Path(__file__).resolve().parents[2] / "generator" / "assets" / "date-words.js"

FIRST = datetime.date(1900, 1, 1)
LAST = datetime.date(2100, 12, 31)
ALL_DATES = [FIRST + datetime.timedelta(days=i) for i in range((LAST - FIRST).days + 1)]


# --- Independent oracle: lookup tables typed out from the rules, no digit arithmetic. ---

# Day of month 1..31, written out in full.
# fmt: off
ORACLE_DAYS = [
    "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười",
    "mười một", "mười hai", "mười ba", "mười bốn", "mười lăm",
    "mười sáu", "mười bảy", "mười tám", "mười chín", "hai mươi",
    "hai mươi mốt", "hai mươi hai", "hai mươi ba", "hai mươi tư", "hai mươi lăm",
    "hai mươi sáu", "hai mươi bảy", "hai mươi tám", "hai mươi chín", "ba mươi",
    "ba mươi mốt",
]
ORACLE_MONTHS = [
    "một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một", "mười hai",
]
# fmt: on

# The last two digits of a year, as said after "... trăm": one row per tens digit.
_ROW_LINH = "|linh một|linh hai|linh ba|linh bốn|linh năm|linh sáu|linh bảy|linh tám|linh chín"
_ROW_MUOI = "mười|mười một|mười hai|mười ba|mười bốn|mười lăm|mười sáu|mười bảy|mười tám|mười chín"
_ROW_MUOI_N = "X mươi|X mươi mốt|X mươi hai|X mươi ba|X mươi tư|X mươi lăm|X mươi sáu|X mươi bảy|X mươi tám|X mươi chín"
_TENS_NAMES = {
    "2": "hai",
    "3": "ba",
    "4": "bốn",
    "5": "năm",
    "6": "sáu",
    "7": "bảy",
    "8": "tám",
    "9": "chín",
}
ORACLE_TAIL: dict[str, str] = {}
for _tens, _row in [("0", _ROW_LINH), ("1", _ROW_MUOI)] + [
    (t, _ROW_MUOI_N.replace("X", name)) for t, name in _TENS_NAMES.items()
]:
    for _units, _words in zip("0123456789", _row.split("|"), strict=True):
        ORACLE_TAIL[_tens + _units] = _words

# The first two digits of a year, as said before the last two ("" tail drops "không trăm").
ORACLE_CENTURY = {
    "19": ("một nghìn chín trăm", "một nghìn chín trăm"),
    "20": ("hai nghìn không trăm", "hai nghìn"),
    "21": ("hai nghìn một trăm", "hai nghìn một trăm"),
}


def oracle(iso: str) -> str:
    year, month, day = iso.split("-")
    with_tail, bare = ORACLE_CENTURY[year[:2]]
    tail = ORACLE_TAIL[year[2:]]
    year_words = f"{with_tail} {tail}" if tail else bare
    return (
        f"Ngày {ORACLE_DAYS[int(day) - 1]}, tháng {ORACLE_MONTHS[int(month) - 1]}, năm {year_words}"
    )


def test_oracle_tables_are_consistent() -> None:
    assert len(ORACLE_DAYS) == 31
    assert len(ORACLE_MONTHS) == 12
    assert len(ORACLE_TAIL) == 100
    # Days 10..31 are said exactly like the year tail of the same two digits.
    for day in range(10, 32):
        assert ORACLE_DAYS[day - 1] == ORACLE_TAIL[f"{day:02d}"]


@pytest.fixture(scope="module")
def py_outputs() -> list[str]:
    """Python's spelling of every date in ALL_DATES, computed once for the module."""
    return [date_in_words(d) for d in ALL_DATES]


def test_every_date_1900_to_2100_matches_oracle(py_outputs: list[str]) -> None:
    mismatches = []
    for day, from_date in zip(ALL_DATES, py_outputs, strict=True):
        iso = day.isoformat()
        expected = oracle(iso)
        from_iso = date_in_words(iso)
        if from_date != expected or from_iso != expected:
            mismatches.append((iso, from_date, from_iso, expected))
    assert not mismatches[:20], f"{len(mismatches)} mismatches, first: {mismatches[:20]}"


def test_every_output_is_nfc(py_outputs: list[str]) -> None:
    bad = [s for s in py_outputs if not unicodedata.is_normalized("NFC", s)]
    assert not bad[:20]
    assert all(unicodedata.is_normalized("NFC", number_in_words(n)) for n in range(10000))


@pytest.mark.parametrize(
    ("iso", "expected"),
    [
        ("2024-03-15", "Ngày mười lăm, tháng ba, năm hai nghìn không trăm hai mươi tư"),
        ("2025-04-04", "Ngày bốn, tháng tư, năm hai nghìn không trăm hai mươi lăm"),
        ("2005-05-05", "Ngày năm, tháng năm, năm hai nghìn không trăm linh năm"),
        ("2001-01-01", "Ngày một, tháng một, năm hai nghìn không trăm linh một"),
        ("2004-12-31", "Ngày ba mươi mốt, tháng mười hai, năm hai nghìn không trăm linh bốn"),
        ("2000-01-10", "Ngày mười, tháng một, năm hai nghìn"),
        ("2010-10-14", "Ngày mười bốn, tháng mười, năm hai nghìn không trăm mười"),
        ("2011-11-20", "Ngày hai mươi, tháng mười một, năm hai nghìn không trăm mười một"),
        ("1999-12-21", "Ngày hai mươi mốt, tháng mười hai, năm một nghìn chín trăm chín mươi chín"),
        ("1900-01-24", "Ngày hai mươi tư, tháng một, năm một nghìn chín trăm"),
        ("1905-02-25", "Ngày hai mươi lăm, tháng hai, năm một nghìn chín trăm linh năm"),
        ("1910-06-15", "Ngày mười lăm, tháng sáu, năm một nghìn chín trăm mười"),
        ("1914-07-04", "Ngày bốn, tháng bảy, năm một nghìn chín trăm mười bốn"),
        ("1915-08-05", "Ngày năm, tháng tám, năm một nghìn chín trăm mười lăm"),
        ("1921-09-21", "Ngày hai mươi mốt, tháng chín, năm một nghìn chín trăm hai mươi mốt"),
        ("1924-04-24", "Ngày hai mươi tư, tháng tư, năm một nghìn chín trăm hai mươi tư"),
        ("2100-12-31", "Ngày ba mươi mốt, tháng mười hai, năm hai nghìn một trăm"),
        ("2101-01-01", "Ngày một, tháng một, năm hai nghìn một trăm linh một"),
        ("2000-02-29", "Ngày hai mươi chín, tháng hai, năm hai nghìn"),
    ],
)
def test_hand_checked_examples(iso: str, expected: str) -> None:
    assert date_in_words(iso) == expected
    assert date_in_words(datetime.date.fromisoformat(iso)) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "không"),
        (5, "năm"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1000, "một nghìn"),
        (1001, "một nghìn không trăm linh một"),
        (4444, "bốn nghìn bốn trăm bốn mươi tư"),
        (9999, "chín nghìn chín trăm chín mươi chín"),
    ],
)
def test_number_in_words(n: int, expected: str) -> None:
    assert number_in_words(n) == expected


INVALID_STRINGS = [
    "",
    "2024-02-30",
    "2023-02-29",
    "1900-02-29",
    "2100-02-29",
    "2024-04-31",
    "2024-13-01",
    "2024-00-10",
    "2024-01-00",
    "0000-01-01",
    "2024-3-15",
    "20240315",
    "2024-W11-5",
    " 2024-03-15",
    "2024-03-15 ",
    "2024-03-15\n",
    "2024-03-15T00:00",
    "２０２４-03-15",
    "15/03/2024",
]


@pytest.mark.parametrize("value", INVALID_STRINGS)
def test_invalid_strings_raise(value: str) -> None:
    with pytest.raises(ValueError):
        date_in_words(value)


@pytest.mark.parametrize(
    "value",
    [None, 20240315, 2024.0, b"2024-03-15", datetime.datetime(2024, 3, 15), ["2024-03-15"]],
)
def test_invalid_types_raise(value: object) -> None:
    with pytest.raises(ValueError):
        date_in_words(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [-1, 10000, True, 1.0, "5", None])
def test_number_in_words_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        number_in_words(value)  # type: ignore[arg-type]


# --- Parity with the JavaScript port: one node process for everything. ---

_NODE_SCRIPT = r"""
const fs = require("fs");
const vm = require("vm");
const path = process.env.DATE_WORDS_JS;
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const required = require(path);
// Load it a second time as a plain browser script: no `module`, only globalThis.
const sandbox = {};
vm.runInNewContext(fs.readFileSync(path, "utf8"), sandbox);
const browser = sandbox.lienthongDateWords;
const rejects = (value) => {
  try { required.dateInWords(value); return false; } catch (e) { return true; }
};
process.stdout.write(JSON.stringify({
  dates: input.dates.map((iso) => required.dateInWords(iso)),
  browserSame: input.dates.every((iso) => browser.dateInWords(iso) === required.dateInWords(iso)),
  numbers: input.numbers.map((n) => required.numberInWords(n)),
  rejected: input.invalid.map(rejects),
  sameApiObject: typeof globalThis.lienthongDateWords === "object"
    && globalThis.lienthongDateWords.dateInWords === required.dateInWords,
}));
"""


@pytest.fixture(scope="module")
def js_results() -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("`node` is not on PATH: cannot check generator/assets/date-words.js")
    payload = {
        "dates": [d.isoformat() for d in ALL_DATES],
        "numbers": list(range(10000)),
        "invalid": INVALID_STRINGS,
    }
    proc = subprocess.run(
        [node, "-e", _NODE_SCRIPT],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "DATE_WORDS_JS": str(JS_FILE)},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_js_matches_python_for_every_date(js_results: dict, py_outputs: list[str]) -> None:
    expected = py_outputs
    assert len(js_results["dates"]) == len(expected)
    mismatches = [
        (d.isoformat(), js, py)
        for d, js, py in zip(ALL_DATES, js_results["dates"], expected, strict=True)
        if js != py
    ]
    assert not mismatches[:20], f"{len(mismatches)} mismatches, first: {mismatches[:20]}"
    # Loaded as a plain browser script (no `module`) it gives the same answers.
    assert js_results["browserSame"] is True


def test_js_matches_python_for_every_number(js_results: dict) -> None:
    assert js_results["numbers"] == [number_in_words(n) for n in range(10000)]


def test_js_rejects_the_same_strings(js_results: dict) -> None:
    accepted = [
        s
        for s, rejected in zip(INVALID_STRINGS, js_results["rejected"], strict=True)
        if not rejected
    ]
    assert not accepted


def test_js_exposes_global_api(js_results: dict) -> None:
    assert js_results["sameApiObject"] is True
