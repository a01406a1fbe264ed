"""A block's text pieces (as the parser gives them, with ``<br>`` marks and which pieces sit inside a
link) joined into its lines: white space collapsed as a browser shows it, or kept in preformatted blocks."""

from __future__ import annotations

from cleaner.read.tags import BR


def split_collapsed(pieces: list[str], links: list[int]) -> list[tuple[str, int]]:
    """Join a block's text pieces into lines (split at <br>), whitespace collapsed, with link chars.

    ``links`` holds the indexes of the pieces inside an ``<a>``. A collapsed space counts as link text
    when the first whitespace character of the run it replaces was inside a link. Empty lines are kept
    (as ``("", 0)``): between two lines, they are a blank line a reader sees.
    """
    if not links:
        return [(" ".join(segment.split()), 0) for segment in "".join(pieces).split(BR)]
    in_link = [False] * len(pieces)
    for index in links:
        in_link[index] = True
    result: list[tuple[str, int]] = []
    parts: list[str] = []
    link_chars = 0
    pending: bool | None = None  # whitespace seen since the last word: was its first char in a link?
    started = False
    for piece, linked in zip(pieces, in_link):
        if piece == BR:
            result.append(("".join(parts), link_chars))
            parts, link_chars, pending, started = [], 0, None, False
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
        parts.append(core)
        if linked:
            link_chars += len(core)
        started = True
        pending = linked if piece[-1].isspace() else None
    result.append(("".join(parts), link_chars))
    return result


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
