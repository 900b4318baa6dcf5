"""The pack runs shared by the pack tests (made once per test session by conftest.py):
the "national" edition restricted to one small province (Thành phố Huế, 40 communes; two with
settings from a CSV file, the rest blank), in batches of 16 on every core, and the site's
default publisher (Phường Ba Đình) alone, with a site address so that its QR codes lead to the
site's pages. Each has its own cache, so that nothing depends on the developer's ``.cache/``.
"""

from __future__ import annotations

from lienthong import cli
from tests.conftest import ROOT

HUE = "46"
SITE = "https://xa-phuong.example.vn/"
LOOKUP = "https://tracuu.hue.example.vn/ho-so"
HEADER = (
    "province,commune,office_name,office_address,opening_hours,officer_name,officer_title,"
    "officer_phone,hotline,provincial_portal_url,provincial_lookup_url"
)
ROWS = [
    f'46,19768,"Bộ phận Một cửa, Ủy ban nhân dân phường Phú Xuân","Số 1 đường Lê Lợi, phường Phú Xuân",'
    f'"Sáng 7:30–11:30, thứ Hai đến thứ Sáu",Trần Thị Minh Thư,công chức tư pháp - hộ tịch,'
    f"0912 000 201,1900 0368,https://dvc.hue.example.vn,{LOOKUP}",
    f'46,19777,"Bộ phận Một cửa, Ủy ban nhân dân phường Vỹ Dạ",Số 2 đường Nguyễn Sinh Cung,,'
    f"Lê Văn Hùng,,0234 3822 111,1900 0368,https://dvc.hue.example.vn,{LOOKUP}",
]
FILLED, BLANK = "19768", "19786"


def run_cli(*args: str) -> tuple[int, str]:
    """``lienthong pack ...`` in this process; (exit status, stderr)."""
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = cli.main(["--schemas", str(ROOT / "schemas"), "pack", *args])
    return status, err.getvalue()
