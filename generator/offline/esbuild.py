"""esbuild (npm, a native binary) for the offline pages: minifying their scripts, and making
npm's ES modules into scripts the pages inline (lean-qr, the QR encoder of the citizen's
form; qr's decoder, on the clerk's scan page). Every output is kept in the prebuilt store (prebuilt.py).
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from lienthong.errors import LienThongError
from lienthong.offline import prebuilt

# Part of every output's key in the prebuilt store; package.json pins the same.
ESBUILD_VERSION = "esbuild 0.28.2"
# The citizen's form draws codes with lean-qr (3.8 KB gzipped, alphanumeric mode); the clerk's
# page reads them with qr's decoder, which needs qr's own module beside it.
QR_ENCODER = "lean-qr/index.mjs"
QR_DECODER = ("qr/decode.js", "qr/index.js")
# What the decoder bundle exports: every code in a picture, not only the first.
DECODER_ENTRY = 'export { decodeQRBatch } from "./decode.js";\n'


class EsbuildFailed(LienThongError):
    """esbuild refused a script (the message has its first lines of output)."""


def _binary(node_modules: Path) -> Path:
    binary = next(
        (
            d / ".bin" / "esbuild"
            for d in prebuilt.node_modules_dirs(node_modules)
            if (d / ".bin" / "esbuild").exists()
        ),
        None,
    )
    if binary is None:
        raise prebuilt.NodeMissing("thiếu gói npm esbuild")
    return binary


def minify(js: str, node_modules: Path, loader: str = "js", global_name: str | None = None) -> str:
    """Minify with esbuild (npm, a native binary: ~30 ms a script); licence comments stay.
    ``loader`` "css" minifies a style sheet. ``global_name``: ``js`` is an ES module, made a
    script that defines ``var <global_name>`` = its exports."""
    args = ["--minify", "--charset=utf8", "--legal-comments=inline", "--log-level=error"]
    if loader != "js":
        args.append(f"--loader={loader}")
    if global_name:
        args += ["--format=iife", f"--global-name={global_name}"]

    def compute() -> str:
        binary = _binary(node_modules)
        done = subprocess.run(
            [str(binary), *args], input=js.encode("utf-8"), capture_output=True, check=False
        )
        if done.returncode != 0:
            raise EsbuildFailed("esbuild không rút gọn được mã: " + done.stderr.decode()[:500])
        return done.stdout.decode("utf-8")

    return prebuilt.run("esbuild", " ".join([ESBUILD_VERSION, *args]), js, compute)


def _npm_file(name: str, node_modules: Path) -> Path:
    found = next(
        (d / name for d in prebuilt.node_modules_dirs(node_modules) if (d / name).is_file()), None
    )
    if found is None:
        raise prebuilt.NodeMissing(f"thiếu node_modules/{name}: chạy `npm ci`")
    return found


def qr_encoder(node_modules: Path = Path("node_modules")) -> str:
    """npm lean-qr (generate, mode, correction) as a script defining ``__lt_qr``."""
    source = _npm_file(QR_ENCODER, node_modules).read_text(encoding="utf-8")
    return minify(source, node_modules, global_name="__lt_qr")


def decoder_js(node_modules: Path) -> str:
    """npm qr's decoder (decodeQRBatch) as a script defining ``__lt_qrdecode``."""
    files = [_npm_file(name, node_modules) for name in QR_DECODER]
    args = [
        "--bundle",
        "--minify",
        "--format=iife",
        "--global-name=__lt_qrdecode",
        "--legal-comments=inline",
        "--log-level=error",
    ]
    payload = DECODER_ENTRY + "".join(f.read_text(encoding="utf-8") for f in files)

    def compute() -> str:
        binary = _binary(node_modules)
        with tempfile.TemporaryDirectory() as tmp:
            entry = Path(tmp) / "entry.js"
            entry.write_text(DECODER_ENTRY.replace("./decode.js", files[0].as_posix()))
            done = subprocess.run(
                [str(binary), str(entry), *args], capture_output=True, check=False
            )
        if done.returncode != 0:
            raise EsbuildFailed(
                "esbuild không gói được bộ đọc mã QR: " + done.stderr.decode()[:500]
            )
        return done.stdout.decode("utf-8")

    return prebuilt.run("esbuild-bundle", " ".join([ESBUILD_VERSION, *args]), payload, compute)
