"""The read stage: a page (bytes or str, text, Markdown or HTML) read once into a :class:`ReadPage`.

Reading sniffs the input (binary data is refused, HTML is told from text), decodes it, and cuts it
into the lines the model classifies: a text's lines, or an HTML page's blocks of text with their
markup (:mod:`cleaner.read.blocks`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cleaner.core import CoreChoice
from cleaner.read.blocks import html_blocks
from cleaner.read.decode import check_not_binary, decode_html, decode_text, replace_surrogates, utf8_encoded, utf8_page
from cleaner.read.lines import content_lines, split_lines
from cleaner.read.parse import parse_tree
from cleaner.read.sniff import wants_html
from cleaner.records import Line, ReadPage

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["TreeReader", "read_html", "read_page", "read_text", "segment_html"]

# Reads something of an HTML page in its parsed tree (None where the parser gave no tree).
TreeReader = Callable[["etree._Element | None"], Any]


def read_page(
    data: str | bytes,
    input_format: str = "auto",
    *,
    markup: bool = True,
    links: bool = False,
    tree_reader: TreeReader | None = None,
) -> ReadPage:
    """Read a page: HTML when ``input_format`` says so, or (``"auto"``) when it looks like HTML; else text.

    ``markup=False`` leaves out what the HTML says about each line (for a model that does not read it);
    ``links=True`` records the links in an HTML page's lines (for the Markdown rendering with links).
    ``tree_reader``: for an HTML page, the page is parsed into a tree, its lines read from it, and
    ``tree_reader(root)`` kept as the page's ``from_tree`` (what else the caller wants of the tree: a
    page parsed once for both).
    Raises :class:`~cleaner.errors.InputError` (:class:`~cleaner.errors.BinaryInputError` for binary
    data) for what cannot be read as a page.
    """
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if isinstance(data, bytes):
        # HTML bytes go to the parser as they are (it decodes them); the start of the input, read as
        # Latin-1, tells whether they are HTML in any encoding built on ASCII.
        if wants_html(data, input_format):
            return read_html(data, markup=markup, links=links, tree_reader=tree_reader)
        decoded = decode_text(data)
        text, replaced = decoded.text, decoded.replaced
    elif isinstance(data, str):
        if wants_html(data, input_format):  # encoded once, for the parser
            return read_html(data, markup=markup, links=links, tree_reader=tree_reader)
        text, replaced = replace_surrogates(data)
        check_not_binary(text)
    else:
        raise TypeError(f"a page is bytes or str, not {type(data).__name__}")
    if wants_html(text, input_format):  # HTML in UTF-16 or UTF-32 shows only once decoded
        return _html_page(text, replaced, markup, links, tree_reader)
    return read_text(text, replaced)


def read_text(text: str, replaced: bool = False) -> ReadPage:
    """A decoded text cut into its lines."""
    lines = split_lines(text)
    numbers, texts = content_lines(lines)
    return ReadPage(numbers, texts, None, "text", replaced, lines)


def read_html(
    data: str | bytes, *, markup: bool = True, links: bool = False, tree_reader: TreeReader | None = None
) -> ReadPage:
    """An HTML page (bytes in any encoding, or str) cut into its blocks of text, with the structure
    around them (:class:`~cleaner.records.StructureColumns`; its links only with ``links=True``);
    ``tree_reader`` as for :func:`read_page`."""
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if isinstance(data, str):
        # Encoded once here, not checked for surrogates here and encoded again by the parser.
        encoded, replaced = utf8_encoded(data)
        check_not_binary(replace_surrogates(data)[0] if replaced else data)
        return _html_page(encoded, replaced, markup, links, tree_reader)
    if not isinstance(data, bytes):
        raise TypeError(f"a page is bytes or str, not {type(data).__name__}")
    source: str | bytes | None = utf8_page(data)  # valid UTF-8 is parsed as it came
    replaced = False
    if source is None:
        decoded = decode_html(data)
        source, replaced = decoded.text, decoded.replaced
    return _html_page(source, replaced, markup, links, tree_reader)


def _html_page(
    source: str | bytes, replaced: bool, markup: bool, links: bool = False, tree_reader: TreeReader | None = None
) -> ReadPage:
    from_tree = None
    with CoreChoice():  # an HTML page's read asks for compiled modules several times (a text page's, never)
        if tree_reader is None:
            blocks = html_blocks(source, links)
        else:
            root, whole = parse_tree(source)
            # A tree cut short at the parser's nesting limit lacks the rest of the page: the lines come
            # from the parser's events then, which have no such limit.
            blocks = html_blocks(source, links, root if whole else None)
            from_tree = tree_reader(root)
    return ReadPage(
        blocks.numbers,
        blocks.texts,
        blocks.markup if markup else None,
        "html",
        replaced,
        signals=blocks.signals,
        structure=blocks.structure,
        from_tree=from_tree,
    )


def segment_html(page: str | bytes) -> list[Line]:
    """The lines of an HTML page, each with its :class:`~cleaner.records.Markup` (:func:`read_html` as
    objects): one line per block of text, numbered as in the page's plain-text rendering."""
    read = read_html(page)
    marks = read.markup.marks() if read.markup is not None else [None] * len(read.texts)
    return list(map(Line, read.numbers, read.texts, marks))
