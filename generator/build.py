"""Build the site into a temporary folder and swap it in only on success.

MkDocs cleans ``site_dir`` before writing and can abort half-way (strict
mode aborts after writing pages); building elsewhere keeps the previous
site intact when anything fails.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from lienthong.errors import LienThongError
from lienthong.settings import read_mkdocs_yaml

log = logging.getLogger("lienthong.build")


class BuildFailed(LienThongError):
    pass


def build_site(config_file: Path, site_dir: Path | None = None, strict: bool = True) -> Path:
    config_file = config_file.resolve()
    # MkDocs' own YAML errors name no line; ours do, and stop aliases that expand forever.
    read_mkdocs_yaml(config_file)
    target = (site_dir or config_file.parent / "site").resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-build-", dir=target.parent))
    try:
        config = load_config(str(config_file), site_dir=str(tmp), strict=strict)
        build(config)
    except (MkDocsException, LienThongError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        # After "Aborted with ..." MkDocs has already logged the messages that matter.
        detail = str(exc)
        why = "xem các lỗi ở trên" if not detail or detail.startswith("Aborted") else detail
        raise BuildFailed(f"không dựng được trang ({why}); {target} không thay đổi.") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    os.chmod(tmp, 0o755)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target
