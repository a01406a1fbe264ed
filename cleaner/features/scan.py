"""One pass over each line's characters: the counts and flags the text features are read from.

:func:`scan_line` defines, in plain Python, what the scan finds in one line; the compiled core
(``cleaner/features/_scan.pyx``) computes the same numbers for a whole batch of lines in one loop over
their code points, and :func:`line_scan` runs whichever core is in use. The tests compare the two on
every line they are given (``tests/test_scan.py``).

Character classes are those of :func:`~cleaner.features.chars.char_class_table`. The pattern marks
(``postcode_mark``, ``phone_mark``, ``time_mark``, and the strings ``at_sign`` to ``copyright_mark``)
say a line holds what every match of the pattern holds: the compiled text features run the patterns
on the marked lines only (``cleaner/features/_text.pyx``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.core import compiled
from cleaner.features.chars import (
    BULLET,
    CASED_UPPER,
    CJK,
    CLOSER,
    COMMA,
    CURRENCY,
    DIGIT,
    FOLDS,
    GOOD_PUNCT,
    LETTER,
    MENU_MARK,
    PUNCT,
    QUOTE,
    SPACE,
    SYMBOL,
    TABLE_SIZE,
    TERMINAL,
    UPPER,
    char_class_table,
)
from cleaner.features.patterns import COPYRIGHT_MARKS

# What the scan gives for each line, in column order: counts, then flags (0 or 1).
SCAN_COLUMNS: tuple[str, ...] = (
    "letters", "upper", "digits", "spaces", "punct", "terminal", "symbols", "quotes", "commas", "cjk",
    "words", "capitalised_words",
    "folds", "respace", "good_punct", "menu_mark", "currency",
    "starts_upper", "ends_colon", "leading_space", "ends_terminal", "heading_start", "bullet_start", "table_start",
    "postcode_mark", "phone_mark", "time_mark", "at_sign", "link_text", "url", "copyright_mark",
)  # fmt: skip
# The classes counted, in the order of the first SCAN_COLUMNS.
COUNTED_CLASSES = (LETTER, UPPER, DIGIT, SPACE, PUNCT, TERMINAL, SYMBOL, QUOTE, COMMA, CJK)
# What separates the digit pairs of a phone number; what marks a time after its digits.
PHONE_SEPARATORS = frozenset(" .-\xa0")
TIME_SIGNS = frozenset(":hHaApP")
# The longest line the scan reads: its counts are 32-bit.
SCAN_MAX_CHARS = 2**31 - 1


def scan_line(text: str, table: Sequence[int]) -> list[int]:
    """The :data:`SCAN_COLUMNS` of one line, read with ``table`` (:func:`char_class_table` as a list)."""
    bits = [table[min(ord(char), TABLE_SIZE)] for char in text]
    n = len(text)
    # Newlines join the lines of a batch: they are white space, but not a line's own.
    space = [bool(b & SPACE) and char != "\n" for b, char in zip(bits, text)]
    digit = [bool(b & DIGIT) for b in bits]
    capital = ["A" <= char <= "Z" for char in text]
    solid = [i for i in range(n) if not bits[i] & SPACE]
    first, last = (solid[0], solid[-1]) if solid else (-1, -1)
    # str.split()'s words: a character that is not white space after one that is, or at the start.
    word_starts = [i for i in range(n) if not bits[i] & SPACE and (i == 0 or bits[i - 1] & SPACE)]

    counts = [sum(1 for b in bits if b & bit) for bit in COUNTED_CLASSES]
    counts[COUNTED_CLASSES.index(SPACE)] = sum(space)
    counts += [len(word_starts), sum(1 for i in word_starts if bits[i] & UPPER)]

    # A line whose white space is not single spaces between words (see features.page.repetition_keys).
    respace = any(space[i] and (text[i] != " " or (i + 1 < n and space[i + 1])) for i in range(n))
    respace = respace or (n > 0 and (space[0] or space[-1]))

    def holds(bit: int) -> bool:
        return any(b & bit for b in bits)

    flags = [
        holds(FOLDS),
        respace,
        holds(GOOD_PUNCT),
        holds(MENU_MARK),
        holds(CURRENCY),
        first >= 0 and bool(bits[first] & CASED_UPPER),  # text.lstrip()[:1].isupper()
        last >= 0 and text[last] == ":",  # text.rstrip().endswith(":")
        n > 0 and bool(bits[0] & SPACE),  # text[:1].isspace()
        _ends_terminal(bits, last),
        n > 0 and text[0] == "#",
        first >= 0 and bool(bits[first] & (BULLET | DIGIT)),
        first >= 0 and text[first] == "|",
    ]

    def follows_four_digits(i: int) -> bool:  # what may follow a postcode's four digits
        if i >= n:
            return False
        return digit[i] or capital[i] or text[i] == ")" or (space[i] and i + 1 < n and capital[i + 1])

    flags += [
        any(all(digit[i : i + 4]) and follows_four_digits(i + 4) for i in range(n - 3))
        or any(capital[i] and digit[i + 1] for i in range(n - 1)),
        any(
            digit[i] and digit[i + 1] and text[i + 2] in PHONE_SEPARATORS and digit[i + 3] and digit[i + 4]
            for i in range(n - 4)
        ),
        any(digit[i] and text[i + 1] in TIME_SIGNS for i in range(n - 1))
        or any(digit[i] and space[i + 1] and text[i + 2] in TIME_SIGNS for i in range(n - 2)),
        "@" in text,  # an e-mail address
        "](" in text,  # a Markdown link
        "://" in text or "www." in text,  # a bare URL
        any(mark in text.lower() for mark in COPYRIGHT_MARKS),
    ]
    return counts + [int(flag) for flag in flags]


def _ends_terminal(bits: Sequence[int], last: int) -> bool:
    """Whether a line ends a sentence (``patterns.TERMINAL_END``): read back from its last non-space
    character ``last``, closing quotes or brackets (each after at most one space), then a terminal mark."""
    at = last
    while at >= 0 and bits[at] & CLOSER:
        at -= 1
        if at >= 0 and bits[at] & SPACE:
            at -= 1
    return at >= 0 and bool(bits[at] & TERMINAL)


def line_scan(texts: Sequence[str]) -> np.ndarray:
    """The :data:`SCAN_COLUMNS` of each of ``texts``: one row a line, int32.

    A count never exceeds its line's length, so 32 bits hold it: half the memory of int64 on a page
    of tens of thousands of lines, where the scan lives beside the feature matrix.
    """
    if texts and max(map(len, texts)) > SCAN_MAX_CHARS:
        raise ValueError(f"a line of over {SCAN_MAX_CHARS} characters")
    core = compiled("cleaner.features._scan")
    if core is not None:
        return core.line_scan(texts, char_class_table())
    table = char_class_table().tolist()
    out = np.zeros((len(texts), len(SCAN_COLUMNS)), dtype=np.int32)
    for row, text in enumerate(texts):
        out[row] = scan_line(text, table)
    return out
