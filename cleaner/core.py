"""Which core runs: the compiled one (Cython extensions, built when the package is installed) or the
reference (the pure-Python modules that define what the compiled code computes).

Both give the same results, bit for bit (``tests/test_core.py``); the compiled core is faster. A
machine without a C compiler installs the package with the reference core only. Setting the
environment variable ``CLEANER_REFERENCE=1`` forces the reference core even where the compiled one
is built (to compare the two, or to step through the readable code in a debugger). The variable is
read at each call of the library, not at import: once for a call's stage (:class:`CoreChoice`), or at
each use outside one.
"""

from __future__ import annotations

import importlib
import os
from contextvars import ContextVar, Token
from functools import cache
from types import ModuleType

# Set to anything but "" or "0" to run the reference core.
REFERENCE_ENV = "CLEANER_REFERENCE"
# The compiled modules, each a faster equal of a reference module.
COMPILED_MODULES = {
    "cleaner.read._segment": "cleaner.read.segment",
    "cleaner.read._sax": "cleaner.read.parse",  # the parse through lxml, with a parser target
    "cleaner.read._pieces": "cleaner.read.pieces",  # and cleaner.read.tags' hints_of
    "cleaner.read._lines": "cleaner.read.prose",  # and cleaner.read.titles' text_key
    "cleaner.read._blocks": "cleaner.read.blocks",  # ancestor_columns, line_hints, tags_in, lines_inside
    "cleaner.read._walk": "cleaner.read.walk",
    "cleaner.read._bytes": "cleaner.read.decode",  # reference_valid_utf8; sniff's reference_control_bytes
    "cleaner.features._scan": "cleaner.features.scan",  # and cleaner.features.lexicon's lexicon_hits
    "cleaner.features._text": "cleaner.features.reference",  # shape, punctuation, pattern_features, link_features
    "cleaner.features._patterns": "cleaner.features.patterns",  # DATE, YEAR, TIME, POSTCODE, PHONE... finds
    "cleaner.features._dates": "cleaner.features.patterns",  # the date finds' loops, for _patterns
    "cleaner.features._page": "cleaner.features.reference",  # position, repetition, page_context
    "cleaner.features._stack": "cleaner.features.reference",  # stack_columns
    "cleaner.features._context": "cleaner.features.context",  # reference_context_logits
    "cleaner.features._markup": "cleaner.features.markup",  # reference_markup_flags
    "cleaner.decide._page_check": "cleaner.decide.page_check",  # reference_narrowing_inputs; spans' main_span
    "cleaner.model._passes": "cleaner.model.regression",  # scaling, softmax, row sums, sigmoid, rescaling
}


def reference_forced() -> bool:
    """Whether ``CLEANER_REFERENCE`` asks for the reference core."""
    return os.environ.get(REFERENCE_ENV, "").strip() not in ("", "0")


# Whether the reference is forced, as read by the innermost CoreChoice of the running call; None
# outside one. A context variable, not a module global: threads and tasks each see their own call's.
_FORCED: ContextVar[bool | None] = ContextVar("cleaner_reference_forced", default=None)


class CoreChoice:
    """A context manager: inside its block, :func:`compiled` answers as ``CLEANER_REFERENCE`` said when
    the block began. A stage asks for its compiled modules a dozen times or more a page, and reading
    the environment costs 0.7 us each time (5% of a three-line page's cleaning)."""

    __slots__ = ("_token",)

    def __enter__(self) -> None:
        self._token: Token[bool | None] = _FORCED.set(reference_forced())

    def __exit__(self, *exc_info: object) -> None:
        _FORCED.reset(self._token)


def compiled(name: str) -> ModuleType | None:
    """The compiled module ``name`` (one of :data:`COMPILED_MODULES`), or None when it was not built or
    the reference core is forced."""
    forced = _FORCED.get()
    if forced is None:
        forced = reference_forced()
    return None if forced else _built(name)


@cache  # Python's import system does not remember a failed import: without it, every page would search again
def _built(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def core_description() -> str:
    """One line saying which core runs, and why when it is the reference."""
    missing = [name for name in COMPILED_MODULES if _built(name) is None]
    if missing:
        return f"reference core (pure Python; not compiled on this machine: {', '.join(missing)})"
    if reference_forced():
        return f"reference core (pure Python; forced by {REFERENCE_ENV})"
    return "compiled core (Cython)"
