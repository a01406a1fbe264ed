# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled columns of the shape and punctuation feature sets: one loop over the line scan's rows
(:func:`cleaner.features.scan.line_scan`), writing each line's columns where NumPy made a dozen arrays.

``cleaner/features/reference.py`` is the specification (``shape``, ``punctuation``): the same columns,
bit for bit, which ``tests/test_reference.py`` checks on every line it is given. The columns whose
``log(1 + x)`` is taken are given as counts: NumPy takes the logarithm, as the reference does
(:data:`cleaner.features.text.LOGGED`), since the C library's ``log1p`` can differ in the last bit.
The menu separators are a regular expression's matches, counted in :mod:`cleaner.features.text`.
"""

import numpy as np

from cleaner.features.scan import SCAN_COLUMNS
from cleaner.features.text import (
    ALL_CAPS_MIN_LETTERS, ALL_CAPS_SHARE, COMMAS_PER_WORD_CAP, LONG_WORDS, MEAN_WORD_LENGTH_CAP, ONE_WORD,
    SHAPE_COLUMNS, PUNCTUATION_COLUMNS, SHORT_WORDS,
)

# The scan's columns read here, by position (SCAN_COLUMNS is the specification's order).
cdef Py_ssize_t LETTERS = SCAN_COLUMNS.index("letters"), UPPER = SCAN_COLUMNS.index("upper")
cdef Py_ssize_t DIGITS = SCAN_COLUMNS.index("digits"), SPACES = SCAN_COLUMNS.index("spaces")
cdef Py_ssize_t PUNCT = SCAN_COLUMNS.index("punct"), TERMINAL = SCAN_COLUMNS.index("terminal")
cdef Py_ssize_t SYMBOLS = SCAN_COLUMNS.index("symbols"), QUOTES = SCAN_COLUMNS.index("quotes")
cdef Py_ssize_t COMMAS = SCAN_COLUMNS.index("commas"), WORDS = SCAN_COLUMNS.index("words")
cdef Py_ssize_t CAPITALISED = SCAN_COLUMNS.index("capitalised_words")
cdef Py_ssize_t ENDS_TERMINAL = SCAN_COLUMNS.index("ends_terminal"), ENDS_COLON = SCAN_COLUMNS.index("ends_colon")
cdef Py_ssize_t STARTS_UPPER = SCAN_COLUMNS.index("starts_upper")
cdef Py_ssize_t LEADING_SPACE = SCAN_COLUMNS.index("leading_space")
cdef double WORD_LENGTH_CAP = MEAN_WORD_LENGTH_CAP, COMMAS_CAP = COMMAS_PER_WORD_CAP, CAPS_SHARE = ALL_CAPS_SHARE
cdef long long CAPS_MIN = ALL_CAPS_MIN_LETTERS, ONE = ONE_WORD, SHORT = SHORT_WORDS, LONG = LONG_WORDS

# The loops write the columns by position: the order the specification names, checked once, here.
assert SHAPE_COLUMNS == (
    "log_chars", "log_words", "mean_word_length", "ends_terminal", "ends_colon", "starts_upper", "one_word",
    "short", "long", "leading_space",
)
assert PUNCTUATION_COLUMNS == (
    "punct_ratio", "digit_ratio", "upper_ratio", "letter_ratio", "symbol_ratio", "capitalised_word_ratio",
    "log_sentences", "commas_per_word", "has_quotes", "all_caps", "menu_separators",
)


cdef inline double _ratio(double a, double b) nogil:
    return a / b if b > 0 else 0.0


def shape_columns(const int[:, ::1] scanned, const long long[::1] lengths):
    """The shape set's columns for each line (``log_chars`` and ``log_words`` as the counts)."""
    cdef Py_ssize_t n = scanned.shape[0], i
    out = np.zeros((n, len(SHAPE_COLUMNS)))
    cdef double[:, ::1] o = out
    cdef double chars, words
    with nogil:
        for i in range(n):
            chars = <double>lengths[i]
            words = <double>scanned[i, WORDS]
            o[i, 0] = chars
            o[i, 1] = words
            o[i, 2] = min(_ratio(chars - scanned[i, SPACES], words), WORD_LENGTH_CAP)
            o[i, 3] = scanned[i, ENDS_TERMINAL] != 0
            o[i, 4] = scanned[i, ENDS_COLON] != 0
            o[i, 5] = scanned[i, STARTS_UPPER] != 0
            o[i, 6] = scanned[i, WORDS] <= ONE
            o[i, 7] = scanned[i, WORDS] <= SHORT
            o[i, 8] = scanned[i, WORDS] >= LONG
            o[i, 9] = scanned[i, LEADING_SPACE] != 0
    return out


def punctuation_columns(const int[:, ::1] scanned, const long long[::1] lengths):
    """The punctuation set's columns for each line but ``menu_separators`` (left 0; ``log_sentences``
    as the count)."""
    cdef Py_ssize_t n = scanned.shape[0], i
    out = np.zeros((n, len(PUNCTUATION_COLUMNS)))
    cdef double[:, ::1] o = out
    cdef double chars, words, letters, upper
    with nogil:
        for i in range(n):
            chars = <double>lengths[i]
            words = <double>scanned[i, WORDS]
            letters = <double>scanned[i, LETTERS]
            upper = <double>scanned[i, UPPER]
            o[i, 0] = _ratio(scanned[i, PUNCT], chars)
            o[i, 1] = _ratio(scanned[i, DIGITS], chars)
            o[i, 2] = _ratio(upper, letters)
            o[i, 3] = _ratio(letters, chars)
            o[i, 4] = _ratio(scanned[i, SYMBOLS], chars)
            o[i, 5] = _ratio(scanned[i, CAPITALISED], words)
            o[i, 6] = scanned[i, TERMINAL]
            o[i, 7] = min(_ratio(scanned[i, COMMAS], words), COMMAS_CAP)
            o[i, 8] = scanned[i, QUOTES] > 0
            o[i, 9] = scanned[i, LETTERS] >= CAPS_MIN and upper >= CAPS_SHARE * letters
    return out
