"""The package's shape, read from its source: imports form no cycle, no module imports another's
underscore names, modules stay under 400 lines and functions under 60 (six older ones may only shrink),
and only devtools import dev-only packages."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "pipeline"
MAX_LINES = 400


def _modules(package: Path = PACKAGE) -> dict[str, Path]:
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, str | None]]:
    """(module imported, name taken from it or None) for every import of the package, lazy ones too."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, None) for a in node.names if a.name.split(".")[0] == "pipeline"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            if base.split(".")[0] != "pipeline":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.append((sub, None) if sub in modules else (base, alias.name))
    return out


def import_graph(package: Path = PACKAGE) -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    """The module graph, and every (importer, module, name) that takes an underscore name."""
    modules = _modules(package)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    private = []
    for name, path in modules.items():
        for target, taken in _imports(name, path, modules):
            if target in modules and target != name:
                graph[name].add(target)
            if taken and taken.startswith("_") and not (taken.startswith("__") and taken.endswith("__")):
                private.append((name, target, taken))
    return graph, private


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_imports_form_no_cycle():
    graph, _ = import_graph()
    assert len(graph) > 40 and graph["pipeline.cli"]
    assert cycles(graph) == []


def test_no_module_imports_another_modules_underscore_names():
    _, private = import_graph()
    assert private == []


def test_modules_stay_small():
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules().values()}
    over = {m: n for m, n in sizes.items() if n > MAX_LINES}
    assert over == {}, f"over {MAX_LINES} lines: {over}"


def test_the_walk_finds_a_cycle_and_a_private_import(tmp_path):
    pkg = tmp_path / "pipeline"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import _helper\n")
    (pkg / "b.py").write_text("def f():\n    from . import a\n")
    graph, private = import_graph(pkg)
    assert cycles(graph) == [["pipeline.a", "pipeline.b"]]
    assert private == [("pipeline.a", "pipeline.b", "_helper")]


def _dev_only_packages() -> set[str]:
    """The import names of the `dev` extra's packages that the runtime does not also require."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name = lambda spec: re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0].lower()  # noqa: E731
    runtime = {name(s) for s in project["dependencies"]} | {name(s) for k, v in project["optional-dependencies"].items()
                                                             if k != "dev" for s in v}
    imports = {"pytest-benchmark": "pytest_benchmark", "ipykernel": "ipykernel"}
    return {imports.get(n, n.replace("-", "_")) for n in map(name, project["optional-dependencies"]["dev"])} - runtime


def test_only_devtools_import_dev_only_packages():
    dev_only = _dev_only_packages()
    assert {"reportlab", "xlwt", "pytest"} <= dev_only
    found = []
    for name, path in _modules().items():
        if name.startswith("pipeline.devtools"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [(name, a.name) for a in node.names if a.name.split(".")[0] in dev_only]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module.split(".")[0] in dev_only:
                found.append((name, node.module))
    assert found == []


MAX_FUNCTION_LINES = 60
# Functions over MAX_FUNCTION_LINES when the limit was set, at their length then: each may shrink, none may grow
STILL_LONG = {
    ("pipeline/cli.py", "check"): 89, ("pipeline/tables/body.py", "_read_body"): 76,
    ("pipeline/devtools/samples.py", "project_self_eval_pdf"): 76, ("pipeline/ingest/pdf.py", "read_pdf"): 74,
    ("pipeline/ingest/pdf_repair.py", "rebuild_xref"): 70, ("pipeline/catalog_build.py", "build_catalog"): 61,
}


def test_functions_stay_short():
    long = {}
    for path in _modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                key, length = (str(path.relative_to(ROOT)), node.name), node.end_lineno - node.lineno + 1
                if length > max(MAX_FUNCTION_LINES, STILL_LONG.get(key, 0)):
                    long[key] = length
    assert long == {}, f"functions over {MAX_FUNCTION_LINES} lines (or grown past their recorded length): {long}"
