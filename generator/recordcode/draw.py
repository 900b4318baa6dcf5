"""A record code as the printed checklist shows it.

Python's pages go to WeasyPrint, and there a code is a PNG: a QR code drawn as a vector path
of a few thousand runs costs WeasyPrint about 0.4 s a page and the PDF 80 KB, an image costs
neither. The image has 4 pixels a module, because poppler and printers smooth an image they
scale up, and a code smoothed from 1 pixel a module does not scan at 150 dpi.
The browser prints the same code as SVG (record-code.js figures), crisp at any zoom.
Either way the size is fixed per module, not per code, so every code scans the same.
"""

from __future__ import annotations

import base64
import io

from markupsafe import Markup

MODULE_MM = 0.46  # three version-25 codes side by side on A4 (codec.CAPACITIES)
# Modules of white inside each code's own box: with its neighbour's, four between two codes,
# as ISO/IEC 18004 asks; the page's margin is white beyond.
QUIET = 2
PIXELS_PER_MODULE = 4


def _code(text: str):
    import segno

    return segno.make(text, error="m", mode="alphanumeric", boost_error=False, micro=False)


def side_mm(modules: int) -> str:
    """The printed width (and height) of a code of ``modules`` modules, with its quiet zone."""
    return f"{(modules + 2 * QUIET) * MODULE_MM:.1f}mm"


def figure(text: str, label: str) -> Markup:
    """The code of ``text`` as an <img>, ``label`` its text alternative."""
    code = _code(text)
    out = io.BytesIO()
    code.save(out, kind="png", scale=PIXELS_PER_MODULE, border=QUIET)
    size = side_mm(code.symbol_size(border=0)[0])
    data = base64.b64encode(out.getvalue()).decode("ascii")
    return Markup(
        f'<img class="rc" src="data:image/png;base64,{data}" alt="{Markup.escape(label)}" '
        f'style="width: {size}; height: {size}">'
    )
