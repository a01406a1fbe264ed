"""What the compiled pattern finds (``_dates.pyx``, ``_patterns.pyx``) share: a str read in its own
storage (``code_unit``, from ``read/_unicode.pxd``: reading a character is an array access), and the
character tests of ``re`` for a str pattern at a place of it (``\\d`` a decimal digit, ``\\w`` an
alphanumeric character or "_", ``[^\\S\\n]`` white space but a newline), each false past the text's end.
"""

from cpython.unicode cimport Py_UNICODE_ISSPACE

from cleaner.read._unicode cimport code_unit, is_decimal, is_word


cdef inline bint decimal_at(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    return at < n and is_decimal(data[at])


cdef inline bint boundary_after(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``\\b`` at ``at`` after a word character: the text ends there or a non-word character follows."""
    return at >= n or not is_word(data[at])


cdef inline Py_ssize_t decimals_at(const code_unit *data, Py_ssize_t at, Py_ssize_t n, Py_ssize_t most) noexcept:
    """How many decimal digits stand from ``at`` on, counted up to ``most``."""
    cdef Py_ssize_t count = 0
    while count < most and decimal_at(data, at + count, n):
        count += 1
    return count


cdef inline bint space_at(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``[^\\S\\n]`` at ``at``: white space other than a newline."""
    return at < n and data[at] != 10 and Py_UNICODE_ISSPACE(data[at])


cdef inline bint ascii_upper_at(const code_unit *data, Py_ssize_t at, Py_ssize_t n) noexcept:
    """``[A-Z]`` at ``at``."""
    return at < n and 65 <= data[at] <= 90
