"""The date finds of ``_dates.pyx``, for ``_patterns.pyx``: each appends to ``found`` the start offsets
of its pattern's matches in a text of ``n`` code points stored at ``data`` (the text itself, ``text``,
where a month name is looked up)."""

from cleaner.features._code_units cimport code_unit


cdef int find_dates(const code_unit *data, Py_ssize_t n, str text, list found) except -1
cdef int find_years(const code_unit *data, Py_ssize_t n, list found) except -1
cdef int find_times(const code_unit *data, Py_ssize_t n, list found) except -1
cdef int find_month_years(const code_unit *data, Py_ssize_t n, str text, list found) except -1
