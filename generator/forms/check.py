"""`lienthong check` for the forms: every fields file against the schemas and its templates.

For each form a procedure lists (and the checklist), the problems name the file and the JSON
pointer (or the template line) of:

- a fields file that is missing, is not safe YAML or breaks the meta-schema (spec.py);
- a pointer (``from``, ``each``, a condition's ``field``) that no schema of the groups printing
  the form has, a ``procedure`` that none of them has, a ``section`` that none has;
- a template variable (``v.child.name``) that the fields file never sets;
- a field that no template of the form's folder prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import Environment, nodes
from jinja2.exceptions import TemplateSyntaxError

from lienthong.errors import Problem
from lienthong.forms.formatters import STRUCTURED
from lienthong.forms.labels import expressions
from lienthong.forms.readme import readme_problems
from lienthong.forms.spec import CHECKLIST, FieldsInvalid, FormSpec, read_fields
from lienthong.schema.catalog import Catalog
from lienthong.schema.validation import validator_for

ITEM = "[]"  # a path step into the items of a list


def check_forms(catalog: Catalog, forms_dir: Path) -> list[Problem]:
    """Every problem of every form the catalog prints, and of the checklist."""
    from lienthong.printing.sheets import catalog_forms, groups_with_form

    problems: list[Problem] = []
    forms = catalog_forms(catalog)
    for form_id in [*forms, CHECKLIST]:
        try:
            spec = read_fields(catalog, forms_dir, form_id)
        except FieldsInvalid as exc:
            problems += exc.problems
            continue
        groups = (
            list(catalog.groups) if form_id == CHECKLIST else groups_with_form(catalog, form_id)
        )
        problems += pointer_problems(catalog, spec, groups)
        folder = Path(forms_dir) / form_id
        templates = sorted(folder.glob("*.j2"))
        problems += template_problems(spec, templates, Path(forms_dir))
        readme = f"{Path(forms_dir).name}/{form_id}/README.md"
        problems += readme_problems(spec, folder, readme)
    return problems


# -- pointers ------------------------------------------------------------------------------------


def pointer_problems(catalog: Catalog, spec: FormSpec, groups: list[str]) -> list[Problem]:
    """Pointers, procedures and sections that no group printing the form has."""
    validators = [validator_for(catalog, g) for g in groups]
    procedures = {p["id"] for g in groups for p in catalog.groups[g]["procedures"]}
    sections = {s for g in groups for s in catalog.schemas[g].get("properties", {})}
    names = ", ".join(groups) or "(không nhóm nào dùng tờ khai này)"
    out: list[Problem] = []

    def known(ptr: str) -> bool:
        parts = ["0" if p == "*" else p for p in ptr.split("/")[1:]]
        return any(v.field_chain(parts) for v in validators)

    for at, key, value in _references(spec):
        where = _where(spec, at + "/" + key)
        if key in ("from", "each", "field") and not known(value):
            out.append(Problem(*where, f"không có trường '{value}' trong schema của nhóm {names}."))
        elif key == "procedure" and value not in procedures:
            known_ids = ", ".join(sorted(procedures))
            out.append(
                Problem(*where, f"không có thủ tục '{value}' trong nhóm {names} ({known_ids}).")
            )
        elif key == "section" and value not in sections:
            out.append(Problem(*where, f"schema của nhóm {names} không có mục '{value}'."))
    return out


def _references(spec: FormSpec) -> Iterator[tuple[str, str, str]]:
    """(pointer in the file, key, value) of every pointer, procedure and section named."""
    for at, expr in expressions(spec.fields):
        for key in ("from", "each"):
            if key in expr:
                yield at, key, expr[key]
        if "when" in expr:
            yield from _conditions(expr["when"], at + "/when")


def _conditions(cond: dict[str, Any], at: str) -> Iterator[tuple[str, str, str]]:
    for key in ("all", "any"):
        for i, sub in enumerate(cond.get(key, [])):
            yield from _conditions(sub, f"{at}/{key}/{i}")
    if "not" in cond:
        yield from _conditions(cond["not"], at + "/not")
    for key in ("field", "procedure", "section"):
        if key in cond:
            yield at, key, cond[key]


def _where(spec: FormSpec, ptr: str) -> tuple[str, str]:
    line = spec.line(ptr)
    return (f"{spec.file}, dòng {line}" if line else spec.file), ptr


# -- templates -----------------------------------------------------------------------------------


def _tree(fields: dict[str, Any], prefix: tuple = ()) -> dict[tuple, tuple[str, dict]]:
    """{path: (kind, expression)} of every name a fields mapping gives the template; kind is
    "group", "list" or "value"."""
    out: dict[tuple, tuple[str, dict]] = {}
    for name, expr in fields.items():
        path = (*prefix, name)
        if "each" in expr:
            out[path] = ("list", expr)
            out.update(_tree(expr["fields"], (*path, ITEM)))
        elif "fields" in expr:
            out[path] = ("group", expr)
            out.update(_tree(expr["fields"], path))
        else:
            out[path] = ("value", expr)
    return out


def _field_pointer(spec: FormSpec, path: tuple) -> str:
    ptr = "/fields"
    for i, step in enumerate(path):
        if step == ITEM:
            continue
        ptr += f"/{step}"
        if i + 1 < len(path):
            ptr += "/fields"
    return ptr


def template_reads(source: str, name: str) -> list[tuple[tuple, int]]:
    """(path under ``v``, line) of every read of the view in a template's source."""
    env = Environment(trim_blocks=True, lstrip_blocks=True)
    tree = env.parse(source, name=name)
    reads: list[tuple[tuple, int]] = []
    _visit(tree, {"v": [()]}, reads)
    return reads


def _paths(node: nodes.Node, aliases: dict[str, list[tuple]]) -> list[tuple]:
    if isinstance(node, nodes.Name):
        return aliases.get(node.name, [])
    if isinstance(node, nodes.Getattr):
        return [(*p, node.attr) for p in _paths(node.node, aliases)]
    if isinstance(node, nodes.Getitem):
        key = node.arg.value if isinstance(node.arg, nodes.Const) else None
        step = key if isinstance(key, str) else ITEM
        return [(*p, step) for p in _paths(node.node, aliases)]
    return []


def _visit(node: nodes.Node, aliases: dict[str, list[tuple]], reads: list) -> None:
    if isinstance(node, nodes.For):
        _visit(node.iter, aliases, reads)
        inner = dict(aliases)
        inner.update(_loop_aliases(node.target, node.iter, aliases))
        for child in [*node.body, *node.else_]:
            _visit(child, inner, reads)
        if node.test is not None:
            _visit(node.test, inner, reads)
        return
    if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
        _visit(node.node, aliases, reads)
        aliases[node.target.name] = _paths(node.node, aliases)
        return
    if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
        found = _paths(node, aliases)
        if found:
            reads += [(p, node.lineno) for p in found]
            if isinstance(node, nodes.Getitem):
                _visit(node.arg, aliases, reads)
            return
    for child in node.iter_child_nodes():
        _visit(child, aliases, reads)


def _loop_aliases(target: nodes.Node, it: nodes.Node, aliases) -> dict[str, list[tuple]]:
    """Names a ``for`` binds to view paths: ``for p in v.members`` (an item of the list) and
    ``for who, p in [["mẹ", v.mother], ["cha", v.father]]`` (each row's column)."""
    if isinstance(target, nodes.Name):
        return {target.name: [(*p, ITEM) for p in _paths(it, aliases)]}
    if isinstance(target, nodes.Tuple) and isinstance(it, nodes.List | nodes.Tuple):
        out: dict[str, list[tuple]] = {}
        for row in it.items:
            if not isinstance(row, nodes.List | nodes.Tuple):
                continue
            for name, cell in zip(target.items, row.items, strict=False):
                if isinstance(name, nodes.Name):
                    out.setdefault(name.name, []).extend(_paths(cell, aliases))
        return out
    return {}


def template_problems(spec: FormSpec, templates: list[Path], forms_dir: Path) -> list[Problem]:
    """Template reads the fields never set, and fields no template prints."""
    tree = _tree(spec.fields)
    context = set(spec.context)
    printed: set[tuple] = set()
    out: list[Problem] = []
    for path in templates:
        display = f"{forms_dir.name}/{path.relative_to(forms_dir).as_posix()}"
        try:
            reads = template_reads(path.read_text(encoding="utf-8"), display)
        except (OSError, UnicodeDecodeError, TemplateSyntaxError) as exc:
            line = getattr(exc, "lineno", None)
            where = f"{display}, dòng {line}" if line else display
            out.append(
                Problem(where, "", f"không đọc được mẫu in: {getattr(exc, 'message', exc)}.")
            )
            continue
        for read, line in reads:
            if not read or read[0] in context:
                continue
            problem = _unset(tree, read)
            if problem:
                name = "v." + ".".join(s for s in read if s != ITEM)
                out.append(
                    Problem(
                        f"{display}, dòng {line}",
                        "",
                        f"mẫu in đọc {name} nhưng {spec.file} {problem}.",
                    )
                )
            printed.add(read)
    for path, (kind, _) in tree.items():
        if kind == "value" and not any(r[: len(path)] == path for r in printed):
            ptr = _field_pointer(spec, path)
            line = spec.line(ptr)
            where = f"{spec.file}, dòng {line}" if line else spec.file
            out.append(
                Problem(
                    where, ptr, "không mẫu in nào của tờ khai in trường này; bỏ nó đi, hoặc in nó."
                )
            )
    return out


def _unset(tree: dict[tuple, tuple[str, dict]], read: tuple) -> str | None:
    """Why ``read`` is not something the fields set (None when it is)."""
    for n in range(len(read), 0, -1):
        head = read[:n]
        if head not in tree:
            continue
        kind, expr = tree[head]
        rest = read[n:]
        if not rest or kind != "value":
            return None if not rest else "không khai báo trường này"
        allowed = STRUCTURED.get(expr.get("as", "text"), frozenset())
        if expr.get("as", "text") in STRUCTURED and (allowed is None or rest[0] in allowed):
            return None
        return f"khai báo '{'.'.join(head)}' là một giá trị ({expr.get('as', 'text')}), không có '{rest[0]}'"
    return "không khai báo trường này"
