"""Render tests for generator/printing/render_pdf.py: PDFs are read back with poppler and zbar.

Goldens: tests/golden/forms/<id>.txt (blank form) and <id>--<example>.txt (filled from
forms/<form>/examples.json) hold ``pdftotext -layout`` output. After a deliberate change, run
``UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/printing/test_render_pdf.py`` and review the diff.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from lienthong import cli, validate
from lienthong.forms.formatters import FORMATTERS
from lienthong.forms.labels import label_table
from lienthong.forms.view import Record
from lienthong.printing import records, render_pdf
from lienthong.printing.date_words import date_in_words
from lienthong.schema.validation import resolve_pointer, validator_for

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "forms"
FORMS = ROOT / "forms"
SCHEMAS = ROOT / "schemas"
BASE = "https://xa-phuong.example.vn/"
UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm", "zbarimg")),
    reason="poppler-utils and zbar-tools are needed (make system)",
)

FORM_IDS = ["to-khai-khai-sinh", "ct01", "tk1-ts", "to-khai-khai-tu", "mau-04-nd20", "mau-2-nd176"]
GROUP_IDS = ["lien-thong-khai-sinh", "lien-thong-khai-tu", "khai-tu-xoa-thuong-tru"]
CHECKLIST_IDS = [records.CHECKLIST_PREFIX + g for g in GROUP_IDS]


def ct01_labels(circular: str) -> list[str]:
    """CT01's labels in order, as Thông tư 116/2026 (in force 01/7/2026) or 53/2025 issued it:
    116 adds footnote (2) to item 7, so the columns' VNeID lines and the last note are (8), not
    (7); its parent column reads "CHA HOẶC MẸ", and the VNeID app "ứng dụng định danh quốc gia"."""
    new = circular == "116/2026/TT-BCA"
    vneid = "(8)" if new else "(7)"
    return [
        f"Mẫu CT01 ban hành kèm theo Thông tư số {circular}",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ",
        "Kính gửi",
        "1. Họ, chữ đệm và tên khai sinh:",
        "2. Ngày, tháng, năm sinh:",
        "3. Giới tính:",
        "4. Số định danh cá nhân:",
        "5. Số điện thoại liên hệ:",
        "6. Email:",
        "7. Họ, chữ đệm và tên chủ hộ(2):" if new else "7. Họ, chữ đệm và tên chủ hộ:",
        "8. Mối quan hệ với chủ hộ:",
        "9. Số định danh cá nhân của chủ hộ:",
        "10. Nội dung đề nghị",
        "11. Những thành viên trong hộ gia đình cùng thay đổi:",
        "TT",
        "Họ, chữ đệm và tên",
        "Giới tính",
        # The four column titles wrap in their columns; their first words, left to right.
        "Ý KIẾN CỦA CHỦ HỘ",
        "Ý KIẾN CỦA CHỦ SỞ",
        "Ý KIẾN CỦA CHA HOẶC" if new else "Ý KIẾN CỦA CHA, MẸ",
        "NGƯỜI KÊ KHAI",
        f"{vneid} Họ và tên:",
        f"{vneid} Số định danh cá nhân:",
        "Chú thích:",
        "(1) Cơ quan đăng ký cư trú.",
        f"{vneid} Chỉ kê khai thông tin khi công dân đề nghị xác nhận nội dung đồng ý thông qua"
        + (" ứng dụng định danh quốc gia (VNeID)." if new else " ứng dụng VNeID."),
    ]


# Labels of each blank form, in the official order (shared/domain-facts.md section 3).
LABELS = {
    "to-khai-khai-sinh": [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TỜ KHAI ĐĂNG KÝ KHAI SINH",
        "Kính gửi:",
        "Họ, chữ đệm, tên người yêu cầu:",
        "Ngày, tháng, năm sinh:",
        "Nơi cư trú:",
        "Giấy tờ tùy thân:",
        "Quan hệ với người được khai sinh:",
        "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
        "Họ, chữ đệm, tên:",
        "Ngày, tháng, năm sinh:",
        "ghi bằng chữ:",
        "Giới tính:",
        "Dân tộc:",
        "Quốc tịch:",
        "Nơi sinh:",
        "Quê quán:",
        "Họ, chữ đệm, tên người mẹ:",
        "Năm sinh:",
        "Nơi cư trú:",
        "Giấy tờ tùy thân:",
        "Họ, chữ đệm, tên người cha:",
        "Năm sinh:",
        "Nơi cư trú:",
        "Giấy tờ tùy thân:",
        "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật",
        "Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của mình.",
        "Làm tại:",
        "Đề nghị cấp bản sao: Có",
        "Người yêu cầu",
        "(Ký, ghi rõ họ, chữ đệm, tên)",
        "bản (6)",
        "Chú thích:",
        "(1) Ghi rõ tên cơ quan đăng ký khai sinh.",
        "(2) Chỉ ghi trong trường hợp",
        "(3) Ghi số định danh cá nhân",
        "(4) Trường hợp sinh tại cơ sở y tế",
        "(5) Ghi đầy đủ ngày, tháng sinh của cha, mẹ (nếu có).",
        "(6) Đề nghị đánh dấu X vào ô nếu có yêu cầu cấp bản sao và ghi rõ số lượng.",
    ],
    "to-khai-khai-tu": [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỜ KHAI ĐĂNG KÝ KHAI TỬ",
        "Kính gửi:",
        "Họ, chữ đệm, tên người yêu cầu:",
        "Ngày, tháng, năm sinh:",
        "Nơi cư trú:",
        "Giấy tờ tùy thân:",
        "Quan hệ với người đã chết:",
        "Đề nghị cơ quan đăng ký khai tử cho người có tên dưới đây:",
        "Họ, chữ đệm, tên:",
        "Ngày, tháng, năm sinh:",
        "Giới tính:",
        "Dân tộc:",
        "Quốc tịch:",
        "Nơi cư trú cuối cùng:",
        "Giấy tờ tùy thân:",
        "Đã chết vào lúc:",
        "giờ",
        "phút, ngày",
        "Nơi chết:",
        "Nguyên nhân chết:",
        "Số Giấy báo tử/Giấy tờ thay thế Giấy báo tử:",
        "cấp ngày",
        "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước"
        " pháp luật về cam đoan của mình.",
        "Làm tại:",
        "Đề nghị cấp bản sao: Có",
        "Người yêu cầu",
        "(Ký, ghi rõ họ, chữ đệm, tên)",
        "(4) Nếu ghi theo Giấy báo tử, thì gạch cụm từ “Giấy tờ thay thế Giấy báo tử”",
        "(5) Đề nghị đánh dấu X vào ô",
    ],
    "ct01": ct01_labels("116/2026/TT-BCA"),
    "tk1-ts": [
        "BẢO HIỂM XÃ HỘI VIỆT NAM",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỜ KHAI THAM GIA, ĐIỀU CHỈNH THÔNG TIN",
        "BẢO HIỂM XÃ HỘI, BẢO HIỂM Y TẾ",
        "I. Áp dụng đối với người tham gia tra cứu không thấy mã số BHXH do cơ quan BHXH cấp",
        "[01]. Họ và tên (viết chữ in hoa):",
        "[02]. Giới tính:",
        "[03]. Ngày, tháng, năm sinh:",
        "[04]. Quốc tịch:",
        "[05]. Dân tộc:",
        "[06]. Số CCCD/ĐDCN/Hộ chiếu:",
        "[07]. Điện thoại:",
        "[08]. Email (nếu có):",
        "[09]. Nơi đăng ký khai sinh: [09.1]. Xã:",
        "[09.3]. Tỉnh:",
        "[10]. Họ tên cha/mẹ/giám hộ (đối với trẻ em dưới 6 tuổi):",
        "[11]. Đăng ký nhận kết quả giải quyết thủ tục hành chính:",
        "[12]. Số nhà, đường/phố, thôn/xóm:",
        "[13]. Xã:",
        "[15]. Tỉnh:",
        "[16]. Kê khai Phụ lục Thành viên hộ gia đình",
        "Người kê khai",
    ],
    "mau-04-nd20": [
        "Mẫu số 04",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỜ KHAI ĐỀ NGHỊ HỖ TRỢ CHI PHÍ MAI TÁNG",
        "(Áp dụng đối với đối tượng quy định tại Điều 5, khoản 1 Điều 14 Nghị định số 20/2021/NĐ-CP",
        "I. THÔNG TIN NGƯỜI CHẾT ĐƯỢC MAI TÁNG (Nếu có)",
        "1. Họ và tên (Viết chữ in hoa):",
        "Ngày/tháng/năm sinh:",
        "Giới tính:",
        "Dân tộc:",
        "2. Hộ khẩu thường trú:",
        "3. Ngày",
        "chết",
        "4. Nguyên nhân chết:",
        "5. Thời gian mai táng:",
        "6. Địa điểm mai táng:",
        "II. THÔNG TIN CƠ QUAN, TỔ CHỨC, HỘ GIA ĐÌNH, CÁ NHÂN ĐỨNG RA MAI TÁNG CHO NGƯỜI CHẾT",
        "1. Trường hợp cơ quan, tổ chức đứng ra mai táng",
        "a) Tên cơ quan, tổ chức:",
        "- Địa chỉ:",
        "b) Họ và tên người đại diện cơ quan:",
        "- Chức vụ:",
        "2. Trường hợp hộ gia đình, cá nhân đứng ra mai táng",
        "a) Họ và tên (Chủ hộ hoặc người đại diện):",
        "b) Hộ khẩu thường trú:",
        "Nơi ở:",
        "c) Quan hệ với người chết:",
        "Tôi xin cam đoan những lời khai trên là đúng, nếu có điều gì khai không đúng tôi xin"
        " chịu trách nhiệm hoàn toàn.",
        "Người khai",
        "(Ký, ghi rõ họ tên. Nếu cơ quan, tổ chức thì ký, đóng dấu)",
    ],
    "mau-2-nd176": [
        "Mẫu số 2",
        "TỜ KHAI ĐỀ NGHỊ HỖ TRỢ CHI PHÍ MAI TÁNG",
        "Kính gửi:",
        "1. Thông tin người đề nghị (người khai)",
        "Họ, chữ đệm, tên (Viết chữ in hoa):",
        "Quan hệ với người chết:",
        "Nội dung đề nghị:",
        "2. Thông tin người chết được tổ chức mai táng",
        "Đã chết vào lúc:",
        "Nguyên nhân chết:",
        "Số Giấy báo tử/Giấy tờ thay thế Giấy báo tử:",
        "3. Người, tổ chức lo mai táng nhận hỗ trợ chi phí mai táng",
        "3.1. Trường hợp cá nhân, thân nhân đứng ra tổ chức mai táng:",
        "3.2. Trường hợp cơ quan, tổ chức đứng ra tổ chức mai táng:",
        "4. Phương thức nhận chi phí hỗ trợ mai táng:",
        "Tài khoản ngân hàng:",
        "Tên chủ tài khoản:",
        "Số tài khoản:",
        "Ngân hàng:",
        "Tiền mặt",
        "NGƯỜI TIẾP NHẬN TỜ KHAI",
        "NGƯỜI KHAI",
    ],
}

# What each filled form must show, read from the record: a pointer prints its text as typed;
# (kind, pointer) prints it transformed.
SHOWS = {
    "to-khai-khai-sinh": [
        "/requester/full_name",
        ("date", "/requester/dob"),
        "/requester/residence/detail",
        "/requester/id_document/number",
        "/requester/id_document/issued_by",
        ("label", "/requester/relationship"),
        "/khai_sinh/child/full_name",
        ("date", "/khai_sinh/child/dob"),
        ("words", "/khai_sinh/child/dob"),
        "/khai_sinh/child/ethnicity",
        "/khai_sinh/child/nationality",
        "/khai_sinh/child/birthplace/facility",
        "/khai_sinh/child/birthplace/address/detail",
        "/khai_sinh/child/hometown",
        "/khai_sinh/mother/full_name",
        ("date", "/khai_sinh/mother/dob"),
        "/khai_sinh/father/full_name",
        ("date", "/khai_sinh/father/dob"),
        "/khai_sinh/marriage_certificate/number",
        "/khai_sinh/marriage_certificate/registered_at",
        "/filing_place",
    ],
    "to-khai-khai-tu": [
        "/requester/full_name",
        "/requester/id_document/number",
        ("label", "/requester/relationship"),
        "/khai_tu/deceased/full_name",
        ("date", "/khai_tu/deceased/dob"),
        "/khai_tu/deceased/last_residence/detail",
        "/khai_tu/death/place",
        "/khai_tu/death/cause",
        "/khai_tu/death_notice/number",
        "/khai_tu/death_notice/issued_by",
        "/filing_place",
    ],
    "ct01": [
        ("office", "/thuong_tru/police_office"),
        "/khai_sinh/child/full_name",
        "/khai_tu/deceased/full_name",
        "/thuong_tru/household_head/full_name",
        "/xoa_thuong_tru/household_head/full_name",
        "/requester/email",
        "/thuong_tru/address/detail",
        "/thuong_tru/owner/full_name",
        "/thuong_tru/members/0/full_name",
        "/requester/full_name",
    ],
    "tk1-ts": [
        ("upper", "/khai_sinh/child/full_name"),
        ("date", "/khai_sinh/child/dob"),
        "/requester/email",
        "/bhyt/primary_care",
        ("label", "/bhyt/card_guardian"),
        ("label", "/delivery/method"),
        "/requester/full_name",
    ],
    "mau-04-nd20": [
        ("upper", "/khai_tu/deceased/full_name"),
        "/khai_tu/death/cause",
        ("date", "/ho_tro_mai_tang/burial_date"),
        "/ho_tro_mai_tang/burial_place",
        "/ho_tro_mai_tang/organisation/name",
        "/ho_tro_mai_tang/organisation/representative",
        "/requester/full_name",
    ],
    "mau-2-nd176": [
        ("upper", "/requester/full_name"),
        "/khai_tu/deceased/full_name",
        "/khai_tu/death/cause",
        "/khai_tu/death_notice/issued_by",
        "/ho_tro_mai_tang/payment/account/number",
        "/ho_tro_mai_tang/payment/account/bank",
        "/requester/full_name",
    ],
    "checklist": ["/requester/full_name", ("date", "/filing_date")],
}


# -- helpers -------------------------------------------------------------------------------------


def run(args: list[str], data: bytes | None = None) -> str:
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()


def pdftotext(pdf: bytes, *, layout: bool = False) -> str:
    return run(["pdftotext", *(["-layout"] if layout else []), "-", "-"], pdf)


def flat(text: str) -> str:
    """Whitespace collapsed, so a value wrapped over two lines still matches."""
    return " ".join(text.split())


def shown(pdf: bytes) -> str:
    """Text to look values up in: reading order (columns one after the other), then layout
    order (rows across columns); a value wrapped in a narrow column is whole in one of them."""
    return flat(pdftotext(pdf)) + " ‖ " + flat(pdftotext(pdf, layout=True))


def pages(pdf: bytes) -> int:
    info = run(["pdfinfo", "-"], pdf)
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def qr_codes(pdf: bytes, tmp_path: Path, record_codes: bool = False) -> list[str]:
    """Every QR code on every page, rasterised at 150 dpi as a printer would: the guide links,
    and with ``record_codes`` the record's own (tests/recordcode reads those)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "in.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(tmp_path / "in.pdf"), str(tmp_path / "page")],
        check=True,
    )
    images = sorted(str(p) for p in tmp_path.glob("page*.png"))
    out = subprocess.run(["zbarimg", "-q", "--raw", *images], capture_output=True, text=True)
    found = out.stdout.splitlines()
    return [t for t in found if record_codes or not t.startswith("LT1:")]


def assert_in_order(text: str, labels: list[str]) -> None:
    position = 0
    for label in labels:
        found = text.find(label, position)
        assert found >= 0, f"{label!r} missing (or out of order) after: {text[position:][:120]!r}"
        position = found + len(label)


def expected_values(renderer, group: str, record: dict, form: str) -> list[str]:
    specs = [spec if isinstance(spec, tuple) else ("text", spec) for spec in SHOWS[form]]
    labels = label_table(renderer.catalog, group, [p for kind, p in specs if kind == "label"])
    r = Record(record, labels, "printed")
    out = []
    for kind, ptr in specs:
        if resolve_pointer(record, ptr) is None:
            continue
        if kind == "words":
            out.append(date_in_words(resolve_pointer(record, ptr)))
            continue
        opts = {"pattern": ptr, "body": "Công an"}
        out.append(FORMATTERS[kind](r, ptr, opts))
    return out


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"missing golden {path.name}; run with UPDATE_GOLDENS=1 and review"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} differs; if the change is intended, run with UPDATE_GOLDENS=1 and review"
    )


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


# -- fixtures: every sheet rendered once ---------------------------------------------------------


@pytest.fixture(scope="module")
def logs():
    handler = Collect()
    loggers = [logging.getLogger(n) for n in ("weasyprint", "lienthong.pdf")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.records
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture(scope="module")
def renderer(logs):
    return render_pdf.Renderer(SCHEMAS, FORMS, base_url=BASE)


@pytest.fixture(scope="module")
def blank(renderer) -> dict[str, bytes]:
    return {
        key.removeprefix("bieu-mau/").removesuffix(".pdf"): pdf
        for key, pdf in renderer.blank_pdfs().items()
    }


def all_examples(renderer) -> list[records.Example]:
    folders = [*FORM_IDS, "checklist"]
    return [ex for f in folders for ex in records.load_examples(renderer.catalog, FORMS, f)]


def sheet_id(ex: records.Example) -> str:
    return records.CHECKLIST_PREFIX + ex.group if ex.form_id == "checklist" else ex.form_id


@pytest.fixture(scope="module")
def filled(renderer) -> dict[str, tuple[records.Example, bytes]]:
    """Every valid example, laid out in one document and split per sheet."""
    examples = [ex for ex in all_examples(renderer) if ex.valid]
    sheets = [renderer.form_sheet(sheet_id(ex), ex.record, group=ex.group) for ex in examples]
    pdfs = renderer.split_pdfs(sheets)
    return {f"{sheet_id(ex)}--{ex.name}": (ex, pdf) for ex, pdf in zip(examples, pdfs, strict=True)}


# -- blank forms ---------------------------------------------------------------------------------


def test_blank_pdfs_cover_every_form_and_checklist(blank):
    assert sorted(blank) == sorted(FORM_IDS + CHECKLIST_IDS)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_blank_form_has_every_label_in_order(blank, form_id):
    text = flat(pdftotext(blank[form_id], layout=True))
    assert_in_order(text, LABELS[form_id])
    # Two-level government: no district line anywhere.
    assert "Huyện:" not in text and "Quận/Huyện" not in text


@pytest.mark.parametrize("sheet", FORM_IDS + CHECKLIST_IDS)
def test_blank_golden_and_page_count(renderer, blank, sheet):
    pdf = blank[sheet]
    form = "checklist" if sheet.startswith(records.CHECKLIST_PREFIX) else sheet
    assert pages(pdf) == renderer.views.pages(form)
    check_golden(sheet, pdftotext(pdf, layout=True))


def test_blank_checklist_lists_every_document(renderer, blank):
    for gid in GROUP_IDS:
        text = shown(blank[records.CHECKLIST_PREFIX + gid])
        items = list(records.checklist_items(renderer.catalog, gid, None))
        assert items
        for item in items:
            # The first words: the name column is narrow and wraps.
            assert item.name[:20] in text, item.name
        assert f"{len(items)} {items[-1].name[:12]}" in text  # numbered 1..n


def test_blank_qr_codes_point_to_guide_pages(blank, tmp_path):
    assert qr_codes(blank["ct01"], tmp_path / "a") == [BASE + "thu-tuc/thuong-tru.html"]
    assert qr_codes(blank["checklist-lien-thong-khai-tu"], tmp_path / "b") == [
        BASE + "lien-thong-khai-tu.html"
    ]


def footer_facts(catalog, sheet: str, group: str | None = None) -> list[str]:
    """What a sheet's footer must say, read off the schemas: the act that issued the form (for a
    checklist, the group's legal basis) and the date the information was last checked."""
    if sheet.startswith(records.CHECKLIST_PREFIX):
        g = catalog.groups[sheet.removeprefix(records.CHECKLIST_PREFIX)]
        days = {g["checked"]}
        for item in g["procedures"]:
            proc = catalog.procedures[item["id"]]
            days |= {d.get("checked", proc["checked"]) for d in proc["documents"]}
        cited = [d["document"] for d in g.get("legal_basis", [])]
    else:
        order = [p["id"] for p in catalog.groups[group]["procedures"]] if group else []
        declaring = [
            pid
            for pid, proc in catalog.procedures.items()
            if any(f["id"] == sheet for f in proc.get("forms", []))
        ]
        pid = next((p for p in order if p in declaring), declaring[0])
        proc = catalog.procedures[pid]
        form = next(f for f in proc["forms"] if f["id"] == sheet)
        days = {form.get("checked", proc["checked"])}
        cited = [form["issued_with"]]
    dates = ["/".join(reversed(d.split("-"))) for d in sorted(days)]
    when = f"ngày {dates[0]}" if len(dates) == 1 else f"từ ngày {dates[0]} đến ngày {dates[-1]}"
    return [*cited, f"Thông tin rà soát {when}."]


def assert_footer(text: str, facts: list[str], where: str) -> None:
    # "505/QĐ-BHXH" may break after its hyphen: "505/QĐ- BHXH" once flattened.
    joined = text.replace("- ", "-")
    for fact in facts:
        assert flat(fact) in text or flat(fact) in joined, f"{where}: footer lacks {fact!r}"


@pytest.mark.parametrize("sheet", FORM_IDS + CHECKLIST_IDS)
def test_blank_footer_names_the_source_and_date(renderer, blank, sheet):
    assert_footer(shown(blank[sheet]), footer_facts(renderer.catalog, sheet), sheet)


# -- filled forms --------------------------------------------------------------------------------


def test_examples_are_as_declared(renderer):
    """Valid examples validate; invalid ones give exactly the declared errors."""
    for ex in all_examples(renderer):
        errors = validate(ex.group, ex.record, SCHEMAS)
        assert errors == ex.errors, (ex.form_id, ex.name)
        assert ex.valid == (not errors)


def test_filled_examples(renderer, filled):
    assert len(filled) >= 14
    for key, (ex, pdf) in filled.items():
        text = shown(pdf)
        assert unicodedata.is_normalized("NFC", text)
        for value in expected_values(renderer, ex.group, ex.record, ex.form_id):
            assert flat(value) in text, f"{key}: {value!r} not printed"
        declared = renderer.views.pages(ex.form_id)
        if ex.form_id == "checklist":
            # Its record codes may take a page of their own (render_pdf._checklist_sheet),
            # and never shrink the list's type to stay on one.
            assert pages(pdf) in (declared, declared + 1), key
        else:
            assert pages(pdf) == declared, key
        assert_footer(text, footer_facts(renderer.catalog, sheet_id(ex), ex.group), key)
        check_golden(key, pdftotext(pdf, layout=True))


def test_dates_in_words_and_capitals(filled):
    _, pdf = filled["to-khai-khai-sinh--nhom-khai-sinh"]
    text = flat(pdftotext(pdf))
    assert "ghi bằng chữ: Ngày hai, tháng chín, năm hai nghìn không trăm hai mươi lăm" in text
    assert "Làm tại: Phường Ba Đình, Thành phố Hà Nội, ngày 20 tháng 9 năm 2025" in text
    _, pdf = filled["tk1-ts--bhyt-tre-em"]
    assert "[01]. Họ và tên (viết chữ in hoa): NGUYỄN MINH KHANG" in flat(pdftotext(pdf))
    _, pdf = filled["mau-04-nd20--bao-tro-xa-hoi-ca-nhan"]
    text = flat(pdftotext(pdf))
    assert "1. Họ và tên (Viết chữ in hoa): LÊ VĂN THÀNH" in text
    assert "3. Ngày 03 tháng 10 năm 2025 chết" in text


def test_ct01_identity_boxes(filled):
    _, pdf = filled["ct01--xoa-thuong-tru"]
    # Layout mode: the boxes' digits on their label's line (the plain mode's reading order
    # splits the two-column rows 2-9 differently for each version of the form).
    text = "".join(pdftotext(pdf, layout=True).split())
    assert "4.Sốđịnhdanhcánhân:034151000222" in text
    assert "9.Sốđịnhdanhcánhâncủachủhộ:001179003311" in text


def test_checklist_keeps_only_what_applies(renderer, filled):
    text = flat(pdftotext(filled["checklist-lien-thong-khai-sinh--khai-sinh"][1]))
    assert "Giấy chứng sinh" in text
    assert "Giấy cam đoan về việc sinh" not in text
    assert "Văn bản ủy quyền" not in text
    text = flat(pdftotext(filled["checklist-lien-thong-khai-sinh--khai-sinh-giay-cam-doan"][1]))
    for name in (
        "Giấy cam đoan về việc sinh",
        "Văn bản ủy quyền",
        "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
        "Ý kiến đồng ý của cha, mẹ cho trẻ thường trú nơi khác",
    ):
        assert name in text
    assert "Giấy chứng sinh" not in text
    text = flat(pdftotext(filled["checklist-lien-thong-khai-tu--khai-tu-ho-tro-mai-tang"][1]))
    assert "Tờ khai đề nghị hỗ trợ chi phí mai táng" in text
    assert "Thông tin đề nghị trợ cấp trên tờ khai điện tử" not in text  # BHXH not chosen
    assert "Giấy tờ thay thế Giấy báo tử Có" in text
    assert "2 Giấy báo tử Có" not in text  # the record has a substitute, not a Giấy báo tử


def test_group_sheets_follow_the_record(renderer):
    def forms(gid, record):
        return [
            p.form_id
            for p in records.group_parts(renderer.catalog, gid, record, renderer.views.applies_if)
        ]

    death = copy.deepcopy(renderer.catalog.schemas["lien-thong-khai-tu"]["examples"][0])
    assert forms("lien-thong-khai-tu", death) == [
        "to-khai-khai-tu",
        "ct01",
        "mau-2-nd176",
        "checklist",
    ]
    death["ho_tro_mai_tang"]["subject"] = "bao-tro-xa-hoi"
    assert "mau-04-nd20" in forms("lien-thong-khai-tu", death)
    del death["ho_tro_mai_tang"]
    assert forms("lien-thong-khai-tu", death) == ["to-khai-khai-tu", "ct01", "checklist"]
    birth = renderer.catalog.schemas["lien-thong-khai-sinh"]["examples"][0]
    assert forms("lien-thong-khai-sinh", birth) == [
        "to-khai-khai-sinh",
        "ct01",
        "tk1-ts",
        "checklist",
    ]


def test_footnote_4_strikes_the_phrase_not_used(renderer):
    def html(gid):
        record = renderer.catalog.schemas[gid]["examples"][0]
        return renderer.html([renderer.form_sheet("to-khai-khai-tu", record)], "t")

    notice = html("khai-tu-xoa-thuong-tru")  # Giấy báo tử
    assert '<s class="struck">Giấy tờ thay thế Giấy báo tử</s>' in notice
    substitute = html("lien-thong-khai-tu")  # giấy tờ thay thế
    assert '<s class="struck">Giấy báo tử</s>' in substitute
    blank = renderer.html([renderer.form_sheet("to-khai-khai-tu")], "t")
    assert "<s " not in blank


def test_group_pdf_qr_fonts_and_pages(renderer, tmp_path):
    record = renderer.catalog.schemas["lien-thong-khai-tu"]["examples"][0]
    pdf = renderer.render_group("lien-thong-khai-tu", record)
    assert pages(pdf) == 1 + 1 + 2 + 1  # khai tử, CT01, Mẫu số 2 (two pages), checklist
    text = shown(pdf)
    for part in records.group_parts(
        renderer.catalog, "lien-thong-khai-tu", record, renderer.views.applies_if
    ):
        sheet = (
            records.CHECKLIST_PREFIX + "lien-thong-khai-tu"
            if part.form_id == "checklist"
            else part.form_id
        )
        assert_footer(text, footer_facts(renderer.catalog, sheet, "lien-thong-khai-tu"), sheet)
    # The checklist carries the record too (recordcode/): one code for this example.
    assert [t for t in qr_codes(pdf, tmp_path, True) if t.startswith("LT1:")] == (
        renderer.views.record_codes("lien-thong-khai-tu", record)
    )
    assert set(qr_codes(pdf, tmp_path)) == {
        BASE + p
        for p in (
            "thu-tuc/khai-tu.html",
            "thu-tuc/xoa-thuong-tru.html",
            "thu-tuc/ho-tro-mai-tang.html",
            "lien-thong-khai-tu.html",
        )
    }
    fonts = run(["pdffonts", "-"], pdf).splitlines()[2:]
    assert fonts
    for row in fonts:
        name, emb = row.split()[0], row.split()[-5]
        assert emb == "yes", row
        assert name.split("+")[-1].startswith(("Liberation-Serif", "DejaVu-Sans")), row


def test_nfd_input_prints_nfc(renderer):
    record = copy.deepcopy(renderer.catalog.schemas["lien-thong-khai-sinh"]["examples"][0])
    record["khai_sinh"]["child"]["full_name"] = unicodedata.normalize("NFD", "Nguyễn Minh Khang")
    text = pdftotext(renderer.render_form("tk1-ts", record))
    assert unicodedata.is_normalized("NFC", text)
    assert "NGUYỄN MINH KHANG" in text


def test_deterministic_across_processes(renderer, tmp_path, monkeypatch):
    # `make` exports SOURCE_DATE_EPOCH; compare both sides without it.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    record = renderer.catalog.schemas["khai-tu-xoa-thuong-tru"]["examples"][0]
    first = renderer.render_group("khai-tu-xoa-thuong-tru", record)
    assert renderer.render_group("khai-tu-xoa-thuong-tru", record) == first
    data = tmp_path / "r.json"
    data.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "o.pdf"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "LIENTHONG_SITE_URL": BASE}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run(
        [
            *(sys.executable, "-m", "lienthong.cli", "--schemas", str(SCHEMAS), "pdf"),
            *("khai-tu-xoa-thuong-tru", "--data", str(data), "-o", str(out)),
        ],
        check=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    assert out.read_bytes() == first
    assert b"CreationDate" not in first


def test_source_date_epoch_sets_the_dates(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    pdf = render_pdf.Renderer(SCHEMAS, FORMS, base_url=BASE).render_form("ct01")
    info = run(["pdfinfo", "-isodates", "-"], pdf)
    assert "2026-01-01T00:00:00" in info


# -- long values ---------------------------------------------------------------------------------

NAME_FILL = "Nguyễn Thị Minh Khai Phương Hoàng Lan Tôn Nữ Thị Bích Ngọc "
TEXT_FILL = "Số 929 đường La Thành, tổ dân phố số 7, phường Giảng Võ, Thành phố Hà Nội; "


def stretched(catalog, gid: str, record):
    """The record with every free-text string at its schema's maxLength."""
    validator = validator_for(catalog, gid)

    def walk(node, path):
        if isinstance(node, dict):
            return {k: walk(v, [*path, k]) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, [*path, str(i)]) for i, v in enumerate(node)]
        if not isinstance(node, str):
            return node
        chain = validator.field_chain(path)
        if any(k in s for s in chain for k in ("enum", "format", "const")):
            return node
        limits = [s["maxLength"] for s in chain if "maxLength" in s]
        if not limits:
            return node
        # Names allow letters and spaces only (common.schema.json#/$defs/full_name).
        name = any(s.get("pattern", "").startswith("^[^ 0-9") for s in chain)
        return ((NAME_FILL if name else TEXT_FILL) * 10)[: min(limits)].rstrip()

    return walk(record, [])


@pytest.mark.parametrize("gid", GROUP_IDS)
def test_long_values_keep_the_page_count(renderer, gid, logs):
    record = stretched(renderer.catalog, gid, renderer.catalog.schemas[gid]["examples"][0])
    assert validate(gid, record, SCHEMAS) == []
    assert len(record["requester"]["full_name"]) == 100
    sheets = renderer.group_sheets(gid, record)
    document = renderer.layout(sheets, "t")
    intended = [renderer.views.pages(s.template.split("/")[0]) for s in sheets]
    assert document.sheet_pages == intended
    pdf = renderer.pdf(document)
    assert pages(pdf) == sum(intended)
    # Nothing cut: every long value is printed whole.
    text = shown(pdf)
    for sheet in sheets:
        form = sheet.template.split("/")[0]
        for value in expected_values(renderer, gid, record, form):
            assert flat(value) in text, f"{sheet.id}: {value[-40:]!r} not printed"
    assert not [r for r in logs if r.name == "lienthong.pdf"], "a sheet overflowed"


def test_no_weasyprint_warnings(blank, filled, logs):
    assert [r.getMessage() for r in logs if r.name.startswith("weasyprint")] == []


# -- command line --------------------------------------------------------------------------------


def pdf_cmd(*args: str) -> int:
    return cli.main(["--schemas", str(SCHEMAS), "pdf", *args, "--site-url", BASE])


def test_cli_blank_form(tmp_path, capsys):
    out = tmp_path / "ct01.pdf"
    assert pdf_cmd("ct01", "-o", str(out)) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["ct01.pdf"]  # no temporary file left


def test_cli_group_with_data(renderer, tmp_path):
    data = tmp_path / "ks.json"
    record = renderer.catalog.schemas["lien-thong-khai-sinh"]["examples"][0]
    data.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "ks.pdf"
    assert pdf_cmd("lien-thong-khai-sinh", "--data", str(data), "-o", str(out)) == 0
    assert pages(out.read_bytes()) == 4


def test_cli_refuses_invalid_records_with_the_validate_messages(renderer, tmp_path, capsys):
    invalid = [ex for ex in all_examples(renderer) if not ex.valid]
    assert len(invalid) >= 7
    for ex in invalid:
        data = tmp_path / f"{ex.name}.json"
        data.write_text(json.dumps(ex.record, ensure_ascii=False), encoding="utf-8")
        out = tmp_path / "out.pdf"
        out.write_bytes(b"previous")
        assert pdf_cmd(sheet_id(ex), "--data", str(data), "-o", str(out)) == 1, ex.name
        err = capsys.readouterr().err
        # One line per error naming the file and the pointer, then the summary.
        lines = [f"{data}: {e['pointer'] or '/'}: {e['message']}" for e in ex.errors]
        assert err.splitlines()[: len(lines)] == lines, ex.name
        assert f"có {len(ex.errors)} lỗi" in err and "không thay đổi" in err, ex.name
        assert out.read_bytes() == b"previous"  # an old file is never replaced on failure
        assert cli.main(["--schemas", str(SCHEMAS), "validate", ex.group, str(data)]) == 1
        assert json.loads(capsys.readouterr().out) == ex.errors


def test_cli_allow_incomplete_prints_what_is_there(renderer, tmp_path, capsys):
    ex = next(e for e in all_examples(renderer) if e.name == "thieu-ten-tre")
    data = tmp_path / "r.json"
    data.write_text(json.dumps(ex.record, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "r.pdf"
    assert (
        pdf_cmd("to-khai-khai-sinh", "--data", str(data), "-o", str(out), "--allow-incomplete") == 0
    )
    text = flat(pdftotext(out.read_bytes()))
    assert "Họ, chữ đệm, tên người yêu cầu: Trần Thị Mai" in text
    assert "Họ, chữ đệm, tên: Ngày, tháng, năm sinh: 02/09/2025" in text  # the name line blank
    # Values of the wrong type are left blank rather than failing.
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"requester": {"full_name": 42, "dob": "hôm qua"}, "khai_sinh": []}))
    assert (
        pdf_cmd("lien-thong-khai-sinh", "--data", str(bad), "-o", str(out), "--allow-incomplete")
        == 0
    )


def test_cli_unreadable_input_and_unknown_ids(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    out = tmp_path / "o.pdf"
    assert pdf_cmd("ct01", "--data", str(bad), "-o", str(out)) == 2
    assert "JSON không hợp lệ ở dòng 1" in capsys.readouterr().err
    assert pdf_cmd("ct01", "--data", str(tmp_path / "missing.json"), "-o", str(out)) == 2
    assert pdf_cmd("to-khai-ket-hon", "-o", str(out)) == 2
    assert "không có biểu mẫu hay nhóm thủ tục 'to-khai-ket-hon'" in capsys.readouterr().err
    assert not out.exists()


# -- sources -------------------------------------------------------------------------------------


def test_form_folders_are_complete_and_nfc():
    for form in [*FORM_IDS, "checklist"]:
        folder = FORMS / form
        assert {p.name for p in folder.iterdir()} >= {
            "README.md",
            "template.html.j2",
            "examples.json",
        }
        for path in folder.iterdir():
            assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8")), path
    for path in (ROOT / "generator" / "templates" / "forms").iterdir():
        assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8")), path


def test_ct01_follows_the_circular_in_force(monkeypatch):
    """Thông tư 116/2026 reissued CT01 from 01/7/2026 (footnote (2) on item 7, columns (4)-(7),
    VNeID lines (8)); a build as of an earlier day prints the Thông tư 53/2025 layout."""
    monkeypatch.setenv("LIENTHONG_AS_OF", "2026-06-30")
    old = render_pdf.Renderer(SCHEMAS, FORMS, base_url=BASE)
    pdf = old.blank_pdfs()["bieu-mau/ct01.pdf"]
    text = pdftotext(pdf, layout=True)
    assert_in_order(flat(text), ct01_labels("53/2025/TT-BCA"))
    assert "116/2026" not in text and pages(pdf) == 1
    check_golden("ct01--tt53-2025", text)


def test_without_a_site_address_codes_open_the_portal_never_a_path(tmp_path, monkeypatch):
    """Issue 13: no QR code holds a relative path; without site_url the code and the line under
    it lead to the national portal and say so."""
    monkeypatch.delenv(render_pdf.SITE_URL_ENV, raising=False)
    renderer = render_pdf.Renderer(base_url=None)
    pdf = renderer.render("lien-thong-khai-sinh")
    codes = qr_codes(pdf, tmp_path)
    assert codes and set(codes) == {"https://dichvucong.gov.vn"}
    text = run(["pdftotext", "-", "-"], pdf)
    assert "Nộp hồ sơ trực tuyến: https://dichvucong.gov.vn" in text
    assert "Hướng dẫn, mẫu trống" not in text
