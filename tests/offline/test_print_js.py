"""The browser print (generator/offline/print_js.py) against render_pdf's HTML, byte for byte.

``printDocument(record)`` of a built bundle must return exactly what
``Renderer.html(Renderer.group_sheets(group, record, allow_incomplete=True),
Renderer.group_title(group), inline_css=True)`` returns. One node process
(tests/js/print_batch.cjs) prints, for each of the three groups: the blank group, the schema's
examples, the group's records of tests/cases/records.json, records drawn with
hypothesis-jsonschema from the group schema, and mutated or incomplete records from
``tests.test_validator_js.RecordMaker`` (fixed seeds). A Chromium test loads the bundle under a
CSP without 'unsafe-eval'.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

import lienthong
from lienthong.inputs import units
from lienthong.offline.print_js import PrintBuildError, build_print, sizes
from lienthong.printing import render_pdf
from lienthong.schema.catalog import load_catalog
from lienthong.schema.validation import validator_for

ROOT = Path(__file__).resolve().parents[2]
BATCH = ROOT / "tests" / "js" / "print_batch.cjs"
FIELDS_JS = ROOT / "generator" / "assets" / "form" / "fields.js"
GROUPS = ["lien-thong-khai-sinh", "lien-thong-khai-tu", "khai-tu-xoa-thuong-tru"]
CASES = json.loads((ROOT / "tests" / "cases" / "records.json").read_text(encoding="utf-8"))
BASE = "https://xa-phuong.example.vn/"
EPOCH = "1763856000"  # 2025-11-23: the bundle must carry the same "created" as Python
HYPOTHESIS_RECORDS = int(os.environ.get("LIENTHONG_PRINT_HYPOTHESIS", "60"))
MUTATED_RECORDS = int(os.environ.get("LIENTHONG_PRINT_MUTATED", "250"))
SEED = 20251123
# Gzipped size of one group's bundle (level 9, before any minifier): a ceiling against
# regressions, not the budget of the offline form (see print_js.sizes).
GZIP_CEILING = 40 * 1024


def _catalog():
    return lienthong._catalog(lienthong.default_schemas_dir())


def _need_node() -> None:
    if shutil.which("node") is None:
        pytest.skip("node is missing (Node.js >= 18 is needed to build the browser print)")
    for package in ("ajv",):
        if not (ROOT / "node_modules" / package).is_dir():
            pytest.skip(f"node_modules/{package} is missing; run `npm ci`")


def _build(folder: Path, renderer: render_pdf.Renderer, groups: list[str]) -> dict[str, list]:
    from lienthong.offline.validator_js import build_validator

    out = {}
    for group in groups:
        validator, printer = folder / f"validator-{group}.js", folder / f"print-{group}.js"
        validator.write_text(build_validator(renderer.catalog, group), encoding="utf-8")
        printer.write_text(build_print(renderer.catalog, group, renderer), encoding="utf-8")
        out[group] = [str(validator), str(printer)]
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Any]:
    """The three groups' validator and print bundles, built once, SOURCE_DATE_EPOCH set."""
    _need_node()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        renderer = render_pdf.Renderer(base_url=BASE)
        bundles = _build(tmp_path_factory.mktemp("print"), renderer, GROUPS)
        yield {"renderer": renderer, "bundles": bundles}


def run_js(tmp_path: Path, **job: Any) -> dict[str, Any]:
    job_file, out_file = tmp_path / "job.json", tmp_path / "out.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    subprocess.run(["node", str(BATCH), str(job_file), str(out_file)], check=True, timeout=300)
    return json.loads(out_file.read_text(encoding="utf-8"))


def python_html(renderer: render_pdf.Renderer, group: str, record: Any) -> Any:
    return python_print(renderer, group, record)[0]


def python_print(renderer: render_pdf.Renderer, group: str, record: Any) -> tuple[Any, Any]:
    """(HTML, [{id, title, pages}] of the sheets), as printDocument and sheets give them."""
    try:
        sheets = renderer.group_sheets(group, record, allow_incomplete=True)
        html = renderer.html(sheets, renderer.group_title(group), inline_css=True)
        return html, [{"id": s.id, "title": s.title, "pages": s.pages} for s in sheets]
    except Exception as exc:  # compared as a disagreement, never hidden
        error = {"error": f"{type(exc).__name__}: {exc}"}
        return error, error


def js_record(value: Any) -> Any:
    """The record as the browser has it: JSON numbers are doubles, 2.0 is the integer 2."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else int(float(value))
    if isinstance(value, list):
        return [js_record(v) for v in value]
    if isinstance(value, dict):
        return {k: js_record(v) for k, v in value.items()}
    return value


# The record codes are drawn by each side's own encoder: PNG images from segno for WeasyPrint,
# SVG from the npm package lean-qr in the browser (and two encoders may pad a code differently,
# both valid). tests/recordcode decodes what each draws; the rest is compared byte for byte.
CODE_FIGURE = re.compile(r'<svg class="rc".*?</svg>|<img class="rc"[^>]*>')


def without_code_figures(html: Any) -> Any:
    return CODE_FIGURE.sub("<rc>", html) if isinstance(html, str) else html


def python_codes(renderer: render_pdf.Renderer, group: str, record: Any) -> list[str] | None:
    """The texts of the record's codes as Python prints them (None for the blank group)."""
    if record is None:
        return None
    try:
        return renderer.views.record_codes(group, record)
    except Exception:  # the HTML comparison then reports what Python made of the record
        return None


def _first_difference(py: Any, js: Any) -> str:
    if not (isinstance(py, str) and isinstance(js, str)):
        return f"python: {str(py)[:600]}\n  js: {str(js)[:600]}"
    i = next((i for i, (a, b) in enumerate(zip(py, js, strict=False)) if a != b), None)
    i = min(len(py), len(js)) if i is None else i
    return f"at {i}:\n  python: {py[i - 150 : i + 150]!r}\n  js:     {js[i - 150 : i + 150]!r}"


# ---------------------------------------------------------------- hypothesis-jsonschema records

SCHEMA_KEYWORDS = {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "pattern",
    "format",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
}


def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for key, value in b.items():
        if key not in out:
            out[key] = value
        elif key == "properties":
            props = dict(out[key])
            for name, sub in value.items():
                props[name] = _merge(props[name], sub) if name in props else sub
            out[key] = props
        elif key == "required":
            out[key] = list(dict.fromkeys(out[key] + value))
        elif key == "enum":
            out[key] = [v for v in out[key] if v in value]
        elif key in ("minLength", "minimum", "minItems"):
            out[key] = max(out[key], value)
        elif key in ("maxLength", "maximum", "maxItems"):
            out[key] = min(out[key], value)
        elif key == "items":
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def flat_schema(catalog, node: dict, base: str) -> dict:
    """The group schema with $ref and allOf merged in, conditionals and x-rules left out.

    hypothesis-jsonschema 0.23.1 takes minutes per record on the schemas as they are (it
    re-merges the if/then branches at every draw); this plain form draws in milliseconds.
    """
    out: dict = {}
    for key, value in node.items():
        if key == "properties":
            out[key] = {n: flat_schema(catalog, s, base) for n, s in value.items()}
        elif key == "items":
            out[key] = flat_schema(catalog, value, base)
        elif key in SCHEMA_KEYWORDS:
            out[key] = value
    for sub in node.get("allOf", []):
        out = _merge(out, flat_schema(catalog, sub, base))
    if "$ref" in node:
        doc, _, fragment = node["$ref"].partition("#")
        target = urljoin(base, doc) if doc else base
        resolved = catalog.registry.resolver(base_uri=target).lookup("#" + fragment)
        out = _merge(flat_schema(catalog, resolved.contents, target), out)
    return out


def _strategy(schema: dict, formats: dict):
    """Objects and arrays built here (fixed_dictionaries), leaves by hypothesis-jsonschema.

    (Its own object strategy calls Hypothesis internals that Hypothesis 6.170 removed.)
    """
    from hypothesis import strategies as st
    from hypothesis_jsonschema import from_schema

    if "properties" in schema or schema.get("type") == "object":
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: _strategy(v, formats) for k, v in props.items() if k in required},
            optional={k: _strategy(v, formats) for k, v in props.items() if k not in required},
        )
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return st.lists(
            _strategy(schema["items"], formats),
            min_size=schema.get("minItems", 0),
            max_size=min(schema.get("maxItems", 3), 3),
        )
    return from_schema(schema, custom_formats=formats)


def _consistent_places(value: Any) -> Any:
    """Put each drawn commune in its province (otherwise almost every record is invalid)."""
    if isinstance(value, dict):
        out = {k: _consistent_places(v) for k, v in value.items()}
        commune = units.communes().get(out.get("commune"))  # type: ignore[arg-type]
        if commune is not None and "province" in out:
            out["province"] = commune[1]
        return out
    if isinstance(value, list):
        return [_consistent_places(v) for v in value]
    return value


def _free_text(schema: dict, path: tuple = ()) -> list[tuple[tuple, dict]]:
    """(path, schema) of the free-text leaves: strings with no enum or format that no
    cross-field rule reads (identity numbers do), so an example mostly stays valid."""
    if "properties" in schema:
        return [leaf for k, v in schema["properties"].items() for leaf in _free_text(v, (*path, k))]
    plain = schema.get("type") == "string" and not {"enum", "const", "format"} & set(schema)
    return [(path, schema)] if plain and path[-1] not in IDENTITY_FIELDS else []


IDENTITY_FIELDS = {"personal_id", "number", "bhxh_number"}


def _replace(record: Any, changes: dict[tuple, str]) -> Any:
    record = copy.deepcopy(record)
    for path, value in changes.items():
        node = record
        for part in path[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and path[-1] in node:
            node[path[-1]] = value
    return record


def hypothesis_records(group: str, count: int) -> list[tuple[str, Any]]:
    """``count`` records drawn with hypothesis-jsonschema, deterministically, of two kinds.

    "hypothesis": drawn from the whole group schema (flat_schema): every field well-formed,
    but the conditionals and cross-field rules mostly broken. "hypothesis-valid": the group's
    examples with their free-text fields drawn from those fields' schemas (any script, NFD,
    odd spacing), kept only when Python finds them valid.
    """
    pytest.importorskip("hypothesis")
    pytest.importorskip("hypothesis_jsonschema")
    import warnings

    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    from hypothesis.errors import HypothesisWarning
    from hypothesis_jsonschema import from_schema

    catalog = _catalog()
    schema = catalog.schema(group)
    flat = flat_schema(catalog, schema, schema["$id"])
    dates = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))  # the age rule fails past 9993
    formats = {
        "date": dates.map(dt.date.isoformat),
        "partial-date": st.one_of(
            dates.map(dt.date.isoformat),
            dates.map(lambda d: d.isoformat()[:7]),
            st.integers(1800, 2100).map(str),
        ),
        "so-di-dong": st.sampled_from(["0912345678", "+84 98 765 4321", "032.123.4567"]),
        "email": st.sampled_from(["mai@example.com", "A.B@VI-DU.VN"]),
        "ma-xa": st.sampled_from(sorted(units.communes())),
    }

    def collect(strategy, n: int) -> list[Any]:
        out: list[Any] = []

        @settings(
            max_examples=n,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def draw(record):
            out.append(record)

        draw()
        return out

    check = validator_for(catalog, group)
    with warnings.catch_warnings():
        # "Overriding standard format 'date'": on purpose (the ranges Python can check).
        warnings.simplefilter("ignore", HypothesisWarning)
        shaped = collect(_strategy(flat, formats), count // 2)
        free = {path: from_schema(leaf, custom_formats=formats) for path, leaf in _free_text(flat)}
        valid_strategy = st.builds(
            _replace,
            st.sampled_from(schema["examples"]),
            st.fixed_dictionaries({}, optional=free),
        )
        valid = collect(valid_strategy, count - count // 2)
    drawn = [("hypothesis", _consistent_places(r)) for r in shaped]
    return drawn + [("hypothesis-valid", r) for r in valid if check.validate(r) == []]


# ---------------------------------------------------------------- parity


def _records(group: str, index: int) -> list[tuple[str, Any]]:
    from tests.offline.test_validator_js import RecordMaker

    catalog = _catalog()
    out: list[tuple[str, Any]] = [("blank", None)]
    out += [("example", r) for r in catalog.schema(group)["examples"]]
    out += [("case", c["record"]) for c in CASES if c["schema"] == group]
    out += hypothesis_records(group, HYPOTHESIS_RECORDS)
    maker = RecordMaker(catalog, group, random.Random(SEED + index))
    out += [("mutated", maker.make()) for _ in range(MUTATED_RECORDS)]
    return [(kind, js_record(json.loads(json.dumps(r)))) for kind, r in out]


def test_parity(built, tmp_path, capsys, monkeypatch):
    renderer = built["renderer"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    started = time.perf_counter()
    items: list[tuple[str, str, Any]] = []
    for index, group in enumerate(GROUPS):
        items += [(group, kind, record) for kind, record in _records(group, index)]
    generated = time.perf_counter() - started

    out = run_js(
        tmp_path,
        bundles=built["bundles"],
        records=[
            [group, record, python_codes(renderer, group, record)] for group, _, record in items
        ],
        sheets=[[group, record] for group, _, record in items],
    )
    js_time = time.perf_counter() - started - generated

    expected, expected_sheets = zip(
        *[python_print(renderer, group, record) for group, _, record in items], strict=True
    )
    py_time = time.perf_counter() - started - generated - js_time

    wrong = [
        (group, kind, record, py, js)
        for (group, kind, record), py, js in zip(items, expected, out["records"], strict=True)
        if not isinstance(py, str) or without_code_figures(py) != without_code_figures(js)
    ]
    with capsys.disabled():
        print(
            f"\nprint parity: {len(items)} records, generated {generated:.1f}s, "
            f"node {js_time:.1f}s ({out['ms'] / len(items):.1f} ms a document), "
            f"python {py_time:.1f}s"
        )
        for group in GROUPS:
            mine = [(k, r) for g, k, r in items if g == group]
            kinds = {
                k: sum(1 for kind, _ in mine if kind == k)
                for k in dict.fromkeys(k for k, _ in mine)
            }
            check = validator_for(renderer.catalog, group)
            valid = sum(1 for kind, r in mine if r is not None and check.validate(r) == [])
            bad = sum(1 for w in wrong if w[0] == group)
            print(f"  {group}: {kinds}, {valid} valid, {bad} disagreements")
    shown = "\n".join(
        f"{g} ({k}): {json.dumps(r, ensure_ascii=False)[:800]}\n  {_first_difference(py, js)}"
        for g, k, r, py, js in wrong[:3]
    )
    assert not wrong, f"{len(wrong)} disagreements:\n{shown}"
    assert list(expected_sheets) == out["sheets"]


@pytest.mark.parametrize("base", [None, "https://xa.example.vn/"])
def test_other_site_settings(tmp_path, monkeypatch, base):
    """QR targets without a site address (the portal, never a bare path), directory URLs and no
    SOURCE_DATE_EPOCH come from the renderer."""
    _need_node()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv(render_pdf.SITE_URL_ENV, raising=False)
    renderer = render_pdf.Renderer(base_url=base, directory_urls=True)
    group = "lien-thong-khai-tu"
    bundles = _build(tmp_path, renderer, [group])
    recs = [None, *renderer.catalog.schema(group)["examples"]]
    job = [[group, r, python_codes(renderer, group, r)] for r in recs]
    out = run_js(tmp_path, bundles=bundles, records=job)["records"]
    assert [without_code_figures(h) for h in out] == [
        without_code_figures(python_html(renderer, group, r)) for r in recs
    ]
    assert "dcterms.created" not in out[0]
    if base:
        assert f'Hướng dẫn, mẫu trống: <span class="url">{base}thu-tuc/khai-tu/' in out[0]
    else:
        assert 'Nộp hồ sơ trực tuyến: <span class="url">https://dichvucong.gov.vn<' in out[0]
        assert "thu-tuc/" not in out[0]


# Small pieces checked directly against Python: applies_if and str() of numbers.
APPLIES_CASES = [
    ({"const": False}, False),
    ({"const": False}, 0),
    ({"const": 1}, 1.0),
    ({"const": 1}, True),
    ({"const": "x"}, "x"),
    ({"const": {"a": [1, "b"]}}, {"a": [1, "b"]}),
    ({"const": {"a": [1, "b"]}}, {"a": [True, "b"]}),
    ({"enum": ["a", None]}, None),
    ({"enum": ["a", None]}, "b"),
    ({"required": ["a"]}, "not an object"),
    ({"required": ["a"]}, {}),
    ({"required": ["a"], "properties": {"a": {"const": "x"}}}, {"a": "x"}),
    ({"properties": {"a": {"const": "x"}}}, {"b": 1}),
    ({"properties": {"a": {"const": "x"}}}, {"a": "y"}),
    ({"properties": {"a": {"const": "x"}}}, ["a"]),
    ({"properties": {"a": {"properties": {"b": {"const": False}}}}}, {"a": {"b": False}}),
]
NUMBERS = [
    0.5,
    -2.5,
    1e-05,
    0.0001,
    1.5e-07,
    123456.789,
    1234567890123456.8,
    0.1 + 0.2,
    2**53,
    10**20,
    10**22,
    -7,
    7.25e-10,
]


def test_applies_and_numbers_match_python(tmp_path):
    _need_node()
    from lienthong.schema.check import applies

    calls = [["applies", [s, v]] for s, v in APPLIES_CASES]
    calls += [["numberText", [n]] for n in NUMBERS]
    got = run_js(tmp_path, views=str(FIELDS_JS), calls=calls)["calls"]
    expected = [applies(None, s, v) for s, v in APPLIES_CASES]
    expected += [str(n) for n in NUMBERS]
    assert got == expected


# ---------------------------------------------------------------- the build


def test_unsupported_applies_keyword_stops_the_build(tmp_path, monkeypatch):
    schemas = tmp_path / "schemas"
    shutil.copytree(lienthong.default_schemas_dir(), schemas)
    path = schemas / "khai-tu.schema.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["x-procedure"]["documents"][0]["applies_if"] = {"anyOf": [{"required": ["khai_tu"]}]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    renderer = render_pdf.Renderer(schemas_dir=schemas)
    with pytest.raises(PrintBuildError, match="anyOf"):
        build_print(load_catalog(schemas), "lien-thong-khai-tu", renderer)
    forms = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", forms)
    fields = forms / "mau-04-nd20" / "fields.yml"
    text = fields.read_text(encoding="utf-8")
    start, end = text.index("applies_if:"), text.index("fields:\n")
    fields.write_text(
        text[:start] + "applies_if: {not: {required: [ho_tro_mai_tang]}}\n" + text[end:],
        encoding="utf-8",
    )
    default = render_pdf.Renderer(forms_dir=forms)
    with pytest.raises(
        PrintBuildError, match=r"forms/mau-04-nd20/fields.yml#/applies_if/not.*'not'"
    ):
        build_print(default.catalog, "lien-thong-khai-tu", default)


@pytest.mark.parametrize("group", GROUPS)
def test_bundle_is_offline_and_inlinable(built, group, capsys):
    source = Path(built["bundles"][group][1]).read_text(encoding="utf-8")
    lower = source.lower()
    for pattern in ("fetch(", "xmlhttprequest", "importscripts", "import(", "<script", "</script"):
        assert pattern not in lower, pattern
    size = sizes(source)
    with capsys.disabled():
        print(f"\n{group}: {size}")
    assert size["gzip"] <= GZIP_CEILING


# ---------------------------------------------------------------- in Chromium

CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


@pytest.mark.browser
def test_browser_under_strict_csp(built, page, tmp_path):
    group = "lien-thong-khai-sinh"
    validator, printer = (Path(p).read_text(encoding="utf-8") for p in built["bundles"][group])
    html = tmp_path / "print.html"
    html.write_text(
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        "<title>in thử</title>"
        # A probe: under this CSP eval must be refused (Playwright's own evaluate bypasses it).
        "<script>window.evalAllowed = null;"
        "try { eval('1'); window.evalAllowed = true; } catch (e) { window.evalAllowed = e.name; }"
        f"</script><script>{validator}</script><script>{printer}</script></head>"
        "<body></body></html>",
        encoding="utf-8",
    )
    page.goto(html.as_uri())
    assert page.evaluate("() => window.evalAllowed") == "EvalError"
    assert page.evaluate("() => typeof window.lienthong.printDocument") == "function"
    renderer = built["renderer"]
    example = renderer.catalog.schema(group)["examples"][0]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        expected = [python_print(renderer, group, r) for r in (example, None)]
    # The browser's own codes (CompressionStream, under this CSP) carry the record back.
    codes, got = page.evaluate(
        """async (r) => {
             const codes = await window.lienthong.recordCodes(r);
             return [codes, [r, null].map((x) => [window.lienthong.printDocument(x, codes),
                                                  window.lienthong.printSheets(x)])];
           }""",
        example,
    )
    from lienthong.recordcode import codec

    assert codec.decode(codes, renderer.views.code_layout(group)) == example
    assert page.evaluate("(c) => window.lienthong.readRecordCodes(c)", codes) == example
    assert [[without_code_figures(h), s] for h, s in got] == [
        [without_code_figures(h), s] for h, s in expected
    ]
    got = [html for html, _ in got]
    assert got[0].count('<svg class="rc"') == len(codes)
    assert expected[0][0].count('<img class="rc"') == len(codes)
    # The document itself, written over the page (which keeps its CSP), renders cleanly.
    sheets = page.evaluate(
        """(html) => { document.open(); document.write(html); document.close();
                       return document.querySelectorAll("section.form").length; }""",
        got[0],
    )
    assert sheets == got[0].count('<section class="form')
    assert page.console_errors == []
    assert page.remote_requests == []
