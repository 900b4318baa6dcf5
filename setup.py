"""Build hook: the wheel carries the project's schemas/ and forms/ inside the package.

They stay at the top of the repository (the project's layout is fixed); ``build_py`` copies
them into ``lienthong/_data/`` of the built package, where ``lienthong.default_schemas_dir``
and ``lienthong.render_pdf.default_forms_dir`` find them when no checkout is around. Everything
else is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("schemas", "forms")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        target = Path(self.build_lib) / "lienthong" / "_data"
        for name in BUNDLED:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithData})
