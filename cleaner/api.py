"""The library's entry points: :class:`Cleaner` (a loaded pair of models) and the module functions
that use the shipped models (:func:`clean`, :func:`classify`, :func:`clean_html`, :func:`classify_html`,
:func:`markdown`, :func:`extract`).

Every entry point runs the one pipeline of :mod:`cleaner.pipeline`: read the page once, then
features, model, decisions, and a rendering as text (``clean``), as Markdown (``markdown``), as a
:class:`~cleaner.document.Document` with the page's metadata (``extract``) or as a result per line
(``classify``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from cleaner import stream
from cleaner.errors import CleanerError
from cleaner.features import BATCH_CHARS
from cleaner.model import Model
from cleaner.options import Options
from cleaner.pipeline import Models, articles, classified
from cleaner.records import ReadPage
from cleaner.results import Article, LineResult, Page

if TYPE_CHECKING:
    from cleaner.document import Document

# The shipped models: in the installed package (cleaner.models), or in a source checkout's models/ folder.
DEFAULT_TEXT_MODEL = "text.json"
DEFAULT_HTML_MODEL = "html.json"
_CHECKOUT_MODELS = Path(__file__).resolve().parent.parent / "models"


def default_model_path(name: str = DEFAULT_TEXT_MODEL) -> Path:
    """Where a shipped model lies, whether cleaner runs installed or from a source checkout (where the
    ``cleaner`` folder, found first from the repository's root, has no ``models`` package of its own)."""
    try:
        return Path(str(resources.files("cleaner.models").joinpath(name)))
    except ModuleNotFoundError:
        return _CHECKOUT_MODELS / name


class Cleaner:
    """A loaded model (or a pair: one for text, one for HTML), reusable and thread-safe.

    Load once, call many times::

        cleaner = Cleaner.load()
        for page in pages:
            text = cleaner.clean(page)
    """

    def __init__(self, text_model: Model | None, html_model: Model | None = None) -> None:
        for model in (text_model, html_model):
            if model is not None and not isinstance(model, Model):
                raise TypeError(
                    f"a Cleaner is made of Models, not {type(model).__name__}: Cleaner.load(path) reads a file"
                )
        self.models = Models(text_model, html_model)

    @property
    def text_model(self) -> Model | None:
        return self.models.text

    @property
    def html_model(self) -> Model | None:
        return self.models.html

    @classmethod
    def load(cls, path: str | Path | None = None) -> Cleaner:
        """The shipped models, or the model file at ``path``.

        A text model serves both inputs (HTML is first cut into blocks of text); a model trained
        with markup features serves HTML only.
        """
        if path is None:
            html = default_model_path(DEFAULT_HTML_MODEL)
            return cls(Model.load(default_model_path(DEFAULT_TEXT_MODEL)), Model.load(html) if html.exists() else None)
        model = Model.load(path)
        if model.settings.uses_markup:
            return cls(None, model)
        return cls(model, None)

    # -- the kept text ----------------------------------------------------------------------

    def clean(self, page: str | bytes, options: Options = Options()) -> str:
        """The article of a page (text, Markdown, or HTML detected with ``input_format="auto"``): the
        kept lines, unchanged and in their order."""
        return self.article(page, options).text

    def clean_html(self, html: str | bytes, options: Options = Options()) -> str:
        """The article of an HTML page (bytes in any encoding, or str), one block of text per line."""
        page = self.models.read_html(html)
        return articles([page], self.models.for_html(), options)[0].text

    def article(self, page: str | bytes, options: Options = Options()) -> Article:
        """:meth:`clean` with how many lines were kept and dropped, and how the page was read."""
        return self.articles_of([self.read_page(page, options)], options)[0]

    def articles(self, pages: Iterable[str | bytes], options: Options = Options()) -> Iterator[Article]:
        """:meth:`article` of each page, in order, classified a batch of pages at a time: the same
        Articles, faster for many small pages (fewer NumPy calls per page). Raises at a page that
        cannot be read, as :meth:`article` would, once the Articles of the pages before it are given."""
        batch: list[ReadPage] = []
        size = 0
        for data in pages:
            try:
                page = self.read_page(data, options)
            except CleanerError:
                yield from self.articles_of(batch, options)
                raise
            batch.append(page)
            size += sum(map(len, page.texts))
            if size >= BATCH_CHARS:
                yield from self.articles_of(batch, options)
                batch, size = [], 0
        if batch:
            yield from self.articles_of(batch, options)

    def clean_many(self, pages: Iterable[str | bytes], options: Options = Options()) -> Iterator[str]:
        """:meth:`clean` of each page, in order, a batch of pages at a time (see :meth:`articles`)."""
        return (article.text for article in self.articles(pages, options))

    def read_page(
        self,
        page: str | bytes,
        options: Options = Options(),
        *,
        links: bool = False,
        metadata: bool = False,
        url: str | None = None,
    ) -> ReadPage:
        """Read a page for these models (the first half of :meth:`article`, which can fail on a page);
        :meth:`articles_of` (or :meth:`documents_of`) is the second, for a batch of pages.

        ``links=True`` records the links of an HTML page's lines, for Markdown with links.
        ``metadata=True`` reads an HTML page's metadata too, from the tree its lines are read from (the
        page parsed once; :meth:`documents_of` then takes it from there); ``url``: where the page came from.
        """
        _check_url(url)
        tree_reader = None
        if metadata:
            from cleaner.document import tree_metadata  # metadata extraction's modules: loaded on first use

            tree_reader = partial(tree_metadata, url=url)
        return self.models.read(page, options, links=links, tree_reader=tree_reader)

    def articles_of(self, pages: Sequence[ReadPage], options: Options = Options()) -> list[Article]:
        """The Articles of pages given by :meth:`read_page`, classified together (text and HTML apart)."""
        out: list[Article | None] = [None] * len(pages)
        for input_format in ("text", "html"):
            chosen = [i for i, page in enumerate(pages) if page.input_format == input_format]
            if chosen:
                model = self.models.for_page(pages[chosen[0]])
                for i, article in zip(chosen, articles([pages[i] for i in chosen], model, options)):
                    out[i] = article
        return out  # type: ignore[return-value]  # every page is text or HTML

    # -- Markdown, and the page's metadata ----------------------------------------------------

    def markdown(
        self, page: str | bytes, options: Options = Options(), *, links: bool = False, url: str | None = None
    ) -> str:
        """The article of a page as Markdown: the kept lines of :meth:`clean`, the same words in the same
        order, with headings, lists, tables, quotes and code blocks marked (see
        :mod:`cleaner.render.markdown`). Text and Markdown input pass through as :meth:`clean` returns them.

        ``links=True`` writes links as ``[text](url)``, made absolute against the page's ``<base href>``
        and ``url`` (where the page came from).
        """
        read = self.read_page(page, options, links=links)
        document = self.documents_of([read], options, urls=[url], links=links, metadata=False)[0]
        return document.markdown or ""

    def extract(
        self, page: str | bytes, options: Options = Options(), *, url: str | None = None, links: bool = False
    ) -> Document:
        """The article of a page (text and Markdown) with its metadata (title, author, date, language,
        canonical URL, site name, description) and what cleaning did; see :class:`~cleaner.document.Document`.

        ``url``: where the page came from (resolves its canonical URL and, with ``links=True``, its links).
        """
        read = self.read_page(page, options, links=links, metadata=True, url=url)
        return self.documents_of([read], options, urls=[url], links=links)[0]

    def documents(
        self,
        pages: Iterable[str | bytes],
        options: Options = Options(),
        *,
        urls: Iterable[str | None] | None = None,
        links: bool = False,
        markdown: bool = True,
        metadata: bool = True,
    ) -> Iterator[Document]:
        """:meth:`extract` of each page, in order, a batch of pages at a time (as :meth:`articles`);
        ``urls`` gives each page's URL (or None). ``markdown=False`` and ``metadata=False`` leave those
        fields None (cheaper). Raises at a page that cannot be read, as :meth:`extract` would, once the
        Documents of the pages before it are given."""
        url_of = iter(urls) if urls is not None else None
        batch: list[tuple[ReadPage, str | None]] = []
        size = 0
        for data in pages:
            url = next(url_of, None) if url_of is not None else None
            try:
                page = self.read_page(data, options, links=links, metadata=metadata, url=url)
            except CleanerError:  # the Documents of the pages before it first, as extract() would give them
                if batch:
                    yield from self._documents_of(batch, options, links, markdown, metadata)
                raise
            batch.append((page, url))
            size += sum(map(len, page.texts))
            if size >= BATCH_CHARS:
                yield from self._documents_of(batch, options, links, markdown, metadata)
                batch, size = [], 0
        if batch:
            yield from self._documents_of(batch, options, links, markdown, metadata)

    def documents_of(
        self,
        pages: Sequence[ReadPage],
        options: Options = Options(),
        *,
        sources: Sequence[str | bytes | None] | None = None,
        urls: Sequence[str | None] | None = None,
        links: bool = False,
        markdown: bool = True,
        metadata: bool = True,
    ) -> list[Document]:
        """The Documents of pages given by :meth:`read_page` (read with ``links=True`` for links),
        classified together (text and HTML apart), as :meth:`articles_of` gives their Articles.

        An HTML page read with ``metadata=True`` brings its metadata along; for one read without it,
        ``sources`` gives each page as given to :meth:`read_page`, parsed again for its metadata (None:
        it comes from the page's lines, as a text's does). ``urls``: each page's URL or None.
        """
        from cleaner.document import documents  # metadata extraction's modules: loaded on first use

        for url in urls or ():
            _check_url(url)
        out: list[Document | None] = [None] * len(pages)
        for input_format in ("text", "html"):
            chosen = [i for i, page in enumerate(pages) if page.input_format == input_format]
            if not chosen:
                continue
            found = documents(
                [pages[i] for i in chosen],
                self.models.for_page(pages[chosen[0]]),
                options,
                sources=[sources[i] for i in chosen] if sources is not None else None,
                urls=[urls[i] for i in chosen] if urls is not None else None,
                links=links,
                markdown=markdown,
                metadata=metadata,
            )
            for i, document in zip(chosen, found):
                out[i] = document
        return out  # type: ignore[return-value]  # every page is text or HTML

    def _documents_of(
        self,
        batch: list[tuple[ReadPage, str | None]],
        options: Options,
        links: bool,
        markdown: bool,
        metadata: bool,
    ) -> list[Document]:
        pages, urls = zip(*batch)
        return self.documents_of(pages, options, urls=urls, links=links, markdown=markdown, metadata=metadata)

    # -- a result per line ------------------------------------------------------------------

    def process(self, page: str | bytes, options: Options = Options(), *, probabilities: bool = True) -> Page:
        """Classify a page given as bytes or text, and say how it was read (for tools and the CLI).

        ``probabilities=False`` leaves each result's per-label ``probabilities`` empty (cheaper, for
        callers that need only the decisions).
        """
        read = self.read_page(page, options)
        return classified(read, self.models.for_page(read), options, probabilities=probabilities)

    def classify(self, page: str | bytes, options: Options = Options()) -> list[LineResult]:
        """A result per line of a page (blank lines of a text included, labelled ``-``)."""
        return self.process(page, options).results

    def classify_html(
        self, html: str | bytes, options: Options = Options(), *, probabilities: bool = True
    ) -> list[LineResult]:
        """A result per block of an HTML page (bytes in any encoding, or str)."""
        page = self.models.read_html(html)
        return classified(page, self.models.for_html(), options, probabilities=probabilities).results

    # -- streams ----------------------------------------------------------------------------

    def clean_stream(self, lines: Iterable[str], options: Options = Options()) -> Iterator[str]:
        """The article of a text of any length, given as lines (a text file iterated, a pipe...): the
        kept text, a piece at a time, with bounded memory (see :mod:`cleaner.stream`). A text of up to
        :data:`cleaner.stream.WHOLE_PAGE` characters is one page: the pieces join to :meth:`clean`."""
        return stream.clean_text_stream(self.models, lines, options)

    def clean_byte_stream(self, handle: BinaryIO, options: Options = Options()) -> Iterator[str]:
        """:meth:`clean_stream` of a byte stream (a file opened in binary mode, standard input's buffer)."""
        return stream.clean_byte_stream(self.models, handle, options)


@lru_cache(maxsize=1)
def default_cleaner() -> Cleaner:
    """The shipped models, loaded on first use and shared (models are immutable)."""
    return Cleaner.load()


def clean(page: str | bytes, options: Options = Options()) -> str:
    """Clean a page of text (or HTML, detected) with the shipped models."""
    return default_cleaner().clean(page, options)


def _check_url(url: object) -> None:
    """Raise TypeError for a page's URL that is neither a str nor None."""
    if url is not None and not isinstance(url, str):
        raise TypeError(f"a page's URL is a str or None, not {type(url).__name__}")


def classify(page: str | bytes, options: Options = Options()) -> list[LineResult]:
    """A result per line of a page, with the shipped models."""
    return default_cleaner().classify(page, options)


def clean_html(html: str | bytes, options: Options = Options()) -> str:
    """Clean an HTML page with the shipped models."""
    return default_cleaner().clean_html(html, options)


def classify_html(html: str | bytes, options: Options = Options()) -> list[LineResult]:
    """A result per block of an HTML page, with the shipped models."""
    return default_cleaner().classify_html(html, options)


def markdown(page: str | bytes, options: Options = Options(), *, links: bool = False, url: str | None = None) -> str:
    """The article of a page as Markdown, with the shipped models (see :meth:`Cleaner.markdown`)."""
    return default_cleaner().markdown(page, options, links=links, url=url)


def extract(
    page: str | bytes, options: Options = Options(), *, url: str | None = None, links: bool = False
) -> Document:
    """The article of a page with its metadata, with the shipped models (see :meth:`Cleaner.extract`)."""
    return default_cleaner().extract(page, options, url=url, links=links)
