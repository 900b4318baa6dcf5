"""The print templates compiled to JavaScript (generator/offline/jinja_js.py) print what Jinja2
prints, edge cases included, and anything outside the subset is refused with its line."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined
from markupsafe import Markup

from lienthong.offline.jinja_js import TemplateCompileError, compile_templates
from lienthong.printing.render_pdf import marks

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "generator" / "assets" / "form" / "templates.js"

MACROS = """{% macro v(value) %}{% if value is not none %}{{ value }}{% endif %}{% endmacro %}
{% macro field(label, value, lines=2) -%}
<p>{{ label | marks }}: {{ v(value) }}</p>
{%- if value is none %}{% for _ in range(lines - 1) %}
<p class="blank"></p>
{%- endfor %}{% endif %}
{%- endmacro %}
"""

PAGE = """{% import "m.j2" as m %}
{{ m.field("Họ tên (1)", name) }}
{{ m.field("Nơi ở", none, 3) }}
{%- for label, value, width in pairs %}
<span{% if width %} style="min-width: {{ width }}"{% endif %}>{{ loop.index }}/{{ loop.length }} {{ label }}={{ value }}</span>
{%- endfor %}
{% set block %}<b>{{ name }}</b>{% endset %}{{ block | safe }} {{ block ~ "<i>" }} {{ "a" ~ 1 ~ none }}
{{ "có" if items else "không" }} {{ "có" if mapping else "không" }} {{ "x" if not empty else "y" }}
{% if count == 3 %}ba{% elif count > 3 %}nhiều{% else %}ít{% endif %} {{ [1, 4, 2] | max }} {{ items | length }}
{{ data["items"] }} {{ true }} {{ none }} {{ 7 - 2 }} {{ html }} {{ safe_html }}
{%- set v = sub %}{% include "part.j2" %}
{{ (flag and "và") or "hoặc" }}"""

PART = """
<div>{{ v.title }}{% for x in v.rows %}{{ x }}{% endfor %}</div>"""


def env(templates: dict[str, str]) -> Environment:
    e = Environment(
        loader=DictLoader(templates),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    e.filters["marks"] = marks
    return e


def run_node(templates: dict[str, str], name: str, context: dict) -> str:
    code = compile_templates(env(templates), list(templates))
    script = (
        f"const T = require({json.dumps(str(RUNTIME))}).createTemplates({code});\n"
        "const ctx = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
        "ctx.safe_html = new T.Safe(ctx.safe_html);\n"
        f"process.stdout.write(T.render({json.dumps(name)}, ctx));\n"
    )
    done = subprocess.run(
        ["node", "-e", script], input=json.dumps(context), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


CONTEXT = {
    "name": 'Nguyễn "An" <b>&',
    "pairs": [["Ngày", "01/02", "20mm"], ["Nơi", "Hà Nội", None]],
    "items": [],
    "mapping": {},
    "empty": "",
    "count": 4,
    "data": {"items": "khóa items"},
    "html": "<script>x</script>",
    "safe_html": "<em>đã an toàn</em>",
    "sub": {"title": "Tờ 'một'", "rows": [1]},
    "flag": False,
    "true": True,
}


@pytest.mark.skipif(shutil.which("node") is None, reason="node is missing")
def test_compiled_templates_print_what_jinja2_prints() -> None:
    templates = {"m.j2": MACROS, "page.j2": PAGE, "part.j2": PART}
    context = dict(CONTEXT)
    python = (
        env(templates)
        .get_template("page.j2")
        .render(**{**context, "safe_html": Markup(context["safe_html"])})
    )
    assert "&#34;An&#34;" in python and "<em>đã an toàn</em>" in python  # the cases are hit
    assert run_node(templates, "page.j2", context) == python


@pytest.mark.skipif(shutil.which("node") is None, reason="node is missing")
def test_an_undefined_value_is_an_error_as_in_jinja2() -> None:
    templates = {"t.j2": "{{ v.missing }}"}
    code = compile_templates(env(templates), ["t.j2"])
    script = (
        f"const T = require({json.dumps(str(RUNTIME))}).createTemplates({code});\n"
        "try { T.render('t.j2', {v: {}}); console.log('printed'); } catch (e) { console.log(e.message); }"
    )
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True).stdout
    assert "giá trị không có" in out


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("<p>\n{% for x in xs %}{{ x }}{% else %}-{% endfor %}</p>", "dòng 2: .*for … else"),
        ("{{ items | join(', ') }}", "dòng 1: .*bộ lọc 'join'"),
        ("{{ v.items }}", 'dòng 1: .*v\\["items"\\]'),
        ("{% with a = 1 %}{{ a }}{% endwith %}", "dòng 1: .*câu lệnh With"),
        ("{{ m(a=1) }}", "dòng 1: .*tham số đặt tên"),
        ("{{ x is defined }}", "dòng 1: .*phép thử 'defined'"),
        ("{{ 1.5 }}", "dòng 1: .*hằng số 1.5"),
        ("\n\n{% if a %}", "dòng 3: Unexpected end of template"),
    ],
)
def test_jinja2_beyond_the_subset_is_refused_with_its_line(source: str, what: str) -> None:
    with pytest.raises(TemplateCompileError, match=rf"^t\.j2(, |: ){what}"):
        compile_templates(env({"t.j2": source}), ["t.j2"])
