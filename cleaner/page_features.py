"""Line features as plain numpy: what :mod:`cleaner.features`' transformers compute, without scikit-learn.

:func:`line_feature_matrix` turns a sequence of :class:`~cleaner.lines.Line` into a numeric matrix, one
row per line, from pluggable feature sets; :func:`context_matrix` adds what the neighbouring lines say.
The cleaning path (:class:`cleaner.model.Model`) calls these directly, so cleaning a page never imports
scikit-learn; :class:`cleaner.features.LineFeatures` and :class:`cleaner.features.ContextFeatures`
wrap them as scikit-learn transformers for training. Both give the same values, bit for bit.

Features are computed a page at a time over the page's joined text (a code-point class table and
one regex scan per pattern, mapped back to lines with ``searchsorted``), not line by line in Python.
A pattern that cannot match without some character is scanned for only in the lines that hold one
(found from the class table), line-start patterns are tried only where the first character
fits, and the word lists only where a word of theirs may start. Every such shortcut gives the values of the plain definition, bit for bit
(``tests/test_vectorized_features.py`` holds the plain definitions and checks them).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from cleaner import patterns
from cleaner.lines import Line, MarkupColumns

# A line is "long, punctuated text" -- the stuff articles are made of -- when it has at least this
# many words and some sentence punctuation. Page-level context is measured in such text.
GOOD_MIN_WORDS = 8
GOOD_PUNCTUATION = frozenset(".,;!?。、，；！？…")
# In the text-mode "main span" (the run of lines most dense in good text), other text costs this much
# per character against good text: low enough for a short heading or caption inside the article to
# stay in the span, high enough for a menu or a block of ads to end it.
MAIN_SPAN_PENALTY = 0.4
# Lexical cues are read on lines up to this long (see _Page).
LEXICAL_MAX_CHARS = 300
# Position features saturate: beyond this many lines from an edge, distance says little.
DISTANCE_CAP = 50

# Code-point classes, as bits of a lookup table over the Basic Multilingual Plane and the next two planes.
# _UPPER is the Lu/Lt categories (counted as capitals); _CASED_UPPER is str.isupper() (as in the
# starts_upper feature, which has always used it). _SPACE is exactly str.isspace(), which is also what
# re's \s and str.split() use. The next bits mark characters some patterns cannot match without;
# _FOLDS marks those whose str.casefold() is not their str.lower(), and the capital sigma, which
# lower() turns into a final sigma at a word's end: a line without any is case-folded by lower().
(_LETTER, _UPPER, _DIGIT, _SPACE, _PUNCT, _TERMINAL, _SYMBOL, _QUOTE,
 _CASED_UPPER, _GOOD_PUNCT, _MENU_MARK, _CURRENCY, _BULLET, _CLOSER, _FOLDS) = (1 << i for i in range(15))  # fmt: skip
_TABLE_SIZE = 0x30000
_TERMINAL_CHARS = ".!?。！？…"
_QUOTE_CHARS = "\"'«»“”‘’„"
_MENU_MARK_CHARS = "|•·»›>/–"  # every match of patterns.MENU_SEPARATOR holds one of these
_LIST_BULLETS = "-*+•·▪►▸◦"  # as in patterns.LIST_ITEM
_CLOSERS = "'\"»”’)]"  # what may follow a sentence's end, as in patterns.TERMINAL_END


@lru_cache(maxsize=1)
def _char_class_table() -> np.ndarray:
    """Class bits of every code point below ``_TABLE_SIZE``; code points above it count as letters."""
    table = np.zeros(_TABLE_SIZE + 1, dtype=np.uint16)
    for cp in range(_TABLE_SIZE):
        char = chr(cp)
        category = unicodedata.category(char)
        bits = 0
        if category[0] == "L":
            bits |= _LETTER
            if category == "Lu" or category == "Lt":
                bits |= _UPPER
        elif category == "Nd":
            bits |= _DIGIT
        elif char.isspace():
            bits |= _SPACE
        elif category[0] == "P":
            bits |= _PUNCT
        elif category[0] == "S":
            bits |= _SYMBOL
        if char.isupper():
            bits |= _CASED_UPPER
        table[cp] = bits
    for chars, bit in (
        (_TERMINAL_CHARS, _TERMINAL),
        (_QUOTE_CHARS, _QUOTE),
        (GOOD_PUNCTUATION, _GOOD_PUNCT),
        (_MENU_MARK_CHARS, _MENU_MARK),
        (patterns.CURRENCY_SYMBOLS, _CURRENCY),
        (_LIST_BULLETS, _BULLET),
        (_CLOSERS, _CLOSER),
    ):
        for char in chars:
            table[ord(char)] |= bit
    # Every character that folds otherwise than it lower-cases is in the Basic Multilingual Plane
    # (tests/test_vectorized_features.py checks every code point).
    for cp in range(0x10000):
        char = chr(cp)
        if char.casefold() != char.lower():
            table[cp] |= _FOLDS
    table[ord("\u03a3")] |= _FOLDS
    table[_TABLE_SIZE] = _LETTER
    table.setflags(write=False)
    return table


class _Page:
    """A page's lines (or a batch of pages', one page after the other: see ``bounds``) joined into a
    single string, with each line's start offset and the code points and their classes (see
    :func:`_char_class_table`).

    Lexical cues (word lists, dates, prices, postcodes) are read on the page's short lines only,
    through ``short_lower`` (lower-cased) and, for the short lines holding a digit, ``numeric`` and
    ``numeric_lower``: that is where page furniture lives, and it keeps the cost of the slowest
    patterns off long paragraphs, which are judged by shape. Patterns that cannot match without
    some character or string are only run on the lines that hold it (:meth:`count_in`,
    :meth:`lines_holding`, the candidate searches): the counts are the same, the scan is shorter.
    """

    __slots__ = (
        "texts", "numbers", "markup", "bounds", "joined", "starts", "lengths", "n", "codes", "classes", "digit",
        "_edges", "_has", "_keys", "_layout", "_lower", "_numeric_chars", "short_index", "short_lower", "short_starts",
        "numeric_index", "numeric", "numeric_lower", "numeric_starts",
    )  # fmt: skip

    def __init__(
        self,
        texts: list[str],
        numbers: Sequence[int] | np.ndarray,
        markup: MarkupColumns | None = None,
        bounds: Sequence[int] | np.ndarray | None = None,
    ) -> None:
        self.texts = texts
        self.numbers = np.asarray(numbers, dtype=np.int64)
        self.markup = markup  # None for plain text: no line has markup
        self.n = len(self.texts)
        # Where each page of a batch starts, and the end: [0, ..., n] (one page when not given).
        self.bounds = np.array([0, self.n]) if bounds is None else np.asarray(bounds, dtype=np.int64)
        self._has: dict[int, np.ndarray] = {}
        self._keys: list[str] | None = None
        self._layout: PageLayout | None = None
        self._lower: list[str] | None = None
        self._numeric_chars: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.joined = "\n".join(self.texts)
        self.lengths = np.fromiter(map(len, self.texts), dtype=np.int64, count=self.n)
        self.starts = _starts(self.lengths)
        # The trailing newline gives every line, even an empty last one, one character to reduce over.
        self.codes = _code_points(self.joined + "\n")
        # Code points past the table read its last entry (mode="clip"), without a clipped copy of the page.
        self.classes = np.take(_char_class_table(), self.codes, mode="clip")
        self.digit = (self.classes & _DIGIT) != 0  # read by several features
        self._edges: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        short = np.flatnonzero(self.lengths <= LEXICAL_MAX_CHARS)
        self.short_index, _, self.short_lower, self.short_starts = self._view(short, keep_case=False)
        # Numeric patterns (prices, postcodes, dates...) only run on the short lines that hold a digit.
        numeric = short[(self.per_line(self.digit) > 0)[short]]
        self.numeric_index, self.numeric, self.numeric_lower, self.numeric_starts = self._view(numeric, keep_case=True)

    def _view(self, index: np.ndarray, keep_case: bool) -> tuple[np.ndarray, str, str, np.ndarray]:
        """The lines ``index`` joined: in their case (with ``keep_case``, else ""), lower-cased, and
        the offset of each line."""
        chosen = index.tolist()
        lowered = self.lower_lines()
        lower = "\n".join([lowered[i] for i in chosen])
        if len(lower) != int(self.lengths[index].sum()) + max(len(chosen) - 1, 0):
            lower = self._lower_by_page(index)
        joined = "\n".join([self.texts[i] for i in chosen]) if keep_case else ""
        return index, joined, lower, _starts(self.lengths[index])

    def _lower_by_page(self, index: np.ndarray) -> str:
        """The lines ``index`` joined page by page, lower-cased but where a page in which a character
        changes length when lower-cased ("İ") keeps its case: else offsets would drift. (Lower-casing
        never shortens a text, so the other pages of a batch are lower-cased.)"""
        cuts = np.searchsorted(index, self.bounds).tolist()
        lowered = self.lower_lines()
        pieces = []
        for start, end in zip(cuts[:-1], cuts[1:]):
            if start < end:
                lines = index[start:end].tolist()
                piece = "\n".join([self.texts[i] for i in lines])
                lower = "\n".join([lowered[i] for i in lines])
                pieces.append(lower if len(lower) == len(piece) else piece)
        return "\n".join(pieces)

    def lower_lines(self) -> list[str]:
        """Each line lower-cased (``str.lower``; the newlines between lines keep a capital sigma's
        context to its line, so the lines are lower-cased at once)."""
        if self._lower is None:
            self._lower = self.joined.lower().split("\n")
        return self._lower

    def layout(self) -> PageLayout:
        """Where each line's page starts and ends, for the features read within a page."""
        if self._layout is None:
            self._layout = PageLayout(self.bounds, self.n)
        return self._layout

    def repetition_keys(self) -> list[str]:
        if self._keys is None:
            self._keys = repetition_keys(self)
        return self._keys

    # -- characters ---------------------------------------------------------------------------

    def per_line(self, mask: np.ndarray) -> np.ndarray:
        """How many of each line's characters are set in ``mask`` (one entry per code point)."""
        if not self.n:
            return np.zeros(0)
        # Summed in int64 as the ufunc goes, without an int64 copy of the mask (8 bytes a character).
        return np.add.reduceat(mask, self.starts, dtype=np.int64).astype(float)

    def has(self, bit: int) -> np.ndarray:
        """Whether each line holds a character of class ``bit``."""
        found = self._has.get(bit)
        if found is None:
            found = self._has[bit] = self.per_line((self.classes & bit) != 0) > 0
        return found

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Offsets of each line's first and last non-space characters, and whether it has any
        (``str.lstrip()`` and ``str.rstrip()`` on every line at once)."""
        if self._edges is None:
            self._edges = self._find_edges()
        return self._edges

    def _find_edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        solid = np.flatnonzero((self.classes & _SPACE) == 0)  # the newlines between lines are spaces
        if not len(solid):
            none = np.zeros(self.n, dtype=np.int64)
            return none, none, np.zeros(self.n, dtype=bool)
        after = np.searchsorted(solid, self.starts)
        first = solid[np.minimum(after, len(solid) - 1)]
        present = (after < len(solid)) & (first < self.starts + self.lengths)
        last = solid[np.maximum(np.searchsorted(solid, self.starts + self.lengths) - 1, 0)]
        return first, last, present

    # -- patterns -----------------------------------------------------------------------------

    def count(self, pattern: re.Pattern[str], after: Callable[[str], bool] | None = None) -> np.ndarray:
        """Matches of ``pattern`` per line, over the whole page; with ``after``, only matches whose
        preceding character satisfies it."""
        return self.scan(pattern, after)[0]

    def scan(
        self, pattern: re.Pattern[str], after: Callable[[str], bool] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Matches of ``pattern`` per line and the characters they cover (filtered as in :meth:`count`)."""
        return self._scan_view(pattern, self.joined, None, self.starts, after)

    def scan_in(
        self, pattern: re.Pattern[str], index: np.ndarray, after: Callable[[str], bool] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`scan` in the lines ``index`` only (see :meth:`count_in`; ``after`` reads the same
        character before a line's first one, a newline or nothing, either way)."""
        text = "\n".join([self.texts[i] for i in index.tolist()])
        return self._scan_view(pattern, text, index, _starts(self.lengths[index]), after)

    def _scan_view(
        self,
        pattern: re.Pattern[str],
        text: str,
        index: np.ndarray | None,
        starts: np.ndarray,
        after: Callable[[str], bool] | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`scan` of ``text``, the lines ``index`` (all lines for None) joined, starting at ``starts``."""
        spans = [(m.start(), m.end() - m.start()) for m in pattern.finditer(text)]
        if after is not None:
            spans = [(i, n) for i, n in spans if after(text[i - 1 : i])]
        if not spans:
            return np.zeros(self.n), np.zeros(self.n)
        where, length = zip(*spans)
        line = np.searchsorted(starts, where, side="right") - 1
        if index is not None:
            line = index[line]
        return np.bincount(line, minlength=self.n).astype(float), np.bincount(line, weights=length, minlength=self.n)

    def lines_holding(self, *needles: str, view: str = "all") -> np.ndarray:
        """The lines that hold one of ``needles`` (none spanning a line end), in order: found with
        ``str.find``, much faster than a regex scan for a rare string. ``view`` says which lines are
        searched: "all" (as they are) or "short" (the short lines, lower-cased: ``short_lower``). (A
        regex is faster for many needles: each search reads the whole text.)"""
        text, starts, index = {
            "all": (self.joined, self.starts, None),
            "short": (self.short_lower, self.short_starts, self.short_index),
        }[view]
        found = []
        for needle in needles:
            at = text.find(needle)
            while at >= 0:
                found.append(at)
                at = text.find(needle, at + 1)
        lines = np.unique(np.searchsorted(starts, found, side="right") - 1) if found else np.zeros(0, np.int64)
        return lines if index is None else index[lines]

    def count_dates(self) -> np.ndarray:
        """Dates per short line: numeric and day-first forms, and a month name just before a year."""
        text = self.numeric_lower
        found = [m.start() for m in patterns.DATE.finditer(text)]
        for m in patterns.YEAR.finditer(text):
            if patterns.MONTH_BEFORE_YEAR.search(text, max(0, m.start() - patterns.MONTH_LOOKBACK), m.start()):
                found.append(m.start())
        out = np.zeros(self.n)
        out[self.numeric_index] = _bincount(sorted(found), self.numeric_starts, len(self.numeric_index))
        return out

    def count_numeric(self, pattern: re.Pattern[str], lower: bool = False) -> np.ndarray:
        """Matches of a pattern that needs a digit, per line, in short lines that hold one."""
        text = self.numeric_lower if lower else self.numeric
        return self._count_view(pattern, text, self.numeric_index, self.numeric_starts)

    def count_in_lower(self, pattern: re.Pattern[str], index: np.ndarray, view: str = "short") -> np.ndarray:
        """:meth:`count_in` over the lines ``index`` as the lower-cased view has them: ``short_lower``
        ("short"), or ``numeric_lower`` ("numeric"; ``index`` must be lines of the view)."""
        lower, view_index, view_starts = (
            (self.short_lower, self.short_index, self.short_starts) if view == "short"
            else (self.numeric_lower, self.numeric_index, self.numeric_starts)
        )  # fmt: skip
        offsets = view_starts[np.searchsorted(view_index, index)].tolist()
        text = "\n".join([lower[at : at + size] for at, size in zip(offsets, self.lengths[index].tolist())])
        return self._count_view(pattern, text, index, _starts(self.lengths[index]))

    def numeric_chars(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Code points, classes and digit flags of ``numeric`` (the short lines that hold a digit)
        and a newline after it: what the numeric patterns' candidate searches read."""
        if self._numeric_chars is None:
            codes = _code_points(self.numeric + "\n")
            classes = np.take(_char_class_table(), codes, mode="clip")
            self._numeric_chars = codes, classes, (classes & _DIGIT) != 0
        return self._numeric_chars

    def numeric_marked(self, mark: np.ndarray) -> np.ndarray:
        """The numeric lines (as line indexes, in order) that hold a character set in ``mark``, one
        entry per character of :meth:`numeric_chars`."""
        if not len(self.numeric_index):
            return self.numeric_index
        return self.numeric_index[np.add.reduceat(mark, self.numeric_starts, dtype=np.int64) > 0]

    def count_in(self, pattern: re.Pattern[str], index: np.ndarray) -> np.ndarray:
        """Matches of ``pattern`` per line, in the lines ``index`` only.

        Patterns never match across a line end and look back at most one character, which is a
        newline at a line start whichever lines are joined: a line's count does not depend on the
        lines around it, so scanning a subset gives the same counts for that subset.
        """
        if not len(index):
            return np.zeros(self.n)
        text = "\n".join([self.texts[i] for i in index.tolist()])
        return self._count_view(pattern, text, index, _starts(self.lengths[index]))

    def _count_view(self, pattern: re.Pattern[str], text: str, index: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Matches of ``pattern`` in ``text``, the lines ``index`` joined (starting at ``starts``), per line."""
        out = np.zeros(self.n)
        out[index] = _bincount([m.start() for m in pattern.finditer(text)], starts, len(index))
        return out

    def match_start(self, pattern: re.Pattern[str], index: np.ndarray) -> np.ndarray:
        """1.0 for the lines ``index`` whose start matches ``pattern``, 0.0 elsewhere."""
        out = np.zeros(self.n)
        texts = self.texts
        for i in index.tolist():
            if pattern.match(texts[i]) is not None:
                out[i] = 1.0
        return out

    def lexicon(self) -> dict[str, np.ndarray]:
        """Word-list hits per line and list (short lines only): the hits of ``patterns.LEXICON``
        and the list whose group matched. ``LEXICON_SCAN`` is tried only where a hit may start
        (:func:`_lexicon_candidates`), which finds the hits a scan of the whole text finds."""
        text = self.short_lower
        lists = list(patterns.LEXICON_LISTS.values())
        found: list[int] = []  # offsets of the hits
        which: list[int] = []  # and the index of their list
        match_at = patterns.LEXICON_SCAN.match
        end = 0  # as in a scan, a hit is looked for after the end of the last one
        for at in _lexicon_candidates(text):
            if at < end:
                continue
            match = match_at(text, at)
            if match is None:
                continue
            end = match.end()
            for index, words in enumerate(lists):
                if words.match(text, at):
                    found.append(at)
                    which.append(index)
                    break
        # One count per (list, short line), then spread over all lines.
        short = len(self.short_index)
        counts = np.zeros((len(lists), self.n))
        if found:
            line = np.searchsorted(self.short_starts, found, side="right") - 1
            flat = np.bincount(np.asarray(which) * short + line, minlength=len(lists) * short)
            counts[:, self.short_index] = flat.reshape(len(lists), short)
        return dict(zip(patterns.LEXICON_LISTS, counts))


class PageLayout:
    """Where each line's page starts and ends in a batch of pages (starting at ``bounds``: ``[0, ..., n]``) (``first``, ``end``, per line), each line's
    index within its page (``index``), its page's line count (``size``) and number (``page``), and
    each page's line count (``sizes``): what the features read within a page need to compute a
    whole batch at once."""

    __slots__ = ("bounds", "sizes", "page", "first", "end", "index", "size", "page_starts")

    def __init__(self, bounds: np.ndarray, n: int) -> None:
        self.bounds = bounds
        self.sizes = sizes = bounds[1:] - bounds[:-1]
        self.page = np.repeat(np.arange(len(sizes)), sizes)
        self.first = bounds[:-1][self.page]
        self.end = bounds[1:][self.page]
        self.index = np.arange(n) - self.first
        self.size = sizes[self.page]
        page_starts = np.zeros(n, dtype=bool)
        page_starts[bounds[:-1][sizes > 0]] = True
        self.page_starts = page_starts

    def sums(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For whole-number ``values``: each line's running total within its page, the line
        included, and its page's total (exact: whole numbers add up without rounding)."""
        running = np.cumsum(values)
        totals = np.concatenate(([0.0], running))
        return running - totals[self.first], totals[self.end] - totals[self.first]


def _code_points(text: str) -> np.ndarray:
    """The code points of ``text``, one uint32 each (a view of its UTF-32 encoding)."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _starts(lengths: np.ndarray) -> np.ndarray:
    """Offset of each text in the texts joined by newlines, from their lengths."""
    if not len(lengths):
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))


def _bincount(positions: list[int], starts: np.ndarray, n: int) -> np.ndarray:
    """How many of ``positions`` fall in each of the ``n`` lines starting at ``starts``."""
    if not positions:
        return np.zeros(n)
    return np.bincount(np.searchsorted(starts, positions, side="right") - 1, minlength=n).astype(float)


# Places where a word-list hit may start are compared with patterns.LEXICON_PREFIXES on their first (up
# to) this many characters, packed into one number of 21 bits a character.
_PREFIX_CHARS = 3


@lru_cache(maxsize=1)
def _lexicon_prefix_keys() -> dict[int, np.ndarray]:
    """Each length up to :data:`_PREFIX_CHARS`, and the sorted packed keys of the word-list prefixes
    cut to it (a prefix shorter than that is compared on its own length)."""
    keys: dict[int, set[int]] = {}
    for prefix in patterns.LEXICON_PREFIXES:
        head = prefix[:_PREFIX_CHARS]
        key = 0
        for char in head:
            key = (key << 21) | ord(char)
        keys.setdefault(len(head), set()).add(key)
    return {length: np.array(sorted(found), dtype=np.uint64) for length, found in keys.items()}


@lru_cache(maxsize=1)
def _letter_or_digit_table() -> np.ndarray:
    """Whether each code point is a letter or a digit (:func:`_char_class_table`): all word characters
    for re's ``\\w``; code points past the table read its last entry, False (some of them are not)."""
    table = (_char_class_table() & (_LETTER | _DIGIT)) != 0
    table[_TABLE_SIZE] = False
    table.setflags(write=False)
    return table


def _lexicon_candidates(text: str) -> list[int]:
    """Offsets in ``text`` where a ``patterns.LEXICON`` hit may start, in order: after a character
    that is neither a letter nor a digit (or at the start) and at one of ``patterns.LEXICON_PREFIXES``.
    Every hit starts at one: it starts with its word's literal prefix, after no word character."""
    # A newline stands for the text's start, and newlines pad its end (no prefix holds one).
    codes = _code_points("\n" + text + "\n" * _PREFIX_CHARS)
    word = np.take(_letter_or_digit_table(), codes[: len(text)], mode="clip")
    at = np.flatnonzero(~word)  # codes[at] is the character before text[at]
    prefix_keys = _lexicon_prefix_keys()
    if 0 in prefix_keys:  # a word without a literal start: any place may hold a hit
        return at.tolist()
    possible = np.zeros(len(at), dtype=bool)
    keys = np.zeros(len(at), dtype=np.uint64)
    for length in range(1, _PREFIX_CHARS + 1):
        keys = (keys << np.uint64(21)) | codes[at + length]
        allowed = prefix_keys.get(length)
        if allowed is not None:
            found = np.minimum(np.searchsorted(allowed, keys), len(allowed) - 1)
            possible |= allowed[found] == keys
    return at[possible].tolist()


# Character counts read off the code-point table are summed three to a 64-bit word, in lanes of this
# many bits (one reduction per word instead of one per count): exact while no line is longer than a lane holds.
_LANE_BITS = 21
_PACKED_COUNTS = (("letters", "upper", "digits"), ("spaces", "punct", "terminal"), ("symbols", "quotes", "commas"))


@lru_cache(maxsize=1)
def _packed_count_tables() -> tuple[np.ndarray, ...]:
    """For each group of :data:`_PACKED_COUNTS`, a table over code points holding a 1 in each count's
    lane where the character counts (as :func:`_char_class_table`, which it is read from)."""
    classes = _char_class_table()
    codes = np.arange(len(classes))
    counted = {
        "letters": (classes & _LETTER) != 0,
        "upper": (classes & _UPPER) != 0,
        "digits": (classes & _DIGIT) != 0,
        "spaces": ((classes & _SPACE) != 0) & (codes != 10),  # the newlines between lines are not counted
        "punct": (classes & _PUNCT) != 0,
        "terminal": (classes & _TERMINAL) != 0,
        "symbols": (classes & _SYMBOL) != 0,
        "quotes": (classes & _QUOTE) != 0,
        "commas": (codes == 44) | (codes == 0x3001) | (codes == 0xFF0C),
    }
    tables = []
    for names in _PACKED_COUNTS:
        table = np.zeros(len(classes), dtype=np.uint64)
        for lane, name in enumerate(names):
            table |= counted[name].astype(np.uint64) << np.uint64(lane * _LANE_BITS)
        table.setflags(write=False)
        tables.append(table)
    return tuple(tables)


def _char_counts(page: _Page) -> dict[str, np.ndarray]:
    """Per line: characters, the counts of :data:`_PACKED_COUNTS`, words and capitalised words."""
    space = (page.classes & _SPACE) != 0
    word_start = ~space & np.concatenate(([True], space[:-1]))
    # A line's counts are read over its characters and the newline after it, which counts as nothing.
    packed = page.n > 0 and int(page.lengths.max()) + 1 < 1 << _LANE_BITS
    return {
        "chars": page.lengths.astype(float),
        **(_table_counts(page) if packed else _mask_counts(page)),
        "words": page.per_line(word_start & (page.codes != 10)),
        "capitalised_words": page.per_line(word_start & ((page.classes & _UPPER) != 0)),
    }


def _table_counts(page: _Page) -> dict[str, np.ndarray]:
    """The counts of :data:`_PACKED_COUNTS` per line, three at a time (lines shorter than a lane holds)."""
    lane_mask = np.uint64((1 << _LANE_BITS) - 1)
    packed = np.empty(len(page.codes), dtype=np.uint64)
    counts = {}
    for table, names in zip(_packed_count_tables(), _PACKED_COUNTS):
        sums = np.add.reduceat(np.take(table, page.codes, out=packed, mode="clip"), page.starts)
        for lane, name in enumerate(names):
            counts[name] = ((sums >> np.uint64(lane * _LANE_BITS)) & lane_mask).astype(float)
    return counts


def _mask_counts(page: _Page) -> dict[str, np.ndarray]:
    """The counts of :data:`_PACKED_COUNTS` per line, one at a time (lines of any length)."""
    codes, classes, per_line = page.codes, page.classes, page.per_line
    return {
        "letters": per_line(classes & _LETTER),
        "upper": per_line((classes & _UPPER) != 0),
        "digits": per_line(page.digit),
        "spaces": per_line(((classes & _SPACE) != 0) & (codes != 10)),
        "punct": per_line((classes & _PUNCT) != 0),
        "terminal": per_line((classes & _TERMINAL) != 0),
        "symbols": per_line((classes & _SYMBOL) != 0),
        "quotes": per_line((classes & _QUOTE) != 0),
        "commas": per_line((codes == 44) | (codes == 0x3001) | (codes == 0xFF0C)),
    }


def _log(x: np.ndarray) -> np.ndarray:
    return np.log1p(x)


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.divide(a, b, out=np.zeros(len(a)), where=b > 0)


def _runs(flags: np.ndarray, page_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each position, the id of the run of equal consecutive ``flags`` it belongs to (a run
    ends where a page does), and run lengths."""
    if not len(flags):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    change = np.ones(len(flags), dtype=bool)
    change[1:] = flags[1:] != flags[:-1]
    run_id = np.cumsum(change | page_starts) - 1
    return run_id, np.bincount(run_id)


def _main_span(score: list[float]) -> tuple[int, int]:
    """The contiguous span of lines with the highest total ``score`` (Kadane's algorithm), as [start, end)."""
    best, best_span, current, start = -math.inf, (0, 0), 0.0, 0
    for i, value in enumerate(score):
        if current <= 0:
            current, start = value, i
        else:
            current += value
        if current > best:
            best, best_span = current, (start, i + 1)
    return best_span if best > 0 else (0, 0)


def _distance_to_span(layout: PageLayout, score: np.ndarray) -> np.ndarray:
    """Lines from each line to its page's main span (:func:`_main_span` of ``score``), 0 inside it,
    ``DISTANCE_CAP`` at most and on a page without one."""
    values = score.tolist()
    bounds = layout.bounds.tolist()
    spans = [_main_span(values[first:end]) for first, end in zip(bounds[:-1], bounds[1:])]
    start = np.array([span[0] for span in spans], dtype=np.int64)[layout.page]
    end = np.array([span[1] for span in spans], dtype=np.int64)[layout.page]
    index = layout.index
    distance = np.where(index < start, start - index, np.where(index >= end, index - end + 1, 0))
    distance = np.where(start == end, DISTANCE_CAP, distance)
    return np.minimum(distance, DISTANCE_CAP).astype(float)


def _shape(page: _Page, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    chars, words = counts["chars"], counts["words"]
    first, last, solid = page.edges()
    starts_upper = solid & ((page.classes[first] & _CASED_UPPER) != 0)  # t.lstrip()[:1].isupper()
    ends_colon = solid & (page.codes[last] == ord(":"))  # t.rstrip().endswith(":")
    leading_space = (page.lengths > 0) & ((page.classes[page.starts] & _SPACE) != 0)  # t[:1].isspace()
    ends = _ends_terminal(page)
    return {
        "log_chars": _log(chars),
        "log_words": _log(words),
        "mean_word_length": np.minimum(_ratio(chars - counts["spaces"], words), 30.0),
        "ends_terminal": ends.astype(float),
        "ends_colon": ends_colon.astype(float),
        "starts_upper": starts_upper.astype(float),
        "one_word": (words <= 1).astype(float),
        "short": (words <= 4).astype(float),
        "long": (words >= GOOD_MIN_WORDS).astype(float),
        "leading_space": leading_space.astype(float),
    }


def _punctuation(page: _Page, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    chars, words, letters = counts["chars"], counts["words"], counts["letters"]
    return {
        "punct_ratio": _ratio(counts["punct"], chars),
        "digit_ratio": _ratio(counts["digits"], chars),
        "upper_ratio": _ratio(counts["upper"], letters),
        "letter_ratio": _ratio(letters, chars),
        "symbol_ratio": _ratio(counts["symbols"], chars),
        "capitalised_word_ratio": _ratio(counts["capitalised_words"], words),
        "log_sentences": _log(counts["terminal"]),
        "commas_per_word": np.minimum(_ratio(counts["commas"], words), 1.0),
        "has_quotes": (counts["quotes"] > 0).astype(float),
        "all_caps": ((letters >= 3) & (counts["upper"] >= 0.8 * letters)).astype(float),
        "menu_separators": np.minimum(
            page.count_in(patterns.MENU_SEPARATOR, page.short_index[page.has(_MENU_MARK)[page.short_index]]), 5.0
        ),
    }


def _pattern_features(page: _Page, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    # Counts saturate: the third price on a line says no more than the first.
    out = {
        "price": page.count_in(patterns.PRICE, _price_candidates(page)),
        "postcode": page.count_in(patterns.POSTCODE, _postcode_candidates(page)),
        "phone": page.count_in(patterns.PHONE, _phone_candidates(page)),
        "date": page.count_dates(),
        "time": page.count_in_lower(patterns.TIME, _time_candidates(page), view="numeric"),
        "year": page.count_numeric(patterns.YEAR),
        "email": page.count(patterns.EMAIL, after=_word_character),
        **page.lexicon(),
        "copyright": _copyright(page),
    }
    return {name: np.minimum(values, 3.0) for name, values in out.items()}


def _copyright(page: _Page) -> np.ndarray:
    # Most pages hold no mark at all, and most lines of those that do hold none: str's own search says
    # so several times faster than a regex scan.
    if not any(mark in page.short_lower for mark in patterns.COPYRIGHT_MARKS):
        return np.zeros(page.n)
    return page.count_in_lower(patterns.COPYRIGHT, page.lines_holding(*patterns.COPYRIGHT_MARKS, view="short"))


# Candidate searches: the numeric lines that hold what every match of a pattern holds (read from the
# characters of the numeric lines); the pattern then runs on those lines only (the same counts).


def _price_candidates(page: _Page) -> np.ndarray:
    """Lines that may hold a price: a currency symbol or a currency word."""
    _, classes, _ = page.numeric_chars()
    lines = page.numeric_marked((classes & _CURRENCY) != 0)
    words = [m.start() for m in patterns.CURRENCY_WORD_HINT.finditer(page.numeric)]
    if words:
        lines = np.union1d(lines, page.numeric_index[np.searchsorted(page.numeric_starts, words, "right") - 1])
    return lines


def _postcode_candidates(page: _Page) -> np.ndarray:
    """Lines that may hold a postcode: four digits in a row followed by a digit, ")", a capital A-Z,
    or white space and a capital (every match that starts with a digit or a parenthesis), or a
    capital A-Z before a digit (every match that starts with a letter)."""
    codes, classes, digit = page.numeric_chars()
    capital = (codes >= 65) & (codes <= 90)
    follows = digit | capital | (codes == ord(")"))
    follows[:-1] |= ((classes[:-1] & _SPACE) != 0) & (codes[:-1] != 10) & capital[1:]
    mark = np.zeros(len(codes), dtype=bool)
    mark[:-4] = digit[:-4] & digit[1:-3] & digit[2:-2] & digit[3:-1] & follows[4:]
    mark[:-1] |= capital[:-1] & digit[1:]
    return page.numeric_marked(mark)


def _phone_candidates(page: _Page) -> np.ndarray:
    """Lines that may hold a phone number: two digits, a separator, two digits."""
    codes, _, digit = page.numeric_chars()
    separator = (codes == 32) | (codes == 46) | (codes == 45) | (codes == 0xA0)
    mark = np.zeros(len(codes), dtype=bool)
    mark[:-4] = digit[:-4] & digit[1:-3] & separator[2:-2] & digit[3:-1] & digit[4:]
    return page.numeric_marked(mark)


def _time_candidates(page: _Page) -> np.ndarray:
    """Lines that may hold a time: a digit followed by ":", "h", "a" or "p" (in either case: only
    these lower-case to those), at once or after one white space character."""
    codes, classes, digit = page.numeric_chars()
    sign = np.take(_TIME_SIGNS, codes, mode="clip")
    mark = np.zeros(len(codes), dtype=bool)
    mark[:-1] = digit[:-1] & sign[1:]
    mark[:-2] |= digit[:-2] & ((classes[1:-1] & _SPACE) != 0) & (codes[1:-1] != 10) & sign[2:]
    return page.numeric_marked(mark)


# Whether each ASCII code point is one of ":hHaApP" (and a last False for every code point above).
_TIME_SIGNS = np.isin(np.arange(129), [ord(char) for char in ":hHaApP"])


def _ends_terminal(page: _Page) -> np.ndarray:
    """Whether each line ends a sentence: ``patterns.TERMINAL_END`` matches it, read backwards from
    the line's end. Trailing spaces, then closing quotes or brackets (each after at most one space),
    then a terminal mark; the same lines as the pattern, without scanning every character."""
    _, position, found = page.edges()  # the last non-space character
    starts, classes = page.starts, page.classes
    space = (classes & _SPACE) != 0
    found = found.copy()
    while True:
        closing = found & ((classes[position] & _CLOSER) != 0)
        if not closing.any():
            break
        position = np.where(closing, position - 1, position)
        inside = position >= starts
        position = np.where(closing & inside & space[np.maximum(position, 0)], position - 1, position)
        found &= position >= starts
    return found & ((classes[np.maximum(position, 0)] & _TERMINAL) != 0)


def _link_features(page: _Page, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    text = page.joined
    links, link_chars = np.zeros(page.n), np.zeros(page.n)
    if "](" in text:  # no Markdown link without it
        found, covered = page.scan_in(patterns.MARKDOWN_LINK, page.lines_holding("]("))
        links, link_chars = links + found, link_chars + covered
    if "://" in text or "www." in text:  # no bare URL without either
        found, covered = page.scan_in(patterns.BARE_URL, page.lines_holding("://", "www."), after=_not_link_start)
        links, link_chars = links + found, link_chars + covered
    # Line-anchored patterns are tried only on the lines whose first characters they need.
    first, _, solid = page.edges()
    codes, classes = page.codes, page.classes
    heading = (page.lengths > 0) & (codes[page.starts] == ord("#"))
    bullet = solid & ((classes[first] & (_BULLET | _DIGIT)) != 0)
    table = solid & (codes[first] == ord("|"))
    return {
        "text_link_density": np.minimum(_ratio(link_chars, counts["chars"]), 1.0),
        "text_links": np.minimum(links, 5.0),
        "markdown_heading": page.match_start(patterns.MARKDOWN_HEADING, np.flatnonzero(heading)),
        "list_item": page.match_start(patterns.LIST_ITEM, np.flatnonzero(bullet)),
        "table_row": page.match_start(patterns.TABLE_ROW, np.flatnonzero(table)),
    }


def _word_character(previous: str) -> bool:
    return previous != "" and (previous.isalnum() or previous in "._+-")


def _not_link_start(previous: str) -> bool:
    """A bare URL is not one inside a Markdown link's parentheses nor glued to a word."""
    return previous != "(" and not previous.isalnum()


def _position(page: _Page, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    layout = page.layout()
    index = layout.index.astype(float)
    chars = counts["chars"]
    running, total = layout.sums(chars)
    before = running - chars
    # In text input, a jump in line numbers means blank lines: a paragraph break.
    gap_before = np.ones(page.n, dtype=bool)
    gap_before[1:] = np.diff(page.numbers) > 1
    gap_before |= layout.page_starts
    gap_after = np.ones(page.n, dtype=bool)  # a page's last line is followed by the next page's first
    gap_after[:-1] = gap_before[1:]
    block_id = np.cumsum(gap_before) - 1
    block_lines = np.bincount(block_id)[block_id]
    block_chars = np.bincount(block_id, weights=chars)[block_id]
    page_lines = np.array([math.log1p(size) for size in layout.sizes.tolist()])[layout.page]
    return {
        "relative_position": index / np.maximum(layout.size - 1, 1),
        "relative_char_position": before / np.where(total == 0, 1.0, total),
        "lines_from_start": _log(np.minimum(index, DISTANCE_CAP)),
        "lines_from_end": _log(np.minimum((layout.size - 1) - index, DISTANCE_CAP)),
        "blank_before": gap_before.astype(float),
        "blank_after": gap_after.astype(float),
        "log_block_lines": _log(block_lines),
        "log_block_chars": _log(block_chars),
        "log_page_lines": page_lines,
    }


def repetition_keys(page: _Page) -> list[str]:
    """Each line with its white space collapsed and its case folded: ``" ".join(t.split()).casefold()``.

    A line is case-folded by the page's lower-casing unless it holds a character that folds otherwise
    (``_FOLDS``), and folding neither makes nor removes white space, so it can come first; only the
    lines whose white space is not already single spaces between words are re-spaced.
    """
    if not page.n:
        return []
    keys = list(page.lower_lines())
    folds = (page.classes & _FOLDS) != 0
    if folds.any():
        for i in np.flatnonzero(page.per_line(folds)).tolist():
            keys[i] = page.texts[i].casefold()
    space = ((page.classes & _SPACE) != 0) & (page.codes != 10)
    odd = space & (page.codes != 32)
    odd[:-1] |= space[:-1] & space[1:]
    respace = page.per_line(odd) > 0
    ends = page.starts + np.maximum(page.lengths - 1, 0)
    respace |= space[page.starts] | space[ends]
    for i in np.flatnonzero(respace).tolist():
        keys[i] = " ".join(keys[i].split())
    return keys


def _repetition(page: _Page, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    layout = page.layout()
    n = page.n
    keys = page.repetition_keys()
    # Each line's key as the index of its first line in the batch, then (that, page) pairs as numbers:
    # np.unique gives each pair's first line (its sort is stable), the first occurrence on the page.
    seen: dict[str, int] = {}
    key_id = np.fromiter(map(seen.setdefault, keys, range(n)), dtype=np.int64, count=n)
    if len(layout.sizes) == 1:
        first_index = key_id  # one page: its first line is the batch's
    else:
        _, first, inverse = np.unique(layout.page * n + key_id, return_index=True, return_inverse=True)
        first_index = first[inverse]
    occurrences = np.bincount(first_index, minlength=n)[first_index]
    # A line's key is a proper prefix of the next one's (on the same page): the next starts with it and is longer.
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=n)
    starts_next = np.fromiter(map(str.startswith, keys[1:], keys[:-1]), dtype=bool, count=max(n - 1, 0))
    same_page = ~layout.page_starts[1:]
    prefix = (starts_next & same_page & (lengths[:-1] > 0) & (lengths[1:] > lengths[:-1])).astype(float)
    return {
        "repeated": (occurrences > 1).astype(float),
        "repeat_of_earlier": (first_index != np.arange(n)).astype(float),
        "prefix_of_next": np.concatenate((prefix, [0.0])) if n else np.zeros(0),
        "extends_previous": np.concatenate(([0.0], prefix)) if n else np.zeros(0),
    }


def _page_context(page: _Page, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Where the line stands relative to its page's long, punctuated text (the article, usually)."""
    layout = page.layout()
    chars, words = counts["chars"], counts["words"]
    good = (words >= GOOD_MIN_WORDS) & page.has(_GOOD_PUNCT)
    good_chars = np.where(good, chars, 0.0)
    running, total_good = layout.sums(good_chars)
    _, total_chars = layout.sums(chars)
    before = running - good_chars
    some = total_good > 0
    run_id, run_lengths = _runs(good, layout.page_starts)
    run_chars = np.bincount(run_id, weights=good_chars)[run_id] if page.n else np.zeros(0)
    distance = _distance_to_span(layout, good_chars - MAIN_SPAN_PENALTY * np.where(good, 0.0, chars))
    to_previous, to_next = _distance_to_good(layout, good)
    return {
        "good": good.astype(float),
        "good_share_before": _ratio(before, total_good),
        "good_share_after": _ratio(total_good - before - good_chars, total_good),
        "good_run_share": np.where(good & some, _ratio(run_chars, total_good), 0.0),
        "good_run_lines": np.where(good, _log(run_lengths[run_id]), 0.0) if page.n else np.zeros(0),
        "lines_to_next_good": _log(np.minimum(to_next, DISTANCE_CAP)),
        "lines_to_previous_good": _log(np.minimum(to_previous, DISTANCE_CAP)),
        "in_main_span": (distance == 0).astype(float),
        "lines_to_main_span": _log(distance),
        "page_good_share": total_good / np.where(total_chars == 0, 1.0, total_chars),
    }


def _distance_to_good(layout: PageLayout, good: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lines from each line back to the nearest good line at or before it, and on to the nearest at
    or after it, on its page; ``DISTANCE_CAP`` where there is none."""
    index = np.arange(len(good))
    good_index = np.flatnonzero(good)
    if not len(good_index):
        return np.full(len(good), DISTANCE_CAP), np.full(len(good), DISTANCE_CAP)
    after = np.searchsorted(good_index, index, side="left")
    next_good = good_index[np.minimum(after, len(good_index) - 1)]
    to_next = np.where((after < len(good_index)) & (next_good < layout.end), next_good - index, DISTANCE_CAP)
    at_or_before = np.searchsorted(good_index, index, side="right") - 1
    previous_good = good_index[np.maximum(at_or_before, 0)]
    found = (at_or_before >= 0) & (previous_good >= layout.first)
    return np.where(found, index - previous_good, DISTANCE_CAP), to_next


# Block tags grouped by what they say about their text.
_TAG_GROUPS: dict[str, frozenset[str]] = {
    "heading": frozenset({"h1", "h2", "h3", "h4", "h5", "h6"}),
    "paragraph": frozenset({"p"}),
    "list_item": frozenset({"li", "dt", "dd"}),
    "table_cell": frozenset({"td", "th", "tr", "caption"}),
    "quote_or_code": frozenset({"blockquote", "pre", "code"}),
    "caption": frozenset({"figcaption"}),
    "generic": frozenset({"div", "span", "section", "article", "main", "body", "center", "font"}),
    "link": frozenset({"a"}),
}
_ANCESTOR_FLAGS = ("nav", "footer", "aside", "header", "form", "ul", "ol", "table", "figure", "article", "main")
# Must match the vocabulary of cleaner.html.HINT_WORDS values.
_HINTS = (
    "comment", "share", "related", "promo", "nav", "footer", "header", "sidebar",
    "byline", "caption", "tags", "cookie", "subscribe", "article",
)  # fmt: skip
_ANCESTOR_SHARES = 4


def _markup(page: _Page, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    n = page.n
    columns = page.markup
    if columns is None:
        columns = MarkupColumns.of([None] * n, _ANCESTOR_SHARES)
    # Which yes/no columns hold for a block (its tag's group, its ancestors' tags, its hints), once
    # per distinct combination: the blocks of a page share a handful of them.
    keys = list(zip(columns.tags, columns.ancestors, columns.hints))
    distinct = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    table = np.zeros((len(distinct), len(_MARKUP_FLAGS)))
    for key, row in distinct.items():
        table[row, _markup_flags(*key)] = 1.0
    flags = table[np.fromiter(map(distinct.__getitem__, keys), dtype=np.intp, count=n)] if n else table[:0]
    shares = columns.ancestor_shares
    out: dict[str, np.ndarray] = {
        "has_markup": columns.present.astype(float),
        "link_density": columns.link_density.astype(float),
        "log_depth": _log(columns.depth.astype(float)),
        "log_container_chars": _log(columns.block_chars.astype(float)),
        "in_main": columns.in_main.astype(float),
    }
    for index, name in enumerate(_MARKUP_FLAGS):
        out[name] = flags[:, index]
    for k in range(_ANCESTOR_SHARES):
        out[f"ancestor_share_{k}"] = shares[:, k] if k < shares.shape[1] else np.zeros(n)
    return out


def _markup_flags(tag: str, ancestors: frozenset[str], hints: frozenset[str]) -> list[int]:
    found = (_TAG_COLUMN.get(tag), *map(_ANCESTOR_COLUMN.get, ancestors), *map(_HINT_COLUMN.get, hints))
    return [column for column in found if column is not None]


# The markup's yes/no features in column order, and where each tag, ancestor and hint sets one.
_MARKUP_FLAGS = (
    *(f"tag_{group}" for group in _TAG_GROUPS),
    *(f"inside_{tag}" for tag in _ANCESTOR_FLAGS),
    *(f"hint_{hint}" for hint in _HINTS),
)
_TAG_COLUMN = {tag: _MARKUP_FLAGS.index(f"tag_{group}") for group, tags in _TAG_GROUPS.items() for tag in tags}
_ANCESTOR_COLUMN = {tag: _MARKUP_FLAGS.index(f"inside_{tag}") for tag in _ANCESTOR_FLAGS}
_HINT_COLUMN = {hint: _MARKUP_FLAGS.index(f"hint_{hint}") for hint in _HINTS}


# The pluggable feature sets, in the order their columns appear.
FEATURE_SETS: dict[str, Callable[[Any, dict[str, np.ndarray]], dict[str, np.ndarray]]] = {
    "shape": _shape,
    "punctuation": _punctuation,
    "patterns": _pattern_features,
    "links": _link_features,
    "position": _position,
    "repetition": _repetition,
    "page_context": _page_context,
    "markup": _markup,
}
TEXT_FEATURE_SETS: tuple[str, ...] = tuple(name for name in FEATURE_SETS if name != "markup")
HTML_FEATURE_SETS: tuple[str, ...] = tuple(FEATURE_SETS)
# Pages are featurized in batches of about this many characters: fewer NumPy calls per page, bounded arrays.
BATCH_CHARS = 4 * 1024 * 1024


def page_boundaries(pages: np.ndarray) -> np.ndarray:
    """Start index of each run of equal page ids, plus the end: ``[0, ..., len(pages)]``."""
    if len(pages) == 0:
        return np.zeros(1, dtype=np.int64)
    change = np.flatnonzero(pages[1:] != pages[:-1]) + 1
    return np.concatenate(([0], change, [len(pages)]))


def check_feature_sets(feature_sets: Sequence[str]) -> None:
    unknown = [name for name in feature_sets if name not in FEATURE_SETS]
    if unknown:
        raise ValueError(f"unknown feature sets {unknown}; known: {list(FEATURE_SETS)}")


@lru_cache(maxsize=None)
def line_feature_names(feature_sets: tuple[str, ...]) -> tuple[str, ...]:
    """Column names of :func:`line_feature_matrix`: ``"page"``, then each feature set's features."""
    check_feature_sets(feature_sets)
    return ("page", *(column for name in feature_sets for column in _set_names(name)))


def line_feature_matrix(lines: Sequence[Line], feature_sets: Sequence[str], n_columns: int) -> np.ndarray:
    """Per-line features of ``lines``, one row per line; ``n_columns`` is ``len(line_feature_names(...))``.

    Consecutive lines with the same ``page`` form one page; position, repetition and page-context
    features are computed within it. The first column is the page id, for :func:`context_matrix`
    to respect page boundaries; it is not a feature and is dropped there.
    """
    lines = list(lines)
    if not lines:
        return np.zeros((0, n_columns))
    page_ids = np.fromiter((line.page for line in lines), dtype=np.int64, count=len(lines))
    marks = [line.markup for line in lines]
    matrix = columns_feature_matrix(
        [line.text for line in lines],
        np.fromiter((line.number for line in lines), dtype=np.int64, count=len(lines)),
        None if all(m is None for m in marks) else MarkupColumns.of(marks, _ANCESTOR_SHARES),
        page_boundaries(page_ids),
        feature_sets,
        n_columns,
    )
    matrix[:, 0] = page_ids
    return matrix


def columns_feature_matrix(
    texts: list[str],
    numbers: Sequence[int],
    markup: MarkupColumns | None,
    bounds: Sequence[int] | np.ndarray,
    feature_sets: Sequence[str],
    n_columns: int,
) -> np.ndarray:
    """:func:`line_feature_matrix` of pages given as their lines' texts, numbers and markup (None for
    plain text), the pages starting at ``bounds`` (``[0, ..., len(texts)]``): the same matrix as for
    their Line objects, without building them. The page column holds each page's index."""
    bounds = np.asarray(bounds, dtype=np.int64)
    matrix = np.empty((len(texts), n_columns), order="F")  # as in line_feature_matrix
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    for first, last in _batches(bounds, lengths):
        start, end = int(bounds[first]), int(bounds[last])
        part = None if markup is None else markup.rows(start, end)
        batch = _Page(texts[start:end], numbers[start:end], part, bounds[first : last + 1] - start)
        _fill(matrix[start:end], batch, feature_sets)
    matrix[:, 0] = np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))
    return matrix


def _batches(bounds: np.ndarray, lengths: np.ndarray) -> Iterator[tuple[int, int]]:
    """Runs of consecutive pages (indexes ``first:last`` into the pages starting at ``bounds``) of
    about :data:`BATCH_CHARS` characters each; a longer page is a batch of its own."""
    chars = np.concatenate(([0], np.cumsum(lengths + 1)))[bounds].tolist()  # characters before each page
    first, pages = 0, len(bounds) - 1
    while first < pages:
        last = first + 1
        while last < pages and chars[last + 1] - chars[first] <= BATCH_CHARS:
            last += 1
        yield first, last
        first = last


def _fill(rows: np.ndarray, batch: _Page, feature_sets: Sequence[str]) -> None:
    """Write the features of a batch of pages into ``rows`` (the page-id column, 0, is left to the caller).

    Filled in place, a feature set at a time: a long page's columns never exist twice.
    """
    counts = _char_counts(batch)
    column = 1
    for name in feature_sets:
        for offset, values in enumerate(FEATURE_SETS[name](batch, counts).values()):
            rows[:, column + offset] = values
        column += len(_set_names(name))
    if column != rows.shape[1]:
        raise ValueError(f"{column} feature columns, expected {rows.shape[1]}")


@lru_cache(maxsize=None)
def _set_names(name: str) -> tuple[str, ...]:
    """The columns a feature set gives, in order (read off a one-line page)."""
    probe = _Page(["x"], [1])
    return tuple(FEATURE_SETS[name](probe, _char_counts(probe)))


def context_columns(n_columns: int, page_column: int | None) -> list[int]:
    return [c for c in range(n_columns) if c != page_column]


def context_matrix(X: np.ndarray, neighbours: int, window: int, page_column: int | None) -> np.ndarray:
    """``X`` (float64, validated) without its page column, then for every column the values of the
    neighbouring lines (offsets ``1..neighbours``, previous and next) and the means over ``window``
    lines on each side. Rows are grouped into pages by ``page_column`` (all one page when None);
    neighbours beyond a page's edge read as zeros."""
    keep = context_columns(X.shape[1], page_column)
    values = X[:, keep]
    if page_column is None:
        bounds = np.array([0, len(X)])
    else:
        bounds = page_boundaries(X[:, page_column])
    parts = [values]
    parts += [np.zeros_like(values) for _ in range(2 * neighbours + (2 if window else 0))]
    for start, end in zip(bounds[:-1], bounds[1:]):
        page = values[start:end]
        n = end - start
        slot = 1
        for k in range(1, neighbours + 1):
            if k < n:
                parts[slot][start + k : end] = page[: n - k]
                parts[slot + 1][start : end - k] = page[k:]
            slot += 2
        if window:
            cumulative = np.vstack((np.zeros((1, page.shape[1])), np.cumsum(page, axis=0)))
            index = np.arange(n)
            lo = np.maximum(index - window, 0)
            hi = np.minimum(index + window + 1, n)
            # Means over the lines before and after, the line itself excluded.
            before_count = np.maximum(index - lo, 1)[:, None]
            after_count = np.maximum(hi - index - 1, 1)[:, None]
            parts[slot][start:end] = (cumulative[index] - cumulative[lo]) / before_count
            parts[slot + 1][start:end] = (cumulative[hi] - cumulative[index + 1]) / after_count
    return np.hstack(parts)


def context_feature_names(base: Sequence[str], neighbours: int, window: int) -> list[str]:
    """Column names of :func:`context_matrix` for input columns named ``base`` (page column left out)."""
    names = list(base)
    for k in range(1, neighbours + 1):
        names += [f"prev{k}_{b}" for b in base] + [f"next{k}_{b}" for b in base]
    if window:
        names += [f"before{window}_{b}" for b in base] + [f"after{window}_{b}" for b in base]
    return names
