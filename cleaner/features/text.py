"""The feature sets read off a line's own text (fast implementation): its shape, its punctuation, the
patterns it holds (prices, postcodes, dates, word lists...) and its links.

Each function takes a :class:`~cleaner.features.textbatch.TextBatch` and the character counts, and
returns its columns in order; :mod:`cleaner.features.reference` defines the same columns line by line.
"""

from __future__ import annotations

import numpy as np

from cleaner.features import patterns
from cleaner.features.chars import (
    BULLET,
    CASED_UPPER,
    CLOSER,
    CURRENCY,
    DIGIT,
    MENU_MARK,
    SPACE,
    TERMINAL,
)
from cleaner.features.counts import log_count, ratio
from cleaner.features.textbatch import TextBatch
from cleaner.read.prose import PROSE_MIN_WORDS


def shape(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    chars, words = counts["chars"], counts["words"]
    first, last, solid = page.edges()
    starts_upper = solid & ((page.classes[first] & CASED_UPPER) != 0)  # t.lstrip()[:1].isupper()
    ends_colon = solid & (page.codes[last] == ord(":"))  # t.rstrip().endswith(":")
    leading_space = (page.lengths > 0) & ((page.classes[page.starts] & SPACE) != 0)  # t[:1].isspace()
    ends = _ends_terminal(page)
    return {
        "log_chars": log_count(chars),
        "log_words": log_count(words),
        "mean_word_length": np.minimum(ratio(chars - counts["spaces"], words), 30.0),
        "ends_terminal": ends.astype(float),
        "ends_colon": ends_colon.astype(float),
        "starts_upper": starts_upper.astype(float),
        "one_word": (words <= 1).astype(float),
        "short": (words <= 4).astype(float),
        "long": (words >= PROSE_MIN_WORDS).astype(float),
        "leading_space": leading_space.astype(float),
    }


def punctuation(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    chars, words, letters = counts["chars"], counts["words"], counts["letters"]
    return {
        "punct_ratio": ratio(counts["punct"], chars),
        "digit_ratio": ratio(counts["digits"], chars),
        "upper_ratio": ratio(counts["upper"], letters),
        "letter_ratio": ratio(letters, chars),
        "symbol_ratio": ratio(counts["symbols"], chars),
        "capitalised_word_ratio": ratio(counts["capitalised_words"], words),
        "log_sentences": log_count(counts["terminal"]),
        "commas_per_word": np.minimum(ratio(counts["commas"], words), 1.0),
        "has_quotes": (counts["quotes"] > 0).astype(float),
        "all_caps": ((letters >= 3) & (counts["upper"] >= 0.8 * letters)).astype(float),
        "menu_separators": np.minimum(
            page.count_in(patterns.MENU_SEPARATOR, page.short_index[page.has(MENU_MARK)[page.short_index]]), 5.0
        ),
    }


def pattern_features(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    # Counts saturate: the third price on a line says no more than the first.
    out = {
        "price": page.count_in(patterns.PRICE, _price_candidates(page)),
        "postcode": page.count_in(patterns.POSTCODE, _postcode_candidates(page)),
        "phone": page.count_in(patterns.PHONE, _phone_candidates(page)),
        "date": page.count_dates(),
        "time": page.count_in_lower(patterns.TIME, _time_candidates(page), view="numeric"),
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


# Candidate searches: the numeric lines that hold what every match of a pattern holds (read from the
# characters of the numeric lines); the pattern then runs on those lines only (the same counts).


def _price_candidates(page: TextBatch) -> np.ndarray:
    """Lines that may hold a price: a currency symbol or a currency word."""
    _, classes, _ = page.numeric_chars()
    lines = page.numeric_marked((classes & CURRENCY) != 0)
    words = [m.start() for m in patterns.CURRENCY_WORD_HINT.finditer(page.numeric)]
    if words:
        lines = np.union1d(lines, page.numeric_index[np.searchsorted(page.numeric_starts, words, "right") - 1])
    return lines


def _postcode_candidates(page: TextBatch) -> np.ndarray:
    """Lines that may hold a postcode: four digits in a row followed by a digit, ")", a capital A-Z,
    or white space and a capital (every match that starts with a digit or a parenthesis), or a
    capital A-Z before a digit (every match that starts with a letter)."""
    codes, classes, digit = page.numeric_chars()
    capital = (codes >= 65) & (codes <= 90)
    follows = digit | capital | (codes == ord(")"))
    follows[:-1] |= ((classes[:-1] & SPACE) != 0) & (codes[:-1] != 10) & capital[1:]
    mark = np.zeros(len(codes), dtype=bool)
    mark[:-4] = digit[:-4] & digit[1:-3] & digit[2:-2] & digit[3:-1] & follows[4:]
    mark[:-1] |= capital[:-1] & digit[1:]
    return page.numeric_marked(mark)


def _phone_candidates(page: TextBatch) -> np.ndarray:
    """Lines that may hold a phone number: two digits, a separator, two digits."""
    codes, _, digit = page.numeric_chars()
    separator = (codes == 32) | (codes == 46) | (codes == 45) | (codes == 0xA0)
    mark = np.zeros(len(codes), dtype=bool)
    mark[:-4] = digit[:-4] & digit[1:-3] & separator[2:-2] & digit[3:-1] & digit[4:]
    return page.numeric_marked(mark)


def _time_candidates(page: TextBatch) -> np.ndarray:
    """Lines that may hold a time: a digit followed by ":", "h", "a" or "p" (in either case: only
    these lower-case to those), at once or after one white space character."""
    codes, classes, digit = page.numeric_chars()
    sign = np.take(_TIME_SIGNS, codes, mode="clip")
    mark = np.zeros(len(codes), dtype=bool)
    mark[:-1] = digit[:-1] & sign[1:]
    mark[:-2] |= digit[:-2] & ((classes[1:-1] & SPACE) != 0) & (codes[1:-1] != 10) & sign[2:]
    return page.numeric_marked(mark)


# Whether each ASCII code point is one of ":hHaApP" (and a last False for every code point above).
_TIME_SIGNS = np.isin(np.arange(129), [ord(char) for char in ":hHaApP"])


def _ends_terminal(page: TextBatch) -> np.ndarray:
    """Whether each line ends a sentence: ``patterns.TERMINAL_END`` matches it, read backwards from
    the line's end. Trailing spaces, then closing quotes or brackets (each after at most one space),
    then a terminal mark; the same lines as the pattern, without scanning every character."""
    _, position, found = page.edges()  # the last non-space character
    starts, classes = page.starts, page.classes
    space = (classes & SPACE) != 0
    found = found.copy()
    while True:
        closing = found & ((classes[position] & CLOSER) != 0)
        if not closing.any():
            break
        position = np.where(closing, position - 1, position)
        inside = position >= starts
        position = np.where(closing & inside & space[np.maximum(position, 0)], position - 1, position)
        found &= position >= starts
    return found & ((classes[np.maximum(position, 0)] & TERMINAL) != 0)


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
    first, _, solid = page.edges()
    codes, classes = page.codes, page.classes
    heading = (page.lengths > 0) & (codes[page.starts] == ord("#"))
    bullet = solid & ((classes[first] & (BULLET | DIGIT)) != 0)
    table = solid & (codes[first] == ord("|"))
    return {
        "text_link_density": np.minimum(ratio(link_chars, counts["chars"]), 1.0),
        "text_links": np.minimum(links, 5.0),
        "markdown_heading": page.match_start(patterns.MARKDOWN_HEADING, np.flatnonzero(heading)),
        "list_item": page.match_start(patterns.LIST_ITEM, np.flatnonzero(bullet)),
        "table_row": page.match_start(patterns.TABLE_ROW, np.flatnonzero(table)),
    }


def word_character(previous: str) -> bool:
    return previous != "" and (previous.isalnum() or previous in "._+-")


def not_link_start(previous: str) -> bool:
    """A bare URL is not one inside a Markdown link's parentheses nor glued to a word."""
    return previous != "(" and not previous.isalnum()
