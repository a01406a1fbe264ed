"""Reading a page's bytes: charsets (byte-order marks, <meta> and XML declarations, HTTP headers,
the fallbacks), binary input, whether a text looks like HTML, and UTF-8 pages parsed from their bytes."""

from __future__ import annotations

import codecs
import gzip

import pytest
from html_fixtures import texts
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.errors import BinaryInputError, InputError
from cleaner.read import segment_html
from cleaner.read.decode import decode_html
from cleaner.read.sniff import looks_like_html

# --- encodings ------------------------------------------------------------------------------------


def test_utf8_bom():
    data = codecs.BOM_UTF8 + "<p>café</p>".encode()
    assert decode_html(data).text == "<p>café</p>"
    assert texts(data) == ["café"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(codec: str):
    page = "<html><body><p>Grüße, 東京</p></body></html>"
    data = page.encode(codec) if codec != "utf-16-be" else codecs.BOM_UTF16_BE + page.encode(codec)
    assert texts(data) == ["Grüße, 東京"]


def test_utf16_without_bom():
    assert texts("<html><body><p>naïve</p></body></html>".encode("utf-16-le")) == ["naïve"]


def test_latin1_with_meta_charset_decodes_as_cp1252():
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>café – “quoted” €</p></body></html>'
    assert texts(page.encode("cp1252")) == ["café – “quoted” €"]


def test_http_equiv_charset():
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "</head><body><p>Привет, мир</p></body></html>"
    )
    assert texts(page.encode("cp1251")) == ["Привет, мир"]


def test_legacy_bytes_without_declaration_fall_back_to_cp1252():
    assert texts("<p>déjà vu – naïve</p>".encode("cp1252")) == ["déjà vu – naïve"]


def test_xml_encoding_declaration():
    page = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<html><body><p>Ærø</p></body></html>'
    assert texts(page.encode("latin-1")) == ["Ærø"]


def test_utf8_labelled_latin1_is_read_as_utf8():
    page = '<meta charset="iso-8859-1"><p>café</p>'
    assert texts(page.encode("utf-8")) == ["café"]


@pytest.mark.parametrize("label", ["unset", "no-such-charset", ""])
def test_unknown_charset_labels_are_ignored(label: str):
    page = f'<meta charset="{label}"><p>café</p>'
    assert texts(page.encode("utf-8")) == ["café"]


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("windows-949", "cp949"),
        ("korean", "cp949"),
        ("gb_2312-80", "gb18030"),
        ("csshiftjis", "cp932"),
        ("x-user-defined", "cp1252"),
    ],
)
def test_page_declarations_and_http_headers_read_charset_labels_alike(label: str, codec: str):
    # One table of labels for a page's <meta charset> and for an HTTP header (cleaner.crawl.pages).
    from cleaner.crawl.pages import header_codec
    from cleaner.read.decode import charset_codec

    assert charset_codec(label) == header_codec(label) == codec
    text = {"cp949": "서울 날씨", "gb18030": "北京天气", "cp932": "東京の天気", "cp1252": "“quoted” €"}[codec]
    assert texts(f'<meta charset="{label}"><p>{text}</p>'.encode(codec)) == [text]


def test_utf16_labels_mean_utf8_in_the_page_and_nothing_in_a_header():
    from cleaner.crawl.pages import header_codec

    assert texts('<meta charset="utf-16"><p>café</p>'.encode()) == ["café"]
    assert header_codec("UTF-16LE") is None and header_codec("utf-32") is None


def test_a_str_is_not_decoded_again():
    # A str carrying its own (now meaningless) declarations is not re-decoded.
    page = '<?xml version="1.0" encoding="iso-8859-1"?><meta charset="iso-8859-1"><p>café €</p>'
    assert texts(page) == ["café €"]


def test_invalid_bytes_never_raise_unicode_errors():
    data = b"<p>\xff\xfe\x80\x81 bad \xc3</p>"
    assert len(texts(data)) == 1
    assert texts("<p>lone \ud800 surrogate</p>") == ["lone \ufffd surrogate"]


# --- binary input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"GIF89a\x01\x00\x01\x00",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        gzip.compress(b"<html><body>zipped</body></html>"),
        b"PK\x03\x04\x14\x00\x00\x00",
        b"<html>" + b"\x00\x01\x02\x03" * 200,
    ],
)
def test_binary_input_raises(data: bytes):
    with pytest.raises(BinaryInputError):
        decode_html(data)
    with pytest.raises(BinaryInputError):
        segment_html(data)


def test_binary_data_decoded_as_text_raises_too():
    with pytest.raises(BinaryInputError):
        segment_html("%PDF-1.4 ...")
    with pytest.raises(BinaryInputError):
        segment_html("<p>" + "\x00\x01" * 100)
    assert issubclass(BinaryInputError, InputError)


def test_a_few_stray_nul_bytes_are_not_binary():
    assert texts(b"<p>text</p>\x00") == ["text"]
    assert texts("<p>te\x00xt</p>") == ["text"]


# --- sniffing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><head></head><body></body></html>",
        "\ufeff  <html lang='en'><p>x</p></html>",
        "<!-- saved page -->\n<HTML><BODY>x</BODY></HTML>",
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">',
        "<div class='a'><p>fragment</p></div>",
        "Intro text\n" + "<p>para</p><div>block<br>line</div>\n" * 4,
    ],
)
def test_looks_like_html(text: str):
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Just a plain text.\nWith two lines.",
        "Use the <b> tag to make text bold, like this.",
        "From: Jane <jane@example.com>\nTo: <bob@example.com>\n\nHello Bob.",
        "# Title\n\nSome *emphasis* and a [link](https://example.com).\n\n- item one\n- item two\n\n"
        "```python\nprint('<p>')\n```\n",
        "# Notes<br>\n\nA line with a <br> inside, and **bold** text.\n",
        '<p align="center"><img src="logo.png" width="100"></p>\n\n# Project\n\nA tool.\n\n## Install\n\n'
        "```sh\npip install project\n```\n\n- fast\n- small\n\nSee [the docs](https://example.com).\n",
        "if a < b and c > d: print('<html')",
    ],
)
def test_does_not_look_like_html(text: str):
    assert not looks_like_html(text)


# -- UTF-8 pages are parsed from their bytes --------------------------------------------------------


def test_utf8_pages_are_parsed_as_they_came():
    """A page decode_html reads as UTF-8 goes to the parser without a str round trip; other pages
    are decoded first. Either way, the segments are those of the decoded page."""
    from cleaner.read.decode import utf8_page

    page = "<html><head><title>T</title></head><body><p>Déjà vu 😀, un paragraphe.</p></body></html>"
    data = page.encode("utf-8")
    assert utf8_page(data) is data
    assert utf8_page(codecs.BOM_UTF8 + data) == data
    latin = page.replace("😀", "").encode("latin-1")
    assert utf8_page(latin) is None  # not valid UTF-8: decoded as cp1252
    declared = b'<meta charset="cp037">' + b"<p>ascii only</p>"
    assert utf8_page(declared) is None  # ASCII bytes, but a declared charset that is not ASCII-based
    assert utf8_page("<p>é</p>".encode("utf-16")) is None
    for raw in (data, codecs.BOM_UTF8 + data, latin, declared, b"<p>plain</p>"):
        assert segment_html(raw) == segment_html(decode_html(raw).text)


_RAW_PIECES = st.sampled_from(
    ["<title", "<TITLE", "<tıtle", "<tİtle", "<textarea", "<TextArea", "<textareα", ">", "<", "é", "\xa0", "_",
     "-", " x=1", "😀", "\n", "titles", "a"]
)  # fmt: skip


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.lists(_RAW_PIECES, max_size=14).map("".join))
def test_raw_text_tags_are_stripped_from_bytes_as_from_text(text: str):
    """The retry after an unclosed <title> or <textarea> works on bytes as on text, and both as the
    pattern alone."""
    from cleaner.read.rawtext import RAW_TEXT_OPEN_RE as _RAW_TEXT_OPEN_RE
    from cleaner.read.rawtext import strip_raw_text_opens as _strip_raw_text_opens
    from cleaner.read.rawtext import strip_raw_text_opens_text as _strip_raw_text_opens_text

    stripped = _RAW_TEXT_OPEN_RE.sub("", text)
    assert _strip_raw_text_opens_text(text) == stripped
    assert _strip_raw_text_opens(text.encode("utf-8")) == stripped.encode("utf-8")
