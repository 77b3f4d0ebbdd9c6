"""The package's shape: layers import downwards only, no cycles, small modules, Flask only in web/.

Layers, top to bottom (docs/architecture.md):
cli → web → features (cq, linked_data, search) → dataset → query, remote → store, reasoning → base modules;
inside query/: caching → execution → rules → memo.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "jichitai_kg"

#: Rank of each top-level part of the package; a module may import only parts of lower or equal rank.
LAYERS = {
    "__init__": 7,  # the package's front door: re-exports the Python API lazily (PEP 562)
    "cli": 6, "__main__": 6,
    "web": 5, "api": 5,
    "cq": 4, "linked_data": 4, "search": 4,
    "dataset": 3,
    "query": 2, "remote": 2, "releases": 2,
    "store": 1, "reasoning": 1, "validation": 1,
    "config": 0, "content": 0, "errors": 0, "namespaces": 0, "jsonld": 0, "i18n": 0,
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path) -> set[str]:
    """Package-internal modules imported anywhere in the file (function-level imports too)."""
    is_package = path.name == "__init__.py"
    base = name.split(".") if is_package else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - (node.level - 1)]
                target = ".".join(anchor + ([node.module] if node.module else []))
            elif node.module and node.module.startswith("jichitai_kg"):
                target = node.module.removeprefix("jichitai_kg").lstrip(".")
            else:
                continue
            found.add(target)
            for alias in node.names:
                found.add(f"{target}.{alias.name}" if target else alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("jichitai_kg."):
                    found.add(alias.name.removeprefix("jichitai_kg."))
    modules = _modules()
    return {t for t in found if t in modules and t != name}


def _top(name: str) -> str:
    return name.split(".")[0] if name else "__init__"


def test_every_part_has_a_layer():
    assert {_top(n) for n in _modules()} <= set(LAYERS)


def test_imports_point_downwards():
    wrong = []
    for name, path in _modules().items():
        for target in _imports(name, path):
            if LAYERS[_top(target)] > LAYERS[_top(name)]:
                wrong.append(f"{name} → {target}")
    assert not wrong, wrong


def test_no_import_cycles():
    graph = {name: _imports(name, path) for name, path in _modules().items()}
    # Importing a package runs its __init__, so a submodule depends on its parents' inits too;
    # a parent importing its own children is fine and is left out.
    for name, deps in graph.items():
        graph[name] = {d for d in deps if not d.startswith(name + ".")}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for dep in graph[node]:
            if state.get(dep) == 1:
                pytest.fail("import cycle: " + " → ".join(path[path.index(dep):] + [dep]))
            if dep not in state:
                visit(dep)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


#: query/ by job, top to bottom: the answer caches wrap the executors, the executors apply the
#: request rules, and every part may use the byte-bounded memo (query/memo.py).
QUERY_LAYERS = {"caching": 3, "execution": 2, "rules": 1, "memo": 0}


def test_query_parts_import_downwards():
    parts = {name: name.split(".")[1] for name in _modules() if name.startswith("query.") and name.count(".") >= 1}
    assert set(parts.values()) == set(QUERY_LAYERS), "every module of query/ belongs to one of its parts"
    wrong = [f"{name} → {target}" for name, part in parts.items() for target in _imports(name, _modules()[name])
             if target in parts and QUERY_LAYERS[parts[target]] > QUERY_LAYERS[part]]
    assert not wrong, wrong


def test_flask_only_in_the_web_tier_and_cli_serve():
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        if "import flask" in text or "from flask" in text:
            assert _top(name) == "web", name


REPO = PACKAGE.parents[1]
#: Every Python tree of the repository: the 400-line limit holds in all of them, and `make lint`
#: runs ruff over the same list (tests/test_architecture.py checks the Makefile names each).
PYTHON_TREES = ("src", "tests", "tools", "benchmarks", "scripts")
MAX_LINES = 400
#: Files over the limit with the change that splits them; an entry must go once the file is short.
OVER_LIMIT: dict[str, str] = {}


def _python_files() -> list[Path]:
    return sorted(p for tree in PYTHON_TREES for p in (REPO / tree).rglob("*.py")
                  if ".venv" not in p.parts)


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("path", [p for p in _python_files() if str(p.relative_to(REPO)) not in OVER_LIMIT],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_modules_stay_small(path):
    assert _lines(path) <= MAX_LINES


def test_the_over_limit_list_is_current():
    assert {name for name in OVER_LIMIT if _lines(REPO / name) <= MAX_LINES} == set()


def test_make_lint_covers_every_python_tree():
    lint = next(line for line in (REPO / "Makefile").read_text().splitlines() if "ruff check" in line)
    trees = [t for t in PYTHON_TREES if any((REPO / t).rglob("*.py"))]
    assert [t for t in trees if f" {t}" not in lint] == []
