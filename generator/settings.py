"""Read publisher settings from mkdocs.yml (plugins → lienthong → publisher)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from lienthong.errors import CheckFailed, Problem
from lienthong.inputs import MB, read_text, shape_problem


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that ignores MkDocs' !ENV and !!python/name tags."""


def _ignore(loader, suffix, node):
    return None


_TolerantLoader.add_multi_constructor("!", _ignore)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore)


def read_mkdocs_yaml(path: Path) -> dict:
    display = str(path)
    text = read_text(path, display, max_bytes=5 * MB)
    try:
        data = yaml.load(text, Loader=_TolerantLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" ở dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        raise CheckFailed([Problem(display, "", f"YAML không hợp lệ{where}.")]) from None
    if not isinstance(data, dict):
        raise CheckFailed([Problem(display, "", "tệp cấu hình phải là một bảng khóa: giá trị.")])
    problem = shape_problem(data)
    if problem:
        raise CheckFailed([Problem(display, *problem)])
    return data


def plugin_options(config: dict) -> tuple[dict, str]:
    """The lienthong plugin's options and their JSON pointer in mkdocs.yml."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        return plugins.get("lienthong") or {}, "/plugins/lienthong"
    for i, entry in enumerate(plugins):
        if isinstance(entry, dict) and "lienthong" in entry:
            return entry["lienthong"] or {}, f"/plugins/{i}/lienthong"
        if entry == "lienthong":
            return {}, f"/plugins/{i}"
    return {}, "/plugins"


def publisher(config_file: Path) -> tuple[Any, str]:
    options, base = plugin_options(read_mkdocs_yaml(config_file))
    return options.get("publisher"), base + "/publisher"


def review_days(options: Any) -> int | None:
    """The review period mkdocs.yml sets for ``lienthong check``, if any.

    ``publisher.review_days`` (validated by publisher.schema.json) wins over the plugin's own
    ``review_days`` option; ``--review-days`` on the command line wins over both.
    """
    if not isinstance(options, dict):
        return None
    publisher = options.get("publisher")
    for holder in (publisher if isinstance(publisher, dict) else {}, options):
        value = holder.get("review_days")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None
