"""Characters the features count or look for, defined once: the character sets the patterns are built
from, and a class table over code points that the fast feature code reads them from.

Each set below is used both by a pattern (:mod:`cleaner.features.patterns`, through :func:`char_class`)
and by a bit of :func:`char_class_table`: what a line holds is read from the table, never from a copy
of a pattern's characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

from cleaner.core import compiled
from cleaner.read.prose import CJK_RANGES, PROSE_PUNCTUATION, is_cjk

# Sentence ends (Latin and CJK; the danda of Hindi, Marathi, Bengali...; Arabic-script, Armenian and
# Ethiopic full stops and question marks); what may follow one (closing quotes and brackets);
# quotation marks; commas.
TERMINAL_CHARS = ".!?。！？…．\u0964\u0965\u06d4\u061f\u0589\u1362"
CLOSERS = "'\"»”’)]"
QUOTE_CHARS = "\"'«»“”‘’„"
COMMA_CHARS = ",、，\u060c"
# Separators of menu entries and breadcrumbs ("Home | News", "A › B").
MENU_MARK_CHARS = "|•·»›>/–"
# Bullets that start a list item.
LIST_BULLETS = "-*+•·▪►▸◦"
CURRENCY_SYMBOLS = "$€£¥₹₽₩₺"


def char_class(chars: str) -> str:
    """A regex character class matching exactly ``chars``."""
    return "[" + "".join(re.escape(char) for char in chars) + "]"


# Code-point classes, as bits of a lookup table over the Basic Multilingual Plane and the next two planes.
# UPPER is the Lu/Lt categories (counted as capitals); CASED_UPPER is str.isupper() (as in the
# starts_upper feature, which has always used it). SPACE is exactly str.isspace(), which is also what
# re's \s and str.split() use. The next bits mark characters some patterns cannot match without;
# FOLDS marks those whose str.casefold() is not their str.lower(), and the capital sigma, which
# lower() turns into a final sigma at a word's end: a line without any is case-folded by lower().
(LETTER, UPPER, DIGIT, SPACE, PUNCT, TERMINAL, SYMBOL, QUOTE, CASED_UPPER,
 GOOD_PUNCT, MENU_MARK, CURRENCY, BULLET, CLOSER, FOLDS, COMMA, CJK) = (1 << i for i in range(17))  # fmt: skip
TABLE_SIZE = 0x30000


def char_bits(char: str) -> int:
    """The class bits of one character: what the features count it as. A code point past
    :data:`TABLE_SIZE` (private use, tags, unassigned) counts as a letter."""
    if ord(char) >= TABLE_SIZE:
        return LETTER
    category = unicodedata.category(char)
    bits = 0
    if category[0] == "L":
        bits |= LETTER
        if category == "Lu" or category == "Lt":
            bits |= UPPER
    elif category == "Nd":
        bits |= DIGIT
    elif char.isspace():
        bits |= SPACE
    elif category[0] == "P":
        bits |= PUNCT
    elif category[0] == "S":
        bits |= SYMBOL
    if char.isupper():
        bits |= CASED_UPPER
    for chars, bit in _SET_BITS:
        if char in chars:
            bits |= bit
    # Σ lower-cases to a final sigma at a word's end, and folds to σ everywhere.
    if char.casefold() != char.lower() or char == "\u03a3":
        bits |= FOLDS
    if is_cjk(char):
        bits |= CJK
    return bits


_SET_BITS = (
    (TERMINAL_CHARS, TERMINAL),
    (QUOTE_CHARS, QUOTE),
    (PROSE_PUNCTUATION, GOOD_PUNCT),
    (MENU_MARK_CHARS, MENU_MARK),
    (CURRENCY_SYMBOLS, CURRENCY),
    (LIST_BULLETS, BULLET),
    (CLOSERS, CLOSER),
    (COMMA_CHARS, COMMA),
)


@lru_cache(maxsize=1)
def char_class_table() -> np.ndarray:
    """:func:`char_bits` of every code point up to :data:`TABLE_SIZE` (the fast code reads a code point
    past the table as its last entry, a letter): built by the compiled core where it is built, else by
    :func:`reference_class_table` (the tests check both against :func:`char_bits` on every code point)."""
    core = compiled("cleaner.features._scan")
    return reference_class_table() if core is None else core.class_table()


def reference_class_table() -> np.ndarray:
    """:func:`char_class_table` built in Python, a bit at a time (about a tenth of a second)."""
    table = np.zeros(TABLE_SIZE + 1, dtype=np.uint32)
    for cp in range(TABLE_SIZE):
        char = chr(cp)
        category = unicodedata.category(char)
        bits = 0
        if category[0] == "L":
            bits = LETTER | UPPER if category == "Lu" or category == "Lt" else LETTER
        elif category == "Nd":
            bits = DIGIT
        elif char.isspace():
            bits = SPACE
        elif category[0] == "P":
            bits = PUNCT
        elif category[0] == "S":
            bits = SYMBOL
        if char.isupper():
            bits |= CASED_UPPER
        table[cp] = bits
    for chars, bit in _SET_BITS:
        for char in chars:
            table[ord(char)] |= bit
    # Every character that folds otherwise than it lower-cases is in the Basic Multilingual Plane.
    for cp in range(0x10000):
        char = chr(cp)
        if char.casefold() != char.lower():
            table[cp] |= FOLDS
    table[ord("\u03a3")] |= FOLDS
    for low, high in CJK_RANGES:
        table[low : high + 1] |= CJK
    table[TABLE_SIZE] = LETTER
    table.setflags(write=False)
    return table
