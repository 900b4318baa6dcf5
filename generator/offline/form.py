"""The offline form of a group: an HTML form generated from the group's schema.

``form_model(catalog, group_id)`` walks the group schema (following ``$ref``) into a tree of
``Node``s: one per field the citizen fills in, in the order a person would give them (requester
once, the choices that decide which sections apply, each procedure's section, then the filing
details). ``render_form`` lays the tree out as HTML with the Jinja template
``templates/offline/form.html.j2``; ``assets/form/app.js`` reads the same tree (inlined as JSON)
to turn the inputs back into a group record, to show or hide conditional fields and to put
the validator's messages next to their fields.

Which fields appear when: a property that the object requires is always shown; one that only an
``if``/``then`` requires is shown while one of its conditions holds (``Node.when``, evaluated in
the browser against the sibling values); other optional objects get a "Khai mục này" switch
(``Node.optional``) so that a half-filled optional block never appears by accident; optional
scalars are shown and marked "(không bắt buộc)". Conditions may only use the keywords in
``CONDITION_KEYWORDS`` (the browser's evaluator knows no more); the build stops otherwise.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from lienthong.errors import LienThongError
from lienthong.inputs import legacy_units, units
from lienthong.offline import legacy_js
from lienthong.offline.esbuild import minify
from lienthong.printing.records import page_url
from lienthong.schema import provenance
from lienthong.schema.amounts import form_rules
from lienthong.schema.catalog import Catalog
from lienthong.schema.validation import _expand, expand_properties
from lienthong.site.csp import sha256_source
from lienthong.site.pages import group_uri

# Keywords the browser's condition evaluator implements (app.js, ``holds``).
CONDITION_KEYWORDS = {"properties", "required", "const", "enum", "not", "allOf"}
# Enums with at most this many options are radio buttons (one tap on a phone); longer ones are
# drop-down lists.
MAX_RADIOS = 5
ITEM = "#"  # stands for the row index in the pointers of an array's item template


class FormBuildError(LienThongError):
    pass


@dataclass
class Node:
    """One field or block of the form.

    ``ptr`` is the JSON pointer of the value in the group record (array items use ``#`` for the
    row). ``kind``: object, array, place (province + commune [+ detail]), text, date,
    partial-date, time, integer, select, radio, checkbox.
    """

    ptr: str
    kind: str
    title: str
    hint: str | None = None
    example: str | None = None
    required: bool = False
    optional: bool = False  # an optional block behind a "Khai mục này" switch
    when: list[dict] = field(default_factory=list)  # shown while any of these holds (parent)
    options: list[list[str]] = field(default_factory=list)  # [value, label]
    children: list[Node] = field(default_factory=list)
    item: Node | None = None  # array rows
    max_items: int | None = None
    default: str | None = None
    input: dict[str, str] = field(default_factory=dict)  # extra <input> attributes
    detail: bool = False  # place: has a "detail" line
    office: bool = False  # place: a receiving agency (common.schema.json#/$defs/office)
    reuse: list[Reuse] = field(default_factory=list)  # place: one-tap copies of earlier places
    needed: str | None = None  # when an optional field is required after all
    level: int = 0  # nesting depth, for headings

    @property
    def id(self) -> str:
        return field_id(self.ptr)

    @property
    def attrs(self) -> list[list[str]]:
        """Extra attributes of the <input>, but its type."""
        return [[k, v] for k, v in self.input.items() if k != "type"]

    @property
    def input_type(self) -> str:
        return self.input.get("type", "text")

    @property
    def key(self) -> str:
        return self.ptr.rsplit("/", 1)[-1]

    def to_json(self) -> dict[str, Any]:
        """The compact form app.js reads (only what the browser needs)."""
        out: dict[str, Any] = {"p": self.ptr, "k": self.kind}
        if self.required:
            out["r"] = 1
        if self.optional:
            out["o"] = 1
        if self.when:
            out["w"] = self.when
        if self.children:
            out["c"] = [c.to_json() for c in self.children]
        if self.item is not None:
            out["i"] = self.item.to_json()
        if self.max_items is not None:
            out["m"] = self.max_items
        if self.detail:
            out["d"] = 1
        if self.office:
            out["f"] = 1
        return out


@dataclass
class Reuse:
    """A button that fills a place with an earlier one: "Giống nơi cư trú của người yêu cầu"."""

    source: str  # pointer of the place copied
    label: str
    detail: bool  # the house-and-street line is copied too (both places have one)


def field_id(ptr: str) -> str:
    """HTML id of the input (or fieldset) of a pointer: "/a/b_c/0" -> "f-a-b_c-0"."""
    return "f" + ptr.replace("/", "-")


# -- the walk ------------------------------------------------------------------------------------


class _Level:
    """All schemas that describe one value (``$ref`` chains merged), outermost first."""

    def __init__(self, catalog: Catalog, pairs: list[tuple[dict, str]], where: str):
        self.catalog = catalog
        self.pairs = pairs
        self.where = where
        self.schemas = [s for s, _ in pairs]

    def first(self, key: str) -> Any:
        for s in self.schemas:
            if key in s:
                return s[key]
        return None

    def required(self) -> list[str]:
        out: list[str] = []
        for s in self.schemas:
            for name in s.get("required", []):
                if name not in out:
                    out.append(name)
        return out

    def properties(self) -> dict[str, list[tuple[dict, str]]]:
        """Property name -> its schemas (outer first), in the referenced definition's order."""
        return expand_properties(self.catalog, self.pairs)

    def conditions(self) -> list[tuple[dict, list[str]]]:
        """(if-schema, names its then requires) of every if/then here, allOf included."""
        found = []
        for s in self.schemas:
            for holder in [s, *s.get("allOf", [])]:
                if "if" in holder and isinstance(holder.get("then"), dict):
                    self._check_condition(holder["if"])
                    found.append((holder["if"], list(holder["then"].get("required", []))))
        return found

    def labels(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for s in reversed(self.schemas):
            enum, labels = s.get("enum"), s.get("x-enum-labels")
            if isinstance(enum, list) and isinstance(labels, list):
                out.update({str(v): str(lab) for v, lab in zip(enum, labels, strict=False)})
        return out

    def refs(self) -> list[str]:
        return [s["$ref"] for s in self.schemas if isinstance(s.get("$ref"), str)]

    def _check_condition(self, schema: Any) -> None:
        if not isinstance(schema, dict):
            raise FormBuildError(f"{self.where}: điều kiện 'if' phải là một schema dạng đối tượng.")
        for key, value in schema.items():
            if key not in CONDITION_KEYWORDS:
                raise FormBuildError(
                    f"{self.where}: biểu mẫu ngoại tuyến chưa hỗ trợ từ khóa '{key}' trong điều "
                    f"kiện 'if' (chỉ có: {', '.join(sorted(CONDITION_KEYWORDS))})."
                )
            if key == "properties":
                for sub in value.values():
                    self._check_condition(sub)
            elif key == "not":
                self._check_condition(value)
            elif key == "allOf":
                for sub in value:
                    self._check_condition(sub)


def form_model(catalog: Catalog, group_id: str) -> Node:
    """The form tree of a group: root object node whose children are the form's sections."""
    schema = catalog.schema(group_id)
    level = _Level(catalog, _expand(catalog, schema, schema.get("$id", "")), group_id)
    root = _object(level, "", schema.get("title", group_id), 0)
    model = Node(
        ptr="",
        kind="object",
        title=root.title,
        hint=root.hint,
        required=True,
        children=_section_order(catalog, root.children, level),
    )
    offer_reuse(model)
    return model


# At most this many "same as" buttons under a place: more would cost more reading than typing.
MAX_REUSE = 2


def _places(node: Node, owner: Node) -> list[tuple[Node, Node]]:
    """(place, the object it belongs to), in form order; rows of lists left out."""
    if node.kind == "place":
        return [(node, owner)]
    if node.kind != "object":
        return []
    return [found for c in node.children for found in _places(c, node)]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def offer_reuse(model: Node) -> None:
    """Ask once: under each place, offer the first place of the form (the requester's own, the
    one people copy most) and the nearest earlier place of the same kind (an agency after an
    agency, an address after an address). Named by its title, with its owner when two places
    share a title."""
    places = _places(model, model)
    titles = [p.title for p, _ in places]

    def name(place: Node, owner: Node) -> str:
        phrase = _lower_first(place.title)
        # The requester is named always: "nơi cư trú" alone could be anyone's.
        if titles.count(place.title) > 1 or owner.ptr == "/requester":
            phrase += " của " + _lower_first(owner.title)
        return phrase

    for n, (place, _) in enumerate(places):
        earlier = places[:n]
        if not earlier:
            continue
        chosen = [earlier[0]]
        same_kind = [q for q in earlier[1:] if q[0].office == place.office]
        if same_kind:
            chosen.append(same_kind[-1])
        for source, owner in chosen[:MAX_REUSE]:
            both = place.detail and source.detail
            label = ("Giống " if both else "Cùng xã, phường với ") + name(source, owner)
            place.reuse.append(Reuse(source.ptr, label, both))


def _section_order(catalog: Catalog, children: list[Node], level: _Level) -> list[Node]:
    """Requester first, then the choices other sections depend on, each procedure's section,
    and last the filing details (date, place, how to receive the result)."""
    procedure_keys = {proc.get("key") for proc in catalog.procedures.values()}
    deciders = {name for cond, _ in level.conditions() for name in cond.get("properties", {})} | {
        name for cond, _ in level.conditions() for name in cond.get("required", [])
    }

    def rank(node: Node) -> int:
        if node.key == "requester":
            return 0
        if node.key in deciders:
            return 1
        if node.key in procedure_keys:
            return 2
        return 3

    return sorted(children, key=rank)  # stable: schema order within a rank


def _object(level: _Level, ptr: str, title: str, depth: int) -> Node:
    required = level.required()
    props = level.properties()
    # Two kinds of if/then. A choice ("if kind is X then facility is required") decides which
    # fields exist: they show only while it holds. A fallback ("if there is no personal_id then
    # give ethnicity and residence") never hides anything: the fields are optional otherwise,
    # and the label says when they are needed.
    conditional: dict[str, list[dict]] = {}
    needed_without: dict[str, list[str]] = {}
    for cond, names in level.conditions():
        absent = _absent(cond)
        for name in names:
            if name in required:
                continue
            if absent:
                needed_without.setdefault(name, []).extend(absent)
            else:
                conditional.setdefault(name, []).append(cond)
    node = Node(ptr=ptr, kind="object", title=title, hint=level.first("description"), level=depth)
    for name, pairs in props.items():
        child_level = _Level(level.catalog, pairs, f"{level.where}{ptr}/{name}")
        child = _node(child_level, f"{ptr}/{name}", depth + 1)
        child.required = name in required
        child.when = conditional.get(name, [])
        if name in needed_without:
            titles = [
                _Level(level.catalog, props[n], "").first("title") or n
                for n in needed_without[name]
                if n in props
            ]
            child.needed = "bắt buộc nếu không khai " + ", ".join(
                t[0].lower() + t[1:] for t in titles
            )
        if not child.required and not child.when and child.kind in ("object", "place"):
            child.optional = True
        node.children.append(child)
    return node


def _absent(cond: dict) -> list[str]:
    """Names an ``{"not": {"required": [...]}}`` condition asks to be missing, else []."""
    if set(cond) == {"not"} and isinstance(cond["not"], dict) and set(cond["not"]) == {"required"}:
        return list(cond["not"]["required"])
    return []


DATE_HINT = "Bấm vào ô để chọn ngày trên lịch, hoặc gõ ngày, tháng, năm."


def _node(level: _Level, ptr: str, depth: int) -> Node:
    title = level.first("title") or ptr.rsplit("/", 1)[-1]
    hint = level.first("description")
    examples = level.first("examples")
    example = str(examples[0]) if isinstance(examples, list) and examples else None
    kind = level.first("type")
    if kind == "object":
        props = set(level.properties())
        if {"province", "commune"} <= props <= {"province", "commune", "detail"}:
            office = any(r.endswith("$defs/office") for r in level.refs())
            return Node(
                ptr, "place", title, hint, detail="detail" in props, office=office, level=depth
            )
        return _object(level, ptr, title, depth)
    if kind == "array":
        items = level.first("items")
        if not isinstance(items, dict):
            raise FormBuildError(f"{level.where}: mảng cần 'items' là một schema.")
        base = next(b for s, b in level.pairs if s.get("items") is items)
        item_level = _Level(level.catalog, _expand(level.catalog, items, base), level.where + "/#")
        item = _node(item_level, f"{ptr}/{ITEM}", depth + 1)
        return Node(ptr, "array", title, hint, item=item, max_items=level.first("maxItems"))
    node = Node(ptr, "text", title, hint, example=example, level=depth)
    enum = level.first("enum")
    if isinstance(enum, list):
        labels = level.labels()
        node.options = [[str(v), labels.get(str(v), str(v))] for v in enum]
        node.kind = "radio" if len(enum) <= MAX_RADIOS else "select"
        node.example = None
        return node
    if kind == "boolean":
        node.kind = "checkbox"
        return node
    if kind == "integer":
        node.kind = "integer"
        node.input = {"inputmode": "numeric", "pattern": "[0-9]*"}
        return node
    fmt = level.first("format")
    refs = level.refs()
    if fmt == "date":
        node.kind = "date"
        node.example = None
        # The date definition's own words describe the record (2025-08-15); the phone shows a
        # date picker in its own order (dd/mm/yyyy in Vietnamese), so say how to use that.
        if next((s for s in level.schemas if "description" in s), {}).get("format") == "date":
            node.hint = DATE_HINT
    elif fmt == "partial-date":
        node.kind = "partial-date"
        node.input = {"inputmode": "numeric"}
    elif any(r.endswith("$defs/time") for r in refs):
        node.kind = "time"
    elif fmt == "so-di-dong":
        node.input = {"type": "tel", "autocomplete": "tel", "inputmode": "tel"}
    elif fmt == "email":
        node.input = {"inputmode": "email", "autocomplete": "email", "spellcheck": "false"}
    elif any(r.endswith(("$defs/personal_id", "$defs/bhxh_number")) for r in refs):
        node.input = {"inputmode": "numeric", "autocomplete": "off"}
    max_length = level.first("maxLength")
    if isinstance(max_length, int):
        node.input["maxlength"] = str(max_length)
    default = level.first("default")
    if isinstance(default, str):
        node.default = default
    return node


# -- HTML ------------------------------------------------------------------------------------------


def script_safe(text: str) -> str:
    """JSON or JavaScript text that cannot close its <script> element or break a JS string."""
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# -- the page --------------------------------------------------------------------------------------

ASSETS = Path(__file__).resolve().parent.parent / "assets"


@dataclass
class Section:
    """A numbered part of the page: the requester, a procedure, or loose group-level fields."""

    id: str
    title: str
    hint: str | None
    nodes: list[Node]
    node: Node | None = None  # the object the section shows, if it is one
    source: str | None = None  # a procedure's legal basis, forms and last-checked date
    amounts: list[dict] = field(
        default_factory=list
    )  # its amount rules (generator/schema/amounts.py)


def sections(catalog: Catalog, model: Node) -> list[Section]:
    procedures = {proc.get("key"): proc for proc in catalog.procedures.values()}
    out: list[Section] = []
    loose: list[Node] = []

    def flush(title: str) -> None:
        if loose:
            out.append(Section(f"lt-s{len(out) + 1}", title, None, list(loose)))
            loose.clear()

    for node in model.children:
        if node.kind == "object" and not node.optional:
            flush("Trường hợp của hồ sơ")
            proc = procedures.get(node.key)
            hint = node.hint if proc is not None or node.key == "requester" else None
            source = provenance.basis_line(proc) if proc is not None else None
            rules = form_rules(proc, catalog.bases) if proc is not None else []
            out.append(Section("w" + node.id, node.title, hint, node.children, node, source, rules))
        else:
            loose.append(node)
    flush("Nộp hồ sơ và nhận kết quả")
    return out


def csp(scripts: list[str], camera: bool = False, loads: bool = False) -> str:
    """No network, no eval: only this page's own inline scripts (by hash) may run. ``camera``:
    the page shows the camera's stream in a <video> (the scan page). ``loads``: those scripts
    may add a script element of their own ('strict-dynamic'; app.js loads the pre-2025 unit
    table, legacy_js.py, only when a record needs it); markup still cannot load one."""
    sources = [sha256_source(s) for s in scripts] + (["'strict-dynamic'"] if loads else [])
    return (
        "default-src 'none'; "
        f"script-src {' '.join(sources)}; "
        "style-src 'unsafe-inline'; "
        "img-src data: blob:; "
        + ("media-src blob:; " if camera else "")
        + "base-uri 'none'; form-action 'none'"
    )


# How the form is laid out (the publisher's form_layout): one step at a time on small screens
# and one page on wide ones, always in steps, or always on one page.
LAYOUTS = ("auto", "steps", "one-page")


def form_markup(parts: list[Section]) -> Markup:
    """The sections' HTML, as the page has it (sections.html.j2)."""
    return Markup(_env().get_template("sections.html.j2").render(sections=parts))


# What a node's data leaves out when it holds these (app.js puts them back, and the node's id).
NODE_DEFAULTS: dict[str, Any] = {
    "hint": None,
    "example": None,
    "required": False,
    "optional": False,
    "when": False,
    "needed": None,
    "options": [],
    "children": [],
    "item": None,
    "max_items": None,
    "default": None,
    "attrs": [],
    "input_type": "text",
    "detail": False,
    "reuse": [],
}


def _node_data(n: Node) -> dict[str, Any]:
    """What fields.html.j2 reads of a node, as JSON, for the same HTML from app.js: without
    its id (app.js makes it from the pointer, as field_id does) and NODE_DEFAULTS."""
    full = {
        "hint": n.hint,
        "example": n.example,
        "required": n.required,
        "optional": n.optional,
        "when": bool(n.when),
        "needed": n.needed,
        "options": n.options,
        "children": [_node_data(c) for c in n.children],
        "item": _node_data(n.item) if n.item is not None else None,
        "max_items": n.max_items,
        "default": n.default,
        "attrs": n.attrs,
        "input_type": n.input_type,
        "detail": n.detail,
        "reuse": [{"source": r.source, "label": r.label, "detail": r.detail} for r in n.reuse],
    }
    out = {"ptr": n.ptr, "kind": n.kind, "title": n.title}
    out.update({k: v for k, v in full.items() if v != NODE_DEFAULTS[k]})
    return out


def sections_data(parts: list[Section]) -> list[dict[str, Any]]:
    """What sections.html.j2 reads of the sections, as JSON (see ``_node_data``)."""
    return [
        {
            "id": s.id,
            "title": s.title,
            "hint": s.hint,
            "source": s.source,
            "amounts": [{"id": a["id"], "name": a["name"]} for a in s.amounts],
            "node": {"id": s.node.id, "when": bool(s.node.when)} if s.node is not None else None,
            "nodes": [_node_data(n) for n in s.nodes],
        }
        for s in parts
    ]


@cache
def sections_js() -> str:
    """The script that gives app.js the compiled sections template (lt.formTemplates)."""
    from lienthong.offline.jinja_js import compile_templates

    compiled = compile_templates(_env(), ["sections.html.j2", "fields.html.j2"])
    return (
        "(function (root) {\n"
        "var lt = root.lienthong || (root.lienthong = {});\n"
        f"lt.formTemplates = {compiled};\n"
        '})(typeof window !== "undefined" ? window : globalThis);\n'
    )


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("lienthong", "templates/offline"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def asset(name: str) -> str:
    return (ASSETS / "form" / name).read_text(encoding="utf-8")


def render_page(
    catalog: Catalog,
    group_id: str,
    *,
    scripts: list[str],
    site_name: str,
    office: str,
    links: dict[str, str | None],
    url: str | None = None,
    home: dict[str, str] | None = None,
    layout: str = "auto",
    style: str | None = None,
    drawn: bool = False,
    legacy: str | None = None,
) -> str:
    """The whole offline form page, everything inline. ``scripts`` run in order after the form
    (the validator bundle, the print bundle, app.js); ``style`` is the page's CSS (form-ui.css,
    minified by build_group_pages; as written when not given). ``url``: the page's own absolute
    address, for its link preview. ``home``: the publisher's ``{"province", "commune"}``, the
    receiving agencies' default. ``layout``: "auto" (one step at a time on small screens),
    "steps" or "one-page" (LAYOUTS). ``drawn``: the sections are left out of the markup and
    drawn by app.js from their data (``sections_data``, with the template compiled by
    ``sections_js``; the page then needs that script): the same HTML, 5 KB less to send.
    ``legacy``: the address of the pre-2025 unit table (legacy_js.FILE) from this page, which
    app.js loads when an imported record or a draft needs it."""
    from lienthong.site import social

    group = catalog.groups[group_id]
    model = form_model(catalog, group_id)
    parts = sections(catalog, model)
    if layout not in LAYOUTS:
        raise FormBuildError(
            f"form_layout phải là một trong {', '.join(LAYOUTS)}, không phải {layout!r}."
        )
    data: dict[str, Any] = {"g": group_id, "v": group.get("version", 1), "t": model.to_json()}
    if layout != "auto":
        data["l"] = layout
    if home and home.get("commune") in units.communes():
        data["h"] = {"province": home["province"], "commune": home["commune"]}
    rules = [r for s in parts for r in s.amounts]
    if rules:
        data["a"] = rules
    if legacy:
        data["o"] = legacy
        data["dk"] = sorted(legacy_units.DISTRICT_KEYS)
    if drawn:
        data["f"] = sections_data(parts)
        data["fd"] = NODE_DEFAULTS
    html = (
        _env()
        .get_template("page.html.j2")
        .render(
            group=group,
            form_sections=Markup("") if drawn else form_markup(parts),
            model_json=Markup(
                script_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
            ),
            scripts=[{"inline": True, "text": Markup(s)} for s in scripts],
            styles=[{"inline": True, "text": Markup(style or asset("form-ui.css"))}],
            csp=csp(scripts, loads=bool(legacy)),
            site_name=site_name,
            office=office,
            links=links,
            social=Markup(
                social.tags(
                    title=f"Điền tờ khai: {group['short_name']}",
                    site_name=site_name,
                    description=social.shorten(
                        f"Điền tờ khai {group['short_name']} ngay trên điện thoại hoặc máy "
                        "tính, không cần mạng: từng ô được kiểm tra trước khi in ra để nộp."
                    ),
                    url=url,
                    kind="website",
                )
            ),
            version=group.get("version", 1),
            checked=provenance.when(
                provenance.group_dates(
                    group, [catalog.procedures[p["id"]] for p in group["procedures"]]
                )
            ),
        )
    )
    return unicodedata.normalize("NFC", html)


def page_style(node_modules: Path) -> str:
    """The form page's CSS, minified (the same for every group)."""
    return minify(asset("form-ui.css"), node_modules, loader="css")


def scripts_for(
    catalog: Catalog, group_id: str, node_modules: Path, site: dict, with_units: bool = True
) -> list[str]:
    """The page's scripts, in load order: validator (defines lienthong.validate and .units),
    print view (lienthong.printDocument), the form app."""
    from lienthong.offline.print_js import build_print_parts, with_data
    from lienthong.offline.validator_js import build_validator
    from lienthong.printing.render_pdf import renderer

    pdf = renderer(
        Path(site["schemas_dir"]),
        Path(site["forms_dir"]),
        site.get("site_url"),
        bool(site.get("directory_urls")),
    )
    # The print tables hold the site's URLs: they join the code after minifying (prebuilt.py).
    print_code, print_tables = build_print_parts(catalog, group_id, pdf)
    sources = [build_validator(catalog, group_id, with_units), print_code, sections_js()]
    sources.append(asset("app.js"))
    members = [catalog.procedures.get(p["id"], {}) for p in catalog.groups[group_id]["procedures"]]
    if any(form_rules(p, catalog.bases) for p in members):
        # Before app.js, which reads lienthong.amounts when it starts.
        sources.insert(2, (ASSETS / "amounts.js").read_text(encoding="utf-8"))
    scripts = [minify(s, node_modules) for s in sources]
    scripts[1] = with_data(scripts[1], print_tables)
    return scripts


def site_settings(
    *,
    schemas_dir: Path,
    forms_dir: Path,
    node_modules: Path,
    site_name: str,
    office: str,
    site_url: str | None = None,
    directory_urls: bool = False,
    home: dict[str, str] | None = None,
    layout: str = "auto",
) -> dict[str, Any]:
    """The ``site`` that build_group_pages takes, as plain JSON values: site_forms passes it
    to its own process on the command line."""
    return {
        "schemas_dir": str(schemas_dir),
        "forms_dir": str(forms_dir),
        "node_modules": str(node_modules),
        "site_name": site_name,
        "office": office,
        "site_url": site_url,
        "directory_urls": bool(directory_urls),
        "home": {"province": home["province"], "commune": home["commune"]} if home else None,
        "layout": layout,
    }


def build_group_pages(
    catalog: Catalog, group_id: str, site: dict, with_units: bool = True
) -> dict[str, str]:
    """``{"<group>.html": self-contained page, "<group>/index.html": site page}`` (under bieu-mau/).

    ``site``: from site_settings().
    """
    scripts = scripts_for(catalog, group_id, Path(site["node_modules"]), site, with_units)
    style = page_style(Path(site["node_modules"]))
    directory_urls = bool(site.get("directory_urls"))
    home = page_url("index.md", directory_urls)
    guide = page_url(group_uri(group_id), directory_urls)
    base = site.get("site_url")

    def page(prefix: str, own: str, legacy: str) -> str:
        def link(path: str) -> str:
            return (base.rstrip("/") + "/" + path) if base else prefix + path

        return render_page(
            catalog,
            group_id,
            scripts=scripts,
            site_name=site["site_name"],
            office=site["office"],
            links={"home": link(home), "guide": link(guide)},
            url=link(own) if base else None,
            home=site.get("home"),
            layout=site.get("layout") or "auto",
            style=style,
            drawn=True,
            legacy=legacy,
        )

    folder = f"bieu-mau/{group_id}/" + ("" if directory_urls else "index.html")
    legacy = legacy_js.FILE + legacy_js.address_suffix()
    return {
        f"{group_id}.html": page("../", f"bieu-mau/{group_id}.html", legacy),
        f"{group_id}/index.html": page("../../", folder, "../" + legacy),
    }
