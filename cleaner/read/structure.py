"""The structure the segmenter records around each line, for renderings that keep the article's shape
(Markdown, :mod:`cleaner.render.markdown`): lists and their items, tables, rows and cells,
blockquotes, preformatted blocks and headings.

Each line gets the chain of structural elements around its block, outermost first, as a tuple of
*frames*; the lines of one block share one tuple (as they share their ancestors). A frame is a tuple
whose first two entries are its kind and the element's number (document order, as in
:class:`~cleaner.read.segment.Segments`):

- ``(QUOTE, n)``: a ``<blockquote>``;
- ``(LIST, n, ordered)``: a ``<ul>``, ``<ol>``, ``<menu>`` or ``<dir>``, ``ordered`` True for ``<ol>``;
- ``(ITEM, n, i)``: a ``<li>``, ``i`` its number (>= 1) in an ordered list (its ``value``, else the
  list's ``start`` for its first item and one more, or one less in a ``reversed`` list, for each
  next; a reversed list starts from its number of items), 0 in any other list;
- ``(HEADING, n, level)``: an ``<h1>`` .. ``<h6>``;
- ``(PRE, n)``: a ``<pre>`` (``<listing>``, ``<xmp>``, ``<plaintext>``), whose text is kept as written;
- ``(TABLE, n)``: a ``<table>``;
- ``(ROW, n, r)``: a ``<tr>``, ``r`` its index among the rows of its table (-1 outside a table);
- ``(CELL, n, column, colspan, header)``: a ``<td>`` or ``<th>``: its first column in its row (-1
  outside a row), the columns it spans, and True for ``<th>``.

Columns follow the HTML table model: a cell takes the first column of its row that no cell of the
rows above still covers (``rowspan``, which ends with its row group: a ``<thead>``, ``<tbody>`` or
``<tfoot>``; ``rowspan="0"`` reaches that end), and covers ``colspan`` columns. A row group gives
no frame of its own.

The segmenter only notes each structural element (number, tag, attributes) as it starts; the frames
are worked out from those notes and the elements' extents when a rendering asks for them
(:func:`line_frames`), so that reading a page for its plain text pays next to nothing for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

QUOTE = "blockquote"
LIST = "list"
ITEM = "li"
HEADING = "h"
PRE = "pre"
TABLE = "table"
ROW_GROUP = "tbody"
ROW = "tr"
CELL = "td"

# The frame kind of each structural tag.
STRUCTURE_TAGS: dict[str, str] = {
    "blockquote": QUOTE,
    **dict.fromkeys(("ul", "ol", "menu", "dir"), LIST),
    "li": ITEM,
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), HEADING),
    **dict.fromkeys(("pre", "listing", "xmp", "plaintext"), PRE),
    "table": TABLE,
    **dict.fromkeys(("thead", "tbody", "tfoot"), ROW_GROUP),
    "tr": ROW,
    "td": CELL,
    "th": CELL,
}
# Tags whose end the state must hear of (see StructureState.close).
CLOSING_TAGS = frozenset({"ul", "ol", "menu", "dir", "table", "tr"})
# The attributes of structural elements the frames read (a list's start and order, an item's number,
# a cell's spans).
STRUCTURE_ATTRIBUTES = ("start", "reversed", "value", "colspan", "rowspan")
# Item numbers Markdown writes: at least 1 (0 is how a frame says "not numbered"), at most 9 digits.
MIN_ITEM_NUMBER, MAX_ITEM_NUMBER = 1, 10**8
# How deep the chain of structural elements around a line goes (frames, outermost first): elements
# nested deeper are read as text of the innermost one kept. Each chain is a tuple of its own, so lists
# or tables nested n deep would take time and memory growing as n * n (20,000 nested lists: a minute
# and 7.7 GB for the Markdown), and no rendering shows such depths. No corpus page has more than 39.
MAX_STRUCTURE_DEPTH = 64
# Limits of the HTML table model.
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534
# How many columns of a table cells spanning rows from above may hold at once: a cell that would cover
# more spans one row. Placing a cell walks past the columns held from above, so without a bound a
# table whose every row adds a cell spanning the rest of the table took time growing as its rows
# squared (16,000 rows: 15 s); no Markdown rendering of such a table reads as a table anyway.
MAX_SPANNED_COLUMNS = 256

Frame = tuple
Chain = tuple  # of Frame, outermost first


def _number(value: str | None) -> int | None:
    """A list's start or an item's value as a number (None when missing or invalid)."""
    if not value:
        return None
    try:
        return max(min(int(value.strip()), MAX_ITEM_NUMBER), -MAX_ITEM_NUMBER)
    except ValueError:
        return None


def _span(value: str | None, limit: int, zero: int = 1) -> int:
    """A colspan or rowspan attribute as a number of columns or rows (1 when missing or invalid;
    ``zero`` for 0: a rowspan of 0 reaches the end of its row group)."""
    if not value:
        return 1
    try:
        number = int(value.strip())
    except ValueError:
        return 1
    return zero if number == 0 else min(max(number, 1), limit)


class StructureState:
    """The segmenter's structural state while a page is parsed: the open lists (their next item
    number) and the open tables (their rows, the columns taken by cells spanning rows, the next
    column of the open row)."""

    __slots__ = ("lists", "tables", "item_counts")

    def __init__(self, item_counts: Mapping[int, int] | None = None) -> None:
        self.lists: list[list] = []  # [next item number, ordered, step]
        # [rows so far, {column: last row a cell from above covers}, next column or -1, the least of
        # those last rows]
        self.tables: list[list] = []
        self.item_counts = item_counts or {}  # per reversed list: its items, whose count it starts from

    def open(self, kind: str, tag: str, number: int, attrib: Mapping[str, str], chain: Chain) -> Chain:
        """The chain of a structural element's block, from its parent block's ``chain``."""
        if kind == ITEM:
            ordinal = 0
            if self.lists:
                state = self.lists[-1]
                if state[1]:
                    given = _number(attrib.get("value")) if attrib else None
                    ordinal = given if given is not None else state[0]
                    state[0] = ordinal + state[2]
                    ordinal = min(max(ordinal, MIN_ITEM_NUMBER), MAX_ITEM_NUMBER)
            return (*chain, (ITEM, number, ordinal))
        if kind == LIST:
            ordered = tag == "ol"
            backwards = ordered and attrib is not None and "reversed" in attrib
            start = _number(attrib.get("start")) if ordered and attrib else None
            if start is None:
                start = self.item_counts.get(number, 1) if backwards else 1
            elif not backwards:
                start = max(start, MIN_ITEM_NUMBER)  # "0." and below are written from 1
            self.lists.append([start, ordered, -1 if backwards else 1])
            return (*chain, (LIST, number, ordered))
        if kind == CELL:
            return (*chain, self._cell(number, tag, attrib))
        if kind == ROW:
            index = -1
            if self.tables:
                table = self.tables[-1]
                index = table[0]
                table[0] += 1
                spans = table[1]
                if spans and table[3] < index:  # some cell from above no longer reaches this row
                    table[1] = {column: last for column, last in spans.items() if last >= index}
                    table[3] = min(table[1].values(), default=index)
                table[2] = 0
            return (*chain, (ROW, number, index))
        if kind == TABLE:
            self.tables.append([0, {}, -1, 0])
            return (*chain, (TABLE, number))
        if kind == ROW_GROUP:
            if self.tables:  # no cell of the rows above reaches into a new row group
                self.tables[-1][1] = {}
            return chain
        if kind == HEADING:
            return (*chain, (HEADING, number, int(tag[1])))
        return (*chain, (kind, number))  # QUOTE, PRE

    def _cell(self, number: int, tag: str, attrib: Mapping[str, str]) -> Frame:
        header = tag == "th"
        if not self.tables or self.tables[-1][2] < 0:
            return (CELL, number, -1, 1, header)
        table = self.tables[-1]
        colspan = _span(attrib.get("colspan"), MAX_COLSPAN) if attrib else 1
        rowspan = _span(attrib.get("rowspan"), MAX_ROWSPAN, zero=MAX_ROWSPAN) if attrib else 1
        column, spans, row = table[2], table[1], table[0] - 1
        while spans.get(column, -1) >= row:
            column += 1
        table[2] = column + colspan
        if rowspan > 1 and len(spans) + colspan <= MAX_SPANNED_COLUMNS:
            last = row + rowspan - 1
            table[3] = min(table[3], last) if spans else last
            for covered in range(column, column + colspan):
                spans[covered] = last
        return (CELL, number, column, colspan, header)

    def close(self, tag: str) -> None:
        """The end of an element of :data:`CLOSING_TAGS`."""
        if tag == "tr":
            if self.tables:
                self.tables[-1][2] = -1
        elif tag == "table":
            if self.tables:
                self.tables.pop()
        elif self.lists:
            self.lists.pop()


def line_frames(
    marks: Sequence[tuple[int, str, Mapping[str, str]]], ends: Mapping[int, int], owners: Sequence[int]
) -> list[Chain]:
    """Per line, the frames of the structural elements around it, outermost first (one tuple shared by
    the lines of a block; at most :data:`MAX_STRUCTURE_DEPTH` of them, the outermost).

    ``marks``: the structural elements (number, tag, attributes) in document order; ``ends``: for each
    of them, one past the last number of its subtree; ``owners``: per line, its block's number.
    """
    if not marks:
        return [()] * len(owners)
    state = StructureState(_reversed_item_counts(marks, ends))
    open_marks: list[tuple[int, Chain, str]] = []  # (end, chain, tag), innermost last
    chain_of: dict[int, Chain] = {}
    position, count = 0, len(marks)

    def close_before(number: int) -> None:
        while open_marks and open_marks[-1][0] <= number:
            tag = open_marks.pop()[2]
            if tag in CLOSING_TAGS:
                state.close(tag)

    for owner in sorted(set(owners)):
        while position < count and marks[position][0] <= owner:
            number, tag, attrib = marks[position]
            close_before(number)
            parent = open_marks[-1][1] if open_marks else ()
            if len(parent) < MAX_STRUCTURE_DEPTH:
                chain = state.open(STRUCTURE_TAGS[tag], tag, number, attrib, parent)
                open_marks.append((ends[number], chain, tag))
            position += 1
        close_before(owner)
        chain_of[owner] = open_marks[-1][1] if open_marks else ()
    return [chain_of[owner] for owner in owners]


def _reversed_item_counts(
    marks: Sequence[tuple[int, str, Mapping[str, str]]], ends: Mapping[int, int]
) -> dict[int, int]:
    """For each ``<ol reversed>``, its items (not those of the lists inside it): the number it counts
    down from."""
    if not any(tag == "ol" and attrib and "reversed" in attrib for _, tag, attrib in marks):
        return {}
    counts: dict[int, int] = {}
    lists: list[tuple[int, int]] = []  # (number, end) of the open lists, innermost last
    for number, tag, attrib in marks:
        while lists and lists[-1][1] <= number:
            lists.pop()
        if tag == "li" and lists:
            counts[lists[-1][0]] = counts.get(lists[-1][0], 0) + 1
        elif STRUCTURE_TAGS[tag] == LIST:
            lists.append((number, ends[number]))
    return counts
