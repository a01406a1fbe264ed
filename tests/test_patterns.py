"""The compiled finds of the text features' patterns (cleaner/features/_patterns.pyx, with _dates.pyx) against their
definitions, the regular expressions of cleaner.features.patterns: the same start offsets as
``finditer``, on corpus lines, the seeds, hand-made cases where a backtrack or a word boundary decides,
and generated text full of digits, separators, month names, near-dates, near-times, near-postcodes,
phone numbers, menus, months before years and characters that are word characters for re without
being letters.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import core
from cleaner.features import patterns
from cleaner.features.chars import MENU_MARK_CHARS
from cleaner.read import read_html

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
GENERATED = settings(max_examples=1000, derandomize=True, deadline=None, database=None)
PATTERNS_MODULE = "cleaner.features._patterns"
compiled_patterns = core._built(PATTERNS_MODULE)
pytestmark = pytest.mark.skipif(compiled_patterns is None, reason="the compiled core is not built here")

# Each compiled find, and the regex it stands for.
FINDS = [
    ("date_starts", patterns.DATE),
    ("year_starts", patterns.YEAR),
    ("time_starts", patterns.TIME),
    ("postcode_starts", patterns.POSTCODE),
    ("phone_starts", patterns.PHONE),
    ("menu_separator_starts", patterns.MENU_SEPARATOR),
    ("currency_word_starts", patterns.CURRENCY_WORD_HINT),
]


def check(text: str) -> None:
    for name, pattern in FINDS:
        expected = [match.start() for match in pattern.finditer(text)]
        assert getattr(compiled_patterns, name)(text) == expected, f"{name} of {text!r}"
    years = [match.start() for match in patterns.YEAR.finditer(text)]
    month_years = [
        start
        for start in years
        if patterns.MONTH_BEFORE_YEAR.search(text, max(0, start - patterns.MONTH_LOOKBACK), start)
    ]
    assert compiled_patterns.month_year_starts(text) == month_years, f"month_year_starts of {text!r}"


# Pieces of dates and what stands around them: digits of other scripts (Arabic-Indic "٣", which \d
# holds, and "²", a word character that is no decimal digit), "_", separators, ordinal suffixes,
# white space of several kinds (a newline is never inside a match), month names whole, cut short and
# run on, and characters that make Python store a str with one, two or four bytes a code point.
PIECES = [*patterns.MONTH_NAMES, *patterns.DATE_SUFFIXES, *patterns.CURRENCY_HINT_WORDS, "2019-04-24", "24/04/2019",
          "4.24.19", "1999", "2024", "20245", "19", "20", "marchx", "mai2", "mayo", "sept.", "euros", "Ft", "CHFt"]  # fmt: skip
AROUND = "0123456789٣²_/.-: \t\xa0\u3000\n,xaéß\U0001f600"
number_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet=AROUND, max_size=4)), max_size=14).map(
    "".join
)
# Near-dates, each of the shape of one of DATE's alternatives but with parts that may break it: digits
# of other scripts or too many of them, a suffix, a dot or white space that is not there or is a
# newline, a month name cut short or run on, a word character glued before or after.
DIGITS = st.text(alphabet="0129", min_size=1, max_size=5) | st.text(alphabet="0129٣²", min_size=1, max_size=3)
SEPARATOR = st.sampled_from(["/", ".", "-", "/", ".", "-", ":", " "])
SUFFIX = st.sampled_from(["", "", *patterns.DATE_SUFFIXES, "s", "."])
SPACES = st.sampled_from([" ", " ", "  ", "\t", "\xa0", "\u3000", "", "\n", ". "])
MONTHISH = st.sampled_from(patterns.MONTH_NAMES).flatmap(
    lambda name: st.sampled_from([name, name, name[:-1], name + "x", name + "2"])
)
EDGE = st.sampled_from(["", "", " ", ",", "\n", "x", "_", "²", "٣"])
month_date = st.tuples(EDGE, DIGITS, SUFFIX, SPACES, MONTHISH, EDGE)
numeric_date = st.tuples(EDGE, DIGITS, SEPARATOR, DIGITS, SEPARATOR, DIGITS, EDGE)
YEARISH = st.sampled_from(["2019", "1999", "2024", "201", "20190", "2٣19", "1899", "²019"])
TWO = st.sampled_from(["04", "12", "4", "123", "٣1", "0²"])
iso_date = st.tuples(EDGE, YEARISH, st.sampled_from(["-", "-", "/"]), TWO, st.sampled_from(["-", "-", "."]), TWO, EDGE)
near_date = st.one_of(month_date, numeric_date, iso_date).map("".join)
date_text = st.lists(near_date, min_size=1, max_size=3).map("".join)
# Near-times and near-postcodes, built the same way on TIME's and POSTCODE's alternatives: "9:30",
# "14h05", "9 a.m."; "(69001)", "75001 Paris", "1012 AB", "SW1A 1AA", "NY 10001-1234", "K1A 0B1".
TIME_MARK = st.sampled_from([":", "h", ": ", "h ", "a", "p", "a.", "p.", "x", ""])
TIME_END = st.sampled_from(["00", "30", "5", "305", "m", "m.", ".m", "mx", "m٣", "٣0", ""])
near_time = st.tuples(EDGE, DIGITS, SPACES, TIME_MARK, TIME_END, EDGE)
# Each piece mostly of the length its alternative wants, sometimes one more or less, or broken.
CAPITAL = st.sampled_from(["A", "K", "S", "W", "Z", "N", "Y", "É", "Ý", "Þ", "a", "1", ""])  # ASCII or not
CAPITALS = st.sampled_from(["AB", "AA", "NY", "A", "ABC", "Aa", "ÉA", "A²"])
LOWER = st.sampled_from(["a", "aris", "é", "ÿ", "÷", "A", "1"])
ONE = st.sampled_from(["1", "1", "0", "12", "٣", "²", ""])
THREE, FIVE = (
    st.sampled_from(["101", "101", "1012", "10", "1٣1"]),
    st.sampled_from(["75001", "75001", "7500", "750012", "75٣01"]),
)
bracketed_postcode = st.tuples(st.just("("), FIVE | THREE, st.sampled_from([")", ")", "", "x"]))
numeric_postcode = st.tuples(FIVE | THREE, SPACES, CAPITAL, LOWER | CAPITALS)
british_postcode = st.tuples(CAPITAL, CAPITAL, ONE, CAPITAL, SPACES, ONE, CAPITALS)
american_postcode = st.tuples(
    CAPITALS, SPACES, FIVE, st.sampled_from(["-", "-", ""]), st.sampled_from(["1234", "123", "12345", "12٣4", ""])
)
canadian_postcode = st.tuples(CAPITAL, ONE, CAPITAL, SPACES, ONE, CAPITAL, ONE)
near_postcode = st.tuples(
    EDGE,
    st.one_of(bracketed_postcode, numeric_postcode, british_postcode, american_postcode, canadian_postcode).map(
        "".join
    ),
    EDGE,
)
# A month name before a year, with a day between or not ("March 3, 2020", "mars 2020", "Sept. 21st,
# 2019"), each part mostly whole (a quarter of the examples hold a match) but sometimes broken, and a
# gap that may put the month out of MONTH_LOOKBACK's reach.
WHOLE_MONTH = st.sampled_from(patterns.MONTH_NAMES).flatmap(
    lambda name: st.sampled_from([name] * 4 + [name[:-1], name + "x"])
)
DAY = st.sampled_from(["", "", "", "3 ", "21 ", "123 ", "3rd ", "21st, ", "2nd , ", "4th,", "4x ", "٣ ", "3\n", "1er "])
GAP = st.sampled_from(["", "", "", " ", "  ", "\t", "\n", " " * 14, " " * 17, " " * 20, " x "])
YEAR = st.sampled_from(["2019", "1999", "2024", "2019", "201", "20190"])
BEFORE = st.sampled_from(["", "", " ", "in ", "x", "_", "\n"])
month_year = st.tuples(
    BEFORE,
    WHOLE_MONTH,
    st.sampled_from(["", "", ".", ".."]),
    st.sampled_from([" ", " ", "  ", "\xa0", "", "\n"]),
    DAY,
    GAP,
    YEAR,
    EDGE,
)
# Near phone numbers ("+33 1 23 45 67 89", "(555) 123-4567", "01.23.45.67.89"): groups of one to five
# digits, their separators and what stands around them (a word character, "(", a currency sign); and
# menus ("Home | News › Sport", "A|B", "a / b"), marks with and without white space around them.
PHONE_GROUP = st.sampled_from(["12", "123", "1234", "12", "1", "12345", "1٣", "²3"])
PHONE_SEPARATOR = st.sampled_from([" ", ".", "-", "\xa0", " ", "", "  ", "/"])
PHONE_START = st.sampled_from(["", "", "+33 ", "+1", "+331 ", "+ 33 ", "(555) ", "(555)", "(12345) ", "+33 (0)", "("])
PHONE_END = st.sampled_from(["", "", " ", "x", "€", "$", "£", "_", ")", "."])
near_phone = st.tuples(
    st.sampled_from(["", "", " ", "x", "(", "_", "tel: "]),
    PHONE_START,
    st.lists(st.tuples(PHONE_GROUP, PHONE_SEPARATOR).map("".join), min_size=1, max_size=6).map("".join),
    PHONE_GROUP,
    PHONE_END,
)
MENU_PIECE = st.sampled_from(
    ["Home", "a", "", " ", "  ", "\t", "\n", "\xa0", *MENU_MARK_CHARS, "|", "||", " | ", " › "]
)
near_menu = st.lists(MENU_PIECE, min_size=1, max_size=10).map("".join)
phone_and_menu_text = st.lists(st.one_of(near_phone.map("".join), near_menu), min_size=1, max_size=3).map("".join)
month_year_text = st.lists(month_year.map("".join), min_size=1, max_size=3).map("".join)
code_text = st.lists(st.one_of(near_time, near_postcode).map("".join), min_size=1, max_size=3).map("".join)


@GENERATED
@given(number_text)
def test_compiled_finds_are_the_patterns_on_generated_text(text):
    check(text)
    check(text.lower())


@GENERATED
@given(date_text)
def test_compiled_finds_are_the_patterns_on_generated_near_dates(text):
    check(text)
    check(text.lower())


@GENERATED
@given(code_text)
def test_compiled_finds_are_the_patterns_on_generated_near_times_and_postcodes(text):
    check(text)
    check(text.lower())


@GENERATED
@given(phone_and_menu_text)
def test_compiled_finds_are_the_patterns_on_generated_phone_numbers_and_menus(text):
    check(text)


@GENERATED
@given(month_year_text)
def test_compiled_finds_are_the_patterns_on_generated_months_before_years(text):
    check(text)
    check(text.lower())


def test_compiled_finds_where_a_backtrack_or_a_boundary_decides():
    for text in [
        "", "1", "2019-04-24", "2019-04-245", "x2019-04-24", "_2019-04-24", "²2019-04-24", "2019-04-24x", "2019-04-2",
        "24/04/2019", "24/4/19", "24/04/20190", "24/04/2019x", "241/04/2019", "24/004/2019", "4.24.19.", "4-1-1",
        "1er mai", "1er  mai 2020", "12th march", "3rd. march", "3 rd march", "1 2 march", "12 marchx", "12 mai2",
        "12 mayo", "12\nmai", "12\u3000mai", "12 septembre", "12 sept", "12 sep", "1.mai", "12. mai", "12e mai",
        "1999", "19999", "x1999", "1999x", "_1999", "1999_", "٣1999", "19٣٣", "2000-2024", "1900/2099", "20 19",
        "EUR USD", "CHFt", "euros", "dollars pounds", "Ft100", "EU", "eur",
        "9:30", "9 :30", "9: 30", "9:305", "9:3", "19:30x", "x9:30", "12h05", "12 h 05", "123h05", "9am", "9 a.m.",
        "9 a.m", "9 a..m", "9 amx", "9pm.", "9 p m", "9\n:30", "9\xa0h\u300005", "٣:٣٣", "9:²5",
        "(69001)", "(690012)", "(690)", "(6900)x", "75001 Paris", "75001  Paris", "75001 PAris", "75001 Éa",
        "75001 É×", "750012 Paris", "1012 AB", "1012AB", "1012 ABC", "1012 A", "SW1A 1AA", "W1 1AA", "SW1 1AA",
        "SW11A 1AA", "SW1A 1AAA", "NY 10001", "NY 10001-1234", "NY 10001-12345", "NY 100012", "NY 10001-",
        "K1A 0B1", "K1A0B1", "K1A 0B12", "xSW1A 1AA", "_NY 10001", "²1012 AB", "A1 1AA NY 10001",
        "March 3, 2020", "march 3, 2020", "xmarch 3, 2020", "in march \n2020", "in march\n2020", "mars 2020",
        "sept. 21st, 2019", "may 4th 2020", "june 30th, 2021", "sept 21st,2019", "sept 2nd , 2019", "may 123 2020", "may 1 2 2020", "mai ٣ 2020",
        "august 2020", "augusts 2020", "_march 2020", "march" + " " * 30 + "2020", "december" + " " * 16 + "2020",
        "+33 1 23 45 67 89", "+331 23 45 67 89", "+33123 45 67", "(555) 123-4567", "(555)123-4567", "(1234) 56 78 90", "x(555) 123-4567",
        "01.23.45.67.89", "01 23 45 67 89 10", "01 23 45 67 89x", "01 23 4567x", "12 34 56 78901", "12345 67 89",
        "1 23 45 67", "01 23 45€", "01 23 45 €", "a01 23 45", "(01 23 45", "01-23-45-67-89-10-11",
        "Home | News", "Home|News", "Home |News", "Home| News", "A › B", "A ›B", "A » B » C", "a / b", "a  |  b",
        "| a", "a |", "a ||", " | | ", "a\n| b", "a |\nb",
        "W11 1AA", "M1 1AE", "NY 10001-1234 AB", "NY 10001-123 AB", "K1A 0B1 1012 AB", "(12345)(1234)",
        "\ud8001999", "12 mai\ud800", "\ud80012/04/2019", "2019-04-24\U0001f600",  # a lone surrogate, four-byte storage
    ]:  # fmt: skip
        check(text)


def test_compiled_finds_are_the_patterns_on_the_seeds(seed_pages):
    for page in seed_pages:
        check("\n".join(page.lines))
        check("\n".join(page.lines).lower())


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
@pytest.mark.parametrize("step", [15, pytest.param(1, marks=pytest.mark.exhaustive)], ids=["sample", "all"])
def test_compiled_finds_are_the_patterns_on_corpus_lines(step):
    from cleaner.corpus.pages import iter_corpus_pages

    for index, page in enumerate(iter_corpus_pages(CORPORA, raw=True)):
        if index % step == 0:
            text = "\n".join(read_html(page.html).texts)
            check(text)
            check(text.lower())
