"""Compile the print templates (Jinja2) to plain JavaScript functions, at build time.

The browser print must give the HTML that Jinja2 gives, byte for byte
(tests/offline/test_print_js.py). Instead of shipping a template engine to every phone, the
build reads each template with Jinja2's own parser (so whitespace control, ``trim_blocks`` and
``lstrip_blocks`` are already applied) and writes one JavaScript function per template. The
functions need ``assets/form/templates.js``, a small runtime that reproduces what Jinja2 does
at run time: markupsafe's escaping and ``Markup``, Python's ``str()`` and truth, strict
undefined values, ``loop``, macros, ``import`` and ``include``.

Only the subset of Jinja2 that the print templates use is compiled; anything else stops the
build with the template's name and line, so a publisher's template never prints differently
in the browser without anyone knowing (``SUPPORTED`` lists it; forms/README.md says it in
Vietnamese).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from jinja2 import TemplateSyntaxError, nodes

from lienthong.errors import LienThongError

if TYPE_CHECKING:
    from jinja2 import Environment

FILTERS = {"safe", "marks", "max", "length"}
DICT_METHODS = set(dir(dict))
TESTS = {"none"}
COMPARE = {"eq": "eq", "ne": "ne", "lt": "lt", "gt": "gt", "lteq": "le", "gteq": "ge"}
BINARY = {nodes.Add: "add", nodes.Sub: "sub"}
SUPPORTED = (
    "text and {{ }}; if/else (elif); for (one name or a list of names, loop.index, loop.index0, "
    "loop.first, loop.last, loop.length); set, and set … endset; macro with positional "
    "arguments and defaults; import … as; include; filters " + ", ".join(sorted(FILTERS)) + "; "
    "test none; == != < > <= >=; + -; ~; not, and, or; a if b else c; range()"
)


class TemplateCompileError(LienThongError):
    pass


def _str(value: str) -> str:
    """A JavaScript string literal that is also safe inside <script>."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("</", "<\\/")
        .replace("<!--", "<\\!--")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class _Compiler:
    def __init__(self, name: str):
        self.name = name
        self.depth = 0  # scope variables are s0, s1, ... by nesting

    def fail(self, node: nodes.Node, what: str) -> TemplateCompileError:
        return TemplateCompileError(
            f"{self.name}, dòng {node.lineno}: bản in trên trình duyệt chưa dịch được {what}. "
            f"Mẫu in chỉ được dùng: {SUPPORTED}."
        )

    @property
    def s(self) -> str:
        return f"s{self.depth}"

    # -- statements ----------------------------------------------------------------------

    def body(self, items: list[nodes.Node]) -> str:
        return "".join(self.stmt(n) for n in items)

    def stmt(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Output):
            return "".join(
                f"o += {_str(c.data)};\n"
                if isinstance(c, nodes.TemplateData)
                else f"o += R.o({self.expr(c)});\n"
                for c in node.nodes
            )
        if isinstance(node, nodes.If):
            code = f"if (R.t({self.expr(node.test)})) {{\n{self.body(node.body)}}}"
            for alt in node.elif_:
                code += f" else if (R.t({self.expr(alt.test)})) {{\n{self.body(alt.body)}}}"
            if node.else_:
                code += f" else {{\n{self.body(node.else_)}}}"
            return code + "\n"
        if isinstance(node, nodes.For):
            return self.for_(node)
        if isinstance(node, nodes.Assign):
            if not isinstance(node.target, nodes.Name):
                raise self.fail(node, "set với nhiều tên")
            return f"{self.s}[{_str(node.target.name)}] = {self.expr(node.node)};\n"
        if isinstance(node, nodes.AssignBlock):
            if not isinstance(node.target, nodes.Name) or node.filter is not None:
                raise self.fail(node, "set … endset với bộ lọc")
            inner = self.body(node.body)
            return (
                f"{self.s}[{_str(node.target.name)}] = R.safe((function () {{\n"
                f'var o = "";\n{inner}return o;\n}})());\n'
            )
        if isinstance(node, nodes.Macro):
            return self.macro(node)
        if isinstance(node, nodes.Import):
            if node.with_context:
                raise self.fail(node, "import … with context")
            return f"{self.s}[{_str(node.target)}] = R.load({self.expr(node.template)});\n"
        if isinstance(node, nodes.Include):
            if node.ignore_missing or not node.with_context:
                raise self.fail(node, "include ignore missing / without context")
            return f"o += R.include({self.expr(node.template)}, {self.s});\n"
        raise self.fail(node, f"câu lệnh {type(node).__name__}")

    def for_(self, node: nodes.For) -> str:
        if node.else_ or node.test is not None or node.recursive:
            raise self.fail(node, "for … else, for … if hay for recursive")
        outer = self.s
        items = self.expr(node.iter)  # read before the loop's own names exist
        self.depth += 1
        inner = self.s
        target = node.target
        if isinstance(target, nodes.Name):
            bind = f"{inner}[{_str(target.name)}] = item;\n"
        elif isinstance(target, nodes.Tuple) and all(
            isinstance(t, nodes.Name) for t in target.items
        ):
            names = [t.name for t in target.items]  # type: ignore[attr-defined]
            bind = f"R.unpack(item, {len(names)});\n" + "".join(
                f"{inner}[{_str(n)}] = item[{i}];\n" for i, n in enumerate(names)
            )
        else:
            raise self.fail(node, "for với tên phức tạp")
        code = (
            f"R.each({items}, function (item, loop) {{\n"
            f"var {inner} = Object.create({outer});\n{inner}.loop = loop;\n"
            f"{bind}{self.body(node.body)}}});\n"
        )
        self.depth -= 1
        return code

    def macro(self, node: nodes.Macro) -> str:
        outer = self.s
        self.depth += 1
        inner = self.s
        names = [a.name for a in node.args]
        first_default = len(names) - len(node.defaults)
        binds = []
        for i, name in enumerate(names):
            if i >= first_default:
                default = self.expr(node.defaults[i - first_default])
                value = f"args.length > {i} ? args[{i}] : {default}"
            else:
                value = f"args.length > {i} ? args[{i}] : R.U"
            binds.append(f"{inner}[{_str(name)}] = {value};\n")
        for n in node.find_all(nodes.Name):
            if n.name in ("caller", "varargs", "kwargs"):
                raise self.fail(node, f"'{n.name}' trong macro")
        body = self.body(node.body)
        self.depth -= 1
        return (
            f"{outer}[{_str(node.name)}] = R.macro({_str(node.name)}, {len(names)}, "
            f'function (args) {{\nvar {inner} = Object.create({outer});\nvar o = "";\n'
            f"{''.join(binds)}{body}return o;\n}});\n"
        )

    # -- expressions ---------------------------------------------------------------------

    def expr(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Const):
            value = node.value
            if value is None or isinstance(value, (bool, str)):
                return _str(value) if isinstance(value, str) else json.dumps(value)
            if isinstance(value, int):
                return str(value)
            raise self.fail(node, f"hằng số {value!r}")
        if isinstance(node, nodes.Name):
            return f"R.n({self.s}, {_str(node.name)})"
        if isinstance(node, nodes.Getattr):
            if node.attr in DICT_METHODS:
                # Jinja2 gives the dict's method, not the key: v.items is dict.items.
                raise self.fail(node, f'.{node.attr} (viết v["{node.attr}"] để lấy khóa này)')
            return f"R.a({self.expr(node.node)}, {_str(node.attr)})"
        if isinstance(node, nodes.Getitem):
            return f"R.a({self.expr(node.node)}, {self.expr(node.arg)})"
        if isinstance(node, (nodes.List, nodes.Tuple)):
            return "[" + ", ".join(self.expr(i) for i in node.items) + "]"
        if isinstance(node, nodes.Call):
            if node.kwargs or node.dyn_args or node.dyn_kwargs:
                raise self.fail(node, "lời gọi có tham số đặt tên")
            args = ", ".join(self.expr(a) for a in node.args)
            return f"R.call({self.expr(node.node)}, [{args}])"
        if isinstance(node, nodes.Filter):
            if node.name not in FILTERS or node.args or node.kwargs or node.node is None:
                raise self.fail(node, f"bộ lọc '{node.name}'")
            return f"R.f.{node.name}({self.expr(node.node)})"
        if isinstance(node, nodes.Test):
            if node.name not in TESTS or node.args or node.kwargs:
                raise self.fail(node, f"phép thử '{node.name}'")
            return f"R.is_{node.name}({self.expr(node.node)})"
        if isinstance(node, nodes.Compare):
            code = self.expr(node.expr)
            if len(node.ops) != 1 or node.ops[0].op not in COMPARE:
                raise self.fail(node, "phép so sánh này")
            op = node.ops[0]
            return f"R.{COMPARE[op.op]}({code}, {self.expr(op.expr)})"
        if type(node) in BINARY:
            return f"R.{BINARY[type(node)]}({self.expr(node.left)}, {self.expr(node.right)})"  # type: ignore[attr-defined]
        if isinstance(node, nodes.Concat):
            return "R.cat([" + ", ".join(self.expr(n) for n in node.nodes) + "])"
        if isinstance(node, nodes.CondExpr):
            other = self.expr(node.expr2) if node.expr2 is not None else "R.U"
            return f"(R.t({self.expr(node.test)}) ? {self.expr(node.expr1)} : {other})"
        if isinstance(node, nodes.Not):
            return f"!R.t({self.expr(node.node)})"
        if isinstance(node, nodes.And):
            return (
                f"R.and({self.expr(node.left)}, function () {{ return {self.expr(node.right)}; }})"
            )
        if isinstance(node, nodes.Or):
            return (
                f"R.or({self.expr(node.left)}, function () {{ return {self.expr(node.right)}; }})"
            )
        raise self.fail(node, f"biểu thức {type(node).__name__}")


def compile_template(env: Environment, name: str) -> str:
    """One template as a JavaScript function ``(scope, R) -> [html, scope]``."""
    source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    try:
        tree = env.parse(source, name)
    except TemplateSyntaxError as exc:
        raise TemplateCompileError(f"{name}, dòng {exc.lineno}: {exc.message}") from None
    body = _Compiler(name).body(tree.body)
    return f'function (s0, R) {{\nvar o = "";\n{body}return [o, s0];\n}}'


def compile_templates(env: Environment, names: list[str]) -> str:
    """A JavaScript object literal ``{name: function}`` of the templates named."""
    entries = [f"{_str(n)}: {compile_template(env, n)}" for n in names]
    return "{\n" + ",\n".join(entries) + "\n}"
