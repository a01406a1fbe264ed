# cython: language_level=3, boundscheck=False, wraparound=False
"""The compiled line scan: :func:`cleaner.features.scan.line_scan`, one loop over the code points of a
batch of lines.

``cleaner/features/scan.py`` is the specification (:func:`~cleaner.features.scan.scan_line`): the same
columns, in the same order, for every line. What differs is only how: each character is read once, its
class looked up in the table, and the pattern marks are found from the last few characters' classes
kept as bits (bit k: the character k+1 places back) instead of by slicing. ``tests/test_scan.py``
compares the two on every line it is given.

Also here: the word-list hits of a text (:func:`cleaner.features.lexicon.lexicon_hits`), found in the
same kind of loop over its code points.
"""

import unicodedata

import numpy as np

from cpython.unicode cimport (
    Py_UNICODE_ISALPHA, Py_UNICODE_ISDECIMAL, Py_UNICODE_ISLOWER, Py_UNICODE_ISPRINTABLE,
    Py_UNICODE_ISSPACE, Py_UNICODE_ISTITLE, Py_UNICODE_ISUPPER, Py_UNICODE_TOLOWER, Py_UNICODE_TOUPPER, PyUnicode_DATA,
    PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND, PyUnicode_GET_LENGTH, PyUnicode_KIND,
)

from cleaner.read._unicode cimport code_unit, is_word

from cleaner.features import chars, patterns
from cleaner.features.scan import COUNTED_CLASSES, SCAN_COLUMNS

cdef unsigned int LETTER = chars.LETTER, UPPER = chars.UPPER, DIGIT = chars.DIGIT, SPACE = chars.SPACE
cdef unsigned int PUNCT = chars.PUNCT, TERMINAL = chars.TERMINAL, SYMBOL = chars.SYMBOL, QUOTE = chars.QUOTE
cdef unsigned int COMMA = chars.COMMA, CJK = chars.CJK, CASED_UPPER = chars.CASED_UPPER, FOLDS = chars.FOLDS
cdef unsigned int GOOD_PUNCT = chars.GOOD_PUNCT, MENU_MARK = chars.MENU_MARK, CURRENCY = chars.CURRENCY
cdef unsigned int BULLET = chars.BULLET, CLOSER = chars.CLOSER
cdef Py_UCS4 TABLE_SIZE = chars.TABLE_SIZE

# The column order is the specification's: checked once, here, so that the loop can write by position.
assert COUNTED_CLASSES == (LETTER, UPPER, DIGIT, SPACE, PUNCT, TERMINAL, SYMBOL, QUOTE, COMMA, CJK)
assert SCAN_COLUMNS == (
    "letters", "upper", "digits", "spaces", "punct", "terminal", "symbols", "quotes", "commas", "cjk",
    "words", "capitalised_words",
    "folds", "respace", "good_punct", "menu_mark", "currency",
    "starts_upper", "ends_colon", "leading_space", "ends_terminal", "heading_start", "bullet_start", "table_start",
    "postcode_mark", "phone_mark", "time_mark", "at_sign", "link_text", "url", "copyright_mark",
)

assert patterns.COPYRIGHT_MARKS == ("©", "(c)", "®", "™")  # the marks the loop looks for

# The eight classes of the table's low bits are counted in one addition a character: LANES[bits]
# holds, in byte k of a 64-bit word, 1 where bit k is set, and the sum of a run of at most LANE_RUN
# characters' words holds each class's count in its byte (no byte can overflow), added to the counts
# after each run. (Eight increments a character took a third of the scan's time.)
assert (LETTER, UPPER, DIGIT, SPACE, PUNCT, TERMINAL, SYMBOL, QUOTE) == tuple(1 << k for k in range(8))
cdef enum:
    LANE_RUN = 255
cdef unsigned long long LANES[256]
cdef int _lane_bits, _lane
for _lane_bits in range(256):
    LANES[_lane_bits] = 0
    for _lane in range(8):
        if _lane_bits >> _lane & 1:
            LANES[_lane_bits] |= 1ULL << (8 * _lane)


def class_table():
    """:func:`cleaner.features.chars.char_class_table`, built from the interpreter's own character
    database through its C API: the bits of :func:`~cleaner.features.chars.char_bits` for every code
    point, ten to twenty times faster than asking :mod:`unicodedata` about each (which is done only for
    the few characters the C API cannot place: punctuation or symbol, and case folding).
    ``tests/test_reference.py`` checks it against ``char_bits`` on every code point."""
    result = np.zeros(<Py_ssize_t>TABLE_SIZE + 1, dtype=np.uint32)
    cdef unsigned int[::1] table = result
    cdef Py_UCS4 c
    cdef str char  # c as a one-character str (what a Py_UCS4 converts to)
    cdef unsigned int bits
    category = unicodedata.category
    for c in range(TABLE_SIZE):
        # The categories L* are exactly str.isalpha(), Lt exactly str.istitle(); a letter's
        # str.isupper() is its category Lu (Other_Uppercase holds no letter); Nd is str.isdecimal().
        if Py_UNICODE_ISALPHA(c):
            bits = LETTER | UPPER if Py_UNICODE_ISUPPER(c) or Py_UNICODE_ISTITLE(c) else LETTER
        elif Py_UNICODE_ISDECIMAL(c):
            bits = DIGIT
        elif Py_UNICODE_ISSPACE(c):
            bits = SPACE
        elif Py_UNICODE_ISPRINTABLE(c):  # the categories C* and Z* are not printable: P* and S* are
            char = c
            major = category(char)[0]
            bits = PUNCT if major == "P" else SYMBOL if major == "S" else 0
        else:
            bits = 0
        if Py_UNICODE_ISUPPER(c):
            bits |= CASED_UPPER
        # Only a cased character, or one with a case mapping, can fold otherwise than it lower-cases.
        if c < 0x10000 and (
            Py_UNICODE_ISLOWER(c) or Py_UNICODE_ISUPPER(c) or Py_UNICODE_ISTITLE(c)
            or Py_UNICODE_TOLOWER(c) != c or Py_UNICODE_TOUPPER(c) != c
        ):
            char = c
            if char.casefold() != char.lower():
                bits |= FOLDS
        table[c] = bits
    for chars_in_set, bit in chars._SET_BITS:
        for char in chars_in_set:
            table[ord(char)] |= bit
    table[0x03A3] |= FOLDS  # the capital sigma (see chars.FOLDS)
    for low, high in chars.CJK_RANGES:
        for cp in range(low, high + 1):
            table[cp] |= CJK
    table[TABLE_SIZE] = LETTER
    result.setflags(write=False)
    return result


cdef inline unsigned int _class_of(const unsigned int[::1] table, Py_UCS4 c) noexcept nogil:
    """The class bits of ``c`` (a code point past the table reads its last entry)."""
    return table[c if c < TABLE_SIZE else TABLE_SIZE]


cdef inline bint _time_sign(Py_UCS4 c) noexcept nogil:
    return c == 58 or c == 104 or c == 72 or c == 97 or c == 65 or c == 112 or c == 80  # :hHaApP


cdef inline bint _phone_separator(Py_UCS4 c) noexcept nogil:
    return c == 32 or c == 46 or c == 45 or c == 0xA0  # " .-" and the no-break space


def line_scan(texts, const unsigned int[::1] table):
    """The ``SCAN_COLUMNS`` of each of ``texts``, read with ``table`` (the class table): one row a line."""
    cdef Py_ssize_t rows = len(texts)
    result = np.zeros((rows, len(SCAN_COLUMNS)), dtype=np.int32)
    cdef int[:, ::1] out = result
    cdef Py_ssize_t row, n
    cdef str text
    cdef int kind
    cdef void *data
    for row in range(rows):
        text = texts[row]
        n = PyUnicode_GET_LENGTH(text)
        kind = PyUnicode_KIND(text)
        data = PyUnicode_DATA(text)
        # One loop for each storage, so that reading a code point is an array access, not a switch.
        if kind == PyUnicode_1BYTE_KIND:
            _scan_line(<const unsigned char *>data, n, table, &out[row, 0])
        elif kind == PyUnicode_2BYTE_KIND:
            _scan_line(<const unsigned short *>data, n, table, &out[row, 0])
        else:
            _scan_line(<const unsigned int *>data, n, table, &out[row, 0])
    return result


cdef void _scan_line(const code_unit *data, Py_ssize_t n, const unsigned int[::1] table, int *out) noexcept nogil:
    """One line's columns, written to ``out`` (a row of ``SCAN_COLUMNS``, zeros on entry)."""
    cdef Py_ssize_t i, run_end, first = -1, last = -1
    cdef int k
    cdef Py_UCS4 c
    cdef unsigned int b, seen = 0
    cdef bint space, digit, capital, word
    cdef bint previous_space = True  # a word may start at the line's start
    # The last characters' classes, one bit a character back: digits, white space, capitals A-Z.
    cdef unsigned int digits_back = 0, spaces_back = 0, capitals_back = 0
    # The counts of the table's low eight bits (in that order: see LANES), and the others.
    cdef long long low[8]
    cdef unsigned long long lanes
    cdef long long newlines = 0, commas = 0, cjk = 0, words = 0, capitalised = 0
    cdef bint leading_space = False, heading = False
    cdef bint respace = False, postcode = False, phone = False, time_mark = False
    cdef bint at_sign = False, link_text = False, url = False, copyright = False
    for i in range(8):
        low[i] = 0
    i = 0
    while i < n:
        run_end = i + LANE_RUN if n - i > LANE_RUN else n
        lanes = 0
        while i < run_end:
            c = data[i]
            b = _class_of(table, c)
            if b == LETTER and not previous_space and not digits_back & 31:
                # A letter of no other class inside a word, no digit among the last five characters
                # (most characters of a page): it only counts, and ends the line's text so far; none
                # of the marks below can end on it (a time's "h" or "am" needs a digit before it).
                seen |= LETTER
                lanes += LANES[LETTER]
                last = i
                digits_back <<= 1
                spaces_back <<= 1
                capitals_back <<= 1
                i += 1
                continue
            seen |= b
            lanes += LANES[b & 0xFF]
            commas += (b & COMMA) != 0
            cjk += (b & CJK) != 0
            digit = (b & DIGIT) != 0
            word = (b & SPACE) == 0
            space = not word and c != 10  # newlines join a batch's lines: not a line's own white space
            newlines += c == 10
            capital = 65 <= c <= 90
            if word:
                if first < 0:
                    first = i
                last = i
                if previous_space:
                    words += 1
                    capitalised += (b & UPPER) != 0
            previous_space = not word
            if i == 0:
                leading_space = not word
                heading = c == 35  # "#"
            if space and (i == 0 or c != 32 or spaces_back & 1):  # at the start, doubled, or not " "
                respace = True
            # The pattern marks, at the match's last character (see scan_line); each needs a digit
            # here or among the last five characters.
            if digit or digits_back & 31:
                if (digits_back & 15) == 15 and (digit or capital or c == 41):  # four digits, then 0-9, A-Z or ")"
                    postcode = True
                elif capital and ((digits_back >> 1) & 15) == 15 and spaces_back & 1:  # or a space and A-Z
                    postcode = True
                elif digit and capitals_back & 1:  # A-Z, then a digit
                    postcode = True
                if digit and digits_back & 1 and digits_back & 4 and digits_back & 8:
                    if _phone_separator(data[i - 2]):
                        phone = True
                if _time_sign(c) and (digits_back & 1 or (spaces_back & 1 and digits_back & 2)):
                    time_mark = True
            # The strings some patterns need, at their last character. ("(c)" is in the line
            # lower-cased where "(c)" or "(C)" is in the line: nothing else lower-cases to any of its
            # characters.)
            if c == 64:  # "@"
                at_sign = True
            elif c == 40:  # "]("
                link_text = link_text or (i >= 1 and data[i - 1] == 93)
            elif c == 41:  # "(c)", "(C)"
                copyright = copyright or (i >= 2 and (data[i - 1] == 99 or data[i - 1] == 67) and data[i - 2] == 40)
            elif c == 47:  # "://"
                url = url or (i >= 2 and data[i - 1] == 47 and data[i - 2] == 58)
            elif c == 46:  # "www."
                url = url or (i >= 3 and data[i - 1] == 119 and data[i - 2] == 119 and data[i - 3] == 119)
            elif c == 0xA9 or c == 0xAE or c == 0x2122:  # "©", "®", "™"
                copyright = True
            digits_back = (digits_back << 1) | digit
            spaces_back = (spaces_back << 1) | space
            capitals_back = (capitals_back << 1) | capital
            i += 1
        for k in range(8):
            low[k] += (lanes >> (8 * k)) & 0xFF
    if spaces_back & 1:  # a space at the end
        respace = True
    # The counts, in the order of SCAN_COLUMNS (checked at import); a newline has the SPACE bit.
    cdef long long counts[12]
    counts[:] = [
        low[0], low[1], low[2], low[3] - newlines, low[4], low[5], low[6], low[7], commas, cjk, words, capitalised
    ]
    for i in range(12):
        out[i] = counts[i]
    out[12] = (seen & FOLDS) != 0
    out[13] = respace
    out[14] = (seen & GOOD_PUNCT) != 0
    out[15] = (seen & MENU_MARK) != 0
    out[16] = (seen & CURRENCY) != 0
    if first >= 0:
        c = data[first]
        b = _class_of(table, c)
        out[17] = (b & CASED_UPPER) != 0
        out[18] = data[last] == 58  # ":"
        out[20] = _ends_terminal(data, last, table)
        out[22] = (b & (BULLET | DIGIT)) != 0
        out[23] = c == 124  # "|"
    out[19] = leading_space
    out[21] = heading
    out[24] = postcode
    out[25] = phone
    out[26] = time_mark
    out[27] = at_sign
    out[28] = link_text
    out[29] = url
    out[30] = copyright


cdef bint _ends_terminal(const code_unit *data, Py_ssize_t at, const unsigned int[::1] table) noexcept nogil:
    """:func:`cleaner.features.scan._ends_terminal`: back from the last non-space character ``at``."""
    while at >= 0:
        if not _class_of(table, data[at]) & CLOSER:
            break
        at -= 1
        if at >= 0 and _class_of(table, data[at]) & SPACE:
            at -= 1
    return at >= 0 and (_class_of(table, data[at]) & TERMINAL) != 0


cdef class Forms:
    """The arrays of :class:`cleaner.features.lexicon.LexiconForms`, typed (made once: see
    :func:`cleaner.features.lexicon.lexicon_hits`)."""
    cdef const unsigned int[::1] codes
    cdef const long long[::1] starts
    cdef const unsigned char[::1] tails
    cdef const int[::1] lists
    cdef const unsigned long long[::1] heads
    cdef const long long[::1] bounds
    cdef const long long[::1] order
    cdef const int[::1] ascii_heads

    def __init__(self, codes, starts, tails, lists, heads, bounds, order, ascii_heads):
        self.codes, self.starts, self.tails, self.lists = codes, starts, tails, lists
        self.heads, self.bounds, self.order, self.ascii_heads = heads, bounds, order, ascii_heads


def lexicon_hits(str text, Forms forms not None):
    """:func:`cleaner.features.lexicon.lexicon_hits`, with the word lists spelt out (``forms``: the
    :class:`Forms` of :func:`~cleaner.features.lexicon.lexicon_forms`): at each place after a non-word
    character and past the last hit, the first form (in the order ``patterns.LEXICON`` tries them)
    that the text holds there and that ends its word."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef list found = [], which = []
    # One loop for each storage of a str, as in line_scan.
    if kind == PyUnicode_1BYTE_KIND:
        _lexicon_hits(<const unsigned char *>data, n, forms, found, which)
    elif kind == PyUnicode_2BYTE_KIND:
        _lexicon_hits(<const unsigned short *>data, n, forms, found, which)
    else:
        _lexicon_hits(<const unsigned int *>data, n, forms, found, which)
    return found, which


cdef int _lexicon_hits(const code_unit *data, Py_ssize_t n, Forms forms, list found, list which) except -1:
    cdef const unsigned int[::1] codes = forms.codes
    cdef const long long[::1] starts = forms.starts, bounds = forms.bounds, order = forms.order
    cdef const unsigned char[::1] tails = forms.tails
    cdef const int[::1] lists = forms.lists, ascii_heads = forms.ascii_heads
    cdef const unsigned long long[::1] heads = forms.heads
    cdef Py_ssize_t at, end = 0, stop, low, high, middle, k, f, j, start, length
    cdef Py_ssize_t n_heads = heads.shape[0]
    cdef unsigned int c, next_c  # code points (a Py_UCS4 would multiply as a str)
    cdef unsigned long long key
    cdef bint after_word = False
    for at in range(n):
        c = data[at]
        if at >= end and not after_word and at + 1 < n:
            next_c = data[at + 1]
            if c < 128 and next_c < 128:
                low = ascii_heads[128 * c + next_c]
                if low < 0:
                    after_word = is_word(c)
                    continue
            else:
                key = (<unsigned long long>c << 21) | <unsigned long long>next_c
                low, high = 0, n_heads
                while low < high:
                    middle = (low + high) // 2
                    if heads[middle] < key:
                        low = middle + 1
                    else:
                        high = middle
                if low >= n_heads or heads[low] != key:
                    after_word = is_word(c)
                    continue
            for k in range(bounds[low], bounds[low + 1]):
                f = order[k]
                start = starts[f]
                length = starts[f + 1] - start
                if at + length > n:
                    continue
                j = 2  # the first two characters are the head's
                while j < length and data[at + j] == codes[start + j]:
                    j += 1
                if j < length:
                    continue
                stop = at + length
                if tails[f]:
                    while stop < n and is_word(data[stop]):
                        stop += 1
                elif stop < n and is_word(data[stop]):
                    continue
                found.append(at)
                which.append(lists[f])
                end = stop
                break
        after_word = is_word(c)
    return 0
