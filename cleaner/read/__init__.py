"""The read stage: a page (bytes or str, text, Markdown or HTML) read once into a :class:`ReadPage`.

Reading sniffs the input (binary data is refused, HTML is told from text), decodes it, and cuts it
into the lines the model classifies: a text's lines, or an HTML page's blocks of text with their
markup (:mod:`cleaner.read.blocks`).
"""

from __future__ import annotations

from cleaner.read.blocks import html_blocks
from cleaner.read.decode import check_not_binary, decode_html, decode_text, replace_surrogates, utf8_encoded, utf8_page
from cleaner.read.lines import content_lines, split_lines
from cleaner.read.sniff import wants_html
from cleaner.records import Line, ReadPage

__all__ = ["read_html", "read_page", "read_text", "segment_html"]


def read_page(data: str | bytes, input_format: str = "auto", *, markup: bool = True, links: bool = False) -> ReadPage:
    """Read a page: HTML when ``input_format`` says so, or (``"auto"``) when it looks like HTML; else text.

    ``markup=False`` leaves out what the HTML says about each line (for a model that does not read it);
    ``links=True`` records the links in an HTML page's lines (for the Markdown rendering with links).
    Raises :class:`~cleaner.errors.InputError` (:class:`~cleaner.errors.BinaryInputError` for binary
    data) for what cannot be read as a page.
    """
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if isinstance(data, bytes):
        # HTML bytes go to the parser as they are (it decodes them); the start of the input, read as
        # Latin-1, tells whether they are HTML in any encoding built on ASCII.
        if wants_html(data, input_format):
            return read_html(data, markup=markup, links=links)
        decoded = decode_text(data)
        text, replaced = decoded.text, decoded.replaced
    elif isinstance(data, str):
        text, replaced = replace_surrogates(data)
        check_not_binary(text)
    else:
        raise TypeError(f"a page is bytes or str, not {type(data).__name__}")
    if wants_html(text, input_format):  # HTML in UTF-16 or UTF-32 shows only once decoded
        return _html_page(text, replaced, markup, links)
    return read_text(text, replaced)


def read_text(text: str, replaced: bool = False) -> ReadPage:
    """A decoded text cut into its lines."""
    lines = split_lines(text)
    numbers, texts = content_lines(lines)
    return ReadPage(numbers, texts, None, "text", replaced, lines)


def read_html(data: str | bytes, *, markup: bool = True, links: bool = False) -> ReadPage:
    """An HTML page (bytes in any encoding, or str) cut into its blocks of text, with the structure
    around them (:class:`~cleaner.records.StructureColumns`; its links only with ``links=True``)."""
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if isinstance(data, str):
        # Encoded once here, not checked for surrogates here and encoded again by the parser.
        encoded, replaced = utf8_encoded(data)
        check_not_binary(replace_surrogates(data)[0] if replaced else data)
        return _html_page(encoded, replaced, markup, links)
    if not isinstance(data, bytes):
        raise TypeError(f"a page is bytes or str, not {type(data).__name__}")
    source: str | bytes | None = utf8_page(data)  # valid UTF-8 is parsed as it came
    replaced = False
    if source is None:
        decoded = decode_html(data)
        source, replaced = decoded.text, decoded.replaced
    return _html_page(source, replaced, markup, links)


def _html_page(source: str | bytes, replaced: bool, markup: bool, links: bool = False) -> ReadPage:
    blocks = html_blocks(source, links)
    return ReadPage(
        blocks.numbers,
        blocks.texts,
        blocks.markup if markup else None,
        "html",
        replaced,
        signals=blocks.signals,
        structure=blocks.structure,
    )


def segment_html(page: str | bytes) -> list[Line]:
    """The lines of an HTML page, each with its :class:`~cleaner.records.Markup` (:func:`read_html` as
    objects): one line per block of text, numbered as in the page's plain-text rendering."""
    read = read_html(page)
    marks = read.markup.marks() if read.markup is not None else [None] * len(read.texts)
    return list(map(Line, read.numbers, read.texts, marks))
