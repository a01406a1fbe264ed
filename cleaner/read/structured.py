"""Pages that show (nearly) no text of their own but give their article in their structured data.

A page rendered by its scripts in the browser, fetched without running them (as crawlers fetch it),
is a shell: a menu, a footer, an empty ``<div id="root">``. Many such pages still give their article's
text in their JSON-LD (``articleBody``: search engines read it), and that text is then the page. When
what the page shows holds less than :data:`~cleaner.read.segment.REVEAL_SHARE` of the characters of
that text, the text is read as part of the page: its headline as an ``<h1>`` and its paragraphs as
``<p>`` elements of an ``<article>`` at the start of the ``<body>``, which the segmenter reads as any
other, and the models judge as any other (the page-signal features know these lines as the page's
title and its structured text). A page that shows its article, or a teaser of it (a paywall), is
read as it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from cleaner.read.segment import REVEAL_SHARE
from cleaner.read.titles import MIN_STRUCTURED_CHARS

# Where the article goes: after the <body> tag, else after </head>, else at the start of the page.
_BODY_OPEN_RE = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_HEAD_CLOSE_RE = re.compile(rb"</head\s*>", re.IGNORECASE)


def structured_article(jsonld: Sequence[str], visible_chars: int) -> str:
    """The article a page's JSON-LD scripts give, as HTML (its headline as an ``<h1>``, its paragraphs
    as ``<p>``, in an ``<article>``), when the page shows less than :data:`REVEAL_SHARE` of its text
    (``visible_chars``: the characters of the page's lines); else ""."""
    # The article is shorter than the scripts that hold it: most pages are decided without reading them.
    if visible_chars >= REVEAL_SHARE * sum(map(len, jsonld)):
        return ""
    # Imported here: the metadata package loads only for pages with JSON-LD (plain text has none).
    from cleaner.metadata.jsonld import read_jsonld

    info = read_jsonld(list(jsonld))
    chars = sum(map(len, info.paragraphs))
    if chars < MIN_STRUCTURED_CHARS or visible_chars >= REVEAL_SHARE * chars:
        return ""
    parts = [f"<h1>{html.escape(info.title, quote=False)}</h1>"] if info.title else []
    parts += [f"<p>{html.escape(text, quote=False)}</p>" for text in info.paragraphs]
    return "<article>" + "".join(parts) + "</article>"


def with_article(page: bytes, article: str) -> bytes:
    """The page (UTF-8 bytes) with ``article`` (HTML) put in at the start of its body."""
    found = _BODY_OPEN_RE.search(page) or _HEAD_CLOSE_RE.search(page)
    at = found.end() if found is not None else 0
    return page[:at] + article.encode("utf-8") + page[at:]
