"""What the start of an input says: a byte order mark, a binary format, BOM-less UTF-16, HTML or text.

Shared by the decoders (:mod:`cleaner.read.decode`), the page reader (:mod:`cleaner.read`) and the
stream reader (:mod:`cleaner.stream`), so that all of them refuse and accept the same inputs.
"""

from __future__ import annotations

import codecs
import re

from cleaner.core import compiled

# Byte order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Leading bytes of common binary formats a scraper may hand us instead of a page.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"(\xb5/\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x00\x00\x01\x00", "an icon image"),
    (b"OggS", "an Ogg media file"),
    (b"ID3\x03", "an MP3 audio file"),
    (b"ID3\x04", "an MP3 audio file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)
# RIFF containers (WebP, WAV, AVI) carry their kind at offset 8.
_RIFF_MAGIC = b"RIFF"
_RIFF_KINDS = (b"WEBP", b"WAVE", b"AVI ")
# bzip2: "BZh", the block size digit, then the block magic (the digits of pi).
_BZIP2_MAGIC, _BZIP2_BLOCK_MAGIC = b"BZh", b"1AY&SY"
# The first bytes of every signature above: text, nearly all data, fails one test instead of twenty.
_SIGNATURE_STARTS = (*(magic for magic, _ in BINARY_SIGNATURES), _RIFF_MAGIC, _BZIP2_MAGIC)

# How much of the data the binary and UTF-16 sniffers look at.
SNIFF_BYTES = 65536
# More NUL bytes than this share of the sniffed bytes, and than this count, means binary data (text
# has none; a stray one or two, as C programs leave at the end of a buffer, are forgiven).
MAX_NUL_SHARE = 0.01
MAX_STRAY_NULS = 16
# A BOM-less UTF-16 text of mostly ASCII characters has a NUL in (nearly) every other byte.
UTF16_NUL_SHARE = 0.9
# Control bytes text does not use: C0 controls other than tab, line breaks, form feed, ESC (terminal
# colours, ISO-2022 escapes) and SO/SI (ISO-2022-KR). Random or compressed data has about 9% of them
# (24 of 256 byte values); text in any ASCII-based encoding has next to none.
_TEXT_CONTROLS = b"\t\n\x0b\x0c\r\x0e\x0f\x1b"
_OTHER_CONTROLS = bytes(b for b in range(32) if b not in _TEXT_CONTROLS)
MAX_CONTROL_SHARE = 0.05


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte order mark at the start of ``data`` names, and the mark's length."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def signature_kind(head: bytes) -> str | None:
    """The binary format whose signature ``head`` starts with, or None."""
    if not head.startswith(_SIGNATURE_STARTS):
        return None
    for magic, kind in BINARY_SIGNATURES:
        if head.startswith(magic):
            return kind
    if head.startswith(_RIFF_MAGIC) and head[8:12] in _RIFF_KINDS:
        return "a RIFF media file"
    if head.startswith(_BZIP2_MAGIC) and head[4:10] == _BZIP2_BLOCK_MAGIC:
        return "bzip2-compressed data"
    return None


def too_many_nuls(nuls: int, length: int) -> bool:
    return nuls > max(MAX_NUL_SHARE * length, MAX_STRAY_NULS)


def too_many_controls(head: bytes) -> bool:
    """Whether ``head`` holds more control bytes than text does (NULs included): binary data without a
    known signature, such as random, encrypted or compressed bytes."""
    core = compiled("cleaner.read._bytes")
    controls = reference_control_bytes(head) if core is None else core.control_bytes(head, _COUNTED_CONTROLS)
    return controls > max(MAX_CONTROL_SHARE * len(head), MAX_STRAY_NULS)


def reference_control_bytes(head: bytes) -> int:
    """How many bytes of ``head`` are control bytes text does not use (``_OTHER_CONTROLS``, NUL included)."""
    return len(head) - len(head.translate(None, _OTHER_CONTROLS))


# The same bytes as flags, one a byte value, for the compiled count.
_COUNTED_CONTROLS = bytes(int(value in _OTHER_CONTROLS) for value in range(256))


def utf16_without_bom(head: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when ``head`` looks like BOM-less UTF-16 text, else None."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= UTF16_NUL_SHARE * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= UTF16_NUL_SHARE * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def text_binary_kind(text: str) -> str | None:
    """What binary data a str holds when it is bytes decoded as text (a PDF read as Latin-1...), or
    None: the signatures, NUL and control rules of :func:`binary_kind`, on the text's UTF-8 bytes
    (a str is decoded already: no UTF-16 reading to consider)."""
    head = text[:SNIFF_BYTES]
    if head.startswith("\ufeff"):
        head = head[1:]
    kind = signature_kind(head[:16].encode("latin-1", errors="ignore"))
    if kind is None:
        encoded = head.encode("utf-8", errors="replace")[:SNIFF_BYTES]
        # Text rarely has a control character: the rules run only where one is there (without one they
        # find nothing). Its bytes are deleted in a C loop, several times faster than a search of the str.
        if len(encoded.translate(None, _OTHER_CONTROLS)) != len(encoded):
            kind = _control_kind(encoded, "characters")
    return kind


def binary_kind(data: bytes) -> str | None:
    """What binary format ``data`` (without a BOM) looks like, or None when it may be text."""
    head = data[:SNIFF_BYTES]
    kind = signature_kind(head)
    # As for a str (text_binary_kind): the rules find nothing in bytes without a control byte (NUL included).
    if kind is None and len(head.translate(None, _OTHER_CONTROLS)) != len(head):
        if 0 not in head or utf16_without_bom(head) is None:  # UTF-16 text holds NULs
            kind = _control_kind(head, "bytes")
    return kind


def _control_kind(head: bytes, unit: str) -> str | None:
    """The NUL and control rules: "binary data (NUL bytes)" and the like, or None."""
    if too_many_nuls(head.count(0), len(head)):
        return f"binary data (NUL {unit})"
    if too_many_controls(head):
        return f"binary data (control {unit})"
    return None


# -- HTML or text -------------------------------------------------------------------------------------

# How much of the start of an input (characters, or bytes read as Latin-1) tells HTML from text.
HTML_SNIFF_CHARS = 4096
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
_HTML_STRUCTURE_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "table",
        "tr",
        "td",
        "li",
        "ul",
        "ol",
        "span",
        "a",
        "h1",
        "h2",
        "h3",
    }
)
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
    head = text[:HTML_SNIFF_CHARS].lstrip("\ufeff")
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


def wants_html(head: str | bytes, input_format: str) -> bool:
    """Whether an input starting with ``head`` is read as HTML: as ``input_format`` says, or, for
    ``"auto"``, when it looks like HTML (bytes are read as Latin-1: every byte is a character)."""
    if input_format != "auto":
        return input_format == "html"
    if isinstance(head, bytes):
        head = head[:HTML_SNIFF_CHARS].decode("latin-1")
    return looks_like_html(head[:HTML_SNIFF_CHARS])
