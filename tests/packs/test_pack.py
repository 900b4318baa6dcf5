"""Publishing packs (generator/packs/pack.py, pack_pdf.py, pack_text.py): read back with poppler and
zbar, as a commune officer and a phone camera would. The runs read here are described in
tests/packs/runs.py.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from lienthong.inputs.settings import publisher
from lienthong.packs import pack, speech
from lienthong.packs import pdf as pack_pdf
from lienthong.printing import records
from tests.conftest import ROOT
from tests.packs.runs import BLANK, FILLED, HEADER, HUE, LOOKUP, ROWS, SITE, run_cli
from tests.test_content import RUN, SEEDS, shingles, words

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdftoppm", "zbarimg")),
    reason="poppler-utils and zbar-tools are needed (make system)",
)


def text_of(pdf: Path, *, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, check=True, text=True).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def squeeze(text: str) -> str:
    """Text without spaces or hyphens: pdftotext joins a word hyphenated at a line end."""
    return re.sub(r"[\s\-]", "", text)


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def decode(pdf: Path, tmp: Path) -> list[str]:
    """Every QR code on every page, rasterised at 150 dpi as a printer would."""
    tmp.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp / "p")], check=True)
    images = sorted(str(p) for p in tmp.glob("p*.png"))
    out = subprocess.run(["zbarimg", "-q", "--raw", *images], capture_output=True, text=True)
    return out.stdout.split()


def svg_to_pdf(svgs: list[Path], out: Path) -> Path:
    """Each SVG file on its own page, 60 mm wide (WeasyPrint's SVG renderer, like a browser)."""
    from lienthong.printing.render_pdf import import_weasyprint

    HTML = import_weasyprint()[0]
    body = "".join(
        f'<div style="break-after: page"><img src="{p.as_uri()}" style="width: 60mm"></div>'
        for p in svgs
    )
    HTML(string=f"<!doctype html><html><body>{body}</body></html>").write_pdf(out)
    return out


def pack_dir(national: tuple[Path, str], code: str) -> Path:
    (found,) = national[0].glob(f"{HUE}-*/{code}-*")
    return found


def expected_codes(catalog, sheet: str, *, site: str | None, lookup: str | None) -> list[str]:
    t = pack.targets(catalog, site)
    if sheet == "poster":
        urls = [t["tai-khoan"].url, t[f"nhom-{pack.BIRTH}"].url, t[f"nhom-{pack.DEATH}"].url]
    else:
        urls = [t["tai-khoan"].url, t["tra-cuu"].url]
    return sorted(urls + ([lookup] if lookup else []))


# -- the national run -------------------------------------------------------------------------------


def test_national_run_makes_every_pack(national, catalog):
    out, err = national
    codes = pack.communes_of(HUE)
    assert len(codes) == 40
    dirs = sorted(p.name for p in (out / "46-hue").iterdir())
    assert [d.split("-")[0] for d in dirs] == codes
    assert "40 xã (2 có thông tin liên hệ), 40 gói mới, 0 gói không đổi" in err
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "40 gói" in index and "Phường Phú Xuân" in index
    blanks = sorted(p.stem for p in (out / "bieu-mau").glob("*.pdf"))
    assert blanks == sorted(pack.blank_titles(catalog))
    for d in (out / "46-hue").iterdir():
        names = {p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()}
        assert {"ap-phich.pdf", "to-roi.pdf", "bai-tuyen-truyen.txt", "index.html"} <= names
        assert {f"bieu-mau/{b}.pdf" for b in blanks} <= names
        # Blank forms are the same files as the edition's: hard links, not copies.
        assert (d / "bieu-mau" / "ct01.pdf").stat().st_ino == (
            out / "bieu-mau" / "ct01.pdf"
        ).stat().st_ino


def test_poster_shows_the_commune_officer_and_phone(national):
    poster = pack_dir(national, FILLED) / "ap-phich.pdf"
    assert pages(poster) == 1
    text = flat(text_of(poster))
    for expected in (
        "PHƯỜNG PHÚ XUÂN",
        "Thành phố Huế",
        "HỖ TRỢ NỘP HỒ SƠ TẠI PHƯỜNG PHÚ XUÂN",
        "Trần Thị Minh Thư",
        "0912 000 201",
        "KHAI SINH, KHAI TỬ",
    ):
        assert expected in text, expected
    # The look-up address may wrap under its QR code, after a "/" or ".".
    assert "tracuu.hue.example.vn/ho-so" in text.replace(" ", "")
    blank = flat(text_of(pack_dir(national, BLANK) / "ap-phich.pdf"))
    assert "PHƯỜNG THUẬN HÓA" in blank
    assert "Cán bộ hỗ trợ: Điện thoại: Đường dây nóng:" in blank  # lines to fill by hand
    assert "0912" not in blank


def test_leaflet_has_both_checklists_six_steps_and_look_up(national, catalog):
    leaflet = pack_dir(national, FILLED) / "to-roi.pdf"
    assert pages(leaflet) == 2
    text = flat(text_of(leaflet))
    for gid in (pack.BIRTH, pack.DEATH):
        for item in records.checklist_items(catalog, gid, None):
            assert squeeze(item.name) in squeeze(text), item.name
        for step in catalog.groups[gid]["steps"]:
            assert squeeze(step["text"]) in squeeze(text), step["text"]
    for way in catalog.groups[pack.BIRTH]["lookup"]:
        assert way["name"] in text
    assert "Trần Thị Minh Thư" in text and "0912 000 201" in text


@pytest.mark.parametrize("code", [FILLED, BLANK])
def test_every_qr_code_decodes_to_its_target(national, catalog, tmp_path, code):
    d = pack_dir(national, code)
    lookup = LOOKUP if code == FILLED else None
    assert sorted(decode(d / "ap-phich.pdf", tmp_path / "poster")) == expected_codes(
        catalog, "poster", site=None, lookup=lookup
    )
    assert sorted(decode(d / "to-roi.pdf", tmp_path / "leaflet")) == expected_codes(
        catalog, "leaflet", site=None, lookup=lookup
    )
    # Every SVG file of the pack, on its own, gives exactly its target.
    targets = {t.key: t.url for t in pack.targets(catalog).values()}
    if lookup:
        targets["tra-cuu-tinh"] = lookup
    svgs = sorted((d / "ma-qr").glob("*.svg"), key=lambda p: p.stem)
    assert [p.stem for p in svgs] == sorted(targets)
    found = decode(svg_to_pdf(svgs, tmp_path / "svg.pdf"), tmp_path / "svg")
    assert found == [targets[p.stem] for p in svgs]


def test_index_page_codes_decode(site_pack, catalog, tmp_path):
    """The inline SVG codes of index.html (the web page) give their targets, once each; the
    pictures shown for the posts add one code to each group's page."""
    from lienthong.printing.render_pdf import import_weasyprint

    HTML = import_weasyprint()[0]
    pdf = tmp_path / "index.pdf"
    HTML(filename=str(site_pack / "index.html")).write_pdf(pdf)
    pub, _ = publisher(ROOT / "mkdocs.yml")
    expected = [t.url for t in pack.targets(catalog, SITE).values()]
    expected.append(pub["provincial_lookup_url"])
    pictures = [pack.targets(catalog, SITE)[f"nhom-{gid}"].url for gid in catalog.groups]
    assert Counter(decode(pdf, tmp_path / "png")) == Counter(expected + pictures)
    # With the site's address, the group codes lead to the guide pages and offline forms.
    assert f"{SITE}lien-thong-khai-sinh.html" in expected
    assert f"{SITE}bieu-mau/lien-thong-khai-tu.html" in expected


def test_site_address_reaches_the_poster(site_pack, catalog, tmp_path):
    pub, _ = publisher(ROOT / "mkdocs.yml")
    codes = decode(site_pack / "ap-phich.pdf", tmp_path)
    assert sorted(codes) == expected_codes(
        catalog, "poster", site=SITE, lookup=pub["provincial_lookup_url"]
    )
    text = flat(text_of(site_pack / "ap-phich.pdf"))
    for value in (pub["officer_name"], pub["officer_phone"], "PHƯỜNG BA ĐÌNH"):
        assert value in text


# -- the loudspeaker article ------------------------------------------------------------------------


URL = re.compile(r"https?:|www\.|\b[a-z0-9-]+\.(?:vn|com|net|org)\b", re.I)


@pytest.mark.parametrize("code", [FILLED, BLANK])
def test_loudspeaker_text_reads_aloud(national, code):
    text = (pack_dir(national, code) / "bai-tuyen-truyen.txt").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert not URL.search(text), URL.search(text)
    assert not re.search(r"\d{5,}", text)
    assert not re.search(r"\d", text)  # stricter: every number is in words
    assert not (set(text) & speech.FORBIDDEN)
    assert "\t" not in text and not re.search(r"^\s*[-+=|]{3,}", text, re.M)
    assert "lienthong chấm dichvucong chấm gov chấm vn" in text
    assert "Bước sáu" in text
    if code == FILLED:
        assert "phường Phú Xuân" in text and "Trần Thị Minh Thư" in text
        assert "số điện thoại không chín một hai, không không không, hai không một" in text
        assert "tracuu chấm hue chấm example chấm vn gạch chéo ho gạch ngang so" in text
        assert "bảy giờ ba mươi đến mười một giờ ba mươi" in text
    else:
        assert "phường Thuận Hóa" in text and "……" in text


def own_shingles(text: str, official: list[str]) -> set[tuple[str, ...]]:
    """test_content.shingles, with the portal's own labels (quoted on purpose) cut out too."""
    joined = " ".join(words(text))
    for label in official:
        joined = joined.replace(" ".join(words(label)), " | ")
    found: set[tuple[str, ...]] = set()
    for segment in joined.split("|"):
        found |= shingles(segment)
    return found


def test_nothing_copied_from_the_seeds(national, catalog):
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    seeds: set = set()
    for path in SEEDS.glob("*.txt"):
        seeds |= shingles(path.read_text(encoding="utf-8"))
    # Quoted on purpose: the portal's step labels and the official names of the forms.
    labels = [s["portal_label"] for g in catalog.groups.values() for s in g["steps"]]
    labels += list(pack.blank_titles(catalog).values())
    assert RUN == 10
    d = pack_dir(national, FILLED)
    texts = {
        "bai-tuyen-truyen.txt": (d / "bai-tuyen-truyen.txt").read_text(encoding="utf-8"),
        "ap-phich.pdf": text_of(d / "ap-phich.pdf"),
        "to-roi.pdf": text_of(d / "to-roi.pdf"),
        "index.html": re.sub(r"<[^>]+>", " ", (d / "index.html").read_text(encoding="utf-8")),
    }
    for name, text in texts.items():
        copied = own_shingles(text, labels) & seeds
        assert not copied, f"{name} repeats seed wording: {' '.join(next(iter(copied)))}"


# -- incremental runs, bad input ---------------------------------------------------------------------


def test_rerun_and_one_phone_change(national, settings_file, cache, tmp_path):
    out, _ = national
    args = ["--national", "--provinces", HUE, "-o", str(out), "--config", str(tmp_path / "x.yml")]
    args += ["--cache-dir", str(cache)]
    untouched = pack_dir(national, "19777") / "ap-phich.pdf"
    before = untouched.stat().st_ino
    status, err = run_cli(*args, "--settings", str(settings_file))
    assert status == 0 and "0 gói mới, 40 gói không đổi" in err, err
    changed = tmp_path / "xa.csv"
    changed.write_text(
        settings_file.read_text(encoding="utf-8").replace("0912 000 201", "0912 000 299"),
        encoding="utf-8",
    )
    status, err = run_cli(*args, "--settings", str(changed))
    assert status == 0 and "1 gói mới, 39 gói không đổi" in err, err
    assert "0912 000 299" in text_of(pack_dir(national, FILLED) / "ap-phich.pdf")
    assert untouched.stat().st_ino == before
    # Back to the module's settings for the other tests.
    status, err = run_cli(*args, "--settings", str(settings_file))
    assert status == 0 and "1 gói mới" in err


def test_bad_settings_row_names_row_and_field_and_changes_nothing(national, cache, tmp_path):
    out, _ = national
    bad = tmp_path / "xa.csv"
    bad.write_text(HEADER + "\n" + ROWS[0] + "\n" + ROWS[1].replace("0234 3822 111", "abc") + "\n")
    before = {p: p.stat().st_mtime_ns for p in out.rglob("ap-phich.pdf")}
    status, err = run_cli("--national", "--provinces", HUE, "-o", str(out), "--settings", str(bad))
    assert status == 1
    assert "Traceback" not in err
    assert f"tệp {bad}, dòng 3, trường officer_phone: Số điện thoại cán bộ hỗ trợ" in err
    assert "Không tạo gói tài liệu: 1 lỗi trong tệp cấu hình; thư mục đầu ra không thay đổi." in err
    assert {p: p.stat().st_mtime_ns for p in out.rglob("ap-phich.pdf")} == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--province", "99", "--all"], "không có tỉnh, thành phố mã '99'"),
        (
            ["--province", "04", "--commune", "00004"],
            "xã, phường mã 00004 (Phường Ba Đình) không thuộc Cao Bằng.",
        ),
        (["--province", "01"], "cần --commune C (một xã) hoặc --all"),
        (["--commune", "00004"], "cần --province"),
    ],
)
def test_bad_arguments(tmp_path, args, message):
    status, err = run_cli(*args, "-o", str(tmp_path / "out"))
    assert status == 1 and message in err and "Traceback" not in err, err
    assert not (tmp_path / "out").exists()


def test_refuses_a_folder_that_is_not_a_pack(tmp_path, cache):
    (tmp_path / "notes.txt").write_text("x")
    status, err = run_cli("--province", "01", "--commune", "00008", "-o", str(tmp_path))
    assert status == 1 and "đã có tệp khác" in err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_progress_bar_only_when_asked(tmp_path, cache):
    args = ["--province", "01", "--commune", "00008", "--cache-dir", str(cache)]
    status, err = run_cli(*args, "-o", str(tmp_path / "a"))
    assert status == 0 and "Đang tạo gói" not in err  # stderr is not a terminal here
    status, err = run_cli(*args, "-o", str(tmp_path / "b"), "--progress")
    assert status == 0 and "Đang tạo gói: [" in err


# -- layers and determinism ---------------------------------------------------------------------------


def build_one(catalog, cache: Path, out: Path, settings: dict | None, *, direct: bool) -> Path:
    options = pack.PackOptions(
        ROOT / "schemas", ROOT / "forms", cache, workers=1, direct_text=direct
    )
    commune = pack.make_commune(settings["commune"] if settings else "00008", settings)
    pack.build_packs(catalog, [commune], out, options, tree=False)
    return out


def test_direct_and_laid_out_layers_say_the_same(national, catalog, cache, tmp_path):
    pub, _ = publisher(ROOT / "mkdocs.yml")
    direct = build_one(catalog, cache, tmp_path / "direct", pub, direct=True)
    laid_out = build_one(catalog, cache, tmp_path / "layout", pub, direct=False)
    for name in ("ap-phich.pdf", "to-roi.pdf"):
        a, b = text_of(direct / name), text_of(laid_out / name)
        assert Counter(a.split()) == Counter(b.split()), name


def test_same_inputs_same_bytes(national, catalog, cache, tmp_path):
    pub, _ = publisher(ROOT / "mkdocs.yml")
    first = build_one(catalog, cache, tmp_path / "a", pub, direct=True)
    second = build_one(catalog, cache, tmp_path / "b", pub, direct=True)
    for name in ("ap-phich.pdf", "to-roi.pdf", "bai-tuyen-truyen.txt", "index.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_long_settings_still_fit_the_sheet(catalog, cache, tmp_path, caplog):
    pub, _ = publisher(ROOT / "mkdocs.yml")
    long = dict(pub)
    long["office_address"] = ("Số 25 phố Liễu Giai, tổ dân phố số 7, " * 6)[:200]
    long["hotline"] = ("1900 0368 (Cổng dịch vụ công liên thông), " * 5)[:200]
    long["opening_hours"] = ("Sáng 8:00–12:00, chiều 13:30–17:00, " * 6)[:200]
    for direct in (True, False):
        out = build_one(catalog, cache, tmp_path / f"d{direct}", long, direct=direct)
        assert pages(out / "ap-phich.pdf") == 1
        text = flat(text_of(out / "ap-phich.pdf"))
        assert long["officer_phone"] in text and long["officer_name"] in text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_static_layers_fit_their_boxes(catalog, caplog):
    renderer = pack_pdf.LayerRenderer()
    shared = pack.shared_view(catalog, pack.targets(catalog, SITE))
    with caplog.at_level(logging.WARNING, logger="lienthong.packs.pack"):
        renderer.base(shared, list(range(len(pack_pdf.BASE_PAGES))))
    assert not caplog.records, [r.getMessage() for r in caplog.records]


def test_the_site_build_makes_the_publishers_pack(catalog, tmp_path):
    """site_pdfs (the site build's background process) writes every file the plugin adds."""
    from lienthong.site import pdf_job as site_pdfs

    pub, _ = publisher(ROOT / "mkdocs.yml")
    site_pdfs.main(
        str(tmp_path), SITE, str(ROOT / "schemas"), str(ROOT / "forms"), "", json.dumps(pub)
    )
    made = {
        p.relative_to(tmp_path / site_pdfs.PACK_DIR).as_posix()
        for p in (tmp_path / site_pdfs.PACK_DIR).rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }
    assert made == set(pack.site_pack_files(catalog, pub, SITE, False))


def test_layers_match_the_one_document_sheets(national, catalog, settings_file, tmp_path):
    """Stacked layers say what the same sheet laid out as one document says (the bench's
    naive baseline), word for word: no block lost, doubled or moved off its page."""
    from lienthong.bench.packs import naive_packs
    from lienthong.inputs.commune_settings import read_settings

    rows = read_settings(settings_file, catalog)
    communes = [pack.make_commune(FILLED, rows[FILLED].settings), pack.make_commune(BLANK)]
    naive_packs(communes, tmp_path, national[0] / "bieu-mau")
    for commune in communes:
        layered = pack_dir(national, commune.code)
        single = tmp_path / commune.province_slug / commune.slug
        for name in ("ap-phich.pdf", "to-roi.pdf"):
            assert pages(layered / name) == pages(single / name)
            a, b = text_of(layered / name), text_of(single / name)
            assert Counter(a.split()) == Counter(b.split()), (commune.code, name)
        assert (layered / "bai-tuyen-truyen.txt").read_bytes() == (
            single / "bai-tuyen-truyen.txt"
        ).read_bytes()


def test_index_links_resolve(national):
    d = pack_dir(national, FILLED)
    html = (d / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#]+)"', html)
    assert len(links) >= 3 + 9 + 7
    for link in links:
        assert (d / link).is_file(), link


def test_bad_publisher_in_config_is_reported(tmp_path):
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(text.replace('officer_phone: "0912 000 111"', 'officer_phone: "gọi tôi"'))
    status, err = run_cli(
        "--province",
        "01",
        "--commune",
        "00004",
        "-o",
        str(tmp_path / "out"),
        "--config",
        str(config),
    )
    assert status == 1 and "Traceback" not in err
    assert (
        f"{config}: /plugins/2/lienthong/publisher/officer_phone: Số điện thoại cán bộ hỗ trợ"
        in err
    )
    assert not (tmp_path / "out").exists()
