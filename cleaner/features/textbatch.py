"""The feature code's view of a batch of pages: their lines, and what one pass over the lines'
characters finds (:mod:`cleaner.features.scan`).

Features are computed for a batch of pages at once, not page by page: one scan of the characters of
every line, one call of the compiled text features (:mod:`cleaner.features.text`) over all of them,
one loop a page for the sets read within a page (:mod:`cleaner.features.page`).
"""

from __future__ import annotations

import numpy as np

from cleaner.features.scan import SCAN_COLUMNS, line_scan
from cleaner.read.prose import CJK_CHARS_PER_WORD, PROSE_LINES, PROSE_MIN_WORDS
from cleaner.read.titles import line_keys
from cleaner.records import PageBatch


class TextBatch:
    """A batch of pages' lines (one page after the other: see ``bounds``), with what the line scan
    found in each (``scanned``; see :data:`~cleaner.features.scan.SCAN_COLUMNS`), each line
    lower-cased (made when first asked for), and the text feature sets' columns once the first of
    them is asked for (``text_columns``, :mod:`cleaner.features.text`)."""

    __slots__ = (
        "texts", "numbers", "markup", "signals", "bounds", "chars", "n", "scanned", "text_columns", "_lower",
        "_batch",
    )  # fmt: skip

    def __init__(self, batch: PageBatch) -> None:
        self.texts = batch.texts
        self.numbers = np.asarray(batch.numbers, dtype=np.int64)
        self.markup = batch.markup  # None for plain text: no line has markup
        self.signals = batch.signals  # per page, for HTML
        self.n = len(self.texts)
        # Where each page of a batch starts, and the end: [0, ..., n].
        self.bounds = np.asarray(batch.bounds, dtype=np.int64)
        self.chars = batch.line_chars()
        self.scanned = line_scan(self.texts)
        self.text_columns: np.ndarray | None = None
        self._lower: list[str] | None = None
        self._batch = batch

    def lower_lines(self) -> list[str]:
        """Each line lower-cased (``str.lower``)."""
        if self._lower is None:
            self._lower = list(map(str.lower, self.texts))
        return self._lower

    def keys(self) -> list[str]:
        """Each line's key (:func:`~cleaner.read.titles.line_keys`: made once a batch, for the features
        and the decision rules)."""
        return line_keys(self._batch)

    def prose(self) -> np.ndarray:
        """Per line: prose, as :func:`cleaner.read.prose.is_prose` defines it, from the line scan's counts
        (its words, CJK characters and sentence punctuation); kept among the batch's derived columns,
        where the decision rules find it (:func:`cleaner.read.prose.batch_prose`)."""
        found = self._batch.derived.get(PROSE_LINES)
        if found is None:
            words = self.scanned[:, _COLUMN["words"]] + self.scanned[:, _COLUMN["cjk"]] // CJK_CHARS_PER_WORD
            found = self._batch.derived[PROSE_LINES] = (words >= PROSE_MIN_WORDS) & self.flagged("good_punct")
        return found

    # -- what the line scan found -------------------------------------------------------------

    def column(self, name: str) -> np.ndarray:
        """The line scan's column ``name`` for each line (a count, or a flag as 0 or 1), as floats."""
        return self.scanned[:, _COLUMN[name]].astype(float)

    def flagged(self, name: str) -> np.ndarray:
        """Whether the line scan set the flag ``name`` on each line."""
        return self.scanned[:, _COLUMN[name]] != 0


# Each scan column's index.
_COLUMN = {name: index for index, name in enumerate(SCAN_COLUMNS)}
