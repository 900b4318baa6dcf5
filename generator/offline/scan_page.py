"""The clerk's page "Quét mã trên tờ khai" (bieu-mau/quet-ma.html): one self-contained file.

It reads the record codes printed on a set's checklist (generator/recordcode/) from the camera
or from photos, with no network, and opens the group's offline form with them in the URL
fragment; the form reads the record and takes the codes out of the address bar. The QR
decoder (npm qr's decode.js, about 11 KB gzipped) is only here, so the citizen's form does not
carry it. Where the browser has a BarcodeDetector (Chrome on Android) that is used instead.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from markupsafe import Markup

from lienthong.offline.esbuild import decoder_js, minify
from lienthong.offline.form import ASSETS, _env, csp, page_style, script_safe
from lienthong.schema.catalog import Catalog


def scan_data(catalog: Catalog) -> dict[str, Any]:
    """Each group as its codes name it (upper case), with its form's file and short name."""
    return {
        "groups": {
            gid.upper(): {"href": f"{gid}.html", "name": g["short_name"]}
            for gid, g in catalog.groups.items()
        }
    }


def build_scan_page(catalog: Catalog, site: dict) -> str:
    """The page's HTML, everything inline. ``site``: from form.site_settings()."""
    node_modules = Path(site["node_modules"])
    scripts = [
        decoder_js(node_modules),
        minify((ASSETS / "form" / "scan.js").read_text(encoding="utf-8"), node_modules),
    ]
    data = script_safe(json.dumps(scan_data(catalog), ensure_ascii=False, separators=(",", ":")))
    html = (
        _env()
        .get_template("scan.html.j2")
        .render(
            csp=csp(scripts, camera=True),
            style=Markup(page_style(node_modules)),
            scripts=[Markup(s) for s in scripts],
            data=Markup(data),
            site_name=site["site_name"],
            office=site["office"],
        )
    )
    return unicodedata.normalize("NFC", html)
