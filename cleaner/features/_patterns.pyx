# cython: language_level=3, boundscheck=False, wraparound=False
"""The compiled finds of the patterns of :mod:`cleaner.features.patterns` that the text features
count on a line's digits and marks: where ``DATE``, ``YEAR``, ``TIME``, ``POSTCODE``, ``PHONE``,
``MENU_SEPARATOR`` and ``CURRENCY_WORD_HINT`` match in a text, as ``finditer`` finds them (their start
offsets), and the years that ``MONTH_BEFORE_YEAR`` finds a month name before. The dates' loops are in
``_dates.pyx``, the others here.

The regular expressions are the definition. Python's ``re`` tries them at every digit, mark or letter
of the lines the line scan marks; they took most of the compiled text features' time. Each is read as
a few comparisons at a place; where an optional or repeated part could be given back, the function
says why that cannot change the match or gives it back as ``re`` does (the phone numbers' groups, the
US postcode's last four digits). ``tests/test_patterns.py`` compares every function with its regex on
corpus lines, the seeds, hand-made cases and generated text. The character tests are ``re``'s for a
str pattern (``_code_units.pxd``).
"""

from cpython.unicode cimport (
    PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND, PyUnicode_DATA, PyUnicode_GET_LENGTH, PyUnicode_KIND,
)

from cleaner.features._code_units cimport (
    ascii_upper_at, boundary_after, code_unit, decimal_at, decimals_at, space_at,
)
from cleaner.features._dates cimport find_dates, find_month_years, find_times, find_years
from cleaner.read._unicode cimport is_decimal, is_word

from cleaner.features import patterns
from cleaner.features.chars import MENU_MARK_CHARS, char_class

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


def month_year_starts(str text):
    """The years of ``text`` with a month name before them: ``[start for start in year_starts(text)
    if patterns.MONTH_BEFORE_YEAR.search(text, max(0, start - patterns.MONTH_LOOKBACK), start)]``."""
    return _starts(text, MONTH_YEARS)


def postcode_starts(str text):
    """``[match.start() for match in patterns.POSTCODE.finditer(text)]``."""
    return _starts(text, POSTCODES)


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
        return find_dates(data, n, text, found)
    if pattern == YEARS:
        return find_years(data, n, found)
    if pattern == MONTH_YEARS:
        return find_month_years(data, n, text, found)
    if pattern == TIMES:
        return find_times(data, n, found)
    if pattern == POSTCODES:
        return _postcode_starts(data, n, found)
    if pattern == PHONES:
        return _phone_starts(data, n, found)
    if pattern == MENU_SEPARATORS:
        return _menu_separator_starts(data, n, found)
    return _currency_word_starts(data, n, found)


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
    cdef Py_ssize_t digits = decimals_at(data, at, n, 5)
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
    if decimals_at(data, at, n, 4) == 4 and space_at(data, at + 4, n):
        end = at + 5
        while space_at(data, end, n):
            end += 1
        if _upper_latin(data, end, n) and _lower_latin(data, end + 1, n):
            return end + 2
    if decimals_at(data, at, n, 3) == 3:
        end = at + 3
        if space_at(data, end, n):
            end += 1
        if ascii_upper_at(data, end, n) and ascii_upper_at(data, end + 1, n) and boundary_after(data, end + 2, n):
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
    if ascii_upper_at(data, end, n):
        end += 1
    if decimal_at(data, end, n):
        end += 1
        if ascii_upper_at(data, end, n) or decimal_at(data, end, n):
            end += 1
        if (
            space_at(data, end, n) and decimal_at(data, end + 1, n) and ascii_upper_at(data, end + 2, n)
            and ascii_upper_at(data, end + 3, n) and boundary_after(data, end + 4, n)
        ):
            return end + 4
    # US
    if ascii_upper_at(data, at, n) and space_at(data, at + 1, n) and decimals_at(data, at + 2, n, 5) == 5:
        end = at + 7
        if end < n and data[end] == 45 and decimals_at(data, end + 1, n, 4) == 4 and boundary_after(data, end + 5, n):
            return end + 5
        if boundary_after(data, end, n):
            return end
    # Canada
    if decimal_at(data, at, n) and ascii_upper_at(data, at + 1, n):
        end = at + 2
        if space_at(data, end, n):
            end += 1
        if (
            decimal_at(data, end, n) and ascii_upper_at(data, end + 1, n) and decimal_at(data, end + 2, n)
            and boundary_after(data, end + 3, n)
        ):
            return end + 3
    return -1


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
                digits = decimals_at(data, at + 1, n, 3)
                for k in range(digits, 0, -1):
                    if space_at(data, at + 1 + k, n):
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
        digits = decimals_at(data, at + 1, n, 4)
        if digits and at + 1 + digits < n and data[at + 1 + digits] == 41:  # ")"
            after = at + 2 + digits
            end = _phone_number(data, after + 1, n) if space_at(data, after, n) else -1
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
    cdef Py_ssize_t digits = decimals_at(data, at, n, 5), groups = 0, ends[5]
    if digits < 2 or digits > 4:
        return -1
    at += digits
    ends[0] = at
    while groups < 4 and at < n and (data[at] == 32 or data[at] == 46 or data[at] == 45 or data[at] == 0xA0):
        digits = decimals_at(data, at + 1, n, 5)
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
        if space_at(data, at, n) and at + 1 < n:
            mark = False
            for k in range(N_MENU_MARKS):
                if data[at + 1] == MENU_MARKS[k]:
                    mark = True
                    break
            if mark and space_at(data, at + 2, n):
                found.append(at)
                at += 3
                continue
            if data[at + 1] == 124:  # "|"
                found.append(at)
                at += 3 if space_at(data, at + 2, n) else 2
                continue
        elif data[at] == 124 and space_at(data, at + 1, n):
            found.append(at)
            at += 2
            continue
        at += 1
    return 0
