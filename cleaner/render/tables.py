"""Which tables of a page the Markdown writes as pipe tables: its *data* tables (see
:mod:`cleaner.render.markdown`'s notes); any other table is layout, its lines rendered as what they are."""

from __future__ import annotations

from cleaner.read.structure import CELL, ROW, TABLE
from cleaner.records import StructureColumns

# A data table has text in at least this many rows and columns, and is at most MAX_COLUMNS wide: a
# table of one row (a bar of links) or one column (a page's layout) is layout.
MIN_ROWS = 2
MIN_COLUMNS = 2
MAX_COLUMNS = 64


def data_tables(structure: StructureColumns) -> set[int]:
    """The tables of a page rendered as pipe tables (see the module's notes); computed from all its
    lines, kept or not."""
    frames_of, owners, tags = structure.frames, structure.owners, structure.tags
    positions: dict[int, list[int]] = {}  # per distinct chain: where its tables are in it
    # table -> [still data, width, {cell: owner}, a cell line seen, rows with text, columns with text]
    states: dict[int, list] = {}
    for line, frames in enumerate(frames_of):
        if not frames:
            continue
        found = positions.get(id(frames))
        if found is None:
            found = positions[id(frames)] = [i for i, frame in enumerate(frames) if frame[0] == TABLE]
        for position in found:
            state = states.setdefault(frames[position][1], [True, 0, {}, False, set(), set()])
            if not state[0]:
                continue
            inside = frames[position + 1 :]
            if not inside:  # a caption, before the rows; any other text outside the cells makes it layout
                if state[3] or tags[line] != "caption":
                    state[0] = False
                continue
            if len(inside) != 2 or inside[0][0] != ROW or inside[1][0] != CELL or inside[1][2] < 0:
                state[0] = False
                continue
            cell = inside[1]
            state[3] = True
            if state[2].setdefault(cell[1], owners[line]) != owners[line]:
                state[0] = False
                continue
            state[1] = max(state[1], cell[2] + cell[3])
            state[4].add(frames[position + 1][1])
            state[5].add(cell[2])
    return {
        table
        for table, (data, width, _, _, rows, columns) in states.items()
        if data and width <= MAX_COLUMNS and len(rows) >= MIN_ROWS and len(columns) >= MIN_COLUMNS
    }
