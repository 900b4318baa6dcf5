"""The package's layout (issue 13): a folder per stage, imports flowing one way."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"
STAGES = {
    "schema",
    "inputs",
    "site",
    "printing",
    "recordcode",
    "forms",
    "offline",
    "packs",
    "bench",
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(["lienthong", *parts])] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every lienthong module ``path`` imports, at the top or inside a function."""
    deps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lienthong"):
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                deps.add(name if name in modules else node.module)
        elif isinstance(node, ast.Import):
            deps |= {a.name for a in node.names if a.name.startswith("lienthong.")}
    return {d for d in deps if d in modules and d != "lienthong"}


def test_every_module_is_in_a_stage_folder() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "cli", "errors"}
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()} == STAGES


def test_no_import_cycles() -> None:
    """Lazy imports count too: a cycle through a function is still a knot to untie."""
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    cycles = []
    for start in graph:
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(" -> ".join([*trail, start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
    assert cycles == []


def test_tests_mirror_the_stages() -> None:
    folders = {p.name for p in (ROOT / "tests").iterdir() if (p / "__init__.py").is_file()}
    assert folders >= STAGES - {"bench"}
