"""The feature sets read off a line's own text (fast implementation): its shape, its punctuation, the
patterns it holds (prices, postcodes, dates, word lists...) and its links.

Each function takes a :class:`~cleaner.features.textbatch.TextBatch` and the character counts, and
returns its columns in order; :mod:`cleaner.features.reference` defines the same columns line by line.
The shape and punctuation columns come from the line scan's counts, by the compiled core
(``features/_text.pyx``), or without it from the reference, line by line.
"""

from __future__ import annotations

import numpy as np

from cleaner.core import compiled
from cleaner.features import patterns
from cleaner.features.counts import ratio
from cleaner.features.textbatch import TextBatch
from cleaner.read.prose import PROSE_MIN_WORDS

# The columns of the shape and punctuation sets, in order, and the bounds they are read with.
SHAPE_COLUMNS = (
    "log_chars", "log_words", "mean_word_length", "ends_terminal", "ends_colon", "starts_upper", "one_word",
    "short", "long", "leading_space",
)  # fmt: skip
PUNCTUATION_COLUMNS = (
    "punct_ratio", "digit_ratio", "upper_ratio", "letter_ratio", "symbol_ratio", "capitalised_word_ratio",
    "log_sentences", "commas_per_word", "has_quotes", "all_caps", "menu_separators",
)  # fmt: skip
MEAN_WORD_LENGTH_CAP = 30.0
COMMAS_PER_WORD_CAP = 1.0
MENU_SEPARATOR_CAP = 5.0
ONE_WORD, SHORT_WORDS, LONG_WORDS = 1, 4, PROSE_MIN_WORDS  # words: at most, at most, at least
ALL_CAPS_MIN_LETTERS, ALL_CAPS_SHARE = 3, 0.8  # capitals among the letters
# The columns given as counts by the compiled core, whose log(1 + x) is taken here (see _text.pyx).
_LOGGED = {SHAPE_COLUMNS: ("log_chars", "log_words"), PUNCTUATION_COLUMNS: ("log_sentences",)}
_CORE = "cleaner.features._text"


def shape(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    core = compiled(_CORE)
    if core is None:
        return _per_line(page, SHAPE_COLUMNS, "shape")
    return _named(SHAPE_COLUMNS, core.shape_columns(page.scanned, page.lengths))


def punctuation(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    core = compiled(_CORE)
    if core is None:
        return _per_line(page, PUNCTUATION_COLUMNS, "punctuation")
    columns = _named(PUNCTUATION_COLUMNS, core.punctuation_columns(page.scanned, page.lengths))
    menu_lines = page.short_index[page.flagged("menu_mark")[page.short_index]]
    columns["menu_separators"][:] = np.minimum(page.count_in(patterns.MENU_SEPARATOR, menu_lines), MENU_SEPARATOR_CAP)
    return columns


def _named(names: tuple[str, ...], matrix: np.ndarray) -> dict[str, np.ndarray]:
    """The compiled core's columns ``names``, with the logarithms of :data:`_LOGGED` taken by NumPy."""
    logged = [names.index(name) for name in _LOGGED[names]]
    matrix[:, logged] = np.log1p(matrix[:, logged])
    return {name: matrix[:, index] for index, name in enumerate(names)}


def _per_line(page: TextBatch, names: tuple[str, ...], feature_set: str) -> dict[str, np.ndarray]:
    """The reference's columns of ``feature_set`` (one of its per-line sets), line by line: the
    reference core (a compiled run never loads the reference definitions)."""
    from cleaner.features import reference

    rows = list(map(reference.PER_LINE[feature_set], page.texts))
    return {name: np.array([row[name] for row in rows], dtype=float) for name in names}


def pattern_features(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    # Counts saturate: the third price on a line says no more than the first.
    out = {
        "price": page.count_in(patterns.PRICE, _price_candidates(page)),
        "postcode": page.count_in(patterns.POSTCODE, _numeric_marked(page, "postcode_mark")),
        "phone": page.count_in(patterns.PHONE, _numeric_marked(page, "phone_mark")),
        "date": page.count_dates(),
        "time": page.count_in_lower(patterns.TIME, _numeric_marked(page, "time_mark"), view="numeric"),
        "year": page.count_numeric(patterns.YEAR),
        "email": page.count(patterns.EMAIL, after=word_character),
        **page.lexicon(),
        "copyright": _copyright(page),
    }
    return {name: np.minimum(values, 3.0) for name, values in out.items()}


def _copyright(page: TextBatch) -> np.ndarray:
    # Most pages hold no mark at all, and most lines of those that do hold none: str's own search says
    # so several times faster than a regex scan.
    if not any(mark in page.short_lower for mark in patterns.COPYRIGHT_MARKS):
        return np.zeros(page.n)
    return page.count_in_lower(patterns.COPYRIGHT, page.lines_holding(*patterns.COPYRIGHT_MARKS, view="short"))


# Candidate searches: the numeric lines (short, with a digit) that hold what every match of a pattern
# holds (the line scan's marks); the pattern then runs on those lines only (the same counts).


def _price_candidates(page: TextBatch) -> np.ndarray:
    """Lines that may hold a price: a currency symbol or a currency word."""
    lines = _numeric_marked(page, "currency")
    words = [m.start() for m in patterns.CURRENCY_WORD_HINT.finditer(page.numeric)]
    if words:
        lines = np.union1d(lines, page.numeric_index[np.searchsorted(page.numeric_starts, words, "right") - 1])
    return lines


def _numeric_marked(page: TextBatch, flag: str) -> np.ndarray:
    """The numeric lines (line indexes, in order) on which the line scan set ``flag``."""
    return page.numeric_index[page.flagged(flag)[page.numeric_index]]


def link_features(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    text = page.joined
    links, link_chars = np.zeros(page.n), np.zeros(page.n)
    if "](" in text:  # no Markdown link without it
        found, covered = page.scan_in(patterns.MARKDOWN_LINK, page.lines_holding("]("))
        links, link_chars = links + found, link_chars + covered
    if "://" in text or "www." in text:  # no bare URL without either
        found, covered = page.scan_in(patterns.BARE_URL, page.lines_holding("://", "www."), after=not_link_start)
        links, link_chars = links + found, link_chars + covered
    # Line-anchored patterns are tried only on the lines whose first characters they need.
    return {
        "text_link_density": np.minimum(ratio(link_chars, counts["chars"]), 1.0),
        "text_links": np.minimum(links, 5.0),
        "markdown_heading": page.match_start(patterns.MARKDOWN_HEADING, np.flatnonzero(page.flagged("heading_start"))),
        "list_item": page.match_start(patterns.LIST_ITEM, np.flatnonzero(page.flagged("bullet_start"))),
        "table_row": page.match_start(patterns.TABLE_ROW, np.flatnonzero(page.flagged("table_start"))),
    }


def word_character(previous: str) -> bool:
    return previous != "" and (previous.isalnum() or previous in "._+-")


def not_link_start(previous: str) -> bool:
    """A bare URL is not one inside a Markdown link's parentheses nor glued to a word."""
    return previous != "(" and not previous.isalnum()
