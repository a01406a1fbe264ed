# cython: language_level=3
# The compiled segmenter's state and methods (see _segment.pyx), declared for the modules that drive it
# in C: _sax.pyx calls its methods on libxml2's events and reads its depths to skip work it would ignore.

from cpython cimport array


cdef class Segmenter:
    cdef public object out
    cdef list open_elements, blocks, pieces, link_pieces, raw, link_refs, hidden
    cdef object hrefs  # a list with links, else None
    cdef dict hint_cache, tags_cache, class_ids, hidden_classes
    cdef Py_ssize_t link_depth, pre_depth, skip_depth, raw_depth, line_number, quiet_depth, jsonld_depth
    cdef Py_ssize_t marker_depth, marker_start  # see the reference's __init__
    cdef str raw_tag
    cdef object last_block
    cdef bint reveal, counting, swallowing
    # The output's lists, held here too so that appending to them skips an attribute lookup.
    cdef array.array o_ends, o_first_line, o_last_line, o_class_of
    cdef list o_containers, o_number, o_owner, o_text, o_link, o_tag, o_depth, o_ancestors
    cdef list o_hinted, o_nearest, o_class_names

    cpdef flush(self)
    cpdef start(self, tag, attrib)
    cpdef end(self, tag)
    cpdef data(self, str text)
    cpdef close(self)
    cdef bint _hidden_by_class(self, str classes)
    cdef count_hidden(self)
