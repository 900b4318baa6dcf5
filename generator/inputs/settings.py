"""Read publisher settings from mkdocs.yml (plugins → lienthong → publisher)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from lienthong.errors import CheckFailed, Problem
from lienthong.inputs.files import MB, read_text, shape_problem

# What `lienthong new` writes where only the commune knows the value: check gives a note for
# each, never an error, so that a new project builds before it is filled in.
BLANK = "CẦN ĐIỀN"

# A real mkdocs.yml is a few KB, a national nav some hundreds: past this, MkDocs' own
# (pure-Python) YAML reading alone would outlast the 2 s a refusal may take.
MKDOCS_MAX_BYTES = 1 * MB


class _TolerantLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader that reads MkDocs' !ENV tags as MkDocs does and ignores other tags.

    libyaml's parser where PyYAML has it (Debian's and the wheels do): ten times faster on a
    large file, with the same marks for messages.
    """


def _ignore(loader, suffix, node):
    return None


def _env(loader, node):
    """``!ENV VAR`` or ``!ENV [VAR, OTHER, default]``: the first variable set, else the last
    item (pyyaml-env-tag's rule, which MkDocs uses)."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = [loader.construct_object(n) for n in node.value]
        names, default = (
            items[:-1] if len(items) > 1 else items,
            items[-1] if len(items) > 1 else None,
        )
    else:
        return None
    for name in names:
        if isinstance(name, str) and os.environ.get(name):
            return yaml.safe_load(os.environ[name])
    return default


_TolerantLoader.add_constructor("!ENV", _env)
_TolerantLoader.add_multi_constructor("!", _ignore)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore)


def read_mkdocs_yaml(path: Path) -> dict:
    display = str(path)
    text = read_text(path, display, max_bytes=MKDOCS_MAX_BYTES)
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


def site_address(config_file: Path) -> tuple[str | None, bool]:
    """``(site_url, use_directory_urls)`` as a build with ``config_file`` would use them; the
    offline plugin turns directory URLs off. ``(None, False)`` without the file."""
    if not config_file.is_file():
        return None, False
    data = read_mkdocs_yaml(config_file)
    plugins = data.get("plugins") or []
    names = (
        plugins
        if isinstance(plugins, dict)
        else [next(iter(p)) if isinstance(p, dict) and p else p for p in plugins]
    )
    offline = "offline" in names
    directory = bool(data.get("use_directory_urls", True)) and not offline
    url = data.get("site_url")
    return (url if isinstance(url, str) and url else None), directory
