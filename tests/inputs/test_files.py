"""Files a user names, for reading or writing, that are not regular files (issue 16, classes
3 and 4): devices, FIFOs, standard input and output. Nothing but a regular file is ever
replaced, every stream is read only up to the input's cap, and each failure is one line."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, TEST_DAY

GROUP = "lien-thong-khai-sinh"


def _example() -> dict:
    schema = json.loads((ROOT / f"schemas/{GROUP}.schema.json").read_text(encoding="utf-8"))
    return schema["examples"][0]


@pytest.fixture
def record(tmp_path) -> Path:
    path = tmp_path / "ho-so.json"
    path.write_text(json.dumps(_example(), ensure_ascii=False), encoding="utf-8")
    return path


def lienthong(*args: str, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, timeout=60):
    env = {
        "PYTHONPATH": str(ROOT),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/"),
        "LIENTHONG_AS_OF": TEST_DAY,
    }
    return subprocess.run(
        [sys.executable, "-m", "lienthong.cli", *args],
        cwd=ROOT,
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=timeout,
        env=env,
    )


def one_clean_line(err: bytes) -> str:
    text = err.decode("utf-8")
    assert "Traceback" not in text and "Exception ignored" not in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def kind(path: Path | str) -> int:
    return stat.S_IFMT(os.lstat(path).st_mode)


# ------------------------------------------------------------------ outputs


def test_pdf_to_dev_full_fails_in_one_line_and_leaves_the_device(record):
    before = os.lstat("/dev/full")
    done = lienthong("pdf", GROUP, "--data", str(record), "-o", "/dev/full")
    assert done.returncode == 2
    assert "ổ đĩa đã đầy" in one_clean_line(done.stderr)
    after = os.lstat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_pdf_to_dev_null_writes_into_the_device(record):
    done = lienthong("pdf", GROUP, "--data", str(record), "-o", "/dev/null")
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    assert not list(Path("/dev").glob(".null.*")), "a temporary file was left in /dev"


def test_pdf_to_a_fifo_with_a_reader_streams_the_pdf(record, tmp_path):
    fifo = tmp_path / "ong"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = lienthong("pdf", GROUP, "--data", str(record), "-o", str(fifo))
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert received and received[0].startswith(b"%PDF-") and received[0].rstrip().endswith(b"%%EOF")
    assert kind(fifo) == stat.S_IFIFO


def test_pdf_to_a_fifo_nobody_reads_is_refused_at_once(record, tmp_path):
    fifo = tmp_path / "ong"
    os.mkfifo(fifo)
    start = time.perf_counter()
    done = lienthong("pdf", GROUP, "--data", str(record), "-o", str(fifo), timeout=30)
    assert time.perf_counter() - start < 20
    assert done.returncode == 1
    line = one_clean_line(done.stderr)
    assert str(fifo) in line and "FIFO" in line
    assert kind(fifo) == stat.S_IFIFO


def test_pdf_to_a_folder_is_refused(record, tmp_path):
    done = lienthong("pdf", GROUP, "--data", str(record), "-o", str(tmp_path))
    assert done.returncode == 1
    assert "thư mục" in one_clean_line(done.stderr)
    assert kind(tmp_path) == stat.S_IFDIR


def test_pdf_through_a_link_replaces_the_file_not_the_link(record, tmp_path):
    target = tmp_path / "that.pdf"
    target.write_bytes(b"old")
    link = tmp_path / "this.pdf"
    link.symlink_to(target)
    done = lienthong("pdf", GROUP, "--data", str(record), "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and target.read_bytes().startswith(b"%PDF-")


def test_pdf_to_standard_output(record):
    done = lienthong("pdf", GROUP, "--data", str(record), "-o", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"%PDF-")
    assert done.stderr == b""


@pytest.mark.parametrize("command", ["validate", "pdf"])
def test_standard_output_full_is_one_line(record, command):
    args = ["validate", GROUP, str(record)] if command == "validate" else []
    args = args or ["pdf", GROUP, "--data", str(record), "-o", "-"]
    with open("/dev/full", "wb") as full:
        done = lienthong(*args, stdout=full)
    assert done.returncode == 2
    assert "đầu ra chuẩn" in one_clean_line(done.stderr)


def test_standard_output_closed_is_one_line(tmp_path):
    # Enough errors that the JSON on stdout outgrows the pipe's buffer of 64 KB.
    bad = {"requester": {f"x{i:05d}": i for i in range(3000)}}
    path = tmp_path / "nhieu-loi.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read
    try:
        done = lienthong("validate", GROUP, str(path), stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 2
    assert "đầu ra chuẩn" in one_clean_line(done.stderr)


def test_build_refuses_a_site_folder_that_is_not_a_folder(tmp_path):
    fifo = tmp_path / "site"
    os.mkfifo(fifo)
    done = lienthong("build", "-d", str(fifo))
    assert done.returncode == 1
    assert "không phải là thư mục" in done.stderr.decode()
    assert "Traceback" not in done.stderr.decode()
    assert kind(fifo) == stat.S_IFIFO
    assert not list(tmp_path.glob(".site-build-*"))


def test_pack_refuses_an_output_that_is_not_a_folder(tmp_path):
    fifo = tmp_path / "goi"
    os.mkfifo(fifo)
    done = lienthong("pack", "--province", "01", "--commune", "00004", "-o", str(fifo))
    assert done.returncode == 1
    assert "không phải là thư mục" in one_clean_line(done.stderr)
    assert kind(fifo) == stat.S_IFIFO


# ------------------------------------------------------------------ inputs


def test_record_from_standard_input(record):
    with open(record, "rb") as stdin:
        done = lienthong("validate", GROUP, "-", stdin=stdin)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize("source", ["/dev/zero", "/dev/urandom"])
def test_endless_device_is_read_only_to_the_cap(source):
    start = time.perf_counter()
    done = lienthong("validate", GROUP, source, timeout=30)
    assert time.perf_counter() - start < 20
    assert done.returncode == 2
    line = one_clean_line(done.stderr)
    assert line.startswith(f"{source}: ") and "MB" in line


def test_endless_standard_input_is_read_only_to_the_cap():
    with open("/dev/zero", "rb") as zero:
        done = lienthong("pdf", GROUP, "--data", "-", "-o", "/dev/null", stdin=zero, timeout=30)
    assert done.returncode == 2
    assert one_clean_line(done.stderr).startswith("-: ")


def test_endless_fifo_is_read_only_to_the_cap(tmp_path):
    fifo = tmp_path / "ong"
    os.mkfifo(fifo)
    stop = threading.Event()

    def write_forever() -> None:
        chunk = b'{"requester": "' + b"a" * 65536
        try:
            with open(fifo, "wb") as out:
                while not stop.is_set():
                    out.write(chunk)
        except BrokenPipeError:
            pass  # the reader stopped at its cap, as it should

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    try:
        done = lienthong("validate", GROUP, str(fifo), timeout=30)
    finally:
        stop.set()
    assert done.returncode == 2
    assert "MB" in one_clean_line(done.stderr)
    writer.join(timeout=10)


def test_settings_and_mkdocs_from_an_endless_device_are_capped(tmp_path):
    done = lienthong(
        "pack", "--settings", "/dev/zero", "--province", "01", "-o", str(tmp_path / "g")
    )
    assert done.returncode == 1 and "/dev/zero" in done.stderr.decode()
    assert "Traceback" not in done.stderr.decode()
    done = lienthong("build", "-f", "/dev/zero", "-d", str(tmp_path / "site"))
    assert done.returncode == 1 and "/dev/zero" in done.stderr.decode()
    assert not (tmp_path / "site").exists()


def test_a_folder_given_as_a_record_is_refused(tmp_path):
    done = lienthong("validate", GROUP, str(tmp_path))
    assert done.returncode == 2
    assert "thư mục" in one_clean_line(done.stderr)
