"""Plain text: kept lines back into text.

One rule for every output: the kept lines, unchanged and in their order, one per line, with one blank
line wherever anything stood between two of them (a paragraph break, or lines left out), and a final
newline. A line's number says where it stood: consecutive numbers are consecutive lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import compress
from typing import Protocol


class NumberedText(Protocol):
    number: int
    text: str


class NumberedLine(NumberedText, Protocol):
    kept: bool


def render_lines(numbers: Sequence[int], texts: Sequence[str], previous: int | None = None) -> str:
    """Lines given by their numbers and texts, one per line, with a blank line where the numbers skip;
    with a final newline. ``previous`` is the number of a line rendered before them (a stream's last
    piece): a blank line comes first if they do not follow it."""
    if not texts:
        return ""
    out: list[str] = []
    start = 0
    for end, (before, number) in enumerate(zip(numbers, numbers[1:]), start=1):
        if number != before + 1:
            out.append("\n".join(texts[start:end]))
            start = end
    out.append("\n".join(texts[start:]))
    lead = "\n" if previous is not None and numbers[0] != previous + 1 else ""
    return lead + "\n\n".join(out) + "\n"


def render_kept(numbers: Sequence[int], texts: Sequence[str], kept: Iterable[bool]) -> str:
    """:func:`render_lines` of the lines set in ``kept``."""
    chosen = list(kept)
    return render_lines(list(compress(numbers, chosen)), list(compress(texts, chosen)))


def render_results(results: Iterable[NumberedLine], previous: int | None = None) -> str:
    """:func:`render_lines` of the kept results (each with a number, a text and a decision)."""
    kept = [result for result in results if result.kept]
    return render_lines([result.number for result in kept], [result.text for result in kept], previous)


def render_text(lines: Iterable[NumberedText]) -> str:
    """:func:`render_lines` of every line given (each with a number and a text): a page as plain text."""
    lines = list(lines)
    return render_lines([line.number for line in lines], [line.text for line in lines])


class Renderer:
    """:func:`render_lines` of a long text fed a piece at a time (the kept lines of each segment of a
    stream): the pieces join to the rendering of the whole."""

    def __init__(self) -> None:
        self.previous: int | None = None

    def render(self, numbers: Sequence[int], texts: Sequence[str]) -> str:
        """The next lines, given by their numbers and texts."""
        piece = render_lines(numbers, texts, self.previous)
        if len(numbers):
            self.previous = numbers[-1]
        return piece

    def render_results(self, results: Iterable[NumberedLine]) -> str:
        """The kept lines of the next results."""
        kept = [result for result in results if result.kept]
        return self.render([result.number for result in kept], [result.text for result in kept])
