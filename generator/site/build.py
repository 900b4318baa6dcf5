"""Build the site into a temporary folder and swap it in only on success.

MkDocs cleans ``site_dir`` before writing and can abort half-way (strict
mode aborts after writing pages); building elsewhere keeps the previous
site intact when anything fails.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import tempfile
from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.utils import yaml as mkdocs_yaml

from lienthong.errors import LienThongError
from lienthong.inputs.settings import read_mkdocs_yaml

log = logging.getLogger("lienthong.site.build")


class BuildFailed(LienThongError):
    pass


def build_site(config_file: Path, site_dir: Path | None = None, strict: bool = True) -> Path:
    config_file = config_file.resolve()
    # MkDocs' own YAML errors name no line; ours do, and stop aliases that expand forever.
    read_mkdocs_yaml(config_file)
    target = (site_dir or config_file.parent / "site").resolve()
    if target.exists() and not target.is_dir():
        # A build ends by renaming its folder over the target: never over a file, a device
        # (-d /dev/null) or a FIFO.
        raise BuildFailed(
            f"{target} không phải là thư mục; trang chỉ dựng vào một thư mục "
            "(mới hoặc của lần dựng trước). Hãy chọn tên thư mục khác."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(target.parent)
    # The lock first, then its folder: a build that starts meanwhile never sees the folder
    # unlocked. The kernel drops the lock when the process dies, however it dies.
    fd, lock_name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".lock", dir=target.parent)
    lock = os.fdopen(fd, "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    tmp = Path(lock_name.removesuffix(".lock"))
    try:
        tmp.mkdir(mode=0o700)
    except OSError:
        lock.close()
        Path(lock_name).unlink(missing_ok=True)
        raise
    try:
        return _build_into(config_file, target, tmp, strict)
    finally:
        lock.close()
        _lock_path(tmp).unlink(missing_ok=True)


TMP_PREFIX = ".site-build-"


def _lock_path(folder: Path) -> Path:
    return folder.with_name(folder.name + ".lock")


def remove_stale_builds(parent: Path) -> list[Path]:
    """Remove the temporary folders of builds that were killed half-way: those whose lock no
    running build holds (a folder of an older version, with no lock, counts as stale too)."""
    removed = []
    for path in sorted(parent.glob(TMP_PREFIX + "*")):
        if path.suffix == ".lock":
            if not path.with_suffix("").exists():  # killed before it made its folder
                with contextlib.suppress(OSError):
                    _remove_if_free(path)
        elif path.is_dir() and not path.is_symlink():
            try:
                if not _remove_if_free(_lock_path(path), path):
                    continue  # another build is writing there now
            except OSError as exc:
                log.warning("không xóa được thư mục tạm %s: %s", path, exc)
                continue
            log.info("Đã xóa thư mục tạm của lần dựng bị ngắt: %s", path)
            removed.append(path)
    return removed


def _remove_if_free(lock_file: Path, folder: Path | None = None) -> bool:
    """Remove ``folder`` (if given) and ``lock_file`` unless a running build holds the lock;
    False when one does."""
    with open(lock_file, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        lock_file.unlink(missing_ok=True)
    return True


@contextlib.contextmanager
def _libyaml_for_mkdocs():
    """MkDocs reads mkdocs.yml with PyYAML's pure-Python Loader, ten times slower than the
    same Loader over libyaml (yaml.CLoader: same constructor and resolver, C parser). A
    large file is then refused within the 2 s budget. Only when the default is still the
    one this was written for; restored afterwards."""
    defaults = mkdocs_yaml.get_yaml_loader.__defaults__
    if (
        not getattr(yaml, "__with_libyaml__", False)
        or not defaults
        or defaults[0] is not yaml.Loader
    ):
        yield
        return
    mkdocs_yaml.get_yaml_loader.__defaults__ = (yaml.CLoader, *defaults[1:])
    try:
        yield
    finally:
        mkdocs_yaml.get_yaml_loader.__defaults__ = defaults


def _build_into(config_file: Path, target: Path, tmp: Path, strict: bool) -> Path:
    try:
        with _libyaml_for_mkdocs():
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
