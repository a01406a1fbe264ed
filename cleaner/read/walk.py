"""A parsed page's tree as the parser's events: what lets the segmenter read a tree that was built for
something else (the metadata's), instead of parsing the page a second time.

:func:`walk_tree` is the definition: for every top-level node of the document in order, and for every
node below in document order, an element gives ``start(tag, attributes)`` before its content and
``end(tag)`` after it, a run of text gives ``data(text)``; comments and processing instructions give
nothing (the segmenter has no handler for them when it is the parser's target either). Then
``close()``, whose result is the walk's. The compiled core (``cleaner/read/_walk.pyx``) makes the
same calls through lxml's C API, without a Python proxy per element; :func:`tree_events` runs
whichever core is in use, and the tests compare the two.

A parser hands its target a run of text in pieces (at entities, at buffer boundaries) where a tree
holds it whole: the segmenter's results do not depend on how a run is cut (``tests/test_walk.py``
compares the segments of a walk with those of a parse on corpus pages, all of them with ``-m
exhaustive``, and on generated tag soup).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from cleaner.core import compiled

if TYPE_CHECKING:
    from lxml import etree


class Target(Protocol):
    """What an lxml parser target has (:class:`cleaner.read.segment.Segmenter` is one)."""

    def start(self, tag: str, attrib: dict[str, str]) -> None: ...

    def end(self, tag: str) -> None: ...

    def data(self, text: str) -> None: ...

    def close(self) -> Any: ...


def walk_tree(root: etree._Element, target: Target) -> Any:
    """The parser's events for the document ``root`` belongs to, to ``target``; its ``close()``."""
    from lxml import etree

    top = root.getroottree().getroot()
    for node in (*reversed(list(top.itersiblings(preceding=True))), top, *top.itersiblings()):
        if not isinstance(node.tag, str):  # a comment or processing instruction beside the root
            if node.tail:
                target.data(node.tail)
            continue
        # iterwalk is iterative: a page's tree may be as deep as the parser allows (thousands of levels).
        for event, element in etree.iterwalk(node, events=("start", "end", "comment", "pi")):
            if event == "start":
                target.start(element.tag, dict(element.items()))
                if element.text:
                    target.data(element.text)
                continue
            if event == "end":
                target.end(element.tag)
            if element.tail and element is not node:
                target.data(element.tail)
        if node.tail:
            target.data(node.tail)
    return target.close()


def tree_events(root: etree._Element, target: Target) -> Any:
    """:func:`walk_tree`, compiled where the core is built."""
    core = compiled("cleaner.read._walk")
    return walk_tree(root, target) if core is None else core.walk_tree(root, target)
