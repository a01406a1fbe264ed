"""A segmented page as the columns the model reads, with what needs the whole page: how much of the
page's prose each line's ancestors hold, and the page's densest container of prose.

Elements are numbered in document order (preorder), so an element's subtree is the contiguous range
of numbers between its start and its end: subtree sums are differences of one cumulative sum, with
no second walk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from cleaner.read.segment import SHARED_ANCESTORS, Segments, segment
from cleaner.records import Line, MarkupColumns

# "Long, punctuated text", the prose of a page: a line with at least this many words...
_PROSE_MIN_WORDS = 8
# ... and sentence punctuation (Latin and CJK).
_PROSE_PUNCT_RE = re.compile(r"[.,;!?。、…，！？；：]")
# CJK text has no spaces: count this many ideographs/kana as one word.
_CJK_CHARS_PER_WORD = 2
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# The densest container maximises prose * prose / (prose + other): its prose characters weighted by
# their share of its text, where other text is link text and the text of lines that are not prose. On
# the evaluation corpora this finds the article container better than prose - k * other for any k:
# a linear penalty either swallows the comments and sidebars around the article (small k) or drops
# parts of the article (large k).
# Reader comments, sidebars and footers hold prose too, next to the article: the container is chosen
# again with the prose of lines so hinted counted as other text, and that choice wins if it lies
# inside the first one. (Discounting more hints, nav or promo, lost article text on the corpora.)
_MAIN_DISCOUNT_HINTS = frozenset({"comment", "sidebar", "footer"})


@dataclass(frozen=True, eq=False)
class Blocks:
    """A segmented page as columns: its lines' numbers, texts and markup."""

    numbers: list[int]
    texts: list[str]
    markup: MarkupColumns

    def lines(self) -> list[Line]:
        return list(map(Line, self.numbers, self.texts, self.markup.marks()))


def no_blocks() -> Blocks:
    return Blocks([], [], MarkupColumns.of([], SHARED_ANCESTORS))


def html_blocks(source: str | bytes) -> Blocks:
    """The lines of a page given as a str or as valid UTF-8 bytes (see :func:`cleaner.read.decode.utf8_page`),
    in reading order, each with its markup.

    One line per block of text (more when ``<br>`` or a ``<pre>``'s source lines split it). A line's
    number is its line number in the page's plain-text rendering: numbers are unique and increasing,
    and skip one where a blank line separates paragraphs, as the line numbers of a text file do.
    """
    found = segment(source)
    return no_blocks() if found is None else _build_blocks(found)


def _container_scores(prose: np.ndarray, other: np.ndarray) -> np.ndarray:
    """How well each element fits as the page's main container, from the prose and other characters
    of its subtree: its prose, weighted by the prose's share of its text."""
    return prose * prose / np.maximum(prose + other, 1.0)


def _densest(scores: np.ndarray, candidates: np.ndarray) -> int:
    """The number of the candidate element with the best score (the outermost one on ties)."""
    return int(np.argmax(np.where(candidates, scores, -np.inf)))


def _is_prose(text: str) -> bool:
    """Whether a line is "long, punctuated text": enough words and sentence punctuation."""
    words = text.count(" ") + 1
    if words < _PROSE_MIN_WORDS:
        if len(text) < _PROSE_MIN_WORDS * _CJK_CHARS_PER_WORD:
            return False
        words += len(_CJK_RE.findall(text)) // _CJK_CHARS_PER_WORD
        if words < _PROSE_MIN_WORDS:
            return False
    return _PROSE_PUNCT_RE.search(text) is not None


def _build_blocks(lines: Segments) -> Blocks:
    """The lines of a segmented page as columns, with the numbers that need the whole page."""
    count = len(lines.text)
    if not count:
        return no_blocks()

    # Per line: characters, and prose characters (its non-link characters, if it is prose).
    chars = np.fromiter(map(len, lines.text), dtype=np.int64, count=count)
    link = np.asarray(lines.link, dtype=np.int64)
    prose_lines = np.fromiter(map(_is_prose, lines.text), dtype=bool, count=count)
    prose = np.where(prose_lines, chars - link, 0)

    # Per element: totals over its subtree, as differences of cumulative sums over the document order.
    elements = len(lines.ends)
    owner = np.asarray(lines.owner, dtype=np.intp)
    starts = np.arange(elements, dtype=np.intp)
    stops = np.asarray(lines.ends, dtype=np.intp)

    def subtree_sums(per_line: np.ndarray) -> np.ndarray:
        cumulative = np.zeros(elements + 1, dtype=np.float64)
        np.cumsum(np.bincount(owner, weights=per_line, minlength=elements), out=cumulative[1:])
        return cumulative[stops] - cumulative[starts]

    sub_chars = subtree_sums(chars)
    sub_prose = subtree_sums(prose)
    total_prose = float(prose.sum())

    # The densest container of prose, and the lines inside it.
    if total_prose > 0:
        candidates = np.asarray(lines.containers, dtype=bool)
        main = _densest(_container_scores(sub_prose, sub_chars - sub_prose), candidates)
        discounted = np.fromiter(
            (not hints.isdisjoint(_MAIN_DISCOUNT_HINTS) for hints in lines.hints), dtype=bool, count=count
        )
        if discounted.any():
            # Without that prose, a container inside the one found is a better fit; one outside it means
            # a hint covers the article itself (a wrapper's class), so it is ignored.
            main_prose = subtree_sums(np.where(discounted, 0, prose))
            narrower = _densest(_container_scores(main_prose, sub_chars - main_prose), candidates)
            if main <= narrower < stops[main] and main_prose[narrower] > 0:
                main = narrower
        in_main = (owner >= main) & (owner < stops[main])
        shares = sub_prose / total_prose
    else:
        in_main = np.zeros(count, dtype=bool)
        shares = np.zeros(elements)

    # Lines of one block, and blocks of one parent, share their nearest ancestors: their shares are
    # computed once per distinct tuple of ancestors.
    shares_list = shares.tolist()
    padding = (0.0,) * SHARED_ANCESTORS
    distinct = {nearest: row for row, nearest in enumerate(dict.fromkeys(lines.nearest))}
    table = np.array(
        [tuple([shares_list[a] for a in nearest]) + padding[len(nearest) :] for nearest in distinct], dtype=float
    ).reshape(-1, SHARED_ANCESTORS)
    ancestor_shares = table[np.fromiter(map(distinct.__getitem__, lines.nearest), dtype=np.intp, count=count)]
    # A line's container is its block's parent (the block itself at the top of the page).
    container = np.fromiter(
        (nearest[0] if nearest else owner for nearest, owner in zip(lines.nearest, lines.owner)),
        dtype=np.intp,
        count=count,
    )
    markup = MarkupColumns(
        present=np.ones(count, dtype=bool),
        tags=lines.tag,
        link_density=np.divide(link, chars, out=np.zeros(count), where=chars > 0),
        depth=np.asarray(lines.depth, dtype=np.int64),
        ancestors=lines.ancestors,
        hints=lines.hints,
        block_chars=sub_chars.astype(np.int64)[container],
        ancestor_shares=ancestor_shares,
        in_main=in_main,
    )
    return Blocks(lines.number, lines.text, markup)
