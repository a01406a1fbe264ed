"""A page's article with what the page says about itself: :class:`Document`, what
:func:`cleaner.extract` and :meth:`cleaner.Cleaner.extract` return.

A Document holds the kept text (as :meth:`~cleaner.Cleaner.clean` returns it), its Markdown
(:func:`cleaner.render.render_markdown`), the page's metadata and what cleaning did. Metadata of HTML
comes from the page's markup (:func:`cleaner.metadata.extract_metadata` over an lxml tree of the page,
decoded as the reader decodes it: one more parse, only here); metadata of text from the lines the model
labelled (:func:`cleaner.metadata.metadata_from_lines`: the first heading, a byline and a date among the
"meta" lines). Missing metadata is None, never an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from lxml import etree

from cleaner.errors import CleanerError
from cleaner.languages import primary_language
from cleaner.metadata import Metadata, extract_metadata, metadata_from_lines
from cleaner.model import Model
from cleaner.options import Options
from cleaner.pipeline import decide_pages
from cleaner.read.decode import decode_html, utf8_encoded, utf8_page
from cleaner.read.parse import parse_tree
from cleaner.records import ReadPage
from cleaner.render import render_kept, render_markdown

__all__ = ["Document", "documents", "html_metadata", "lines_metadata", "page_metadata", "tree_metadata"]


@dataclass(frozen=True)
class Document:
    """A cleaned page with its metadata. Fields not known (or not asked for) are None."""

    text: str
    """The kept lines, as :meth:`cleaner.Cleaner.clean` returns them."""
    markdown: str | None = None
    """The kept lines as Markdown (:func:`cleaner.render.render_markdown`); the text itself for text input."""
    title: str | None = None
    author: str | None = None
    """One name, or several joined with "; "."""
    date: str | None = None
    """The publication date, ``YYYY-MM-DD``."""
    language: str | None = None
    """The primary language subtag the page declares ("de" for "de-AT")."""
    url: str | None = None
    """The page's canonical URL (absolute), else the URL it was given with."""
    site_name: str | None = None
    description: str | None = None
    lines_kept: int = 0
    lines_dropped: int = 0
    """Non-blank lines dropped."""
    fallback: bool = False
    """True when the page's best region was kept for want of anything kept (see :class:`cleaner.Article`)."""
    narrowed: bool = False
    """True when only the kept lines inside the page's main region or content elements were kept (see
    :class:`cleaner.Article`)."""
    from_data: bool = False
    """True when the article the page's structured data gives was read as part of it (see :class:`cleaner.Article`)."""
    input_format: str = "text"
    """``"text"`` or ``"html"``."""

    @property
    def metadata(self) -> Metadata:
        """What the page says about itself (the metadata fields, as :class:`~cleaner.metadata.Metadata`)."""
        return Metadata(self.title, self.author, self.date, self.language, self.url, self.site_name, self.description)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict, in declaration order (None for what is missing)."""
        return asdict(self)

    def to_json(self, **kwargs: Any) -> str:
        """The fields as a JSON object (``null`` for what is missing); ``kwargs`` go to :func:`json.dumps`."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)


def html_metadata(data: str | bytes, url: str | None = None) -> Metadata:
    """The metadata of an HTML page given as a str or as bytes in any encoding (decoded as
    :func:`cleaner.read.read_html` decodes it). Never raises: a page that cannot be parsed has none."""
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    source: bytes | None
    if isinstance(data, str):
        source = utf8_encoded(data)[0]
    elif isinstance(data, bytes):
        source = utf8_page(data)
        if source is None:
            try:
                source = decode_html(data).text.encode("utf-8")
            except CleanerError:  # binary data
                return Metadata(url=url)
    else:
        return Metadata(url=url)
    return tree_metadata(parse_tree(source)[0], url)


def tree_metadata(root: etree._Element | None, url: str | None = None) -> Metadata:
    """:func:`html_metadata` of a page already parsed (:func:`cleaner.read.parse.parse_tree`; None
    for a page the parser gave no tree of). A :data:`~cleaner.read.TreeReader` with ``url`` bound."""
    return Metadata(url=url) if root is None else extract_metadata(root, url)


def page_metadata(
    page: ReadPage, labels: Sequence[str], source: str | bytes | None = None, url: str | None = None
) -> Metadata:
    """The metadata of a read page: from its markup when it is HTML and its ``source`` is given, else from
    its lines and the labels the model gave them (one per line of ``page.texts``); the page's declared
    language and ``url`` fill what the lines cannot say."""
    return lines_metadata(page.input_format, zip(page.texts, labels), page.signals.lang, source, url)


def lines_metadata(
    input_format: str,
    lines: Iterable[tuple[str, str]],
    lang: str | None = None,
    source: str | bytes | None = None,
    url: str | None = None,
) -> Metadata:
    """:func:`page_metadata` from a page's (text, label) pairs and declared language ``lang``."""
    if input_format == "html" and source is not None:
        return html_metadata(source, url)
    found = metadata_from_lines(lines, lang or None)
    return Metadata(title=found.title, author=found.author, date=found.date, language=primary_language(lang), url=url)


def documents(pages: Sequence[ReadPage], model: Model, options: Options, **fields: Any) -> list[Document]:
    """The Documents of ``pages`` (all read for ``model``; with ``links=True``, read with links),
    classified together; ``fields`` as for :func:`labelled_documents` (``labels`` aside).

    ``sources``: each page as given (str or bytes), for the metadata of HTML pages (without it, an
    HTML page's metadata comes from its lines as a text's does); ``urls``: where each page came from
    (the base of its links, the URL its canonical URL resolves against). ``markdown=False`` and
    ``metadata=False`` leave those fields None.
    """
    return [document for document, _ in labelled_documents(pages, model, options, **fields)]


def labelled_documents(
    pages: Sequence[ReadPage],
    model: Model,
    options: Options,
    *,
    sources: Sequence[str | bytes | None] | None = None,
    urls: Sequence[str | None] | None = None,
    links: bool = False,
    markdown: bool = True,
    metadata: bool = True,
    labels: bool = False,
) -> list[tuple[Document, list[tuple[int, str, bool, str]] | None]]:
    """:func:`documents`, each with (``labels=True``) its lines as the same classification labelled
    them: (number, label, kept, text) for each line of ``page.texts`` (None without)."""
    decisions = decide_pages(pages, model, options)
    kept = decisions.kept.tolist()
    best = decisions.probabilities.argmax(axis=1).tolist() if len(kept) else []
    out = []
    start = 0
    for index, page in enumerate(pages):
        end = start + len(page.texts)
        mask = kept[start:end]
        url = urls[index] if urls is not None else None
        text = render_kept(page.numbers, page.texts, mask)
        page_labels = [model.labels[row] for row in best[start:end]] if labels else None
        rendered = None
        if markdown:
            rendered = render_markdown(page, mask, links=links, url=url) if page.structure is not None else text
        meta = Metadata()
        if metadata and isinstance(page.from_tree, Metadata):  # read from the tree the lines came from
            meta = page.from_tree
        elif metadata:
            line_labels = page_labels or [model.labels[row] for row in best[start:end]]
            meta = page_metadata(page, line_labels, sources[index] if sources is not None else None, url)
        count = sum(mask)
        fallback, narrowed = decisions.page_flags(index)
        lines = list(zip(page.numbers, page_labels, mask, page.texts)) if page_labels is not None else None
        document = Document(
            text,
            rendered,
            meta.title,
            meta.author,
            meta.date,
            meta.language,
            meta.url,
            meta.site_name,
            meta.description,
            lines_kept=count,
            lines_dropped=end - start - count,
            fallback=fallback,
            narrowed=narrowed,
            from_data=page.signals.from_data,
            input_format=page.input_format,
        )
        out.append((document, lines))
        start = end
    return out
