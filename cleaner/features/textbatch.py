"""The fast feature code's view of a batch of pages: the lines joined into one string, what one pass
over their characters finds (:mod:`cleaner.features.scan`), and the pattern scans mapped back to lines.

Features are computed for a batch of pages at once, not line by line in Python: one scan of the
characters of every line, one regex scan per pattern over the joined text, mapped back to lines with
``searchsorted``. A pattern that cannot match without some character is scanned for
only in the lines that hold one, and the word lists only where a word of theirs may start: the counts
are those of :mod:`cleaner.features.reference`, bit for bit (the tests compare every column).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from cleaner.features import patterns
from cleaner.features.lexicon import lexicon_hits
from cleaner.features.scan import SCAN_COLUMNS, line_scan
from cleaner.records import PageBatch

# Lexical cues (word lists, dates, prices...) are read on lines up to this long: that is where page
# furniture lives, and long paragraphs are judged by their shape.
LEXICAL_MAX_CHARS = 300


class TextBatch:
    """A page's lines (or a batch of pages', one page after the other: see ``bounds``) joined into a
    single string, with each line's start offset and what the line scan found in each (``scanned``; see
    :data:`~cleaner.features.scan.SCAN_COLUMNS`).

    Lexical cues (word lists, dates, prices, postcodes) are read on the page's short lines only,
    through ``short_lower`` (lower-cased) and, for the short lines holding a digit, ``numeric`` and
    ``numeric_lower``: that is where page furniture lives, and it keeps the cost of the slowest
    patterns off long paragraphs, which are judged by shape. Patterns that cannot match without
    some character or string are only run on the lines that hold it (:meth:`count_in`,
    :meth:`lines_holding`, the candidate searches): the counts are the same, the scan is shorter.
    """

    __slots__ = (
        "texts", "numbers", "markup", "signals", "bounds", "joined", "starts", "lengths", "n", "scanned",
        "_lower", "lower_lengths", "short_index", "short_lower", "short_lower_starts", "numeric_index", "numeric",
        "numeric_starts", "numeric_lower", "numeric_lower_starts",
    )  # fmt: skip

    def __init__(self, batch: PageBatch) -> None:
        self.texts = batch.texts
        self.numbers = np.asarray(batch.numbers, dtype=np.int64)
        self.markup = batch.markup  # None for plain text: no line has markup
        self.signals = batch.signals  # per page, for HTML
        self.n = len(self.texts)
        # Where each page of a batch starts, and the end: [0, ..., n].
        self.bounds = np.asarray(batch.bounds, dtype=np.int64)
        self._lower: list[str] | None = None
        self.joined = "\n".join(self.texts)
        self.lengths = np.fromiter(map(len, self.texts), dtype=np.int64, count=self.n)
        self.starts = line_starts(self.lengths)
        self.scanned = line_scan(self.texts)
        short = np.flatnonzero(self.lengths <= LEXICAL_MAX_CHARS)
        self.short_index = short
        self.short_lower, self.short_lower_starts = self._lower_view(short)
        # Numeric patterns (prices, postcodes, dates...) only run on the short lines that hold a digit.
        numeric = short[self.scanned[short, _DIGITS] > 0]
        self.numeric_index = numeric
        self.numeric = "\n".join([self.texts[i] for i in numeric.tolist()])
        self.numeric_starts = line_starts(self.lengths[numeric])
        self.numeric_lower, self.numeric_lower_starts = self._lower_view(numeric)

    def _lower_view(self, index: np.ndarray) -> tuple[str, np.ndarray]:
        """The lines ``index`` lower-cased and joined, and the offset of each."""
        lowered = self.lower_lines()
        return "\n".join([lowered[i] for i in index.tolist()]), line_starts(self.lower_lengths[index])

    def lower_lines(self) -> list[str]:
        """Each line lower-cased (``str.lower``), one line at a time: a page joined and lower-cased
        at once would cost a second copy of the joined text, four bytes a character on a page with
        one emoji."""
        if self._lower is None:
            self._lower = list(map(str.lower, self.texts))
            lower_lengths = np.fromiter(map(len, self._lower), dtype=np.int64, count=self.n)
            # Lower-casing never shortens a text; a line with an "İ" (two characters lower-cased) grows.
            self.lower_lengths = self.lengths if np.array_equal(lower_lengths, self.lengths) else lower_lengths
        return self._lower

    # -- what the line scan found -------------------------------------------------------------

    def column(self, name: str) -> np.ndarray:
        """The line scan's column ``name`` for each line (a count, or a flag as 0 or 1), as floats."""
        return self.scanned[:, _COLUMN[name]].astype(float)

    def flagged(self, name: str) -> np.ndarray:
        """Whether the line scan set the flag ``name`` on each line."""
        return self.scanned[:, _COLUMN[name]] != 0

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
        (:func:`~cleaner.features.lexicon.lexicon_hits`) and the list whose group matched."""
        lists = patterns.LEXICON_GROUPS
        found, which = lexicon_hits(self.short_lower)
        # One count per (list, short line), then spread over all lines.
        short = len(self.short_index)
        counts = np.zeros((len(lists), self.n))
        if found:
            line = np.searchsorted(self.short_lower_starts, found, side="right") - 1
            flat = np.bincount(np.asarray(which) * short + line, minlength=len(lists) * short)
            counts[:, self.short_index] = flat.reshape(len(lists), short)
        return dict(zip(patterns.LEXICON_GROUPS, counts))


# Each scan column's index.
_COLUMN = {name: index for index, name in enumerate(SCAN_COLUMNS)}
_DIGITS = _COLUMN["digits"]


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
