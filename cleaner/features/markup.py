"""The markup feature set: what the HTML says about a line (its tag, its ancestors, the class/id hints
around it, its link density, how much of the page's prose its ancestors hold). Plain-text lines get
zeros (``has_markup`` 0)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.core import compiled
from cleaner.features.columns import Columns
from cleaner.features.counts import log_count
from cleaner.features.textbatch import TextBatch
from cleaner.read.segment import SHARED_ANCESTORS
from cleaner.read.tags import HEADING_TAGS, HINT_WORDS
from cleaner.records import MarkupColumns

# Block tags grouped by what they say about their text.
TAG_GROUPS: dict[str, frozenset[str]] = {
    "heading": HEADING_TAGS,
    "paragraph": frozenset({"p"}),
    "list_item": frozenset({"li", "dt", "dd"}),
    "table_cell": frozenset({"td", "th", "tr", "caption"}),
    "quote_or_code": frozenset({"blockquote", "pre", "code"}),
    "caption": frozenset({"figcaption"}),
    "generic": frozenset({"div", "span", "section", "article", "main", "body", "center", "font"}),
    "link": frozenset({"a"}),
}
ANCESTOR_FLAGS = ("nav", "footer", "aside", "header", "form", "ul", "ol", "table", "figure", "article", "main")
# The hints of class/id words, in the order the segmenter's vocabulary names them.
HINTS: tuple[str, ...] = tuple(dict.fromkeys(HINT_WORDS.values()))
ANCESTOR_SHARES = SHARED_ANCESTORS


def markup_features(page: TextBatch, counts: dict[str, np.ndarray]) -> Columns:
    n = page.n
    columns = page.markup
    if columns is None:
        columns = MarkupColumns.of([None] * n, ANCESTOR_SHARES)
    flags = markup_flags(columns.tags, columns.ancestors, columns.hints)
    shares = columns.ancestor_shares
    # One matrix, written a block at a time: the line feature matrix then takes the set in one copy
    # rather than one a column (some fifty of them).
    out = np.zeros((n, len(MARKUP_COLUMNS)))
    out[:, 0] = columns.present
    out[:, 1] = columns.link_density
    out[:, 2] = log_count(columns.depth.astype(float))
    out[:, 3] = log_count(columns.block_chars.astype(float))
    out[:, 4] = columns.in_main
    out[:, _FIRST_FLAG : _FIRST_FLAG + len(MARKUP_FLAGS)] = flags
    recorded = min(ANCESTOR_SHARES, shares.shape[1])
    out[:, _FIRST_SHARE : _FIRST_SHARE + recorded] = shares[:, :recorded]  # those not recorded stay 0
    return Columns(MARKUP_COLUMNS, out)


def markup_flags(
    tags: Sequence[str], ancestors: Sequence[frozenset[str]], hints: Sequence[frozenset[str]]
) -> np.ndarray:
    """Per line, which of :data:`MARKUP_FLAGS` hold: its block's tag's group, its ancestors' tags, its
    hints. Compiled where the core is built (``cleaner.features._markup``)."""
    core = compiled("cleaner.features._markup")
    if core is not None and type(tags) is list and type(ancestors) is list and type(hints) is list:
        return core.markup_flags(tags, ancestors, hints, TAG_COLUMN, ANCESTOR_COLUMN, HINT_COLUMN, len(MARKUP_FLAGS))
    return reference_markup_flags(tags, ancestors, hints)


def reference_markup_flags(
    tags: Sequence[str], ancestors: Sequence[frozenset[str]], hints: Sequence[frozenset[str]]
) -> np.ndarray:
    """:func:`markup_flags`, once per distinct combination of tag, ancestors and hints (the blocks of a
    page share a handful of them). As booleans, an eighth of the memory of floats on a page of tens of
    thousands of blocks: the matrix they are written into holds them as 0.0 and 1.0."""
    keys = list(zip(tags, ancestors, hints, strict=True))
    distinct = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    table = np.zeros((len(distinct), len(MARKUP_FLAGS)), dtype=bool)
    for key, row in distinct.items():
        table[row, _flag_columns(*key)] = True
    return table[np.fromiter(map(distinct.__getitem__, keys), dtype=np.intp, count=len(keys))] if keys else table[:0]


def _flag_columns(tag: str, ancestors: frozenset[str], hints: frozenset[str]) -> list[int]:
    found = (TAG_COLUMN.get(tag), *map(ANCESTOR_COLUMN.get, ancestors), *map(HINT_COLUMN.get, hints))
    return [column for column in found if column is not None]


# The markup's yes/no features in column order, and where each tag, ancestor and hint sets one.
MARKUP_FLAGS = (
    *(f"tag_{group}" for group in TAG_GROUPS),
    *(f"inside_{tag}" for tag in ANCESTOR_FLAGS),
    *(f"hint_{hint}" for hint in HINTS),
)
# The set's columns: the numbers of the block, then the flags, then the ancestors' shares of the prose.
MARKUP_COLUMNS = (
    "has_markup",
    "link_density",
    "log_depth",
    "log_container_chars",
    "in_main",
    *MARKUP_FLAGS,
    *(f"ancestor_share_{k}" for k in range(ANCESTOR_SHARES)),
)
_FIRST_FLAG = MARKUP_COLUMNS.index(MARKUP_FLAGS[0])
_FIRST_SHARE = _FIRST_FLAG + len(MARKUP_FLAGS)
TAG_COLUMN = {tag: MARKUP_FLAGS.index(f"tag_{group}") for group, tags in TAG_GROUPS.items() for tag in tags}
ANCESTOR_COLUMN = {tag: MARKUP_FLAGS.index(f"inside_{tag}") for tag in ANCESTOR_FLAGS}
HINT_COLUMN = {hint: MARKUP_FLAGS.index(f"hint_{hint}") for hint in HINTS}
