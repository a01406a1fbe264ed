"""cleaner: keep the article of a scraped web page, drop the boilerplate around it, line by line.

    >>> from cleaner import clean, classify, extract, markdown
    >>> article = clean(page_text)          # plain text, Markdown or HTML
    >>> for line in classify(page_text):     # per-line labels and probabilities
    ...     print(line.label, line.keep_probability, line.text)
    >>> markdown(page_html)                  # the article as Markdown: headings, lists, tables...
    >>> doc = extract(page_html, url=url)    # text, Markdown, title, author, date, language...
    >>> doc.title, doc.date, doc.to_dict()

Load a model once and reuse it (thread-safe) with :class:`Cleaner`.
"""

from typing import TYPE_CHECKING, Any

from cleaner.api import Cleaner, classify, classify_html, clean, clean_html, extract, markdown
from cleaner.errors import (
    BinaryInputError,
    CleanerError,
    InputError,
    LabeledDataError,
    ModelError,
    OptionsError,
    TrainingError,
)
from cleaner.model import Model
from cleaner.options import Options
from cleaner.records import DEFAULT_KEEP, LABELS, Line, Markup
from cleaner.results import Article, LineResult, Page

if TYPE_CHECKING:
    from cleaner.document import Document

__all__ = [
    "DEFAULT_KEEP",
    "LABELS",
    "Article",
    "BinaryInputError",
    "Cleaner",
    "CleanerError",
    "Document",
    "InputError",
    "LabeledDataError",
    "Line",
    "LineResult",
    "Markup",
    "Model",
    "ModelError",
    "Options",
    "OptionsError",
    "Page",
    "TrainingError",
    "classify",
    "classify_html",
    "clean",
    "clean_html",
    "extract",
    "markdown",
]


def __getattr__(name: str) -> Any:
    # Document (and the metadata extraction behind it) loads on first use: cleaning alone never needs it.
    if name == "Document":
        from cleaner.document import Document

        return Document
    raise AttributeError(f"module 'cleaner' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "Document"})
