"""The browser's record codes (assets/form/record-code.js, in the built print bundle) against
Python's, in one node process: what one side encodes the other decodes to the same record,
both refuse the same codes, and the SVG the browser draws scans back."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from lienthong.printing import render_pdf
from lienthong.recordcode import codec
from tests.offline.test_print_js import _build, _need_node, js_record, run_js
from tests.recordcode.test_codec import GROUPS, read_back, records

PER_GROUP = 300


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    _need_node()
    renderer = render_pdf.Renderer(base_url="https://xa.example.vn/")
    return renderer, _build(tmp_path_factory.mktemp("codes"), renderer, GROUPS)


def test_both_ways(bundles, tmp_path):
    renderer, built = bundles
    # As the browser holds them: JSON numbers are doubles (2.0 is 2).
    items = [
        (g, js_record(r)) for g in GROUPS for r in records(renderer.catalog, g, PER_GROUP, seed=21)
    ]
    items += [
        ("lien-thong-khai-sinh", odd)
        for odd in [
            {"filing_place": "\\ud800 gõ tay, \ud800 lẻ loi, 😀 đủ cặp"},
            {"requester": {"__proto__": {"x": 1}, "constructor": "y"}},
            {"thuong_tru": {"members": [None, 3, {"full_name": "A"}]}},
            [1, "không phải hồ sơ"],
        ]
    ]
    layouts = {g: renderer.views.code_layout(g) for g in GROUPS}
    python = [codec.encode(r, layouts[g]) for g, r in items]
    out = run_js(
        tmp_path,
        bundles=built,
        encode=[[g, r] for g, r in items],
        decode=[[g, texts] for (g, _), texts in zip(items, python, strict=True)],
    )
    for (g, record), js_texts, js_back, texts in zip(
        items, out["encode"], out["decode"], python, strict=True
    ):
        assert isinstance(js_texts, list), js_texts
        assert codec.decode(js_texts, layouts[g]) == read_back(record)
        assert js_back == read_back(record)
        # The same group and tag; deflate may differ by a few bytes, so the count may too.
        assert {t.split(":", 3)[2] for t in js_texts} == {t.split(":", 3)[2] for t in texts}


def test_the_browser_refuses_what_python_refuses(bundles, tmp_path):
    renderer, built = bundles
    group = "lien-thong-khai-sinh"
    lay = renderer.views.code_layout(group)
    full = codec.encode(records(renderer.catalog, group, 2)[1], lay)  # a maximal record
    other = codec.encode(
        renderer.catalog.schema("lien-thong-khai-tu")["examples"][0],
        renderer.views.code_layout("lien-thong-khai-tu"),
    )
    cases = {
        "nhóm thủ tục khác": other,
        "phiên bản biểu mẫu khác": [t.replace(lay.tag, "V9-ABCDEF") for t in full],
        "Còn thiếu mã": full[1:],
        "không ghép được": [
            full[0][:-6] + ("A" if full[0][-6] != "A" else "B") + full[0][-5:],
            *full[1:],
        ],
        "nội dung không hợp lệ": [full[0] + "a", *full[1:]],
        "không phải mã hồ sơ": ["https://dichvucong.gov.vn/"],
        "số thứ tự": [t.replace(f":1/{len(full)}:", ":0/0:") for t in full],
    }
    out = run_js(tmp_path, bundles=built, decode=[[group, t] for t in cases.values()])
    for (reason, texts), got in zip(cases.items(), out["decode"], strict=True):
        assert isinstance(got, dict) and "error" in got, (reason, got)
        assert reason in got["error"], (reason, got["error"])
        with pytest.raises(codec.RecordCodeError, match=reason):
            codec.decode(texts, lay)


def test_the_browsers_figures_scan_back(bundles, tmp_path):
    """The SVG path the browser draws, rasterised at 150 dpi (cairosvg is not needed: the
    path is runs of whole modules), reads back with zbar."""
    from PIL import Image

    renderer, built = bundles
    group = "lien-thong-khai-tu"
    lay = renderer.views.code_layout(group)
    chosen = records(renderer.catalog, group, 12, seed=5)
    texts = [codec.encode(r, lay) for r in chosen]
    out = run_js(tmp_path, bundles=built, figures=[[group, t] for t in texts])
    px = 0.46 / 25.4 * 150  # a module at 150 dpi
    for n, (svgs, code_texts) in enumerate(zip(out["figures"], texts, strict=True)):
        for m, (svg, text) in enumerate(zip(svgs, code_texts, strict=True)):
            side = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
            size = round(side * px)
            image = Image.new("L", (size, size), 255)
            scale = size / side
            for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
                x0, y0 = int(x) * scale, int(y) * scale
                image.paste(
                    0, (round(x0), round(y0), round(x0 + int(w) * scale), round(y0 + scale))
                )
            path = Path(tmp_path) / f"c{n}-{m}.png"
            image.save(path)
            read = subprocess.run(
                ["zbarimg", "-q", "--raw", str(path)], capture_output=True, text=True
            ).stdout.splitlines()
            assert read == [text]
