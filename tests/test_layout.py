"""The package's layout: its modules import one another without a cycle, and a stage of the pipeline
imports the stages before it, not those after it.

A cycle between modules works until someone moves an import, then fails at import time with a
half-initialised module; keeping the graph acyclic keeps every stage importable on its own. Only the
imports at a module's top level count: an import inside a function (a heavy dependency loaded on first
use) or under ``TYPE_CHECKING`` runs after every module has loaded.
"""

from __future__ import annotations

import ast
from pathlib import Path

import cleaner

PACKAGE = Path(cleaner.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Each module of the package, and the package's modules its top-level imports name."""
    paths = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        found: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "cleaner":
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    found.add(submodule if submodule in paths else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "cleaner")
        graph[name] = {other for other in found if other in paths and other != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``graph`` (its modules in order, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for other in sorted(graph[node]):
            if state.get(other) == 1:
                return [*path[path.index(other) :], other]
            if other not in state and (found := visit(other)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_holds_the_stages():
    graph = _import_graph()
    assert {"cleaner.read", "cleaner.features", "cleaner.model", "cleaner.decide", "cleaner.render"} <= set(graph)
    assert "cleaner.decide.threshold" in graph["cleaner.pipeline"]


def test_no_import_cycle_between_the_package_modules():
    assert _cycle(_import_graph()) is None


# The pipeline's stages, in the order a page goes through them.
STAGES = ("read", "features", "model", "decide", "render")


def _stage(module: str) -> int | None:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else None


def test_a_stage_imports_no_later_stage():
    graph = _import_graph()
    later = {
        (module, other)
        for module, others in graph.items()
        for other in others
        if _stage(module) is not None and _stage(other) is not None and _stage(other) > _stage(module)
    }
    assert not later, sorted(later)
