"""cleaner.metadata.classwords.ClassWords: a class or id value searched for words whatever their case, the
fast way for ASCII values, is the pattern's case-insensitive search."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.metadata import tags
from cleaner.metadata.classwords import ClassWords

WORD_LISTS = [value for value in vars(tags).values() if isinstance(value, ClassWords)]
# Pieces of class values: the lists' words in all cases, separators, and characters that
# re.IGNORECASE reads as ASCII letters (the Kelvin sign, the long s, the dotted capital I).
PIECES = st.one_of(
    st.sampled_from(["date", "AUTHOR", "Byline", "post-meta", "nav", "Footer", "site-footer", "bio", "rail"]),
    st.sampled_from([" ", "-", "_", "\t", "\u212a", "\u017f", "\u0130", "é", "x"]),
    st.text(max_size=6),
)


def test_every_word_list_is_lower_case():
    # The fast search lower-cases the value: a capital in a pattern would never match.
    for words in WORD_LISTS:
        assert words.pattern.pattern == words.pattern.pattern.lower()
        assert words.pattern.flags & re.IGNORECASE


@pytest.mark.parametrize(
    "value",
    [
        "entry-Date",
        "POSTED-ON",
        "author-bio",
        "main-nav",
        "site-footer",
        "Tra\u212aer",
        "po\u017ft-meta",
        "\u0130MAGE",
        "",
    ],
)
def test_class_words_find_what_the_pattern_finds(value):
    for words in WORD_LISTS:
        assert words.search(value) == (words.pattern.search(value) is not None)


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=8).map("".join))
def test_class_words_on_generated_values(value):
    for words in WORD_LISTS:
        assert words.search(value) == (words.pattern.search(value) is not None)
