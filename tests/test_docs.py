"""The README and docs/ name files of the project (modules, scripts, models): each must exist; the
docstrings' cross-references to the package (``:func:`cleaner...` ``) must resolve.

A path under ``bench/results/`` is what a documented command writes (git ignores it), and a model a
user trains is named as an example (``models/custom.json``): those are not looked for. A path with a
``*`` must match a file.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A project path as the docs write one: a top-level folder of the project, then a relative path.
PATH_RE = re.compile(r"(?<![\w./-])((?:cleaner|training|bench|tests|models|docs|\.ci)/[\w./*-]*[\w*])")
# Written by a documented command, or a user's own file named as an example.
NOT_IN_THE_PROJECT = ("bench/results/", "models/custom", "models/my-outlet")


def named_paths(document: Path) -> set[str]:
    return set(PATH_RE.findall(document.read_text(encoding="utf-8")))


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_named_files_exist(document: Path) -> None:
    missing = []
    for path in sorted(named_paths(document)):
        if path.startswith(NOT_IN_THE_PROJECT):
            continue
        found = any(ROOT.glob(path)) if "*" in path else (ROOT / path).exists()
        if not found:
            missing.append(path)
    assert not missing, f"{document.name} names files that do not exist: {missing}"


def test_the_paths_are_found() -> None:
    """The pattern finds the paths the README names (a pattern that found none would pass above)."""
    found = named_paths(ROOT / "README.md")
    assert {"training/build_models.py", "bench/speed.py", "docs/example.html"} <= found


# A docstring's cross-reference to something of the package (Sphinx roles, as the docstrings write them).
REFERENCE_RE = re.compile(r":(?:mod|func|class|data|meth|attr|exc):`~?(cleaner(?:\.\w+)+)`")


def _resolves(name: str) -> bool:
    """Whether ``name`` is a module of the package, or an attribute reached from the longest one."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        module = ".".join(parts[:cut])
        try:
            if importlib.util.find_spec(module) is None:
                continue
        except ImportError:  # a parent is no package: a shorter prefix is the module
            continue
        try:
            found = importlib.import_module(module)
        except ImportError:  # an optional engine (pyspark, datatrove) is not installed: not checked
            return True
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def test_docstring_references_resolve() -> None:
    sources = [*(ROOT / "cleaner").rglob("*.py"), *(ROOT / "cleaner").rglob("*.pyx")]
    names = {name for source in sources for name in REFERENCE_RE.findall(source.read_text(encoding="utf-8"))}
    assert len(names) > 100  # the pattern finds them
    broken = sorted(name for name in names if not _resolves(name))
    assert not broken, f"docstrings refer to names that do not exist: {broken}"
