"""WeasyPrint's side of printing: importing it fast, pausing the garbage collector while it
lays out, and reading back from a laid-out document how many pages each sheet took and how
much of its last page it fills, to pick the type step that brings a sheet back to its pages."""

from __future__ import annotations

import contextlib
import gc
from typing import Protocol


class Sheet(Protocol):
    """What the layout reads of a sheet (render_pdf.Sheet)."""

    density: int  # its type step, 0 = the form's own size
    pages: int  # the pages it is designed to fill


# Type steps a sheet may take (.d1 ... .d4 in form.css) before an overflow is reported, and the
# height of text at each step relative to .d0 (font-size x line-height in form.css).
DENSITY_HEIGHTS = (1.0, 0.94, 0.858, 0.779, 0.703)
MAX_DENSITY = len(DENSITY_HEIGHTS) - 1


def sheet_page_counts(document, n_sheets: int) -> list[int]:
    """Pages taken by each sheet, from the page on which each ``sheet-<i>`` anchor lands."""
    starts: dict[int, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("sheet-"):
                starts.setdefault(int(anchor[6:]), number)
    bounds = [starts.get(i, 0) for i in range(n_sheets)] + [len(document.pages)]
    return [max(1, bounds[i + 1] - bounds[i]) for i in range(n_sheets)]


@contextlib.contextmanager
def no_gc():
    """Pause the cyclic garbage collector while WeasyPrint builds a document.

    Layout allocates hundreds of thousands of short-lived objects; collections triggered in the
    middle add 5-10 % to a render and make its time jittery. Reference counting still frees
    most of them; cycles are collected after, as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def end_fraction(document, index: int) -> float:
    """How much of its last page sheet ``index`` fills (0..1).

    Measured between the sheet's own anchor on that page (the top of its content there) and its
    ``end-<i>`` anchor.
    """
    for page in reversed(document.pages):
        end = page.anchors.get(f"end-{index}")
        if end is not None:
            top = page.anchors.get(f"sheet-{index}", (0, 0))[1]
            return min(1.0, max(0.0, (end[1] - top) / page.height))
    return 1.0


def next_density(sheet: Sheet, pages: int, last_fraction: float) -> int:
    """The type step that should bring an overflowing sheet back to its page count.

    Estimates the content's height in pages and picks the first step whose text is short
    enough; layout checks the result, so a low estimate only costs another pass.
    """
    used = pages - 1 + last_fraction
    target = DENSITY_HEIGHTS[sheet.density] * sheet.pages / used
    for density in range(sheet.density + 1, MAX_DENSITY + 1):
        if DENSITY_HEIGHTS[density] <= target:
            return density
    return MAX_DENSITY


def import_weasyprint():
    """WeasyPrint's HTML, CSS and FontConfiguration, imported without a slow library search.

    WeasyPrint opens Pango, HarfBuzz and fontconfig through cffi, trying names such as
    "libpango-1.0-0" before "libpango-1.0.so.0". For each miss cffi calls
    ``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` and ``gcc`` (about 0.5 s
    in all, a third of a cold ``lienthong pdf``) only to find nothing for those names. On Linux,
    answer "not found" at once while WeasyPrint loads: the sonames it tries next load directly.
    """
    import sys

    if "weasyprint" not in sys.modules and sys.platform.startswith("linux"):
        import ctypes.util

        original = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            import weasyprint
        finally:
            ctypes.util.find_library = original
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    return weasyprint.HTML, weasyprint.CSS, FontConfiguration
