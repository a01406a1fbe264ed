# cython: language_level=3, boundscheck=False, wraparound=False
"""The loops that find the date patterns of :mod:`cleaner.features.patterns` in a text's storage, for
``_patterns.pyx``, which reads each text and gives the finds of all the patterns the text features
count: where ``DATE``, ``YEAR`` and ``TIME`` match, as ``finditer`` finds them (their start offsets),
and the years that ``MONTH_BEFORE_YEAR`` finds a month name before (declared in ``_dates.pxd``).

The regular expressions are the definition. Each is read as a few comparisons at a place; where an
optional or repeated part could be given back, the function says why that cannot change the match.
``tests/test_patterns.py`` compares every find with its regex on corpus lines, the seeds, hand-made
cases and generated text. The character tests are ``re``'s for a str pattern (``_code_units.pxd``).
"""

from cpython.unicode cimport Py_UNICODE_ISSPACE, PyUnicode_Substring

from cleaner.features._code_units cimport boundary_after, decimal_at, decimals_at, space_at
from cleaner.read._unicode cimport is_decimal, is_word

from cleaner.features import patterns

# A month name of DATE is a whole word (``\\b`` after it; every name is letters): the word that starts
# there, looked up in this set.
cdef frozenset MONTHS = frozenset(patterns.MONTH_NAMES)
assert all(name.isalpha() for name in MONTHS)
cdef Py_ssize_t LONGEST_MONTH = max(map(len, MONTHS))
cdef Py_ssize_t MONTH_LOOKBACK = patterns.MONTH_LOOKBACK
# The ordinal suffixes MONTH_BEFORE_YEAR allows after a day (those _suffix_before compares).
assert r"\d{1,2}(?:st|nd|rd|th)?,?" in patterns.MONTH_BEFORE_YEAR.pattern
assert patterns.DATE_SUFFIXES == ("st", "nd", "rd", "th", "er")  # the suffixes _month_date compares


cdef inline bint _separator(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    return at < n and (data[at] == 47 or data[at] == 46 or data[at] == 45)  # "/", ".", "-"


cdef int find_dates(const code_unit *data, Py_ssize_t n, str text, list found) except -1:
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
    if decimals_at(data, at, n, 3) != 3 or not (at + 3 < n and data[at + 3] == 45):
        return -1
    if decimals_at(data, at + 4, n, 2) != 2 or not (at + 6 < n and data[at + 6] == 45):
        return -1
    if decimals_at(data, at + 7, n, 2) != 2 or not boundary_after(data, at + 9, n):
        return -1
    return at + 9


cdef Py_ssize_t _numeric_date(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``\\d?[/.-]\\d{1,2}[/.-]\\d{2,4}\\b`` at ``at``: its end, or -1.

    No backtrack changes the outcome: a quantified ``\\d`` given back leaves a digit where a separator
    or a word boundary is needed. So the optional digit is taken when there is one, the day or month
    must be a run of one or two digits, and the year a run of two to four digits that ends its word."""
    cdef Py_ssize_t digits
    if decimal_at(data, at, n):
        at += 1
    if not _separator(data, at, n):
        return -1
    at += 1
    digits = decimals_at(data, at, n, 3)
    if digits == 0 or digits == 3 or not _separator(data, at + digits, n):
        return -1
    at += digits + 1
    digits = decimals_at(data, at, n, 5)
    if digits < 2 or digits > 4 or not boundary_after(data, at + digits, n):
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
    if decimal_at(data, at, n):
        at += 1
    if at + 1 < n:
        first, second = data[at], data[at + 1]
        if _english_ordinal(first, second) or (first == 101 and second == 114):  # or "er"
            at += 2
    if at < n and data[at] == 46:  # "."
        at += 1
    start = at
    while space_at(data, at, n):
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


cdef int find_years(const code_unit *data, Py_ssize_t n, list found) except -1:
    # YEAR, (?:19|20)(?<!\w\d\d)\d\d\b: "19" or "20" starting a word, two more digits, the word's end.
    # A match is a whole word: matches never overlap, and every place is tried.
    cdef Py_ssize_t at
    for at in range(n - 3):
        if (
            ((data[at] == 49 and data[at + 1] == 57) or (data[at] == 50 and data[at + 1] == 48))
            and (at == 0 or not is_word(data[at - 1]))
            and is_decimal(data[at + 2]) and is_decimal(data[at + 3])
            and boundary_after(data, at + 4, n)
        ):
            found.append(at)
    return 0


cdef int find_times(const code_unit *data, Py_ssize_t n, list found) except -1:
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
    if decimal_at(data, at, n):
        at += 1
    if space_at(data, at, n):
        at += 1
    if at >= n:
        return -1
    c = data[at]
    if c == 58 or c == 104:  # ":", "h"
        at += 1
        if space_at(data, at, n):
            at += 1
        if decimals_at(data, at, n, 2) != 2 or not boundary_after(data, at + 2, n):
            return -1
        return at + 2
    if c == 97 or c == 112:  # "a", "p"
        at += 1
        if at < n and data[at] == 46:  # "."
            at += 1
        if not (at < n and data[at] == 109) or not boundary_after(data, at + 1, n):  # "m"
            return -1
        at += 1
        if at < n and data[at] == 46:
            at += 1
        return at
    return -1


cdef int find_month_years(const code_unit *data, Py_ssize_t n, str text, list found) except -1:
    # MONTH_BEFORE_YEAR searched between MONTH_LOOKBACK characters before a year and the year, where
    # the text is read as ending (endpos): read backwards from that end, each part of the pattern has
    # one place it can stand (see _month_before), so whether it matches is a few comparisons.
    cdef list years = []
    cdef Py_ssize_t k, start
    find_years(data, n, years)
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
