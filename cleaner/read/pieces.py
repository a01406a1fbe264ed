"""A block's text pieces (as the parser gives them, with ``<br>`` marks and which pieces sit inside a
link) joined into its lines: white space collapsed as a browser shows it, or kept in preformatted blocks."""

from __future__ import annotations

from cleaner.read.lines import respaced
from cleaner.read.tags import BR


def drop_marker(pieces: list[str], link_pieces: list[int], link_refs: list, start: int) -> None:
    """Take a sign that links within the page (the text of a link to a fragment of it: ``pieces[start:]``,
    see :func:`cleaner.read.tags.permalink`) out of its block's pending text when it holds no letter or
    digit, with its entries in ``link_pieces`` (indexes into ``pieces``) and ``link_refs`` (parallel to
    them, or empty). A space stays where the sign held one, between words; a link of white space alone
    is left as it is."""
    marker = "".join(pieces[start:])
    if not marker or marker.isspace() or any(map(str.isalnum, marker)):
        return
    del pieces[start:]
    inside = sum(1 for index in link_pieces if index >= start)  # the last ones
    if inside:
        del link_pieces[-inside:]
        if link_refs:
            del link_refs[-inside:]
    if any(map(str.isspace, marker)):
        pieces.append(" ")


def split_collapsed(pieces: list[str], links: list[int]) -> list[tuple[str, int]]:
    """Join a block's text pieces into lines (split at <br>), whitespace collapsed, with link chars.

    ``links`` holds the indexes of the pieces inside an ``<a>``. A collapsed space counts as link text
    when the first whitespace character of the run it replaces was inside a link. Empty lines are kept
    (as ``("", 0)``): between two lines, they are a blank line a reader sees.
    """
    if not links:
        return [(respaced(segment), 0) for segment in "".join(pieces).split(BR)]
    # The links' targets do not change the lines: without one, a link gives no span to record.
    return split_linked(pieces, links, [(index, None) for index in links])[0]


LinkRef = tuple  # (number of the <a> element, its href or None)
LinkSpan = tuple  # (start, end, href): characters start:end of a line are the text of a link to href


def split_linked(
    pieces: list[str], links: list[int], refs: list[LinkRef]
) -> tuple[list[tuple[str, int]], list[tuple[LinkSpan, ...]]]:
    """:func:`split_collapsed` (the same lines and link characters), with the links of each line.

    ``refs[k]`` is the link the piece ``links[k]`` is in. A link's span runs from the first to the
    last character of its text in the line (consecutive pieces of one ``<a>`` make one span, the
    collapsed spaces between them included); links without an href give none.
    """
    ref_of: list[LinkRef | None] = [None] * len(pieces)
    for index, ref in zip(links, refs):
        ref_of[index] = ref
    result: list[tuple[str, int]] = []
    spans: list[tuple[LinkSpan, ...]] = []
    parts: list[str] = []
    line_spans: list[LinkSpan] = []
    current: list | None = None  # the open span: [ref, start, end]
    link_chars = position = 0
    pending: bool | None = None  # white space seen since the last word: was its first character in a link?
    started = False

    def close() -> None:
        if current is not None and current[0][1]:
            line_spans.append((current[1], current[2], current[0][1]))

    for piece, ref in zip(pieces, ref_of):
        linked = ref is not None
        if piece == BR:
            close()
            result.append(("".join(parts), link_chars))
            spans.append(tuple(line_spans))
            parts, line_spans, current = [], [], None
            link_chars, position, pending, started = 0, 0, None, False
            continue
        core = " ".join(piece.split())
        if not core:  # whitespace only
            if started and pending is None and piece:
                pending = linked
            continue
        if started:
            if pending is None and piece[0].isspace():
                pending = linked
            if pending is not None:
                parts.append(" ")
                link_chars += pending
                position += 1
        parts.append(core)
        end = position + len(core)
        if linked:
            link_chars += len(core)
            if current is not None and current[0] == ref:
                current[2] = end
            else:
                close()
                current = [ref, position, end]
        elif current is not None:
            close()
            current = None
        position = end
        started = True
        pending = linked if piece[-1].isspace() else None
    close()
    result.append(("".join(parts), link_chars))
    spans.append(tuple(line_spans))
    return result, spans


def split_pre(pieces: list[str], links: list[int]) -> list[tuple[str, int]]:
    """Join a preformatted block's pieces into its source lines (trailing whitespace removed, empty
    lines kept as ``("", 0)``)."""
    link_set = set(links)
    result: list[tuple[str, int]] = []
    parts: list[tuple[str, bool]] = []

    def finish() -> None:
        text = "".join(part for part, _ in parts).rstrip()
        link_chars, position = 0, 0
        for part, linked in parts:
            if linked:
                link_chars += max(0, min(len(part), len(text) - position))
            position += len(part)
        result.append((text, link_chars))
        parts.clear()

    for index, piece in enumerate(pieces):
        if piece == BR:
            finish()
            continue
        linked = index in link_set
        for number, chunk in enumerate(piece.split("\n")):
            if number:
                finish()
            if chunk:
                parts.append((chunk, linked))
    finish()
    return result


def pre_gaps(found: list[tuple[str, int]]) -> list[tuple[int, int]]:
    """For a preformatted block's lines (empty ones included): (index among its non-empty lines, blank
    lines before it) for the lines after more than one blank line (the numbering shows one)."""
    gaps = []
    index = blanks = 0
    for text, _ in found:
        if not text:
            blanks += 1
            continue
        if blanks > 1 and index:
            gaps.append((index, blanks))
        index += 1
        blanks = 0
    return gaps


def record_links(
    links: dict[int, tuple[tuple[int, int, str], ...]],
    start: int,
    found: list[tuple[str, int]],
    spans: list[tuple[tuple[int, int, str], ...]],
) -> None:
    """Record the link spans of a block's lines, the first of them line ``start`` (empty lines are not lines)."""
    index = start
    for (text, _), line_spans in zip(found, spans):
        if text:
            if line_spans:
                links[index] = line_spans
            index += 1
