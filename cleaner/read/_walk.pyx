# cython: language_level=3
"""The compiled tree walk: :func:`cleaner.read.walk.walk_tree`, over libxml2's nodes through lxml's
public C API (no Python proxy per element).

``cleaner/read/walk.py`` is the specification: the same calls on the target, in the same order, with
the same arguments; a run of text is handed over a text node at a time (a tree holds a run whole but
where a comment cut it, as the reference's tails do). Tag and attribute names are made Python strings
once per name: the parser interns them, so a name's pointer is the name within a document.
"""

from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.string cimport strlen

cimport lxml.includes.etreepublic as cetree
from lxml.includes cimport tree

cetree.import_lxml__etree()


cdef inline str _utf8(const char* text):
    return PyUnicode_DecodeUTF8(text, strlen(text), NULL)


cdef str _name(tree.xmlNode* node, dict names):
    """An element's or attribute's name as lxml gives it (``{namespace}name`` for a namespaced one)."""
    cdef size_t key = <size_t>node.name
    found = names.get(key)
    if found is None:
        found = _utf8(<const char*>node.name)
        if node.ns is not NULL and node.ns.href is not NULL:
            found = "{" + _utf8(<const char*>node.ns.href) + "}" + found
        else:
            names[key] = found  # a namespaced name is not cached by its local part
    return found


cdef str _attribute_value(tree.xmlAttr* attribute):
    """An attribute's value: the text of its children (none for an attribute given without a value)."""
    cdef tree.xmlNode* child = attribute.children
    if child is NULL:
        return ""
    if child.next is NULL and child.content is not NULL:
        return _utf8(<const char*>child.content)
    parts = []
    while child is not NULL:
        if child.content is not NULL:
            parts.append(_utf8(<const char*>child.content))
        child = child.next
    return "".join(parts)


cdef dict _attributes(tree.xmlNode* node, dict names):
    cdef dict found = {}
    cdef tree.xmlAttr* attribute = node.properties
    while attribute is not NULL:
        if attribute.type == tree.XML_ATTRIBUTE_NODE:
            found[_name(<tree.xmlNode*>attribute, names)] = _attribute_value(attribute)
        attribute = attribute.next
    return found


cdef inline bint _is_text(tree.xmlNode* node):
    return node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE


def walk_tree(root, target):
    """:func:`cleaner.read.walk.walk_tree`, compiled."""
    cdef cetree._Element element = root
    cdef tree.xmlNode* top = <tree.xmlNode*>element._c_node.doc.children
    cdef tree.xmlNode* node = top
    cdef dict names = {}
    start, end, data = target.start, target.end, target.data
    while node is not NULL:
        if node.type == tree.XML_ELEMENT_NODE:
            start(_name(node, names), _attributes(node, names) if node.properties is not NULL else {})
            if node.children is not NULL:
                node = node.children
                continue
            end(_name(node, names))
        elif _is_text(node) and node.content is not NULL and node.content[0] != 0:
            data(_utf8(<const char*>node.content))
        # Next in document order: the next sibling, else the next sibling of the nearest ancestor that has
        # one, closing each element left on the way up.
        while node.next is NULL:
            node = node.parent
            if node is NULL or node.type != tree.XML_ELEMENT_NODE:
                return target.close()
            end(_name(node, names))
        node = node.next
    return target.close()
