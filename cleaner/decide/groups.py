"""Runs of an HTML page's lines decided whole, where a line-level model cuts them: a list, a table
or a code listing of the article with some of its items dropped, a short paragraph dropped between
its element's kept paragraphs.

- :func:`main_group_lines`: a run of list items, table cells or preformatted lines (:func:`group_lines`)
  inside the page's main container, standing between kept lines, is kept whole when the model rates
  it (its mean keep-probability, characters weighing) at least the container's lower threshold, or a
  kept line announces it and kept text follows it, and it is not a block of links;
- :func:`preformatted_kept`: a run of consecutive preformatted lines (``<pre>``: code, a poem, ASCII
  art) is kept when the lines kept hold most of its characters, and dropped otherwise;
- :func:`sibling_paragraph_lines`: a paragraph of the main container whose element's other lines are
  all kept ("Thanks!" closing a forum post) is kept with them.

Each returns which lines to keep; :mod:`cleaner.decide.parts` applies them and names them in
``--explain``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.decide.threshold import runs
from cleaner.features.layout import line_pages
from cleaner.read.blocks import lines_inside, tags_in
from cleaner.read.tags import HEADING_TAGS, PRE_TAGS
from cleaner.records import line_chars

# The block tags of list items, table cells and preformatted text (not read.tags.GROUP_TAGS, the
# elements that hold them): the article's steps, definitions, data tables and code listings.
PART_TAGS = frozenset({"li", "dt", "dd", "td", "th", *PRE_TAGS})
# A paragraph (or another block, not a heading) inside a list item or a definition is read as that
# item: a loose list (``<li><p>...</p></li>``, as Sphinx and the Markdown renderers write a list whose
# items are paragraphs) is a list like any other. Inside a table cell only in a table with a
# ``<thead>`` or ``<tbody>``, a data table's mark (lxml adds neither: the page's author wrote them):
# the cells of a page laid out in a table hold its menus and footer in paragraphs too. Held out by
# corpus, the models fixed: 0.9160 -> 0.9159 (l3s-gn1 -0.0005: 2008 pages laid out in tables with a
# <tbody>; googletrends2017 +0.0005, readability +0.0007); on 498 pages of Python's documentation
# (bench/docs_pages.py --kind sphinx) 0.938 -> 0.953 (precision 0.987 -> 0.992, recall 0.893 ->
# 0.917; trafilatura 0.948): its API indexes are tables of paragraphs, its lists loose.
ITEM_ANCESTORS = frozenset({"li", "dt", "dd"})
CELL_ANCESTORS = frozenset({"td", "th"})
DATA_TABLE_ANCESTORS = frozenset({"thead", "tbody"})
# A run of such lines is kept whole only with a kept line at most this many lines before it and one
# at most this many lines after it (on its page): the run lies inside the kept article, not beside it.
# A run that ends the main container (or the page) needs none after it: a list or a table closing the
# article (a recipe's ingredients, a reference page's table of error codes) has no text after it, and
# its last items, read beside the menus and footer that follow, went one by one. Held out by corpus,
# models fixed: 0.9139 either way (cleaneval -0.0001, l3s-gn1 -0.0002, msv -0.0001: a site's list of
# sections closing a container that holds the story); on synthetic articles in five CMS templates a
# list of five short items closing the article kept 35 of 75 items, now 66. Nor does a run that ends
# its section (a heading follows it): a manual page's list of options, or a guide's list of steps, ends
# where the next section starts, and the model, which learnt from news, rates the next section's
# heading as it rates a menu's. Held out by corpus, the models of the shipped build fixed
# (bench/compare_builds.py): 0.9169 either way (cleaneval +0.0002, l3s-gn1 -0.0001); Git's
# documentation (bench/docs_pages.py --kind asciidoc) 0.968 -> 0.971, Python's, PostgreSQL's and
# Rust's unchanged.
GROUP_REACH = 3
# A run right under a kept line that ends in a colon ("The firm advises employers on:") or a kept
# heading ("Key features") is the list that line announces: it needs no kept line after it. Held out
# by corpus, the models fixed: the colon, level (6 pages moved, 3 up, within 0.02), the heading too,
# level (3 more moved, 1 up); on synthetic pages, a law firm's list of services followed by a section
# the model dropped 0.78 -> 0.84, a product's key features above its dropped specifications table
# 0.62 -> 0.73. (Without the main container's bound, -0.0001: a list announced in a sidebar comes in.)
# A run both announced and followed by kept text (or closing the container) is the article's whatever
# the model rates it: a specifications table under "Specifications" rated 0.12 to 0.27, cell by cell,
# as a menu. Held out by corpus, the models fixed: 0.9159 -> 0.9161 (cleaneval +0.0007,
# cleanportaleval +0.0007, readability +0.0011; l3s-gn1 -0.0001, fundus -0.0001; 33 pages moved, 27
# up); the same with the bar at 0.1 or 0.2 of keep-probability instead of none; Python's
# documentation (bench/docs_pages.py --kind sphinx) 0.953 -> 0.955.
ANNOUNCING_END = ":"
# A line of at least this many words that ends in ANNOUNCING_END is a sentence announcing what follows
# it ("Use git stripspace with no arguments to obtain:", "The firm advises employers on:"): the main
# container's prose rule reads it as prose (cleaner.decide.parts.keep_main_prose), though it holds no
# sentence punctuation of read.prose's. Fewer words, it is a label ("Share:", "Tags:"). Held out by
# corpus, the models of the shipped build fixed: 0.9169 -> 0.9170 (magichtml +0.0005, cleaneval
# +0.0001; msv -0.0001); with 4 or 6 words the same. Git's documentation 0.968 -> 0.970 (with the runs
# that end their section, 0.971 -> 0.973: an example's sentence kept, the listing it announces with
# it), Python's 0.956 -> 0.957.
ANNOUNCING_MIN_WORDS = 5
# ... and when less than this share of its characters are link text: a list of links in the article's
# container is a menu or a related-stories block, whatever the model's probability says.
GROUP_MAX_LINK_DENSITY = 0.3
# A run of preformatted lines is kept when the lines kept hold at least this share of its characters.
PRE_KEPT_SHARE = 0.5


def group_lines(tags: Sequence[str], ancestors: Sequence[frozenset[str]]) -> np.ndarray:
    """Per line, from its block's tag and its ancestors' tags: a list item, a table cell or a
    preformatted line (:data:`PART_TAGS`), or a block that is not a heading inside a list item or a
    definition (:data:`ITEM_ANCESTORS`), or inside a data table's cell (:data:`CELL_ANCESTORS` under
    :data:`DATA_TABLE_ANCESTORS`)."""
    grouped = tags_in(tags, PART_TAGS)
    in_cell = lines_inside(ancestors, CELL_ANCESTORS) & lines_inside(ancestors, DATA_TABLE_ANCESTORS)
    return grouped | ((lines_inside(ancestors, ITEM_ANCESTORS) | in_cell) & ~tags_in(tags, HEADING_TAGS))


def main_group_lines(
    kept: np.ndarray,
    keep: np.ndarray,
    texts: Sequence[str],
    bounds: Sequence[int],
    tags: Sequence[str],
    grouped: np.ndarray,
    link_density: np.ndarray,
    in_main: np.ndarray,
    main_threshold: float,
) -> np.ndarray:
    """The lines to keep besides the ``kept`` ones (``keep``: their keep-probabilities): the runs of
    ``grouped`` lines (:func:`group_lines`: list items, table cells and preformatted lines, ``tags``
    saying which) of each page's main container kept whole where they stand between kept lines (within
    :data:`GROUP_REACH` lines each way; a run that ends the container, the page or its section (a
    heading follows it), or that a kept heading or line ending in :data:`ANNOUNCING_END` announces,
    needs none after it), their link characters are under :data:`GROUP_MAX_LINK_DENSITY` of their
    characters, and their mean keep-probability reaches ``main_threshold`` (or they are both announced
    and followed by kept text: then the model's rating does not matter). A run is at least two lines,
    or one preformatted line (a one-line code listing); a list of one item is a line like any other."""
    grouped = grouped & in_main
    added = np.zeros(len(texts), dtype=bool)
    if not grouped.any():  # no list, table or listing in the main container (many pages)
        return added
    chars = line_chars(texts)
    page_of = line_pages(bounds)
    for start, end in runs(grouped, bounds):
        total = float(chars[start:end].sum())
        if (end - start < 2 and tags[start] not in PRE_TAGS) or not total:
            continue
        page_start, page_end = int(bounds[page_of[start]]), int(bounds[page_of[start] + 1])
        closes = end == page_end or not in_main[end] or tags[end] in HEADING_TAGS
        announced = start > page_start and kept[start - 1] and _announces(texts[start - 1], tags[start - 1])
        followed = closes or kept[end : min(end + GROUP_REACH, page_end)].any()
        between = kept[max(start - GROUP_REACH, page_start) : start].any() and (announced or followed)
        if not between:  # most runs: their links and rating need not be measured
            continue
        linked = float((link_density[start:end] * chars[start:end]).sum()) / total
        rated = float((keep[start:end] * chars[start:end]).sum()) / total
        if linked < GROUP_MAX_LINK_DENSITY and (rated >= main_threshold or announced and followed):
            added[start:end] = ~kept[start:end]
    return added


def _announces(text: str, tag: str) -> bool:
    """Whether a line announces the list under it: it ends in :data:`ANNOUNCING_END` or is a heading."""
    return tag in HEADING_TAGS or _ends_announcing(text)


def _ends_announcing(text: str) -> bool:
    return text.rstrip().endswith(ANNOUNCING_END)


def announcing_lines(texts: Sequence[str]) -> np.ndarray:
    """Per line: a sentence announcing what follows it, :data:`ANNOUNCING_MIN_WORDS` words or more
    ending in :data:`ANNOUNCING_END`."""
    announcing = np.zeros(len(texts), dtype=bool)
    # Few lines hold a colon (a cheap test, where stripping every line is not): only those are read.
    for i in [i for i, text in enumerate(texts) if ANNOUNCING_END in text]:
        text = texts[i]
        if _ends_announcing(text) and len(text.split()) >= ANNOUNCING_MIN_WORDS:
            announcing[i] = True
    return announcing


def preformatted_kept(kept: np.ndarray, texts: Sequence[str], bounds: Sequence[int], tags: Sequence[str]) -> np.ndarray:
    """``kept`` with each run of preformatted lines (``tags`` in ``PRE_TAGS``) kept whole when its
    kept lines hold at least :data:`PRE_KEPT_SHARE` of its characters, dropped whole otherwise."""
    pre = tags_in(tags, PRE_TAGS)
    if not pre.any():
        return kept
    kept = kept.copy()
    chars = line_chars(texts)
    for start, end in runs(pre, bounds):
        total = float(chars[start:end].sum())
        if end - start > 1 and total:
            kept[start:end] = float(chars[start:end][kept[start:end]].sum()) >= PRE_KEPT_SHARE * total
    return kept


# A paragraph (``<p>``, no link text) of the main container whose parent element holds other lines,
# all of them kept, is kept with them: a post's closing "Thanks!", a one-line paragraph between two
# kept ones, which the model reads as a menu entry for its shortness. Not the lines the model reads as
# captions and credits (the caller's ``candidates``): a copyright line under the story shares its
# element. Held out by corpus, the models of the shipped build fixed (bench/compare_builds.py):
# 0.9161 -> 0.9165 (dragnet +0.0009, magichtml +0.0013, cleaneval +0.0004, googletrends2017 +0.0002;
# l3s-gn1 -0.0002, fundus -0.0001; 67 pages moved, 45 up). Anywhere on the page, not only in the main
# container, the same figure with 76 pages moved; paragraphs among paragraphs only, 0.9162.
SIBLING_TAGS = frozenset({"p"})


def sibling_paragraph_lines(
    kept: np.ndarray,
    candidates: np.ndarray,
    bounds: Sequence[int],
    tags: Sequence[str],
    link_density: np.ndarray,
    in_main: np.ndarray,
    parent_ranges: np.ndarray,
) -> np.ndarray:
    """The dropped :data:`SIBLING_TAGS` lines among ``candidates``, without link text and inside the main
    container, whose parent element (``parent_ranges``: its lines, ``(first, end)`` counted from the
    page's first line, -1 for the whole page) holds two lines or more, every other one of them kept."""
    plain = tags_in(tags, SIBLING_TAGS) & candidates & in_main & ~kept & (link_density == 0)
    lines = plain.nonzero()[0]  # few lines, often none: the parents' lines are counted for those only
    if not len(lines):
        return plain
    first, end = parent_ranges[lines, 0], parent_ranges[lines, 1]
    known = first >= 0
    page_start = np.asarray(bounds[:-1], dtype=np.int64)[line_pages(bounds)[lines]]
    low = np.where(known, page_start + first, 0)
    high = np.where(known, page_start + end, 0)
    kept_before = np.concatenate(([0], np.cumsum(kept, dtype=np.int64)))
    others_kept = kept_before[high] - kept_before[low] == end - first - 1
    plain[lines] = known & (end - first >= 2) & others_kept
    return plain
