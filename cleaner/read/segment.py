"""The HTML segmenter: one pass over the events of lxml's HTML parser, in document order, with no tree
and no recursion, cutting the page into lines of text.

Every block of text (a paragraph, a heading, a list item, a table cell, the text directly inside a
``div``...) becomes one line, or several when ``<br>`` or the source lines of a ``<pre>`` split it.
Each line records its block element, the element's ancestors and their class/id hints, its link
characters, and its number in the page's plain-text rendering. :mod:`cleaner.read.blocks` then adds
what needs the whole page.

Driving the segmentation from the parser's events, rather than building a tree and walking it, costs
no tree and no Python proxy per element, needs no recursion, and is not subject to libxml2's nesting
limit for trees (2048 levels even with huge_tree, past which it silently drops the rest of the page).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

from cleaner.errors import InputError
from cleaner.read.decode import replace_surrogates
from cleaner.read.pieces import split_collapsed, split_pre
from cleaner.read.tags import (
    BR,
    BREAK,
    CONTAINER,
    DIALOG_TAG,
    GROUP_TAGS,
    HIDDEN_STYLE_RE,
    INLINE,
    LINK,
    NEVER_HIDDEN_TAGS,
    NO_HINTS,
    PRE,
    SKIP,
    TAG_KINDS,
    hints_of,
    paragraph_break,
)

# How many ancestors (parent first) of a line's block are recorded (see Markup.ancestor_shares).
SHARED_ANCESTORS = 4
# Elements whose content the parser takes as raw text up to their end tag: if the end tag is missing,
# they swallow the rest of the page (browsers then show nothing). Such a content longer than this,
# holding page markup, gets the page parsed again without their opening tags.
_RAW_TEXT_TAGS = frozenset({"title", "textarea"})
_SWALLOW_MIN_CHARS = 1000
_SWALLOWED_MARKUP_RE = re.compile(r"</?(?:body|head|html|div|p|table|td|ul|li|h[1-6])\b", re.IGNORECASE)
_RAW_TEXT_OPEN_RE = re.compile(r"<(?:title|textarea)\b[^>]*>", re.IGNORECASE)
# _RAW_TEXT_OPEN_RE for UTF-8 bytes, but for its \b (checked in _strip_raw_text_opens). Bytes patterns
# ignore case in ASCII only; Unicode case-insensitive "i" also matches "İ" and "ı" (C4 B0, C4 B1).
_RAW_TEXT_OPEN_BYTES_RE = re.compile(rb"<(?:t(?:i|\xc4[\xb0\xb1])tle|textarea)", re.IGNORECASE)
_TAG_END_BYTES_RE = re.compile(rb"[^>]*>")


class Segments:
    """What one pass over a page's parser events found, in parallel lists (cheaper than an object per line).

    Elements are numbered in document order (preorder), so element ``i``'s subtree is the numbers
    ``i .. ends[i]-1``. Per line: its line number in the page's plain-text rendering, the element
    number of the block element that produced it (its owner), its text and link characters, the
    owner's tag, depth, ancestor tags and hints, and the numbers of the owner's nearest ancestors
    (parent first).
    """

    __slots__ = (
        "ends",
        "containers",
        "number",
        "owner",
        "text",
        "link",
        "tag",
        "depth",
        "ancestors",
        "hints",
        "nearest",
        "swallowed",
    )

    def __init__(self) -> None:
        self.ends: list[int] = []  # per element: one past the last number in its subtree
        self.containers: list[bool] = []  # per element: a block that can hold several blocks
        self.number: list[int] = []
        self.owner: list[int] = []
        self.text: list[str] = []
        self.link: list[int] = []
        self.tag: list[str] = []
        self.depth: list[int] = []
        self.ancestors: list[frozenset[str]] = []
        self.hints: list[frozenset[str]] = []
        self.nearest: list[tuple[int, ...]] = []
        self.swallowed = False  # an unclosed title/textarea took the page's markup as its text


class Segmenter:
    """A parser target that turns the parser's start/end/data events into the lines of a :class:`Segments`.

    The page's state while it is parsed: the open elements and blocks, the pending text of the
    innermost block, whether the parser is inside a skipped, preformatted or link element.
    """

    __slots__ = (
        "out", "open_elements", "blocks", "pieces", "link_pieces", "raw", "hint_cache", "tags_cache",
        "link_depth", "pre_depth", "skip_depth", "raw_depth", "line_number", "last_block",
    )  # fmt: skip

    def __init__(self) -> None:
        self.out = Segments()
        # Open elements, innermost last: (number, kind, tags of it and its ancestors, its and their hints).
        self.open_elements: list[tuple[int, int, frozenset[str], frozenset[str]]] = []
        # Open blocks, innermost last: (number, tag, depth, ancestor tags, hints, number of the outermost
        # list or table around it or -1).
        self.blocks: list[tuple[int, str, int, frozenset[str], frozenset[str], int]] = []
        self.pieces: list[str] = []  # text of the innermost block since its last flush
        self.link_pieces: list[int] = []  # indexes in pieces of the text inside <a>
        self.raw: list[str] = []  # text of the title/textarea being skipped
        self.hint_cache: dict[str, frozenset[str]] = {}
        self.tags_cache: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        self.link_depth = self.pre_depth = 0
        self.skip_depth = 0  # > 0 inside a skipped element: how many of its elements are open
        self.raw_depth = 0  # > 0 inside a title/textarea being skipped: its skip_depth
        self.line_number = 0  # of the last line, in the plain-text rendering of the page
        self.last_block: tuple[str, int] | None = None  # tag and list/table of the last block with lines

    def flush(self) -> None:
        """Turn the pending text into lines of the innermost open block.

        Lines are numbered as in the page's plain-text rendering: the number skips one (a blank line)
        at a paragraph break between blocks (see :func:`cleaner.read.tags.paragraph_break`), and where
        empty lines (``<br><br>``, blank lines of a ``<pre>``) separate lines inside a block.
        """
        blocks, pieces, link_pieces = self.blocks, self.pieces, self.link_pieces
        if not blocks:
            found: list[tuple[str, int]] = []
        elif self.pre_depth:
            found = split_pre(pieces, link_pieces)
        elif link_pieces:
            found = split_collapsed(pieces, link_pieces)
        else:
            joined = "".join(pieces)
            if BR in joined:
                found = split_collapsed([joined], [])
            else:
                text = " ".join(joined.split())
                found = [(text, 0)] if text else []
        pieces.clear()
        link_pieces.clear()
        if not any(text for text, _ in found):
            return
        number, tag, depth, ancestors, hints, group = blocks[-1]
        open_elements = self.open_elements
        nearest = tuple(open_elements[i][0] for i in range(depth - 1, max(depth - 1 - SHARED_ANCESTORS, -1), -1))
        # Before the block's first line: one more if a paragraph break separates it from the last block.
        last_block = self.last_block
        step = 2 if last_block is not None and paragraph_break(last_block, (tag, group)) else 1
        self.last_block = (tag, group)
        out = self.out
        line_number = self.line_number
        first = True
        for text, link_chars in found:
            if not text:  # an empty line inside the block: a blank line, unless at its start or end
                if not first:
                    step = 2
                continue
            first = False
            line_number += step
            step = 1
            out.number.append(line_number)
            out.owner.append(number)
            out.text.append(text)
            out.link.append(link_chars)
            out.tag.append(tag)
            out.depth.append(depth)
            out.ancestors.append(ancestors)
            out.hints.append(hints)
            out.nearest.append(nearest)
        self.line_number = line_number

    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        if self.skip_depth:
            self.skip_depth += 1
            if not self.raw_depth and tag in _RAW_TEXT_TAGS:
                self.raw_depth = self.skip_depth
            return
        kind = TAG_KINDS.get(tag, INLINE)
        if kind == SKIP:
            if tag == DIALOG_TAG and "open" in attrib:
                kind = CONTAINER
            else:
                self.skip_depth = 1
                if tag in _RAW_TEXT_TAGS:
                    self.raw_depth = 1
                return
        own_hints = NO_HINTS
        if attrib:
            style = attrib.get("style")
            aria = attrib.get("aria-hidden")
            if (
                "hidden" in attrib
                or (style is not None and HIDDEN_STYLE_RE.search(style) is not None)
                or (aria is not None and aria.strip().lower() == "true")
            ) and tag not in NEVER_HIDDEN_TAGS:
                self.skip_depth = 1
                return
            names = attrib.get("class")
            ident = attrib.get("id")
            if ident is not None:
                names = ident if names is None else f"{names} {ident}"
            if names:
                own_hints = self.hint_cache.get(names)
                if own_hints is None:
                    own_hints = self.hint_cache[names] = hints_of(names)

        out = self.out
        number = len(out.ends)
        out.ends.append(number + 1)
        out.containers.append(kind == CONTAINER)
        open_elements = self.open_elements
        if open_elements:
            _, _, parent_tags, parent_hints = open_elements[-1]
        else:
            parent_tags = parent_hints = NO_HINTS
        tags = self.tags_cache.get((parent_tags, tag))
        if tags is None:
            tags = self.tags_cache[parent_tags, tag] = parent_tags | {tag}
        hints = parent_hints | own_hints if own_hints else parent_hints
        if kind >= CONTAINER:
            if kind <= PRE:  # a block
                if self.pieces:
                    self.flush()
                blocks = self.blocks
                group = blocks[-1][5] if blocks else -1
                if group < 0 and tag in GROUP_TAGS:
                    group = number
                blocks.append((number, tag, len(open_elements), parent_tags, hints, group))
                if kind == PRE:
                    self.pre_depth += 1
            elif kind == BREAK:
                self.pieces.append(BR)
            else:
                self.link_depth += 1
        open_elements.append((number, kind, tags, hints))

    def end(self, tag: str) -> None:
        if self.skip_depth:
            if self.skip_depth == self.raw_depth:
                self.raw_depth = 0
                swallowed = "".join(self.raw)
                self.raw.clear()
                if len(swallowed) > _SWALLOW_MIN_CHARS and _SWALLOWED_MARKUP_RE.search(swallowed):
                    self.out.swallowed = True
            self.skip_depth -= 1
            return
        if not self.open_elements:
            return
        number, kind, _, _ = self.open_elements.pop()
        ends = self.out.ends
        ends[number] = len(ends)
        if kind >= CONTAINER:
            if kind <= PRE:
                if self.pieces:
                    self.flush()
                self.blocks.pop()
                if kind == PRE:
                    self.pre_depth -= 1
            elif kind == LINK:
                self.link_depth -= 1

    def data(self, text: str) -> None:
        if self.skip_depth:
            if self.raw_depth:
                self.raw.append(text)
            return
        pieces = self.pieces
        if not pieces and not self.pre_depth and text.isspace():  # whitespace that starts a block: nothing
            return
        if self.link_depth:
            self.link_pieces.append(len(pieces))
        pieces.append(text)

    def close(self) -> Segments:
        """End of the page: flush the pending text, close what is still open."""
        if self.pieces:
            self.flush()
        ends = self.out.ends
        while self.open_elements:
            ends[self.open_elements.pop()[0]] = len(ends)
        return self.out


def segment(source: str | bytes) -> Segments | None:
    """Segment a page given as a str or as valid UTF-8 bytes; None for a page with no markup or text at all.

    An unclosed ``<title>`` or ``<textarea>`` that takes the rest of the page as its text (browsers
    show nothing, but the text is there) gets the page parsed again without the opening tags of
    those elements. Raises :class:`InputError` when the parser gives up on the page.
    """
    found = _parse(source)
    if found is not None and found.swallowed:
        found = None  # the first pass's segments are freed before the second pass
        if isinstance(source, bytes):
            found = _parse(_strip_raw_text_opens(source))
        else:
            found = _parse(_RAW_TEXT_OPEN_RE.sub("", source))
    return found


def _parse(text: str | bytes) -> Segments | None:
    if isinstance(text, bytes):
        data = text.replace(b"\x00", b"") if b"\x00" in text else text
    else:
        if "\x00" in text:
            text = text.replace("\x00", "")
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: replaced as the page reader replaces them
            data = replace_surrogates(text)[0].encode("utf-8")
    if not data.strip():
        return None
    segmenter = Segmenter()
    # Input is always UTF-8 bytes. The target has no comment or processing-instruction handler, so
    # those are dropped.
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True, no_network=True, collect_ids=False, target=segmenter)
    try:
        etree.fromstring(data, parser)
    except etree.ParserError as error:  # "Document is empty": nothing but comments, or the like
        if "empty" in str(error).lower():
            return None
        raise InputError(f"cannot parse the page as HTML: {error}") from error
    except (etree.LxmlError, ValueError) as error:
        raise InputError(f"cannot parse the page as HTML: {error}") from error
    fatal = parser.error_log.filter_from_fatals()
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in fatal):
        raise InputError(f"the page exceeds the HTML parser's limits: {fatal[0].message}")
    return segmenter.out


def _strip_raw_text_opens(data: bytes) -> bytes:
    """``_RAW_TEXT_OPEN_RE.sub("", text)`` for valid UTF-8 bytes, the same bytes as the str version
    encoded, without a str of the page (up to four bytes per character)."""
    pieces = []
    kept = position = 0
    while (match := _RAW_TEXT_OPEN_BYTES_RE.search(data, position)) is not None:
        name_end = match.end()
        following = data[name_end : name_end + 4].decode("utf-8", errors="ignore")[:1]
        tag_end = _TAG_END_BYTES_RE.match(data, name_end)
        if (following.isalnum() or following == "_") or tag_end is None:  # no \b after the name, or no ">"
            position = match.start() + 1
            continue
        pieces.append(data[kept : match.start()])
        kept = position = tag_end.end()
    pieces.append(data[kept:])
    return b"".join(pieces)
