"""The compiled core against its reference: the Cython segmenter (cleaner/read/_segment.pyx) fills the
same Segments as cleaner/read/segment.py, field by field, on corpus pages and on generated HTML, both
through lxml's parser target and through the compiled parse (cleaner/read/_sax.pyx); the
compiled line rules (cleaner/read/_lines.pyx) give what titles.text_key and prose.is_prose give; and
which core runs is what cleaner.core and ``cleaner --version`` say. (The compiled line scan is
checked in tests/test_scan.py.)

CI runs this file a second time with CLEANER_REFERENCE=1: the reference core must then run everywhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path
from shutil import which

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, core
from cleaner.features.textbatch import TextBatch
from cleaner.read import lines, parse, pieces, prose, tags, titles
from cleaner.read.segment import Segmenter
from cleaner.read.segments import Segments
from cleaner.read.tags import BR
from cleaner.records import PageBatch

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
SEGMENT_MODULE = "cleaner.read._segment"
LINES_MODULE = "cleaner.read._lines"
GENERATED = settings(max_examples=500, derandomize=True, deadline=None, database=None)
# Every this many-th page of each corpus in the default run; every page with -m exhaustive.
SAMPLE_STEP = 15

compiled_segment = core._built(SEGMENT_MODULE)
compiled_sax = core._built("cleaner.read._sax")
needs_compiled = pytest.mark.skipif(compiled_segment is None, reason="the compiled core is not built here")
compiled_lines = core._built(LINES_MODULE)
compiled_pieces = core._built("cleaner.read._pieces")
needs_compiled_lines = pytest.mark.skipif(compiled_lines is None, reason="the compiled core is not built here")


def can_compile() -> bool:
    """Whether this machine has what building the extension needs: a C compiler and Python's headers."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return which(compiler) is not None and headers.is_file()


def segments_of(html: str | bytes, segmenter: type, reveal: bool = False, links: bool = False) -> dict:
    """Every field of the Segments one segmenter class makes of a page (through lxml's parser, which
    gives its target's close() whatever the input, an empty one included)."""
    from lxml import etree

    data = html.encode("utf-8", "surrogatepass") if isinstance(html, str) else html
    target = segmenter(reveal, links)
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True, no_network=True, collect_ids=False, target=target)
    found = etree.fromstring(data, parser)  # the target's close()
    return {name: getattr(found, name) for name in Segments.__slots__}


def sax_segments_of(html: str | bytes, reveal: bool = False, links: bool = False) -> dict:
    """Every field of the Segments the compiled parse makes of a page (libxml2's events read in C)."""
    data = html.encode("utf-8", "surrogatepass") if isinstance(html, str) else html
    found = compiled_sax.parse(data, compiled_segment.Segmenter(reveal, links))
    return {name: getattr(found, name) for name in Segments.__slots__}


def check_same_segments(html: str | bytes) -> None:
    for reveal in (False, True):
        for links in (False, True):
            expected = segments_of(html, Segmenter, reveal, links)
            got = segments_of(html, compiled_segment.Segmenter, reveal, links)
            parsed = sax_segments_of(html, reveal, links)
            for name, value in expected.items():
                assert got[name] == value, f"{name} (reveal={reveal}, links={links}) of {html[:300]!r}"
                assert parsed[name] == value, (
                    f"{name} (reveal={reveal}, links={links}, compiled parse) of {html[:300]!r}"
                )


def corpus_htmls(step: int) -> list[str]:
    from cleaner.corpus.pages import iter_corpus_pages

    return [page.html for i, page in enumerate(iter_corpus_pages(CORPORA, raw=True)) if i % step == 0]


# -- equal results ----------------------------------------------------------------------------------


@needs_compiled
@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
@pytest.mark.parametrize("step", [SAMPLE_STEP, pytest.param(1, marks=pytest.mark.exhaustive)], ids=["sample", "all"])
def test_compiled_segmenter_is_the_reference_on_corpus_pages(step):
    htmls = corpus_htmls(step)
    assert len(htmls) > 3800 // step
    for html in htmls:
        check_same_segments(html)


TAGS = ["div", "p", "span", "a", "br", "li", "ul", "table", "td", "tr", "pre", "h2", "script", "noscript",
        "title", "textarea", "style", "dialog", "template", "figcaption", "section", "b", "html", "body", "head",
        "meta"]  # fmt: skip
ATTRIBUTES = [
    "", ' class="nav menu"', ' id="mainContent"', " hidden", ' hidden id="S:1a"', ' style="display: none"',
    ' aria-hidden="true"', ' class="article-body"', ' class="sr-only"', ' class="hidden lg:flex"', ' href=" /x "', " open", ' type="application/ld+json"',
    ' property="og:title" content=" A  title "', ' lang="fr"', ' colspan="2" start="3"', ' class="Caption_credit"',
    ' shadowrootmode="open"', ' href="#top"', ' href=" #x" class="headerlink"', ' class="mw-editsection"',
    ' class="mw-editsection-bracket"', ' role="main"', ' role=" MAIN region"', ' role="mainly"', ' role="tooltip"', ' class="modal fade"', ' class="modal show"',
    ' href="&#x3000;&#x1c;#fn"', ' href="\t#n"', ' href="x#y"',
]  # fmt: skip
TEXTS = [
    "",
    " ",
    "\n  ",
    "Some words.",
    "  spaced\n out\t",
    "a\n\n\nb",
    "&amp; &nbsp;x",
    "é€",
    "\xa0",
    "<!-- c -->",
    "{}",
    "¶",
    "[",
    " # ",
]


@st.composite
def html_pages(draw) -> str:
    """Tag soup: opening and closing tags (not always matched), attributes, text and comments."""
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 2))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            parts.append(f"<{tag}{draw(st.sampled_from(ATTRIBUTES))}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(st.sampled_from(TEXTS)) + draw(st.text(alphabet=" \n\tab.Zé<>&;", max_size=6)))
    return "".join(parts)


@needs_compiled
@GENERATED
@given(html_pages())
def test_compiled_segmenter_is_the_reference_on_generated_html(html):
    check_same_segments(html)


@needs_compiled
@pytest.mark.parametrize("href", ["#top", " #x", "\t#n", "&#x3000;&#x2029;#fn", "x#y", "", " / #"])
def test_compiled_segmenter_reads_permalink_signs_as_the_reference(href):
    # A sign that links within the page is left out, whatever white space comes before the "#".
    check_same_segments(f'<h2>Installing<a href="{href}">¶</a></h2><p>Text<a href="{href}">†</a> here.</p>')


@needs_compiled
@GENERATED
@given(st.text(alphabet=" \n\t\r\x0b\x1c\x85\xa0\u2028\u3000aé€😀.", max_size=12))
def test_compiled_respacing_is_the_reference(text):
    assert compiled_pieces.respaced(text) == lines.respaced(text)


@needs_compiled
@pytest.mark.parametrize("text", ["a  b " * 20_000, " x" * 40_000, "y\n" * 70_000])
def test_compiled_respacing_of_long_texts_is_the_reference(text):
    # The reference re-spaces a text longer than RESPACE_PIECE_CHARS a piece at a time.
    assert len(text) > lines.RESPACE_PIECE_CHARS
    assert compiled_pieces.respaced(text) == lines.respaced(text)


@needs_compiled
@GENERATED
@given(
    st.lists(st.one_of(st.just(BR), st.text(alphabet=" \n\t\xa0ab\u3000.", max_size=5)), max_size=8),
    st.data(),
)
def test_compiled_split_is_the_reference(parts, data):
    links = sorted(data.draw(st.sets(st.integers(0, max(len(parts) - 1, 0)))) if parts else set())
    assert compiled_pieces.split_collapsed(list(parts), links) == pieces.split_collapsed(list(parts), links)


@needs_compiled
@GENERATED
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "nav",
                    "Menu",
                    "share",
                    "comment",
                    "Related",
                    "post",
                    "ad",
                    "i",
                    "elementor",
                    "widget",
                    "tag-",
                    "category-",
                    "hentry",
                ]
            ),
            st.text(alphabet="aZ09_- \tİéΣ\u0660x", max_size=4),
        ),  # fmt: skip
        max_size=6,
    ).map("".join)
)
def test_compiled_hints_are_the_reference(value):
    assert compiled_pieces.hints_of(value) == tags.hints_of(value)


# Characters of each storage a folded text may have (Latin-1 ones among them: "µ" folds to a Greek
# letter, "ß" to two), letters that case-folding changes, digits and numbers of other scripts.
@needs_compiled_lines
@GENERATED
@given(
    st.lists(st.text(alphabet="aZ09_- .\tİßﬁΣς\u0301\u0660\u4e00\u3000'’\U0001f600éÀª²µ\xa0", max_size=12), max_size=6)
)
def test_compiled_text_keys_are_the_reference(texts):
    assert compiled_lines.text_keys(list(texts)) == [titles.text_key(text) for text in texts]


@needs_compiled_lines
def test_compiled_text_keys_of_every_latin_1_character_are_the_reference():
    # The compiled core reads whether a character below 256 is alphanumeric off a table of bits
    # (``read/_unicode.pxd``): each one inside, before and after a word.
    texts = [text for code in range(256) for text in (f"a{chr(code)}b", f"{chr(code)}ab cd{chr(code)}")]
    assert compiled_lines.text_keys(texts) == [titles.text_key(text) for text in texts]


# Lines near the prose rule's edges: words, CJK characters counted two a word, its punctuation, and
# white space of several kinds.
prose_texts = st.lists(
    st.lists(
        st.one_of(
            st.sampled_from(["word", "mot.", "词语", "かな", "。", "，", "\u0964", "!", "?", ";"]),
            st.text(alphabet="a .,\t\n\xa0\u3000\u2028\u4e00\u30a2\uf900\u3400\u0660\u061f\u1362…", max_size=3),
        ),
        max_size=14,
    ).map(" ".join),
    max_size=5,
)


def scan_prose(texts: list[str]) -> list[bool]:
    """The prose flags the features read off the line scan (and the decision rules then reuse)."""
    return TextBatch(PageBatch.one(texts, list(range(1, len(texts) + 1)))).prose().tolist()


@needs_compiled_lines
@GENERATED
@given(prose_texts)
def test_compiled_prose_rule_is_the_reference(texts):
    assert list(compiled_lines.prose_flags(list(texts))) == [int(prose.is_prose(text)) for text in texts]


@GENERATED
@given(prose_texts)
def test_the_line_scans_prose_flags_are_the_prose_rule(texts):
    assert scan_prose(list(texts)) == [prose.is_prose(text) for text in texts]


def test_the_decision_rules_read_the_prose_flags_the_features_made(seed_pages):
    from cleaner.features import feature_matrix

    cleaner = Cleaner.load()
    page = cleaner.read_page("\n".join(seed_pages[0].lines))
    batch = PageBatch.of([page])
    model = cleaner.models.for_page(page)
    feature_matrix(batch, model.settings.feature_sets, model.line_columns)
    made_by_features = prose.PROSE_LINES in batch.derived
    flags = prose.batch_prose(batch)
    assert flags.tolist() == [prose.is_prose(text) for text in batch.texts] and flags.any()
    # The compiled page-context features read the flags off the line scan and leave them for the rules;
    # the reference's compute their own, and the rules then make the batch's.
    assert made_by_features == (core.compiled("cleaner.features._page") is not None)
    assert prose.batch_prose(batch) is flags


def test_a_batch_read_in_parts_keeps_its_parts_prose_flags(seed_pages, monkeypatch):
    from cleaner.features import feature_matrix, registry

    cleaner = Cleaner.load()
    pages = [cleaner.read_page("\n".join(seed.lines)) for seed in seed_pages]
    batch = PageBatch.of(pages)
    model = cleaner.models.for_page(pages[0])
    monkeypatch.setattr(registry, "BATCH_CHARS", 1)  # a page a part
    filled = []
    fill = registry._fill
    monkeypatch.setattr(registry, "_fill", lambda rows, part, sets: filled.append(part.n) or fill(rows, part, sets))
    feature_matrix(batch, model.settings.feature_sets, model.line_columns)
    assert filled == [len(page.texts) for page in pages]
    if core.compiled("cleaner.features._page") is None:  # the reference's features leave no flags
        assert prose.PROSE_LINES not in batch.derived
        return
    # The parts' flags, joined for the whole batch: what the rules would have made.
    flags = batch.derived[prose.PROSE_LINES]
    assert flags.tolist() == [prose.is_prose(text) for text in batch.texts] and prose.batch_prose(batch) is flags


@needs_compiled_lines
@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
def test_compiled_line_keys_and_prose_are_the_reference_on_corpus_lines():
    from cleaner.read import read_html

    for html in corpus_htmls(SAMPLE_STEP * 4):
        texts = list(read_html(html).texts)
        assert compiled_lines.text_keys(texts) == [titles.text_key(text) for text in texts]
        assert list(compiled_lines.prose_flags(texts)) == [int(prose.is_prose(text)) for text in texts]
        assert scan_prose(texts) == [prose.is_prose(text) for text in texts]


@needs_compiled
def test_the_library_segments_with_the_compiled_core_unless_the_reference_is_forced(monkeypatch):
    monkeypatch.delenv(core.REFERENCE_ENV, raising=False)
    assert core.compiled(SEGMENT_MODULE) is compiled_segment
    monkeypatch.setenv(core.REFERENCE_ENV, "1")
    assert core.compiled(SEGMENT_MODULE) is None
    assert "forced" in core.core_description()
    html = "<html><body><div class='main'><p>One paragraph here.</p><p>Another <a href='/x'>link</a>.</p></div>"
    forced = parse.segment(html, links=True)
    monkeypatch.setenv(core.REFERENCE_ENV, "0")
    assert core.compiled(SEGMENT_MODULE) is compiled_segment
    assert core.core_description() == "compiled core (Cython)"
    default = parse.segment(html, links=True)
    assert all(getattr(forced, name) == getattr(default, name) for name in Segments.__slots__)


@needs_compiled
def test_a_core_choice_reads_the_variable_once_for_its_block(monkeypatch):
    monkeypatch.setenv(core.REFERENCE_ENV, "1")
    with core.CoreChoice():
        monkeypatch.setenv(core.REFERENCE_ENV, "0")
        assert core.compiled(SEGMENT_MODULE) is None  # as the variable said when the block began
        with core.CoreChoice():  # an inner block reads it again
            assert core.compiled(SEGMENT_MODULE) is compiled_segment
        assert core.compiled(SEGMENT_MODULE) is None
    assert core.compiled(SEGMENT_MODULE) is compiled_segment  # outside a block: read at each use


@needs_compiled
def test_each_library_call_reads_the_variable_again(monkeypatch):
    cleaner = Cleaner.load()
    page = "A first paragraph of the article, long enough to be kept by the model.\nHome\n"
    monkeypatch.setenv(core.REFERENCE_ENV, "1")
    calls: list[str] = []
    real = core._built

    def built(name):
        calls.append(name)
        return real(name)

    monkeypatch.setattr(core, "_built", built)
    forced = cleaner.clean(page)
    assert calls == []  # the reference ran throughout: no compiled module asked for
    monkeypatch.setenv(core.REFERENCE_ENV, "0")
    assert cleaner.clean(page) == forced
    assert calls  # the compiled core ran in the next call


@pytest.mark.parametrize(
    "compiled",
    [False, pytest.param(True, marks=needs_compiled), pytest.param("parse", marks=needs_compiled)],
    ids=["reference", "compiled", "compiled-parse"],
)
def test_the_segmenter_lets_go_of_the_page_when_it_ends(compiled):
    """Once it has parsed, lxml's parser holds itself and its target in a reference cycle: the page's
    lines must be held by the segments handed over alone, or each page would stay in memory (and
    in the garbage collector's way) until a collection found the cycle."""
    import gc
    from types import FrameType

    from lxml import etree

    target = (compiled_segment.Segmenter if compiled else Segmenter)(False, True)
    page = b"<html><body><div><p>One paragraph here.</p><p>Another one.</p></div>"
    if compiled == "parse":
        found = compiled_sax.parse(page, target)
    else:
        found = etree.fromstring(page, etree.HTMLParser(encoding="utf-8", target=target))
    assert found.text == ["One paragraph here.", "Another one."]
    assert getattr(target, "out", None) is None
    for name in ("text", "owner", "ancestors", "hinted", "nearest", "ends", "links"):
        # A frame that holds the column as a local (under a tracer, say) is not the segmenter.
        holders = [holder for holder in gc.get_referrers(getattr(found, name)) if not isinstance(holder, FrameType)]
        assert holders == [found], name


@pytest.mark.skipif(core._built("cleaner.features._scan") is None, reason="the compiled core is not built here")
def test_compiled_class_table_is_the_reference():
    """The table the compiled core builds from the C API is the one built a code point at a time (and
    tests/test_reference.py checks the one in use against char_bits on every code point)."""
    from cleaner.features import chars

    compiled_table = core._built("cleaner.features._scan").class_table()
    assert compiled_table.dtype == chars.reference_class_table().dtype
    assert compiled_table.tolist() == chars.reference_class_table().tolist()


# -- which core runs ----------------------------------------------------------------------------------


@pytest.mark.skipif(not can_compile(), reason="no C compiler or Python headers: the reference core is expected")
def test_the_compiled_core_is_built_where_it_can_be():
    # pip install -e . / pip install . compile the extensions; a machine that can compile them and has
    # not is a broken install (stale build, setup.py not run), not a slower one.
    missing = [name for name in core.COMPILED_MODULES if core._built(name) is None]
    assert not missing, f"compiled modules missing: {missing}; reinstall with `pip install -e .`"


def test_version_names_the_core_in_use():
    env = {**os.environ, core.REFERENCE_ENV: "1"}
    forced = subprocess.run([sys.executable, "-m", "cleaner", "--version"], capture_output=True, text=True, env=env)
    assert forced.returncode == 0, forced.stderr
    assert forced.stdout.startswith("cleaner ") and "reference core" in forced.stdout
    env[core.REFERENCE_ENV] = "0"
    default = subprocess.run([sys.executable, "-m", "cleaner", "--version"], capture_output=True, text=True, env=env)
    expected = "compiled core" if compiled_segment is not None else "reference core"
    assert expected in default.stdout


@needs_compiled
def test_the_compiled_parse_finds_libxml2_in_lxml():
    assert compiled_sax.available()


@needs_compiled
@pytest.mark.parametrize("html", ["", " ", "\n\t", "<!-- only a comment -->", "<?pi x?>", "<html></html>", "x"])
def test_the_compiled_parse_of_pages_with_next_to_nothing_is_the_reference(html):
    check_same_segments(html)


@needs_compiled
def test_an_error_in_the_segmenter_stops_the_compiled_parse_and_is_raised():
    """libxml2 calls the segmenter from C: an exception raised there stops the parse (no further event
    reaches the segmenter) and is raised by the parse, as lxml raises it."""
    seen = []

    class Failing(compiled_segment.Segmenter):
        def start(self, tag, attrib):
            seen.append(tag)
            if tag == "p":
                raise ValueError("no paragraphs here")
            super().start(tag, attrib)

    with pytest.raises(ValueError, match="no paragraphs here"):
        compiled_sax.parse(b"<html><body><div>One</div><p>Two</p><div>Three</div><p>Four</p>", Failing(False, False))
    assert seen == ["html", "body", "div", "p"]


@needs_compiled
def test_the_compiled_parse_names_tags_and_attributes_as_lxml_does():
    """Names are cached by the pointer libxml2 hands over, checked against their text: upper-case
    names, many names (more than the cache's slots) and names of non-ASCII letters are each read."""
    names = "".join(f'<div class="c{i}" data-Ä{i}="v{i}">x{i}</div>' for i in range(600))
    check_same_segments(f"<HTML><BODY CLASS='Page'>{names}<SECTION ID='Main'><P>Text.</P></SECTION>")


@needs_compiled
def test_pages_are_parsed_through_lxml_where_libxml2_is_not_found(monkeypatch):
    """Where lxml's module does not export libxml2's functions (a build linked otherwise), the compiled
    segmenter reads the page through lxml's parser target: the same segments."""
    html = "<html><body><nav><a href='/'>Home</a></nav><article><h1>Title</h1><p>One paragraph.</p></article>"
    compiled_parse = parse.segment(html, links=True)
    monkeypatch.setattr(compiled_sax, "available", lambda: False)

    def not_here(*args):
        raise AssertionError("the compiled parse ran where libxml2 was not found")

    monkeypatch.setattr(compiled_sax, "parse", not_here)
    through_lxml = parse.segment(html, links=True)
    assert all(getattr(compiled_parse, name) == getattr(through_lxml, name) for name in Segments.__slots__)
    assert through_lxml.text == ["Home", "Title", "One paragraph."]
