"""The shipped Unicode tables are those of the running Python's Unicode database."""

import json
import unicodedata

from lienthong.schema import unicode_tables


def test_shipped_tables_match_a_fresh_computation() -> None:
    data = json.loads(unicode_tables.DATA_FILE.read_text(encoding="utf-8"))
    assert data["unidata_version"] == unicodedata.unidata_version, (
        "run `python -m lienthong.schema.unicode_tables` to rewrite the file for this Python"
    )
    assert {name: data[name] for name in unicode_tables.NAMES} == unicode_tables.compute()


def test_ranges_format() -> None:
    # "a".."c" (97..99) and "x" (120): gap 97 -> "2p", length-1 2 -> "2"; gap 21 -> "l", 0.
    assert unicode_tables.ranges(lambda c: c in "abcx") == "2p,2,l,0"
