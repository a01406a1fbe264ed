"""Metadata of plain text: from lines a text model labelled (``"heading"``, ``"meta"``, ...).

The title is the first heading; the author comes from the first "meta" line that reads as a byline
("By X", "Par X", "Von X", "Por X", "Di X", "Door X", "Av X", "Autor: X"...); the date is the first date
found in the "meta" lines (see :func:`cleaner.metadata.dates.find_date_in_text`).
"""

from __future__ import annotations

from collections.abc import Iterable

from cleaner.metadata.authors import byline_author, join_authors
from cleaner.metadata.dates import find_date_in_text
from cleaner.metadata.document import MAX_TITLE_CHARS, Metadata

__all__ = ["HEADING_LABEL", "META_LABEL", "metadata_from_lines"]

# The labels this reads; every other label is ignored.
HEADING_LABEL = "heading"
META_LABEL = "meta"


def metadata_from_lines(lines: Iterable[tuple[str, str]], language: str | None = None) -> Metadata:
    """Title, author and date of a text given as (text, label) pairs; the other fields are None.

    ``language`` (a BCP 47 tag, if known) settles how numeric dates like "3/12/2021" read.
    Malformed items (not a pair of strings) are skipped.
    """
    title: str | None = None
    authors: list[str] = []
    date: str | None = None
    for item in lines:
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            continue
        text, label = item
        if not isinstance(text, str) or not isinstance(label, str):
            continue
        # Only the first headings and the meta lines are read: the body of a page, most of its lines,
        # is passed over without its text being looked at.
        if label == HEADING_LABEL:
            if title is not None:
                continue
            text = " ".join(text.split())
            if text and len(text) <= MAX_TITLE_CHARS:
                title = text
        elif label == META_LABEL and (not authors or date is None):
            text = " ".join(text.split())
            if not text:
                continue
            if not authors:
                authors = byline_author(text)
            if date is None:
                date = find_date_in_text(text, language)
        if title is not None and authors and date is not None:
            break
    return Metadata(title=title, author=join_authors(authors), date=date)
