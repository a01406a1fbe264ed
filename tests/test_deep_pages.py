"""Pages nested deep, and elements of many attributes: what reading them costs stays bounded.

A line's chain of hinted ancestors (``Segments.hinted``) and of structural elements (the frames of
:func:`cleaner.read.structure.line_frames`, read by the Markdown rendering and ``extract``) are tuples of
their own, one per element: unbounded, a page of elements nested n deep would take time and memory
growing as n * n (20,000 nested ``<div class="sidebar">`` took 7 s and 1.7 GB to clean; 20,000 nested
lists a minute and 7.7 GB to render as Markdown). Both chains are capped; no corpus page comes near the
caps (28 hinted ancestors, 39 frames at most).

libxml2 builds a tree's attributes one at a time at the end of a list: an element of n attributes takes
n * n / 2 steps (60,000: 32 s). A page with an element of more than ``MAX_TREE_ATTRIBUTES`` gets no
tree: it is read from the parser's events, which take no time, without the metadata a tree gives.
"""

from __future__ import annotations

import pytest

import cleaner
from cleaner.core import REFERENCE_ENV
from cleaner.read.parse import MAX_TREE_ATTRIBUTES, parse_tree, segment
from cleaner.read.segment import MAX_HINTED_ANCESTORS
from cleaner.read.structure import LIST, MAX_STRUCTURE_DEPTH, QUOTE, TABLE, line_frames

DEEP = 3000
PARAGRAPH = "<p>Un premier paragraphe, assez long pour être un vrai texte d'article, avec des phrases complètes.</p>"


def _page(open_tag: str, close_tag: str, inner: str = "Au plus profond de la page.") -> str:
    return f"<html><body>{open_tag * DEEP}{inner}{close_tag * DEEP}{PARAGRAPH * 3}</body></html>"


@pytest.fixture(params=["compiled", "reference"])
def core(request, monkeypatch):
    if request.param == "reference":
        monkeypatch.setenv(REFERENCE_ENV, "1")
    else:
        monkeypatch.delenv(REFERENCE_ENV, raising=False)
    return request.param


def test_hinted_ancestors_are_the_innermost_ones_up_to_the_cap(core):
    # Each <div> is a block of its own (it holds text before its child): one line per depth.
    found = segment(_page('<div class="sidebar">x ', "</div>"))
    assert found is not None
    assert max(map(len, found.hinted)) == MAX_HINTED_ANCESTORS
    assert len(found.hinted[0]) == 1 and len(found.hinted[MAX_HINTED_ANCESTORS - 1]) == MAX_HINTED_ANCESTORS
    deepest = found.text.index("x Au plus profond de la page.")
    chain = found.hinted[deepest]
    # The innermost ones: the line's own block last, its ancestors before it, in document order.
    assert chain[-1][0] == found.owner[deepest]
    assert [number for number, _ in chain] == sorted(number for number, _ in chain)
    assert all(hints == frozenset({"sidebar"}) for _, hints in chain)


@pytest.mark.parametrize(
    ("open_tag", "close_tag", "outermost"),
    [
        ("<ul><li>", "</li></ul>", LIST),
        ("<blockquote>", "</blockquote>", QUOTE),
        ("<table><tr><td>", "</td></tr></table>", TABLE),
    ],
)
def test_structural_frames_are_the_outermost_ones_up_to_the_cap(core, open_tag, close_tag, outermost):
    found = segment(_page(open_tag, close_tag))
    assert found is not None
    ends = {number: found.ends[number] for number, _, _ in found.marks}
    frames = line_frames(found.marks, ends, found.owner)
    deepest = found.text.index("Au plus profond de la page.")
    assert len(frames[deepest]) == MAX_STRUCTURE_DEPTH
    assert frames[deepest][0][0] == outermost
    assert frames[deepest][0][1] == found.marks[0][0]  # the page's first structural element
    assert max(map(len, frames)) == MAX_STRUCTURE_DEPTH


@pytest.mark.parametrize(
    ("open_tag", "close_tag"),
    [
        ('<div class="sidebar">', "</div>"),
        ('<div class="post"><p>Un message.</p>', "</div>"),
        ("<ul><li>", "</li></ul>"),
        ("<ol><li>", "</li></ol>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<blockquote>", "</blockquote>"),
    ],
)
def test_deep_pages_are_cleaned_rendered_and_extracted(open_tag, close_tag):
    page = _page(open_tag, close_tag)
    paragraph = PARAGRAPH.removeprefix("<p>").removesuffix("</p>")
    text = cleaner.clean_html(page)
    assert paragraph in text
    markdown = cleaner.markdown(page)
    assert paragraph in markdown
    document = cleaner.extract(page)
    assert paragraph in document.text
    assert document.markdown == markdown


def _attributes_page(count: int, value: str = "1") -> str:
    attributes = " ".join(f'a{i}="{value}"' for i in range(count))
    return f"<html><head><title>Un titre</title></head><body><div {attributes}>{PARAGRAPH * 3}</div></body></html>"


def test_an_element_of_too_many_attributes_gets_no_tree_but_its_text_is_read():
    page = _attributes_page(MAX_TREE_ATTRIBUTES + 1)
    assert parse_tree(page) == (None, True)
    document = cleaner.extract(page)
    assert document.text == cleaner.clean_html(page) != ""
    assert document.metadata.title is None  # what a tree would have given


def test_elements_up_to_the_limit_and_long_attributes_get_their_tree():
    page = _attributes_page(MAX_TREE_ATTRIBUTES)
    root, whole = parse_tree(page)
    assert whole and root is not None
    assert len(root.find(".//div").attrib) == MAX_TREE_ATTRIBUTES
    assert cleaner.extract(page).metadata.title == "Un titre"
    # A few attributes of many bytes (an inline image, a script's data): the events count them.
    image = "data:image/png;base64," + "A" * (4 * MAX_TREE_ATTRIBUTES)
    root, _ = parse_tree(_attributes_page(3, image))
    assert root is not None and root.find(".//div").get("a2") == image
