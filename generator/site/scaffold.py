"""``lienthong new DIR --province P --commune C``: a publisher's project, ready to build.

It writes ``mkdocs.yml`` (the theme, the plugin and the publisher block filled from the
administrative-unit data, with marked blanks for what only the commune knows), an empty
``docs/`` and ``overrides/``, a Vietnamese README for the officer, ``requirements.txt`` and a
GitHub Pages workflow. Pages, schemas and forms come from the package (overlay.py); a file of
the same name in the project replaces the packaged one.
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from lienthong.errors import LienThongError
from lienthong.inputs.settings import BLANK

# The guide's navigation: the packaged pages and the generated ones, as the repository's own
# mkdocs.yml lists them (tests/site/test_scaffold.py compares the two).
NAV = """\
  - Trang chủ: index.md
  - Nhóm thủ tục liên thông:
      - lien-thong-khai-sinh.md
      - lien-thong-khai-tu.md
      - khai-tu-xoa-thuong-tru.md
  - Hướng dẫn chung:
      - dang-nhap-vneid.md
      - tra-cuu-ho-so.md
      - giay-to.md
      - thuat-ngu.md
      - thay-doi-gan-day.md
  - Từng thủ tục:
      - thu-tuc/khai-sinh.md
      - thu-tuc/thuong-tru.md
      - thu-tuc/bhyt-tre-em.md
      - thu-tuc/khai-tu.md
      - thu-tuc/xoa-thuong-tru.md
      - thu-tuc/tro-cap-mai-tang-bhxh.md
      - thu-tuc/ho-tro-mai-tang.md
      - thu-tuc/mai-tang-phi-nguoi-co-cong.md
  - Dành cho cán bộ:
      - can-bo/index.md
      - can-bo/tiep-nhan-xu-ly.md"""


class ScaffoldError(LienThongError):
    """The target folder or the codes cannot make a project."""


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("lienthong", "templates/scaffold"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _yaml_text(text: str) -> str:
    # Unit names are letters, spaces and a few marks; refuse what YAML would read otherwise.
    if re.search(r"[:#\"'{}\[\]\n]", text):
        raise ScaffoldError(f"tên đơn vị '{text}' có ký tự không ghi được vào mkdocs.yml.")
    return text


def files(target: Path, province: str, commune: str, site_url: str | None = None) -> dict:
    """Relative path → text of every file of the new project (nothing is written)."""
    from lienthong.inputs import units

    communes = units.communes()
    if province not in units.provinces():
        raise ScaffoldError(
            f"không có tỉnh, thành phố mã '{province}'; mã hợp lệ: "
            + ", ".join(units.provinces())
            + "."
        )
    if commune not in communes:
        raise ScaffoldError(
            f"không có xã, phường, đặc khu mã '{commune}' trong danh mục 3.321 đơn vị từ "
            "ngày 01/7/2025."
        )
    name, of = communes[commune]
    if of != province:
        raise ScaffoldError(
            f"{name} (mã {commune}) thuộc {units.province_name(of)}, không thuộc "
            f"{units.province_name(province)} (mã {province})."
        )
    slug = re.sub(r"[^a-z0-9-]+", "-", target.name.lower()).strip("-") or "xa"
    try:
        release = version("lienthong")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout without install
        release = "0.1.0"
    values = {
        "commune": _yaml_text(name),
        "commune_lower": _yaml_text(name[:1].lower() + name[1:]),
        "commune_upper": "Ủy ban nhân dân " + _yaml_text(name[:1].lower() + name[1:]),
        "province": _yaml_text(units.province_name(province)),
        "province_code": province,
        "commune_code": commune,
        "site_url": site_url or f"https://{slug}.github.io/",
        "blank": BLANK,
        "nav": NAV,
    }
    env = _env()
    return {
        "mkdocs.yml": env.get_template("mkdocs.yml.j2").render(values),
        "README.md": env.get_template("README.md.j2").render(values),
        ".github/workflows/dang-trang.yml": env.get_template("dang-trang.yml.j2").render(values),
        "requirements.txt": (
            "# Gói dựng trang; thay bằng đường dẫn tệp .whl nếu cài từ tệp.\n"
            f"lienthong=={release}\n"
        ),
        ".gitignore": "site/\n.cache/\n.venv/\n",
        "docs/.gitkeep": "",
        "overrides/.gitkeep": "",
    }


def create(target: Path, province: str, commune: str, site_url: str | None = None) -> list[str]:
    """Write the project into ``target`` (new, or an empty folder); return the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"thư mục {target} đã có tệp; chọn một thư mục mới hoặc trống.")
    made = files(target, province, commune, site_url)
    for rel, text in made.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return list(made)
