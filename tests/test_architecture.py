"""The architecture holds: layers import only downwards, no import cycle, small functions and
modules, every third-party import declared. (CONTRIBUTING.md describes the layers.)"""

from __future__ import annotations

import ast
import importlib.metadata
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "casefile"
# Data flows down this list; a module imports only from its own layer or the layers below.
LAYERS = ("core", "case", "protection", "evidence", "dossier", "filing", "repository", "api|cli")
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 500


def layer_of(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return -1  # the package itself (__version__)
    top = parts[1]
    for index, names in enumerate(LAYERS):
        if top in names.split("|"):
            return index
    if top == "__main__":
        return len(LAYERS)
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS and CONTRIBUTING.md")


@pytest.fixture(scope="module")
def graph():
    import grimp

    return grimp.build_graph("casefile", include_external_packages=False)


def imports(graph) -> list[tuple[str, str]]:
    return [(importer, imported) for importer in sorted(graph.modules)
            for imported in sorted(graph.find_modules_directly_imported_by(importer))]


def test_layers_import_only_downwards(graph):
    wrong = [f"{a} -> {b}" for a, b in imports(graph) if layer_of(b) > layer_of(a)]
    assert wrong == []


def test_nothing_imports_the_api_or_the_command_line(graph):
    wrong = [f"{a} -> {b}" for a, b in imports(graph)
             if b in ("casefile.api", "casefile.cli")
             and not (a == "casefile.__main__" or a == "casefile.cli" or a.startswith("casefile.cli."))]
    assert wrong == []


def strongly_connected(nodes: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the graph has a few hundred nodes)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
    return found


def test_no_import_cycle(graph):
    """Lazy imports inside functions count: a cycle hidden in a function is still a cycle.
    A package's __init__ importing its own modules is not an edge back (grimp reports the
    module importing the package as importing its __init__ only)."""
    edges: dict[str, set[str]] = {}
    for a, b in imports(graph):
        edges.setdefault(a, set()).add(b)
    cycles = [c for c in strongly_connected(sorted(graph.modules), edges) if len(c) > 1]
    assert cycles == []


def test_the_cycle_check_can_fail():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [c for c in strongly_connected(["a", "b", "c", "d"], edges) if len(c) > 1] == [["a", "b", "c"]]


def python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_over_500_lines():
    long = {p.relative_to(ROOT).as_posix(): n for p in python_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_over_80_lines():
    long = {}
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT).as_posix()}:{node.lineno} {node.name}"] = lines
    assert long == {}


def declared_distributions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = list(project["dependencies"]) + [d for extra in project["optional-dependencies"].values() for d in extra]
    return {_normalise(n.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].split("~")[0])
            for n in names}


def _normalise(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(".", "-")


def test_every_third_party_import_is_declared():
    """An import that works only because another package brought it along (Pillow through
    WeasyPrint, say) breaks when that package changes: every one is declared in pyproject.toml."""
    provided = importlib.metadata.packages_distributions()
    used: set[str] = set()
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                used.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                used.add(node.module.split(".")[0])
    # _typeshed: the standard library's type stubs, imported for type checking only
        third_party = {name for name in used
                       if name not in sys.stdlib_module_names and name not in ("casefile", "_typeshed")}
    declared = declared_distributions()
    undeclared = {name: provided.get(name) for name in sorted(third_party)
                  if not {_normalise(d) for d in provided.get(name, [name])} & declared}
    assert undeclared == {}
