"""The cleaned page of a crawl record, and its JSON form (one object a line, for JSON Lines)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cleaner.metadata import Metadata


@dataclass(frozen=True)
class LineLabel:
    """How one line (an HTML block, or a line of text) of a page was labelled."""

    number: int
    """The line's number in the page as the model read it (the ``number`` of its LineResult)."""
    label: str
    kept: bool
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.number, "label": self.label, "kept": self.kept, "text": self.text}


@dataclass(frozen=True)
class RecordFields:
    """What a page's record holds besides its text and counts."""

    metadata: bool = True
    """The page's title, author, date, site name, description and canonical URL (None when unknown);
    for HTML read from the tree the page's lines come from (:func:`cleaner.document.tree_metadata`)."""
    markdown: bool = False
    """The article as Markdown (:func:`cleaner.render.render_markdown`)."""
    links: bool = False
    """In the Markdown, links as ``[text](url)``, absolute against the record's URL."""
    labels: bool = False
    """Every non-blank line with its label (from the classification the text comes from)."""


@dataclass(frozen=True)
class CrawlResult:
    """One page of a crawl file, cleaned."""

    url: str | None
    """WARC-Target-URI."""
    warc_record_id: str | None
    warc_date: str | None
    """As written in the record (old crawls have dates that are not ISO dates)."""
    text: str
    """The article: exactly what ``Cleaner.clean_html`` (WARC) or ``Cleaner.clean`` (WET) gives."""
    lines_kept: int
    lines_dropped: int
    language: str | None
    """WET: WARC-Identified-Content-Language; HTML: ``<html lang>``, else Content-Language, else (when the
    metadata is read) the metadata's language (``<meta name="language">``, JSON-LD's ``inLanguage``...);
    as written."""
    labels: tuple[LineLabel, ...] | None = None
    """Every non-blank line with its label, when asked for."""
    offset: int | None = None
    """Where the record starts in its file (with the file name, enough to find it again); None in a file
    gzip-compressed whole (``gzip file.warc``), whose records have no offset of their own."""
    input_format: str = "html"
    """``"html"`` (a WARC response) or ``"text"`` (a WET conversion record)."""
    site_dropped: int | None = None
    """With site boilerplate (:mod:`cleaner.site`): the lines the model kept that were dropped as lines
    the host repeats (counted in ``lines_dropped`` too); None without."""
    metadata: Metadata | None = None
    """When asked for (:class:`RecordFields`); written as title, author, date, site_name, description
    and canonical_url (its ``url``), beside the record's own url and language."""
    markdown: str | None = None
    """When asked for (:class:`RecordFields`)."""

    def to_dict(self) -> dict[str, Any]:
        """The result as plain values; metadata, ``markdown`` and ``labels`` only when they were asked
        for, ``site_dropped`` only with site boilerplate."""
        data: dict[str, Any] = {
            "url": self.url,
            "warc_record_id": self.warc_record_id,
            "warc_date": self.warc_date,
            "offset": self.offset,
            "language": self.language,
            **(_metadata_fields(self.metadata) if self.metadata is not None else {}),
            "lines_kept": self.lines_kept,
            "lines_dropped": self.lines_dropped,
            "text": self.text,
        }
        if self.markdown is not None:
            data["markdown"] = self.markdown
        if self.site_dropped is not None:
            data["site_dropped"] = self.site_dropped
        if self.labels is not None:
            data["labels"] = [label.to_dict() for label in self.labels]
        return data

    def to_json(self) -> str:
        """One JSON object on one line (non-ASCII text kept as is), for JSON Lines output."""
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _metadata_fields(found: Metadata) -> dict[str, str | None]:
    return {
        "title": found.title,
        "author": found.author,
        "date": found.date,
        "site_name": found.site_name,
        "description": found.description,
        "canonical_url": found.url,
    }
