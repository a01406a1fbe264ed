"""Which HTTP bodies are web pages, how they are decoded, and what language they say they are in."""

from __future__ import annotations

import codecs
import re

from cleaner.crawl.http import looks_like_text
from cleaner.languages import primary_language
from cleaner.read.decode import charset_codec, is_wide_unicode

HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/vnd.wap.xhtml+xml", "text/xhtml"})
# Content-Types that say nothing about the body: such bodies are sniffed (as browsers do).
GENERIC_MEDIA_TYPES = frozenset(
    {
        "",
        "application/octet-stream",
        "binary/octet-stream",
        "application/binary",
        "application/unknown",
        "application/x-unknown",
        "unknown/unknown",
        "content/unknown",
        "*/*",
    }
)
# How far into a body its start is sniffed, and its <html lang> and meta tags are looked for.
_SNIFF_BYTES = 1024
_LANGUAGE_BYTES = 65536
# UTF-16 without a byte order mark: in pages of mostly-ASCII markup, at least this share of one byte
# of each pair is NUL, and at most the other share of the other byte.
_UTF16_NUL_SHARE = 0.4
_UTF16_STRAY_SHARE = 0.05
_UTF16_MIN_PAIRS = 8

# The starts of an HTML document, after white space (the WHATWG MIME sniffing patterns for HTML,
# with <?xml and the tags a fragment begins with).
_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p|meta|link|!--)"
    rb"[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
# File signatures of what crawlers most often fetch besides pages.
_BINARY_SIGNATURES = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"\x00\x00\x01\x00",
    b"wOFF",
    b"wOF2",
    b"\x7fELF",
    b"MZ",
    b"%!PS",
    b"\xd0\xcf\x11\xe0",
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

_HTML_LANG = re.compile(
    rb"<html\b[^>]*?\s(?:xml:)?lang\s*=\s*[\"']?\s*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*)", re.IGNORECASE
)
_META_LANGUAGE = re.compile(
    rb"<meta\s[^>]*?http-equiv\s*=\s*[\"']?content-language[\"']?[^>]*?content\s*=\s*[\"']?\s*([^\"'>,;\s]+)",
    re.IGNORECASE,
)


def is_html_type(media: str) -> bool:
    return media in HTML_MEDIA_TYPES


def is_generic_type(media: str) -> bool:
    return media in GENERIC_MEDIA_TYPES


def sniff_html(body: bytes) -> bool:
    """Whether the start of ``body`` is the start of an HTML document (after a byte order mark)."""
    head = body[:_SNIFF_BYTES]
    utf16 = _utf16_codec(head)
    if utf16 is not None:
        head = head.decode(utf16, errors="replace").encode("utf-8", errors="replace")
    elif head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    return _HTML_START.match(head) is not None


def binary_kind(body: bytes) -> str | None:
    """``"binary data"`` when ``body`` starts with a known file signature or is not text; else None.

    UTF-16 text is text, though it is full of NUL bytes."""
    if _utf16_codec(body[:_SNIFF_BYTES]) is not None:
        return None
    if body.startswith(_BINARY_SIGNATURES) or not looks_like_text(body):
        return "binary data"
    return None


def _utf16_codec(head: bytes) -> str | None:
    """``"utf-16"`` for a head with a UTF-16 byte order mark, ``"utf-16-le"`` or ``"utf-16-be"`` for
    one that has the NUL bytes of UTF-16 text without it (every other byte, in mostly-ASCII markup);
    else None."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    pairs = len(head) // 2
    if pairs < _UTF16_MIN_PAIRS:
        return None
    even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    if odd >= pairs * _UTF16_NUL_SHARE and even <= pairs * _UTF16_STRAY_SHARE:
        return "utf-16-le"
    if even >= pairs * _UTF16_NUL_SHARE and odd <= pairs * _UTF16_STRAY_SHARE:
        return "utf-16-be"
    return None


def media_kind(media: str) -> str:
    """The kind a non-HTML response is counted under: ``"image"``, ``"pdf"``, ``"script"``..."""
    major, _, minor = media.partition("/")
    if major in ("image", "video", "audio", "font"):
        return major
    if minor == "pdf":
        return "pdf"
    if "javascript" in minor or "ecmascript" in minor:
        return "script"
    if minor == "css":
        return "css"
    if "json" in minor:
        return "json"
    if "xml" in minor:  # feeds, sitemaps, SVG
        return "xml"
    if media == "text/plain":
        return "text"
    return "other"


def header_codec(charset: str | None) -> str | None:
    """The Python codec for a charset named in an HTTP header (:func:`~cleaner.read.decode.charset_codec`),
    or None when there is no usable one: a UTF-16 or UTF-32 header on a page without a byte order mark
    is practically always wrong."""
    codec = charset_codec(charset) if charset else None
    return None if codec is None or is_wide_unicode(codec) else codec


def decode_page(body: bytes, charset: str | None) -> tuple[str | bytes, str | None]:
    """The page to clean, and the codec it was decoded with.

    A byte order mark, or the NUL bytes of UTF-16, win over the header: the bytes are left for the
    HTML reader, which reads both. Else a charset named in the HTTP header decodes the page (errors
    replaced), except that a page that is valid UTF-8 with non-ASCII characters is read as UTF-8
    though a legacy charset is named: servers label UTF-8 pages "iso-8859-1" by default, and text in
    a legacy charset is practically never valid UTF-8. Without a usable header the bytes are
    returned, for the HTML reader to decode from the page's own declaration or by detection.
    """
    if body.startswith(_BOMS) or _utf16_codec(body[:_SNIFF_BYTES]) is not None:
        return body, None
    codec = header_codec(charset)
    if codec is None:
        return body, None
    if codec != "utf-8" and not body.isascii():
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    return body.decode(codec, errors="replace"), codec


def page_language(page: str | bytes, content_language: str | None) -> str | None:
    """The language a page declares: its ``<html lang>``, else the HTTP ``Content-Language`` header
    (its first language), else a ``<meta http-equiv="Content-Language">``: the first that is a language
    tag (not "UTF-8" or "Japanese"), as written (``"en-US"``, ``"ja"``...); None when it declares none."""
    head = page[:_LANGUAGE_BYTES]
    data = head.encode("utf-8", errors="replace") if isinstance(head, str) else head
    found = _HTML_LANG.search(data)
    declared = [found.group(1).decode("ascii")] if found else []
    if content_language:
        declared.append(content_language.split(",")[0].strip())
    found = _META_LANGUAGE.search(data)
    if found:
        declared.append(found.group(1).decode("ascii", errors="replace"))
    return next((tag for tag in declared if primary_language(tag)), None)
