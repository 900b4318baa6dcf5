"""Build hook: the wheel carries the project's data and prebuilt browser code in the package.

``schemas/``, ``forms/`` and ``docs/`` stay at the top of the repository (the project's layout
is fixed); ``build_py`` copies them into ``lienthong/_data/``, where ``lienthong.bundled`` finds
them when no checkout is around. It also copies ``prebuilt/``, the Node tools' outputs for
those schemas and forms (``make dist`` makes it: ``python -m lienthong.prebuilt prebuilt``), and
refuses to build a wheel whose ``prebuilt/`` was made from other sources: a publisher would then
need Node for the packaged schemas. Everything else is declared in pyproject.toml.
"""

import importlib.util
import json
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("schemas", "forms", "docs", "prebuilt")


def _source_digest() -> str:
    # Loaded by path: the package's dependencies are not installed while it is being built.
    spec = importlib.util.spec_from_file_location("_digest", ROOT / "generator" / "offline" / "source_digest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.source_digest(ROOT)


def _check_prebuilt() -> None:
    manifest = ROOT / "prebuilt" / "manifest.json"
    if not manifest.is_file():
        raise SystemExit("prebuilt/ is missing: run `make dist` (it needs Node and npm ci).")
    if json.loads(manifest.read_text(encoding="utf-8")).get("source") != _source_digest():
        raise SystemExit("prebuilt/ was made from other sources: run `make dist` again.")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        _check_prebuilt()
        target = Path(self.build_lib) / "lienthong" / "_data"
        for name in BUNDLED:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithData})
