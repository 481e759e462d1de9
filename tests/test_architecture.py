"""The layout's rules, read from the source: streamlit only in core's adapter, no SQL in pages, and no two core
modules importing each other (directly or round a longer cycle)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADAPTER = {"core.adapter.session", "core.adapter.ui"}  # where core meets streamlit
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b[\s\S]*\b(FROM|INTO|TABLE|SET|VIEW)\b")
QUERY_CALLS = {"execute", "executemany", "sql", "query", "fetchall", "fetchone", "fetchdf", "df"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def core_modules() -> dict[str, ast.Module]:
    return {module_name(p): ast.parse(p.read_text(), str(p)) for p in sorted((ROOT / "core").rglob("*.py"))}


def imported(tree: ast.Module, name: str) -> set[str]:
    """Every module an import statement anywhere in `tree` names (a `from core import x` names core.x)."""
    found = set()
    package = name if name.endswith("__init__") else name.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).strip(".")
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def test_only_the_adapter_imports_streamlit():
    offenders = [
        name
        for name, tree in core_modules().items()
        if name not in ADAPTER and any(m == "streamlit" or m.startswith("streamlit.") for m in imported(tree, name))
    ]
    assert offenders == []


def test_no_page_runs_sql():
    offenders = []
    for path in sorted((ROOT / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in QUERY_CALLS:
                offenders.append(f"{path.name}:{node.lineno} calls .{node.func.attr}()")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                offenders.append(f"{path.name}:{node.lineno} holds SQL")
    assert offenders == []


def import_cycles(graph: dict[str, set[str]]) -> list[str]:
    """Each cycle of the import graph once, from its smallest module: 'a → b → a'."""
    cycles = []
    for start in graph:
        path, seen = [start], {start}
        stack = [iter(sorted(graph[start]))]
        while stack:
            following = next(stack[-1], None)
            if following is None:
                stack.pop()
                seen.discard(path.pop())
            elif following == start:
                cycles.append(" → ".join([*path, start]))
            elif following not in seen and following > start:
                path.append(following)
                seen.add(following)
                stack.append(iter(sorted(graph.get(following, ()))))
    return cycles


def test_no_two_core_modules_import_each_other():
    modules = core_modules()
    graph = {name: {m for m in imported(tree, name) if m in modules and m != name} for name, tree in modules.items()}
    assert sum(map(len, graph.values())) > 100  # the graph was read: core's modules do import one another
    assert "core.imports.plan" in graph["core.ingest"]
    assert import_cycles(graph) == []


def test_the_rules_catch_what_they_forbid():
    page = ast.parse('con.execute("SELECT count(*) FROM leads")')
    assert [n.func.attr for n in ast.walk(page) if isinstance(n, ast.Call)] == ["execute"]
    assert SQL.search("SELECT count(*) FROM leads") and not SQL.search("Select a metric from the list")
    tree = ast.parse("from core import engine\nimport streamlit as st\nfrom .plan import LoadPlan")
    assert imported(tree, "core.imports.load") >= {"core.engine", "streamlit", "core.imports.plan"}
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a → b → c → a"]
    assert import_cycles({"a": {"b"}, "b": set()}) == []
