"""The cleaning pipeline and the library's entry points.

Cleaning a page is: decode, split into lines, featurize, predict, smooth by context, render.
:func:`classify_lines` is that pipeline on lines; :class:`Cleaner` feeds it text or HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from cleaner.errors import ModelError
from cleaner.lines import Line, LineResult
from cleaner.model import PREDICT_CHUNK_LINES, Model, softmax
from cleaner.options import Options
from cleaner.text import decode_text, replace_surrogates, split_lines

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
    if options.explain and 0 < len(content) <= PREDICT_CHUNK_LINES:
        # The scaled features serve the prediction and the explanation: computed once (a longer page
        # is predicted in chunks, see Model.predict_proba).
        scaled = model.features(content)
        label_probabilities = softmax(scaled @ model.coef.T + model.intercept)
    else:
        label_probabilities = model.predict_proba(content)
        scaled = model.features(content) if options.explain and content else None
    keep = model.keep_probability(label_probabilities, options.keep)
    keep = smooth(keep, model.smoothing if options.smoothing is None else options.smoothing)
    threshold = model.threshold if options.threshold is None else options.threshold
    labels = model.labels
    # Python floats and ints once per page, not numpy scalars once per line: the same values.
    best_of = label_probabilities.argmax(axis=1).tolist() if len(content) else []
    kept_of = (keep >= threshold).tolist()
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


def render(results: Sequence[LineResult]) -> str:
    """The kept lines, unchanged and in order; one blank line where anything stood between two of them."""
    out: list[str] = []
    previous: int | None = None
    for result in results:
        if not result.kept:
            continue
        if previous is not None and result.number != previous + 1:
            out.append("")
        out.append(result.text)
        previous = result.number
    return "\n".join(out) + "\n" if out else ""


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
        """The article of a page: the kept lines, unchanged and in their order."""
        return render(self.process(text, options, probabilities=False).results)

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
        from cleaner.html import segment_html

        lines = segment_html(html)
        model = self.html_model or self.text_model
        assert model is not None
        if model is self.text_model:
            # A text model sees HTML as a text dump would look: no markup features.
            lines = [replace(line, markup=None) for line in lines]
        return classify_lines(lines, model, replace(options, input_format="html"), probabilities=probabilities)

    def clean_html(self, html: str | bytes, options: Options = Options()) -> str:
        """The article of an HTML page, one block of text per line."""
        return render(self.classify_html(html, options, probabilities=False))

    # -- either -----------------------------------------------------------------------------

    def process(self, data: str | bytes, options: Options = Options(), *, probabilities: bool = True) -> Page:
        """Classify a page given as bytes or text, and say how it was read (for tools and the CLI).

        ``probabilities=False`` leaves each result's per-label ``probabilities`` empty (cheaper, for
        callers that need only the decisions).
        """
        if isinstance(data, bytes) and _wants_html(data[:_SNIFF_CHARS].decode("latin-1"), options):
            return Page(self.classify_html(data, options, probabilities=probabilities), "html")
        replaced = False
        if isinstance(data, bytes):
            decoded = decode_text(data)
            data, replaced = decoded.text, decoded.replaced
        else:
            data, replaced = replace_surrogates(data)
        if _wants_html(data, options):
            return Page(self.classify_html(data, options, probabilities=probabilities), "html", replaced)
        return Page(self._classify_text(data, options, probabilities), "text", replaced)

    def _classify_text(self, text: str, options: Options, probabilities: bool = True) -> list[LineResult]:
        if self.text_model is None:
            raise ModelError("this model was trained on HTML features; it cannot clean plain text")
        return classify_lines(split_lines(text), self.text_model, options, probabilities=probabilities)


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
