"""lienthong: guidance site, printable forms and offline forms for Vietnam's
linked birth and death public services, generated from JSON Schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lienthong.printing.date_words import date_in_words

__all__ = ["date_in_words", "default_schemas_dir", "validate"]


PACKAGE_DATA = Path(__file__).resolve().parent / "_data"
# The repository when the package runs from a checkout (editable install); else site-packages.
CHECKOUT = Path(__file__).resolve().parent.parent


def bundled(name: str) -> Path:
    """A top-level folder of the project (schemas, forms): the checkout's when the package runs
    from one, else the copy the wheel carries (setup.py copies it in)."""
    checkout = CHECKOUT / name
    packaged = PACKAGE_DATA / name
    return packaged if packaged.is_dir() and not checkout.is_dir() else checkout


def default_schemas_dir() -> Path:
    """The packaged schemas: the checkout's schemas/, or the wheel's copy."""
    return bundled("schemas")


def validate(schema_id: str, record: Any, schemas_dir: Path | None = None) -> list[dict[str, str]]:
    """Validate ``record`` against schema ``schema_id``.

    Returns a list of ``{"pointer": JSON pointer, "message": Vietnamese text}``,
    one per field in error, sorted by pointer; empty when the record is valid.
    """
    from lienthong.schema.validation import validator_for

    catalog = _catalog(schemas_dir or default_schemas_dir())
    return validator_for(catalog, schema_id).validate(record)


_CATALOGS: dict[tuple, Any] = {}


def _catalog(root: Path):
    from lienthong.schema.catalog import load_catalog
    from lienthong.schema.dated import build_day

    key = (root.resolve(), build_day())
    if key not in _CATALOGS:
        _CATALOGS[key] = load_catalog(*key)
    return _CATALOGS[key]
