"""A record code as SVG markup: the same markup the browser's print draws (record-code.js).

Dark modules are written as one path of horizontal runs, row by row, so the markup is small
and a renderer draws no seams between modules. The size is fixed per module, not per code: a
small record gives a small code, and every code scans the same at 150 dpi.
"""

from __future__ import annotations

from markupsafe import Markup

MODULE_MM = 0.6
QUIET = 4  # modules of white around the code (ISO/IEC 18004)


def matrix(text: str) -> list[list[bool]]:
    """The QR matrix of a code text: alphanumeric mode, error correction M."""
    import segno

    code = segno.make(text, error="m", mode="alphanumeric", boost_error=False, micro=False)
    return [[bool(b) for b in row] for row in code.matrix]


def path(rows: list[list[bool]]) -> str:
    """The path data of the dark modules, offset by the quiet zone."""
    out = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            out.append(f"M{start + QUIET} {y + QUIET}h{x - start}v1h-{x - start}z")
    return "".join(out)


def svg(rows: list[list[bool]], label: str) -> Markup:
    """The code as an inline SVG element, ``label`` as its accessible name."""
    side = len(rows) + 2 * QUIET
    mm = f"{side * MODULE_MM:.1f}mm"
    return Markup(
        f'<svg class="rc" xmlns="http://www.w3.org/2000/svg" width="{mm}" height="{mm}" '
        f'viewBox="0 0 {side} {side}" role="img" aria-label="{Markup.escape(label)}">'
        f'<path d="{path(rows)}"/></svg>'
    )
