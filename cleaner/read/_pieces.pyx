# cython: language_level=3
"""The segmenter's compiled text helpers: a text's white space collapsed
(:func:`cleaner.read.lines.respaced`), a block's pieces joined into lines
(:func:`cleaner.read.pieces.split_collapsed`) and the hint words of a class or id
(:func:`cleaner.read.tags.hints_of`). ``_segment.pyx`` calls them in C (``_pieces.pxd``);
``tests/test_core.py`` compares them with their references on generated input."""

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.unicode cimport Py_UNICODE_ISALNUM, Py_UNICODE_ISSPACE

from cleaner.read._unicode cimport is_alnum

from cleaner.read.tags import BR, BUILDER_WORDS, CAMEL_RE, HINT_WORDS, NO_HINTS, without_taxonomy_terms

cdef str _BR = BR
cdef frozenset _NO_HINTS = NO_HINTS
cdef dict _HINT_WORDS = dict(HINT_WORDS)
cdef frozenset _BUILDER_WORDS = BUILDER_WORDS
cdef object _CAMEL_SUB = CAMEL_RE.sub


cdef extern from "Python.h":
    str PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    int PyUnicode_1BYTE_KIND, PyUnicode_4BYTE_KIND


cpdef str respaced(str text):
    """:func:`cleaner.read.lines.respaced`, compiled: the words of ``text`` (split at what ``str.split``
    takes for white space) joined by single spaces, in one pass over the code points and no object
    per word; a text already so spaced is returned as it is."""
    cdef Py_ssize_t n = len(text), i, size = 0
    cdef Py_UCS4 c
    cdef bint space = True  # at the start, or after white space
    cdef bint spaced = True  # so far, the text is its own result
    for i in range(n):
        c = text[i]
        if Py_UNICODE_ISSPACE(c):
            if space or c != u" ":
                spaced = False
                break
            space = True
        else:
            space = False
    if spaced and not (n and space):
        return text
    cdef Py_UCS4* out = <Py_UCS4*>PyMem_Malloc(n * sizeof(Py_UCS4) + 1)
    if out is NULL:
        raise MemoryError()
    try:
        space = False
        for i in range(n):
            c = text[i]
            if Py_UNICODE_ISSPACE(c):
                space = size > 0
            else:
                if space:
                    out[size] = u" "
                    size += 1
                    space = False
                out[size] = c
                size += 1
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, size)
    finally:
        PyMem_Free(out)


cpdef list split_collapsed(list pieces, list links):
    """:func:`cleaner.read.pieces.split_collapsed`, compiled: a block's pieces joined into lines (split
    at <br>), whitespace collapsed, with link characters."""
    cdef list result, parts
    cdef Py_ssize_t link_chars, index, k, count = len(pieces)
    cdef str piece, core, segment
    cdef int pending  # -1: no whitespace since the last word; else whether its first char was in a link
    cdef bint started, linked
    if not links:
        return [(respaced(segment), 0) for segment in "".join(pieces).split(_BR)]
    cdef bytearray in_link = bytearray(count)
    for index in links:
        in_link[index] = 1
    result = []
    parts = []
    link_chars = 0
    pending = -1
    started = False
    for k in range(count):
        piece = pieces[k]
        linked = in_link[k]
        if piece == _BR:
            result.append(("".join(parts), link_chars))
            parts, link_chars, pending, started = [], 0, -1, False
            continue
        core = respaced(piece)
        if not core:
            if started and pending < 0 and piece:
                pending = linked
            continue
        if started:
            if pending < 0 and piece[0].isspace():
                pending = linked
            if pending >= 0:
                parts.append(" ")
                link_chars += pending
        parts.append(core)
        if linked:
            link_chars += len(core)
        started = True
        pending = linked if piece[len(piece) - 1].isspace() else -1
    result.append(("".join(parts), link_chars))
    return result


cdef inline list _with_hint(list found, str previous, str token):
    """``found`` with the hint word of ``token`` added (the list made on the first), unless it names
    none or is a page builder's word after ``previous``."""
    hint = _HINT_WORDS.get(token)
    if hint is not None and (previous, token) not in _BUILDER_WORDS:
        if found is None:
            found = []
        found.append(hint)
    return found


cpdef frozenset hints_of(str value):
    """:func:`cleaner.read.tags.hints_of`, compiled: the hint words of a class/id attribute value (a
    post's taxonomy terms left out, as the reference leaves them out). The value's tokens (runs of
    characters that are str.isalnum(), which is what the pattern ``[^\\W_]+`` matches) are found in C."""
    cdef Py_ssize_t i, start = -1, n
    cdef list found = None
    cdef str token, previous = ""
    if "tag-" in value or "category-" in value or "author-" in value:
        value = without_taxonomy_terms(value)
    if value.isascii():  # nearly every value: its camelCase cut and its capitals lowered in C
        return _ascii_hints(value)
    if not value.islower():  # capitals (camelCase to split), or no letters at all
        value = _CAMEL_SUB(" ", value).lower()
    n = len(value)
    for i in range(n + 1):
        if i < n and Py_UNICODE_ISALNUM(value[i]):
            if start < 0:
                start = i
        elif start >= 0:
            token = value[start:i]
            found = _with_hint(found, previous, token)
            previous = token
            start = -1
    return frozenset(found) if found is not None else _NO_HINTS


cdef frozenset _ascii_hints(str value):
    """:func:`hints_of` of an ASCII value: its tokens are its runs of letters and digits, cut where a
    capital follows a small letter or a digit (``CAMEL_RE``), lowered; no regex, no lowered copy."""
    cdef Py_ssize_t i, j, start = -1, n = len(value)
    cdef Py_UCS4 c, letter, previous_char = 0
    cdef list found = None
    cdef str token, previous = ""
    cdef bint alnum
    cdef unsigned char* lowered = <unsigned char*>PyMem_Malloc(n + 1)
    if lowered is NULL:
        raise MemoryError()
    try:
        for i in range(n + 1):
            c = value[i] if i < n else 0
            alnum = is_alnum(c)
            if start >= 0 and (not alnum or (65 <= c <= 90 and (97 <= previous_char <= 122 or 48 <= previous_char <= 57))):
                for j in range(start, i):
                    letter = value[j]
                    lowered[j - start] = <unsigned char>(<unsigned int>letter + 32 if 65 <= letter <= 90 else <unsigned int>letter)
                token = PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, lowered, i - start)
                found = _with_hint(found, previous, token)
                previous = token
                start = -1
            if alnum and start < 0:
                start = i
            previous_char = c
    finally:
        PyMem_Free(lowered)
    return frozenset(found) if found is not None else _NO_HINTS
