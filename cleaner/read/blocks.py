"""A segmented page as the columns the model reads, with what needs the whole page: how much of the
page's prose each line's ancestors hold, and the page's densest container of prose.

Elements are numbered in document order (preorder), so an element's subtree is the contiguous range
of numbers between its start and its end: subtree sums are differences of one cumulative sum, with
no second walk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cleaner.core import compiled
from cleaner.read.parse import segment
from cleaner.read.prose import prose_lines
from cleaner.read.repeats import repeated_parts
from cleaner.read.segment import SHARED_ANCESTORS
from cleaner.read.segments import Segments
from cleaner.read.structure import HEADING, PRE, STRUCTURE_TAGS
from cleaner.read.tags import MAIN_MARKS, META_DESCRIPTION_KEYS, NO_HINTS
from cleaner.read.titles import is_headline, page_keys, text_key
from cleaner.records import Line, MarkupColumns, PageSignals, StructureColumns

if TYPE_CHECKING:
    from lxml import etree

# The densest container maximises prose * prose / (prose + other): its prose characters weighted by
# their share of its text, where other text is link text and the text of lines that are not prose. On
# the evaluation corpora this finds the article container better than prose - k * other for any k:
# a linear penalty either swallows the comments and sidebars around the article (small k) or drops
# parts of the article (large k).
# Reader comments, sidebars and footers hold prose too, next to the article: the container is chosen
# again with the prose of lines so hinted counted as other text, and that choice wins if it lies
# inside the first one. (Discounting more hints, nav or promo, lost article text on the corpora.)
_MAIN_DISCOUNT_HINTS = frozenset({"comment", "sidebar", "footer"})
# A class/id hint on an element holding at least this share of the page's prose says little about the
# lines inside it (a "content" wrapper around the article and its comments, a "cookie" consent wrapper
# around the whole page): only the hints of smaller elements reach their lines.
HINT_MAX_SHARE = 0.5
# A page with less prose than this (characters) finds its densest container by its text outside links
# instead: a table of figures, a thread of short posts or a listing holds its content in lines too
# short to read as prose. Held out by corpus, HTML +0.002 (dragnet +0.006, googletrends2017 +0.007,
# fundus -0.004).
MAIN_MIN_PROSE_CHARS = 500
# The article is the story the page is titled for. When the page's title heading (the first heading
# line that is its <title>, og:title or headline: cleaner.read.titles) lies outside the
# densest container, and that container ends before the heading (a welcome box above a forum post) or
# starts after a later <h1> (the next story of an endless-scroll page), the densest container of the
# heading's own section is taken instead: of the containers that end after the heading and no later
# than that next <h1>. A container that holds the heading, or lies after it with no other <h1>
# between, is left alone: an <h1> is often a caption or the title's second line. Unless more prose
# lies between the heading and that container than in it (a box of teasers or a footer below the
# story): then the densest container holding the first prose line after the heading, and not the
# one found, is taken. A title heading that is a link (the story's permalink, or this page's entry in a
# list of stories) counts for that last rule only: a list's entry says nothing of where sections
# begin (dragnet: one page 0.00 -> 0.79 with fixed models; with every rule, 24 pages changed, sum -7.2).
SECTION_BREAK_TAG = "h1"
# <main> (or role="main", read/tags.py) is the page's own mark of its dominant content. When the
# densest container holds none of its lines (a sidebar's activity stream outweighing a one-post forum
# thread), the densest container inside it is taken. That moves the container of eight corpus pages
# (six magichtml forum threads, two googletrends2017 pages); with the models fixed, a one-post thread
# 0.003 -> 0.95, a product listing 0.00 -> 1.00, a thread +0.05, a page -0.006, the other four
# unchanged.


@dataclass(frozen=True, eq=False)
class Blocks:
    """A segmented page as columns: its lines' numbers, texts and markup."""

    numbers: list[int]
    texts: list[str]
    markup: MarkupColumns
    signals: PageSignals = PageSignals()
    structure: StructureColumns | None = None

    def lines(self) -> list[Line]:
        return list(map(Line, self.numbers, self.texts, self.markup.marks()))


def no_blocks(links: bool = False) -> Blocks:
    structure = StructureColumns([], [], links={} if links else None)
    return Blocks([], [], MarkupColumns.of([], SHARED_ANCESTORS), structure=structure)


def html_blocks(source: str | bytes, links: bool = False, tree: etree._Element | None = None) -> Blocks:
    """The lines of a page given as a str or as valid UTF-8 bytes (see :func:`cleaner.read.decode.utf8_page`),
    in reading order, each with its markup.

    One line per block of text (more when ``<br>`` or a ``<pre>``'s source lines split it). A line's
    number is its line number in the page's plain-text rendering: numbers are unique and increasing,
    and skip one where a blank line separates paragraphs, as the line numbers of a text file do.
    ``links=True`` records the links in the lines' text (:attr:`StructureColumns.links`). ``tree``: the
    page already parsed whole (see :func:`cleaner.read.parse.segment`).
    """
    found = segment(source, links, tree)
    if found is None:
        return no_blocks(links)
    return _build_blocks(found)


def _structure(lines: Segments) -> StructureColumns:
    """The structure of a segmented page's lines (its lists are the Segments' own, not copies; of the
    elements' extents, only those of the structural elements are kept)."""
    ends = lines.ends
    marked_ends = {number: ends[number] for number, _, _ in lines.marks}
    return StructureColumns(lines.owner, lines.tag, lines.marks, marked_ends, lines.pre_blanks, lines.links, lines.base)


def _container_scores(prose: np.ndarray, other: np.ndarray) -> np.ndarray:
    """How well each element fits as the page's main container, from the prose and other characters
    of its subtree: its prose, weighted by the prose's share of its text."""
    return prose * prose / np.maximum(prose + other, 1.0)


def _densest(scores: np.ndarray, candidates: np.ndarray) -> int:
    """The number of the candidate element with the best score (the outermost one on ties)."""
    return int(np.argmax(np.where(candidates, scores, -np.inf)))


def _build_blocks(lines: Segments) -> Blocks:
    """The lines of a segmented page as columns, with the numbers that need the whole page."""
    count = len(lines.text)
    signals = PageSignals(
        lines.title,
        tuple(lines.meta_titles),
        tuple(lines.jsonld),
        lines.lang,
        lines.revealed,
        lines.page_type,
        lines.from_data,
        tuple(lines.descriptions[key] for key in META_DESCRIPTION_KEYS if key in lines.descriptions),
    )
    if not count:
        return Blocks([], [], no_blocks().markup, signals, _structure(lines))

    # Per line: characters, and prose characters (its non-link characters, if it is prose).
    chars = np.fromiter(map(len, lines.text), dtype=np.int64, count=count)
    link = np.asarray(lines.link, dtype=np.int64)
    is_prose_line = prose_lines(lines.text)
    prose = np.where(is_prose_line, chars - link, 0)

    # Per element: totals over its subtree, as differences of cumulative sums over the document order.
    elements = len(lines.ends)
    owner = np.asarray(lines.owner, dtype=np.intp)
    starts = np.arange(elements, dtype=np.intp)
    stops = np.asarray(lines.ends, dtype=np.intp)

    def subtree_sums(per_line: np.ndarray) -> np.ndarray:
        cumulative = np.zeros(elements + 1, dtype=np.float64)
        np.cumsum(np.bincount(owner, weights=per_line, minlength=elements), out=cumulative[1:])
        return cumulative[stops] - cumulative[starts]

    sub_chars = subtree_sums(chars)
    sub_prose = subtree_sums(prose)
    total_prose = float(prose.sum())
    shares = sub_prose / total_prose if total_prose > 0 else np.zeros(elements)
    # The per-line columns below run compiled where the core is built (cleaner/read/_blocks.pyx).
    core = compiled("cleaner.read._blocks")
    hints = (line_hints if core is None else core.line_hints)(lines.hinted, shares.tolist())

    # The densest container of prose, and the lines inside it; on a page with little prose, the densest
    # container of text outside links (see MAIN_MIN_PROSE_CHARS). The lines of a <pre> (code, a console
    # session) count with the prose: a tutorial or a forum answer that is mostly code holds little
    # prose, and a short box of sentences beside it would otherwise win.
    if total_prose >= MAIN_MIN_PROSE_CHARS:
        dense, sub_dense = prose, sub_prose
        pre_tags = frozenset(tag for tag in set(lines.tag) if STRUCTURE_TAGS.get(tag) == PRE)
        code = tags_in(lines.tag, pre_tags)
        if code.any():
            dense = np.where(is_prose_line | code, chars - link, 0)
            sub_dense = subtree_sums(dense)
    else:
        dense = chars - link
        sub_dense = subtree_sums(dense)
    if float(sub_dense.max()) > 0:
        candidates = np.asarray(lines.containers, dtype=bool)
        scores = _container_scores(sub_dense, sub_chars - sub_dense)
        main = _densest(scores, candidates)
        discounted = lines_inside(hints, _MAIN_DISCOUNT_HINTS)  # a set per line, as ancestors' tags are
        if discounted.any():
            # Without that text, a container inside the one found is a better fit; one outside it means
            # a hint covers the article itself (a wrapper's class), so it is ignored.
            main_dense = subtree_sums(np.where(discounted, 0, dense))
            narrower = _densest(_container_scores(main_dense, sub_chars - main_dense), candidates)
            if main <= narrower < stops[main] and main_dense[narrower] > 0:
                main = narrower
        in_element = lines_inside(lines.ancestors, MAIN_MARKS)
        if in_element.any() and not in_element[lines.first_line[main] : lines.last_line[main]].any():
            inside = candidates & _elements_within(lines, in_element) & (sub_dense > 0)
            if inside.any():
                main = _densest(scores, inside)
        section = _title_section(lines, page_keys(signals)[0], main, dense)
        if section is not None:
            in_section = candidates & section & (sub_dense > 0)
            if in_section.any():
                main = _densest(scores, in_section)
        in_main = (owner >= main) & (owner < stops[main])
        element_lines = (lines.first_line, lines.last_line)
        in_repeat = repeated_parts((lines.class_of, lines.class_names), stops, element_lines, main, is_prose_line)
    else:
        in_main = in_repeat = np.zeros(count, dtype=bool)

    first = np.asarray(lines.first_line, dtype=np.int64)
    last = np.asarray(lines.last_line, dtype=np.int64)
    columns = ancestor_columns if core is None else core.ancestor_columns
    ancestor_shares, ancestor_ranges, container = columns(lines.nearest, shares, first, last, owner)
    markup = MarkupColumns(
        present=np.ones(count, dtype=bool),
        tags=lines.tag,
        link_density=np.divide(link, chars, out=np.zeros(count), where=chars > 0),
        depth=np.asarray(lines.depth, dtype=np.int64),
        ancestors=lines.ancestors,
        hints=hints,
        block_chars=sub_chars.astype(np.int64)[container],
        ancestor_shares=ancestor_shares,
        in_main=in_main,
        ancestor_ranges=ancestor_ranges,
        in_repeat=in_repeat,
    )
    return Blocks(lines.number, lines.text, markup, signals, _structure(lines))


def ancestor_columns(
    nearest: list[tuple[int, ...]], shares: np.ndarray, first: np.ndarray, last: np.ndarray, owner: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per line, from its nearest ancestors (parent first, as many as the segmenter records) and the
    elements' ``shares`` of the page's prose and ``first``/``last`` line ranges: the share and the line
    range ((0.0 and (-1, -1) for none) of each of the first :data:`SHARED_ANCESTORS` of them that spans
    more lines than the one inside it, and the line's container, its block's parent (the block itself,
    its ``owner``, at the top of the page).

    An ancestor spanning the same lines as the one inside it is a wrapper (a ``<div
    class="table-responsive">`` around a table, the nested divisions of a script-built page) and
    says nothing more: counted, it pushed the ancestors that do (the article around a table) out of
    the nearest few, and a table in a wrapper lost half its cells that the same table bare kept."""
    count = len(nearest)
    ancestor_shares = np.zeros((count, SHARED_ANCESTORS))
    ancestor_ranges = np.full((count, SHARED_ANCESTORS, 2), -1, dtype=np.int64)
    container = np.asarray(owner, dtype=np.intp).copy()
    for line, ancestors in enumerate(nearest):
        rank = 0
        for element in ancestors:
            span = first[element], last[element]
            if rank and span == tuple(ancestor_ranges[line, rank - 1]):
                continue  # a wrapper of the same lines as the ancestor inside it
            ancestor_shares[line, rank] = shares[element]
            ancestor_ranges[line, rank] = span
            rank += 1
            if rank == SHARED_ANCESTORS:
                break
        if ancestors:
            container[line] = ancestors[0]
    return ancestor_shares, ancestor_ranges, container


def tags_in(tags: Sequence[str], names: frozenset[str]) -> np.ndarray:
    """Per line, from its block's tag (``tags``): whether it is one of ``names``
    (:func:`reference_tags_in`, compiled where the core is built: ``cleaner.read._blocks``)."""
    core = compiled("cleaner.read._blocks")
    if core is not None and type(tags) is list and type(names) is frozenset:
        return core.tags_in(tags, names)
    return reference_tags_in(tags, names)


def reference_tags_in(tags: Sequence[str], names: frozenset[str]) -> np.ndarray:
    """:func:`tags_in`, a line at a time."""
    return np.fromiter(map(names.__contains__, tags), dtype=bool, count=len(tags))


def lines_inside(ancestors: Sequence[frozenset[str]], tags: frozenset[str]) -> np.ndarray:
    """Per line, from the tags of its ancestors (``ancestors``): inside an element of one of ``tags``
    (:func:`reference_lines_inside`, compiled where the core is built: ``cleaner.read._blocks``)."""
    core = compiled("cleaner.read._blocks")
    if core is not None and type(ancestors) is list and type(tags) is frozenset:
        return core.lines_inside(ancestors, tags)
    return reference_lines_inside(ancestors, tags)


def reference_lines_inside(ancestors: Sequence[frozenset[str]], tags: frozenset[str]) -> np.ndarray:
    """:func:`lines_inside`, a line at a time."""
    return ~np.fromiter(map(tags.isdisjoint, ancestors), dtype=bool, count=len(ancestors))


def _elements_within(lines: Segments, inside: np.ndarray) -> np.ndarray:
    """Per element: it holds lines, all of them ``inside`` (per line)."""
    first = np.asarray(lines.first_line, dtype=np.intp)
    last = np.asarray(lines.last_line, dtype=np.intp)
    cumulative = np.concatenate(([0], np.cumsum(inside)))
    return (last > first) & (cumulative[last] - cumulative[first] == last - first)


def _title_section(lines: Segments, titles: frozenset[str], main: int, dense: np.ndarray) -> np.ndarray | None:
    """Per element, whether it belongs to the title heading's section, when the container ``main``
    lies outside it (see :data:`SECTION_BREAK_TAG`); None when ``main`` stands. ``dense``: each
    line's characters that count for the densest container."""
    if not titles:
        return None
    titles = frozenset(filter(is_headline, titles))
    tags, texts, link = lines.tag, lines.text, lines.link
    headings = (i for i, tag in enumerate(tags) if STRUCTURE_TAGS.get(tag) == HEADING)
    heading = next((i for i in headings if text_key(texts[i]) in titles), None)
    if heading is None:
        return None
    first, end = lines.first_line[main], lines.last_line[main]
    if first <= heading < end:
        return None
    breaks = (i for i in range(heading + 1, len(texts)) if tags[i] == SECTION_BREAK_TAG)
    following = next((i for i in breaks if text_key(texts[i]) not in titles), len(texts))
    after = heading < first < following  # after the heading, with no other story's <h1> before it
    # A title heading that is a link is a permalink, or another page's title in a "most popular" list:
    # where the story starts is unclear, unless the container lies after it (see below).
    if 2 * link[heading] >= len(texts[heading]) and not after:
        return None
    ends = np.asarray(lines.last_line, dtype=np.int64)
    if after:
        # Unless more prose lies between the heading and it than in it: the story is there, and the
        # container is a list of other stories or a footer below it. The story's container holds
        # its first prose line, and not the one found.
        between = dense[heading + 1 : first]
        if between.sum() <= dense[first:end].sum():
            return None
        story = heading + 1 + int(np.flatnonzero(between)[0])
        starts = np.asarray(lines.first_line, dtype=np.int64)
        return (starts <= story) & (ends > story) & ~((starts <= first) & (ends >= end))
    return (ends > heading) & (ends <= following)


def line_hints(hinted: list[tuple[tuple[int, frozenset[str]], ...]], shares: list[float]) -> list[frozenset[str]]:
    """Each line's hints: those of its hinted ancestors (and block) that hold less than
    :data:`HINT_MAX_SHARE` of the page's prose (computed once per distinct chain)."""
    found: dict[tuple, frozenset[str]] = {}
    out = []
    for chain in hinted:
        hints = found.get(chain)
        if hints is None:
            kept = [own for element, own in chain if shares[element] < HINT_MAX_SHARE]
            hints = found[chain] = frozenset().union(*kept) if kept else NO_HINTS
        out.append(hints)
    return out
