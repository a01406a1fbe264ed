# cython: language_level=3
"""Two rules the later stages ask of every line, compiled: the key a line is looked up by against the
page's titles (:func:`cleaner.read.titles.text_key`) and the prose rule
(:func:`cleaner.read.prose.is_prose`).

Those functions are the specification; :func:`cleaner.read.titles.text_keys` and
:func:`cleaner.read.prose.prose_lines` run these where they are built. ``tests/test_core.py`` compares
each with its definition on generated text and on corpus lines.
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.unicode cimport (
    Py_UNICODE_ISSPACE, PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND, PyUnicode_DATA,
    PyUnicode_FromKindAndData, PyUnicode_GET_LENGTH, PyUnicode_KIND,
)

from cleaner.read._unicode cimport code_unit, is_alnum

from cleaner.read.prose import CJK_CHARS_PER_WORD, CJK_RANGES, PROSE_MIN_WORDS, PROSE_PUNCTUATION


cdef extern from "Python.h":
    bint PyUnicode_IS_ASCII(object text)


cdef inline Py_ssize_t _put(code_unit *key, Py_ssize_t length, code_unit c, bint gap) noexcept:
    """Write a word's character ``c`` at ``length`` of a key being built, after one space when a gap
    parts it from the word before (``gap``); the key's new length."""
    if gap and length:
        key[length] = 32
        length += 1
    key[length] = c
    return length + 1


cpdef list text_keys(list texts):
    """:func:`cleaner.read.titles.text_key` of each text, compiled: the word tokens (runs of
    characters that are str.isalnum(), which is what the pattern ``[^\\W_]+`` matches) of the
    case-folded text, joined by single spaces, written in C into one buffer (reused from text to text)
    in the folded text's own storage (one, two or four bytes a code point)."""
    cdef list out = []
    cdef str folded
    cdef Py_ssize_t n, length, size = 0
    cdef int kind
    cdef void *buffer = NULL
    cdef const void *data
    try:
        for text in texts:
            # ASCII text folds as it lower-cases, which the loop does as it reads.
            folded = <str>text if PyUnicode_IS_ASCII(text) else (<str>text).casefold()
            n = PyUnicode_GET_LENGTH(folded)
            if n > size or buffer is NULL:
                size = max(n, 2 * size, 64)
                PyMem_Free(buffer)
                buffer = PyMem_Malloc(size * sizeof(Py_UCS4))  # room for the widest storage
                if buffer is NULL:
                    raise MemoryError()
            kind = PyUnicode_KIND(folded)
            data = PyUnicode_DATA(folded)
            if kind == PyUnicode_1BYTE_KIND:
                length = _key(<const unsigned char *>data, n, <unsigned char *>buffer)
            elif kind == PyUnicode_2BYTE_KIND:
                length = _key(<const unsigned short *>data, n, <unsigned short *>buffer)
            else:
                length = _key(<const unsigned int *>data, n, <unsigned int *>buffer)
            out.append(PyUnicode_FromKindAndData(kind, buffer, length))
    finally:
        PyMem_Free(buffer)
    return out


cdef Py_ssize_t _key(const code_unit *data, Py_ssize_t n, code_unit *key) noexcept:
    """The key of a folded text (or of an ASCII one, its capitals lower-cased here), written to ``key``
    (room for ``n`` code points): its alphanumeric runs, one space between two; the key's length."""
    cdef Py_ssize_t i, length = 0
    cdef code_unit c
    cdef bint gap = False
    for i in range(n):
        c = data[i]
        if c < 128:
            if 65 <= c <= 90:
                c += 32
            elif not ((97 <= c <= 122) or (48 <= c <= 57)):
                gap = True
                continue
        elif not is_alnum(c):
            gap = True
            continue
        length = _put(key, length, c, gap)
        gap = False
    return length


# The prose rule (cleaner.read.prose.is_prose) in C: its punctuation as a table for ASCII and a string
# for the rest, its CJK ranges as pairs of code points.
cdef bint _ASCII_PROSE_PUNCT[128]
cdef str _OTHER_PROSE_PUNCT = "".join(sorted(c for c in PROSE_PUNCTUATION if ord(c) >= 128))
cdef Py_ssize_t _PROSE_MIN_WORDS = PROSE_MIN_WORDS, _CJK_PER_WORD = CJK_CHARS_PER_WORD
cdef Py_UCS4 _CJK_LOW[4]
cdef Py_UCS4 _CJK_HIGH[4]
cdef Py_ssize_t _CJK_COUNT = len(CJK_RANGES)


def _init_prose_tables():
    cdef int k
    for k in range(128):
        _ASCII_PROSE_PUNCT[k] = chr(k) in PROSE_PUNCTUATION
    if _CJK_COUNT > 4:
        raise ValueError("the compiled prose rule holds four CJK ranges at most")
    for k, (low, high) in enumerate(CJK_RANGES):
        _CJK_LOW[k], _CJK_HIGH[k] = low, high


_init_prose_tables()


cdef bint _is_prose(str text):
    cdef Py_ssize_t words = 0, cjk = 0, k
    cdef bint punct = False, in_word = False
    cdef Py_UCS4 c, p
    for c in text:
        if Py_UNICODE_ISSPACE(c):
            in_word = False
            continue
        if not in_word:
            words += 1
            in_word = True
            if punct and words >= _PROSE_MIN_WORDS:
                return True  # enough words and the punctuation: what follows cannot change it
        if c < 128:
            if _ASCII_PROSE_PUNCT[c]:
                punct = True
        else:
            if not punct:
                for p in _OTHER_PROSE_PUNCT:
                    if p == c:
                        punct = True
                        break
            for k in range(_CJK_COUNT):
                if _CJK_LOW[k] <= c <= _CJK_HIGH[k]:
                    cjk += 1
                    break
    if not punct:
        return False
    if words < _PROSE_MIN_WORDS:
        words += cjk // _CJK_PER_WORD
    return words >= _PROSE_MIN_WORDS


cpdef bytearray prose_flags(list texts):
    """:func:`cleaner.read.prose.is_prose` of each text, compiled: one byte a text, 1 for prose."""
    cdef bytearray out = bytearray(len(texts))
    cdef Py_ssize_t row = 0
    for text in texts:
        out[row] = _is_prose(<str>text)
        row += 1
    return out
