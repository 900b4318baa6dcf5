"""Record codes (generator/recordcode/): round trips, sizes, refusals, paper and the CLI.

The paper round trip prints checklists to PDF in one WeasyPrint document, rasterises them at
150 dpi with pdftoppm and reads them with zbar: ``LIENTHONG_CODE_PRINTS`` records per group
(default 40; the issue's 1,000 with ``make roundtrip``, which takes minutes).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

import lienthong
from lienthong import cli
from lienthong.offline.form import form_model
from lienthong.printing import render_pdf
from lienthong.recordcode import codec, scan
from tests.recordcode.records import maximal

GROUPS = ["lien-thong-khai-sinh", "lien-thong-khai-tu", "khai-tu-xoa-thuong-tru"]
PRINTS = int(os.environ.get("LIENTHONG_CODE_PRINTS", "40"))
ROUND_TRIPS = 1000


@pytest.fixture(scope="module")
def catalog():
    return lienthong._catalog(lienthong.default_schemas_dir())


@pytest.fixture(scope="module")
def layouts(catalog) -> dict[str, codec.Layout]:
    return {g: codec.layout(catalog, g) for g in GROUPS}


def records(catalog, group: str, count: int, seed: int = 1) -> list[Any]:
    """The group's examples, maximal records (realistic and at every maxLength) and records
    mutated from the examples (tests/offline/test_validator_js.RecordMaker): ``count`` in all."""
    from tests.offline.test_validator_js import RecordMaker

    model = form_model(catalog, group)
    rng = random.Random(seed)
    out = list(catalog.schema(group)["examples"])
    out += [maximal(model, rng) for _ in range(10)]
    out += [maximal(model, rng, extreme=True) for _ in range(5)]
    maker = RecordMaker(catalog, group, rng)
    while len(out) < count:
        out.append(maker.make())
    return out[:count]


def read_back(record: Any) -> Any:
    """What a record's codes give back: the same, but a lone surrogate, which has no UTF-8,
    comes back as U+FFFD (codec.payload)."""
    text = json.dumps(record, ensure_ascii=False)
    return json.loads(codec.LONE_SURROGATE.sub("\ufffd", text))


@pytest.mark.parametrize("group", GROUPS)
def test_a_thousand_records_come_back_whole(catalog, layouts, group):
    lay = layouts[group]
    for record in records(catalog, group, ROUND_TRIPS):
        texts = codec.encode(record, lay)
        assert codec.decode(texts, lay) == read_back(record)
        assert all(t.startswith(f"LT1:{group.upper()}:{lay.tag}:") for t in texts)
        # Alphanumeric mode only: no reader has to guess a character set.
        assert all(set(t) <= set(codec.BASE45) for t in texts)


@pytest.mark.parametrize("group", GROUPS)
def test_a_maximal_record_fits_three_codes(catalog, layouts, group):
    """Every optional block filled, every list at its maximum, long real words: at most three
    codes. At every maxLength the schema allows more than paper holds in three (reported by
    make bench), and the codes then take more rows."""
    model = form_model(catalog, group)
    rng = random.Random(7)
    counts = [len(codec.encode(maximal(model, rng), layouts[group])) for _ in range(20)]
    assert max(counts) <= codec.CODES_PER_ROW
    for example in catalog.schema(group)["examples"]:
        assert len(codec.encode(example, layouts[group])) == 1


def test_odd_records_come_back_too(layouts):
    lay = layouts["lien-thong-khai-sinh"]
    for record in [
        {},
        {"requester": None},
        {"requester": {"full_name": None, "x/y~z": [1, {"a": None}]}},
        {"thuong_tru": {"members": "không phải danh sách"}},
        {"thuong_tru": {"members": [None, {"full_name": "A"}, 3]}},
        {"khai_sinh": {"child": {"full_name": "Ａ\u0301 \u1ea0"}}},
        {"filing_date": 20251123, "delivery": True, "thêm": {"🙂": "𝔸"}},
        {"requester": {"full_name": "Tra\u0300n Thi\u0323 Mai"}},  # NFD stays NFD
        [1, 2],
        "không phải hồ sơ",
        None,
    ]:
        assert codec.decode(codec.encode(record, lay), lay) == record


def test_a_lone_surrogate_comes_back_as_replacement(layouts):
    lay = layouts["lien-thong-khai-sinh"]
    back = codec.decode(codec.encode({"filing_place": "a\ud800b"}, lay), lay)
    assert back == {"filing_place": "a\ufffdb"}


def test_the_tag_follows_the_schema(catalog):
    import copy

    before = codec.layout(catalog, "lien-thong-khai-tu")
    changed = copy.deepcopy(catalog)
    schema = changed.schemas["lien-thong-khai-tu"]
    schema["properties"]["ghi_chu"] = {"type": "string"}
    after = codec.layout(changed, "lien-thong-khai-tu")
    assert after.tag != before.tag and after.group == before.group
    assert codec.layout(catalog, "lien-thong-khai-tu").tag == before.tag


# -- refusals ---------------------------------------------------------------------------------


def refused(texts: list[str], lay: codec.Layout) -> str:
    with pytest.raises(codec.RecordCodeError) as info:
        codec.decode(texts, lay)
    return str(info.value)


def test_codes_of_another_group_version_or_set_are_refused(catalog, layouts):
    birth, death = layouts["lien-thong-khai-sinh"], layouts["lien-thong-khai-tu"]
    model = form_model(catalog, "lien-thong-khai-sinh")
    big = codec.encode(maximal(model, random.Random(3)), birth)
    other = codec.encode(maximal(model, random.Random(4)), birth)
    assert len(big) == len(other) == 3
    assert "nhóm thủ tục khác" in refused(big, death)
    old = codec.Layout(birth.group, "V0-000000", birth.root)
    assert "phiên bản biểu mẫu khác" in refused(big, old)
    assert "Còn thiếu mã 2 (trong 3 mã)" in refused([big[0], big[2]], birth)
    assert "hai bộ tờ khai" in refused([big[0], other[0], big[1], big[2]], birth)
    mixed = [big[0], other[1], big[2]]  # a whole "set" made of two sets' parts
    assert "không ghép được" in refused(mixed, birth)
    assert "không phải mã hồ sơ" in refused(["https://dichvucong.gov.vn/"], birth)
    assert "Chưa có mã nào" in refused([], birth)


def test_damaged_and_hostile_codes_are_refused(layouts):
    lay = layouts["khai-tu-xoa-thuong-tru"]
    (text,) = codec.encode({"requester": {"full_name": "Lê Thị Hoa"}}, lay)
    head, body = text.rsplit(":", 1)
    flipped = body[:-7] + ("0" if body[-7] != "0" else "1") + body[-6:]
    assert "không ghép được" in refused([f"{head}:{flipped}"], lay)
    assert "nội dung không hợp lệ" in refused([f"{head}:{body}a"], lay)  # length 3k+1
    assert "nội dung không hợp lệ" in refused([f"{head}:{body[:-3]}:::"], lay)
    assert "số thứ tự" in refused([text.replace(":1/1:", ":2/1:")], lay)
    assert "số thứ tự" in refused([text.replace(":1/1:", ":0/0:")], lay)
    head = f"LT1:{lay.group.upper()}:{lay.tag}:1/1:"

    def framed(data: bytes, crc_of: bytes | None = None) -> str:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        frame = packer.compress(data) + packer.flush()
        frame += zlib.crc32(data if crc_of is None else crc_of).to_bytes(4, "big")
        return head + codec.b45encode(frame)

    # A deflate bomb: 8 MB of zeros in one small code stops at 256 KB.
    assert "không ghép được" in refused([framed(b"[" + b"0" * 8_000_000 + b"]")], lay)
    # Well-formed bytes that are not a record of this layout.
    for data in [b"{}", b"[]", b"[1,2,3]", b'[{"a":1}]', b"[[1]]", b'[[],"x"]', b"\xff\xfe"]:
        assert "không ghép được" in refused([framed(data)], lay)
    assert "không ghép được" in refused([framed(b"[[]]", crc_of=b"[[ ]]")], lay)
    assert codec.decode([framed(b"[[]]")], lay) == {}


def test_base45_is_rfc_9285():
    # The RFC's own examples.
    assert codec.b45encode(b"AB") == "BB8"
    assert codec.b45encode(b"Hello!!") == "%69 VD92EX0"
    assert codec.b45encode(b"base-45") == "UJCLQE7W581"
    assert codec.b45decode("QED8WEX0") == b"ietf!"
    for bad in ["GGW", "ZZZ", "A", "a"]:
        with pytest.raises(ValueError):
            codec.b45decode(bad)


# -- on paper ---------------------------------------------------------------------------------


def _pages_codes(pdf: bytes, folder: Path) -> list[list[str]]:
    """The record-code texts zbar reads on each page of a PDF rasterised at 150 dpi."""
    (folder / "set.pdf").write_bytes(pdf)
    return scan.page_texts(folder / "set.pdf")


@pytest.mark.parametrize("group", GROUPS)
def test_printed_codes_scan_back_at_150_dpi(catalog, layouts, group, tmp_path):
    renderer = render_pdf.Renderer(base_url="https://xa.example.vn/")
    chosen = records(catalog, group, PRINTS, seed=11)
    sheets = [renderer.form_sheet(f"checklist-{group}", r, allow_incomplete=True) for r in chosen]
    HTML, css, fonts = renderer._weasyprint()
    html = renderer.html(sheets, "thử")
    pdf = HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)
    # A record's codes stay together on one page (.rcodes breaks inside never), in any order.
    sets = [page for page in _pages_codes(pdf, tmp_path) if page]
    assert len(sets) == len(chosen)
    for found, record in zip(sets, chosen, strict=True):
        texts = sorted(found, key=lambda t: codec.parse(t).index)
        assert texts == codec.encode(record, layouts[group])
        assert codec.decode(texts, layouts[group]) == read_back(record)


def test_lienthong_pdf_and_scan(tmp_path, catalog, capsys):
    group = "lien-thong-khai-sinh"
    record = maximal(form_model(catalog, group), random.Random(5))
    data = tmp_path / "ho-so.json"
    data.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    pdf = tmp_path / "to-khai.pdf"
    assert cli.main(["pdf", group, "--data", str(data), "-o", str(pdf), "--allow-incomplete"]) == 0
    out = tmp_path / "doc-lai.json"
    assert cli.main(["scan", str(pdf), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == record
    # From photos of the page: here the page rasterised at 150 dpi and cut.
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "p")], check=True)
    page = next(
        p
        for p in sorted(tmp_path.glob("p-*.png"))
        if any(t.startswith("LT1:") for t in scan._zbar(p))
    )
    whole = Image.open(page)
    w, h = whole.size
    # Two photos that overlap, as a clerk takes them: the left two codes, then the right one.
    whole.crop((0, 0, int(w * 0.64), h)).save(tmp_path / "trai.png")
    whole.crop((int(w * 0.55), 0, w, h)).save(tmp_path / "phai.png")
    capsys.readouterr()
    assert cli.main(["scan", str(tmp_path / "trai.png"), str(tmp_path / "phai.png")]) == 0
    assert json.loads(capsys.readouterr().out) == record
    # One half is not the whole record.
    assert cli.main(["scan", str(tmp_path / "trai.png")]) == 1
    assert "Còn thiếu mã 3" in capsys.readouterr().err


def test_scan_says_what_is_wrong(tmp_path, capsys):
    from PIL import Image

    Image.new("L", (200, 200), 255).save(tmp_path / "trang.png")
    assert cli.main(["scan", str(tmp_path / "trang.png")]) == 1
    err = capsys.readouterr().err
    assert "không thấy mã hồ sơ nào" in err and "Traceback" not in err
    assert cli.main(["scan", str(tmp_path / "khong-co.png")]) == 1
    assert "không có tệp này" in capsys.readouterr().err
    (tmp_path / "hong.png").write_bytes(b"not a picture")
    assert cli.main(["scan", str(tmp_path / "hong.png")]) == 1
    assert "không đọc được ảnh" in capsys.readouterr().err
