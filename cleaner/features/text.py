"""The feature sets read off a line's own text (fast implementation): its shape, its punctuation, the
patterns it holds (prices, postcodes, dates, word lists...) and its links.

Each function takes a :class:`~cleaner.features.textbatch.TextBatch` and the character counts, and
returns its columns in order; :mod:`cleaner.features.reference` defines the same columns line by line.
"""

from __future__ import annotations

import numpy as np

from cleaner.features import patterns
from cleaner.features.counts import log_count, ratio
from cleaner.features.textbatch import TextBatch
from cleaner.read.prose import PROSE_MIN_WORDS

# The bounds the shape and punctuation columns are read with (the reference reads the same names).
MEAN_WORD_LENGTH_CAP = 30.0
COMMAS_PER_WORD_CAP = 1.0
MENU_SEPARATOR_CAP = 5.0
ONE_WORD, SHORT_WORDS, LONG_WORDS = 1, 4, PROSE_MIN_WORDS  # words: at most, at most, at least
ALL_CAPS_MIN_LETTERS, ALL_CAPS_SHARE = 3, 0.8  # capitals among the letters


def shape(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    chars, words = counts["chars"], counts["words"]
    return {
        "log_chars": log_count(chars),
        "log_words": log_count(words),
        "mean_word_length": np.minimum(ratio(chars - counts["spaces"], words), MEAN_WORD_LENGTH_CAP),
        "ends_terminal": page.column("ends_terminal"),
        "ends_colon": page.column("ends_colon"),
        "starts_upper": page.column("starts_upper"),
        "one_word": (words <= ONE_WORD).astype(float),
        "short": (words <= SHORT_WORDS).astype(float),
        "long": (words >= LONG_WORDS).astype(float),
        "leading_space": page.column("leading_space"),
    }


def punctuation(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    chars, words, letters = counts["chars"], counts["words"], counts["letters"]
    menu_lines = page.short_index[page.flagged("menu_mark")[page.short_index]]
    return {
        "punct_ratio": ratio(counts["punct"], chars),
        "digit_ratio": ratio(counts["digits"], chars),
        "upper_ratio": ratio(counts["upper"], letters),
        "letter_ratio": ratio(letters, chars),
        "symbol_ratio": ratio(counts["symbols"], chars),
        "capitalised_word_ratio": ratio(counts["capitalised_words"], words),
        "log_sentences": log_count(counts["terminal"]),
        "commas_per_word": np.minimum(ratio(counts["commas"], words), COMMAS_PER_WORD_CAP),
        "has_quotes": (counts["quotes"] > 0).astype(float),
        "all_caps": ((letters >= ALL_CAPS_MIN_LETTERS) & (counts["upper"] >= ALL_CAPS_SHARE * letters)).astype(float),
        "menu_separators": np.minimum(page.count_in(patterns.MENU_SEPARATOR, menu_lines), MENU_SEPARATOR_CAP),
    }


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
