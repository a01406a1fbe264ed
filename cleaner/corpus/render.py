"""Plain-text renderings of HTML pages that the text model learns from, and the aligner is measured on:
cleaner's own segmenter, html-text and inscriptis (optional dependencies, imported when called)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

from cleaner.read import read_html
from cleaner.render import render_lines

# Characters XML (hence lxml) refuses; a few corpus pages contain them (NUL, vertical tab, form feed, ...).
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# An XML declaration with an encoding, which lxml refuses in an already decoded string.
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml\b[^>]*>")


def lxml_safe(html: str) -> str:
    """``html`` without what lxml refuses in a str: control characters and a leading XML declaration."""
    return _XML_INVALID_RE.sub(" ", _XML_DECLARATION_RE.sub("", html, count=1))


def render_html_text(html: str) -> list[str]:
    """Lines of ``html_text.extract_text(html, guess_layout=True)``."""
    import html_text  # optional dependency

    return html_text.extract_text(lxml_safe(html), guess_layout=True).split("\n")


def render_inscriptis(html: str) -> list[str]:
    """Lines of ``inscriptis.get_text(html)``."""
    import inscriptis  # optional dependency

    return inscriptis.get_text(lxml_safe(html)).split("\n")


def render_segmenter(html: str) -> list[str]:
    """Lines of the page as cleaner's segmenter renders it: its blocks, a blank line between paragraphs."""
    page = read_html(html, markup=False)
    return render_lines(page.numbers, page.texts).split("\n")[:-1]


# The plain-text renderings, by name.
RENDERERS: Mapping[str, Callable[[str], list[str]]] = MappingProxyType(
    {"cleaner": render_segmenter, "html-text": render_html_text, "inscriptis": render_inscriptis}
)
