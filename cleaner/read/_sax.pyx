# cython: language_level=3
"""The compiled core's parse: libxml2's parser events handed to the compiled segmenter in C.

Given a parser target, lxml makes a Python call for each of libxml2's events, with a str for every
tag name and attribute and a dict for every element, and lets go of the GIL while libxml2 parses and
takes it back for every event. Here libxml2's callbacks call the compiled segmenter's methods
directly: a tag or attribute name becomes a str once a page, an element without attributes shares
one empty dict, and the text of content the segmenter ignores (scripts and styles it does not read,
hidden elements whose text it does not count, white space between blocks) is never decoded.

The parser is lxml's own libxml2, which lxml builds into its ``etree`` module and exports: the same
code, at the same version, parsing with the same options as ``cleaner.read.parse``'s lxml parser,
gives the same events, so the segments are those of the lxml path (``tests/test_core.py`` compares
the two on corpus pages and on generated HTML). Where lxml's module does not export libxml2's
functions, :func:`available` says so and the page is parsed through lxml.
"""

from cpython.ref cimport PyObject, Py_INCREF, Py_XDECREF
from cpython.unicode cimport PyUnicode_AsUTF8, PyUnicode_DecodeUTF8
from libc.string cimport memset, strcmp, strlen

from cleaner.read._segment cimport Segmenter

cdef extern from "dlfcn.h" nogil:
    void* dlopen(const char* filename, int flags)
    void* dlsym(void* handle, const char* symbol)
    int RTLD_NOW
    int RTLD_NOLOAD

cdef extern from "libxml/HTMLparser.h":
    ctypedef unsigned char xmlChar
    ctypedef enum xmlErrorLevel:
        XML_ERR_FATAL
    ctypedef struct xmlError:
        int code
        char* message
        xmlErrorLevel level
    ctypedef struct xmlParserCtxt  # opaque: its fields move between libxml2's versions
    ctypedef void (*startElementSAXFunc)(void* ctx, const xmlChar* name, const xmlChar** atts) noexcept
    ctypedef void (*endElementSAXFunc)(void* ctx, const xmlChar* name) noexcept
    ctypedef void (*charactersSAXFunc)(void* ctx, const xmlChar* ch, int size) noexcept
    ctypedef struct htmlSAXHandler:
        startElementSAXFunc startElement
        endElementSAXFunc endElement
        charactersSAXFunc characters
        unsigned int initialized
    int HTML_PARSE_RECOVER, HTML_PARSE_NONET, HTML_PARSE_COMPACT, HTML_PARSE_HUGE
    int HTML_PARSE_NOERROR, HTML_PARSE_NOWARNING

cdef extern from "libxml/xmlerror.h" nogil:
    int XML_ERR_RESOURCE_LIMIT

ctypedef xmlParserCtxt* (*NewContext)(const htmlSAXHandler* sax, void* user_data) noexcept nogil
ctypedef void* (*ReadMemory)(
    xmlParserCtxt* ctxt, const char* buffer, int size, const char* url, const char* encoding, int options
) noexcept nogil
ctypedef void (*FreeContext)(xmlParserCtxt* ctxt) noexcept nogil
ctypedef void (*StopParser)(xmlParserCtxt* ctxt) noexcept nogil
ctypedef const xmlError* (*LastError)(void* ctxt) noexcept nogil

# The options lxml's HTMLParser(huge_tree=True, no_network=True) parses with (recover and compact are
# its defaults), and errors not printed: lxml keeps them in its error log, where the lxml path reads
# only whether a limit stopped the parser (here: the context's last error, when fatal).
cdef int OPTIONS = (
    HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_HUGE | HTML_PARSE_NOERROR
    | HTML_PARSE_NOWARNING
)
# Names are cached by the pointer libxml2 hands over (its dictionary's copy of the name), checked
# against the cached str's text: a table of this many entries, a power of two.
DEF NAME_SLOTS = 256

cdef NewContext new_context = NULL
cdef ReadMemory read_memory = NULL
cdef FreeContext free_context = NULL
cdef StopParser stop_parser = NULL
cdef LastError last_error = NULL


cdef bint _bind():
    """Find libxml2's functions in lxml's etree module (loaded already: imported below)."""
    global new_context, read_memory, free_context, stop_parser, last_error
    import lxml.etree

    cdef bytes path = lxml.etree.__file__.encode()
    cdef void* module = dlopen(path, RTLD_NOW | RTLD_NOLOAD)
    if module is NULL:
        return False
    new_context = <NewContext>dlsym(module, "htmlNewSAXParserCtxt")
    read_memory = <ReadMemory>dlsym(module, "htmlCtxtReadMemory")
    free_context = <FreeContext>dlsym(module, "htmlFreeParserCtxt")
    stop_parser = <StopParser>dlsym(module, "xmlStopParser")
    last_error = <LastError>dlsym(module, "xmlCtxtGetLastError")
    return not (new_context is NULL or read_memory is NULL or free_context is NULL or stop_parser is NULL
                or last_error is NULL)


cdef bint _bound = _bind()


def available():
    """Whether libxml2's functions were found in lxml's module (else pages are parsed through lxml)."""
    return _bound


class ParserLimit(Exception):
    """The parser stopped at one of its limits: the rest of the page is not read."""


cdef inline bint _blank(const xmlChar* text, int size) noexcept:
    """Whether a text is white space that ``str.isspace`` says is (ASCII only; anything else: False)."""
    cdef int i
    if size <= 0:
        return False
    for i in range(size):
        if text[i] not in (32, 9, 10, 13, 11, 12):
            return False
    return True


cdef class _Reader:
    """One page's parse: the segmenter it feeds, the names seen, and the first error raised."""

    cdef Segmenter segmenter
    cdef xmlParserCtxt* context
    cdef dict no_attributes
    cdef object error
    cdef const xmlChar* name_keys[NAME_SLOTS]
    cdef PyObject* name_values[NAME_SLOTS]

    def __cinit__(self, Segmenter segmenter):
        self.segmenter = segmenter
        self.no_attributes = {}  # what every element without attributes gets (lxml: an empty mapping)
        memset(self.name_keys, 0, sizeof(self.name_keys))
        memset(self.name_values, 0, sizeof(self.name_values))

    def __dealloc__(self):
        cdef int i
        for i in range(NAME_SLOTS):
            Py_XDECREF(self.name_values[i])

    cdef str name(self, const xmlChar* name):
        """A tag's or attribute's name as a str, made once a page (while its slot is not taken by another)."""
        cdef size_t slot = ((<size_t>name) >> 4) & (NAME_SLOTS - 1)
        cdef PyObject* cached = self.name_values[slot]
        if self.name_keys[slot] == name and strcmp(<const char*>name, PyUnicode_AsUTF8(<object>cached)) == 0:
            return <str>cached
        cdef str found = PyUnicode_DecodeUTF8(<const char*>name, strlen(<const char*>name), NULL)
        Py_XDECREF(cached)
        Py_INCREF(found)
        self.name_values[slot] = <PyObject*>found
        self.name_keys[slot] = name
        return found

    cdef int start(self, const xmlChar* name, const xmlChar** atts) except -1:
        cdef dict attrib = self.no_attributes
        cdef Py_ssize_t i = 0
        # Inside content it skips (a script, an SVG icon, a hidden menu) the segmenter reads a tag's
        # name, never its attributes: they are left undecoded.
        if atts is not NULL and atts[0] is not NULL and not self.segmenter.skip_depth:
            attrib = {}
            while atts[i] is not NULL:
                # libxml2 has dropped a name's later values; one given without a value reads "", as in lxml.
                value = atts[i + 1]
                attrib[self.name(atts[i])] = "" if value is NULL else PyUnicode_DecodeUTF8(
                    <const char*>value, strlen(<const char*>value), NULL
                )
                i += 2
        self.segmenter.start(self.name(name), attrib)
        return 0

    cdef int text(self, const xmlChar* text, int size) except -1:
        cdef Segmenter segmenter = self.segmenter
        # What the segmenter's data() would read, then drop: left undecoded.
        if segmenter.skip_depth:
            if not segmenter.raw_depth and not (segmenter.counting and not segmenter.quiet_depth):
                segmenter.swallowing = False
                return 0
        elif not segmenter.pieces and not segmenter.pre_depth and _blank(text, size):
            segmenter.swallowing = False
            return 0
        segmenter.data(PyUnicode_DecodeUTF8(<const char*>text, size, NULL))
        return 0

    cdef void fail(self, error) noexcept:
        if self.error is None:
            self.error = error
        stop_parser(self.context)


cdef void _on_start(void* reader, const xmlChar* name, const xmlChar** atts) noexcept:
    cdef _Reader this = <_Reader>reader
    if this.error is not None:
        return
    try:
        this.start(name, atts)
    except BaseException as error:
        this.fail(error)


cdef void _on_end(void* reader, const xmlChar* name) noexcept:
    cdef _Reader this = <_Reader>reader
    if this.error is not None:
        return
    try:
        this.segmenter.end(this.name(name))
    except BaseException as error:
        this.fail(error)


cdef void _on_text(void* reader, const xmlChar* text, int size) noexcept:
    cdef _Reader this = <_Reader>reader
    if this.error is not None:
        return
    try:
        this.text(text, size)
    except BaseException as error:
        this.fail(error)


def parse(bytes data not None, Segmenter segmenter not None):
    """Parse ``data`` (UTF-8 HTML without NUL bytes) into ``segmenter`` and return its ``close()``: the
    page's segments. Raises what the segmenter raised, or :class:`ParserLimit` where the parser stopped
    at a limit (its message the parser's)."""
    if not _bound:
        raise RuntimeError("libxml2's functions were not found in lxml's module")
    if len(data) > 0x7FFFFFFF:
        raise ParserLimit(f"a page of {len(data)} bytes: libxml2 reads at most 2 GiB at once")
    cdef htmlSAXHandler sax
    memset(&sax, 0, sizeof(sax))
    sax.startElement = _on_start
    sax.endElement = _on_end
    # lxml's wiring for a target with start, end and data methods: script and style text come as
    # characters too (no cdataBlock), and no blank is ignorable without HTML_PARSE_NOBLANKS.
    sax.characters = _on_text
    sax.initialized = 1
    reader = _Reader(segmenter)
    cdef xmlParserCtxt* context = new_context(&sax, <void*>reader)
    if context is NULL:
        raise MemoryError()
    reader.context = context
    cdef const xmlError* error
    cdef str limit = None
    try:
        read_memory(context, <const char*>data, <int>len(data), NULL, "utf-8", OPTIONS)
        error = last_error(context)
        if error is not NULL and error.code == XML_ERR_RESOURCE_LIMIT and error.level == XML_ERR_FATAL:
            limit = "" if error.message is NULL else PyUnicode_DecodeUTF8(error.message, strlen(error.message), "replace")
    finally:
        reader.context = NULL
        free_context(context)
    if reader.error is not None:
        raise reader.error
    if limit is not None:
        raise ParserLimit(limit.strip())
    return segmenter.close()
