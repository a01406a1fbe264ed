# cython: language_level=3
# What the compiled modules share about characters (``read/_lines.pyx``, ``features/_scan.pyx``,
# ``features/_patterns.pyx``): str's tests of one code point, without a call for ASCII (most of a
# page's characters).

from cpython.unicode cimport Py_UNICODE_ISALNUM, Py_UNICODE_ISDECIMAL


cdef inline bint is_alnum(Py_UCS4 c):
    """``str.isalnum`` of one character."""
    if c < 128:
        return (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122)
    return Py_UNICODE_ISALNUM(c)


cdef inline bint is_decimal(Py_UCS4 c):
    """``str.isdecimal`` of one character (``re``'s ``\\d`` of a str pattern)."""
    if c < 128:
        return 48 <= c <= 57
    return Py_UNICODE_ISDECIMAL(c)


cdef inline bint is_word(Py_UCS4 c):
    """Whether ``c`` is a word character for Python's ``re`` (``\\w`` of a str pattern): alphanumeric, or "_"."""
    return c == 95 or is_alnum(c)
