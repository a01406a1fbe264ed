"""The HTML segmenter: turn a web page into the :class:`~cleaner.lines.Line` records the model classifies.

The page is decoded (:func:`decode_html`) and segmented in one pass over the events of lxml's HTML
parser, in document order, with no tree and no recursion (:func:`segment_html`). Every block of text
(a paragraph, a heading, a list item, a table cell, the text directly inside a ``div``...) becomes one
line, or several when ``<br>`` or the source lines of a ``<pre>`` split it. Each line carries a
:class:`~cleaner.lines.Markup` describing where it sits in the page. :func:`render_text` prints the
lines back as plain text; :func:`looks_like_html` tells HTML from plain text.

Numbers that need the whole page (how much of the page's prose an ancestor holds, the densest prose
container) come from per-element counts summed over each element's subtree. Elements are numbered in
document order (preorder), so an element's subtree is the contiguous range of numbers between its
start and its end: subtree sums are differences of one cumulative sum, with no second walk.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType, SimpleNamespace

import numpy as np
from lxml import etree

from cleaner.errors import BinaryInputError, InputError
from cleaner.lines import Line, MarkupColumns
from cleaner.sniff import SNIFF_BYTES, binary_kind, bom_encoding, signature_kind, text_binary_kind, utf16_without_bom

__all__ = [
    "HINT_WORDS",
    "Blocks",
    "decode_html",
    "html_blocks",
    "looks_like_html",
    "render_text",
    "segment_html",
]

# --------------------------------------------------------------------------------------------------
# Decoding

# How far into the page a charset declaration is looked for. Browsers prescan 1024 bytes; pages with
# long inline scripts in their head declare it later, so we look further.
_DECLARATION_BYTES = 8192
# <meta charset="x">, and <meta http-equiv="Content-Type" content="text/html; charset=x">: both are a
# "charset=" inside a meta tag.
_META_CHARSET_RE = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.()\-]+)""", re.IGNORECASE)
# <?xml version="1.0" encoding="x"?> at the very start of the document.
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']\s*([a-z0-9_:.()\-]+)""", re.IGNORECASE)

# Declared charset names mapped as browsers do (WHATWG Encoding Standard): the Latin-1 family and
# ASCII mean windows-1252, the national standards mean Microsoft's supersets, and a UTF-16/32
# declaration readable as ASCII is wrong by construction (the page is really UTF-8). A None value
# means: ignore the declaration.
_CHARSET_ALIASES: dict[str, str | None] = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "iso-8859-1:1987": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "cp819": "cp1252",
    "ibm819": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "windows-1252": "cp1252",
    "x-cp1252": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
    "utf-32": "utf-8",
    "utf-32le": "utf-8",
    "utf-32be": "utf-8",
    "x-user-defined": "cp1252",
    "unset": None,
    "none": None,
    "unknown": None,
    "auto": None,
    "default": None,
    "charset": None,
}
# Python text codecs that are no page's charset: they transform text (escapes, IDNA) or always fail.
_NOT_PAGE_CODECS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})
# The last resort: a superset of Latin-1 for western pages, decoded with errors replaced.
_FALLBACK_ENCODING = "cp1252"


def _declared_encoding(head: bytes) -> str | None:
    """The Python codec of the charset declared in ``head`` (meta tag or XML declaration), if usable."""
    match = _XML_ENCODING_RE.match(head) or _META_CHARSET_RE.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").strip().lower()
    if name in _CHARSET_ALIASES:
        return _CHARSET_ALIASES[name]
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(codec, "_is_text_encoding", True) or codec.name in _NOT_PAGE_CODECS:
        return None  # rot13, base64, zlib, idna...: Python codecs, not charsets (they raise, or garble)
    if codec.name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # as the aliases above: a declaration readable as ASCII is wrong by construction
    return codec.name


def _is_utf8_name(codec: str) -> bool:
    return codec.replace("_", "-") in ("utf-8", "utf8")


def decode_html(data: bytes | str) -> str:
    """Decode a page's bytes as a browser would; return ``str`` input unchanged.

    Order: a byte order mark; a charset declared in the first few KB (meta charset, meta http-equiv,
    XML declaration) when Python knows the codec; strict UTF-8; cp1252 with errors replaced. One
    refinement: bytes that are valid UTF-8 and contain non-ASCII characters are read as UTF-8 even
    when a legacy charset is declared, because pages mislabelled "iso-8859-1" are common and genuine
    cp1252 text is practically never valid UTF-8.

    Raises :class:`BinaryInputError` for data that looks like an image, a PDF, an archive or other
    binary (many NUL bytes). Never raises UnicodeDecodeError.
    """
    if isinstance(data, str):
        return data
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError(f"decode_html expects bytes or str, not {type(data).__name__}")

    marked = bom_encoding(data)
    if marked is not None:
        codec, length = marked
        return data[length:].decode(codec, errors="replace")

    head = data[:SNIFF_BYTES]
    kind = signature_kind(head)
    if kind is not None:
        raise BinaryInputError(f"the input is {kind}, not an HTML page or text")
    if 0 in head:
        utf16 = utf16_without_bom(head)
        if utf16 is not None:
            return data.decode(utf16, errors="replace")
    kind = binary_kind(head)  # the NUL and control-byte rules the text reader applies
    if kind is not None:
        raise BinaryInputError(f"the input is {kind}, not an HTML page or text")

    declared = _declared_encoding(data[:_DECLARATION_BYTES])
    if declared is not None and not _is_utf8_name(declared):
        if not data.isascii():
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(_FALLBACK_ENCODING, errors="replace")


def _utf8_page(data: bytes) -> bytes | None:
    """The page's bytes (without a UTF-8 byte order mark) when :func:`decode_html` would read them as
    valid UTF-8, else None.

    The parser reads UTF-8 bytes, so such a page is parsed as it came: decoding it to a str (up to
    four bytes per character) and encoding it back would cost memory and time for the same bytes.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif bom_encoding(data) is not None:
        return None
    head = data[:SNIFF_BYTES]
    if 0 in head or binary_kind(head) is not None:
        return None  # UTF-16, or binary: decode_html decides (and refuses binary)
    if data.isascii():
        declared = _declared_encoding(data[:_DECLARATION_BYTES])
        # ASCII reads the same in UTF-8 and in any declared charset built on ASCII, but not in all.
        return data if declared is None or _is_utf8_name(declared) else None
    return data if _valid_utf8(data) else None


def _valid_utf8(data: bytes, chunk: int = 1 << 20) -> bool:
    """Whether ``data`` is valid UTF-8, checked a megabyte at a time (no str of the whole page)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(data[start : start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _check_text_not_binary(text: str) -> None:
    """Raise BinaryInputError for a str that is binary data decoded as text (a PDF read as Latin-1...)."""
    kind = text_binary_kind(text)
    if kind is not None:
        raise BinaryInputError(f"the input is {kind}, not an HTML page or text")


# --------------------------------------------------------------------------------------------------
# Sniffing

# How much of the start of a text the HTML sniffer reads.
_SNIFF_CHARS = 8192
# A document that opens like this is HTML (after whitespace and comments): a doctype, <html>, <head>,
# <body>, or an XML declaration followed by an HTML doctype or <html>.
_HTML_START_RE = re.compile(
    r"\A(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]"
    r"|\?xml\s[^>]*>\s*<(?:!doctype\s+html|html[\s>]))",
    re.IGNORECASE | re.DOTALL,
)
# Tags of HTML (not XML in general, not e-mail addresses in angle brackets).
_HTML_TAG_RE = re.compile(
    r"</?(?:a|abbr|address|article|aside|b|blockquote|body|br|button|caption|center|code|dd|div|dl|dt|em|"
    r"figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|label|li|link|main|"
    r"meta|nav|noscript|ol|option|p|pre|script|section|select|small|span|strong|style|sub|sup|table|tbody|"
    r"td|textarea|th|thead|title|tr|u|ul)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
# Tags that make structure: a fragment full of them is HTML even if it does not start with a tag.
_HTML_STRUCTURE_TAGS = frozenset({
    "p", "div", "br", "table", "tr", "td", "li", "ul", "ol", "span", "a", "h1", "h2", "h3",
})
# Thresholds: a text starting with markup needs this many tags in its start...
_MIN_TAGS_WHEN_STARTING_WITH_MARKUP = 2
# ... a text starting with prose needs this many tags, this many of them structural.
_MIN_TAGS_IN_PROSE = 10
_MIN_STRUCTURE_TAGS_IN_PROSE = 5
_TAG_NAME_RE = re.compile(r"</?([a-zA-Z0-9]+)")
# Markdown structure (headings, list items, quotes, code fences; links): Markdown may hold some HTML
# (a centered logo, a <br>), so in its presence the tags must outnumber it.
_MARKDOWN_RE = re.compile(r"^ {0,3}(?:#{1,6}\s|[-*+]\s|\d{1,3}[.)]\s|>|```|~~~)|\[[^\]\n]+\]\([^)\s]+\)", re.MULTILINE)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML page (or fragment) rather than plain text or Markdown.

    True when the text opens with a doctype, ``<html>``, ``<head>``, ``<body>`` or an XML declaration
    followed by one of those; or opens with markup and holds a few HTML tags; or holds many HTML tags,
    structural ones (p, div, br, table...) among them. Where Markdown structure shows, the tags must
    outnumber it. A plain text mentioning ``<b>`` once, or Markdown with some inline HTML, is not HTML.
    """
    head = text[:_SNIFF_CHARS].lstrip("\ufeff")
    if _HTML_START_RE.match(head):
        return True
    tags = [match.group(0) for match in _HTML_TAG_RE.finditer(head)]
    if len(tags) < _MIN_TAGS_WHEN_STARTING_WITH_MARKUP:
        return False
    markdown = len(_MARKDOWN_RE.findall(head))
    if head.lstrip().startswith("<"):
        return len(tags) > markdown
    if len(tags) < _MIN_TAGS_IN_PROSE or len(tags) <= 2 * markdown:
        return False
    structural = sum(
        1 for tag in tags if (name := _TAG_NAME_RE.match(tag)) and name.group(1).lower() in _HTML_STRUCTURE_TAGS
    )
    return structural >= _MIN_STRUCTURE_TAGS_IN_PROSE


# --------------------------------------------------------------------------------------------------
# Segmenting

# Elements whose content is never text a reader sees on the page: dropped with their subtree (their
# tail, the text after them, stays).
SKIP_TAGS: frozenset[str] = frozenset({
    "script", "style", "template", "noscript", "head", "title", "meta", "link", "base", "svg", "math",
    "iframe", "frame", "object", "embed", "param", "canvas", "select", "option", "optgroup", "datalist",
    "button", "input", "textarea", "audio", "video", "source", "track", "map", "area", "img", "picture",
    "dialog",
})
# Elements that start a new block of text. Every other element (a, span, b, em, code, custom
# elements...) is inline: its text joins the block around it.
BLOCK_TAGS: frozenset[str] = frozenset({
    "html", "body", "p", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "ul", "ol", "li", "dl", "dt", "dd",
    "menu", "dir", "pre", "listing", "xmp", "plaintext", "blockquote", "figure", "figcaption", "address",
    "div", "center", "section", "article", "main", "header", "footer", "nav", "aside", "search", "form",
    "fieldset", "legend", "details", "summary", "table", "caption", "colgroup", "thead", "tbody", "tfoot",
    "tr", "td", "th", "hr", "frameset", "noframes", "marquee",
})
# Blocks whose source lines are kept: each line of their text is a line.
PRE_TAGS: frozenset[str] = frozenset({"pre", "listing", "xmp", "plaintext"})
# The inline element whose characters count as link text.
_LINK_TAG = "a"
# The element that splits a block into lines.
_BREAK_TAG = "br"
# Stands for a <br> among a block's text pieces. lxml never yields NUL in text (libxml2 replaces it).
_BR = "\x00"

# Hidden elements: the ``hidden`` attribute, aria-hidden="true", or an inline style hiding them.
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Never taken as hidden: pages hide their whole body until their scripts have run ("anti-flicker").
_NEVER_HIDDEN_TAGS = frozenset({"html", "body"})
# A <dialog> (skipped) is shown only when it has the ``open`` attribute.
_DIALOG_TAG = "dialog"

# Keywords of the class and id attributes, mapped to the hints a line gets. Tokens match whole: the
# attribute value is split on non-alphanumerics and at camelCase boundaries and lower-cased, and a
# token counts only if it is a key here. So "subheader" does not give "header" (nor "context"
# "article" or "update" "byline", which prefix/suffix matching would); common compounds
# ("navbar", "sidebar", "readmore", "commentlist"...) are listed as keys of their own.
HINT_WORDS: Mapping[str, str] = MappingProxyType({
    **dict.fromkeys(("comment", "comments", "disqus", "commentlist", "respond", "reply", "replies",
                     "discussion"), "comment"),
    **dict.fromkeys(("share", "sharing", "social", "facebook", "twitter", "whatsapp", "linkedin", "pinterest",
                     "sharethis", "addthis", "sharebar"), "share"),
    **dict.fromkeys(("related", "recommend", "recommended", "recommendations", "more", "also", "readmore",
                     "relatedposts", "outbrain", "taboola", "trending", "popular"), "related"),
    **dict.fromkeys(("promo", "promoted", "ad", "ads", "advert", "adverts", "advertisement", "advertising",
                     "sponsor", "sponsored", "banner", "banners", "adsense", "dfp"), "promo"),
    **dict.fromkeys(("nav", "navigation", "menu", "menus", "submenu", "breadcrumb", "breadcrumbs", "navbar",
                     "topnav", "subnav", "pagination", "pager"), "nav"),
    **dict.fromkeys(("footer", "foot", "copyright", "colophon"), "footer"),
    **dict.fromkeys(("header", "masthead", "topbar"), "header"),
    **dict.fromkeys(("sidebar", "aside", "rail", "widget", "widgets", "sidebars"), "sidebar"),
    **dict.fromkeys(("byline", "author", "authors", "date", "dateline", "time", "meta", "pubdate", "timestamp",
                     "published"), "byline"),
    **dict.fromkeys(("caption", "credit", "credits", "photo", "photos", "figcaption"), "caption"),
    **dict.fromkeys(("tag", "tags", "keywords", "tagcloud", "topics"), "tags"),
    **dict.fromkeys(("cookie", "cookies", "consent", "gdpr"), "cookie"),
    **dict.fromkeys(("newsletter", "subscribe", "subscription", "signup", "login", "signin", "register",
                     "paywall"), "subscribe"),
    **dict.fromkeys(("article", "articles", "content", "main", "post", "posts", "story", "entry", "body", "text",
                     "maincontent", "postcontent", "entrycontent", "articlebody", "storybody", "prose"), "article"),
})
# Split class/id values: camelCase boundaries, then runs of letters and digits.
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_TOKEN_RE = re.compile(r"[^\W_]+")

# "Long, punctuated text", the prose of a page: a line with at least this many words...
_PROSE_MIN_WORDS = 8
# ... and sentence punctuation (Latin and CJK).
_PROSE_PUNCT_RE = re.compile(r"[.,;!?。、…，！？；：]")
# CJK text has no spaces: count this many ideographs/kana as one word.
_CJK_CHARS_PER_WORD = 2
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# The densest container maximises prose * prose / (prose + other): its prose characters weighted by
# their share of its text, where other text is link text and the text of lines that are not prose. On
# the evaluation corpora this finds the article container better than prose - k * other for any k:
# a linear penalty either swallows the comments and sidebars around the article (small k) or drops
# parts of the article (large k).
# Reader comments, sidebars and footers hold prose too, next to the article: the container is chosen
# again with the prose of lines so hinted counted as other text, and that choice wins if it lies
# inside the first one. (Discounting more hints, nav or promo, lost article text on the corpora.)
_MAIN_DISCOUNT_HINTS = frozenset({"comment", "sidebar", "footer"})
# Elements that hold a single block of text, never a container of prose: not candidates for the
# densest container (a lone long paragraph would otherwise beat the article around it).
_NOT_CONTAINERS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "xmp", "plaintext", "li", "dt", "dd",
    "caption", "figcaption", "summary", "legend", "address", "hr",
})
# How many ancestors (parent first) get an entry in Markup.ancestor_shares.
_SHARED_ANCESTORS = 4
# Elements whose content the parser takes as raw text up to their end tag: if the end tag is missing,
# they swallow the rest of the page (browsers then show nothing). Such a content longer than this,
# holding page markup, gets the page parsed again without their opening tags.
_RAW_TEXT_TAGS = frozenset({"title", "textarea"})
_SWALLOW_MIN_CHARS = 1000
_SWALLOWED_MARKUP_RE = re.compile(r"</?(?:body|head|html|div|p|table|td|ul|li|h[1-6])\b", re.IGNORECASE)
_RAW_TEXT_OPEN_RE = re.compile(r"<(?:title|textarea)\b[^>]*>", re.IGNORECASE)
# _RAW_TEXT_OPEN_RE for UTF-8 bytes, but for its \b (checked in _strip_raw_text_opens). Bytes patterns
# ignore case in ASCII only; Unicode case-insensitive "i" also matches "İ" and "ı" (C4 B0, C4 B1).
_RAW_TEXT_OPEN_BYTES_RE = re.compile(rb"<(?:t(?:i|\xc4[\xb0\xb1])tle|textarea)", re.IGNORECASE)
_TAG_END_BYTES_RE = re.compile(rb"[^>]*>")

# What the segmenter does with an element, by tag (absent: inline). Order matters: the block kinds
# lie between _CONTAINER and _PRE.
_INLINE, _SKIP, _CONTAINER, _BLOCK, _PRE, _BREAK, _LINK = range(7)
_TAG_KINDS: dict[str, int] = {
    **dict.fromkeys(SKIP_TAGS, _SKIP),
    **dict.fromkeys(BLOCK_TAGS - _NOT_CONTAINERS, _CONTAINER),
    **dict.fromkeys(BLOCK_TAGS & _NOT_CONTAINERS, _BLOCK),
    **dict.fromkeys(PRE_TAGS, _PRE),
    _BREAK_TAG: _BREAK,
    _LINK_TAG: _LINK,
}
_NO_HINTS: frozenset[str] = frozenset()


# Blocks a reader sees set apart by vertical space: a paragraph break before and after their lines.
_PARAGRAPH_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "listing", "xmp", "plaintext", "figure",
    "figcaption", "address", "caption", "hr", "legend", "summary",
})
# Lists and tables are seen as a whole: a paragraph break before and after each outermost one.
_GROUP_TAGS = frozenset({"ul", "ol", "dl", "menu", "dir", "table"})


def _strip_raw_text_opens(data: bytes) -> bytes:
    """``_RAW_TEXT_OPEN_RE.sub("", text)`` for valid UTF-8 bytes, the same bytes as the str version
    encoded, without a str of the page (up to four bytes per character)."""
    pieces = []
    kept = position = 0
    while (match := _RAW_TEXT_OPEN_BYTES_RE.search(data, position)) is not None:
        name_end = match.end()
        following = data[name_end : name_end + 4].decode("utf-8", errors="ignore")[:1]
        tag_end = _TAG_END_BYTES_RE.match(data, name_end)
        if (following.isalnum() or following == "_") or tag_end is None:  # no \b after the name, or no ">"
            position = match.start() + 1
            continue
        pieces.append(data[kept : match.start()])
        kept = position = tag_end.end()
    pieces.append(data[kept:])
    return b"".join(pieces)


def _paragraph_break(previous: tuple[str, int], block: tuple[str, int]) -> bool:
    """Whether a reader sees a paragraph break between two blocks, each given as (tag, number of its
    outermost list or table or -1)."""
    return previous[0] in _PARAGRAPH_TAGS or block[0] in _PARAGRAPH_TAGS or previous[1] != block[1]


def _hints_of(value: str) -> frozenset[str]:
    """The hint words of a class/id attribute value."""
    if not value.islower():  # capitals (camelCase to split), or no letters at all
        value = _CAMEL_RE.sub(" ", value).lower()
    found = [HINT_WORDS[token] for token in _TOKEN_RE.findall(value) if token in HINT_WORDS]
    return frozenset(found) if found else _NO_HINTS


def _new_parser(target: object) -> etree.HTMLParser:
    """An HTML parser for one page that feeds ``target``: input is always UTF-8 bytes. The target has
    no comment or processing-instruction handler, so those are dropped."""
    return etree.HTMLParser(encoding="utf-8", huge_tree=True, no_network=True, collect_ids=False, target=target)


def _split_collapsed(pieces: list[str], links: list[int]) -> list[tuple[str, int]]:
    """Join a block's text pieces into lines (split at <br>), whitespace collapsed, with link chars.

    ``links`` holds the indexes of the pieces inside an ``<a>``. A collapsed space counts as link text
    when the first whitespace character of the run it replaces was inside a link. Empty lines are kept
    (as ``("", 0)``): between two lines, they are a blank line a reader sees.
    """
    if not links:
        return [(" ".join(segment.split()), 0) for segment in "".join(pieces).split(_BR)]
    in_link = [False] * len(pieces)
    for index in links:
        in_link[index] = True
    result: list[tuple[str, int]] = []
    parts: list[str] = []
    link_chars = 0
    pending: bool | None = None  # whitespace seen since the last word: was its first char in a link?
    started = False
    for piece, linked in zip(pieces, in_link):
        if piece == _BR:
            result.append(("".join(parts), link_chars))
            parts, link_chars, pending, started = [], 0, None, False
            continue
        core = " ".join(piece.split())
        if not core:  # whitespace only
            if started and pending is None and piece:
                pending = linked
            continue
        if started:
            if pending is None and piece[0].isspace():
                pending = linked
            if pending is not None:
                parts.append(" ")
                link_chars += pending
        parts.append(core)
        if linked:
            link_chars += len(core)
        started = True
        pending = linked if piece[-1].isspace() else None
    result.append(("".join(parts), link_chars))
    return result


def _split_pre(pieces: list[str], links: list[int]) -> list[tuple[str, int]]:
    """Join a preformatted block's pieces into its source lines (trailing whitespace removed, empty
    lines kept as ``("", 0)``)."""
    link_set = set(links)
    result: list[tuple[str, int]] = []
    parts: list[tuple[str, bool]] = []

    def finish() -> None:
        text = "".join(part for part, _ in parts).rstrip()
        link_chars, position = 0, 0
        for part, linked in parts:
            if linked:
                link_chars += max(0, min(len(part), len(text) - position))
            position += len(part)
        result.append((text, link_chars))
        parts.clear()

    for index, piece in enumerate(pieces):
        if piece == _BR:
            finish()
            continue
        linked = index in link_set
        for number, chunk in enumerate(piece.split("\n")):
            if number:
                finish()
            if chunk:
                parts.append((chunk, linked))
    finish()
    return result


class _Segments:
    """What one pass over a page's parser events found, in parallel lists (cheaper than an object per line).

    Elements are numbered in document order (preorder), so element ``i``'s subtree is the numbers
    ``i .. ends[i]-1``. Per line: its line number in the page's plain-text rendering, the element
    number of the block element that produced it (its owner), its text and link characters, the
    owner's tag, depth, ancestor tags and hints, and the numbers of the owner's nearest ancestors
    (parent first).
    """

    __slots__ = (
        "ends", "containers", "number", "owner", "text", "link", "tag", "depth", "ancestors", "hints",
        "nearest", "swallowed",
    )

    def __init__(self) -> None:
        self.ends: list[int] = []  # per element: one past the last number in its subtree
        self.containers: list[bool] = []  # per element: a block that can hold several blocks
        self.number: list[int] = []
        self.owner: list[int] = []
        self.text: list[str] = []
        self.link: list[int] = []
        self.tag: list[str] = []
        self.depth: list[int] = []
        self.ancestors: list[frozenset[str]] = []
        self.hints: list[frozenset[str]] = []
        self.nearest: list[tuple[int, ...]] = []
        self.swallowed = False  # an unclosed title/textarea took the page's markup as its text


def _segmenter(out: _Segments) -> SimpleNamespace:
    """A parser target that turns the parser's start/end/data events into the lines of ``out``.

    Driving the segmentation from the parser's events, rather than building a tree and walking it,
    costs no tree and no Python proxy per element, needs no recursion, and is not subject to libxml2's
    nesting limit for trees (2048 levels even with huge_tree, past which it silently drops the rest of
    the page). The handlers are closures: their state lives in local cells, the cheapest to reach.
    """
    ends, containers = out.ends, out.containers
    # Open elements, innermost last: (number, kind, tags of it and its ancestors, its and their hints).
    open_elements: list[tuple[int, int, frozenset[str], frozenset[str]]] = []
    # Open blocks, innermost last: (number, tag, depth, ancestor tags, hints, number of the outermost
    # list or table around it or -1).
    blocks: list[tuple[int, str, int, frozenset[str], frozenset[str], int]] = []
    pieces: list[str] = []  # text of the innermost block since its last flush
    link_pieces: list[int] = []  # indexes in pieces of the text inside <a>
    raw: list[str] = []  # text of the title/textarea being skipped
    hint_cache: dict[str, frozenset[str]] = {}
    tags_cache: dict[tuple[frozenset[str], str], frozenset[str]] = {}
    link_depth = pre_depth = 0
    skip_depth = 0  # > 0 inside a skipped element: how many of its elements are open
    raw_depth = 0  # > 0 inside a title/textarea being skipped: its skip_depth
    line_number = 0  # of the last line, in the plain-text rendering of the page
    last_block: tuple[str, int] | None = None  # tag and list/table of the last block with lines
    kinds_get, hint_cache_get, tags_cache_get = _TAG_KINDS.get, hint_cache.get, tags_cache.get
    hidden_style = _HIDDEN_STYLE_RE.search

    def flush() -> None:
        """Turn the pending text into lines of the innermost open block.

        Lines are numbered as in the page's plain-text rendering: the number skips one (a blank line)
        at a paragraph break between blocks (see :func:`_paragraph_break`), and where empty lines
        (``<br><br>``, blank lines of a ``<pre>``) separate lines inside a block.
        """
        nonlocal line_number, last_block
        if not blocks:
            found: list[tuple[str, int]] = []
        elif pre_depth:
            found = _split_pre(pieces, link_pieces)
        elif link_pieces:
            found = _split_collapsed(pieces, link_pieces)
        else:
            joined = "".join(pieces)
            if _BR in joined:
                found = _split_collapsed([joined], [])
            else:
                text = " ".join(joined.split())
                found = [(text, 0)] if text else []
        pieces.clear()
        link_pieces.clear()
        if not any(text for text, _ in found):
            return
        number, tag, depth, ancestors, hints, group = blocks[-1]
        nearest = tuple(open_elements[i][0] for i in range(depth - 1, max(depth - 1 - _SHARED_ANCESTORS, -1), -1))
        # Before the block's first line: one more if a paragraph break separates it from the last block.
        step = 2 if last_block is not None and _paragraph_break(last_block, (tag, group)) else 1
        last_block = (tag, group)
        first = True
        for text, link_chars in found:
            if not text:  # an empty line inside the block: a blank line, unless at its start or end
                if not first:
                    step = 2
                continue
            first = False
            line_number += step
            step = 1
            out.number.append(line_number)
            out.owner.append(number)
            out.text.append(text)
            out.link.append(link_chars)
            out.tag.append(tag)
            out.depth.append(depth)
            out.ancestors.append(ancestors)
            out.hints.append(hints)
            out.nearest.append(nearest)

    def start(tag: str, attrib: Mapping[str, str]) -> None:
        nonlocal skip_depth, raw_depth, link_depth, pre_depth
        if skip_depth:
            skip_depth += 1
            if not raw_depth and tag in _RAW_TEXT_TAGS:
                raw_depth = skip_depth
            return
        kind = kinds_get(tag, _INLINE)
        if kind == _SKIP:
            if tag == _DIALOG_TAG and "open" in attrib:
                kind = _CONTAINER
            else:
                skip_depth = 1
                if tag in _RAW_TEXT_TAGS:
                    raw_depth = 1
                return
        own_hints = _NO_HINTS
        if attrib:
            style = attrib.get("style")
            aria = attrib.get("aria-hidden")
            if (
                "hidden" in attrib
                or (style is not None and hidden_style(style) is not None)
                or (aria is not None and aria.strip().lower() == "true")
            ) and tag not in _NEVER_HIDDEN_TAGS:
                skip_depth = 1
                return
            names = attrib.get("class")
            ident = attrib.get("id")
            if ident is not None:
                names = ident if names is None else f"{names} {ident}"
            if names:
                own_hints = hint_cache_get(names)
                if own_hints is None:
                    own_hints = hint_cache[names] = _hints_of(names)

        number = len(ends)
        ends.append(number + 1)
        containers.append(kind == _CONTAINER)
        if open_elements:
            _, _, parent_tags, parent_hints = open_elements[-1]
        else:
            parent_tags = parent_hints = _NO_HINTS
        tags = tags_cache_get((parent_tags, tag))
        if tags is None:
            tags = tags_cache[parent_tags, tag] = parent_tags | {tag}
        hints = parent_hints | own_hints if own_hints else parent_hints
        if kind >= _CONTAINER:
            if kind <= _PRE:  # a block
                if pieces:
                    flush()
                group = blocks[-1][5] if blocks else -1
                if group < 0 and tag in _GROUP_TAGS:
                    group = number
                blocks.append((number, tag, len(open_elements), parent_tags, hints, group))
                if kind == _PRE:
                    pre_depth += 1
            elif kind == _BREAK:
                pieces.append(_BR)
            else:
                link_depth += 1
        open_elements.append((number, kind, tags, hints))

    def end(tag: str) -> None:
        nonlocal skip_depth, raw_depth, link_depth, pre_depth
        if skip_depth:
            if skip_depth == raw_depth:
                raw_depth = 0
                swallowed = "".join(raw)
                raw.clear()
                if len(swallowed) > _SWALLOW_MIN_CHARS and _SWALLOWED_MARKUP_RE.search(swallowed):
                    out.swallowed = True
            skip_depth -= 1
            return
        if not open_elements:
            return
        number, kind, _, _ = open_elements.pop()
        ends[number] = len(ends)
        if kind >= _CONTAINER:
            if kind <= _PRE:
                if pieces:
                    flush()
                blocks.pop()
                if kind == _PRE:
                    pre_depth -= 1
            elif kind == _LINK:
                link_depth -= 1

    def data(text: str) -> None:
        if skip_depth:
            if raw_depth:
                raw.append(text)
            return
        if not pieces and not pre_depth and text.isspace():  # whitespace that starts a block: nothing
            return
        if link_depth:
            link_pieces.append(len(pieces))
        pieces.append(text)

    def close() -> _Segments:
        """End of the page: flush the pending text, close what is still open."""
        if pieces:
            flush()
        while open_elements:
            ends[open_elements.pop()[0]] = len(ends)
        return out

    return SimpleNamespace(start=start, end=end, data=data, close=close)


def _run(text: str | bytes) -> _Segments | None:
    """Parse ``text`` (a str, or valid UTF-8 bytes) and segment it in the same pass; None for a page
    with no markup or text at all."""
    if isinstance(text, bytes):
        data = text.replace(b"\x00", b"") if b"\x00" in text else text
    else:
        if "\x00" in text:
            text = text.replace("\x00", "")
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates
            data = text.encode("utf-8", errors="replace")
    if not data.strip():
        return None
    out = _Segments()
    parser = _new_parser(_segmenter(out))
    try:
        etree.fromstring(data, parser)
    except etree.ParserError as error:  # "Document is empty": nothing but comments, or the like
        if "empty" in str(error).lower():
            return None
        raise InputError(f"cannot parse the page as HTML: {error}") from error
    except (etree.LxmlError, ValueError) as error:
        raise InputError(f"cannot parse the page as HTML: {error}") from error
    fatal = parser.error_log.filter_from_fatals()
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in fatal):
        raise InputError(f"the page exceeds the HTML parser's limits: {fatal[0].message}")
    return out


def _container_scores(prose: np.ndarray, other: np.ndarray) -> np.ndarray:
    """How well each element fits as the page's main container, from the prose and other characters
    of its subtree: its prose, weighted by the prose's share of its text."""
    return prose * prose / np.maximum(prose + other, 1.0)


def _densest(scores: np.ndarray, candidates: np.ndarray) -> int:
    """The number of the candidate element with the best score (the outermost one on ties)."""
    return int(np.argmax(np.where(candidates, scores, -np.inf)))


def _is_prose(text: str) -> bool:
    """Whether a line is "long, punctuated text": enough words and sentence punctuation."""
    words = text.count(" ") + 1
    if words < _PROSE_MIN_WORDS:
        if len(text) < _PROSE_MIN_WORDS * _CJK_CHARS_PER_WORD:
            return False
        words += len(_CJK_RE.findall(text)) // _CJK_CHARS_PER_WORD
        if words < _PROSE_MIN_WORDS:
            return False
    return _PROSE_PUNCT_RE.search(text) is not None


@dataclass(frozen=True, eq=False)
class Blocks:
    """A segmented page as columns: its lines' numbers, texts and markup (see :func:`segment_html`)."""

    numbers: list[int]
    texts: list[str]
    markup: MarkupColumns

    def lines(self) -> list[Line]:
        return list(map(Line, self.numbers, self.texts, self.markup.marks()))


def _no_blocks() -> Blocks:
    return Blocks([], [], MarkupColumns.of([], _SHARED_ANCESTORS))


def segment_html(page: str | bytes) -> list[Line]:
    """Split a web page into lines of text, in reading order, each with its :class:`Markup`.

    One line per block of text (more when ``<br>`` or a ``<pre>``'s source lines split it). A line's
    ``number`` is its line number in the page's plain-text rendering (:func:`render_text`): numbers
    are unique and increasing, and skip one where a blank line separates paragraphs, as the line
    numbers of a text file do. Returns [] for a page with no text.
    Raises :class:`InputError` (:class:`BinaryInputError` for binary data) when the page cannot be read.
    """
    return html_blocks(page).lines()


def html_blocks(page: str | bytes) -> Blocks:
    """:func:`segment_html` as columns, without a Line and a Markup object per line."""
    source: str | bytes | None
    if isinstance(page, str):
        _check_text_not_binary(page)
        source = page
    else:
        source = _utf8_page(bytes(page)) if isinstance(page, (bytes, bytearray, memoryview)) else None
        if source is None:
            source = decode_html(page)
    lines = _run(source)
    if lines is not None and lines.swallowed:
        # An unclosed <title> or <textarea> took the rest of the page as its text. Browsers show
        # nothing, but the text is there: drop the opening tags of those elements and parse again.
        lines = None  # the first pass's segments are freed before the second pass
        if isinstance(source, bytes):
            lines = _run(_strip_raw_text_opens(source))
        else:
            lines = _run(_RAW_TEXT_OPEN_RE.sub("", source))
    return _no_blocks() if lines is None else _build_blocks(lines)


def _build_blocks(lines: _Segments) -> Blocks:
    """The lines of a segmented page as columns, with the numbers that need the whole page."""
    count = len(lines.text)
    if not count:
        return _no_blocks()

    # Per line: characters, and prose characters (its non-link characters, if it is prose).
    chars = np.fromiter(map(len, lines.text), dtype=np.int64, count=count)
    link = np.asarray(lines.link, dtype=np.int64)
    prose_lines = np.fromiter(map(_is_prose, lines.text), dtype=bool, count=count)
    prose = np.where(prose_lines, chars - link, 0)

    # Per element: totals over its subtree, as differences of cumulative sums over the document order.
    elements = len(lines.ends)
    owner = np.asarray(lines.owner, dtype=np.intp)
    starts = np.arange(elements, dtype=np.intp)
    stops = np.asarray(lines.ends, dtype=np.intp)

    def subtree_sums(per_line: np.ndarray) -> np.ndarray:
        cumulative = np.zeros(elements + 1, dtype=np.float64)
        np.cumsum(np.bincount(owner, weights=per_line, minlength=elements), out=cumulative[1:])
        return cumulative[stops] - cumulative[starts]

    sub_chars = subtree_sums(chars)
    sub_prose = subtree_sums(prose)
    total_prose = float(prose.sum())

    # The densest container of prose, and the lines inside it.
    if total_prose > 0:
        candidates = np.asarray(lines.containers, dtype=bool)
        main = _densest(_container_scores(sub_prose, sub_chars - sub_prose), candidates)
        discounted = np.fromiter(
            (not hints.isdisjoint(_MAIN_DISCOUNT_HINTS) for hints in lines.hints), dtype=bool, count=count
        )
        if discounted.any():
            # Without that prose, a container inside the one found is a better fit; one outside it means
            # a hint covers the article itself (a wrapper's class), so it is ignored.
            main_prose = subtree_sums(np.where(discounted, 0, prose))
            narrower = _densest(_container_scores(main_prose, sub_chars - main_prose), candidates)
            if main <= narrower < stops[main] and main_prose[narrower] > 0:
                main = narrower
        in_main = (owner >= main) & (owner < stops[main])
        shares = sub_prose / total_prose
    else:
        in_main = np.zeros(count, dtype=bool)
        shares = np.zeros(elements)

    # Lines of one block, and blocks of one parent, share their nearest ancestors: their shares are
    # computed once per distinct tuple of ancestors.
    shares_list = shares.tolist()
    padding = (0.0,) * _SHARED_ANCESTORS
    distinct = {nearest: row for row, nearest in enumerate(dict.fromkeys(lines.nearest))}
    table = np.array(
        [tuple([shares_list[a] for a in nearest]) + padding[len(nearest) :] for nearest in distinct], dtype=float
    ).reshape(-1, _SHARED_ANCESTORS)
    ancestor_shares = table[np.fromiter(map(distinct.__getitem__, lines.nearest), dtype=np.intp, count=count)]
    # A line's container is its block's parent (the block itself at the top of the page).
    container = np.fromiter(
        (nearest[0] if nearest else owner for nearest, owner in zip(lines.nearest, lines.owner)),
        dtype=np.intp,
        count=count,
    )
    markup = MarkupColumns(
        present=np.ones(count, dtype=bool),
        tags=lines.tag,
        link_density=np.divide(link, chars, out=np.zeros(count), where=chars > 0),
        depth=np.asarray(lines.depth, dtype=np.int64),
        ancestors=lines.ancestors,
        hints=lines.hints,
        block_chars=sub_chars.astype(np.int64)[container],
        ancestor_shares=ancestor_shares,
        in_main=in_main,
    )
    return Blocks(lines.number, lines.text, markup)


# --------------------------------------------------------------------------------------------------
# Rendering


def render_text(lines: Sequence[Line]) -> str:
    """The page as plain text: one line per Line, a blank line where the numbers skip, a final newline.

    For the lines of :func:`segment_html`, numbered as in this rendering, that is a blank line at each
    paragraph break: after and before paragraphs, headings, quotations and preformatted blocks, and
    around each list and table as a whole, while other blocks (div, li, td...) follow each other on
    consecutive lines. For a subset of them (the kept lines), it is a blank line where lines were left
    out. Deterministic, and the same rule as :func:`cleaner.core.render`.
    """
    out: list[str] = []
    previous: int | None = None
    for line in lines:
        if previous is not None and line.number > previous + 1:
            out.append("")
        out.append(line.text)
        previous = line.number
    return "\n".join(out) + "\n" if out else ""
