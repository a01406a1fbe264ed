"""Markdown: the kept lines of a page, with the shape of the article around them.

The words are exactly those of the plain rendering (:mod:`cleaner.render.text`), in the same order:
Markdown adds markers and never drops or reorders kept text. The markers: ``#`` to ``######`` before
headings; ``- `` and ``N. `` before list items (``N`` the item's place in its list, from the list's
``start``), nested items indented under their parent's text; ``> `` before quoted lines; code fences
around preformatted blocks (their lines unchanged, their blank lines kept); pipe tables; a backslash
at the end of a line broken inside its paragraph (``<br>``); a backslash before what would otherwise
be Markdown (a line of text reading "1. ..." or "# ...", ``*emphasis*``, ``<tags>``: see
:mod:`cleaner.render.escape`); and, with ``links=True``, links as ``[text](url)``. A list right inside
a list (no item between them) goes under the outer list's last item, all its items.

Tables: the classifier decides per line (one line per cell), the renderer rebuilds the table. A
*data* table becomes a pipe table: every line of it in a cell of one of its rows (a ``<caption>``
before the rows aside), each cell's text in one block, no list, heading, quote, code or table inside,
text in two rows and two columns or more, at most :data:`MAX_COLUMNS` columns. Each row that has a
kept line becomes a row, its cells holding their kept text (a cell with none is empty; the lines of
one cell are joined by spaces; ``|`` escaped); cells sit in their columns (``colspan`` leaves the
columns it covers empty, and so do the cells a ``rowspan`` covers in the rows below); the first row
rendered is the header row, followed by the separator row. Any other table is layout: its lines
render as the paragraphs, lists... they are.

Blank lines: one where the plain rendering has one (a paragraph break, or lines left out), and
between blocks that Markdown would otherwise join (a paragraph and the next block, the end of a
list); items of one list follow each other directly, as rows of a table do.

Text and Markdown input have no structure: their kept lines pass through as they are
(:func:`~cleaner.render.text.render_kept`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urljoin

from cleaner.read.structure import CELL, HEADING, ITEM, LIST, PRE, QUOTE, ROW, TABLE
from cleaner.records import ReadPage, StructureColumns
from cleaner.render.escape import escape_heading, escape_inline, escape_start, escape_url
from cleaner.render.tables import MAX_COLUMNS, data_tables
from cleaner.render.text import render_lines
from cleaner.urls import page_base

__all__ = ["MAX_COLUMNS", "render_markdown"]

# List markers, in two styles: a list whose items start where the items of another list of its kind
# were written last (right after it, or under no item where the other stood) takes the other style,
# as a blank line does not part two lists in Markdown.
BULLETS = ("- ", "* ")
ORDERED_DELIMITERS = (".", ")")
# What a unit of text put last in its innermost container (see _Writer._wrote).
_TEXT = ("text",)
QUOTE_MARK = "> "
_MARKER_CHARS_RE = re.compile(r"[^> ]")  # in a prefix: the characters of list markers
HARD_BREAK = "\\"

# Links that lead nowhere a reader can follow from the text: scripts, inline data, files on the
# author's disk, in-page anchors.
_SKIPPED_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
_BACKTICKS_RE = re.compile(r"`{3,}")


def render_markdown(
    page: ReadPage, kept: Sequence[bool] | None = None, *, links: bool = False, url: str | None = None
) -> str:
    """The kept lines of ``page`` as Markdown (every line when ``kept`` is None), with a final newline.

    ``links=True`` writes the links of the kept text as ``[text](url)``, resolved against the page's
    ``<base href>`` and ``url`` (where the page came from); it needs a page read with ``links=True``
    (:func:`cleaner.read.read_page`). Without it, a link's text only. Text input passes through
    (:func:`~cleaner.render.text.render_kept`).
    """
    count = len(page.texts)
    if kept is None:
        chosen = list(range(count))
    else:
        flags = list(kept)
        if len(flags) != count:
            raise ValueError(f"kept has {len(flags)} entries for {count} lines")
        chosen = [index for index, flag in enumerate(flags) if flag]
    structure = page.structure
    if structure is None:
        return render_lines([page.numbers[i] for i in chosen], [page.texts[i] for i in chosen])
    if links and structure.links is None:
        raise ValueError("links=True needs a page read with links=True")
    return _Writer(page, structure, structure.links if links else None, page_base(structure.base, url)).write(chosen)


class _Unit:
    """Consecutive kept lines rendered together: a paragraph line, a heading, a table, a code block."""

    __slots__ = ("kind", "anchor", "context", "level", "lines")

    def __init__(self, kind: str, anchor: int, context: tuple, level: int, line: int) -> None:
        self.kind = kind  # "text", "heading", "table" or "code"
        self.anchor = anchor  # the table or pre element (-1 for text and headings)
        self.context = context  # the quotes, lists and items around it, outermost first
        self.level = level  # of a heading
        self.lines = [line]


class _Writer:
    """One page's Markdown, unit after unit."""

    def __init__(
        self,
        page: ReadPage,
        structure: StructureColumns,
        links: dict[int, tuple[tuple[int, int, str], ...]] | None,
        base: str | None,
    ) -> None:
        self.numbers, self.texts = page.numbers, page.texts
        self.structure = structure
        self.links = links
        self.base = base
        self.tables = data_tables(structure)
        self.markers: dict[int, str] = {}  # list items given their marker: element -> marker
        self.list_styles: dict[int, int] = {}  # lists: element -> its markers' style (see _list_style)
        self.last_in: dict[tuple, tuple] = {}  # per container (a context): the frame written in it last
        self.hosts: dict[int, str] = {}  # lists right inside lists: element -> the indent of their host item
        # Per place a line may start at (its quote marks and indents, markers as spaces): the list whose
        # item marker was written there last, as (element, ordered, style), or None after other text.
        self.written_at: dict[str, tuple | None] = {}
        self.out: list[str] = []
        self.places: dict[int, tuple[str, int, tuple, int]] = {}

    def write(self, chosen: list[int]) -> str:
        previous: _Unit | None = None
        for unit in self._units(chosen):
            if previous is not None:
                self._separate(previous, unit)
            getattr(self, "_write_" + unit.kind)(unit)
            self._wrote(unit.context)
            self.written_at[self._place_of(unit.context)] = None
            previous = unit
        return "\n".join(self.out) + "\n" if self.out else ""

    # -- units ------------------------------------------------------------------------------------

    def _place(self, frames: tuple) -> tuple[str, int, tuple, int]:
        """What a line of a block with these frames is: (kind, anchor, context, heading level)."""
        found = self.places.get(id(frames))
        if found is not None:
            return found
        context: list[tuple] = []
        level = 0
        found = ("", -1, (), 0)
        for position, frame in enumerate(frames):
            kind = frame[0]
            if kind == TABLE:
                if frame[1] in self.tables:
                    inside = frames[position + 1 : position + 2]
                    if inside and inside[0][0] == ROW:  # a caption otherwise: a paragraph before the table
                        found = ("table", frame[1], tuple(context), 0)
                        break
            elif kind == PRE:
                found = ("code", frame[1], tuple(context), 0)
                break
            elif kind == HEADING:
                level = frame[2]
            elif kind != ROW and kind != CELL:  # QUOTE, LIST, ITEM
                context.append(frame)
        else:
            found = ("heading" if level else "text", -1, tuple(context), level)
        self.places[id(frames)] = found
        return found

    def _units(self, chosen: list[int]) -> list[_Unit]:
        units: list[_Unit] = []
        frames_of, owners, numbers = self.structure.frames, self.structure.owners, self.numbers
        last = None
        for line in chosen:
            kind, anchor, context, level = self._place(frames_of[line])
            if last is not None and kind == last.kind:
                if kind in ("table", "code") and anchor == last.anchor:
                    last.lines.append(line)
                    continue
                previous = last.lines[-1]
                # A heading broken by <br> stays one heading.
                if kind == "heading" and owners[line] == owners[previous] and numbers[line] == numbers[previous] + 1:
                    last.lines.append(line)
                    continue
            last = _Unit(kind, anchor, context, level, line)
            units.append(last)
        return units

    def _separate(self, previous: _Unit, unit: _Unit) -> None:
        """What stands between two units: a hard break, a new line, or a blank line."""
        before, after = previous.lines[-1], unit.lines[0]
        follows = self.numbers[after] == self.numbers[before] + 1
        if follows and previous.kind == unit.kind == "text":
            if self.structure.owners[before] == self.structure.owners[after]:  # a <br>
                self.out[-1] += HARD_BREAK
                return
        common = 0
        for mine, theirs in zip(previous.context, unit.context):
            if mine != theirs:
                break
            common += 1
        parted = any(frame[0] == QUOTE for frame in (*previous.context[common:], *unit.context[common:]))
        if follows and not parted and any(frame[0] == LIST for frame in unit.context[:common]):
            # The next item of the same list (or of a list nested in it) follows directly; but a list
            # numbered from another number than 1 cannot start right under a paragraph (CommonMark
            # would read it as the paragraph's text).
            fresh = [frame for frame in unit.context if frame[0] == ITEM and frame[1] not in self.markers]
            if fresh and not (fresh[0][2] > 1 and not _continues(previous, unit, fresh[0])):
                return
        self.out.append(self._prefix(unit.context[:common], marked=False).rstrip())

    # -- prefixes and text ------------------------------------------------------------------------

    def _prefix(self, context: tuple, marked: bool = True) -> str:
        """The quote marks and list indents of a line; ``marked``: list items not yet marked get their marker."""
        parts = []
        previous: tuple = ()
        for position, frame in enumerate(context):
            kind = frame[0]
            if kind == QUOTE:
                parts.append(QUOTE_MARK)
            elif kind == ITEM:
                marker = self.markers.get(frame[1])
                if marker is None:
                    in_list = previous if previous and previous[0] == LIST else None
                    place = _blanked("".join(parts))
                    style = self._list_style(in_list, frame, place)
                    marker = f"{frame[2]}{ORDERED_DELIMITERS[style]} " if frame[2] else BULLETS[style]
                    if marked:
                        self.markers[frame[1]] = marker
                        self.written_at[place] = (in_list[1] if in_list else None, bool(frame[2]), style)
                        parts.append(marker)
                        previous = frame
                        continue
                parts.append(" " * len(marker))
            elif kind == LIST and previous and previous[0] == LIST:
                # A list right inside a list (no item between, as some pages nest them) goes under the
                # outer list's last item, at its text, when an item of it is what came last in it as
                # the inner list starts (or such a list, under the same item); all its lines then.
                indent = self.hosts.get(frame[1])
                if indent is None:
                    last = self.last_in.get(context[:position])
                    indent = ""
                    if last is not None and last[0] == ITEM:
                        indent = " " * len(self.markers[last[1]])
                    elif last is not None and last[0] == LIST:
                        indent = self.hosts.get(last[1], "")
                    self.hosts[frame[1]] = indent
                parts.append(indent)
            previous = frame
        return "".join(parts)

    def _place_of(self, context: tuple) -> str:
        """Where the lines of a unit in ``context`` start (see ``written_at``)."""
        return _blanked(self._prefix(context, marked=False))

    def _list_style(self, in_list: tuple | None, item: tuple, place: str) -> int:
        """The markers of the list ``in_list`` (None: an item outside any list), whose first item
        ``item`` starts at ``place`` (0: "-" and "1.", 1: "*" and "1)"): the other style than the items
        of another list of its kind written last at the same place, which Markdown would otherwise read
        as one list with it (two lists in a row, a list whose items stand where its host's do)."""
        style = self.list_styles.get(in_list[1]) if in_list is not None else None
        if style is not None:
            return style
        last = self.written_at.get(place)
        if last is None or last[1] != bool(item[2]):  # a list of the other kind starts a list anyway
            style = 0
        elif last[0] == (in_list[1] if in_list is not None else None):  # items outside lists, in a row
            style = last[2]
        else:
            style = 1 - last[2]
        if in_list is not None:
            self.list_styles[in_list[1]] = style
        return style

    def _wrote(self, context: tuple) -> None:
        """Note what a unit of this context put last in each container around it (for :meth:`_prefix`)."""
        for depth in range(len(context) + 1):
            self.last_in[context[:depth]] = context[depth] if depth < len(context) else _TEXT

    def _text(self, line: int) -> str:
        """A line's text, with its links when asked for."""
        text = self.texts[line]
        spans = self.links.get(line) if self.links is not None else None
        if not spans:
            return escape_inline(text)
        parts = []
        position = 0
        outside = " "  # what the Markdown holds before the next piece: a space, or a link's ")"
        for start, end, href in spans:
            target = self._target(href)
            if target is None or start < position:
                continue
            parts.append(escape_inline(text[position:start], before=outside, after="["))
            parts.append(f"[{escape_inline(text[start:end], link_text=True, before='[', after=']')}]({target})")
            position, outside = end, ")"
        parts.append(escape_inline(text[position:], before=outside))
        return "".join(parts)

    def _target(self, href: str) -> str | None:
        """A link's URL, absolute when the page or the caller gives a base; None for links to skip."""
        href = href.strip().replace("\t", "").replace("\n", "").replace("\r", "")
        if not href or href.startswith("#") or href.lower().startswith(_SKIPPED_SCHEMES):
            return None
        try:
            target = urljoin(self.base, href) if self.base else href
        except ValueError:  # an invalid URL (a bad IPv6 host...)
            return None
        return escape_url(target)

    # -- the kinds of units -----------------------------------------------------------------------

    def _write_text(self, unit: _Unit) -> None:
        self.out.append(self._prefix(unit.context) + escape_start(self._text(unit.lines[0])))

    def _write_heading(self, unit: _Unit) -> None:
        text = " ".join(self._text(line) for line in unit.lines)
        self.out.append(f"{self._prefix(unit.context)}{'#' * unit.level} {escape_heading(text)}")

    def _write_code(self, unit: _Unit) -> None:
        texts = [self.texts[line] for line in unit.lines]
        longest = max((len(run) for text in texts for run in _BACKTICKS_RE.findall(text)), default=2)
        fence = "`" * (longest + 1)
        self.out.append(self._prefix(unit.context) + fence)
        inside = self._prefix(unit.context)
        blank = inside.rstrip()
        previous = None
        for line, text in zip(unit.lines, texts):
            if previous is not None and self.numbers[line] != self.numbers[previous] + 1:
                # The blank lines of the block as written; one where lines were left out.
                adjacent = line == previous + 1
                blanks = self.structure.pre_blanks.get(line, 1) if adjacent else 1
                self.out.extend([blank] * blanks)
            self.out.append(inside + text if text else blank)
            previous = line
        self.out.append(inside + fence)

    def _write_table(self, unit: _Unit) -> None:
        frames_of = self.structure.frames
        rows: dict[int, dict[int, list[str]]] = {}
        width = 0
        for line in unit.lines:
            frames = frames_of[line]
            position = next(i for i, frame in enumerate(frames) if frame[0] == TABLE and frame[1] == unit.anchor)
            row, cell = frames[position + 1], frames[position + 2]
            column, span = cell[2], cell[3]
            rows.setdefault(row[1], {}).setdefault(column, []).append(self._text(line).replace("|", "\\|"))
            width = max(width, column + span)
        for index, cells in enumerate(rows.values()):
            values = [" ".join(cells[column]) if column in cells else "" for column in range(width)]
            self.out.append(self._prefix(unit.context) + "| " + " | ".join(values) + " |")
            if not index:
                self.out.append(self._prefix(unit.context) + "|" + " --- |" * width)


def _blanked(prefix: str) -> str:
    """A line's prefix with its quote marks as written and its list markers as the spaces they take."""
    return _MARKER_CHARS_RE.sub(" ", prefix)


def _continues(previous: _Unit, unit: _Unit, item: tuple) -> bool:
    """Whether ``item``, a new item of ``unit``'s, is the next item of a list that ``previous`` is in:
    in one of its items, or in a list nested in it (not text standing in the list outside its items)."""
    position = unit.context.index(item)
    parent = unit.context[position - 1] if position else None
    mine = previous.context
    return any(
        mine[i] == parent and mine[i + 1][0] in (ITEM, LIST) and any(frame[0] == ITEM for frame in mine[i + 1 :])
        for i in range(len(mine) - 1)
    )  # a list nested right in the list (no item around it) holds the line only in one of its own items
