"""The distribution as a new publisher meets it (issue 13): the sdist and wheel of `make dist`,
installed into a new venv outside this checkout, used with no Node on the PATH.

One module-scoped project goes through the whole adoption path: ``lienthong new`` for a
commune of Đà Nẵng, ``mkdocs build --strict``, ``lienthong pdf`` and ``lienthong pack``; the
tests then read back what it made."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from lienthong.bench.package import path_without_node
from tests.conftest import ROOT, TEST_DAY

SITE_URL = "https://hoavang.example.vn/"
PROVINCE, COMMUNE = "48", "20320"  # Xã Hòa Vang, Thành phố Đà Nẵng
CT01_MARK = "MẪU CỦA XÃ HÒA VANG"
BANNER = "Xã Hòa Vang tiếp dân cả sáng thứ Bảy"
PAGE_MARK = "Trang thuật ngữ của xã Hòa Vang"

pytestmark = pytest.mark.build


# Top-level folders of a working checkout that are not sources (generator/site/ is).
NOT_SOURCES = {".git", ".venv", "node_modules", "site", ".cache", "prebuilt", "dist", "build"}


def _checkout_only(*more: str):
    """An ignore function for copytree: the checkout's sources only."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == ROOT
        return {
            n
            for n in names
            if (top and (n in NOT_SOURCES or n in more or n.startswith(".site-build-")))
            or n == "__pycache__"
            or n.endswith((".pyc", ".egg-info"))
        }

    return ignore


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``make dist`` on a copy of the checkout: the prebuilt store, then python -m build."""
    out = tmp_path_factory.mktemp("dist")
    # From a copy: setuptools leaves build/ and *.egg-info in the tree it builds.
    src = tmp_path_factory.mktemp("src") / "lienthong"
    shutil.copytree(ROOT, src, ignore=_checkout_only())
    env = {**os.environ, "LIENTHONG_AS_OF": TEST_DAY}
    for args in (
        ["-m", "lienthong.offline.prebuild", str(src / "prebuilt")],
        # Build isolation fetches the setuptools that pyproject.toml asks for (as make does).
        ["-m", "build", "--outdir", str(out), str(src)],
    ):
        done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (found,) = dist.glob("lienthong-*.whl")
    return found


def test_wheel_carries_data_and_prebuilt_browser_code(wheel: Path, dist: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert not any(n.startswith("generator/") for n in names)
    for folder in ("schemas", "forms", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                rel = path.relative_to(ROOT).as_posix()
                assert f"lienthong/_data/{rel}" in names, rel
    manifest = json.loads(zipfile.ZipFile(wheel).read("lienthong/_data/prebuilt/manifest.json"))
    assert manifest["jobs"] >= 10
    assert "lienthong/_data/prebuilt/node_modules/iframe-worker/shim/index.js" in names
    # The print templates are compiled to JavaScript in Python: no template engine ships.
    assert not [n for n in names if "nunjucks" in n]
    for font in ("LiberationSerif-Regular.ttf", "NotoSans-Bold.ttf", "DejaVuSans.ttf"):
        assert f"lienthong/_data/prebuilt/fonts/{font}" in names
    assert "lienthong/_data/prebuilt/fonts/fonts-liberation2.copyright" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry).decode()
    assert "lienthong = lienthong.cli:main" in text
    assert "lienthong = lienthong.site.plugin:LienThongPlugin" in text
    (sdist,) = dist.glob("lienthong-*.tar.gz")
    with tarfile.open(sdist) as archive:
        members = archive.getnames()
    assert any(m.endswith("/prebuilt/manifest.json") for m in members)
    assert any(m.endswith("/package-lock.json") for m in members)


def test_a_stale_prebuilt_store_refuses_the_wheel(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=_checkout_only("tests"))
    (src / "prebuilt").mkdir()
    (src / "prebuilt" / "manifest.json").write_text('{"source": "old"}', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(src)],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "make dist" in done.stdout + done.stderr


# -- a new publisher, no Node -----------------------------------------------------------------


@dataclass
class Publisher:
    root: Path  # the project lienthong new made
    env: dict[str, str]
    venv: Path

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            list(args),
            cwd=cwd or self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )


@pytest.fixture(scope="module")
def publisher(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Publisher:
    home = tmp_path_factory.mktemp("publisher")
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    done = subprocess.run(
        [*pip, "-c", str(ROOT / "requirements.lock"), str(wheel)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # No system fonts either: the PDFs must embed the ones the wheel carries (fonts.py).
    fonts_conf = home / "fonts.conf"
    fonts_conf.write_text(
        f"<?xml version='1.0'?><fontconfig><cachedir>{home / 'fc'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = {
        "FONTCONFIG_FILE": str(fonts_conf),
        "PATH": os.pathsep.join([str(venv / "bin"), path_without_node(home)]),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LIENTHONG_AS_OF": TEST_DAY,
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1780000000"),
    }
    project = Publisher(home / "xa-hoa-vang", env, venv)
    assert project.run("sh", "-c", "command -v node npm || echo none", cwd=home).stdout == "none\n"
    new = project.run(
        "lienthong", "new", "xa-hoa-vang", "--province", PROVINCE, "--commune", COMMUNE,
        "--site-url", SITE_URL, cwd=home,
    )  # fmt: skip
    assert new.returncode == 0, new.stderr
    # One packaged page and one Material template overridden, as the README says.
    (project.root / "docs" / "thuat-ngu.md").write_text(
        f"# Thuật ngữ\n\n{PAGE_MARK}.\n", encoding="utf-8"
    )
    (project.root / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}' + BANNER + "{% endblock %}\n", "utf-8"
    )
    for args in (
        ["mkdocs", "build", "--strict"],
        ["lienthong", "pdf", "lien-thong-khai-sinh", "-o", "khai-sinh.pdf"],
        ["lienthong", "pack", "--province", PROVINCE, "--commune", COMMUNE, "-o", "goi"],
    ):
        done = project.run(*args)
        assert done.returncode == 0, (args, done.stderr[-3000:])
        assert "Traceback" not in done.stderr
    return project


def test_scaffold_has_the_files_a_publisher_needs(publisher: Publisher) -> None:
    root = publisher.root
    for name in ("mkdocs.yml", "README.md", ".github/workflows/dang-trang.yml", "requirements.txt"):
        assert (root / name).is_file(), name
    assert (root / "overrides").is_dir() and (root / "docs").is_dir()
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'commune: "20320"' in config and "Xã Hòa Vang" in config
    assert "Thành phố Đà Nẵng" in config and "CẦN ĐIỀN" in config
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "mkdocs serve" in readme and "CẦN ĐIỀN" in readme


def test_site_has_every_group_page_and_offline_form(publisher: Publisher) -> None:
    site = publisher.root / "site"
    for group in ("lien-thong-khai-sinh", "lien-thong-khai-tu", "khai-tu-xoa-thuong-tru"):
        assert (site / f"{group}.html").is_file()
        assert (site / "bieu-mau" / f"{group}.html").is_file()
        assert (site / "bieu-mau" / group / "index.html").is_file()
    # The clerk's scan page and the pre-2025 units, from the installed package's own data.
    assert (site / "bieu-mau" / "quet-ma.html").is_file()
    assert "Phường Phúc Xá" in (site / "bieu-mau" / "don-vi-cu.js").read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Xã Hòa Vang" in home or "xã Hòa Vang" in home
    assert PAGE_MARK in (site / "thuat-ngu.html").read_text(encoding="utf-8")
    assert (site / "dang-nhap-vneid.html").is_file()  # a packaged page, not overridden


def test_overridden_theme_template_is_used(publisher: Publisher) -> None:
    for page in ("index.html", "lien-thong-khai-sinh.html"):
        assert BANNER in (publisher.root / "site" / page).read_text(encoding="utf-8")


def test_check_names_the_overrides(publisher: Publisher) -> None:
    done = publisher.run("lienthong", "check")
    assert done.returncode == 0, done.stderr
    assert "docs/thuat-ngu.md: dùng tệp của bạn" in done.stderr


def test_form_template_override_with_node(publisher: Publisher, tmp_path: Path) -> None:
    """A changed print template needs Nunjucks once (as `npm install` in the project gives):
    the PDFs and the offline form's print then use it, and check names it."""
    root = tmp_path / "xa-hoa-vang"
    keep = shutil.ignore_patterns("site", "site-*", ".cache", "goi", "*.pdf")
    shutil.copytree(publisher.root, root, ignore=keep)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    template = root / "forms" / "ct01" / "template-tt116.html.j2"
    template.parent.mkdir(parents=True)
    packaged = (ROOT / "forms" / "ct01" / "template-tt116.html.j2").read_text(encoding="utf-8")
    assert "</h1>" in packaged
    template.write_text(packaged.replace("</h1>", f"</h1><p>{CT01_MARK}</p>", 1), "utf-8")
    env = {**publisher.env, "PATH": f"{publisher.venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["mkdocs", "build", "--strict"], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = subprocess.run(
        ["pdftotext", str(root / "site" / "bieu-mau" / "ct01.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert CT01_MARK in text
    form = (root / "site" / "bieu-mau" / "lien-thong-khai-sinh.html").read_text(encoding="utf-8")
    assert CT01_MARK in form
    check = subprocess.run(
        ["lienthong", "check"], cwd=root, env=env, capture_output=True, text=True
    )
    assert "forms/ct01/template-tt116.html.j2: dùng tệp của bạn" in check.stderr


def test_pdfs_embed_the_packaged_fonts_with_no_system_fonts(publisher: Publisher) -> None:
    pdfs = [
        *sorted((publisher.root / "site" / "bieu-mau").glob("*.pdf")),
        publisher.root / "goi" / "ap-phich.pdf",
        publisher.root / "khai-sinh.pdf",
    ]
    for pdf in pdfs:
        listing = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        names = {line.split()[0].split("+", 1)[-1] for line in listing}
        assert names, pdf.name
        assert all(
            n.startswith(("Liberation-Serif", "Noto-Sans", "DejaVu-Sans", "DejaVuSans"))
            for n in names
        ), (pdf.name, names)
    serif = subprocess.run(
        ["pdffonts", str(publisher.root / "khai-sinh.pdf")], capture_output=True, text=True
    ).stdout
    assert "Liberation-Serif" in serif


def _codes(pdf: Path, tmp: Path) -> list[str]:
    out = tmp / pdf.stem
    out.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(out / "p")], check=True)
    images = sorted(str(p) for p in out.glob("*.png"))
    return subprocess.run(
        ["zbarimg", "-q", "--raw", *images], capture_output=True, text=True
    ).stdout.split()


def test_every_qr_code_opens_a_page_of_the_site(publisher: Publisher, tmp_path: Path) -> None:
    site = publisher.root / "site"
    pdfs = [
        publisher.root / "khai-sinh.pdf",
        *sorted((site / "bieu-mau").glob("*.pdf")),
        *sorted((site / "goi-tai-lieu").glob("*.pdf")),
        *sorted((publisher.root / "goi").glob("*.pdf")),
    ]
    own = 0
    for i, pdf in enumerate(pdfs):
        codes = _codes(pdf, tmp_path / str(i))
        assert codes, pdf
        for code in codes:
            assert code.startswith("https://"), (pdf.name, code)
            if code.startswith(SITE_URL):
                own += 1
                path = code[len(SITE_URL) :]
                assert (site / path).is_file(), (pdf.name, code)
    assert own >= len(pdfs)
    poster = _codes(publisher.root / "goi" / "ap-phich.pdf", tmp_path / "poster")
    birth = [c for c in poster if "khai-sinh" in c]
    death = [c for c in poster if "khai-tu" in c]
    assert birth and death and not set(birth) & set(death)


def test_offline_form_validates_the_example_in_chromium(publisher: Publisher, page) -> None:
    example = json.loads(
        (ROOT / "schemas" / "lien-thong-khai-sinh.schema.json").read_text(encoding="utf-8")
    )["examples"][0]
    page.goto((publisher.root / "site" / "bieu-mau" / "lien-thong-khai-sinh.html").as_uri())
    errors = page.evaluate("r => window.lienthong.validate(r)", example)
    assert errors == []
    assert page.console_errors == []


def test_the_same_folder_builds_the_same_bytes(publisher: Publisher) -> None:
    again = publisher.run("mkdocs", "build", "--strict", "-d", "site-2")
    assert again.returncode == 0, again.stderr[-2000:]

    def tree(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }

    first, second = tree(publisher.root / "site"), tree(publisher.root / "site-2")
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_a_broken_override_is_refused_naming_the_file(publisher: Publisher) -> None:
    bad = publisher.root / "schemas" / "khai-sinh.schema.json"
    bad.parent.mkdir(exist_ok=True)
    bad.write_text('{"$id": ', encoding="utf-8")
    try:
        done = publisher.run("mkdocs", "build", "--strict", "-d", "site-bad")
        assert done.returncode != 0
        assert "schemas/khai-sinh.schema.json" in done.stderr
        assert "Traceback" not in done.stderr
        assert not (publisher.root / "site-bad").exists()
    finally:
        shutil.rmtree(bad.parent)


def test_an_edited_schema_without_node_says_what_to_install(publisher: Publisher) -> None:
    packaged = ROOT / "schemas" / "khai-sinh.schema.json"
    schema = json.loads(packaged.read_text(encoding="utf-8"))
    # A rule the browser checks: at most 5 copies here, not the packaged 20.
    schema["properties"]["copies"]["maximum"] = 5
    own = publisher.root / "schemas" / packaged.name
    own.parent.mkdir(exist_ok=True)
    own.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    try:
        done = publisher.run("mkdocs", "build", "--strict", "-d", "site-edited")
        assert done.returncode != 0
        assert "Traceback" not in done.stderr
        lines = [line for line in done.stderr.splitlines() if "Node.js" in line]
        assert lines and re.search(r"npm install ajv@\S+ esbuild@\S+", lines[0])
    finally:
        shutil.rmtree(own.parent)
