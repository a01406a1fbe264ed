# cython: language_level=3
# What the compiled modules share about characters (``read/_lines.pyx``, ``features/_scan.pyx``,
# ``features/_patterns.pyx``): the storage of a str's code points, and str's tests of one code point,
# without a call for Latin-1 (most of a page's characters).

from cpython.unicode cimport Py_UNICODE_ISALNUM, Py_UNICODE_ISDECIMAL


ctypedef fused code_unit:  # a str's storage: one, two or four bytes a code point (PEP 393)
    unsigned char
    unsigned short
    unsigned int


cdef inline bint _latin1_bit(unsigned int c, unsigned long long w0, unsigned long long w1, unsigned long long w2,
                             unsigned long long w3):
    """Bit ``c % 64`` of word ``c // 64`` of a table of the code points below 256 (one shift and one test
    for a Latin-1 character, which most of a page's characters are)."""
    cdef unsigned long long word = w0 if c < 64 else w1 if c < 128 else w2 if c < 192 else w3
    return (word >> (c & 63)) & 1


# ``str.isalnum`` of the code points below 256: 0-9; A-Z and a-z; ª ² ³ µ ¹ º ¼ ½ ¾; À-ÿ but × and ÷.
# (tests/test_core.py and tests/test_scan.py read every one of them through the line keys and the
# word-list hits, against their definitions.)
cdef inline bint is_alnum(Py_UCS4 c):
    """``str.isalnum`` of one character."""
    if c < 256:
        return _latin1_bit(c, 0x3FF000000000000ULL, 0x7FFFFFE07FFFFFEULL, 0x762C040000000000ULL, 0xFF7FFFFFFF7FFFFFULL)
    return Py_UNICODE_ISALNUM(c)


cdef inline bint is_decimal(Py_UCS4 c):
    """``str.isdecimal`` of one character (``re``'s ``\\d`` of a str pattern)."""
    if c < 128:
        return 48 <= c <= 57
    return Py_UNICODE_ISDECIMAL(c)


cdef inline bint is_word(Py_UCS4 c):
    """Whether ``c`` is a word character for Python's ``re`` (``\\w`` of a str pattern): alphanumeric, or "_"."""
    return c == 95 or is_alnum(c)
