"""Running one computation on each core, for the tests that compare them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest

from cleaner import core

T = TypeVar("T")


def both_cores(monkeypatch: pytest.MonkeyPatch, compute: Callable[[], T]) -> tuple[T, T]:
    """``compute()`` on the compiled core, then with the reference forced."""
    monkeypatch.delenv(core.REFERENCE_ENV, raising=False)
    compiled = compute()
    monkeypatch.setenv(core.REFERENCE_ENV, "1")
    reference = compute()
    monkeypatch.delenv(core.REFERENCE_ENV)
    return compiled, reference
