"""lienthong new (issue 13): the scaffold's navigation is the repository's own."""

from __future__ import annotations

import yaml

from lienthong.inputs.settings import read_mkdocs_yaml
from lienthong.site.scaffold import NAV
from tests.conftest import ROOT


def test_scaffold_nav_is_the_repository_nav() -> None:
    assert yaml.safe_load("nav:\n" + NAV)["nav"] == read_mkdocs_yaml(ROOT / "mkdocs.yml")["nav"]
