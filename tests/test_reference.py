"""The fast feature code against its definition, :mod:`cleaner.features.reference`, column by column, bit
for bit: on the seeds, on corpus pages, and on generated lines full of odd white space, capitals,
digits, currencies, bullets and links. Also each shortcut the fast code takes (the class table, the
word lists' candidates, the patterns' fast forms, the model's logits without the context matrix)
against the plain form it replaces.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.features import HTML_FEATURE_SETS, TEXT_FEATURE_SETS, FeatureSettings, chars, patterns, reference
from cleaner.features.counts import char_counts
from cleaner.features.lexicon import lexicon_hits
from cleaner.features.markup import MARKUP_FLAGS, TAG_COLUMN, TAG_GROUPS
from cleaner.features.page import repetition_keys
from cleaner.features.registry import feature_matrix, line_feature_matrix, line_feature_names
from cleaner.features.text import pattern_features
from cleaner.features.text_settings import LEXICAL_MAX_CHARS, PATTERN_CAP
from cleaner.features.textbatch import TextBatch
from cleaner.model import Model, Scaling, softmax
from cleaner.read import read_html, read_text
from cleaner.records import Line, PageBatch, ReadPage
from cleaner.render import render_lines

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
GENERATED = settings(max_examples=300, derandomize=True, deadline=None, database=None)

# Characters that exercise every shortcut: kinds of white space, capitals that are and are not
# str.isupper(), letters that change length when lower-cased or case-folded, Unicode digits,
# currencies, bullets, separators and link syntax.
ODD = " \t\xa0\u2028\x0b\x1c\u3000AZÉİßǅⅠⒶΣΑſaz0٣9€$£|•·»›>/–-*+#:.!?,;…«»“”‘’。！\"'()[]@_"
WORDS = [
    "Subscribe", "à lire aussi", "sign up", "signin", "comments", "cookie", "par", "by", "map",
    "publié", "12,50 €", "EUR", "75001 Paris", "(69001)", "SW1A 1AA", "01 23 45 67 89", "2024",
    "http://a.fr/x", "www.b.com", "[lien](http://c.d)", "a@b.fr", "- item", "1. item", "| a | b |",
    "## Titre", "Menu | Sport", "dollars", "5 Ft", "© 2024", "(C)", "(c)", "™", "9:30", "14h05", "7 pm",
    "(1234)", "1012AB", "1012\u00a0AB", "9 PM", "14H05", "3\tam", "12-34", "NY 10001",
]  # fmt: skip
line_text = st.lists(st.one_of(st.sampled_from(WORDS), st.text(alphabet=ODD, max_size=6)), max_size=12).map(
    lambda parts: "".join(parts)
)
page_texts = st.lists(line_text, min_size=1, max_size=12)


def seed_texts(seed_pages) -> list[list[str]]:
    return [[line for line in page.lines if line.strip()] for page in seed_pages]


def corpus_pages(limit: int = 40) -> list[tuple[list[str], list[int], list | None]]:
    """Corpus pages as (texts, numbers, markup): as the segmenter's blocks, and as their text rendering."""
    from cleaner.corpus.pages import iter_corpus_pages

    out = []
    for page in iter_corpus_pages(CORPORA, limit=limit, raw=True):
        blocks = read_html(page.html)
        text = read_text(render_lines(blocks.numbers, blocks.texts))
        out.append((text.texts, text.numbers, None))
        out.append((blocks.texts, blocks.numbers, blocks.markup.marks()))
    return out


def corpus_texts(limit: int = 40) -> list[list[str]]:
    return [texts for texts, _, _ in corpus_pages(limit)]


# -- every column against its definition ----------------------------------------------------------------


def check_page(texts: list[str], numbers: list[int] | None = None, marks: list | None = None) -> None:
    """The fast matrix of a page, column by column, is the reference's, bit for bit."""
    numbers = numbers or [i + 1 + i // 3 for i in range(len(texts))]  # a blank line after every third line
    feature_sets = HTML_FEATURE_SETS if marks is not None else TEXT_FEATURE_SETS
    names = line_feature_names(feature_sets)
    lines = [Line(number, text, mark) for number, text, mark in zip(numbers, texts, marks or [None] * len(texts))]
    matrix = line_feature_matrix(lines, feature_sets, len(names))
    expected = reference.page_columns(texts, numbers, marks, feature_sets)
    assert list(expected) == list(names[1:])
    for name, values in expected.items():
        got = matrix[:, names.index(name)]
        np.testing.assert_array_equal(got, np.array(values, dtype=float), err_msg=f"{name} of {texts!r}")
        assert got.view(np.uint64).tolist() == np.array(values, dtype=float).view(np.uint64).tolist(), name
    page = TextBatch(PageBatch.one(texts, numbers))
    assert repetition_keys(page) == [" ".join(t.split()).casefold() for t in texts]


def test_fast_features_are_the_reference_on_the_seeds(seed_pages):
    for texts in seed_texts(seed_pages):
        check_page(texts)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
def test_fast_features_are_the_reference_on_corpus_pages():
    for texts, numbers, marks in corpus_pages(limit=6):
        check_page(texts, numbers, marks)


@pytest.mark.exhaustive
@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
def test_fast_features_are_the_reference_on_every_corpus_page():
    for texts, numbers, marks in corpus_pages(limit=None):
        check_page(texts, numbers, marks)


@GENERATED
@given(page_texts)
def test_fast_features_are_the_reference_on_generated_lines(texts):
    check_page(texts)


def test_fast_features_are_the_reference_on_edge_cases():
    check_page([""])
    check_page(["", " ", "\t"])
    check_page(["   A:  ", "  \xa0", "x"])
    check_page(["İstanbul 75001 Paris", "ǅ x", "Ⓐ b", "ß  ss", "SS"])
    check_page(["ΟΔΥΣΣΕΑΣ", "οδυσσεας", "ΟΔΥΣΣΕΑΣ Menu", "ſ µ ﬀ", "s μ ff"])
    # Sentence ends: closers after at most one space each, trailing spaces, nothing but closers.
    check_page(["Fin.", "Fin. »", "Fin.  »", "Fin.\u00a0» ) ", "Fin.»»", "»", ". ", "a.b", "Quoi ?!", "…)", "'"])
    check_page(["x" * 2000 + ".", "(1999)", "2024", "12 34 56 78", "A1 2BC", "1.2.2020"])


def test_a_line_that_lower_cases_to_another_length_is_read_on_its_own():
    """A line holding "İ" (two characters lower-cased) keeps the word lists of every line, its own too."""
    check_page(["Subscribe to our newsletter", "Some other line"])
    check_page(["Subscribe to our newsletter", "İstanbul, 9:30, © 2024"])
    names = line_feature_names(TEXT_FEATURE_SETS)
    column = names.index("call_to_action")
    alone = line_feature_matrix([Line(1, "Subscribe to our newsletter")], TEXT_FEATURE_SETS, len(names))
    beside = line_feature_matrix(
        [Line(1, "Subscribe to our newsletter"), Line(2, "İstanbul")], TEXT_FEATURE_SETS, len(names)
    )
    assert alone[0, column] == beside[0, column] == 1.0


def test_markup_columns_map_every_tag_to_one_group():
    assert sum(len(tags) for tags in TAG_GROUPS.values()) == len(TAG_COLUMN)
    names = line_feature_names(HTML_FEATURE_SETS)
    assert [name for name in names if name in MARKUP_FLAGS] == list(MARKUP_FLAGS)


def test_a_batch_of_pages_gets_each_page_its_own_reference():
    pages = [
        ["Accueil | Sport", "Un texte assez long pour être un vrai paragraphe, avec des mots."],
        ["Seul."],
        ["a", "a"],
    ]
    texts = [text for page in pages for text in page]
    numbers = [n for page in pages for n in range(1, len(page) + 1)]
    bounds = np.cumsum([0] + [len(page) for page in pages])
    names = line_feature_names(TEXT_FEATURE_SETS)
    matrix = feature_matrix(PageBatch(texts, numbers, None, bounds.tolist()), TEXT_FEATURE_SETS, len(names))
    for page, start in zip(pages, bounds[:-1]):
        expected = reference.page_columns(page, list(range(1, len(page) + 1)), None, TEXT_FEATURE_SETS)
        for name, values in expected.items():
            assert matrix[start : start + len(page), names.index(name)].tolist() == values, name


# -- the code-point table ------------------------------------------------------------------------------


def test_class_table_is_char_bits_on_every_code_point():
    table = chars.char_class_table()
    for cp in range(chars.TABLE_SIZE + 1):
        assert int(table[cp]) == chars.char_bits(chr(cp)), hex(cp)
    assert chars.char_bits("\U00030000") == chars.LETTER


def test_class_table_agrees_with_python_on_every_code_point():
    """SPACE is str.isspace() (and re's \\s), CASED_UPPER is str.isupper(), DIGIT is re's \\d."""
    table = chars.char_class_table()
    digit = re.compile(r"\d")
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        char = chr(cp)
        bits = int(table[min(cp, chars.TABLE_SIZE)])
        assert bool(bits & chars.SPACE) == char.isspace(), hex(cp)
        assert bool(bits & chars.CASED_UPPER) == char.isupper(), hex(cp)
        assert bool(bits & chars.DIGIT) == (digit.match(char) is not None), hex(cp)


def test_lower_casing_never_shortens_a_character():
    """What lets a batch of pages be lower-cased at once: if the batch keeps its length, every page does."""
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        assert len(chr(cp).lower()) >= 1, hex(cp)


def test_fold_bit_marks_every_character_that_folds_otherwise_than_it_lower_cases():
    """What lets repetition_keys case-fold a line by lower-casing it when it holds no _FOLDS character."""
    table = chars.char_class_table()
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        char = chr(cp)
        marked = bool(int(table[min(cp, chars.TABLE_SIZE)]) & chars.FOLDS)
        assert marked == (char.casefold() != char.lower() or char == "\u03a3"), hex(cp)
    # The capital sigma is the one character whose lower-casing depends on the letters around it.
    assert "ΑΣ".lower() != "ΑΣ".casefold() and "ΣΑ".lower() == "ΣΑ".casefold()


def test_case_folding_neither_makes_nor_removes_white_space():
    """What lets repetition_keys fold the page before collapsing its white space."""
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        char = chr(cp)
        folded = char.casefold()
        assert ("\n" in folded) == (char == "\n"), hex(cp)
        assert any(c.isspace() for c in folded) == char.isspace(), hex(cp)


# -- word lists ---------------------------------------------------------------------------------------


def lexicon_reference(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.lastgroup) for m in patterns.LEXICON.finditer(text)]


def lexicon_fast(text: str) -> list[tuple[int, str]]:
    """The hits as the features find them (:func:`lexicon_hits`, compiled where it is built), and
    through a one-line page's own code path."""
    names = list(patterns.LEXICON_GROUPS)
    found, which = lexicon_hits(text)
    hits = [(at, names[index]) for at, index in zip(found, which)]
    if len(text) <= LEXICAL_MAX_CHARS and text == text.lower():
        page = TextBatch(PageBatch.one([text], [1]))
        counts = pattern_features(page, char_counts(page))
        for name in names:
            assert counts[name][0] == min(sum(1 for _, hit in hits if hit == name), PATTERN_CAP)
    return hits


def test_word_list_scan_finds_what_the_readable_pattern_finds(seed_pages):
    for lines in seed_texts(seed_pages):
        text = "\n".join(lines).lower()
        assert lexicon_fast(text) == lexicon_reference(text)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
def test_word_list_scan_on_corpus_pages():
    for lines in corpus_texts(limit=20):
        text = "\n".join(lines).lower()
        assert lexicon_fast(text) == lexicon_reference(text)


LIST_WORDS = sorted({w for words in patterns.LEXICON_GROUPS.values() for w in re.findall(r"[a-zà-ÿ' ]{2,}", words)})


@GENERATED
@given(st.lists(st.one_of(st.sampled_from(LIST_WORDS), st.text(alphabet=" -'xéà.,_1²\n\U000F0000", max_size=3),
                          st.text(max_size=2)), max_size=15).map("".join))  # fmt: skip
def test_word_list_scan_on_generated_text(text):
    # "_" and "²" are word characters for re's \w but neither letters nor digits; U+F0000 is neither;
    # and any other character.
    assert lexicon_fast(text) == lexicon_reference(text)


def test_factored_alternation_keeps_the_order_of_alternatives():
    assert patterns._trie(["ab", "ac", "b"]) == "(?:a(?:b|c)|b)"
    # An alternative that is not a plain letter first stops the factoring there.
    assert patterns._trie(["sign ?up", "sign ?in", "signaler"]) == "sign(?: ?up| ?in|aler)"
    assert patterns._trie(["x?y", "xz"]) == "(?:x?y|xz)"
    assert patterns._split_alternatives(r"a|b(?:c|d)|e\|f") == ["a", "b(?:c|d)", r"e\|f"]


# -- patterns in their fast forms ---------------------------------------------------------------------

_SP = patterns._SP
# The plain forms of the patterns that are written for speed (word boundary after the first character,
# alternatives grouped by their first character), as one would write them.
PLAIN_FORMS = {
    "DATE": re.compile(
        r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"
        rf"|\b\d{{1,2}}(?:st|nd|rd|th|er)?\.?{_SP}+(?:{patterns._MONTHS})\b"
    ),
    "TIME": re.compile(rf"\b\d{{1,2}}{_SP}?(?:[:h]{_SP}?\d{{2}}\b|[ap]\.?m\b\.?)"),
    "YEAR": re.compile(r"\b(?:19|20)\d\d\b"),
    "POSTCODE": re.compile(
        rf"\(\d{{4,5}}\)|\b\d{{5}}{_SP}+[A-ZÀ-Ý][a-zà-ÿ]|\b[A-Z]{{1,2}}\d[A-Z\d]?{_SP}\d[A-Z]{{2}}\b"
        rf"|\b[A-Z]{{2}}{_SP}\d{{5}}(?:-\d{{4}})?\b|\b[A-Z]\d[A-Z]{_SP}?\d[A-Z]\d\b|\b\d{{4}}{_SP}?[A-Z]{{2}}\b"
    ),
    "MENU_SEPARATOR": re.compile(rf"{_SP}[|•·»›>/–]{_SP}|{_SP}\|{_SP}?|\|{_SP}"),
    # Searched for, not scanned: the same match or none at each place (its month names are factored).
    "MONTH_BEFORE_YEAR": re.compile(rf"\b(?:{patterns._MONTHS})\.?{_SP}+(?:\d{{1,2}}(?:st|nd|rd|th)?,?{_SP}+)?$"),
    "MARKDOWN_LINK": re.compile(r"!?\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)"),
}


def assert_same_matches(text: str) -> None:
    for name, plain in PLAIN_FORMS.items():
        fast = getattr(patterns, name)
        for variant in (text, text.lower()):
            expected = [m.span() for m in plain.finditer(variant)]
            assert [m.span() for m in fast.finditer(variant)] == expected, (name, variant)


def test_fast_forms_of_patterns_on_pages(seed_pages):
    texts = seed_texts(seed_pages) + (corpus_texts(limit=20) if CORPORA.is_dir() else [])
    for lines in texts:
        assert_same_matches("\n".join(lines))


@GENERATED
@given(st.lists(st.one_of(
    st.sampled_from(["2019", "1999", "2024-04-24", "24/04/2019", "1er", "3rd", "avril", "march", "am", "p.m", "h",
                     "9:30", "14h05", "٣", "_", "x", "é", "É", "(69001)", "75001 Paris", "SW1A 1AA", "NY 10001-1234",
                     "K1A 0B1", "1012 AB", "Menu | Sport", " » ", "|", "[a](b)", "![i](s.png)", "![", "march ", "mars",
                     "sept. ", "3rd, "]),
    st.text(alphabet="0129 \t\xa0\n/.-:,ahmpAKNSZ()|»[]!", max_size=4)), max_size=15).map("".join))  # fmt: skip
def test_fast_forms_of_patterns_on_generated_text(text):
    assert_same_matches(text)


def test_character_counts_of_a_very_long_line():
    """A line of two million characters is counted like any other (no count overflows or wraps)."""
    length = 2**21 + 3
    texts = ["É, «a»!?" * (length // 8) + "x" * (length % 8), "Deux mots, 3 €.", ""]
    page = TextBatch(PageBatch.one(texts, [1, 2, 3]))
    assert page.column("letters")[0] == length // 8 * 2 + length % 8
    assert page.column("commas")[0] == length // 8 and page.column("symbols")[1] == 1
    assert page.column("words").tolist() == [len(text.split()) for text in texts]


# -- the model's linear map -----------------------------------------------------------------------------


def context_logits(model: Model, lines: list[Line]) -> np.ndarray:
    """What the JSON weights mean: scaled context features times the weights."""
    return model.features(model.line_matrix(lines)) @ model.coef.T + model.intercept


@pytest.mark.parametrize(("neighbours", "window"), [(0, 0), (1, 0), (0, 3), (2, 5), (3, 12)])
def test_logits_without_the_context_matrix(seed_pages, neighbours, window):
    settings_ = FeatureSettings(TEXT_FEATURE_SETS, neighbours=neighbours, window=window)
    n = len(settings_.feature_names())
    base = len(line_feature_names(TEXT_FEATURE_SETS)) - 1
    rng = np.random.default_rng(0)
    labels = ("body", "heading", "nav")
    scaling = Scaling(rng.normal(size=base), rng.uniform(0.1, 3.0, size=base), 4.0)
    model = Model(settings_, labels, scaling, rng.normal(size=(3, n)), rng.normal(size=3))
    lines = [
        Line(i + 1, text, page=p)
        for p, page in enumerate(seed_pages)
        for i, text in enumerate(t for t in page.lines if t.strip())
    ]
    for subset in (lines, lines[:1], lines[:3], [line for line in lines if line.page == 2]):
        expected = context_logits(model, subset)
        got = model.logits(model.line_matrix(subset))
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(model.predict_proba(subset), softmax(expected), rtol=0, atol=1e-12)


def test_logits_read_the_pages_from_the_batch_as_from_the_page_column(seed_pages, monkeypatch):
    """Prediction gives the model the batch's page starts (empty pages among them); the logits equal
    those found from the page column, bit for bit, whether the rows are multiplied at once or a slice
    at a time."""
    from cleaner.model import regression
    from cleaner.records import PageBatch

    model = Cleaner.load().text_model
    assert model is not None
    texts = [[line for line in page.lines if line.strip()] for page in seed_pages]
    pages = [texts[0], [], texts[1][:1], [], texts[2]]
    texts_all = [line for page in pages for line in page]
    numbers = [number for page in pages for number in range(1, len(page) + 1)]
    bounds = np.cumsum([0] + [len(page) for page in pages]).tolist()
    batch = PageBatch(texts_all, numbers, None, bounds)
    matrix = feature_matrix(batch, model.settings.feature_sets, model.line_columns)
    whole = model.logits(matrix)
    assert np.array_equal(model.logits(matrix, batch.bounds), whole)
    monkeypatch.setattr(regression, "PRODUCT_ROWS", 7)  # a slice of rows at a time
    sliced = model.logits(matrix)
    assert np.array_equal(model.logits(matrix, batch.bounds), sliced)
    np.testing.assert_allclose(sliced, whole, rtol=1e-12, atol=1e-12)  # the same products, maybe not to the last bit


@pytest.mark.parametrize(("neighbours", "window"), [(0, 0), (1, 0), (0, 3), (2, 5), (3, 12)])
def test_context_logits_are_the_reference_bit_for_bit(neighbours, window):
    """The core in use sums a line's context products as the reference does, to the last bit: pages of
    zero, one and a few lines (shorter than the window), and a long one, in one batch."""
    from cleaner.features.context import context_logits, reference_context_logits

    blocks = 1 + 2 * neighbours + (2 if window else 0)
    rng = np.random.default_rng(neighbours * 100 + window)
    bounds = np.cumsum([0, 0, 1, 2, 0, 3, 40, 1])
    products = rng.normal(scale=5.0, size=(bounds[-1], blocks, 3))
    intercept = rng.normal(size=3)
    expected = reference_context_logits(products, intercept, bounds, neighbours, window)
    assert context_logits(products, intercept, bounds, neighbours, window).tobytes() == expected.tobytes()
    for start, stop in zip(bounds[:-1], bounds[1:]):  # a page's values do not depend on its batch
        alone = reference_context_logits(
            products[start:stop], intercept, np.array([0, stop - start]), neighbours, window
        )
        assert alone.tobytes() == expected[start:stop].tobytes()


# -- the second pass's inputs ----------------------------------------------------------------------------


def check_stack(texts: list[str], numbers: list[int], marks: list | None) -> None:
    """The second pass's inputs, from made-up first-pass probabilities, are the reference's, bit for bit,
    on the core in use, alone and in a batch of pages."""
    from cleaner.features.markup import ANCESTOR_SHARES
    from cleaner.features.stacking import FIRST_PASS_LOGIT_CAP, known_stack_names, stack_matrix
    from cleaner.model.regression import keep_probability
    from cleaner.records import MarkupColumns

    labels = ("body", "heading", "nav")
    logits = np.random.default_rng(len(texts)).normal(scale=3.0, size=(len(texts), len(labels)))
    keep = keep_probability(softmax(logits), labels, ("body", "heading"))
    markup = MarkupColumns.of(marks, ANCESTOR_SHARES) if marks is not None else None
    ranges = [m.ancestor_ranges for m in marks] if marks is not None else None
    # The page between two others (a two-line page, and the page itself backwards).
    before, after = texts[:2], texts[::-1]
    two_lines = None if marks is None else [replace(m, ancestor_ranges=()) for m in marks[:2]]
    batch = PageBatch.of([
        ReadPage(numbers[:2], before, None if markup is None else MarkupColumns.of(two_lines, ANCESTOR_SHARES), "text"),
        ReadPage(numbers, texts, markup, "text"),
        ReadPage(numbers, after, None if markup is None else MarkupColumns.of(marks[::-1], ANCESTOR_SHARES), "text"),
    ])  # fmt: skip
    batch_keep = np.concatenate((keep[: len(before)], keep, keep[::-1]))
    for cap in (None, FIRST_PASS_LOGIT_CAP):
        expected = reference.stack_columns(keep.tolist(), texts, numbers, ranges, cap)
        names = list(expected)  # every column, the legacy inputs of earlier models' second pass too
        assert set(names) == known_stack_names(marks is not None)
        fast = stack_matrix(keep, PageBatch.one(texts, numbers, markup), marks is not None, cap, names)
        in_batch = stack_matrix(batch_keep, batch, marks is not None, cap, names)[
            len(before) : len(before) + len(texts)
        ]
        for column, name in enumerate(names):
            assert fast[:, column].tolist() == expected[name], name
            assert in_batch[:, column].tolist() == expected[name], name
        if cap is not None:
            assert np.abs(fast[:, 0]).max(initial=0.0) <= cap


def test_second_pass_inputs_are_the_reference_on_the_seeds(seed_pages):
    for texts in seed_texts(seed_pages):
        check_stack(texts, [i + 1 + i // 3 for i in range(len(texts))], None)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
def test_second_pass_inputs_are_the_reference_on_corpus_pages():
    for texts, numbers, marks in corpus_pages(limit=4):
        if texts:
            check_stack(texts, numbers, marks)


def test_page_signals_read_the_title_and_the_structured_text():
    from cleaner.features.signals import line_signals
    from cleaner.records import PageSignals

    body = "Le gouvernement a présenté mardi un texte très attendu sur les prix. " * 4
    signals = PageSignals(
        title="Un projet de loi sur l'énergie | Le Journal",
        meta_titles=("Un projet de loi sur l’énergie",),
        jsonld=('{"@type": "NewsArticle", "headline": "x", "articleBody": ' + json.dumps(body) + "}",),
    )
    texts = ["Un projet de loi sur l'énergie", "Le Journal", "Le gouvernement a présenté mardi un texte", "Menu"]
    columns = line_signals(texts, signals)
    assert columns["matches_title"] == [1.0, 0.0, 0.0, 0.0]
    assert columns["in_structured_text"] == [0.0, 0.0, 1.0, 0.0]
    assert columns["page_has_structured_text"] == [1.0] * 4
    assert line_signals(texts, PageSignals())["page_has_structured_text"] == [0.0] * 4
