"""Elements whose content the parser takes as raw text (<title>, <textarea>): unclosed, they swallow the
rest of the page. Browsers then show nothing, but the text is there: the segmenter parses such a page
again without their opening tags."""

from __future__ import annotations

import re

# Elements whose content the parser takes as raw text up to their end tag: if the end tag is missing,
# they swallow the rest of the page (browsers then show nothing). Such a content longer than this,
# holding page markup and running to the end of the page, gets the page parsed again without their
# opening tags. (One that ends before the page does is an embed code or a form's template: it stays.)
RAW_TEXT_TAGS = frozenset({"title", "textarea"})
SWALLOW_MIN_CHARS = 1000
SWALLOWED_MARKUP_RE = re.compile(r"</?(?:body|head|html|div|p|table|td|ul|li|h[1-6])\b", re.IGNORECASE)
RAW_TEXT_OPEN_RE = re.compile(r"<(?:title|textarea)\b[^>]*>", re.IGNORECASE)
# RAW_TEXT_OPEN_RE for UTF-8 bytes, but for its \b (checked in strip_raw_text_opens). Bytes patterns
# ignore case in ASCII only; Unicode case-insensitive "i" also matches "İ" and "ı" (C4 B0, C4 B1).
_RAW_TEXT_OPEN_BYTES_RE = re.compile(rb"<(?:t(?:i|\xc4[\xb0\xb1])tle|textarea)", re.IGNORECASE)
_TAG_END_BYTES_RE = re.compile(rb"[^>]*>")


def strip_raw_text_opens_text(text: str) -> str:
    """``RAW_TEXT_OPEN_RE.sub("", text)``, in time linear in the page's length: an opening tag whose
    ``>`` never comes is looked for up to the last ``>`` only (past it no tag can end), where the
    pattern alone would scan to the page's end from each of many such tags."""
    last = text.rfind(">") + 1
    return RAW_TEXT_OPEN_RE.sub("", text[:last]) + text[last:]


def strip_raw_text_opens(data: bytes) -> bytes:
    """``RAW_TEXT_OPEN_RE.sub("", text)`` for valid UTF-8 bytes, the same bytes as the str version
    encoded, without a str of the page (up to four bytes per character)."""
    pieces = []
    kept = position = 0
    while (match := _RAW_TEXT_OPEN_BYTES_RE.search(data, position)) is not None:
        name_end = match.end()
        following = data[name_end : name_end + 4].decode("utf-8", errors="ignore")[:1]
        tag_end = _TAG_END_BYTES_RE.match(data, name_end)
        if tag_end is None:  # no ">" to the page's end: no later opening tag can end either
            break
        if following.isalnum() or following == "_":  # no \b after the name
            position = match.start() + 1
            continue
        pieces.append(data[kept : match.start()])
        kept = position = tag_end.end()
    pieces.append(data[kept:])
    return b"".join(pieces)
