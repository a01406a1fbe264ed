"""The compiled core in bench/speed.py: the reference core timed beside it, and one parse of a page into
the compiled segmenter timed both ways (the compiled parse, lxml's parser target)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any


def on_reference_core(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``function``, run with the reference core forced (CLEANER_REFERENCE is read at each call)."""
    from cleaner.core import REFERENCE_ENV

    def run(page: Any) -> Any:
        previous = os.environ.get(REFERENCE_ENV)
        os.environ[REFERENCE_ENV] = "1"
        try:
            return function(page)
        finally:
            if previous is None:
                del os.environ[REFERENCE_ENV]
            else:
                os.environ[REFERENCE_ENV] = previous

    return run


def compiled_core_runs() -> bool:
    """Whether every compiled module is built and in use (then the reference core is timed beside it)."""
    from cleaner.core import COMPILED_MODULES, compiled

    return all(compiled(name) is not None for name in COMPILED_MODULES)


def parse_paths() -> dict[str, Callable[[bytes], Any]]:
    """One parse of a page into the compiled segmenter, two ways: the compiled parse (libxml2's events
    read in C: cleaner/read/_sax.pyx) and lxml's parser target (what the compiled parse replaced)."""
    from lxml import etree

    from cleaner.core import compiled

    segmenter = compiled("cleaner.read._segment").Segmenter
    sax = compiled("cleaner.read._sax")

    def through_lxml(page: bytes) -> Any:
        options = {"huge_tree": True, "no_network": True, "collect_ids": False}
        return etree.fromstring(page, etree.HTMLParser(encoding="utf-8", target=segmenter(False, False), **options))

    return {
        "cleaner segmenter, one parse: compiled parse": lambda page: sax.parse(page, segmenter(False, False)),
        "cleaner segmenter, one parse: lxml's parser target": through_lxml,
    }
