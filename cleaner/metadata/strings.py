"""Tidying metadata strings: whitespace, HTML entities left in values, UTF-8 read as Latin-1.

Values in JSON-LD and ``<meta>`` tags are often escaped twice by their CMS ("Kohberger&#8217;s",
"&quot;No le soporto&quot;") or encoded twice ("sanciÃ³n" for "sanción"): :func:`tidy` undoes both.
"""

from __future__ import annotations

import html
import re

__all__ = ["tidy"]

# An HTML character reference: &amp; &#8217; &#x2019;
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
# Two-character sequences UTF-8 leaves when read as Latin-1 / Windows-1252: "Ã©", "Ã¼", "â€™".
_MOJIBAKE_RE = re.compile(
    r"[ÃÂÅÄ][\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|â€"
)


def _fix_mojibake(text: str) -> str:
    """``text`` re-decoded as UTF-8 if it reads as UTF-8 that went through Latin-1 / Windows-1252."""
    if not _MOJIBAKE_RE.search(text):
        return text
    for encoding in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(encoding).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        return fixed
    return text


def tidy(value: object, max_chars: int | None = None) -> str | None:
    """A string value with whitespace collapsed, entities decoded and mojibake repaired; None if empty.

    Values longer than ``max_chars`` (after tidying) are junk, not metadata: None.
    """
    if not isinstance(value, str):
        return None
    text = value
    if "&" in text and _ENTITY_RE.search(text):
        # Twice: "&amp;quot;" is a quote escaped twice.
        text = html.unescape(html.unescape(text))
    text = " ".join(_fix_mojibake(text).split())
    if not text or (max_chars is not None and len(text) > max_chars):
        return None
    return text
