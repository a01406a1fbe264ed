"""The line scan (cleaner/features/scan.py): its definition against the plain string operations it stands
for, and the compiled scan (cleaner/features/_scan.pyx) against its definition, column by column, on
corpus lines, on the seeds and on generated text full of odd white space, capitals, digits and marks.
The feature columns read from the scan are checked against the reference in tests/test_reference.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import core
from cleaner.features import patterns
from cleaner.features.chars import char_class_table
from cleaner.features.lexicon import lexicon_forms, lexicon_hits, spelt_out
from cleaner.features.scan import SCAN_COLUMNS, line_scan, scan_line
from cleaner.read import read_html

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
GENERATED = settings(max_examples=500, derandomize=True, deadline=None, database=None)
SCAN_MODULE = "cleaner.features._scan"
compiled_scan = core._built(SCAN_MODULE)
needs_compiled = pytest.mark.skipif(compiled_scan is None, reason="the compiled core is not built here")
FORMS_SPELT = lexicon_forms()  # the word lists as the compiled scan reads them
TYPED_FORMS = compiled_scan.Forms(*FORMS_SPELT) if compiled_scan is not None and FORMS_SPELT is not None else None

ODD = " \t\xa0\u2028\x0b\x1c\u3000\nAZÉİßǅⅠⒶΣΑſaz0٣9€$£|•·»›>/–-*+#:.!?,;…«»“”‘’。！\"'()[]@_hHaApP中かﾃ\U0001f600"
PIECES = ["par ", "By", "cookie", "x_by", "2by", "²by", "75001 Paris", "(69001)", "SW1A 1AA", "1012 AB", "01 23 45 67 89", "9:30", "14h05", "7 pm", "3\tam",
          "Fin. »", "Fin.\xa0» ) ", "## Titre", "- item", "| a |", "  ", "12-34", "NY 10001", "(1234)", "1234 X", "b2"]  # fmt: skip
line_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet=ODD, max_size=6)), max_size=10).map("".join)


def definition(texts: list[str]) -> np.ndarray:
    table = char_class_table().tolist()
    return np.array([scan_line(text, table) for text in texts], dtype=np.int64).reshape(len(texts), len(SCAN_COLUMNS))


def check_compiled(texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled scan of ``texts`` is the definition's, and so are the word lists' hits in them
    (lower-cased, as the features search them)."""
    got = compiled_scan.line_scan(texts, char_class_table())
    expected = definition(texts)
    assert got.shape == expected.shape == (len(texts), len(SCAN_COLUMNS))
    for row, column in np.argwhere(got != expected)[:1].tolist():
        pytest.fail(f"{SCAN_COLUMNS[column]} of {texts[row]!r}: {got[row, column]} != {expected[row, column]}")
    lower = "\n".join(texts).lower()
    got_hits = compiled_scan.lexicon_hits(lower, TYPED_FORMS)
    with monkeypatch.context() as forced:
        forced.setenv(core.REFERENCE_ENV, "1")
        assert got_hits == lexicon_hits(lower)


# -- the definition says what the plain string operations say -----------------------------------------


def column(texts: list[str], name: str) -> list[int]:
    return definition(texts)[:, SCAN_COLUMNS.index(name)].tolist()


@GENERATED
@given(st.lists(line_text, min_size=1, max_size=5))
def test_scan_definition_is_the_string_operations(texts):
    texts = [text.replace("\n", " ") for text in texts]  # a line holds no newline
    assert column(texts, "words") == [len(text.split()) for text in texts]
    assert column(texts, "starts_upper") == [int(text.lstrip()[:1].isupper()) for text in texts]
    assert column(texts, "ends_colon") == [int(text.rstrip().endswith(":")) for text in texts]
    assert column(texts, "leading_space") == [int(text[:1].isspace()) for text in texts]
    assert column(texts, "ends_terminal") == [int(bool(patterns.TERMINAL_END.search(text))) for text in texts]
    assert column(texts, "respace") == [int(" ".join(text.split()) != text) for text in texts]
    # The marks are what every match holds: a line the pattern matches is always marked.
    for name, pattern, lower in [("postcode_mark", patterns.POSTCODE, False), ("phone_mark", patterns.PHONE, False),
                                 ("time_mark", patterns.TIME, True)]:  # fmt: skip
        marked = column(texts, name)
        for text, mark in zip(texts, marked):
            if pattern.search(text.lower() if lower else text):
                assert mark, f"{name} of {text!r}"


def test_scan_of_edge_cases():
    names = ("words", "ends_terminal", "postcode_mark", "phone_mark", "time_mark", "table_start", "bullet_start")
    rows = {text: dict(zip(names, (column([text], name)[0] for name in names))) for text in
            ["", " ", "Fin. »", "»", "75001 Paris", "Lyon (69001)", "01 23 45 67", "9h30", "9 pm", "| a |", " - x"]}  # fmt: skip
    assert rows[""] == dict.fromkeys(names, 0)
    assert rows["Fin. »"]["ends_terminal"] and not rows["»"]["ends_terminal"]
    assert rows["75001 Paris"]["postcode_mark"] and rows["Lyon (69001)"]["postcode_mark"]
    assert rows["01 23 45 67"]["phone_mark"] and rows["9h30"]["time_mark"] and rows["9 pm"]["time_mark"]
    assert rows["| a |"]["table_start"] and rows[" - x"]["bullet_start"] and rows[" - x"]["words"] == 2


# -- the compiled scan is its definition -----------------------------------------------------------------


@needs_compiled
@GENERATED
@given(st.lists(line_text, max_size=8))
def test_compiled_scan_is_the_definition_on_generated_lines(texts):
    with pytest.MonkeyPatch.context() as monkeypatch:  # hypothesis runs the test many times: a context each
        check_compiled(texts, monkeypatch)


@needs_compiled
@settings(GENERATED, max_examples=100)
@given(st.lists(st.lists(line_text, min_size=25, max_size=80).map("".join), min_size=1, max_size=3))
def test_compiled_scan_is_the_definition_on_generated_long_lines(texts):
    """Lines of hundreds of characters: the compiled scan counts eight classes in runs of at most 255
    characters (a byte each), adding each run's counts to the line's."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        check_compiled(texts, monkeypatch)


@needs_compiled
def test_compiled_scan_is_the_definition_across_its_runs(monkeypatch):
    edges = [n + d for n in (255, 510, 765) for d in (-1, 0, 1)]
    texts = [letter * n for n in edges for letter in ("a", "A", "1", " ", "\n", ".", "$", "«", ",", "中")]
    texts += ["Ab1 .$«,中\n" * 100, "x" * 254 + "Σ9 €", ("word " * 60).rstrip(), "\u3000" * 300 + "end."]
    check_compiled(texts, monkeypatch)


@needs_compiled
def test_compiled_scan_is_the_definition_on_the_seeds(seed_pages, monkeypatch):
    check_compiled([line for page in seed_pages for line in page.lines], monkeypatch)


@needs_compiled
@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
@pytest.mark.parametrize("step", [15, pytest.param(1, marks=pytest.mark.exhaustive)], ids=["sample", "all"])
def test_compiled_scan_is_the_definition_on_corpus_lines(step, monkeypatch):
    from cleaner.corpus.pages import iter_corpus_pages

    for index, page in enumerate(iter_corpus_pages(CORPORA, raw=True)):
        if index % step == 0:
            check_compiled(list(read_html(page.html).texts), monkeypatch)


# The words of the lists as the compiled scan spells them out, and what may stand around them: word
# characters re's \w holds though they are no letters or digits ("_", "²"), private-use characters
# (no word characters), CJK ones (word characters), hyphens and apostrophes inside words; and
# characters that make Python store a str with one, two or four bytes a code point (the compiled
# scan has a loop for each).
FORMS = sorted({text for words in patterns.LEXICON_GROUPS.values() for alt in patterns._split_alternatives(words)
                for text, _ in spelt_out(alt)})  # fmt: skip
AROUND = " -'xéà.,_1²\n\U000f0000\U00030000sS\u0151\u4e2d\ue000"
lexicon_text = st.lists(st.one_of(st.sampled_from(FORMS), st.text(alphabet=AROUND, max_size=3)), max_size=15).map(
    "".join
)


def readable_hits(text: str) -> tuple[list[int], list[int]]:
    """The hits as ``patterns.LEXICON.finditer`` finds them (the definition)."""
    names = list(patterns.LEXICON_GROUPS)
    found = [(m.start(), names.index(m.lastgroup)) for m in patterns.LEXICON.finditer(text)]
    return [at for at, _ in found], [index for _, index in found]


@needs_compiled
@GENERATED
@given(lexicon_text)
def test_compiled_word_list_hits_are_the_readable_patterns(text):
    assert compiled_scan.lexicon_hits(text, TYPED_FORMS) == readable_hits(text)


@needs_compiled
def test_compiled_word_list_hits_where_optional_parts_and_word_ends_decide():
    for text in ["sign up signup sign-up", "abonnez-vous abonnez-vousx abonnez_", "cookies cookie cookiesx",
                 "inscription inscri_x", "terms of use terms of service terms of", "x_by 2by \u00b2by aby by",
                 "\U000f0000by \U00030000by", "by", "", "read more\nmore from", "kommentare kommentar"]:  # fmt: skip
        assert compiled_scan.lexicon_hits(text, TYPED_FORMS) == readable_hits(text), text


@needs_compiled
def test_compiled_word_ends_are_re_s_for_every_latin_1_character():
    # The compiled core reads whether a character below 256 is a word character off a table of bits
    # (``read/_unicode.pxd``): before and after a word, each one ends the word or not as re's \w says.
    for code in [*range(256), 0x100, 0x2C6, 0x4E2D, 0xE000, 0x1D7CE]:
        c = chr(code)
        for text in (f"{c}cookie by", f"x cookie{c} by", f"{c}by{c}sign up", f"{c}\u0151by"):
            assert compiled_scan.lexicon_hits(text, TYPED_FORMS) == readable_hits(text), (hex(code), text)


def test_word_list_hits_without_the_spelt_out_lists_are_the_same(monkeypatch):
    # A word the compiled scan cannot spell out leaves it aside: the hits are found the slower way.
    from cleaner.features import lexicon

    text = "sign up to read more\nterms of use by x_by cookies"
    expected = readable_hits(text)
    assert lexicon.lexicon_hits(text) == expected
    monkeypatch.setattr(lexicon, "lexicon_forms", lambda: None)
    assert lexicon.lexicon_hits(text) == expected


def test_word_lists_are_spelt_out_in_the_order_re_tries_them():
    assert spelt_out("sign ?up") == [("sign up", False), ("signup", False)]
    assert spelt_out("abonnez(?:-vous)?") == [("abonnez-vous", False), ("abonnez", False)]
    assert spelt_out("terms of (?:use|service)") == [("terms of use", False), ("terms of service", False)]
    assert spelt_out("inscri\\w*") == [("inscri", True)]
    for unsupported in ["a+b", "a*", "[ab]", "a.b", "(?:a\\w*)", "a{2}", "(?:ab"]:
        with pytest.raises(ValueError):
            spelt_out(unsupported)
    # Every word of the lists is spelt out (or the compiled scan would not run), and every form is
    # matched whole by its own list's pattern.
    forms = lexicon_forms()
    assert forms is not None
    lists = [re.compile(rf"(?:{words})(?!\w)") for words in patterns.LEXICON_GROUPS.values()]
    for f in range(len(forms.tails)):
        text = "".join(map(chr, forms.codes[forms.starts[f] : forms.starts[f + 1]]))
        match = lists[forms.lists[f]].match(text + ("x" if forms.tails[f] else ""))
        assert match is not None and match.end() == len(text) + int(forms.tails[f]), text


@needs_compiled
def test_line_scan_runs_the_compiled_scan_unless_the_reference_is_forced(monkeypatch):
    texts = ["Lyon (69001) : 12,50 € le kilo.", "", "  ## Menu | Sport"]
    monkeypatch.delenv(core.REFERENCE_ENV, raising=False)
    assert core.compiled(SCAN_MODULE) is compiled_scan
    default = line_scan(texts)
    monkeypatch.setenv(core.REFERENCE_ENV, "1")
    assert core.compiled(SCAN_MODULE) is None
    np.testing.assert_array_equal(line_scan(texts), default)
