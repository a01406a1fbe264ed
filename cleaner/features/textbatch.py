"""The fast feature code's view of a batch of pages: the lines joined into one string, their code points
and character classes, and the pattern scans mapped back to lines.

Features are computed for a batch of pages at once, not line by line in Python: one lookup of
character classes over the code points, one regex scan per pattern over the joined text, mapped back
to lines with ``searchsorted``. A pattern that cannot match without some character is scanned for
only in the lines that hold one, and the word lists only where a word of theirs may start: the counts
are those of :mod:`cleaner.features.reference`, bit for bit (the tests compare every column).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from cleaner.features import patterns
from cleaner.features.chars import DIGIT, SPACE, char_class_table, code_points, letter_or_digit_table
from cleaner.features.layout import PageLayout
from cleaner.records import PageBatch

# Lexical cues (word lists, dates, prices...) are read on lines up to this long: that is where page
# furniture lives, and long paragraphs are judged by their shape.
LEXICAL_MAX_CHARS = 300


class TextBatch:
    """A page's lines (or a batch of pages', one page after the other: see ``bounds``) joined into a
    single string, with each line's start offset and the code points and their classes (see
    :func:`char_class_table`).

    Lexical cues (word lists, dates, prices, postcodes) are read on the page's short lines only,
    through ``short_lower`` (lower-cased) and, for the short lines holding a digit, ``numeric`` and
    ``numeric_lower``: that is where page furniture lives, and it keeps the cost of the slowest
    patterns off long paragraphs, which are judged by shape. Patterns that cannot match without
    some character or string are only run on the lines that hold it (:meth:`count_in`,
    :meth:`lines_holding`, the candidate searches): the counts are the same, the scan is shorter.
    """

    __slots__ = (
        "texts", "numbers", "markup", "signals", "bounds", "joined", "starts", "lengths", "n", "codes", "classes",
        "digit", "_edges", "_has", "_layout", "_lower", "lower_lengths", "_numeric_chars", "short_index", "short_lower",
        "short_lower_starts", "numeric_index", "numeric", "numeric_starts", "numeric_lower", "numeric_lower_starts",
    )  # fmt: skip

    def __init__(self, batch: PageBatch) -> None:
        self.texts = batch.texts
        self.numbers = np.asarray(batch.numbers, dtype=np.int64)
        self.markup = batch.markup  # None for plain text: no line has markup
        self.signals = batch.signals  # per page, for HTML
        self.n = len(self.texts)
        # Where each page of a batch starts, and the end: [0, ..., n].
        self.bounds = np.asarray(batch.bounds, dtype=np.int64)
        self._has: dict[int, np.ndarray] = {}
        self._layout: PageLayout | None = None
        self._lower: list[str] | None = None
        self._numeric_chars: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.joined = "\n".join(self.texts)
        self.lengths = np.fromiter(map(len, self.texts), dtype=np.int64, count=self.n)
        self.starts = line_starts(self.lengths)
        # The trailing newline gives every line, even an empty last one, one character to reduce over.
        self.codes = code_points(self.joined + "\n")
        # Code points past the table read its last entry (mode="clip"), without a clipped copy of the page.
        self.classes = np.take(char_class_table(), self.codes, mode="clip")
        self.digit = (self.classes & DIGIT) != 0  # read by several features
        self._edges: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        short = np.flatnonzero(self.lengths <= LEXICAL_MAX_CHARS)
        self.short_index = short
        self.short_lower, self.short_lower_starts = self._lower_view(short)
        # Numeric patterns (prices, postcodes, dates...) only run on the short lines that hold a digit.
        numeric = short[(self.per_line(self.digit) > 0)[short]]
        self.numeric_index = numeric
        self.numeric = "\n".join([self.texts[i] for i in numeric.tolist()])
        self.numeric_starts = line_starts(self.lengths[numeric])
        self.numeric_lower, self.numeric_lower_starts = self._lower_view(numeric)

    def _lower_view(self, index: np.ndarray) -> tuple[str, np.ndarray]:
        """The lines ``index`` lower-cased and joined, and the offset of each."""
        lowered = self.lower_lines()
        return "\n".join([lowered[i] for i in index.tolist()]), line_starts(self.lower_lengths[index])

    def lower_lines(self) -> list[str]:
        """Each line lower-cased (``str.lower``; the newlines between lines keep a capital sigma's
        context to its line, so the lines are lower-cased at once)."""
        if self._lower is None:
            joined = self.joined.lower()
            self._lower = joined.split("\n")
            # Lower-casing never shortens a text: if the page kept its length, every line did. Else
            # ("İ" lower-cases to two characters) the lower-cased lines have lengths of their own.
            self.lower_lengths = (
                self.lengths
                if len(joined) == len(self.joined)
                else np.fromiter(map(len, self._lower), dtype=np.int64, count=self.n)
            )
        return self._lower

    def layout(self) -> PageLayout:
        """Where each line's page starts and ends, for the features read within a page."""
        if self._layout is None:
            self._layout = PageLayout(self.bounds, self.n)
        return self._layout

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
        solid = np.flatnonzero((self.classes & SPACE) == 0)  # the newlines between lines are spaces
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
        return self._scan_view(pattern, text, index, line_starts(self.lengths[index]), after)

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
            "short": (self.short_lower, self.short_lower_starts, self.short_index),
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
        out[self.numeric_index] = count_per_line(sorted(found), self.numeric_lower_starts, len(self.numeric_index))
        return out

    def count_numeric(self, pattern: re.Pattern[str], lower: bool = False) -> np.ndarray:
        """Matches of a pattern that needs a digit, per line, in short lines that hold one."""
        if lower:
            return self._count_view(pattern, self.numeric_lower, self.numeric_index, self.numeric_lower_starts)
        return self._count_view(pattern, self.numeric, self.numeric_index, self.numeric_starts)

    def count_in_lower(self, pattern: re.Pattern[str], index: np.ndarray, view: str = "short") -> np.ndarray:
        """:meth:`count_in` over the lines ``index`` as the lower-cased view has them: ``short_lower``
        ("short"), or ``numeric_lower`` ("numeric"; ``index`` must be lines of the view)."""
        lower, view_index, view_starts = (
            (self.short_lower, self.short_index, self.short_lower_starts) if view == "short"
            else (self.numeric_lower, self.numeric_index, self.numeric_lower_starts)
        )  # fmt: skip
        offsets = view_starts[np.searchsorted(view_index, index)].tolist()
        lengths = self.lower_lengths[index]
        text = "\n".join([lower[at : at + size] for at, size in zip(offsets, lengths.tolist())])
        return self._count_view(pattern, text, index, line_starts(lengths))

    def numeric_chars(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Code points, classes and digit flags of ``numeric`` (the short lines that hold a digit)
        and a newline after it: what the numeric patterns' candidate searches read."""
        if self._numeric_chars is None:
            codes = code_points(self.numeric + "\n")
            classes = np.take(char_class_table(), codes, mode="clip")
            self._numeric_chars = codes, classes, (classes & DIGIT) != 0
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
        return self._count_view(pattern, text, index, line_starts(self.lengths[index]))

    def _count_view(self, pattern: re.Pattern[str], text: str, index: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Matches of ``pattern`` in ``text``, the lines ``index`` joined (starting at ``starts``), per line."""
        out = np.zeros(self.n)
        out[index] = count_per_line([m.start() for m in pattern.finditer(text)], starts, len(index))
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
        (:func:`lexicon_candidates`), which finds the hits a scan of the whole text finds."""
        text = self.short_lower
        lists = list(patterns.LEXICON_LISTS.values())
        found: list[int] = []  # offsets of the hits
        which: list[int] = []  # and the index of their list
        match_at = patterns.LEXICON_SCAN.match
        end = 0  # as in a scan, a hit is looked for after the end of the last one
        for at in lexicon_candidates(text):
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
            line = np.searchsorted(self.short_lower_starts, found, side="right") - 1
            flat = np.bincount(np.asarray(which) * short + line, minlength=len(lists) * short)
            counts[:, self.short_index] = flat.reshape(len(lists), short)
        return dict(zip(patterns.LEXICON_LISTS, counts))


def line_starts(lengths: np.ndarray) -> np.ndarray:
    """Offset of each text in the texts joined by newlines, from their lengths."""
    if not len(lengths):
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))


def count_per_line(positions: list[int], starts: np.ndarray, n: int) -> np.ndarray:
    """How many of ``positions`` fall in each of the ``n`` lines starting at ``starts``."""
    if not positions:
        return np.zeros(n)
    return np.bincount(np.searchsorted(starts, positions, side="right") - 1, minlength=n).astype(float)


# Places where a word-list hit may start are compared with patterns.LEXICON_PREFIXES on their first (up
# to) this many characters, packed into one number of 21 bits a character.
PREFIX_CHARS = 3


@lru_cache(maxsize=1)
def lexicon_prefix_keys() -> dict[int, np.ndarray]:
    """Each length up to :data:`PREFIX_CHARS`, and the sorted packed keys of the word-list prefixes
    cut to it (a prefix shorter than that is compared on its own length)."""
    keys: dict[int, set[int]] = {}
    for prefix in patterns.LEXICON_PREFIXES:
        head = prefix[:PREFIX_CHARS]
        key = 0
        for char in head:
            key = (key << 21) | ord(char)
        keys.setdefault(len(head), set()).add(key)
    return {length: np.array(sorted(found), dtype=np.uint64) for length, found in keys.items()}


def lexicon_candidates(text: str) -> list[int]:
    """Offsets in ``text`` where a ``patterns.LEXICON`` hit may start, in order: after a character
    that is neither a letter nor a digit (or at the start) and at one of ``patterns.LEXICON_PREFIXES``.
    Every hit starts at one: it starts with its word's literal prefix, after no word character."""
    # A newline stands for the text's start, and newlines pad its end (no prefix holds one).
    codes = code_points("\n" + text + "\n" * PREFIX_CHARS)
    word = np.take(letter_or_digit_table(), codes[: len(text)], mode="clip")
    at = np.flatnonzero(~word)  # codes[at] is the character before text[at]
    prefix_keys = lexicon_prefix_keys()
    if 0 in prefix_keys:  # a word without a literal start: any place may hold a hit
        return at.tolist()
    possible = np.zeros(len(at), dtype=bool)
    keys = np.zeros(len(at), dtype=np.uint64)
    for length in range(1, PREFIX_CHARS + 1):
        keys = (keys << np.uint64(21)) | codes[at + length]
        allowed = prefix_keys.get(length)
        if allowed is not None:
            found = np.minimum(np.searchsorted(allowed, keys), len(allowed) - 1)
            possible |= allowed[found] == keys
    return at[possible].tolist()
