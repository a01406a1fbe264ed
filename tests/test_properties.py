"""Properties of cleaning that hold for any input, checked on generated text and markup (hypothesis).

* Text: every kept line is a line of the input (after newline normalisation), unchanged, in the
  input's order; every input line gets a result; bytes and str give the same results.
* HTML: every line is the text of a block of the page (one of :func:`segment_html`'s lines, in
  order), and every kept line one of them.
* Cleaning is deterministic, and cleaning the cleaned text again removes little (measured on the
  seed pages and on corpus pages rendered to text).

The runs are deterministic (``derandomize=True``, no example database) so that CI sees the same
examples every time. Decisions of the shipped model are never pinned: it is retrained as the training
data grows.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import BinaryInputError, Cleaner, CleanerError, LineResult, Options
from cleaner.api import default_cleaner
from cleaner.read import read_html, segment_html
from cleaner.read.lines import split_lines
from cleaner.read.sniff import text_binary_kind
from cleaner.render import render_text

ROOT = Path(__file__).resolve().parents[1]
TEXT = Options(input_format="text")

# Deterministic, database-less, modest: the whole file runs in about 20 seconds.
PROPERTIES = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)


@pytest.fixture(scope="module")
def shipped() -> Cleaner:
    return default_cleaner()


# -- generated text ----------------------------------------------------------------------------------

# Letters of several scripts, digits, punctuation that matters to the features (|, », ©, :, @, #),
# white space of all kinds and control characters (but not the line breaks, added separately).
_CHARACTERS = st.one_of(
    st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"()-|/»«©@#&*_")),
    st.sampled_from(
        list("éèàçÉœßñüøåЖжДдαβγ中文日本語한국어العربية עברית\u00a0\u2009\u3000\t\x0b\x0c\x1c\x85\u2028\u2029")
    ),
    st.sampled_from(list("\x00\x01\x07\x1b\x7f\ufeff\ufffd\u200b\u200e\u202e\U0001f600\U0010ffff")),
    st.characters(exclude_categories=("Cs",), exclude_characters="\r\n"),
)
_LINE = st.text(_CHARACTERS, max_size=120)
_NEWLINES = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\n\r"])


@st.composite
def texts(draw) -> str:
    """A page of text: lines of any characters, joined by LF, CRLF, CR and mixes, maybe unterminated."""
    lines = draw(st.lists(_LINE, max_size=40))
    out = []
    for line in lines:
        out.append(line)
        out.append(draw(_NEWLINES))
    if out and draw(st.booleans()):
        out.pop()  # no newline at the end
    return "".join(out)


def normalised_lines(text: str) -> list[str]:
    """The lines of ``text`` with CRLF and CR read as LF, as the cleaner reads them."""
    return split_lines(text)


def is_subsequence(items: list[str], sequence: list[str]) -> bool:
    remaining = iter(sequence)
    return all(any(item == candidate for candidate in remaining) for item in items)


def kept_lines(output: str) -> list[str]:
    """The kept lines of a cleaned page; checks that everything else is one blank line between them."""
    if not output:
        return []
    assert output.endswith("\n")
    lines = output[:-1].split("\n")
    assert lines[0] and lines[-1], "no blank line at the start or the end"
    assert all(a or b for a, b in zip(lines, lines[1:])), "never two blank lines in a row"
    return [line for line in lines if line]


def check_text_page(cleaner: Cleaner, text: str, options: Options = TEXT) -> None:
    if text_binary_kind(text) is not None:  # mostly control characters: refused, as bytes are
        with pytest.raises(BinaryInputError):
            cleaner.classify(text, options)
        return
    results = cleaner.classify(text, options)
    lines = normalised_lines(text)
    assert [r.text for r in results] == lines, "every line of the input gets a result, unchanged"
    assert [r.number for r in results] == list(range(1, len(lines) + 1))
    output = cleaner.clean(text, options)
    kept = kept_lines(output)
    assert kept == [r.text for r in results if r.kept]
    assert is_subsequence(kept, [line for line in lines if line.strip()])
    assert all(line.strip() for line in kept), "blank lines are never kept"


@PROPERTIES
@given(texts())
def test_text_kept_lines_are_input_lines(shipped, text):
    check_text_page(shipped, text)


@PROPERTIES
@given(texts())
def test_text_kept_lines_are_input_lines_small_model(small_cleaner, text):
    check_text_page(small_cleaner, text, Options(input_format="text", threshold=0.3))


@PROPERTIES
@given(texts())
def test_text_as_bytes_and_str_agree(shipped, text):
    if text_binary_kind(text) is not None:  # binary data decoded as text is refused
        with pytest.raises(BinaryInputError):
            shipped.process(text, TEXT)
        return
    as_str = shipped.process(text, TEXT)
    as_bytes = shipped.process(text.encode("utf-8"), TEXT)
    assert as_bytes.results == as_str.results and not as_bytes.replaced


@PROPERTIES
@given(st.text(max_size=300))
def test_any_str_with_format_sniffing(shipped, text):
    """Whatever the sniffer decides, the result is one of the two readings of the page."""
    page = shipped.process(text)
    kept = kept_lines(page.text())
    if page.input_format == "text":
        assert is_subsequence(kept, normalised_lines(text))
    else:
        assert is_subsequence(kept, [line.text for line in segment_html(text)])


@PROPERTIES
@given(st.binary(max_size=400))
def test_any_bytes_give_a_result_or_a_cleaner_error(shipped, data):
    for call in (shipped.process, shipped.clean, shipped.clean_html, lambda d: shipped.process(d, TEXT)):
        try:
            call(data)
        except CleanerError:
            pass


# -- generated markup --------------------------------------------------------------------------------

TAGS = [
    "p",
    "div",
    "a",
    "li",
    "ul",
    "ol",
    "script",
    "style",
    "br",
    "span",
    "h2",
    "pre",
    "table",
    "td",
    "b",
    "blockquote",
    "title",
    "textarea",
    "nav",
    "article",
    "noscript",
    "template",
    "dialog",
]
ATTRIBUTES = [
    "",
    " hidden",
    " style='display:none'",
    ' style="visibility: hidden"',
    " class=comment",
    " class='article-body'",
    " id=nav",
    " aria-hidden=true",
    " class='hidden'",
    " class='d-none d-md-block'",
    " href='/x'",
    " open",
    " shadowrootmode=open",
    ' class="a b"',
]
ENTITIES = [
    "&amp;",
    "&lt;",
    "&gt;",
    "&nbsp;",
    "&eacute;",
    "&#233;",
    "&#x20AC;",
    "&#0;",
    "&#x110000;",
    "&#xD800;",
    "&bogus;",
    "&",
    "&#",
    "&amp",
]
_WORDS = st.text(
    st.one_of(st.sampled_from(list("abcdefg xyz.,;!?|»éЖ中\t\n\r")), st.characters(exclude_categories=("Cs",))),
    max_size=40,
)


@st.composite
def markup(draw, depth: int = 0) -> str:
    """HTML-ish text from a small grammar: nested tags with attributes, text, entities, stray and broken
    closing tags, unclosed elements, comments."""
    parts = []
    for _ in range(draw(st.integers(0, 5 if depth < 4 else 2))):
        kind = draw(st.integers(0, 9 if depth < 8 else 4))
        if kind <= 1:
            parts.append(draw(_WORDS))
        elif kind == 2:
            parts.append(draw(st.sampled_from(ENTITIES)))
        elif kind == 3:  # a stray or broken closing tag
            tag = draw(st.sampled_from(TAGS))
            parts.append(draw(st.sampled_from([f"</{tag}>", f"</{tag}", f"</ {tag}>", "</>", f"<{tag}/>"])))
        elif kind == 4:
            parts.append(draw(st.sampled_from(["<br>", "<br/>", "<!-- a comment -->", "<!--", "<![CDATA[x]]>", "<"])))
        else:
            tag = draw(st.sampled_from(TAGS))
            attribute = draw(st.sampled_from(ATTRIBUTES))
            inner = draw(markup(depth + 1))
            close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", f"</{tag}>", "", f"</{tag}", f"</{tag.upper()}>"]))
            parts.append(f"<{tag}{attribute}>{inner}{close}")
    return "".join(parts)


@st.composite
def pages(draw) -> str:
    body = draw(markup())
    frame = draw(
        st.sampled_from(
            [
                "{}",
                "<html><body>{}</body></html>",
                "<!DOCTYPE html><html><head><meta charset=utf-8><title>t</title></head><body>{}</body></html>",
                "<div>{}",
            ]
        )
    )
    return frame.format(body)


def check_html_page(cleaner: Cleaner, page: str | bytes) -> None:
    blocks = [line.text for line in segment_html(page)]
    assert all(text.strip() and "\n" not in text and "\r" not in text for text in blocks)
    results: list[LineResult] = cleaner.classify_html(page)
    assert [r.text for r in results] == blocks, "every line is a block of the page, in order"
    kept = kept_lines(cleaner.clean_html(page))
    assert kept == [r.text for r in results if r.kept]
    assert is_subsequence(kept, blocks)


@PROPERTIES
@given(pages())
def test_html_kept_lines_are_blocks_of_the_page(shipped, page):
    check_html_page(shipped, page)
    check_html_page(shipped, page.encode("utf-8"))


@PROPERTIES
@given(pages())
def test_html_small_model(small_cleaner, page):
    check_html_page(small_cleaner, page)


@PROPERTIES
@given(pages())
def test_hidden_and_script_text_never_appears(shipped, page):
    """Text inside script/style is never a line, and text in a hidden element only when the page is
    read with its hidden content revealed (it would be (nearly) empty otherwise: see REVEAL_SHARE). A
    marker word shows it; it goes first in the body, where no broken markup of the page comes before it."""
    for hidden, revealable in (
        ("<script>var MARKER = 1;</script>", False),
        ("<style>.MARKER { }</style>", False),
        ("<div hidden>MARKER</div>", True),
        ("<p style='display:none'>MARKER</p>", True),
        ("<span aria-hidden=true>MARKER</span>", True),
        ("<div class='modal hide'>MARKER</div>", True),
    ):
        at = page.index("<body>") + len("<body>") if "<body>" in page else 0
        marked = page[:at] + hidden + page[at:]
        read = read_html(marked)
        shown = any("MARKER" in text for text in read.texts)
        assert not shown or (revealable and read.signals.revealed), marked


# What a page's head and byline may say (read by the metadata), well formed or not.
HEAD_SIGNALS = [
    "",
    '<script type="application/ld+json">{"@type":"NewsArticle","headline":"H","articleBody":"Body text.",'
    '"author":{"name":["A","B"]},"datePublished":"2020-13-45"}</script>',
    '<script type="application/ld+json">[{"@graph":[{"@type":"DiscussionForumPosting","comment":[{}]}]}]</script>',
    '<script type="application/ld+json">{"a":</script>',
    "<meta property='og:title' content='Titre'><meta name=author content=''><link rel=canonical href='::'>",
    "<time datetime='2021-02-30'>hier</time><span class='byline author'>Par Jean</span>",
    "<p class='date'>24 avril 2019</p><a rel=author href=/a>\u212aelvin</a>",
]


@PROPERTIES
@given(pages(), st.sampled_from(HEAD_SIGNALS), st.sampled_from(["utf-8", "utf-16", "cp1252", "shift_jis"]))
def test_documents_of_any_page_give_metadata_and_markdown(shipped, page, signals, encoding):
    """The document of a page (its metadata, its Markdown) is made for any markup and any encoding, or
    the library says why not (a CleanerError); its Markdown is empty only when its text is."""
    source = signals + page
    for given_page in (source, source.encode(encoding, errors="replace")):
        try:
            document = shipped.extract(given_page, Options(input_format="html"), url="http://example.com/a")
        except CleanerError:
            continue
        assert isinstance(document.markdown, str)
        assert all(value is None or isinstance(value, str) for value in asdict(document.metadata).values())
        assert not document.text.strip() or document.markdown.strip()


# -- determinism -------------------------------------------------------------------------------------


@PROPERTIES
@given(st.one_of(texts(), pages()))
def test_cleaning_is_deterministic(shipped, page):
    first = shipped.process(page)
    again = shipped.process(page)
    assert first == again
    assert shipped.clean(page) == shipped.clean(page) == first.text()


# Python salts the hashes of str per process (PYTHONHASHSEED): anything that followed a set's order of
# class words, tags or feature names would make two runs of the same command disagree. Run in two
# processes with two salts: the labels, probabilities, text, Markdown and metadata of the seed pages and
# of corpus pages, and a model trained on the seeds, must come out the same.
_FINGERPRINT = """
import hashlib, json, sys
from pathlib import Path
from cleaner import Cleaner, Options
from cleaner.corpus.pages import CORPORA, iter_corpus_pages
from cleaner.features import TEXT_FEATURE_SETS, FeatureSettings
from cleaner.model.file import to_json_dict
from cleaner.training import dataset_from_labeled, train
from cleaner.training.labeled import read_labeled_pages

seeds, texts, corpora = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
cleaner, digest = Cleaner.load(), hashlib.sha256()
for path in sorted(texts.glob("*.txt")):
    found = cleaner.classify(path.read_bytes())
    digest.update(repr([(r.text, r.label, r.keep_probability) for r in found]).encode())
pages = list(iter_corpus_pages(corpora, list(CORPORA), 4)) if corpora.is_dir() else []
for page in pages:
    found = cleaner.classify_html(page.html)
    digest.update(repr([(r.text, r.label, r.keep_probability, r.kept) for r in found]).encode())
    digest.update(repr(cleaner.extract(page.html, Options(input_format="html"))).encode())
    digest.update(cleaner.markdown(page.html, links=True).encode())
model = train(dataset_from_labeled(read_labeled_pages([seeds])), FeatureSettings(TEXT_FEATURE_SETS),
              cross_validate=False, trained_at="2000-01-01T00:00:00Z")
digest.update(json.dumps(to_json_dict(model), sort_keys=True).encode())
print(len(pages), digest.hexdigest())
"""


def test_results_do_not_depend_on_the_hash_salt_of_the_process(seeds_dir, seed_text_files):
    import subprocess
    import sys

    corpora = ROOT.parent / "shared" / "corpora"
    runs = []
    for salt in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": salt}
        done = subprocess.run(
            [sys.executable, "-c", _FINGERPRINT, str(seeds_dir), str(seed_text_files["000"].parent), str(corpora)],
            env=env, capture_output=True, text=True, check=True, timeout=600,
        )  # fmt: skip
        runs.append(done.stdout.split())
    assert runs[0] == runs[1]
    assert int(runs[0][0]) == (36 if corpora.is_dir() else 0)


def test_a_fresh_cleaner_gives_the_same_output(seed_text_files):
    fresh = Cleaner.load()
    for path in seed_text_files.values():
        data = path.read_bytes()
        assert fresh.clean(data) == default_cleaner().clean(data)


# -- cleaning the cleaned text -------------------------------------------------------------------------

# Corpus pages per corpus (5 corpora): a few hundred pages in all.
CORPUS_PAGES = 60
# Measured (2026-11-21) on the 5 seeds and 300 corpus pages rendered to text: the second pass keeps on
# average 99.8% of the first pass's characters with the seed-trained model, 98.2% and 98.6% with two
# successive shipped models (whose decisions change as they are retrained; hence the lower floor).
SECOND_PASS_FLOOR_SMALL = 0.97
SECOND_PASS_FLOOR_SHIPPED = 0.90


def corpora_folder() -> Path | None:
    folder = Path(os.environ.get("CLEANER_CORPORA", "") or ROOT.parent / "shared" / "corpora")
    return folder if folder.is_dir() and any(folder.glob("*.jsonl.gz")) else None


@pytest.fixture(scope="module")
def rendered_pages(seed_pages) -> list[str]:
    """The seed pages, and corpus pages rendered to text (when the corpora are present)."""
    texts = [page.original_text() for page in seed_pages]
    folder = corpora_folder()
    if folder is not None:
        from cleaner.corpus.pages import CORPORA, CORPUS_FILE, iter_corpus_pages

        names = [name for name in CORPORA if (folder / CORPUS_FILE.format(name=name)).is_file()]
        for page in iter_corpus_pages(folder, names, limit=CORPUS_PAGES, raw=True):
            texts.append(render_text(segment_html(page.html)))
    return texts


def second_pass_share(cleaner: Cleaner, texts: list[str]) -> tuple[float, int]:
    """Mean over pages of (characters kept by cleaning the cleaned text) / (characters of the cleaned
    text), over the pages whose first pass keeps something; and the number of those pages."""
    shares = []
    for text in texts:
        first = cleaner.clean(text, TEXT)
        if not first.strip():
            continue
        second = cleaner.clean(first, TEXT)
        assert is_subsequence(kept_lines(second), kept_lines(first)), "the second pass only removes"
        shares.append(len(second) / len(first))
    return sum(shares) / len(shares), len(shares)


def test_cleaning_again_removes_little(small_cleaner, rendered_pages):
    share, pages_measured = second_pass_share(small_cleaner, rendered_pages)
    print(f"seed-trained model: the second pass keeps {share:.4f} of the first's characters ({pages_measured} pages)")
    assert share >= SECOND_PASS_FLOOR_SMALL


def test_cleaning_again_removes_little_shipped_model(shipped, rendered_pages):
    share, pages_measured = second_pass_share(shipped, rendered_pages)
    print(f"shipped model: the second pass keeps {share:.4f} of the first's characters ({pages_measured} pages)")
    assert share >= SECOND_PASS_FLOOR_SHIPPED


def test_corpus_pages_are_present_or_skipped():
    """Says, in the test report, whether the corpus measurement ran."""
    if corpora_folder() is None:
        pytest.skip("corpora folder absent: the second-pass figures use the seed pages only")


_SPACED = st.lists(st.sampled_from(["a", "bc", " ", "  ", "\t", "\n", "\xa0", "\u3000", "\x1f", "é"]), max_size=40)


@PROPERTIES
@given(_SPACED.map("".join), st.integers(1, 6))
def test_a_long_text_is_respaced_in_pieces_as_whole(text: str, piece: int):
    """Long lines are re-spaced a piece at a time (a word never cut): the same text as split() of it whole."""
    from unittest import mock

    from cleaner.read import lines

    with mock.patch.object(lines, "RESPACE_PIECE_CHARS", piece):
        assert lines.respaced(text) == " ".join(text.split())
