"""The compiled read-stage columns (cleaner/read/_blocks.pyx) against their definitions in
cleaner/read/blocks.py, bit for bit: what each line's nearest ancestors hold (``ancestor_columns``),
the hints that reach it (``line_hints``), and whether its tag or an ancestor's is one of a set
(``tags_in``, ``lines_inside``), on the segments of corpus pages and on generated columns; and the
read stage's columns the same whichever core runs."""

from __future__ import annotations

import numpy as np
import pytest
from cores import GENERATED, SAMPLE_STEP, built, corpus_htmls, needs_corpora
from hypothesis import given
from hypothesis import strategies as st

from cleaner import core
from cleaner.read import blocks, read_html
from cleaner.read.parse import segment
from cleaner.read.segment import RECORDED_ANCESTORS, SHARED_ANCESTORS

compiled_blocks, needs_compiled = built("cleaner.read._blocks")


def element_columns(found) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shares (any values in [0, 1)), first and last lines of a page's elements, and its lines' owners."""
    elements = len(found.ends)
    shares = np.random.default_rng(len(found.text)).random(elements)
    first = np.asarray(found.first_line, dtype=np.int64)
    last = np.asarray(found.last_line, dtype=np.int64)
    return shares, first, last, np.asarray(found.owner, dtype=np.intp)


def same_arrays(got: tuple, expected: tuple) -> None:
    for one, other in zip(got, expected, strict=True):
        assert one.dtype == other.dtype and one.shape == other.shape
        assert np.array_equal(one, other)


@needs_compiled
@needs_corpora
def test_compiled_columns_are_the_reference_on_corpus_pages():
    checked = 0
    for html in corpus_htmls(SAMPLE_STEP):
        found = segment(html)
        if found is None or not found.text:
            continue
        shares, first, last, owner = element_columns(found)
        same_arrays(
            compiled_blocks.ancestor_columns(found.nearest, shares, first, last, owner),
            blocks.ancestor_columns(found.nearest, shares, first, last, owner),
        )
        # Shares on both sides of the cut, so that hints are both kept and left out.
        assert compiled_blocks.line_hints(found.hinted, shares.tolist()) == blocks.line_hints(
            found.hinted, shares.tolist()
        )
        same_tag_answers(found.tag, found.ancestors)
        checked += 1
    assert checked > 3000 // SAMPLE_STEP


# Sets of tags the decision rules ask about, and one no line holds.
TAG_SETS = (frozenset({"li", "dt", "dd", "td", "th", "pre"}), frozenset({"main", "article"}), frozenset({"x"}))


def same_tag_answers(tags: list[str], ancestors: list[frozenset[str]]) -> None:
    expected = [
        (blocks.reference_tags_in(tags, names), blocks.reference_lines_inside(ancestors, names)) for names in TAG_SETS
    ]
    for names, (in_tags, inside) in zip(TAG_SETS, expected, strict=True):
        same_arrays(
            (compiled_blocks.tags_in(tags, names), compiled_blocks.lines_inside(ancestors, names)), (in_tags, inside)
        )


@needs_compiled
@GENERATED
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["li", "p", "td", "main", "x", "div"]),
            st.frozensets(st.sampled_from(["main", "article", "td", "ul", "x"]), max_size=3),
            st.integers(1, 3),
            st.booleans(),
        ),
        max_size=10,
    )
)
def test_compiled_tag_answers_are_the_reference_on_generated_lines(blocks_of_lines):
    tags, ancestors = [], []
    for tag, names, lines, copied in blocks_of_lines:
        if copied:  # equal, not identical: the compiled loop must not rely on identity alone
            tag, names = "".join(tag), frozenset(list(names))
        tags += [tag] * lines
        ancestors += [names] * lines
    same_tag_answers(tags, ancestors)


@st.composite
def page_columns(draw):
    """Elements with shares and line ranges (often the same range: wrappers), and lines with up to
    RECORDED_ANCESTORS nearest ancestors each (consecutive lines often sharing one tuple, as the lines
    of a block do) and hint chains."""
    elements = draw(st.integers(1, 12))
    shares = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=elements, max_size=elements)))
    first = np.array(draw(st.lists(st.integers(-3, 4), min_size=elements, max_size=elements)), dtype=np.int64)
    last = np.array(draw(st.lists(st.integers(-3, 4), min_size=elements, max_size=elements)), dtype=np.int64)
    element = st.integers(0, elements - 1)
    ancestors = st.lists(element, max_size=RECORDED_ANCESTORS).map(tuple)
    hints = st.frozensets(st.sampled_from(["nav", "comment", "footer", "ad"]), max_size=2)
    chain = st.lists(st.tuples(element, hints), max_size=3).map(tuple)
    blocks_of_lines = draw(st.lists(st.tuples(ancestors, chain, st.integers(1, 3)), max_size=8))
    nearest, hinted = [], []
    for ancestors_of_block, chain_of_block, lines in blocks_of_lines:
        nearest += [ancestors_of_block] * lines
        hinted += [chain_of_block] * lines
    owner = np.array(draw(st.lists(element, min_size=len(nearest), max_size=len(nearest))), dtype=np.intp)
    return nearest, hinted, shares, first, last, owner


@needs_compiled
@GENERATED
@given(page_columns())
def test_compiled_columns_are_the_reference_on_generated_columns(columns):
    nearest, hinted, shares, first, last, owner = columns
    same_arrays(
        compiled_blocks.ancestor_columns(nearest, shares, first, last, owner),
        blocks.ancestor_columns(nearest, shares, first, last, owner),
    )
    assert compiled_blocks.line_hints(hinted, shares.tolist()) == blocks.line_hints(hinted, shares.tolist())


@needs_compiled
def test_compiled_columns_refuse_ancestors_outside_the_page():
    shares, first, last = np.zeros(2), np.zeros(2, dtype=np.int64), np.ones(2, dtype=np.int64)
    owner = np.zeros(1, dtype=np.intp)
    with pytest.raises(ValueError, match="not one of the page's 2 elements"):
        compiled_blocks.ancestor_columns([(2,)], shares, first, last, owner)
    with pytest.raises(ValueError, match="of one length"):
        compiled_blocks.ancestor_columns([(0,), (1,)], shares, first, last, owner)


def test_a_line_without_ancestors_has_its_block_as_container():
    shares, first, last = np.array([0.25, 0.5]), np.array([0, 0], dtype=np.int64), np.array([2, 1], dtype=np.int64)
    got_shares, ranges, container = blocks.ancestor_columns([(), (0,)], shares, first, last, np.array([0, 1]))
    assert container.tolist() == [0, 0]
    assert got_shares[:, 0].tolist() == [0.0, 0.25] and not got_shares[:, 1:].any()
    assert ranges[0].tolist() == [[-1, -1]] * SHARED_ANCESTORS
    assert ranges[1, 0].tolist() == [0, 2]


@needs_compiled
@needs_corpora
def test_the_read_stage_gives_the_same_columns_whichever_core_runs(monkeypatch):
    htmls = corpus_htmls(SAMPLE_STEP * 5)

    def read_all():
        return [read_html(html).markup for html in htmls]

    monkeypatch.delenv(core.REFERENCE_ENV, raising=False)
    compiled = read_all()
    monkeypatch.setenv(core.REFERENCE_ENV, "1")
    reference = read_all()
    for got, expected in zip(compiled, reference, strict=True):
        if expected is None:
            assert got is None
            continue
        for name in ("ancestor_shares", "ancestor_ranges", "block_chars", "in_main"):
            same_arrays((getattr(got, name),), (getattr(expected, name),))
        assert got.hints == expected.hints


def test_an_ancestor_spanning_the_lines_of_the_one_inside_it_is_passed_over():
    # A line of a table cell: its row, the table, a wrapper <div> of the table alone, the article, the body.
    shares = np.array([0.01, 0.05, 0.05, 0.8, 1.0])
    first, last = np.array([3, 2, 2, 0, 0], dtype=np.int64), np.array([3, 5, 5, 9, 12], dtype=np.int64)
    got_shares, ranges, container = blocks.ancestor_columns([(0, 1, 2, 3, 4)], shares, first, last, np.array([0]))
    assert got_shares[0].tolist() == [0.01, 0.05, 0.8, 1.0]  # the wrapper (element 2) says nothing more
    assert ranges[0].tolist() == [[3, 3], [2, 5], [0, 9], [0, 12]] and container.tolist() == [0]
