"""Escaping a page's text for Markdown: backslashes before what CommonMark (and GitHub's tables and
strikethrough) would read as markup, so that the Markdown renders as the page's text.

Only what would be read as markup is escaped, where it would be: ``snake_case``, ``2 * 3``, ``a < b``
and ``AT&T`` stay as they are; ``*bold*``, ``<div>``, ``&amp;``, ``[a](b)``, a backtick and a line
reading ``# x``, ``1. x`` or ``- - -`` get their backslash.
"""

from __future__ import annotations

import re

# The start of a line of text that Markdown would read as the start of a block: ATX heading, bullet,
# thematic break or setext underline, quote, fence, HTML block, link reference definition (or the
# first line of one a <br> breaks: "[Update" before "]: fixed").
_BLOCK_START_RE = re.compile(
    r"#{1,6}(?:\s|$)|[-+*](?:\s|$)|[>]|`{3,}|~{3,}|<[A-Za-z/!?]|=+\s*$|-{2,}\s*$"
    r"|(?:-[ \t]*){3,}$|(?:_[ \t]*){3,}$|(?:\*[ \t]*){3,}$|\[[^\]]*\]:|\[[^\]]*$"
)
# An ordered list item's number ("1." or "1)").
_ORDERED_START_RE = re.compile(r"\d{1,9}(?=[.)](?:\s|$))")
# The closing sequence of an ATX heading: hashes at the end of its text, after a space or alone.
_CLOSING_HASHES_RE = re.compile(r"(?:(?<=\s)|^)(#+\s*)$")
# A line that GitHub's tables read as a table's delimiter row, after a line of cells ("-|-", "|---|").
_DELIMITER_ROW_RE = re.compile(r"\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
# Characters that may be inline markup, each judged where it stands (see _inline_mark).
_INLINE_RE = re.compile(r"[\\`*_~<&\]]")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY_RE = re.compile(r"&#?[A-Za-z0-9]+;")
# An email autolink ("<user@example.org>"): its local part may start with a digit or a sign.
_EMAIL_AUTOLINK_RE = re.compile(
    r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
_LINK_TEXT_ESCAPES = str.maketrans({"[": "\\[", "]": "\\]"})
# In a link's URL: what would end it or break it (spaces, parentheses, angle brackets, a backslash,
# control characters), percent-encoded.
_URL_UNSAFE_RE = re.compile(r"[\x00-\x20\x7f()<>\\]")


def escape_inline(text: str, *, link_text: bool = False, before: str = " ", after: str = " ") -> str:
    """``text`` with a backslash before each character that would be inline markup where it stands;
    ``link_text``: the text of a link, whose brackets are all escaped. ``before`` and ``after``: the
    characters written around ``text`` (a link's brackets beside a piece of a line's text), by which a
    mark at its ends is judged."""
    if _INLINE_RE.search(text) is not None:
        text = _INLINE_RE.sub(lambda match: _inline_mark(match, link_text, before, after), text)
    if after == "[" and text.endswith("!"):
        text = text[:-1] + "\\!"  # "![" starts an image
    return text.translate(_LINK_TEXT_ESCAPES) if link_text else text


def _inline_mark(match: re.Match[str], link_text: bool, outside_before: str, outside_after: str) -> str:
    char, text, at = match.group(), match.string, match.start()
    before = text[at - 1] if at else outside_before
    after = text[at + 1] if at + 1 < len(text) else outside_after
    if char == "\\":
        # A backslash escapes ASCII punctuation; at the end of a line it would be a hard break.
        escape = after in _ASCII_PUNCTUATION or at + 1 == len(text)
    elif char == "`":
        escape = True  # a code span's delimiter
    elif char in "*~":
        escape = not (before.isspace() and after.isspace())  # "2 * 3" is no emphasis
    elif char == "_":
        # Underscores inside a word never make emphasis ("snake_case").
        escape = not (before.isspace() and after.isspace()) and not (before.isalnum() and after.isalnum())
    elif char == "<":
        # A tag, a comment, an autolink (a URL's scheme, or an email address)
        escape = after.isascii() and (after.isalpha() or after in "/!?")
        escape = escape or _EMAIL_AUTOLINK_RE.match(text, at) is not None
    elif char == "&":
        escape = _ENTITY_RE.match(text, at) is not None
    else:  # "]": the end of a link's text when "(" follows; a link's own text has every bracket escaped
        escape = after == "(" and not link_text
    return "\\" + char if escape else char


def escape_start(text: str) -> str:
    """``text`` with a backslash before what would start a Markdown block."""
    if _BLOCK_START_RE.match(text):
        return "\\" + text
    match = _ORDERED_START_RE.match(text)
    if match:
        return text[: match.end()] + "\\" + text[match.end() :]
    if "|" in text and _DELIMITER_ROW_RE.match(text):
        return text.replace("|", "\\|")  # else the line before would become a table's header
    return text


def escape_heading(text: str) -> str:
    """A heading's text with the hashes that would close the heading escaped."""
    return _CLOSING_HASHES_RE.sub(r"\\\1", text)


def escape_url(url: str) -> str:
    """A link's URL with what would end or break the link percent-encoded."""
    return _URL_UNSAFE_RE.sub(lambda match: f"%{ord(match.group()):02X}", url)
