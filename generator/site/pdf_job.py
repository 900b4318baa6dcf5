"""Blank PDFs for the site, rendered in a separate process and cached.

Rendering the nine blank forms and checklists takes ~2 s, as long as the
rest of the site build, so the plugin starts it in another process when the
build starts (``start``) and collects it before files are copied
(``Job.wait``). The same process then makes the publisher's own publishing
pack (generator/packs/pack.py) into ``goi-tai-lieu/``, reusing those PDFs. Output is
cached under ``.cache/`` by a digest of every input, so an unchanged build
does not render again.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from lienthong.errors import LienThongError
from lienthong.schema.dated import build_day

PACKAGE = Path(__file__).resolve().parent.parent
INPUT_GLOBS = ["**/*.py", "templates/forms/**/*", "templates/pack/**/*"]
PACK_DIR = "goi-tai-lieu"  # the publisher's pack, inside the output folder


class PdfRenderFailed(LienThongError):
    pass


def digest(
    inputs: tuple[Path, ...],
    base_url: str | None,
    directory_urls: bool = False,
    publisher: str = "",
) -> str:
    return input_digest(inputs, f"{base_url or ''}\0{directory_urls}\0{publisher}", INPUT_GLOBS)


def input_digest(
    folders: tuple[Path, ...], seed: str, globs: list[str], extra: tuple[Path, ...] = ()
) -> str:
    """Digest of a background job's inputs: ``seed`` (its settings), every file of ``folders``
    (the schemas and forms the job reads: packaged, or merged with the publisher's, overlay.py),
    ``extra`` files, and this package's files matching ``globs``."""
    # The as-of day picks which dated facts a build shows (generator/schema/dated.py).
    h = hashlib.sha256(f"{seed}\0{build_day().isoformat()}".encode())
    paths = [*(p for folder in folders for p in sorted(Path(folder).rglob("*"))), *extra]
    for pattern in globs:
        paths += sorted(PACKAGE.glob(pattern))
    for path in paths:
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


class Job:
    """A background build writing into ``out_dir``; ``wait`` raises ``failure`` if it fails."""

    failure: type[PdfRenderFailed] = PdfRenderFailed
    what = "không in được biểu mẫu PDF"

    def __init__(self, out_dir: Path, process: subprocess.Popen | None):
        self.out_dir = out_dir
        self.process = process

    def wait(self) -> Path:
        if self.process is not None:
            _, err = self.process.communicate()
            if self.process.returncode != 0:
                raise self.failure(f"{self.what}:\n" + err.decode("utf-8", "replace"))
            (self.out_dir / ".complete").touch()
            self.process = None
        return self.out_dir


def start(
    project: Path,
    schemas_dir: Path,
    forms_dir: Path,
    ids: list[str],
    base_url: str | None,
    directory_urls: bool = False,
    publisher: dict | None = None,
) -> Job:
    """Start rendering (unless cached); with ``publisher``, its pack goes to ``PACK_DIR``."""
    settings = json.dumps(publisher, sort_keys=True, ensure_ascii=False) if publisher else ""
    key = digest((schemas_dir, forms_dir), base_url, directory_urls, settings)
    out_dir = project / ".cache" / "lienthong" / f"pdf-{key}"
    if (out_dir / ".complete").exists() and all((out_dir / f"{i}.pdf").exists() for i in ids):
        return Job(out_dir, None)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ, PYTHONPATH=str(PACKAGE.parent) + os.pathsep + os.environ.get("PYTHONPATH", "")
    )
    args = [
        sys.executable,
        "-m",
        "lienthong.site.pdf_job",
        str(out_dir),
        base_url or "",
        str(schemas_dir),
        str(forms_dir),
        "1" if directory_urls else "",
        settings,
    ]
    process = subprocess.Popen(
        args, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    return Job(out_dir, process)


def main(
    out_dir: str,
    base_url: str,
    schemas_dir: str,
    forms_dir: str,
    directory_urls: str = "",
    publisher: str = "",
) -> int:
    from lienthong.inputs.files import write_atomic
    from lienthong.printing.render_pdf import renderer

    pdfs = renderer(
        Path(schemas_dir), Path(forms_dir), base_url or None, bool(directory_urls)
    ).blank_pdfs()
    for uri, data in pdfs.items():
        write_atomic(Path(out_dir) / Path(uri).name, data)
    if publisher:
        from lienthong.packs.pack import build_site_pack

        build_site_pack(
            Path(schemas_dir),
            Path(forms_dir),
            json.loads(publisher),
            Path(out_dir) / PACK_DIR,
            Path(out_dir),
            base_url or None,
            bool(directory_urls),
            Path.cwd() / ".cache" / "lienthong",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:7]))
