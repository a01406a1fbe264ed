"""For the tests that compare the compiled core with the reference: one computation run on each core,
a compiled module (or a skip where it is not built), and a sample of the shared corpora's pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TypeVar

import pytest
from hypothesis import settings

from cleaner import core

T = TypeVar("T")

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
needs_corpora = pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
# Generated inputs: the same examples on every run.
GENERATED = settings(max_examples=300, derandomize=True, deadline=None, database=None)
# Every this many-th page of each corpus, for the comparisons on corpus pages.
SAMPLE_STEP = 10


def built(name: str) -> tuple[ModuleType | None, pytest.MarkDecorator]:
    """The compiled module ``name`` (None where it is not built), and a mark skipping a test without it."""
    module = core._built(name)
    return module, pytest.mark.skipif(module is None, reason="the compiled core is not built here")


def corpus_htmls(step: int) -> list[str]:
    """The HTML of every ``step``-th page of the shared corpora."""
    from cleaner.corpus.pages import iter_corpus_pages

    return [page.html for i, page in enumerate(iter_corpus_pages(CORPORA, raw=True)) if i % step == 0]


def both_cores(monkeypatch: pytest.MonkeyPatch, compute: Callable[[], T]) -> tuple[T, T]:
    """``compute()`` on the compiled core, then with the reference forced."""
    monkeypatch.delenv(core.REFERENCE_ENV, raising=False)
    compiled = compute()
    monkeypatch.setenv(core.REFERENCE_ENV, "1")
    reference = compute()
    monkeypatch.delenv(core.REFERENCE_ENV)
    return compiled, reference
