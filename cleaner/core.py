"""The cleaning pipeline and the library's entry points.

Cleaning a page is: decode, split into lines, featurize, predict, smooth by context, render.
:func:`classify_lines` is that pipeline on lines, with a result per line; :func:`_articles` is the same
pipeline for the kept text only, on pages read into columns (:class:`ReadPage`: their lines' numbers,
texts and markup, no object per line), many pages at once. :class:`Cleaner` feeds them text or HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from itertools import compress
from pathlib import Path

import numpy as np

from cleaner.errors import BinaryInputError, ModelError
from cleaner.lines import Line, LineResult, MarkupColumns
from cleaner.model import Model
from cleaner.options import Options
from cleaner.page_features import BATCH_CHARS
from cleaner.sniff import text_binary_kind
from cleaner.text import content_texts, decode_text, replace_surrogates, split_lines

# The shipped models, inside the installed package (the repository's models/ folder).
DEFAULT_TEXT_MODEL = "text.json"
DEFAULT_HTML_MODEL = "html.json"
# How much of a byte input is sniffed to tell HTML from text.
_SNIFF_CHARS = 4096


def default_model_path(name: str = DEFAULT_TEXT_MODEL) -> Path:
    return Path(str(resources.files("cleaner.models").joinpath(name)))


def smooth(probability: np.ndarray, weight: float) -> np.ndarray:
    """Blend each line's keep-probability with the mean of its two neighbours'.

    Revision by context, as jusText does: a short line between two kept paragraphs leans towards
    kept, a lone line in a run of noise towards dropped. The page edges count as their own value.
    """
    if weight <= 0 or len(probability) < 2:
        return probability
    padded = np.concatenate((probability[:1], probability, probability[-1:]))
    neighbours = (padded[:-2] + padded[2:]) / 2
    return (1 - weight) * probability + weight * neighbours


def classify_lines(
    lines: Sequence[Line], model: Model, options: Options = Options(), *, probabilities: bool = True
) -> list[LineResult]:
    """Label every line of one page. Blank lines are not classified; they get the label ``-``.

    With ``probabilities=False`` the results' ``probabilities`` dicts are left empty (label,
    keep-probability and decision are the same): for callers that only render the kept text.
    """
    options = options.checked()
    nonblank = [bool(line.text.strip()) for line in lines]
    content = [line for line, filled in zip(lines, nonblank) if filled]
    label_probabilities, keep, kept = _decide(model.predict_proba(content), model, options)
    # The scaled features, one wide row per line, are only built to explain the decisions.
    scaled = model.features(content) if options.explain and content else None
    labels = model.labels
    # Python floats and ints once per page, not numpy scalars once per line: the same values.
    best_of = label_probabilities.argmax(axis=1).tolist() if len(content) else []
    kept_of = kept.tolist()
    keep_of = keep.tolist()
    rows = label_probabilities.tolist() if probabilities else None
    results: list[LineResult] = []
    row = 0
    for line, filled in zip(lines, nonblank):
        if not filled:
            results.append(LineResult(line.number, line.text, "-", 0.0, False))
            continue
        best = best_of[row]
        results.append(
            LineResult(
                line.number,
                line.text,
                labels[best],
                round(keep_of[row], 4),
                kept_of[row],
                dict(zip(labels, [round(p, 4) for p in rows[row]])) if rows is not None else {},
                model.explain(scaled[row], best) if scaled is not None else (),
            )
        )
        row += 1
    return results


def _decide(
    label_probabilities: np.ndarray, model: Model, options: Options, bounds: Sequence[int] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The label probabilities, smoothed keep-probabilities and decisions of a page's non-blank lines
    (of several pages, starting at ``bounds``: each smoothed on its own)."""
    keep = model.keep_probability(label_probabilities, options.keep)
    weight = model.smoothing if options.smoothing is None else options.smoothing
    if bounds is None:
        keep = smooth(keep, weight)
    elif len(keep):
        keep = np.concatenate([smooth(keep[start:end], weight) for start, end in zip(bounds[:-1], bounds[1:])])
    threshold = model.threshold if options.threshold is None else options.threshold
    return label_probabilities, keep, keep >= threshold


def keep_mask(
    numbers: Sequence[int],
    texts: list[str],
    markup: MarkupColumns | None,
    model: Model,
    options: Options,
    bounds: Sequence[int] | None = None,
) -> np.ndarray:
    """Which of a page's non-blank lines (given as numbers, texts and markup) are kept; of several
    pages' lines, the pages starting at ``bounds``."""
    options = options.checked()
    if not texts:
        return np.zeros(0, dtype=bool)
    return _decide(model.predict_proba_columns(texts, numbers, markup, bounds), model, options, bounds)[2]


def _articles(pages: Sequence[ReadPage], model: Model, options: Options) -> list[Article]:
    """The Articles of pages read for ``model``, classified together: ``render(classify_lines(...))``
    of each page, without a Line or a result object per line."""
    bounds = np.cumsum([0] + [len(page.texts) for page in pages]).tolist()
    texts = [text for page in pages for text in page.texts]
    numbers = [number for page in pages for number in page.numbers]
    marks = [page.markup for page in pages]
    markup = None if any(m is None for m in marks) else MarkupColumns.concat(marks)  # type: ignore[arg-type]
    kept = keep_mask(numbers, texts, markup, model, options, bounds)
    out = []
    for page, start, end in zip(pages, bounds[:-1], bounds[1:]):
        mask = kept[start:end]
        count = int(mask.sum())
        text = _join_texts(page.numbers, page.texts, mask)
        out.append(Article(text, count, end - start - count, page.input_format, page.replaced))
    return out


def render(results: Sequence[LineResult]) -> str:
    """The kept lines, unchanged and in order; one blank line where anything stood between two of them."""
    kept = [result for result in results if result.kept]
    return _join_texts([result.number for result in kept], [result.text for result in kept])


def _join_texts(numbers: Sequence[int], texts: Sequence[str], kept: np.ndarray | None = None) -> str:
    """Lines given by their numbers and texts (those set in ``kept``, or all), one per line, with a
    blank line where their numbers skip; with a final newline."""
    if kept is not None:
        chosen = kept.tolist()
        numbers, texts = list(compress(numbers, chosen)), list(compress(texts, chosen))
    if not texts:
        return ""
    # Runs of consecutive numbers are printed as blocks, blocks are separated by a blank line.
    breaks = (np.flatnonzero(np.diff(np.asarray(numbers)) != 1) + 1).tolist()
    blocks = ["\n".join(texts[start:end]) for start, end in zip([0, *breaks], [*breaks, len(texts)])]
    return "\n\n".join(blocks) + "\n"


@dataclass(frozen=True)
class Article:
    """A cleaned page: the kept text, and what cleaning did (for summaries and logs)."""

    text: str
    """The kept lines, as :meth:`Cleaner.clean` returns them."""
    kept: int
    """Lines kept."""
    dropped: int
    """Non-blank lines dropped (blank lines are neither)."""
    input_format: str
    """``"text"`` or ``"html"``."""
    replaced: bool = False
    """True when invalid bytes were replaced while decoding."""


@dataclass(frozen=True, eq=False)
class ReadPage:
    """A page read and cut into the lines the model classifies (see :meth:`Cleaner.read_page`)."""

    numbers: list[int]
    texts: list[str]
    """The numbers and texts of the page's non-blank lines."""
    markup: MarkupColumns | None
    """What the HTML says about each line, for a model that reads it; else None."""
    input_format: str
    """``"text"`` or ``"html"``."""
    replaced: bool = False
    """True when invalid bytes were replaced while decoding."""


@dataclass(frozen=True)
class Page:
    """A classified page and how it was read."""

    results: list[LineResult]
    input_format: str
    """``"text"`` or ``"html"``."""
    replaced: bool = False
    """True when invalid bytes were replaced while decoding."""

    def text(self) -> str:
        return render(self.results)


class Cleaner:
    """A loaded model (or a pair: one for text, one for HTML), reusable and thread-safe.

    Load once, call many times::

        cleaner = Cleaner.load()
        for page in pages:
            text = cleaner.clean(page)
    """

    def __init__(self, text_model: Model | None, html_model: Model | None = None) -> None:
        if text_model is None and html_model is None:
            raise ModelError("a Cleaner needs at least one model")
        self.text_model = text_model
        self.html_model = html_model

    @classmethod
    def load(cls, path: str | Path | None = None) -> Cleaner:
        """The shipped models, or the model file at ``path``.

        A text model serves both inputs (HTML is first cut into blocks of text); a model trained
        with markup features serves HTML only.
        """
        if path is None:
            return cls(Model.load(default_model_path(DEFAULT_TEXT_MODEL)), _load_optional(DEFAULT_HTML_MODEL))
        model = Model.load(path)
        if model.settings.uses_markup:
            return cls(None, model)
        return cls(model, None)

    # -- text -------------------------------------------------------------------------------

    def classify(self, text: str | bytes, options: Options = Options()) -> list[LineResult]:
        """Per-line results for a page of plain text (or Markdown). HTML is detected with ``input_format="auto"``."""
        return self.process(text, options).results

    def clean(self, text: str | bytes, options: Options = Options()) -> str:
        """The article of a page: the kept lines, unchanged and in their order.

        The same text as ``render(self.classify(text, options))``, without a result object per line.
        """
        return self.article(text, options).text

    def article(self, data: str | bytes, options: Options = Options()) -> Article:
        """:meth:`clean` with how many lines were kept and dropped, and how the page was read."""
        page = self.read_page(data, options)
        return _articles([page], self._model_for(page), options)[0]

    def articles(self, pages: Iterable[str | bytes], options: Options = Options()) -> Iterator[Article]:
        """:meth:`article` of each page, in order, classified a batch of pages at a time: the same
        Articles, faster for many small pages (fewer NumPy calls per page). Raises at a page that
        cannot be read, as :meth:`article` would."""
        batch: list[ReadPage] = []
        size = 0
        for data in pages:
            page = self.read_page(data, options)
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

    def read_page(self, data: str | bytes, options: Options = Options()) -> ReadPage:
        """Decode a page (text, or HTML with ``input_format="auto"`` or ``"html"``) and cut it into
        the lines the model classifies: the first half of :meth:`article`, which can fail on a page;
        :meth:`articles_of` is the second, for a batch of pages."""
        is_html, data, replaced = self._read(data, options)
        if is_html:
            return self._read_html(data, replaced)
        self._require_text_model()
        numbers, texts = content_texts(data)  # type: ignore[arg-type]  # text input is decoded by _read
        return ReadPage(numbers, texts, None, "text", replaced)

    def articles_of(self, pages: Sequence[ReadPage], options: Options = Options()) -> list[Article]:
        """The Articles of pages given by :meth:`read_page`, classified together (in batches)."""
        out: list[Article | None] = [None] * len(pages)
        for input_format in ("text", "html"):
            chosen = [i for i, page in enumerate(pages) if page.input_format == input_format]
            if chosen:
                model = self._model_for(pages[chosen[0]])
                found = _articles([pages[i] for i in chosen], model, options)
                for i, article in zip(chosen, found):
                    out[i] = article
        return out  # type: ignore[return-value]  # every page is text or HTML

    def _model_for(self, page: ReadPage) -> Model:
        return self._html_model() if page.input_format == "html" else self._require_text_model()

    def clean_stream(self, lines: Iterable[str], options: Options = Options()) -> Iterator[str]:
        """The article of a text of any length, given as lines (a text file iterated, a pipe...):
        the kept text, a piece at a time, with bounded memory.

        A text of up to :data:`cleaner.stream.WHOLE_PAGE` characters is one page (the pieces join to
        exactly :meth:`clean`); a longer one is classified in segments cut at paragraph breaks
        (see :mod:`cleaner.stream`).
        """
        from cleaner.stream import clean_text_stream

        return clean_text_stream(self, lines, options)

    # -- HTML -------------------------------------------------------------------------------

    def classify_html(
        self, html: str | bytes, options: Options = Options(), *, probabilities: bool = True
    ) -> list[LineResult]:
        """Per-block results for an HTML page (bytes in any encoding, or str)."""
        lines, model = self._html_lines(html)
        return classify_lines(lines, model, replace(options, input_format="html"), probabilities=probabilities)

    def clean_html(self, html: str | bytes, options: Options = Options()) -> str:
        """The article of an HTML page, one block of text per line."""
        page = self._read_html(html)
        return _articles([page], self._html_model(), options)[0].text

    def _read_html(self, html: str | bytes, replaced: bool = False) -> ReadPage:
        from cleaner.html import html_blocks

        blocks = html_blocks(html)
        # A text model sees HTML as a text dump would look: no markup features.
        markup = None if self._html_model() is self.text_model else blocks.markup
        return ReadPage(blocks.numbers, blocks.texts, markup, "html", replaced)

    def _html_lines(self, html: str | bytes) -> tuple[list[Line], Model]:
        """The page's blocks of text, and the model that reads them."""
        page = self._read_html(html)
        marks = [None] * len(page.texts) if page.markup is None else page.markup.marks()
        return list(map(Line, page.numbers, page.texts, marks)), self._html_model()

    def _html_model(self) -> Model:
        model = self.html_model or self.text_model
        assert model is not None  # __init__ requires one of them
        return model

    # -- either -----------------------------------------------------------------------------

    def process(self, data: str | bytes, options: Options = Options(), *, probabilities: bool = True) -> Page:
        """Classify a page given as bytes or text, and say how it was read (for tools and the CLI).

        ``probabilities=False`` leaves each result's per-label ``probabilities`` empty (cheaper, for
        callers that need only the decisions).
        """
        is_html, data, replaced = self._read(data, options)
        if is_html:
            return Page(self.classify_html(data, options, probabilities=probabilities), "html", replaced)
        lines = split_lines(data)  # type: ignore[arg-type]  # text input is decoded by _read
        results = classify_lines(lines, self._require_text_model(), options, probabilities=probabilities)
        return Page(results, "text", replaced)

    def _read(self, data: str | bytes, options: Options) -> tuple[bool, str | bytes, bool]:
        """Whether the input is HTML; the input (HTML bytes are left for the HTML parser to decode,
        text is decoded); and whether invalid bytes or lone surrogates were replaced in decoding."""
        if isinstance(data, bytes) and _wants_html(data[:_SNIFF_CHARS].decode("latin-1"), options):
            return True, data, False
        replaced = False
        if isinstance(data, bytes):
            decoded = decode_text(data)
            data, replaced = decoded.text, decoded.replaced
        else:
            data, replaced = replace_surrogates(data)
            kind = text_binary_kind(data)
            if kind is not None:
                raise BinaryInputError(f"input is {kind}, not text or HTML")
        return _wants_html(data, options), data, replaced

    def _require_text_model(self) -> Model:
        if self.text_model is None:
            raise ModelError("this model was trained on HTML features; it cannot clean plain text")
        return self.text_model


def _wants_html(sample: str, options: Options) -> bool:
    if options.input_format == "auto":
        return _looks_like_html(sample[:_SNIFF_CHARS])
    return options.input_format == "html"


def _looks_like_html(text: str) -> bool:
    from cleaner.html import looks_like_html

    return looks_like_html(text)


def _load_optional(name: str) -> Model | None:
    path = default_model_path(name)
    return Model.load(path) if path.exists() else None


@lru_cache(maxsize=1)
def default_cleaner() -> Cleaner:
    """The shipped models, loaded on first use and shared (models are immutable)."""
    return Cleaner.load()


def clean(text: str | bytes, options: Options = Options()) -> str:
    """Clean a page of text (or HTML, detected) with the shipped model."""
    return default_cleaner().clean(text, options)


def classify(text: str | bytes, options: Options = Options()) -> list[LineResult]:
    """Per-line results for a page, with the shipped model."""
    return default_cleaner().classify(text, options)


def clean_html(html: str | bytes, options: Options = Options()) -> str:
    """Clean an HTML page with the shipped model."""
    return default_cleaner().clean_html(html, options)


def classify_html(html: str | bytes, options: Options = Options()) -> list[LineResult]:
    """Per-block results for an HTML page, with the shipped model."""
    return default_cleaner().classify_html(html, options)
