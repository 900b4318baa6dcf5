"""The fonts the PDFs embed, carried by the wheel so that PDFs need no system font package.

``make dist`` copies them from Debian's font packages into the prebuilt store
(``prebuilt/fonts/``, with each package's copyright file); :func:`font_faces` then gives the
``@font-face`` rules that point WeasyPrint at those files. In a checkout there is no store and
the same Debian files are found through fontconfig. Only WeasyPrint reads the rules: the
browser print's HTML stays byte for byte the Python renderer's.

Licences: Liberation 2 and Noto are under the SIL Open Font License 1.1; DejaVu under the
Bitstream Vera licence. Both allow embedding and redistribution with the licence text.
"""

from __future__ import annotations

import functools
import shutil
import threading
from pathlib import Path
from typing import Any

from lienthong.offline.prebuilt import STORE

SYSTEM = Path("/usr/share/fonts/truetype")
# family -> (Debian package, folder, {(weight, style): file})
FAMILIES: dict[str, tuple[str, str, dict[tuple[str, str], str]]] = {
    "Liberation Serif": (
        "fonts-liberation2",
        "liberation2",
        {
            ("normal", "normal"): "LiberationSerif-Regular.ttf",
            ("bold", "normal"): "LiberationSerif-Bold.ttf",
            ("normal", "italic"): "LiberationSerif-Italic.ttf",
            ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
        },
    ),
    "Noto Sans": (
        "fonts-noto-core",
        "noto",
        {
            ("normal", "normal"): "NotoSans-Regular.ttf",
            ("bold", "normal"): "NotoSans-Bold.ttf",
            ("normal", "italic"): "NotoSans-Italic.ttf",
            ("bold", "italic"): "NotoSans-BoldItalic.ttf",
        },
    ),
    "DejaVu Sans": (
        "fonts-dejavu-core",
        "dejavu",
        {
            ("normal", "normal"): "DejaVuSans.ttf",
            ("bold", "normal"): "DejaVuSans-Bold.ttf",
            ("normal", "italic"): "DejaVuSans-Oblique.ttf",
            ("bold", "italic"): "DejaVuSans-BoldOblique.ttf",
        },
    ),
}


def copy_fonts(out: Path, system: Path = SYSTEM) -> list[str]:
    """Copy every font file and its package's copyright into ``out``; return the files."""
    out.mkdir(parents=True, exist_ok=True)
    copied = []
    for package, folder, faces in FAMILIES.values():
        licence = Path("/usr/share/doc") / package / "copyright"
        if licence.is_file():
            shutil.copyfile(licence, out / f"{package}.copyright")
        for name in faces.values():
            shutil.copyfile(system / folder / name, out / name)
            copied.append(name)
    return copied


def font_faces(folder: Path | None = None) -> str:
    """``@font-face`` rules for the bundled fonts, or "" when the package carries none."""
    folder = folder or STORE / "fonts"
    rules = []
    for family, (_package, _folder, faces) in FAMILIES.items():
        for (weight, style), name in faces.items():
            path = folder / name
            if path.is_file():
                rules.append(
                    f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); '
                    f"font-weight: {weight}; font-style: {style}; }}"
                )
    return "\n".join(rules) + ("\n" if rules else "")


def font_file(family: str, weight: str = "normal", style: str = "normal") -> Path | None:
    """The file of one bundled face: the package's copy, else Debian's; None if neither."""
    _package, folder, faces = FAMILIES[family]
    name = faces[(weight, style)]
    for path in (STORE / "fonts" / name, SYSTEM / folder / name):
        if path.is_file():
            return path
    return None


def pil_font(size: int, bold: bool = False) -> Any:
    """Noto Sans at ``size`` px as a Pillow font, for the pictures the project draws (preview
    cards, pack pictures). One FreeType face per thread: cards are drawn in threads, and a
    face is no thing to share."""
    return _thread_font(size, bold, threading.get_ident())


@functools.lru_cache(maxsize=128)
def _thread_font(size: int, bold: bool, _thread: int) -> Any:
    from PIL import ImageFont

    path = font_file("Noto Sans", "bold" if bold else "normal")
    if path is None:
        raise FileNotFoundError("Noto Sans (Debian fonts-noto-core) is needed to draw pictures")
    return ImageFont.truetype(str(path), size)
