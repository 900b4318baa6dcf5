"""Command-line entry point: ``lienthong check|validate|build|pdf|scan|pack|new``."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import os
import sys
from pathlib import Path

from lienthong.errors import CheckFailed, LienThongError, Problem, RecordUnreadable, UnknownSchema
from lienthong.inputs.files import STDIN, os_reason, write_output

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def _catalog(args):
    from lienthong.schema.catalog import load_catalog

    return load_catalog(Path(args.schemas))


def _layers(args) -> None:
    """--schemas and --forms, when not given: the packaged folders with the working folder's
    own schemas/ and forms/ over them (overlay.py), as the site build reads them."""
    from lienthong.site import overlay

    cache = Path(".cache") / "lienthong"
    args.overrides = []
    for kind in ("schemas", "forms"):
        if getattr(args, kind) is None:
            try:
                layer = overlay.merged(kind, Path(kind).resolve(), cache)
            except OSError as exc:
                raise LienThongError(
                    f"không đọc được thư mục {kind}/ ({os_reason(exc)})."
                ) from None
            setattr(args, kind, str(layer.path))
            args.overrides.append(layer)


def cmd_check(args) -> int:
    from lienthong.forms.check import check_forms
    from lienthong.inputs.settings import plugin_options, read_mkdocs_yaml, review_days
    from lienthong.schema.check import (
        DEFAULT_REVIEW_DAYS,
        check_catalog,
        check_publisher,
        check_site_texts,
    )
    from lienthong.site import overlay

    problems: list[Problem] = []
    try:
        catalog = _catalog(args)
    except CheckFailed as exc:
        return _report(exc.problems, args.strict)
    days = args.review_days
    config = Path(args.config)
    if config.exists():
        try:
            data = read_mkdocs_yaml(config)
        except CheckFailed as exc:
            problems += exc.problems
        else:
            options, base = plugin_options(data)
            settings = options.get("publisher") if isinstance(options, dict) else None
            problems += check_publisher(catalog, settings, str(config), base + "/publisher")
            problems += check_site_texts(data, str(config))
            if days is None:
                days = review_days(options)
            docs = config.parent / str(data.get("docs_dir") or "docs")
            args.overrides.append(overlay.split("docs", docs.resolve()))
    for line in overlay.described(args.overrides):
        print(line, file=sys.stderr)
    schema_problems = check_catalog(
        catalog, review_days=DEFAULT_REVIEW_DAYS if days is None else days
    )
    problems += schema_problems
    # The forms are read against the schemas: only once those hold.
    if not any(p.level == "error" for p in schema_problems):
        problems += check_forms(catalog, Path(args.forms))
    return _report(problems, args.strict)


def cmd_forms_readme(args) -> int:
    """Rewrite the table of fields in each form's README.md from its fields.yml."""
    from lienthong.forms.readme import updated
    from lienthong.forms.spec import FIELDS_FILE, read_fields

    folder = Path(args.folder)
    catalog = _catalog(args)
    changed = 0
    for fields in sorted(folder.glob(f"*/{FIELDS_FILE}")):
        readme = fields.parent / "README.md"
        if not readme.is_file():
            continue
        text = readme.read_text(encoding="utf-8")
        new = updated(text, read_fields(catalog, folder, fields.parent.name))
        if new is not None and new != text:
            readme.write_text(new, encoding="utf-8")
            print(f"đã cập nhật {readme}", file=sys.stderr)
            changed += 1
    print(f"{changed} tệp README.md được cập nhật.", file=sys.stderr)
    return EXIT_OK


def _report(problems: list[Problem], strict: bool) -> int:
    errors = [p for p in problems if p.level == "error"]
    warnings = [p for p in problems if p.level == "warning"]
    for p in sorted(problems):
        print(p, file=sys.stderr)
    failed = bool(errors) or (strict and bool(warnings))
    summary = f"{len(errors)} lỗi, {len(warnings)} cảnh báo."
    print(("Kiểm tra không đạt: " if failed else "Kiểm tra đạt: ") + summary, file=sys.stderr)
    return EXIT_INVALID if failed else EXIT_OK


RECORD_MAX_BYTES = 2 << 20  # a filled group record is about 5 KB


def read_record(path: str):
    from lienthong.schema.catalog import read_json

    try:
        return read_json(Path(path), max_bytes=RECORD_MAX_BYTES)
    except CheckFailed as exc:
        raise RecordUnreadable(str(exc)) from None


def _report_record(file: str, errors: list[dict[str, str]]) -> None:
    """One line per error on stderr, each naming the file and the JSON pointer."""
    for error in errors:
        print(f"{file}: {error['pointer'] or '/'}: {error['message']}", file=sys.stderr)


def cmd_validate(args) -> int:
    from lienthong.inputs.legacy_units import explain
    from lienthong.schema.validation import validator_for

    catalog = _catalog(args)
    record = read_record(args.record)
    # explain(): old communes, provinces and district fields say what replaced them.
    errors = explain(validator_for(catalog, args.id).validate(record), record)
    print(json.dumps(errors, ensure_ascii=False, indent=2))
    _report_record(args.record, errors)
    if errors:
        print(f"Hồ sơ {args.record} chưa hợp lệ: {len(errors)} lỗi.", file=sys.stderr)
    return EXIT_INVALID if errors else EXIT_OK


def cmd_build(args) -> int:
    from lienthong.site.build import build_site

    site = build_site(Path(args.config), Path(args.site_dir) if args.site_dir else None)
    print(f"Đã dựng trang vào {site}", file=sys.stderr)
    return EXIT_OK


def cmd_pdf(args) -> int:
    """Print a blank form, a filled form, or a group's declarations plus checklist, as PDF."""
    from lienthong.printing import render_pdf

    record = read_record(args.data) if args.data else None
    site_url, directory_urls = _site(args)
    try:
        renderer = render_pdf.renderer(
            Path(args.schemas), args.forms, base_url=site_url, directory_urls=directory_urls
        )
        pdf = renderer.render(args.id, record, allow_incomplete=args.allow_incomplete)
    except render_pdf.RecordInvalid as exc:
        from lienthong.inputs.legacy_units import explain

        _report_record(args.data, explain(exc.errors, record))
        print(
            f"Không in: hồ sơ {args.data} có {len(exc.errors)} lỗi; sửa rồi chạy lại, "
            f"hoặc dùng --allow-incomplete để in với các ô còn trống. {args.output} không thay đổi.",
            file=sys.stderr,
        )
        return EXIT_INVALID
    except UnknownSchema as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        write_output(args.output, pdf)
    except OSError as exc:
        if args.output == STDIN:
            raise  # main() reports standard output's failures
        print(f"Lỗi: không ghi được tệp {args.output} ({os_reason(exc)}).", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.output != STDIN:
        print(f"Đã ghi {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_scan(args) -> int:
    """Read the record codes of a printed set back into its group record (JSON)."""
    from lienthong.recordcode.scan import scan

    group, record = scan(_catalog(args), [Path(p) for p in args.images])
    text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    if args.output in (None, STDIN):
        sys.stdout.write(text)
    else:
        try:
            write_output(args.output, text.encode("utf-8"))
        except OSError as exc:
            print(f"Lỗi: không ghi được tệp {args.output} ({os_reason(exc)}).", file=sys.stderr)
            return EXIT_UNREADABLE
        print(f"Đã ghi {args.output}", file=sys.stderr)
    print(f"Đã đọc hồ sơ nhóm {group} từ mã trên tờ khai.", file=sys.stderr)
    return EXIT_OK


def cmd_pack(args) -> int:
    """Publishing packs (poster, leaflet, loudspeaker article, blank forms, QR codes)."""
    import os
    import time

    from lienthong.inputs.commune_settings import SettingsInvalid, read_settings
    from lienthong.inputs.settings import publisher
    from lienthong.packs import pack

    catalog = _catalog(args)
    # Settings: the publisher of mkdocs.yml for its own commune, then the --settings file.
    settings: dict[str, dict] = {}
    config = Path(args.config)
    if config.exists():
        from lienthong.schema.check import check_publisher

        own, base = publisher(config)
        if own is not None:
            problems = check_publisher(catalog, own, str(config), base)
            if any(p.level == "error" for p in problems):
                return _report(problems, strict=False)
            for problem in problems:  # notes: blanks left by lienthong new
                print(problem, file=sys.stderr)
            settings[own["commune"]] = own
    if args.settings:
        try:
            rows = read_settings(Path(args.settings), catalog)
        except SettingsInvalid as exc:
            for message in exc.messages:
                print(message, file=sys.stderr)
            print(
                f"Không tạo gói tài liệu: {len(exc.messages)} lỗi trong tệp cấu hình; "
                "thư mục đầu ra không thay đổi.",
                file=sys.stderr,
            )
            return EXIT_INVALID
        settings.update({code: row.settings for code, row in rows.items()})
    if args.national:
        provinces = (
            [p.strip() for p in args.provinces.split(",") if p.strip()]
            if args.provinces
            else pack.province_codes()
        )
    elif args.province:
        provinces = [p.strip() for p in args.province.split(",") if p.strip()]
    else:
        print("Lỗi: cần --province (với --commune hoặc --all) hoặc --national.", file=sys.stderr)
        return EXIT_INVALID
    if not args.national and not args.all and not args.commune:
        print("Lỗi: cần --commune C (một xã) hoặc --all (mọi xã của tỉnh).", file=sys.stderr)
        return EXIT_INVALID
    if args.commune and len(provinces) != 1:
        print("Lỗi: --commune cần đúng một tỉnh trong --province.", file=sys.stderr)
        return EXIT_INVALID
    communes = pack.select_communes(
        provinces=provinces,
        commune=None if args.all or args.national else args.commune,
        settings=settings,
    )
    progress = args.progress if args.progress is not None else sys.stderr.isatty()
    site_url, directory_urls = _site(args)
    options = pack.PackOptions(
        Path(args.schemas),
        Path(args.forms),
        Path(args.cache_dir),
        site_url=site_url,
        directory_urls=directory_urls,
        workers=args.jobs or os.cpu_count() or 1,
        chunk=args.batch or pack.CHUNK,
        progress=progress,
        social=args.social,
    )
    start = time.perf_counter()
    tree = bool(args.all or args.national)
    try:
        report = pack.build_packs(catalog, communes, Path(args.output), options, tree=tree)
    except OSError as exc:
        print(f"Lỗi: không ghi được vào {args.output} ({os_reason(exc)}).", file=sys.stderr)
        return EXIT_UNREADABLE
    filled = sum(1 for c in communes if c.settings is not None)
    print(
        f"Đã tạo gói tài liệu vào {args.output}: {report.total} xã ({filled} có thông tin liên hệ), "
        f"{report.rendered} gói mới, {report.skipped} gói không đổi, "
        f"{time.perf_counter() - start:.1f} giây.",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_new(args) -> int:
    """A publisher's project: mkdocs.yml, README, CI workflow (scaffold.py)."""
    from lienthong.site.scaffold import create

    target = Path(args.dir)
    written = create(target, args.province, args.commune, args.site_url)
    print(f"Đã tạo {len(written)} tệp trong {target}:", file=sys.stderr)
    for name in written:
        print(f"  {name}", file=sys.stderr)
    print(
        f"Tiếp theo: mở {target / 'README.md'}, điền các ô “CẦN ĐIỀN” trong mkdocs.yml, rồi "
        f"chạy `mkdocs serve` trong {target} để xem thử.",
        file=sys.stderr,
    )
    return EXIT_OK


def _site(args) -> tuple[str | None, bool]:
    """The site's address for QR codes: --site-url, else mkdocs.yml's site_url, else
    $LIENTHONG_SITE_URL; directory URLs as --directory-urls or as the site builds them."""
    from lienthong.inputs.settings import site_address
    from lienthong.printing.render_pdf import site_url

    url, directory = site_address(Path(args.config))
    chosen = site_url(args.site_url or url)
    if chosen is None:
        print(
            "Cảnh báo: chưa có địa chỉ trang (site_url trong mkdocs.yml hoặc --site-url): mã QR "
            "sẽ dẫn tới cổng dịch vụ công thay vì trang của xã.",
            file=sys.stderr,
        )
    return chosen, bool(args.directory_urls or directory)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lienthong", description=__doc__)
    p.add_argument(
        "--schemas",
        default=None,
        help="schemas folder (default: the packaged schemas, with ./schemas over them)",
    )
    p.add_argument(
        "--forms",
        default=None,
        help="forms folder (default: the packaged forms, with ./forms over them)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check schemas, examples and publisher settings")
    c.add_argument("--config", default="mkdocs.yml")
    c.add_argument("--strict", action="store_true", help="fail on warnings too")
    c.add_argument(
        "--review-days",
        type=int,
        help="warn about facts last checked longer ago than this many days (default: "
        "review_days of the publisher block or of the plugin in --config, else 365)",
    )
    c.set_defaults(func=cmd_check)
    fr = sub.add_parser(
        "forms-readme", help="rewrite each form's README table of fields from its fields.yml"
    )
    fr.add_argument("folder", nargs="?", default="forms", help="forms folder (default: forms)")
    fr.set_defaults(func=cmd_forms_readme)
    v = sub.add_parser("validate", help="validate a JSON record; prints errors as JSON")
    v.add_argument("id")
    v.add_argument("record", help="record file (JSON); - reads standard input")
    v.set_defaults(func=cmd_validate)
    f = sub.add_parser(
        "pdf", help="print a form (blank, or filled with --data) or a whole group as PDF"
    )
    f.add_argument("id", help="form id (e.g. ct01), checklist-<group id>, or a group id")
    f.add_argument("--data", help="group record (JSON) to fill the forms with; - for stdin")
    f.add_argument("-o", "--output", required=True, help="PDF file to write (- for stdout)")
    f.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="print an invalid or incomplete record, leaving missing fields blank",
    )
    f.add_argument(
        "--site-url",
        help="site base URL for the QR codes (default: site_url of --config, else "
        "$LIENTHONG_SITE_URL)",
    )
    f.add_argument("--config", default="mkdocs.yml", help="the site's settings (its site_url)")
    f.add_argument(
        "--directory-urls",
        action="store_true",
        help="the site uses MkDocs' use_directory_urls (page/ instead of page.html)",
    )
    f.set_defaults(func=cmd_pdf)
    k = sub.add_parser(
        "pack",
        help="publishing pack per commune: poster, leaflet, loudspeaker article, forms, QR codes",
    )
    k.add_argument("--province", help="province code (e.g. 01); several with commas and --all")
    k.add_argument("--commune", help="commune code (e.g. 00004): one pack, written into -o")
    k.add_argument("--all", action="store_true", help="every commune of --province")
    k.add_argument("--national", action="store_true", help="all 34 provinces, 3,321 communes")
    k.add_argument(
        "--provinces", help="with --national: only these province codes (comma-separated)"
    )
    k.add_argument("-o", "--output", required=True, help="output folder")
    k.add_argument("--settings", help="CSV or YAML file with many communes' settings (see README)")
    k.add_argument(
        "--config", default="mkdocs.yml", help="its publisher block is used for its own commune"
    )
    k.add_argument("--site-url", help="site base URL for QR codes to the guide pages")
    k.add_argument("--directory-urls", action="store_true")
    k.add_argument("-j", "--jobs", type=int, help="worker processes (default: one per core)")
    k.add_argument("--batch", type=int, help="communes made together in one batch (default: 40)")
    k.add_argument("--cache-dir", default=".cache/lienthong", help="cache of shared layers")
    k.add_argument(
        "--social",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="pictures, post and alt text for Zalo and Facebook in each pack (default: yes)",
    )
    k.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )
    k.set_defaults(func=cmd_pack)
    sc = sub.add_parser(
        "scan", help="read the record codes of printed declarations back into a JSON record"
    )
    sc.add_argument(
        "images", nargs="+", help="photos or scans (PNG, JPEG) of the codes, or the PDF"
    )
    sc.add_argument("-o", "--output", help="JSON file to write (default: standard output)")
    sc.set_defaults(func=cmd_scan)
    b = sub.add_parser("build", help="build the site (into a temporary folder, then swap)")
    b.add_argument("-f", "--config", default="mkdocs.yml")
    b.add_argument("-d", "--site-dir")
    b.set_defaults(func=cmd_build)
    n = sub.add_parser("new", help="a publisher's project for one commune, ready to build")
    n.add_argument("dir", help="new (or empty) folder, e.g. xa-hoa-vang")
    n.add_argument("--province", required=True, help="province code, e.g. 48")
    n.add_argument("--commune", required=True, help="commune code, e.g. 20320")
    n.add_argument("--site-url", help="where the site will be published (default: GitHub Pages)")
    n.set_defaults(func=cmd_new)
    for command in (c, v, f, k, b):
        command.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="show the facts in force on this day (default: $LIENTHONG_AS_OF, else "
            "$SOURCE_DATE_EPOCH, else today)",
        )
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure ends in one line on stderr and a non-zero status."""
    try:
        status = _main(argv)
        sys.stdout.flush()
    except OSError as exc:
        if exc.errno not in (errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EIO):
            raise
        _stdout_failed(exc)
        return EXIT_UNREADABLE
    return status


def _stdout_failed(exc: OSError) -> None:
    # Standard output is full or its reader is gone: say so once, and point stdout at
    # /dev/null so that the interpreter's own flush at exit has nothing left to fail on.
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    print(f"Lỗi: không ghi được ra đầu ra chuẩn ({os_reason(exc)}).", file=sys.stderr)


def _main(argv: list[str] | None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = parser().parse_args(argv)
    try:
        if args.command != "new":
            _layers(args)
        if getattr(args, "as_of", None):
            from lienthong.schema.dated import ENV, BadDate, parse_day

            try:
                # In the environment, so the build's background processes read the same day.
                os.environ[ENV] = parse_day(args.as_of).isoformat()
            except BadDate as exc:
                print(f"Lỗi: --as-of: {exc}", file=sys.stderr)
                return EXIT_INVALID
        return args.func(args)
    except RecordUnreadable as exc:
        print(exc, file=sys.stderr)
        return EXIT_UNREADABLE
    except CheckFailed as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    except UnknownSchema as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE if args.command == "validate" else EXIT_INVALID
    except LienThongError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
