# cython: language_level=3, boundscheck=False, wraparound=False
"""The compiled finds of the patterns of :mod:`cleaner.features.patterns` that the text features
count on a line's digits and marks: where ``DATE``, ``YEAR``, ``TIME``, ``POSTCODE``, ``PHONE``,
``MENU_SEPARATOR`` and ``CURRENCY_WORD_HINT`` match in a text, as ``finditer`` finds them (their start
offsets), and the years that ``MONTH_BEFORE_YEAR`` finds a month name before.

The regular expressions are the definition. Python's ``re`` tries them at every digit, mark or letter
of the lines the line scan marks; they took most of the compiled text features' time. Each is read as
a few comparisons at a place; where an optional or repeated part could be given back, the function
says why that cannot change the match or gives it back as ``re`` does (the phone numbers' groups, the
US postcode's last four digits). ``tests/test_patterns.py`` compares every function with its regex on
corpus lines, the seeds, hand-made cases and generated text.

The character tests are ``re``'s for a str pattern: ``\\d`` a decimal digit (``str.isdecimal``),
``\\w`` an alphanumeric character or "_", ``\\s`` ``str.isspace``.
"""

from cpython.unicode cimport (
    Py_UNICODE_ISSPACE, PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND, PyUnicode_DATA,
    PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_Substring,
)

from cleaner.read._unicode cimport is_decimal, is_word

from cleaner.features import patterns
from cleaner.features.chars import MENU_MARK_CHARS, char_class

ctypedef fused code_unit:  # a str's storage: one, two or four bytes a code point (PEP 393)
    unsigned char
    unsigned short
    unsigned int

# A month name of DATE is a whole word (``\\b`` after it; every name is letters): the word that starts
# there, looked up in this set.
cdef frozenset MONTHS = frozenset(patterns.MONTH_NAMES)
assert all(name.isalpha() for name in MONTHS)
cdef Py_ssize_t LONGEST_MONTH = max(map(len, MONTHS))
cdef Py_ssize_t MONTH_LOOKBACK = patterns.MONTH_LOOKBACK
# The ordinal suffixes MONTH_BEFORE_YEAR allows after a day (those _suffix_before compares).
assert r"\d{1,2}(?:st|nd|rd|th)?,?" in patterns.MONTH_BEFORE_YEAR.pattern
assert patterns.DATE_SUFFIXES == ("st", "nd", "rd", "th", "er")  # the suffixes _month_date compares
# The currency words, in the order the alternation tries them, as C arrays of ASCII codes; and whether
# an ASCII character is the first of one of them.
DEF MAX_CURRENCY_WORDS = 16
DEF MAX_CURRENCY_LENGTH = 8
assert len(patterns.CURRENCY_HINT_WORDS) <= MAX_CURRENCY_WORDS
assert all(word.isascii() and 0 < len(word) <= MAX_CURRENCY_LENGTH for word in patterns.CURRENCY_HINT_WORDS)
cdef Py_ssize_t N_CURRENCY_WORDS = len(patterns.CURRENCY_HINT_WORDS)
cdef unsigned int CURRENCY_CODES[MAX_CURRENCY_WORDS][MAX_CURRENCY_LENGTH]
cdef Py_ssize_t CURRENCY_LENGTHS[MAX_CURRENCY_WORDS]
cdef bint CURRENCY_FIRST[128]


cdef int _fill_currency_words() except -1:
    cdef Py_ssize_t w, k
    for k in range(128):
        CURRENCY_FIRST[k] = False
    for w, word in enumerate(patterns.CURRENCY_HINT_WORDS):
        CURRENCY_LENGTHS[w] = len(word)
        for k, char in enumerate(word):
            CURRENCY_CODES[w][k] = ord(char)
        CURRENCY_FIRST[ord(word[0])] = True
    return 0


_fill_currency_words()

# The marks MENU_SEPARATOR takes between white space ("Home › News"), "|" among them.
assert patterns.MENU_SEPARATOR.pattern.startswith(r"[^\S\n](?:" + char_class(MENU_MARK_CHARS) + r"[^\S\n]|\|")
DEF MAX_MENU_MARKS = 16
assert len(MENU_MARK_CHARS) <= MAX_MENU_MARKS and "|" in MENU_MARK_CHARS
cdef Py_ssize_t N_MENU_MARKS = len(MENU_MARK_CHARS)
cdef Py_UCS4 MENU_MARKS[MAX_MENU_MARKS]


cdef int _fill_menu_marks() except -1:
    cdef Py_ssize_t k
    for k, char in enumerate(MENU_MARK_CHARS):
        MENU_MARKS[k] = ord(char)
    return 0


_fill_menu_marks()
# What may not follow a phone number (PHONE's lookahead): a word character, or one of these signs.
assert patterns.PHONE.pattern.endswith(r"(?![\w€$£])")


def date_starts(str text):
    """``[match.start() for match in patterns.DATE.finditer(text)]``."""
    return _starts(text, DATES)


def year_starts(str text):
    """``[match.start() for match in patterns.YEAR.finditer(text)]``."""
    return _starts(text, YEARS)


def time_starts(str text):
    """``[match.start() for match in patterns.TIME.finditer(text)]``."""
    return _starts(text, TIMES)


def postcode_starts(str text):
    """``[match.start() for match in patterns.POSTCODE.finditer(text)]``."""
    return _starts(text, POSTCODES)


def month_year_starts(str text):
    """The years of ``text`` with a month name before them: ``[start for start in year_starts(text)
    if patterns.MONTH_BEFORE_YEAR.search(text, max(0, start - patterns.MONTH_LOOKBACK), start)]``."""
    return _starts(text, MONTH_YEARS)


def phone_starts(str text):
    """``[match.start() for match in patterns.PHONE.finditer(text)]``."""
    return _starts(text, PHONES)


def menu_separator_starts(str text):
    """``[match.start() for match in patterns.MENU_SEPARATOR.finditer(text)]``."""
    return _starts(text, MENU_SEPARATORS)


def currency_word_starts(str text):
    """``[match.start() for match in patterns.CURRENCY_WORD_HINT.finditer(text)]``."""
    return _starts(text, CURRENCY_WORDS)


cdef enum Pattern:
    DATES, YEARS, MONTH_YEARS, TIMES, POSTCODES, PHONES, MENU_SEPARATORS, CURRENCY_WORDS


cdef list _starts(str text, Pattern pattern):
    """Where ``pattern`` matches in ``text``, read by the loop for its storage (one, two or four bytes a
    code point: reading one is then an array access)."""
    cdef list found = []
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    if kind == PyUnicode_1BYTE_KIND:
        _find(<const unsigned char *>data, n, text, pattern, found)
    elif kind == PyUnicode_2BYTE_KIND:
        _find(<const unsigned short *>data, n, text, pattern, found)
    else:
        _find(<const unsigned int *>data, n, text, pattern, found)
    return found


cdef int _find(const code_unit *data, Py_ssize_t n, str text, Pattern pattern, list found) except -1:
    if pattern == DATES:
        return _date_starts(data, n, text, found)
    if pattern == YEARS:
        return _year_starts(data, n, found)
    if pattern == MONTH_YEARS:
        return _month_year_starts(data, n, text, found)
    if pattern == TIMES:
        return _time_starts(data, n, found)
    if pattern == POSTCODES:
        return _postcode_starts(data, n, found)
    if pattern == PHONES:
        return _phone_starts(data, n, found)
    if pattern == MENU_SEPARATORS:
        return _menu_separator_starts(data, n, found)
    return _currency_word_starts(data, n, found)


cdef inline bint _decimal(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    return at < n and is_decimal(data[at])


cdef inline bint _boundary_after(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``\\b`` at ``at`` after a word character: the text ends there or a non-word character follows."""
    return at >= n or not is_word(data[at])


cdef inline Py_ssize_t _decimals(const code_unit *data, Py_ssize_t at, Py_ssize_t n, Py_ssize_t most) noexcept:
    """How many decimal digits stand from ``at`` on, counted up to ``most``."""
    cdef Py_ssize_t count = 0
    while count < most and _decimal(data, at + count, n):
        count += 1
    return count


cdef inline bint _space(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``[^\\S\\n]`` at ``at``: white space other than a newline."""
    return at < n and data[at] != 10 and Py_UNICODE_ISSPACE(data[at])


cdef inline bint _ascii_upper(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``[A-Z]`` at ``at``."""
    return at < n and 65 <= data[at] <= 90


cdef inline bint _separator(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    return at < n and (data[at] == 47 or data[at] == 46 or data[at] == 45)  # "/", ".", "-"


cdef int _date_starts(const code_unit *data, Py_ssize_t n, str text, list found) except -1:
    # DATE: a digit that starts a word (\d(?<!\w\d)), then the first of three alternatives to match.
    cdef Py_ssize_t at = 0, end
    while at < n:
        if is_decimal(data[at]) and (at == 0 or not is_word(data[at - 1])):
            end = _iso_date(data, at + 1, n)
            if end < 0:
                end = _numeric_date(data, at + 1, n)
            if end < 0:
                end = _month_date(data, at + 1, n, text)
            if end >= 0:
                found.append(at)
                at = end  # finditer goes on after the match
                continue
        at += 1
    return 0


cdef Py_ssize_t _iso_date(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``\\d{3}-\\d{2}-\\d{2}\\b`` at ``at``: its end, or -1. Fixed widths: nothing to backtrack."""
    if _decimals(data, at, n, 3) != 3 or not (at + 3 < n and data[at + 3] == 45):
        return -1
    if _decimals(data, at + 4, n, 2) != 2 or not (at + 6 < n and data[at + 6] == 45):
        return -1
    if _decimals(data, at + 7, n, 2) != 2 or not _boundary_after(data, at + 9, n):
        return -1
    return at + 9


cdef Py_ssize_t _numeric_date(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``\\d?[/.-]\\d{1,2}[/.-]\\d{2,4}\\b`` at ``at``: its end, or -1.

    No backtrack changes the outcome: a quantified ``\\d`` given back leaves a digit where a separator
    or a word boundary is needed. So the optional digit is taken when there is one, the day or month
    must be a run of one or two digits, and the year a run of two to four digits that ends its word."""
    cdef Py_ssize_t digits
    if _decimal(data, at, n):
        at += 1
    if not _separator(data, at, n):
        return -1
    at += 1
    digits = _decimals(data, at, n, 3)
    if digits == 0 or digits == 3 or not _separator(data, at + digits, n):
        return -1
    at += digits + 1
    digits = _decimals(data, at, n, 5)
    if digits < 2 or digits > 4 or not _boundary_after(data, at + digits, n):
        return -1
    return at + digits


cdef Py_ssize_t _month_date(const code_unit *data, Py_ssize_t at, Py_ssize_t n, str text) except -2:
    """``\\d?(?:st|nd|rd|th|er)?\\.?[^\\S\\n]+(?:months)\\b`` at ``at``: its end, or -1.

    As in :func:`_numeric_date`, each optional part is taken when it is there (giving it back leaves a
    digit, a letter or a dot where white space is needed), and the white space whole (a month name
    starts with a letter). A month name followed by ``\\b`` is the whole word that starts there, so
    the alternation matches where that word is a month name."""
    cdef Py_ssize_t start
    cdef Py_UCS4 first, second
    if _decimal(data, at, n):
        at += 1
    if at + 1 < n:
        first, second = data[at], data[at + 1]
        if _english_ordinal(first, second) or (first == 101 and second == 114):  # or "er"
            at += 2
    if at < n and data[at] == 46:  # "."
        at += 1
    start = at
    while _space(data, at, n):
        at += 1
    if at == start:
        return -1
    start = at
    while at < n and is_word(data[at]):
        at += 1
        if at - start > LONGEST_MONTH:
            return -1
    return at if _is_month(text, start, at) else -1


cdef inline bint _english_ordinal(Py_UCS4 first, Py_UCS4 second) noexcept:
    """Whether two characters are "st", "nd", "rd" or "th"."""
    return (
        (first == 115 and second == 116) or (first == 110 and second == 100) or (first == 114 and second == 100)
        or (first == 116 and second == 104)
    )


cdef inline bint _is_month(str text, Py_ssize_t start, Py_ssize_t end) except -1:
    """Whether ``text[start:end]`` is one of the month names."""
    return start < end and end - start <= LONGEST_MONTH and PyUnicode_Substring(text, start, end) in MONTHS


cdef int _year_starts(const code_unit *data, Py_ssize_t n, list found) except -1:
    # YEAR, (?:19|20)(?<!\w\d\d)\d\d\b: "19" or "20" starting a word, two more digits, the word's end.
    # A match is a whole word: matches never overlap, and every place is tried.
    cdef Py_ssize_t at
    for at in range(n - 3):
        if (
            ((data[at] == 49 and data[at + 1] == 57) or (data[at] == 50 and data[at + 1] == 48))
            and (at == 0 or not is_word(data[at - 1]))
            and is_decimal(data[at + 2]) and is_decimal(data[at + 3])
            and _boundary_after(data, at + 4, n)
        ):
            found.append(at)
    return 0


cdef int _currency_word_starts(const code_unit *data, Py_ssize_t n, list found) except -1:
    # The alternation of literal words: at each place the first word that the text holds there, and
    # finditer goes on after it. Most places hold no word's first letter: one lookup rules them out.
    cdef Py_ssize_t at = 0, w, k, length
    cdef unsigned int c
    cdef bint same
    while at < n:
        c = data[at]
        if c < 128 and CURRENCY_FIRST[c]:
            for w in range(N_CURRENCY_WORDS):
                length = CURRENCY_LENGTHS[w]
                if at + length > n:
                    continue
                same = True
                for k in range(length):
                    if data[at + k] != CURRENCY_CODES[w][k]:
                        same = False
                        break
                if same:
                    found.append(at)
                    at += length
                    break
            else:
                at += 1
        else:
            at += 1
    return 0


cdef int _time_starts(const code_unit *data, Py_ssize_t n, list found) except -1:
    # TIME: a digit that starts a word (\d(?<!\w\d)), then the rest of the pattern (_time_end).
    cdef Py_ssize_t at = 0, end
    while at < n:
        if is_decimal(data[at]) and (at == 0 or not is_word(data[at - 1])):
            end = _time_end(data, at + 1, n)
            if end >= 0:
                found.append(at)
                at = end
                continue
        at += 1
    return 0


cdef Py_ssize_t _time_end(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``\\d?[^\\S\\n]?(?:[:h][^\\S\\n]?\\d{2}\\b|[ap]\\.?m\\b\\.?)`` at ``at``: its end, or -1.

    Every optional part is taken when it is there: given back, it leaves a digit, white space or a dot
    where ":", "h", "a", "p", "m" or a digit is needed. The two alternatives start with different
    characters, so at most one can match."""
    cdef Py_UCS4 c
    if _decimal(data, at, n):
        at += 1
    if _space(data, at, n):
        at += 1
    if at >= n:
        return -1
    c = data[at]
    if c == 58 or c == 104:  # ":", "h"
        at += 1
        if _space(data, at, n):
            at += 1
        if _decimals(data, at, n, 2) != 2 or not _boundary_after(data, at + 2, n):
            return -1
        return at + 2
    if c == 97 or c == 112:  # "a", "p"
        at += 1
        if at < n and data[at] == 46:  # "."
            at += 1
        if not (at < n and data[at] == 109) or not _boundary_after(data, at + 1, n):  # "m"
            return -1
        at += 1
        if at < n and data[at] == 46:
            at += 1
        return at
    return -1


cdef int _postcode_starts(const code_unit *data, Py_ssize_t n, list found) except -1:
    # POSTCODE's three top-level alternatives start with "(", a digit and an ASCII capital: the one the
    # character calls for is the only one that can match there.
    cdef Py_ssize_t at = 0, end
    cdef Py_UCS4 c
    while at < n:
        c = data[at]
        end = -1
        if c == 40:  # "("
            end = _bracketed_postcode(data, at + 1, n)
        elif at == 0 or not is_word(data[at - 1]):  # \b before a digit or a capital
            if is_decimal(c):
                end = _numeric_postcode(data, at + 1, n)
            elif 65 <= c <= 90:
                end = _lettered_postcode(data, at + 1, n)
        if end >= 0:
            found.append(at)
            at = end
        else:
            at += 1
    return 0


cdef Py_ssize_t _bracketed_postcode(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``\\d{4,5}\\)`` at ``at``: its end, or -1 (a digit given back leaves a digit where ")" is needed)."""
    cdef Py_ssize_t digits = _decimals(data, at, n, 5)
    if digits < 4 or not (at + digits < n and data[at + digits] == 41):  # ")"
        return -1
    return at + digits + 1


cdef inline bint _upper_latin(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``[A-ZÀ-Ý]`` at ``at``."""
    return at < n and (65 <= data[at] <= 90 or 0xC0 <= data[at] <= 0xDD)


cdef inline bint _lower_latin(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``[a-zà-ÿ]`` at ``at``."""
    return at < n and (97 <= data[at] <= 122 or 0xE0 <= data[at] <= 0xFF)


cdef Py_ssize_t _numeric_postcode(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """After a digit: ``\\d{4}[^\\S\\n]+[A-ZÀ-Ý][a-zà-ÿ]`` or ``\\d{3}[^\\S\\n]?[A-Z]{2}\\b``, the
    first that matches: its end, or -1. Fixed runs of digits, and white space taken whole (giving
    some back leaves white space where a letter is needed)."""
    cdef Py_ssize_t end
    if _decimals(data, at, n, 4) == 4 and _space(data, at + 4, n):
        end = at + 5
        while _space(data, end, n):
            end += 1
        if _upper_latin(data, end, n) and _lower_latin(data, end + 1, n):
            return end + 2
    if _decimals(data, at, n, 3) == 3:
        end = at + 3
        if _space(data, end, n):
            end += 1
        if _ascii_upper(data, end, n) and _ascii_upper(data, end + 1, n) and _boundary_after(data, end + 2, n):
            return end + 2
    return -1


cdef Py_ssize_t _lettered_postcode(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """After an ASCII capital: the UK's ``[A-Z]?\\d[A-Z\\d]?[^\\S\\n]\\d[A-Z]{2}\\b``, the US's
    ``[A-Z][^\\S\\n]\\d{5}(?:-\\d{4})?\\b`` or Canada's ``\\d[A-Z][^\\S\\n]?\\d[A-Z]\\d\\b``, the first that
    matches: its end, or -1. Each optional character is taken when it is there (given back, it leaves
    a capital or a digit where a digit or white space is needed), but for the US's last four digits,
    given back when no word boundary follows them (the boundary after the first five may hold)."""
    cdef Py_ssize_t end = at
    # UK
    if _ascii_upper(data, end, n):
        end += 1
    if _decimal(data, end, n):
        end += 1
        if _ascii_upper(data, end, n) or _decimal(data, end, n):
            end += 1
        if (
            _space(data, end, n) and _decimal(data, end + 1, n) and _ascii_upper(data, end + 2, n)
            and _ascii_upper(data, end + 3, n) and _boundary_after(data, end + 4, n)
        ):
            return end + 4
    # US
    if _ascii_upper(data, at, n) and _space(data, at + 1, n) and _decimals(data, at + 2, n, 5) == 5:
        end = at + 7
        if end < n and data[end] == 45 and _decimals(data, end + 1, n, 4) == 4 and _boundary_after(data, end + 5, n):
            return end + 5
        if _boundary_after(data, end, n):
            return end
    # Canada
    if _decimal(data, at, n) and _ascii_upper(data, at + 1, n):
        end = at + 2
        if _space(data, end, n):
            end += 1
        if (
            _decimal(data, end, n) and _ascii_upper(data, end + 1, n) and _decimal(data, end + 2, n)
            and _boundary_after(data, end + 3, n)
        ):
            return end + 3
    return -1


cdef int _month_year_starts(const code_unit *data, Py_ssize_t n, str text, list found) except -1:
    # MONTH_BEFORE_YEAR searched between MONTH_LOOKBACK characters before a year and the year, where
    # the text is read as ending (endpos): read backwards from that end, each part of the pattern has
    # one place it can stand (see _month_before), so whether it matches is a few comparisons.
    cdef list years = []
    cdef Py_ssize_t k, start
    _year_starts(data, n, years)
    for k in range(len(years)):
        start = years[k]
        if _month_before(data, start - MONTH_LOOKBACK if start > MONTH_LOOKBACK else 0, start, text):
            found.append(start)
    return 0


cdef bint _month_before(const code_unit *data, Py_ssize_t low, Py_ssize_t end, str text) except -1:
    """Whether ``\\b(?:months)\\.?[^\\S\\n]+(?:\\d{1,2}(?:st|nd|rd|th)?,?[^\\S\\n]+)?$`` matches within
    ``low:end``, the text read as ending at ``end`` (``$`` there, or before a newline just before it).

    Read backwards from that end: a run of white space that is no newline, which must be whole (what
    stands before it in the pattern, a dot, a letter, a comma or a digit, is no white space); then
    either the month (case A), or a comma, a suffix and one or two digits that are a whole run (a
    third digit would stand where white space is needed), another whole run of white space and the
    month (case B). A dot before the white space belongs to ``\\.?`` (no month name holds one). The
    month starts at ``\\b``: it is the whole run of word characters that ends there."""
    cdef Py_ssize_t at, space_start, digits
    if end > low and data[end - 1] == 10:  # "$" before a newline that ends the text
        end -= 1
    space_start = _space_run_start(data, low, end)
    if space_start == end:
        return False
    if _month_ends(data, low, space_start, text):  # case A
        return True
    at = space_start  # case B
    if at > low and data[at - 1] == 44:  # ","
        at -= 1
    if at - 3 >= low and _suffix_before(data, at):
        at -= 2
    digits = 0
    while digits < 3 and at - digits > low and is_decimal(data[at - digits - 1]):
        digits += 1
    if digits == 0 or digits == 3:
        return False
    at -= digits
    space_start = _space_run_start(data, low, at)
    return space_start < at and _month_ends(data, low, space_start, text)


cdef inline Py_ssize_t _space_run_start(const code_unit *data, Py_ssize_t low, Py_ssize_t end) noexcept:
    """Where the run of white space other than newlines that ends at ``end`` starts (no earlier than ``low``)."""
    while end > low and data[end - 1] != 10 and Py_UNICODE_ISSPACE(data[end - 1]):
        end -= 1
    return end


cdef inline bint _suffix_before(const code_unit *data, Py_ssize_t at) noexcept:
    """Whether "st", "nd", "rd" or "th" ends at ``at``."""
    return _english_ordinal(data[at - 2], data[at - 1])


cdef bint _month_ends(const code_unit *data, Py_ssize_t low, Py_ssize_t end, str text) except -1:
    """Whether a month name, after ``\\b`` and no earlier than ``low``, ends at ``end`` or before a dot there."""
    cdef Py_ssize_t start
    if end > low and data[end - 1] == 46:  # "."
        end -= 1
    start = end
    while start > 0 and is_word(data[start - 1]):
        start -= 1
        if end - start > LONGEST_MONTH:
            return False
    return start >= low and _is_month(text, start, end)


cdef int _phone_starts(const code_unit *data, Py_ssize_t n, list found) except -1:
    # PHONE: not after a word character or "(" ((?<![\w(])), an optional "+" and country code, an
    # optional area code in brackets, then the number (_phone_number). The optional parts are tried as
    # re tries them, taken first and given back when the rest fails.
    cdef Py_ssize_t at = 0, end, digits, k
    cdef Py_UCS4 c
    while at < n:
        c = data[at]
        end = -1
        if (c == 43 or c == 40 or is_decimal(c)) and (at == 0 or not (is_word(data[at - 1]) or data[at - 1] == 40)):
            if c == 43:  # "+": \+\d{1,3}[^\S\n]?, each count of digits from the most, with the space and without
                digits = _decimals(data, at + 1, n, 3)
                for k in range(digits, 0, -1):
                    if _space(data, at + 1 + k, n):
                        end = _phone_after_country(data, at + 2 + k, n)
                    if end < 0:
                        end = _phone_after_country(data, at + 1 + k, n)
                    if end >= 0:
                        break
            if end < 0:
                end = _phone_after_country(data, at, n)
        if end >= 0:
            found.append(at)
            at = end
        else:
            at += 1
    return 0


cdef Py_ssize_t _phone_after_country(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``(?:\\(\\d{1,4}\\)[^\\S\\n]?)?`` and the number from ``at``: the match's end, or -1. The area
    code's digits are the whole run (fewer leave a digit where ")" is needed)."""
    cdef Py_ssize_t digits, after, end
    if at < n and data[at] == 40:  # "("
        digits = _decimals(data, at + 1, n, 4)
        if digits and at + 1 + digits < n and data[at + 1 + digits] == 41:  # ")"
            after = at + 2 + digits
            end = _phone_number(data, after + 1, n) if _space(data, after, n) else -1
            if end < 0:
                end = _phone_number(data, after, n)
            if end >= 0:
                return end
    return _phone_number(data, at, n)


cdef Py_ssize_t _phone_number(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``\\d{2,4}(?:[ .\\-\\u00a0]\\d{2,4}){2,4}(?![\\w€$£])`` at ``at``: its end, or -1.

    A run of digits is taken whole (a digit given back would stand where a separator, or the
    lookahead, refuses one), so only the number of groups is tried: as many as there are (up to
    four), then one fewer while the lookahead fails, down to two."""
    cdef Py_ssize_t digits = _decimals(data, at, n, 5), groups = 0, ends[5]
    if digits < 2 or digits > 4:
        return -1
    at += digits
    ends[0] = at
    while groups < 4 and at < n and (data[at] == 32 or data[at] == 46 or data[at] == 45 or data[at] == 0xA0):
        digits = _decimals(data, at + 1, n, 5)
        if digits < 2 or digits > 4:
            break
        at += 1 + digits
        groups += 1
        ends[groups] = at
    while groups >= 2:
        if _phone_may_end(data, ends[groups], n):
            return ends[groups]
        groups -= 1
    return -1


cdef inline bint _phone_may_end(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """PHONE's lookahead at ``at``: the text ends, or neither a word character nor "€", "$", "£" follows."""
    return at >= n or not (is_word(data[at]) or data[at] == 0x20AC or data[at] == 36 or data[at] == 0xA3)


cdef int _menu_separator_starts(const code_unit *data, Py_ssize_t n, list found) except -1:
    # MENU_SEPARATOR: white space, then a mark and white space, or "|" and optional white space; or "|"
    # and white space. A mark needs white space after it, "|" does not: "|" is tried as a mark first.
    cdef Py_ssize_t at = 0, k
    cdef bint mark
    while at < n:
        if _space(data, at, n) and at + 1 < n:
            mark = False
            for k in range(N_MENU_MARKS):
                if data[at + 1] == MENU_MARKS[k]:
                    mark = True
                    break
            if mark and _space(data, at + 2, n):
                found.append(at)
                at += 3
                continue
            if data[at + 1] == 124:  # "|"
                found.append(at)
                at += 3 if _space(data, at + 2, n) else 2
                continue
        elif data[at] == 124 and _space(data, at + 1, n):
            found.append(at)
            at += 2
            continue
        at += 1
    return 0
