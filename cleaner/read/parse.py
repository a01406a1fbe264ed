"""Parsing a page with the segmenter (:class:`~cleaner.read.segment.Segmenter`, or its compiled equal
where it is built: see :mod:`cleaner.core`): a page whose unclosed
<title> swallowed the rest is parsed again without it, a page (nearly) empty once hidden and
script-only content is left out is parsed again with that content read as visible, and a page that
shows (nearly) none of the article its structured data gives is parsed again with that article in
it (:mod:`cleaner.read.structured`). A page already parsed into a tree (:func:`parse_tree`, when its
metadata is read too) is segmented from the tree's events instead (:mod:`cleaner.read.walk`), and
read again from the tree, not parsed again, with its hidden content visible.

Where the compiled core is built, a page is parsed by :mod:`cleaner.read._sax`: the same libxml2 as
lxml's, its events handed to the compiled segmenter in C rather than through lxml's parser target;
the segments are the same."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from cleaner.core import compiled
from cleaner.errors import InputError
from cleaner.read.decode import utf8_encoded
from cleaner.read.rawtext import strip_raw_text_opens, strip_raw_text_opens_text
from cleaner.read.segment import REVEAL_SHARE, Segmenter
from cleaner.read.segments import Segments
from cleaner.read.structured import structured_article, with_article
from cleaner.read.walk import tree_events

if TYPE_CHECKING:
    from lxml import etree

# libxml2 builds an element's attributes in a tree as a linked list, appending each at its end: an
# element with n attributes takes n * n / 2 steps to build (60,000 on one <div>: 32 s), where the
# parser's events, which the segmenter reads, take next to none. A page with an element of more
# attributes than this gets no tree (parse_tree): it is read from its events, without the metadata a
# tree gives. Real pages come nowhere near it.
MAX_TREE_ATTRIBUTES = 10_000


def segment(source: str | bytes, links: bool = False, tree: etree._Element | None = None) -> Segments | None:
    """Segment a page given as a str or as valid UTF-8 bytes; None for a page with no markup or text at all.

    ``links=True`` records the links in each line's text too (:attr:`Segments.links`). ``tree``: the
    page already parsed whole (:func:`parse_tree`), read instead of parsing the page again (the same
    segments: :mod:`cleaner.read.walk`).

    An unclosed ``<title>`` or ``<textarea>`` that takes the rest of the page as its text (browsers
    show nothing, but the text is there) gets the page parsed again without the opening tags of
    those elements; a page that shows (nearly) nothing is parsed again with its hidden content, or
    with the article its structured data gives (see the module's docstring). Raises
    :class:`InputError` when the parser gives up on the page.
    """
    found = _parse(source, links=links) if tree is None else tree_events(tree, _segmenter(False, links))
    if found is not None and found.swallowed:
        found = tree = None  # the first pass's segments are freed; the tree is not the page read now
        if isinstance(source, bytes):
            source = strip_raw_text_opens(source)
        else:
            source = strip_raw_text_opens_text(source)
        found = _parse(source, links=links)
    if found is not None and found.hidden_chars:
        visible = sum(map(len, found.text))
        if visible < REVEAL_SHARE * found.hidden_chars:
            if tree is None:
                found = _parse(source, reveal=True, links=links)
            else:
                found = tree_events(tree, _segmenter(True, links))
            if found is not None:
                found.revealed = True
    if found is not None and found.jsonld:
        article = structured_article(found.jsonld, sum(map(len, found.text)))
        if article:
            revealed, found = found.revealed, None  # freed before the next pass
            found = _parse(with_article(_utf8(source), article), reveal=revealed, links=links)
            if found is not None:
                found.revealed, found.from_data = revealed, True
    return found


def parse_tree(source: str | bytes) -> tuple[etree._Element | None, bool]:
    """A page given as a str or as valid UTF-8 bytes parsed into lxml's tree (no network access, no
    processing instructions): its root, None when the parser gives no tree; and whether the tree is
    whole (False where the parser stopped at its nesting limit, past which the rest of the page is left
    out of a tree, not out of :func:`segment`'s events). No tree either for a page with an element of
    more than :data:`MAX_TREE_ATTRIBUTES` attributes. Never raises."""
    data = _parser_input(source)
    if not data.strip():
        return None, True
    from lxml import etree  # loaded with the first HTML page (start-up of `clean file.txt`)

    if _too_many_attributes(data):
        return None, True

    parser = _html_parser(remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):
        return None, True
    return root, not _cut_short(parser)


def _too_many_attributes(data: bytes) -> bool:
    """Whether an element of a page (the bytes the parser reads) has more than :data:`MAX_TREE_ATTRIBUTES`
    attributes. An attribute takes two bytes at least (a separator and a name), so only a page with
    that many bytes between a "<" and the next "<" or ">" may have one (found in one vectorised pass:
    long inline images and scripts, a few pages in a hundred); the parser's events count them there.
    (A tag whose quoted values hold a "<" or ">" every few thousand attributes escapes the first test.)"""
    view = np.frombuffer(data, dtype=np.uint8)
    marks = np.flatnonzero((view == ord("<")) | (view == ord(">")))
    spans = np.append(marks[1:], len(view)) - marks
    if int(spans[view[marks] == ord("<")].max(initial=0)) <= 2 * MAX_TREE_ATTRIBUTES:
        return False
    from lxml import etree

    counter = _AttributeCounter()
    parser = _html_parser(target=counter)
    try:
        etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):  # then the tree's parse fails too
        return False
    return counter.most > MAX_TREE_ATTRIBUTES


class _AttributeCounter:
    """A parser target noting the most attributes an element has."""

    def __init__(self) -> None:
        self.most = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.most = max(self.most, len(attrib))

    def close(self) -> None:
        return None


def _html_parser(**options: Any) -> etree.HTMLParser:
    """lxml's HTML parser as every parse of a page sets it: UTF-8 input (the caller encodes it), no
    network access, no limit on a text's size, no table of ids (nothing looks one up); ``options`` are
    added (a target, ``remove_pis``)."""
    from lxml import etree

    return etree.HTMLParser(encoding="utf-8", huge_tree=True, no_network=True, collect_ids=False, **options)


def _segmenter(reveal: bool, links: bool) -> Segmenter:
    core = compiled("cleaner.read._segment")
    return (Segmenter if core is None else core.Segmenter)(reveal, links)


def _parser_input(source: str | bytes) -> bytes:
    """A page as both parses read it: UTF-8 bytes without NUL characters (libxml2 ends a text at one)."""
    data = _utf8(source)
    return data.replace(b"\x00", b"") if b"\x00" in data else data


def _cut_short(parser: etree.HTMLParser) -> bool:
    """Whether the parser stopped at its nesting limit: past it, the rest of the page is left out."""
    return any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log.filter_from_fatals())


def _utf8(text: str | bytes) -> bytes:
    """A page as UTF-8 bytes (lone surrogates replaced as the page reader replaces them)."""
    return text if isinstance(text, bytes) else utf8_encoded(text)[0]


def _parse(text: str | bytes, reveal: bool = False, links: bool = False) -> Segments | None:
    data = _parser_input(text)
    if not data.strip():
        return None
    sax = compiled("cleaner.read._sax")  # the compiled parse: libxml2's events read in C
    if sax is not None and sax.available():
        try:
            return sax.parse(data, compiled("cleaner.read._segment").Segmenter(reveal, links))
        except sax.ParserLimit as error:
            raise InputError(f"the page exceeds the HTML parser's limits: {error}") from error
    # lxml loads with the first HTML page: reading plain text never needs it (start-up of `clean file.txt`).
    from lxml import etree

    # Input is always UTF-8 bytes. The target has no comment or processing-instruction handler, so
    # those are dropped.
    parser = _html_parser(target=_segmenter(reveal, links))
    try:
        found = etree.fromstring(data, parser)  # the target's close(): the page's segments
    except etree.ParserError as error:  # "Document is empty": nothing but comments, or the like
        if "empty" in str(error).lower():
            return None
        raise InputError(f"cannot parse the page as HTML: {error}") from error
    except (etree.LxmlError, ValueError) as error:
        raise InputError(f"cannot parse the page as HTML: {error}") from error
    if _cut_short(parser):
        message = parser.error_log.filter_from_fatals()[0].message
        raise InputError(f"the page exceeds the HTML parser's limits: {message}")
    return found
