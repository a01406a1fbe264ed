"""Bylines written in the page: the date and the author shown next to the headline.

Pages without structured metadata (most pages before 2012, many blogs) still show a byline: "By Laura
Clout", "Posted on August 9th, 2012 by lucky", a Blogger date header above the post title. This module
renders the page's visible text as lines (one per block element; hidden elements, scripts,
navigation, comments, sidebars and footers left out, see :class:`cleaner.metadata.other_text.OtherText`),
finds the headline's line (the line equal to the page's title, else the first ``<h1>``), and reads:

* the date: the first date in the lines after the headline (up to :data:`WINDOW_AFTER_CHARS` of
  text), else the nearest one before it (up to :data:`WINDOW_BEFORE_CHARS`); dates that follow an
  "updated" word are passed over;
* the author: the first short line after (or just before) the headline that reads as a byline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from lxml import etree

from cleaner.metadata.authors import author_names
from cleaner.metadata.dates import UPDATED_RE, find_dates
from cleaner.metadata.other_text import OtherText
from cleaner.metadata.titles import normalise_for_compare
from cleaner.read.tags import BLOCK_TAGS
from cleaner.read.visibility import hidden_element, shown_in_place

__all__ = ["Byline", "read_byline"]

# How much text after / before the headline is searched for a byline.
WINDOW_AFTER_CHARS = 800
WINDOW_BEFORE_CHARS = 300
# A byline is short; a longer line is prose that may happen to start with "By".
MAX_BYLINE_LINE_CHARS = 140
# Lines rendered per page: the headline is near the top of the article, never past this.
MAX_LINES = 5_000
# A title shorter than this is not searched for inside longer lines (it would match anything).
MIN_CONTAINED_TITLE_CHARS = 20

_SKIPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "select",
        "option",
        "button",
        "svg",
        "iframe",
        "nav",
        "footer",
        "aside",
        "form",
        "textarea",
        "object",
        "embed",
        "video",
        "audio",
        "canvas",
        "map",
    }
)
# A line ends where the page reader's blocks do, and at a <br>.
_LINE_BREAK_TAGS = BLOCK_TAGS | {"br"}
_HEADING_TAGS = frozenset({"h1", "h2", "h3"})
# A byline inside a line: "Date: November 2, 2012 | Author: Roslyn Ashford", "Features / 1 day ago / by
# Luke Morton", "Posted on August 9th, 2012 by lucky".
_BYLINE_RE = re.compile(
    r"(?:^|[|/•·–—]\s*|\b(?:posted|written|published|filed)\s+(?:on\s+.{0,40}?\s+)?)"
    r"(?:by|von|par|por|door|autor(?:in)?|author|auteur|autore|posted\s+by|written\s+by)\s*:?\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Byline:
    """What the lines around the headline say: a date (``YYYY-MM-DD``) and author names, if any."""

    date: str | None = None
    authors: tuple[str, ...] = ()


def _rendered_lines(root: etree._Element, other: OtherText) -> Iterator[tuple[str, int]]:
    """The visible text as lines, in order, each with whether it starts a heading (h1-h3): 1, 2, 3 or
    0. At most :data:`MAX_LINES` lines are read, and the one pending then. A generator: the byline's
    search stops reading once it has the headline and the window after it."""
    current: list[str] = []
    current_level = 0
    count = 0
    # lxml walks the tree (as deep as pages nest, without Python's recursion); a skipped element's
    # subtree is not entered, and its end event only brings its tail.
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    skipped = None
    for event, element in walker:
        if count >= MAX_LINES:
            break
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "comment" or event == "pi":  # shows nothing but its tail
            if element.tail:
                current.append(element.tail)
            continue
        if event == "start":
            if (
                not tag
                or (tag in _SKIPPED_TAGS and not shown_in_place(tag, element.attrib))
                or hidden_element(tag, element.attrib)
                or other.is_other(element)
            ):
                walker.skip_subtree()
                skipped = element
                continue
        elif element is skipped:
            skipped = None
            if element.tail:
                current.append(element.tail)
            continue
        if tag in _LINE_BREAK_TAGS:  # a block starts or ends: the text before it is a line
            text = " ".join(" ".join(current).split())
            if text:
                count += 1
                yield text, current_level
            current, current_level = [], 0
        if event == "end":
            if element.tail:
                current.append(element.tail)
            continue
        if tag in _HEADING_TAGS:
            current_level = int(tag[1])
        if element.text:
            current.append(element.text)
    text = " ".join(" ".join(current).split())
    if text:
        yield text, current_level


def _headline(root: etree._Element, title: str | None, other: OtherText) -> tuple[list[str], int | None, Iterator[str]]:
    """The page's visible lines (:func:`_rendered_lines`) and the index of the headline's line: the
    line equal to the title, else the first h1, else the first line containing the title. Lines are
    read up to the line equal to the title: the lines after it come as an iterator, for
    :func:`_window` to read only as far as it needs."""
    target = normalise_for_compare(title or "")
    lines: list[str] = []
    levels: list[int] = []
    keys: list[str] = []
    rendered = _rendered_lines(root, other)
    for line, level in rendered:
        lines.append(line)
        levels.append(level)
        if target:
            keys.append(normalise_for_compare(line))
            if keys[-1] == target:
                return lines, len(lines) - 1, (after for after, _ in rendered)
    first_h1 = next((index for index, level in enumerate(levels) if level == 1), None)
    if first_h1 is not None or len(target) < MIN_CONTAINED_TITLE_CHARS:
        return lines, first_h1, iter(())
    return lines, next((index for index, key in enumerate(keys) if target in key), None), iter(())


def _window(lines: list[str], anchor: int, rest: Iterator[str]) -> list[str]:
    """The lines after the anchor (up to the window; ``rest``, the lines after ``lines``, read only as
    far as that), then those before it, nearest first."""
    found: list[str] = []
    size = 0
    for line in chain(lines[anchor + 1 :], rest):
        if size > WINDOW_AFTER_CHARS:
            break
        found.append(line)
        size += len(line)
    size = 0
    for line in reversed(lines[:anchor]):
        if size > WINDOW_BEFORE_CHARS:
            break
        found.append(line)
        size += len(line)
    return found


def _line_date(line: str, language: str | None) -> str | None:
    """The first date of a line that no "updated" word introduces."""
    for position, value in find_dates(line, language):
        if not UPDATED_RE.search(line[max(0, position - 30) : position]):
            return value.isoformat()
    return None


def _line_authors(line: str) -> list[str]:
    if len(line) > MAX_BYLINE_LINE_CHARS:
        return []
    match = _BYLINE_RE.search(line)
    if not match:
        return []
    names = author_names(line[match.end() :])
    # "By the way, ..." is not a byline: a name starts with a capital, unless it is one word (a handle).
    return [name for name in names if not name[0].islower() or " " not in name]


def read_byline(
    root: etree._Element, title: str | None, language: str | None = None, other: OtherText | None = None
) -> Byline:
    """The date and the authors the page shows next to its headline (see the module's docstring);
    ``other`` tells other text from the article's (a new :class:`OtherText` of ``root`` by default)."""
    lines, anchor, rest = _headline(root, title, other if other is not None else OtherText(root))
    if anchor is None:
        return Byline()
    window = _window(lines, anchor, rest)
    # Short lines first: a date in a caption or a sentence ("..., December 29, 2007.") is about an event.
    short = [line for line in window if len(line) <= MAX_BYLINE_LINE_CHARS]
    date = next((found for line in short + window if (found := _line_date(line, language))), None)
    authors = next((found for line in window if (found := _line_authors(line))), [])
    return Byline(date=date, authors=tuple(authors))
