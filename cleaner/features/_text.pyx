# cython: language_level=3, boundscheck=False, wraparound=False
"""The compiled text features: the columns of the sets ``shape``, ``punctuation``, ``patterns`` and
``links`` (:data:`cleaner.features.text_settings.TEXT_COLUMNS`) for a batch of lines, in one loop over them.

:mod:`cleaner.features.reference` is the specification (``shape``, ``punctuation``,
``pattern_features``, ``link_features``, one line at a time); the tests compare every column of the two,
bit for bit. The counts and flags come from the line scan (``_scan.pyx``). The patterns of
:mod:`cleaner.features.patterns` stay the definition of what they match and run here too, but on a
line only where the scan or a substring says a match is possible: a price needs a digit and a currency
sign or word, a postcode the scan's ``postcode_mark``, an e-mail address an "@", a link "](" or "://"
or "www.". Most lines are read by the scan alone. The word lists are read in one pass over the short
lines (:func:`~cleaner.features.lexicon.lexicon_hits`); dates, years, times, postcodes, phone
numbers, menu separators and currency words are found by compiled loops that give their patterns'
matches (``_patterns.pyx``). The columns that are logarithms are left as counts: NumPy takes their
log(1 + x), as the reference does (the C library's log1p may differ from NumPy's in the last bit).
"""

import numpy as np

from cleaner.features import patterns
from cleaner.features._patterns import (
    currency_word_starts, date_starts, menu_separator_starts, month_year_starts, phone_starts, postcode_starts,
    time_starts, year_starts,
)
from cleaner.features.lexicon import lexicon_hits
from cleaner.features.scan import SCAN_COLUMNS
from cleaner.features.text_settings import (
    ALL_CAPS_MIN_LETTERS, ALL_CAPS_SHARE, COMMAS_PER_WORD_CAP, LEXICAL_MAX_CHARS, LINK_CAP, LONG_WORDS, MEAN_WORD_LENGTH_CAP,
    MENU_SEPARATOR_CAP, ONE_WORD, PATTERN_CAP, SHORT_WORDS, TEXT_COLUMNS,
)

# Where each scan column and each output column is, found by name once.
cdef Py_ssize_t S_LETTERS = SCAN_COLUMNS.index("letters"), S_UPPER = SCAN_COLUMNS.index("upper")
cdef Py_ssize_t S_DIGITS = SCAN_COLUMNS.index("digits"), S_SPACES = SCAN_COLUMNS.index("spaces")
cdef Py_ssize_t S_PUNCT = SCAN_COLUMNS.index("punct"), S_TERMINAL = SCAN_COLUMNS.index("terminal")
cdef Py_ssize_t S_SYMBOLS = SCAN_COLUMNS.index("symbols"), S_QUOTES = SCAN_COLUMNS.index("quotes")
cdef Py_ssize_t S_COMMAS = SCAN_COLUMNS.index("commas"), S_WORDS = SCAN_COLUMNS.index("words")
cdef Py_ssize_t S_CAPITALISED = SCAN_COLUMNS.index("capitalised_words")
cdef Py_ssize_t S_MENU_MARK = SCAN_COLUMNS.index("menu_mark"), S_CURRENCY = SCAN_COLUMNS.index("currency")
cdef Py_ssize_t S_STARTS_UPPER = SCAN_COLUMNS.index("starts_upper"), S_ENDS_COLON = SCAN_COLUMNS.index("ends_colon")
cdef Py_ssize_t S_LEADING_SPACE = SCAN_COLUMNS.index("leading_space")
cdef Py_ssize_t S_ENDS_TERMINAL = SCAN_COLUMNS.index("ends_terminal")
cdef Py_ssize_t S_HEADING = SCAN_COLUMNS.index("heading_start"), S_BULLET = SCAN_COLUMNS.index("bullet_start")
cdef Py_ssize_t S_TABLE = SCAN_COLUMNS.index("table_start"), S_POSTCODE = SCAN_COLUMNS.index("postcode_mark")
cdef Py_ssize_t S_PHONE = SCAN_COLUMNS.index("phone_mark"), S_TIME = SCAN_COLUMNS.index("time_mark")
cdef Py_ssize_t S_AT_SIGN = SCAN_COLUMNS.index("at_sign"), S_LINK_TEXT = SCAN_COLUMNS.index("link_text")
cdef Py_ssize_t S_URL = SCAN_COLUMNS.index("url"), S_COPYRIGHT = SCAN_COLUMNS.index("copyright_mark")

_OUT = {name: index for index, name in enumerate(TEXT_COLUMNS)}
cdef Py_ssize_t LOG_CHARS = _OUT["log_chars"], LOG_WORDS = _OUT["log_words"]
cdef Py_ssize_t MEAN_WORD_LENGTH = _OUT["mean_word_length"], ENDS_TERMINAL = _OUT["ends_terminal"]
cdef Py_ssize_t ENDS_COLON = _OUT["ends_colon"], STARTS_UPPER = _OUT["starts_upper"], ONE = _OUT["one_word"]
cdef Py_ssize_t SHORT = _OUT["short"], LONG = _OUT["long"], LEADING_SPACE = _OUT["leading_space"]
cdef Py_ssize_t PUNCT_RATIO = _OUT["punct_ratio"], DIGIT_RATIO = _OUT["digit_ratio"]
cdef Py_ssize_t UPPER_RATIO = _OUT["upper_ratio"], LETTER_RATIO = _OUT["letter_ratio"]
cdef Py_ssize_t SYMBOL_RATIO = _OUT["symbol_ratio"], CAPITALISED_RATIO = _OUT["capitalised_word_ratio"]
cdef Py_ssize_t LOG_SENTENCES = _OUT["log_sentences"], COMMAS_PER_WORD = _OUT["commas_per_word"]
cdef Py_ssize_t HAS_QUOTES = _OUT["has_quotes"], ALL_CAPS = _OUT["all_caps"]
cdef Py_ssize_t MENU_SEPARATORS = _OUT["menu_separators"]
cdef Py_ssize_t PRICE = _OUT["price"], POSTCODE = _OUT["postcode"], PHONE = _OUT["phone"], DATE = _OUT["date"]
cdef Py_ssize_t TIME = _OUT["time"], YEAR = _OUT["year"], EMAIL = _OUT["email"], COPYRIGHT = _OUT["copyright"]
cdef Py_ssize_t FIRST_LIST = _OUT[next(iter(patterns.LEXICON_GROUPS))]
cdef Py_ssize_t LINK_DENSITY = _OUT["text_link_density"], LINKS = _OUT["text_links"]
cdef Py_ssize_t MARKDOWN_HEADING = _OUT["markdown_heading"], LIST_ITEM = _OUT["list_item"]
cdef Py_ssize_t TABLE_ROW = _OUT["table_row"]

cdef double c_mean_word_length_cap = MEAN_WORD_LENGTH_CAP, c_commas_cap = COMMAS_PER_WORD_CAP
cdef double c_menu_cap = MENU_SEPARATOR_CAP, c_pattern_cap = PATTERN_CAP, c_link_cap = LINK_CAP
cdef double c_all_caps_share = ALL_CAPS_SHARE
cdef long long c_one_word = ONE_WORD, c_short_words = SHORT_WORDS, c_long_words = LONG_WORDS
cdef long long c_all_caps_min = ALL_CAPS_MIN_LETTERS, c_lexical_max = LEXICAL_MAX_CHARS

# The patterns' methods, bound once: each is called on few lines.
_price = patterns.PRICE.findall
_email = patterns.EMAIL.finditer
_copyright = patterns.COPYRIGHT.findall
_markdown_link = patterns.MARKDOWN_LINK.finditer
_bare_url = patterns.BARE_URL.finditer
_markdown_heading = patterns.MARKDOWN_HEADING.match
_list_item = patterns.LIST_ITEM.match
_table_row = patterns.TABLE_ROW.match


cdef inline double _ratio(double a, double b) noexcept:
    return a / b if b > 0 else 0.0


cdef inline double _at_most(double value, double cap) noexcept:
    return value if value < cap else cap


def text_columns(list texts, list lowers, const int[:, ::1] scanned):
    """The :data:`~cleaner.features.text_settings.TEXT_COLUMNS` of ``texts`` (``lowers``: each lower-cased;
    ``scanned``: their line scan), one row a line; the columns of ``LOGGED`` hold counts."""
    cdef Py_ssize_t n = len(texts), i
    result = np.zeros((n, len(TEXT_COLUMNS)), dtype=np.float64)
    cdef double[:, ::1] out = result
    cdef str text, lower
    cdef double chars, words
    cdef list short_lowers = [], short_rows = [], numeric_texts = [], numeric_lowers = [], numeric_rows = []
    for i in range(n):
        text = texts[i]
        chars = len(text)
        words = scanned[i, S_WORDS]
        # shape
        out[i, LOG_CHARS] = chars
        out[i, LOG_WORDS] = words
        out[i, MEAN_WORD_LENGTH] = _at_most(_ratio(chars - scanned[i, S_SPACES], words), c_mean_word_length_cap)
        out[i, ENDS_TERMINAL] = scanned[i, S_ENDS_TERMINAL]
        out[i, ENDS_COLON] = scanned[i, S_ENDS_COLON]
        out[i, STARTS_UPPER] = scanned[i, S_STARTS_UPPER]
        out[i, ONE] = scanned[i, S_WORDS] <= c_one_word
        out[i, SHORT] = scanned[i, S_WORDS] <= c_short_words
        out[i, LONG] = scanned[i, S_WORDS] >= c_long_words
        out[i, LEADING_SPACE] = scanned[i, S_LEADING_SPACE]
        # punctuation
        out[i, PUNCT_RATIO] = _ratio(scanned[i, S_PUNCT], chars)
        out[i, DIGIT_RATIO] = _ratio(scanned[i, S_DIGITS], chars)
        out[i, UPPER_RATIO] = _ratio(scanned[i, S_UPPER], scanned[i, S_LETTERS])
        out[i, LETTER_RATIO] = _ratio(scanned[i, S_LETTERS], chars)
        out[i, SYMBOL_RATIO] = _ratio(scanned[i, S_SYMBOLS], chars)
        out[i, CAPITALISED_RATIO] = _ratio(scanned[i, S_CAPITALISED], words)
        out[i, LOG_SENTENCES] = scanned[i, S_TERMINAL]
        out[i, COMMAS_PER_WORD] = _at_most(_ratio(scanned[i, S_COMMAS], words), c_commas_cap)
        out[i, HAS_QUOTES] = scanned[i, S_QUOTES] > 0
        out[i, ALL_CAPS] = (
            scanned[i, S_LETTERS] >= c_all_caps_min and scanned[i, S_UPPER] >= c_all_caps_share * scanned[i, S_LETTERS]
        )
        if len(text) <= c_lexical_max:
            lower = lowers[i]
            short_lowers.append(lower)
            short_rows.append(i)
            if scanned[i, S_MENU_MARK]:
                out[i, MENU_SEPARATORS] = _at_most(len(menu_separator_starts(text)), c_menu_cap)
            if scanned[i, S_DIGITS]:
                numeric_texts.append(text)
                numeric_lowers.append(lower)
                numeric_rows.append(i)
            if scanned[i, S_COPYRIGHT]:
                out[i, COPYRIGHT] = _at_most(len(_copyright(lower)), c_pattern_cap)
        if scanned[i, S_AT_SIGN]:
            out[i, EMAIL] = _at_most(_emails(text), c_pattern_cap)
        if scanned[i, S_LINK_TEXT] or scanned[i, S_URL]:
            _links(text, scanned[i, S_LINK_TEXT], scanned[i, S_URL], i, out)
        # The line-anchored patterns, on the lines whose first characters they need.
        if scanned[i, S_HEADING]:
            out[i, MARKDOWN_HEADING] = _markdown_heading(text) is not None
        if scanned[i, S_BULLET]:
            out[i, LIST_ITEM] = _list_item(text) is not None
        if scanned[i, S_TABLE]:
            out[i, TABLE_ROW] = _table_row(text) is not None
    if numeric_rows:
        _marked_patterns(numeric_texts, numeric_lowers, numeric_rows, scanned, out)
        _dates_and_years(numeric_texts, numeric_lowers, numeric_rows, out)
    _word_lists(short_lowers, short_rows, out)
    return result


cdef int _marked_patterns(
    list texts, list lowers, list rows, const int[:, ::1] scanned, double[:, ::1] out
) except -1:
    """The patterns that need a digit and a mark of the scan (or a currency word), on the short lines
    that hold a digit (``texts``, ``lowers`` lower-cased, of the rows ``rows``). The currency words are
    looked for once in the lines joined by newlines (they are words: none spans a line end), not
    once a line."""
    cdef Py_ssize_t k, i
    cdef str text
    cdef set worded = set(_lines_of(currency_word_starts("\n".join(texts)), texts))
    for k in range(len(rows)):
        i = rows[k]
        text = texts[k]
        if scanned[i, S_CURRENCY] or k in worded:
            out[i, PRICE] = _at_most(len(_price(text)), c_pattern_cap)
        if scanned[i, S_POSTCODE]:
            out[i, POSTCODE] = _at_most(len(postcode_starts(text)), c_pattern_cap)
        if scanned[i, S_PHONE]:
            out[i, PHONE] = _at_most(len(phone_starts(text)), c_pattern_cap)
        if scanned[i, S_TIME]:
            out[i, TIME] = _at_most(len(time_starts(lowers[k])), c_pattern_cap)
    return 0


cdef list _lines_of(list positions, list texts):
    """The index in ``texts`` of the line holding each of ``positions``, ascending offsets in ``texts``
    joined by newlines."""
    cdef list found = []
    if not positions:
        return found
    cdef Py_ssize_t line = 0, end = len(<str>texts[0]), at, k
    for k in range(len(positions)):
        at = positions[k]
        while at > end:  # past this line and its newline
            line += 1
            end += 1 + len(<str>texts[line])
        found.append(line)
    return found


cdef int _dates_and_years(list texts, list lowers, list rows, double[:, ::1] out) except -1:
    """Dates and years in the short lines that hold a digit (``texts``, ``lowers`` lower-cased, of the
    rows ``rows``), each pattern scanned once over the lines joined: most such lines hold one, and a
    match never spans a line end."""
    lower = "\n".join(lowers)
    _count_at(date_starts(lower), lowers, rows, out, DATE)
    _count_at(month_year_starts(lower), lowers, rows, out, DATE)  # no month name spans a line end
    _count_at(year_starts("\n".join(texts)), texts, rows, out, YEAR)
    return 0


cdef int _count_at(
    list positions, list texts, list rows, double[:, ::1] out, Py_ssize_t column, list offsets=None
) except -1:
    """One more (up to the cap) in ``column``, plus ``offsets[k]`` if given, of the row of each of
    ``positions``, ascending offsets in ``texts`` joined by newlines (``rows``: each text's row)."""
    cdef list lines = _lines_of(positions, texts)
    cdef Py_ssize_t row, k, at_column = column
    for k in range(len(lines)):
        row = rows[<Py_ssize_t>lines[k]]
        if offsets is not None:
            at_column = column + <Py_ssize_t>offsets[k]
        if out[row, at_column] < c_pattern_cap:
            out[row, at_column] += 1
    return 0


cdef Py_ssize_t _emails(str text) except -1:
    """The e-mail addresses of ``text`` with a word character before their "@"."""
    cdef Py_ssize_t found = 0, at
    cdef str previous
    for match in _email(text):
        at = match.start()
        if at > 0:
            previous = text[at - 1]
            if previous.isalnum() or previous in "._+-":
                found += 1
    return found


cdef int _links(str text, bint link_text, bint url, Py_ssize_t i, double[:, ::1] out) except -1:
    """Markdown links and bare URLs, and the share of the line they cover."""
    cdef double links = 0, covered = 0
    cdef Py_ssize_t at
    cdef str previous
    if link_text:
        for match in _markdown_link(text):
            links += 1
            covered += match.end() - match.start()
    if url:
        for match in _bare_url(text):
            at = match.start()
            if at > 0:
                previous = text[at - 1]
                if previous == "(" or previous.isalnum():
                    continue  # inside a Markdown link's parentheses, or glued to a word
            links += 1
            covered += match.end() - at
    out[i, LINK_DENSITY] = _at_most(_ratio(covered, len(text)), 1.0)
    out[i, LINKS] = _at_most(links, c_link_cap)
    return 0


cdef int _word_lists(list short_lowers, list short_rows, double[:, ::1] out) except -1:
    """Each word list's hits in each short line, read in the short lines joined (a hit never spans a
    line end); a hit's list is its column's offset from the first list's."""
    if short_lowers:
        found, which = lexicon_hits("\n".join(short_lowers))
        _count_at(found, short_lowers, short_rows, out, FIRST_LIST, which)
    return 0
