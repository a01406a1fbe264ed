"""The compiled markup flags (cleaner/features/_markup.pyx) against their definition,
``reference_markup_flags`` in cleaner/features/markup.py, bit for bit: on the read stage's columns of
corpus pages and on generated columns (runs of lines sharing a block's objects, and lines that hold
equal but distinct ones)."""

from __future__ import annotations

import numpy as np
import pytest
from cores import GENERATED, SAMPLE_STEP, built, corpus_htmls, needs_corpora
from hypothesis import given
from hypothesis import strategies as st

from cleaner.features import markup
from cleaner.read import read_html

compiled_markup, needs_compiled = built("cleaner.features._markup")


def compiled_flags(tags, ancestors, hints) -> np.ndarray:
    return compiled_markup.markup_flags(
        tags,
        ancestors,
        hints,
        markup.TAG_COLUMN,
        markup.ANCESTOR_COLUMN,
        markup.HINT_COLUMN,
        len(markup.MARKUP_FLAGS),
    )


def same_flags(tags, ancestors, hints) -> None:
    got = compiled_flags(tags, ancestors, hints)
    expected = markup.reference_markup_flags(tags, ancestors, hints)
    assert got.dtype == expected.dtype == bool and got.shape == expected.shape == (len(tags), len(markup.MARKUP_FLAGS))
    assert np.array_equal(got, expected)


@needs_compiled
@needs_corpora
def test_compiled_flags_are_the_reference_on_corpus_pages():
    checked = 0
    for html in corpus_htmls(SAMPLE_STEP):
        columns = read_html(html).markup
        if columns is None:
            continue
        same_flags(columns.tags, columns.ancestors, columns.hints)
        checked += int(bool(columns.tags))
    assert checked > 3000 // SAMPLE_STEP


TAGS = ["p", "h2", "li", "td", "div", "a", "pre", "figcaption", "x-unknown", ""]
NAMES = ["nav", "footer", "ul", "table", "article", "main", "span", "body"]
HINTS = [*markup.HINTS[:6], "not-a-hint"]


@st.composite
def block_columns(draw):
    """Blocks of one to three lines sharing their block's objects, some blocks holding objects equal to
    another block's but not the same ones."""
    block = st.tuples(
        st.sampled_from(TAGS),
        st.frozensets(st.sampled_from(NAMES), max_size=4),
        st.frozensets(st.sampled_from(HINTS), max_size=3),
        st.integers(1, 3),
        st.booleans(),
    )
    tags, ancestors, hints = [], [], []
    for tag, names, hinted, lines, copied in draw(st.lists(block, max_size=10)):
        if copied:  # equal, not identical: the compiled loop must not rely on identity alone
            tag, names, hinted = "".join(tag), frozenset(list(names)), frozenset(list(hinted))
        tags += [tag] * lines
        ancestors += [names] * lines
        hints += [hinted] * lines
    return tags, ancestors, hints


@needs_compiled
@GENERATED
@given(block_columns())
def test_compiled_flags_are_the_reference_on_generated_columns(columns):
    same_flags(*columns)


@needs_compiled
def test_compiled_flags_refuse_columns_of_different_lengths_and_columns_outside_the_flags():
    with pytest.raises(ValueError, match="one length"):
        compiled_flags(["p"], [], [frozenset()])
    with pytest.raises(ValueError, match="outside the 2 flags"):
        compiled_markup.markup_flags(["p"], [frozenset()], [frozenset()], {"p": 2}, {}, {}, 2)


def test_a_line_sets_the_flags_of_its_tag_ancestors_and_hints():
    hint = markup.HINTS[0]
    flags = markup.markup_flags(["p", "div"], [frozenset({"nav"}), frozenset()], [frozenset(), frozenset({hint})])
    names = np.array(markup.MARKUP_FLAGS)
    assert names[flags[0]].tolist() == ["tag_paragraph", "inside_nav"]
    assert names[flags[1]].tolist() == ["tag_generic", f"hint_{hint}"]
