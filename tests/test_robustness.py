"""Never lose text, never crash: a matrix of bad inputs through every entry point of the library, and
huge inputs. The same matrix through the command line: tests/test_robustness_cli.py; model files
that are not models and writes that fail half-way: tests/test_robustness_files.py.

Every case goes through the library (``clean``, ``classify``, ``clean_html``, ``classify_html`` and
``Cleaner.process`` with bytes and with str, all with the shipped model) and through the command line
(``clean FILE``). The library returns a result or raises one of its documented exceptions (a
:class:`~cleaner.errors.CleanerError`); anything else (an lxml error, UnicodeDecodeError,
RecursionError, MemoryError, IndexError...) fails the test with its traceback. The command line exits 0
with the cleaned text, or 1 with one ``error:`` line on stderr for what it cannot read, and never
modifies its input.

The shipped model is retrained as the training data grows: its decisions are not pinned here. Where a
decision matters (a page that is all boilerplate, or all article), a model trained on the seeds inside
the tests (``small_cleaner``) makes it.
"""

from __future__ import annotations

import codecs
import gzip
import random
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

import cleaner
from cleaner import BinaryInputError, CleanerError, InputError, LineResult, Options
from cleaner.api import default_cleaner
from cleaner.read.decode import decode_text

runner = CliRunner()

ARTICLE = (
    "Titre de l'article\n"
    "\n"
    "Un premier paragraphe, assez long pour être un vrai texte d'article, avec des phrases complètes.\n"
    "Accueil | Sport | Contact\n"
)
ARTICLE_LINES = ("Titre de l'article", "", ARTICLE.splitlines()[2], "Accueil | Sport | Contact")

# Pages made of the seeds' own lines: navigation only, and article paragraphs only.
BOILERPLATE = (
    "Accueil\nActualités\nSport\nContact\nSe connecter\nNewsletter\nPartager sur Facebook\nTwitter\n"
    "Lire aussi\nPublicité\nMentions légales\n© 2024 Tous droits réservés\n"
)
BOILERPLATE_HTML = (
    "<!doctype html><html><head><title>Menu</title></head><body><nav><ul>"
    + "".join(f"<li><a href='/{i}'>{item}</a></li>" for i, item in enumerate(BOILERPLATE.splitlines()))
    + "</ul></nav></body></html>"
)


def _html(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>Une page</title></head><body>{body}</body></html>"


LATIN1_PAGE = _html("<h1>Été à Paris</h1><p>Un café crème, s'il vous plaît, à la terrasse du café de l'Été.</p>")
LATIN1_META = LATIN1_PAGE.replace("<title>", "<meta charset='iso-8859-1'><title>")
DEEP = 100_000


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(200)


@dataclass(frozen=True)
class Case:
    data: bytes
    text: str | None = None
    """The same page as a str, for ``process(str)``: None for binary data (then read as Latin-1)."""
    binary: bool = False
    """Bytes input must be refused with BinaryInputError."""
    lines: tuple[str, ...] | None = None
    """The lines the text reader must find (the texts of ``classify`` with input_format="text")."""
    blocks: tuple[str, ...] | None = None
    """Texts the HTML reader must find, in order (a subsequence of ``classify_html``'s texts)."""

    @property
    def as_str(self) -> str:
        return self.text if self.text is not None else self.data.decode("latin-1")


def _text_case(text: str, encoded: bytes | None = None, lines: tuple[str, ...] | None = None) -> Case:
    return Case(encoded if encoded is not None else text.encode("utf-8"), text, lines=lines)


CASES: dict[str, Case] = {
    "empty": Case(b"", "", lines=()),
    "whitespace-only": Case(b"  \n\t\n \r\n\x0c\n", "  \n\t\n \r\n\x0c\n", lines=("  ", "\t", " ", "\x0c")),
    "no-final-newline": _text_case(ARTICLE.rstrip("\n"), lines=ARTICLE_LINES),
    "lf": _text_case(ARTICLE, lines=ARTICLE_LINES),
    "cr": _text_case(ARTICLE.replace("\n", "\r"), lines=ARTICLE_LINES),
    "crlf": _text_case(ARTICLE.replace("\n", "\r\n"), lines=ARTICLE_LINES),
    "mixed-endings": _text_case(
        "un\r\ndeux\rtrois\nquatre\n\r\ncinq", lines=("un", "deux", "trois", "quatre", "", "cinq")
    ),
    "bom-utf8": Case(codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), ARTICLE, lines=ARTICLE_LINES),
    "bom-utf16-le": Case(codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), ARTICLE, lines=ARTICLE_LINES),
    "bom-utf16-be": Case(codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), ARTICLE, lines=ARTICLE_LINES),
    "bom-utf32-le": Case(codecs.BOM_UTF32_LE + ARTICLE.encode("utf-32-le"), ARTICLE, lines=ARTICLE_LINES),
    "bom-utf32-be": Case(codecs.BOM_UTF32_BE + ARTICLE.encode("utf-32-be"), ARTICLE, lines=ARTICLE_LINES),
    "invalid-utf8": Case(
        "Un octet cassé, déjà : ".encode() + b"\xff\xfe fin.\nSuite \xc3 tronqu\xc3\xa9e.\n",
        "Un octet cassé, déjà : \ufffd\ufffd fin.\nSuite \ufffd tronquée.\n",
        lines=("Un octet cassé, déjà : \ufffd\ufffd fin.", "Suite \ufffd tronquée."),
    ),
    "utf16-le-no-bom": Case(ARTICLE.encode("utf-16-le"), ARTICLE, lines=ARTICLE_LINES),
    "utf16-be-no-bom": Case(ARTICLE.encode("utf-16-be"), ARTICLE, lines=ARTICLE_LINES),
    "latin1-html-meta-charset": Case(
        LATIN1_META.encode("latin-1"),
        LATIN1_META,
        blocks=("Été à Paris", "Un café crème, s'il vous plaît, à la terrasse du café de l'Été."),
    ),
    "latin1-html-no-charset": Case(
        LATIN1_PAGE.encode("latin-1"),
        LATIN1_PAGE,
        blocks=("Été à Paris", "Un café crème, s'il vous plaît, à la terrasse du café de l'Été."),
    ),
    "latin1-text": Case(
        "Un café crème à l'Été.\n".encode("latin-1"),
        "Un café crème à l'Été.\n",
        lines=("Un café crème à l'Été.",),
    ),
    "stray-nul-bytes": Case(
        b"Une ligne\x00 avec un octet nul.\nUne autre ligne.\x00\n",
        "Une ligne\x00 avec un octet nul.\nUne autre ligne.\x00\n",
        lines=("Une ligne\x00 avec un octet nul.", "Une autre ligne.\x00"),
    ),
    "many-nul-bytes": Case(b"text\x00with\x00many\x00nul\x00bytes\x00" * 20, binary=True),
    "pdf": Case(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(64), binary=True),
    "png": Case(_png(), binary=True),
    "gzip": Case(gzip.compress(ARTICLE.encode("utf-8"), mtime=0), binary=True),
    "random-bytes": Case(random.Random(4).randbytes(20_000), binary=True),
    "control-bytes": Case(bytes(range(1, 32)) * 200, binary=True),
    "html-no-body": Case(
        b"<html><head><title>Only a title</title><meta charset=utf-8></head></html>",
        "<html><head><title>Only a title</title><meta charset=utf-8></head></html>",
        blocks=(),
    ),
    "html-frameset": Case(
        b"<html><head><title>Frames</title></head><frameset cols='50%,50%'><frame src='a.html'>"
        b"<frame src='b.html'><noframes>Your browser does not show frames.</noframes></frameset></html>",
        "<html><head><title>Frames</title></head><frameset cols='50%,50%'><frame src='a.html'>"
        "<frame src='b.html'><noframes>Your browser does not show frames.</noframes></frameset></html>",
    ),
    "html-only-scripts": Case(
        b"<html><script>document.write('<p>made by a script</p>');</script><script src=x.js></script>"
        b"<style>p { color: red }</style></html>",
        "<html><script>document.write('<p>made by a script</p>');</script><script src=x.js></script>"
        "<style>p { color: red }</style></html>",
        blocks=(),
    ),
    f"html-nested-{DEEP}": Case(
        b"<html><body>" + b"<div>" * DEEP + b"Deep inside the page." + b"</div>" * DEEP + b"</body></html>",
        "<html><body>" + "<div>" * DEEP + "Deep inside the page." + "</div>" * DEEP + "</body></html>",
        blocks=("Deep inside the page.",),
    ),
    f"html-nested-{DEEP}-unclosed-inline": Case(
        b"<html><body><p>" + b"<span><b>" * (DEEP // 2) + b"Deep inside the page.",
        "<html><body><p>" + "<span><b>" * (DEEP // 2) + "Deep inside the page.",
        blocks=("Deep inside the page.",),
    ),
    "all-boilerplate": _text_case(BOILERPLATE, lines=tuple(BOILERPLATE.splitlines())),
    "all-boilerplate-html": Case(
        BOILERPLATE_HTML.encode("utf-8"), BOILERPLATE_HTML, blocks=tuple(BOILERPLATE.splitlines())
    ),
}


@pytest.fixture(scope="module")
def article_page(seed_pages) -> str:
    """Every body paragraph of the seeds, one per paragraph: a page that is all article."""
    return (
        "\n\n".join(line for page in seed_pages for line, label in zip(page.lines, page.labels) if label == "body")
        + "\n"
    )


ENTRY_POINTS = ("clean", "classify", "clean_html", "classify_html", "process-bytes", "process-str")


def call(entry: str, case: Case) -> str | list[LineResult]:
    """One entry point of the library, with the shipped model."""
    if entry == "clean":
        return cleaner.clean(case.data)
    if entry == "classify":
        return cleaner.classify(case.data)
    if entry == "clean_html":
        return cleaner.clean_html(case.data)
    if entry == "classify_html":
        return cleaner.classify_html(case.data)
    if entry == "process-bytes":
        return default_cleaner().process(case.data).results
    return default_cleaner().process(case.as_str).results


def is_subsequence(items, sequence) -> bool:
    remaining = iter(sequence)
    return all(any(item == candidate for candidate in remaining) for item in items)


def check_result(result: str | list[LineResult]) -> None:
    """What every result satisfies, whatever the model decides."""
    if isinstance(result, str):
        assert result == "" or result.endswith("\n")
        return
    assert all(isinstance(r, LineResult) for r in result)
    numbers = [r.number for r in result]
    assert numbers == sorted(set(numbers)), "line numbers increase"
    for r in result:
        assert "\n" not in r.text and "\r" not in r.text
        assert 0.0 <= r.keep_probability <= 1.0 and isinstance(r.kept, bool)
        assert not (r.blank and r.kept), "blank lines are never kept"


# -- the library -----------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("name", CASES)
def test_library_returns_a_result_or_a_cleaner_error(name, entry):
    case = CASES[name]
    try:
        result = call(entry, case)
    except CleanerError as error:
        # A documented refusal: only binary data is refused, and bytes always say so.
        assert case.binary, f"{name} through {entry}: refused with {error!r}"
        assert isinstance(error, InputError)
        if entry != "process-str":
            assert isinstance(error, BinaryInputError)
        assert str(error)
        return
    assert not case.binary or entry == "process-str", f"{name} through {entry}: binary data was not refused"
    check_result(result)


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case.lines is not None])
def test_text_reader_keeps_every_line(name):
    """Read as text, every line of the input is a result, unchanged (after newline normalisation)."""
    case = CASES[name]
    text = Options(input_format="text")
    results = default_cleaner().classify(case.data, text)
    assert tuple(r.text for r in results) == case.lines
    assert [r.number for r in results] == list(range(1, len(case.lines) + 1))
    assert tuple(r.text for r in default_cleaner().classify(case.as_str, text)) == case.lines
    # clean() renders a subsequence of them.
    kept = [line for line in default_cleaner().clean(case.data, text).splitlines() if line]
    assert is_subsequence(kept, [line for line in case.lines if line])


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case.blocks is not None])
def test_html_reader_finds_the_text(name):
    case = CASES[name]
    texts = [r.text for r in cleaner.classify_html(case.data)]
    assert is_subsequence(case.blocks, texts), texts[:10]
    if not case.blocks:
        assert texts == [] and cleaner.clean_html(case.data) == ""


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if not case.binary and case.text is not None])
def test_bytes_and_str_give_the_same_results(name):
    """The bytes of a page and its decoded text are the same page."""
    case = CASES[name]
    by_bytes = default_cleaner().process(case.data)
    by_str = default_cleaner().process(case.text)
    assert (by_str.input_format, by_str.results) == (by_bytes.input_format, by_bytes.results)


def test_decoding_of_the_matrix():
    assert decode_text(CASES["utf16-le-no-bom"].data).text == ARTICLE
    assert decode_text(CASES["utf16-be-no-bom"].data).text == ARTICLE
    assert decode_text(CASES["invalid-utf8"].data).replaced
    assert not decode_text(CASES["bom-utf16-le"].data).replaced
    latin1 = default_cleaner().process(CASES["latin1-text"].data)  # not UTF-8: read in the encoding it reads best in
    assert not latin1.replaced and latin1.results[0].text == "Un café crème à l'Été."
    assert default_cleaner().process(CASES["latin1-html-meta-charset"].data).input_format == "html"


@pytest.mark.parametrize(
    "charset",
    [
        "rot13",
        "base64",
        "hex",
        "zlib",
        "bz2",
        "uu",
        "quopri",
        "idna",
        "punycode",
        "undefined",
        "unicode_escape",
        "raw_unicode_escape",
        "utf16",
        "UTF-32BE",
        "utf-7",
        "no-such-charset",
        "utf-8(",
        "koi8-r",
        "shift_jis",
    ],
)
@pytest.mark.parametrize("where", ["meta", "xml-declaration"])
def test_a_declared_charset_that_is_not_a_page_encoding(charset, where):
    """Python knows codecs that are no charset (rot13, zlib, idna...): a page declaring one is read as if
    it declared nothing, and a UTF-16/32 declaration in a page readable as ASCII means UTF-8."""
    sentence = "A plain sentence of the page, with \\x41 and \\u0041 in it."
    body = f"<body><h1>Title</h1><p>{sentence}</p></body></html>"
    if where == "meta":
        page = f"<html><head><meta charset={charset}></head>{body}"
    else:
        page = f"<?xml version='1.0' encoding='{charset}'?><html>{body}"
    texts = [r.text for r in cleaner.classify_html(page.encode("ascii"))]
    assert texts == ["Title", sentence]  # the real charsets here (utf-7, koi8-r, shift_jis) read ASCII as ASCII
    assert default_cleaner().process(page.encode("ascii")).input_format == "html"


def test_lone_surrogates_in_a_str_are_replaced():
    """A str may hold lone surrogates (decoded with surrogateescape): they become U+FFFD, no crash."""
    text = b"Un octet \xff cass\xe9.\nDeux.\n".decode("utf-8", "surrogateescape")
    page = default_cleaner().process(text)
    assert page.replaced and page.input_format == "text"
    assert [r.text for r in page.results] == ["Un octet \ufffd cass\ufffd.", "Deux."]
    assert cleaner.clean_html("<p>caf\udce9</p>") in ("", "caf\ufffd\n")


def test_all_boilerplate_gives_empty_output_not_an_error(small_cleaner):
    assert small_cleaner.clean(BOILERPLATE) == ""
    assert small_cleaner.clean_html(BOILERPLATE_HTML) == ""
    results = small_cleaner.classify(BOILERPLATE)
    assert len(results) == len(BOILERPLATE.splitlines()) and not any(r.kept for r in results)


def test_all_article_is_kept_whole(small_cleaner, article_page):
    assert small_cleaner.clean(article_page) == article_page
    paragraphs = article_page.rstrip("\n").split("\n\n")
    html = _html("<article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>")
    # HTML collapses white space.
    assert small_cleaner.clean_html(html) == "\n\n".join(" ".join(p.split()) for p in paragraphs) + "\n"


def test_all_article_through_the_shipped_model(article_page):
    """The shipped model's decisions are not pinned: whatever it keeps is the article's own lines."""
    out = cleaner.clean(article_page)
    assert is_subsequence([line for line in out.splitlines() if line], article_page.splitlines())


# -- huge inputs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_single_line_of_10_mb(entry, ten_mb_line):
    result = call(entry, Case(ten_mb_line, ten_mb_line.decode("ascii")))
    check_result(result)
    if isinstance(result, list):
        assert [r.text for r in result] == ["x" * (len(ten_mb_line) - 1)], "one line, unchanged"
    else:
        assert result in ("", "x" * (len(ten_mb_line) - 1) + "\n")


@pytest.mark.slow
def test_many_short_lines_as_text(many_lines):
    """Through process(bytes) once: clean and classify are that call plus rendering (in bounded
    memory: prediction never builds the wide context matrix, see Model.logits)."""
    count = many_lines.count(b"\n")
    page = default_cleaner().process(many_lines)
    assert page.input_format == "text" and len(page.results) == count
    assert page.results[-1].text == "Ligne 999 du fichier." and page.results[-1].number == count
    check_result(page.results)
    check_result(page.text())
    # Read as HTML, the lines are one block of text (fast).
    blocks = cleaner.classify_html(many_lines)
    assert len(blocks) == 1 and blocks[0].text == " ".join(many_lines.decode("ascii").split())
    check_result(cleaner.clean_html(many_lines))


@pytest.mark.slow
def test_many_short_lines_as_html(many_lines):
    html = b"<html><body>" + many_lines.replace(b"\n", b"<br>\n") + b"</body></html>"
    results = cleaner.classify_html(html)
    assert len(results) == many_lines.count(b"\n") and results[0].text == "Ligne 0 du fichier."
    check_result(results)
