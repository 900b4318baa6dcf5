"""MkDocs plugin: check the schemas, then add the generated pages.

Registered as the ``lienthong`` entry point in ``mkdocs.plugins``. Events, in
the order MkDocs fires them:

1. ``on_config`` (after Material's offline plugin): load and check schemas
   and publisher settings; any error aborts before ``site_dir`` is touched.
   Replace the offline plugin's remote iframe-worker polyfill with a local copy.
2. ``on_files``: add generated pages as in-memory files (nothing is written
   into ``docs/``; a hand-written page with the same path wins).
3. ``on_post_page`` and ``on_post_template`` (404.html), last of all plugins:
   add a hash-based Content-Security-Policy meta tag (generator/site/csp.py).
4. ``on_post_build``: copy the iframe-worker shim and fold Vietnamese
   diacritics in Material's search worker (generator/site/search.py).
5. ``on_serve``: watch schemas/ so ``mkdocs serve`` reloads on change.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import BytecodeCache
from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from lienthong import bundled
from lienthong.errors import CheckFailed
from lienthong.inputs.settings import plugin_options, read_mkdocs_yaml, review_days
from lienthong.offline.form import site_settings
from lienthong.packs.pack import site_pack_files
from lienthong.printing.render_pdf import BLANK_DIR, renderer
from lienthong.schema.catalog import load_catalog
from lienthong.schema.check import check_catalog, check_publisher, check_site_texts
from lienthong.schema.dated import BadBlock, build_day, select_blocks
from lienthong.site import cards, old_terms, overlay, social
from lienthong.site import form_job as site_forms
from lienthong.site import pdf_job as site_pdfs
from lienthong.site.cards import page_colour
from lienthong.site.csp import with_csp
from lienthong.site.pages import render_pages
from lienthong.site.search import (
    IFRAME_WORKER_PATH,
    iframe_worker_source,
    patch_search_worker,
    replace_remote_polyfills,
    vendor_iframe_worker,
)

log = logging.getLogger("mkdocs.plugins.lienthong")
NO_SITE_URL = (
    "chưa có site_url (địa chỉ trang, ví dụ https://xa-hoa-vang.github.io/): mã QR "
    "trên tờ khai và áp phích sẽ chỉ dẫn tới cổng dịch vụ công thay vì trang của xã, và "
    "liên kết chia sẻ qua Zalo, Facebook sẽ thiếu địa chỉ trang (og:url)."
)


class LienThongConfig(base.Config):
    """The plugin's options in mkdocs.yml (README, "Plugin options"). Paths are relative to the
    folder of mkdocs.yml."""

    # Your schemas: a file here replaces the packaged one of the same name; others are added.
    schemas_dir = c.Type(str, default="schemas")
    # Your forms (forms/<id>/...): same rule as schemas_dir.
    forms_dir = c.Type(str, default="forms")
    # npm packages, needed only to rebuild browser code for edited schemas or forms.
    node_modules = c.Type(str, default="node_modules")
    # The office that publishes: commune and province codes, office, officer, phones (README).
    publisher = c.Type(dict, default={})
    # Facts last checked longer ago than this many days are reported by the build.
    review_days = c.Type(int, default=365)


class LienThongPlugin(BasePlugin[LienThongConfig]):
    blank_ids: list[str] = []  # noqa: RUF012 - set per build in on_config
    pdf_job: site_pdfs.Job | None = None
    iframe_worker: str = ""  # the shim's source, read in on_config
    forms_job: site_forms.FormsJob | None = None
    own_schemas: Path | None = None  # the publisher's schemas folder (overlay.py), if any
    packaged_docs: list[Path] = []  # noqa: RUF012 - set per build in on_config

    # Negative priority: runs after the offline plugin has added its polyfill.
    @event_priority(-50)
    def on_config(self, config):
        root = Path(config.config_file_path or ".").resolve().parent
        cache = root / ".cache" / "lienthong"
        self.descriptions: dict[str, str] = {}  # page source -> its preview's description
        # preview image -> (title, page address, band colour)
        self.cards: dict[str, tuple[str, str, str]] = {}
        self.cards_cache = cache / "cards"
        self.own_schemas = (root / self.config.schemas_dir).resolve()
        try:
            schemas = overlay.merged("schemas", self.own_schemas, cache)
            forms = overlay.merged("forms", (root / self.config.forms_dir).resolve(), cache)
        except OSError as exc:
            raise PluginError(f"không đọc được tệp ghi đè: {exc}") from None
        pages = overlay.split("docs", Path(config.docs_dir))
        self.packaged_docs = [] if pages.path != Path(config.docs_dir) else [bundled("docs")]
        for line in overlay.described([schemas, forms, pages]):
            log.info(line)
        self.schemas_dir = schemas.path
        self.node_modules = (root / self.config.node_modules).resolve()
        # The publisher's review_days, when set, wins over the plugin's (settings.review_days).
        days = review_days({"publisher": self.config.publisher}) or self.config.review_days
        config_file = _display(config.config_file_path or "mkdocs.yml")
        catalog, problems = _checked_catalog(
            self.schemas_dir,
            self.config.publisher,
            days,
            config_file,
            _publisher_pointer(config.config_file_path),
        )
        problems = problems + check_site_texts(config, config_file)
        errors = [p for p in problems if p.level == "error"]
        if errors:
            raise PluginError(_format(errors))
        for problem in problems:
            # Notes (open questions on dates) must not fail mkdocs build --strict.
            (log.info if problem.level == "note" else log.warning)(str(problem))
        self.catalog = catalog
        self.place = _place(self.config.publisher)
        # Blank PDFs render in another process while MkDocs reads the pages.
        forms_dir = forms.path
        site_url = config.site_url or None
        if site_url is None and not _serving(config):
            log.warning(f"{config_file}: {NO_SITE_URL}")
        blank = renderer(self.schemas_dir, forms_dir, site_url, config.use_directory_urls)
        self.blank_ids = [sheet.id for sheet in blank.blank_sheets()]
        # The same process makes the publisher's pack (poster, leaflet...) into goi-tai-lieu/.
        self.pdf_job = site_pdfs.start(
            root,
            self.schemas_dir,
            forms_dir,
            self.blank_ids,
            site_url,
            config.use_directory_urls,
            publisher=self.config.publisher,
        )
        # Offline forms (node compiles the validators) build in a third process.
        self.forms_job = site_forms.start(
            root,
            list(catalog.groups),
            site_settings(
                schemas_dir=self.schemas_dir,
                forms_dir=forms_dir,
                node_modules=self.node_modules,
                site_name=config.site_name,
                office=self.config.publisher.get("office_name", ""),
                site_url=site_url,
                directory_urls=config.use_directory_urls,
                home=self.config.publisher,
                layout=self.config.publisher.get("form_layout", "auto"),
            ),
        )
        try:
            # Read once per build: every page's policy hashes the script it writes.
            self.iframe_worker = iframe_worker_source(self.node_modules).read_text(encoding="utf-8")
            polyfills = config.extra.get("polyfills", [])
            config.extra["polyfills"] = replace_remote_polyfills(polyfills, IFRAME_WORKER_PATH)
        except (OSError, ValueError) as exc:
            raise PluginError(str(exc)) from None
        return config

    def on_env(self, env, config, files):
        # Static files (the PDFs among them) are copied right after this event.
        try:
            if self.pdf_job is not None:
                self.pdf_job.wait()
            if self.forms_job is not None:
                self.forms_job.wait()
        except site_pdfs.PdfRenderFailed as exc:
            raise PluginError(str(exc)) from None
        # MkDocs builds a new Jinja environment per build; reusing compiled
        # theme templates makes a no-change rebuild (mkdocs serve) ~2x faster.
        # Buckets are keyed by template source checksum, so edits invalidate them.
        env.bytecode_cache = _BYTECODE
        return env

    def on_files(self, files: Files, config) -> Files:
        for form_id in self.blank_ids if self.pdf_job else []:
            path = self.pdf_job.out_dir / f"{form_id}.pdf"
            files.append(
                File.generated(config, f"{BLANK_DIR}/{form_id}.pdf", abs_src_path=str(path))
            )
        if self.pdf_job is not None:
            pack = site_pdfs.PACK_DIR
            site_url = config.site_url or None
            paths = site_pack_files(
                self.catalog, self.config.publisher, site_url, config.use_directory_urls
            )
            for path in paths:
                src = self.pdf_job.out_dir / pack / path
                files.append(File.generated(config, f"{pack}/{path}", abs_src_path=str(src)))
        pdfs = {i: f"{BLANK_DIR}/{i}.pdf" for i in self.blank_ids}
        offline: dict[str, dict[str, str]] = {}
        if self.forms_job is not None:
            groups = list(self.catalog.groups)
            for path in site_forms.outputs(groups):
                src = self.forms_job.out_dir / path
                files.append(File.generated(config, f"{BLANK_DIR}/{path}", abs_src_path=str(src)))
            offline = {
                g: {
                    "page": f"{BLANK_DIR}/{g}/index.html",
                    "file": f"{BLANK_DIR}/{g}.html",
                    "scan": f"{BLANK_DIR}/{site_forms.SCAN_PAGE}",
                }
                for g in groups
            }
        # Packaged pages the publisher's docs/ lacks (overlay.py): theirs win by name.
        for folder in self.packaged_docs:
            for rel in overlay.page_files(folder):
                if files.get_file_from_path(rel) is None:
                    files.append(File(rel, str(folder), config.site_dir, config.use_directory_urls))
        generated = render_pages(self.catalog, self.config.publisher, pdfs, offline)
        for uri, content in generated.items():
            if files.get_file_from_path(uri) is not None:
                log.info("Using hand-written docs/%s instead of the generated page", uri)
                continue
            files.append(File.generated(config, uri, content=content))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        # Hand-written pages date their own passages (<!-- as-of until=… -->, dated.py).
        try:
            markdown = select_blocks(markdown, self.catalog.day)
        except BadBlock as exc:
            where = Path(config.docs_dir).name + "/" + page.file.src_uri
            raise PluginError(f"{where}: {exc}") from None
        # The old words people search with end the pages of today's terms (old_terms.py).
        uri = page.file.src_uri
        extra = (
            old_terms.glossary_section(self.catalog)
            if uri == old_terms.GLOSSARY
            else old_terms.page_section(self.catalog, uri)
        )
        return markdown.rstrip("\n") + "\n\n" + extra + "\n" if extra else markdown

    def on_page_content(self, html, page, config, files):
        # The page's own words, for its link preview and for Material's
        # <meta name="description"> instead of the one site description. Material prints
        # page.meta.description unescaped: it gets the escaped text (a quote in the first
        # paragraph would otherwise end the attribute).
        own = page.meta.get("description") if isinstance(page.meta, dict) else None
        text = social.description(
            html, own if isinstance(own, str) else None, config.site_description or ""
        )
        self.descriptions[page.file.src_uri] = text
        page.meta["description"] = escape(text)
        return html

    # Last of all plugins: the hashes must be those of the page as written.
    @event_priority(-100)
    def on_post_page(self, output, page, config):
        title = config.site_name if page.is_homepage else (page.title or config.site_name)
        absolute = bool(config.site_url) and not _serving(config)
        image = None
        if absolute:
            # assets/previews/<page>.png, drawn in on_post_build (cards.py).
            uri = "assets/previews/" + page.file.dest_uri.removesuffix(".html") + ".png"
            colour = page_colour(self.catalog, page.file.src_uri)
            self.cards[uri] = (str(title), page.canonical_url, colour)
            image = config.site_url.rstrip("/") + "/" + uri
        meta = social.tags(
            title=str(title),
            site_name=config.site_name,
            description=self.descriptions.get(page.file.src_uri, config.site_description or ""),
            url=page.canonical_url if absolute else None,
            kind="website" if page.is_homepage else "article",
            image=image,
            image_alt=social.image_alt(str(title), self.place) if image else None,
        )
        return self._with_csp(social.with_tags(output, meta), config)

    @event_priority(-100)
    def on_post_template(self, output_content, template_name, config):
        # Theme templates: 404.html is a page like the others; sitemap.xml is no HTML.
        if not template_name.endswith(".html") or not output_content.strip():
            return output_content
        return self._with_csp(output_content, config)

    def _with_csp(self, output: str, config) -> str:
        try:
            return with_csp(output, self.iframe_worker, live_reload=_serving(config))
        except ValueError as exc:
            raise PluginError(f"Content-Security-Policy: {exc}") from None

    def on_post_build(self, config):
        site_dir = Path(config.site_dir)
        cards.write_all(
            {
                site_dir / uri: (title, self.place, *rest)
                for uri, (title, *rest) in self.cards.items()
            },
            self.cards_cache,
        )
        vendor_iframe_worker(site_dir, self.node_modules)
        patch_search_worker(site_dir)

    def on_serve(self, server, config, builder):
        # The publisher's own schemas (the merged copy is remade from them on each build).
        if self.own_schemas is not None and self.own_schemas.is_dir():
            server.watch(str(self.own_schemas))
        return server


class _MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()


# mkdocs serve reloads the config on every save; re-checking an unchanged
# catalog would cost ~0.3 s, so results are kept per input digest.
_CHECKED: dict[str, tuple] = {}


def _digest(schemas_dir: Path, publisher: dict, review_days: int) -> str:
    h = hashlib.sha256()
    for path in sorted(schemas_dir.rglob("*.json")):
        h.update(path.relative_to(schemas_dir).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    h.update(
        json.dumps(
            [publisher, review_days, date.today().isoformat(), build_day().isoformat()],
            sort_keys=True,
        ).encode()
    )
    return h.hexdigest()


def _display(path: str) -> str:
    """The settings file as its messages name it: relative to the working folder when inside it
    (``mkdocs.yml``, ``tinh/other.yml``), else as given."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _place(publisher: Any) -> str:
    """The publisher's commune and province ("Phường Ba Đình, Thành phố Hà Nội"), for the
    preview images; "" when the settings do not name them."""
    from lienthong.inputs import units

    try:
        return units.full_address(None, publisher["commune"], publisher["province"])
    except (KeyError, TypeError):
        return ""


def _publisher_pointer(config_file_path: str | None) -> str:
    """The publisher block's JSON pointer in the file as written (``/plugins/2/lienthong/...``
    when plugins is a list), as ``lienthong check`` names it."""
    try:
        return plugin_options(read_mkdocs_yaml(Path(config_file_path)))[1] + "/publisher"
    except (CheckFailed, OSError, TypeError):
        return "/plugins/lienthong/publisher"


def _checked_catalog(
    schemas_dir: Path,
    publisher: dict,
    review_days: int,
    config_file: str = "mkdocs.yml",
    pointer: str = "/plugins/lienthong/publisher",
):
    # The file is part of the key: the same settings read from another file name that file.
    key = (
        _digest(schemas_dir, publisher, review_days) + config_file + pointer
        if schemas_dir.is_dir()
        else ""
    )
    if key and key in _CHECKED:
        return _CHECKED[key]
    try:
        catalog = load_catalog(schemas_dir)
    except CheckFailed as exc:
        raise PluginError(_format(exc.problems)) from None
    problems = check_catalog(catalog, review_days=review_days)
    problems += check_publisher(catalog, publisher, config_file, pointer)
    if key:
        _CHECKED.clear()
        _CHECKED[key] = (catalog, problems)
    return catalog, problems


def _serving(config) -> bool:
    """Whether this is a ``mkdocs serve`` build: serve points site_url at its own address,
    and its live reload injects an inline script that no hash can allow."""
    host, port = config.dev_addr
    return urlsplit(config.site_url or "").netloc == f"{host}:{port}"


def _format(problems) -> str:
    lines = [str(p) for p in problems]
    return "Dữ liệu nguồn có lỗi, chưa dựng trang:\n  " + "\n  ".join(lines)
