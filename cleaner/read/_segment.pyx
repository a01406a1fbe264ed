# cython: language_level=3
"""The compiled HTML segmenter: :class:`cleaner.read.segment.Segmenter`, the same parser target,
compiled by Cython with typed state.

``cleaner/read/segment.py`` is the specification: this class makes the same calls in the same order
on the same events, and fills the same :class:`~cleaner.read.segment.Segments`. What differs is only
how: C integers for the depths and counters, the constant tables held in C variables rather than
looked up as module globals, and the open elements and blocks in lists of tuples typed as such.
``tests/test_core.py`` compares the two segmenters' output field by field on every corpus page it is
given and on generated HTML.
"""

from cpython cimport array
from cpython.object cimport Py_SIZE
from cpython.unicode cimport Py_UNICODE_ISSPACE

from cleaner.read._pieces cimport hints_of, respaced, split_collapsed
from cleaner.read.pieces import drop_marker, pre_gaps, record_links, split_linked, split_pre
from cleaner.read.rawtext import RAW_TEXT_TAGS, SWALLOW_MIN_CHARS, SWALLOWED_MARKUP_RE
from cleaner.read.segment import JSONLD_TYPE, MAX_HINTED_ANCESTORS, RECORDED_ANCESTORS, REVEALABLE_TAGS
from cleaner.read.segments import Segments
from cleaner.read.structure import STRUCTURE_ATTRIBUTES, STRUCTURE_TAGS
from cleaner.read.tags import (
    BR, BREAK, CONTAINER, GROUP_TAGS, INLINE, LINK, NO_HINTS, PARAGRAPH_TAGS, PRE, SKIP, TAG_KINDS,
    EDIT_SECTION_CLASS, FIGURE_CONTENT_TAGS, FIGURE_TAG, MAIN_ROLE, edit_section, main_role,
)
from cleaner.read.visibility import (
    HIDDEN_ROLES, HIDDEN_STYLE_RE, NEVER_HIDDEN_TAGS, SHOWN_IN_PLACE_TAGS, STREAMED_SEGMENT_ID_RE, behind_paywall,
    hidden_by_class, shown_in_place,
)

cdef dict _TAG_KINDS = TAG_KINDS
cdef frozenset _RAW_TEXT_TAGS = RAW_TEXT_TAGS
cdef frozenset _REVEALABLE = REVEALABLE_TAGS
cdef frozenset _SHOWN_IN_PLACE = SHOWN_IN_PLACE_TAGS
cdef frozenset _NEVER_HIDDEN = NEVER_HIDDEN_TAGS
cdef frozenset _GROUP_TAGS = GROUP_TAGS
cdef frozenset _PARAGRAPH_TAGS = PARAGRAPH_TAGS
cdef object _STRUCTURE_TAGS = STRUCTURE_TAGS
cdef frozenset _NO_HINTS = NO_HINTS
cdef dict _NO_ATTRIBUTES = {}  # read, never written
cdef frozenset _FIGURE_CONTENT = FIGURE_CONTENT_TAGS
cdef str _FIGURE = FIGURE_TAG
cdef frozenset _FIGURE_ONLY = frozenset({FIGURE_TAG})
cdef tuple _STRUCTURE_ATTRIBUTES = tuple(STRUCTURE_ATTRIBUTES)
cdef str _BR = BR
cdef str _EDIT_SECTION = EDIT_SECTION_CLASS
cdef str _JSONLD = JSONLD_TYPE
cdef object _HIDDEN_STYLE_SEARCH = HIDDEN_STYLE_RE.search
cdef object _STREAMED_MATCH = STREAMED_SEGMENT_ID_RE.match
cdef object _SWALLOWED_SEARCH = SWALLOWED_MARKUP_RE.search
cdef Py_ssize_t _SWALLOW_MIN = SWALLOW_MIN_CHARS
cdef Py_ssize_t _RECORDED = RECORDED_ANCESTORS
cdef Py_ssize_t _MAX_HINTED = MAX_HINTED_ANCESTORS
cdef int K_INLINE = INLINE
cdef int K_SKIP = SKIP
cdef int K_CONTAINER = CONTAINER
cdef int K_PRE = PRE
cdef int K_BREAK = BREAK
cdef int K_LINK = LINK


cdef inline int _push(array.array column, long long value) except -1:
    """``column.append(value)`` for an array of C long longs (typecode "q"), without a Python int."""
    cdef Py_ssize_t size = Py_SIZE(column)
    array.resize_smart(column, size + 1)
    column.data.as_longlongs[size] = value
    return 0


cdef inline bint _permalink(object href):
    """:func:`cleaner.read.tags.permalink`: ``href`` starts with "#" after its leading white space (what
    ``str.lstrip`` strips), tested in C: a page has a hundred links and more."""
    cdef str value
    cdef Py_UCS4 c
    if href is None:
        return False
    value = <str>href
    for c in value:
        if not Py_UNICODE_ISSPACE(c):
            return c == u"#"
    return False


cdef inline bint _paragraph_break(tuple previous, tuple block):
    """:func:`cleaner.read.tags.paragraph_break`."""
    return previous[0] in _PARAGRAPH_TAGS or block[0] in _PARAGRAPH_TAGS or previous[1] != block[1]


cdef class Segmenter:
    """:class:`cleaner.read.segment.Segmenter`, compiled (see the module's docstring)."""

    def __init__(self, bint reveal=False, bint links=False):
        self.reveal = reveal
        out = self.out = Segments()
        self.hrefs = None
        self.link_refs = []
        if links:
            self.hrefs = []
            out.links = {}
        self.open_elements = []
        self.blocks = []
        self.pieces = []
        self.link_pieces = []
        self.raw = []
        self.hidden = []
        self.raw_tag = ""
        self.hint_cache = {}
        self.hidden_classes = {}
        self.class_ids = {None: 0, "": 0}  # see Segments.class_of
        self.tags_cache = {}
        self.link_depth = self.pre_depth = 0
        self.marker_depth = self.marker_start = 0
        self.skip_depth = 0
        self.raw_depth = 0
        self.swallowing = False
        self.line_number = 0
        self.last_block = None
        self.counting = False
        self.quiet_depth = 0
        self.jsonld_depth = 0
        self.o_ends, self.o_containers = out.ends, out.containers
        self.o_class_of, self.o_class_names = out.class_of, out.class_names
        self.o_number, self.o_owner, self.o_text, self.o_link = out.number, out.owner, out.text, out.link
        self.o_tag, self.o_depth, self.o_ancestors = out.tag, out.depth, out.ancestors
        self.o_hinted, self.o_nearest = out.hinted, out.nearest
        self.o_first_line, self.o_last_line = out.first_line, out.last_line

    cpdef flush(self):
        cdef list blocks = self.blocks, pieces = self.pieces, link_pieces = self.link_pieces
        cdef list found
        cdef str joined, text
        cdef Py_ssize_t i, lo, depth, line_number, step, offset, blanks
        cdef bint first
        cdef tuple block
        if not blocks:
            found = []
        elif self.pre_depth:
            found = split_pre(pieces, link_pieces)
            for offset, blanks in pre_gaps(found):
                self.out.pre_blanks[len(self.o_text) + offset] = blanks
        elif link_pieces:
            if self.hrefs is None:
                found = split_collapsed(pieces, link_pieces)
            else:
                found, spans = split_linked(pieces, link_pieces, self.link_refs)
                record_links(self.out.links, len(self.o_text), found, spans)
        else:
            joined = "".join(pieces)
            if _BR in joined:
                found = split_collapsed([joined], [])
            else:
                text = respaced(joined)
                found = [(text, 0)] if text else []
        del pieces[:]
        if link_pieces:
            del link_pieces[:]
            del self.link_refs[:]
        for item in found:
            if item[0]:
                break
        else:
            return
        block = blocks[len(blocks) - 1]
        number, tag, depth, ancestors, hinted, group = block
        cdef list open_elements = self.open_elements
        lo = depth - 1 - _RECORDED
        if lo < -1:
            lo = -1
        nearest = tuple([(<tuple>open_elements[i])[0] for i in range(depth - 1, lo, -1)])
        last_block = self.last_block
        this_block = (tag, group)
        step = 2 if last_block is not None and _paragraph_break(last_block, this_block) else 1
        self.last_block = this_block
        line_number = self.line_number
        first = True
        for text, link_chars in found:
            if not text:
                if not first:
                    step = 2
                continue
            first = False
            line_number += step
            step = 1
            self.o_number.append(line_number)
            self.o_owner.append(number)
            self.o_text.append(text)
            self.o_link.append(link_chars)
            self.o_tag.append(tag)
            self.o_depth.append(depth)
            self.o_ancestors.append(ancestors)
            self.o_hinted.append(hinted)
            self.o_nearest.append(nearest)
        self.line_number = line_number

    cpdef start(self, tag, attrib):
        cdef int kind
        cdef Py_ssize_t number
        cdef dict attributes
        self.swallowing = False
        if self.skip_depth:
            if self.hidden:
                self.count_hidden()
            self.skip_depth += 1
            if not self.raw_depth and tag in _RAW_TEXT_TAGS:
                self.raw_depth, self.raw_tag = self.skip_depth, tag
            if self.counting and not self.quiet_depth and _TAG_KINDS.get(tag) == K_SKIP:
                self.quiet_depth = self.skip_depth
            return
        # A dict, typed, for C lookups (lxml hands an element without attributes a mapping of its own).
        if type(attrib) is dict:
            attributes = <dict>attrib
        else:
            attributes = dict(attrib) if attrib else _NO_ATTRIBUTES
        kind = _TAG_KINDS.get(tag, K_INLINE)
        if kind == K_SKIP:
            if (tag in _SHOWN_IN_PLACE and shown_in_place(tag, attributes)) or (self.reveal and tag in _REVEALABLE):
                kind = K_CONTAINER
            else:
                self.skip_depth = 1
                self.counting = tag in _REVEALABLE
                if tag in _RAW_TEXT_TAGS:
                    self.raw_depth, self.raw_tag = 1, tag
                elif tag == "script" and _JSONLD in (attributes.get("type") or "").lower():
                    self.raw_depth, self.raw_tag = 1, tag
                elif tag == "meta" and attributes:
                    self.out.read_meta(attributes)
                elif tag == "base" and attributes and not self.out.base:
                    self.out.base = (attributes.get("href") or "").strip()
                return
        if tag == "html" and not self.out.lang:
            self.out.lang = (attributes.get("lang") or attributes.get("xml:lang") or "").strip()
        own_hints = _NO_HINTS
        landmark = False
        classes = None
        if attributes:
            classes = attributes.get("class")
            # The test of edit_section's own first half, in C: most elements have no such class.
            if classes is not None and _EDIT_SECTION in <str>classes and edit_section(classes):
                self.skip_depth = 1
                return
            style = attributes.get("style")
            aria = attributes.get("aria-hidden")
            role = attributes.get("role")
            if (
                (
                    ("hidden" in attributes and _STREAMED_MATCH(attributes.get("id") or "") is None)
                    or (style is not None and _HIDDEN_STYLE_SEARCH(style) is not None)
                    or (aria is not None and aria.strip().lower() == "true")
                    or (role is not None and role.strip().lower() in HIDDEN_ROLES)
                    or (classes is not None and self._hidden_by_class(<str>classes))
                )
                and tag not in _NEVER_HIDDEN
                and not self.reveal
                and not behind_paywall(classes, attributes.get("id"))
            ):
                self.skip_depth = 1
                self.counting = True
                return
            landmark = role is not None and main_role(role)
            names = classes
            ident = attributes.get("id")
            if ident is not None:
                names = ident if names is None else f"{names} {ident}"
            if names:
                own_hints = self.hint_cache.get(names)
                if own_hints is None:
                    own_hints = self.hint_cache[names] = hints_of(names)

        number = Py_SIZE(self.o_ends)
        _push(self.o_ends, number + 1)
        self.o_containers.append(kind == K_CONTAINER)
        if classes is None:  # most elements: no lookup
            _push(self.o_class_of, 0)
        else:
            class_id = self.class_ids.get(classes)
            if class_id is None:
                class_id = self.class_ids[classes] = len(self.o_class_names)
                self.o_class_names.append(classes)
            _push(self.o_class_of, class_id)
        _push(self.o_last_line, 0)
        cdef list open_elements = self.open_elements
        cdef tuple parent
        if open_elements:
            parent = open_elements[len(open_elements) - 1]
            parent_tags, parent_hinted = parent[2], parent[3]
        else:
            parent_tags, parent_hinted = _NO_HINTS, ()
        scope = parent_tags
        if tag in _FIGURE_CONTENT and _FIGURE in parent_tags:  # figure_scope, inline
            scope = parent_tags - _FIGURE_ONLY
        key = (scope, tag)
        tags = self.tags_cache.get(key)
        if tags is None:
            tags = self.tags_cache[key] = scope | {tag}
        if landmark:  # its lines are inside the page's main content (see MAIN_ROLE)
            tags = self.tags_cache.setdefault((tags, MAIN_ROLE), tags | {MAIN_ROLE})
        if own_hints:
            hinted = (*parent_hinted[1 - _MAX_HINTED :], (number, own_hints))
        else:
            hinted = parent_hinted
        cdef list blocks
        if kind >= K_CONTAINER:
            if kind <= K_PRE:
                self.marker_depth = 0  # a block inside a marker's link: no marker
                if self.pieces:
                    self.flush()
                blocks = self.blocks
                group = (<tuple>blocks[len(blocks) - 1])[5] if blocks else -1
                if group < 0 and tag in _GROUP_TAGS:
                    group = number
                blocks.append((number, tag, len(open_elements), scope, hinted, group))
                if tag in _STRUCTURE_TAGS:
                    kept = {name: attributes[name] for name in _STRUCTURE_ATTRIBUTES if name in attributes} if attributes else {}
                    self.out.marks.append((number, tag, kept))
                if kind == K_PRE:
                    self.pre_depth += 1
            elif kind == K_BREAK:
                self.pieces.append(_BR)
            else:
                self.link_depth += 1
                if not self.marker_depth and attributes and not self.pre_depth and _permalink(attributes.get("href")):
                    self.marker_depth, self.marker_start = self.link_depth, len(self.pieces)
                if self.hrefs is not None:
                    href = attributes.get("href") if attributes else None
                    self.hrefs.append((number, href.strip() if href else None))
        _push(self.o_first_line, len(self.o_text))
        open_elements.append((number, kind, tags, hinted))

    cpdef end(self, tag):
        cdef Py_ssize_t number
        cdef int kind
        cdef str raw
        if self.skip_depth:
            if self.hidden:
                self.count_hidden()
            if self.skip_depth == self.raw_depth:
                self.raw_depth = 0
                raw = "".join(self.raw)
                del self.raw[:]
                if self.raw_tag == "script":
                    self.out.jsonld.append(raw)
                elif len(raw) > _SWALLOW_MIN and _SWALLOWED_SEARCH(raw):
                    self.swallowing = True
                elif self.raw_tag == "title" and not self.out.title:
                    self.out.title = " ".join(raw.split())
            if self.skip_depth == self.quiet_depth:
                self.quiet_depth = 0
            self.skip_depth -= 1
            if not self.skip_depth:
                self.counting = False
            return
        cdef list open_elements = self.open_elements
        if not open_elements:
            return
        element = <tuple>open_elements.pop()
        number, kind = element[0], element[1]
        self.o_ends.data.as_longlongs[number] = Py_SIZE(self.o_ends)
        if kind >= K_CONTAINER:
            if kind <= K_PRE:
                self.marker_depth = 0
                if self.pieces:
                    self.flush()
                self.blocks.pop()
                if kind == K_PRE:
                    self.pre_depth -= 1
            elif kind == K_LINK:
                if self.marker_depth == self.link_depth:
                    self.marker_depth = 0
                    drop_marker(self.pieces, self.link_pieces, self.link_refs, self.marker_start)
                self.link_depth -= 1
                if self.hrefs:
                    self.hrefs.pop()
        self.o_last_line.data.as_longlongs[number] = len(self.o_text)

    cpdef data(self, str text):
        self.swallowing = False
        if self.skip_depth:
            if self.raw_depth:
                self.raw.append(text)
            elif self.counting and not self.quiet_depth:
                self.hidden.append(text)
            return
        cdef list pieces = self.pieces
        if not pieces and not self.pre_depth and text.isspace():
            return
        if self.link_depth:
            self.link_pieces.append(len(pieces))
            if self.hrefs is not None:
                self.link_refs.append(self.hrefs[-1] if self.hrefs else (-1, None))
        pieces.append(text)

    cpdef close(self):
        """End of the page: flush the pending text, close what is still open, and hand the page's
        segments over (the segmenter lets go of them: see the reference's close)."""
        cdef Py_ssize_t number
        if self.pieces:
            self.flush()
        if self.hidden:
            self.count_hidden()
        out = self.out
        out.swallowed = self.swallowing
        while self.open_elements:
            number = (<tuple>self.open_elements.pop())[0]
            self.o_ends.data.as_longlongs[number] = Py_SIZE(self.o_ends)
            self.o_last_line.data.as_longlongs[number] = len(self.o_text)
        self.out = self.tags_cache = self.hint_cache = self.class_ids = self.hidden_classes = None
        self.o_ends = self.o_first_line = self.o_last_line = self.o_class_of = None
        self.o_containers = self.o_number = self.o_owner = self.o_text = self.o_link = None
        self.o_tag = self.o_depth = self.o_ancestors = self.o_hinted = self.o_nearest = self.o_class_names = None
        return out

    cdef bint _hidden_by_class(self, str classes):
        """:func:`~cleaner.read.visibility.hidden_by_class`, asked once per class value of the page (a page
        repeats its class values: most elements' answer is a dictionary lookup)."""
        found = self.hidden_classes.get(classes)
        if found is None:
            found = self.hidden_classes[classes] = hidden_by_class(classes)
        return found

    cdef count_hidden(self):
        self.out.hidden_chars += len("".join(self.hidden).strip())
        del self.hidden[:]
