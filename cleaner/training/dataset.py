"""Labeled lines of many pages, and their features: what training and evaluation read."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from cleaner.errors import CleanerError, LabeledDataError, TrainingError
from cleaner.features.registry import lines_batch
from cleaner.records import LABELS, Line, PageBatch, PageSignals
from cleaner.training.labeled import LabeledPage


@dataclass
class Dataset:
    """Labeled lines of many pages: non-blank lines only, each page with its own page id."""

    lines: list[Line] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    """The outlet (or site) of each line's page: the unit of train/test splits."""
    sources: list[str] = field(default_factory=list)
    """One name per page, in page-id order."""
    emphasis: list[float] = field(default_factory=list)
    """A weight multiplier per line (1 unless a source deserves more say, like hand-labeled pages)."""
    signals: list[PageSignals] = field(default_factory=list)
    """What each page says about itself (its title, JSON-LD...: empty for a page labeled as text), in
    page-id order."""

    def add_page(
        self,
        lines: Sequence[Line],
        labels: Sequence[str],
        group: str,
        source: str,
        emphasis: float = 1.0,
        signals: PageSignals = PageSignals(),
    ) -> None:
        page = len(self.sources)
        self.sources.append(source)
        self.signals.append(signals)
        for line, label in zip(lines, labels):
            if label == "-" or not line.text.strip():
                continue
            self.lines.append(Line(line.number, line.text, line.markup, page))
            self.labels.append(label)
            self.groups.append(group)
            self.emphasis.append(emphasis)

    def extend(self, other: Dataset, emphasis: float = 1.0) -> None:
        """Append ``other``'s pages, multiplying their line weights by ``emphasis``."""
        combined = list(self.emphasis_array()) + list(other.emphasis_array() * emphasis)
        offset = len(self.sources)
        self.sources += other.sources
        self.signals += other.signals
        self.lines += [Line(ln.number, ln.text, ln.markup, ln.page + offset) for ln in other.lines]
        self.labels += other.labels
        self.groups += other.groups
        self.emphasis = combined

    def emphasis_array(self) -> np.ndarray:
        """Per-line weight multipliers (all 1 for a data set built without any)."""
        if not self.emphasis:
            return np.ones(len(self.lines))
        if len(self.emphasis) != len(self.lines):
            raise TrainingError("a data set needs one emphasis per line, or none")
        return np.asarray(self.emphasis, dtype=float)

    def batch(self) -> PageBatch:
        """The lines as the features stage reads them: a batch of pages, with what each page says
        about itself when the lines carry markup (as :meth:`PageBatch.of` gives an HTML page's)."""
        batch = lines_batch(self.lines)
        if batch.markup is None:
            return batch
        bounds = batch.bounds
        signals = tuple(self.signals[self.lines[start].page] for start in bounds[:-1])
        return replace(batch, signals=signals) if any(s != PageSignals() for s in signals) else batch

    def label_counts(self) -> dict[str, int]:
        counts = Counter(self.labels)
        return {label: counts[label] for label in LABELS if counts[label]}

    def digest(self) -> str:
        """A fingerprint of the lines and labels, recorded in the model to say what it was trained on."""
        hasher = hashlib.sha256()
        for line, label, group in zip(self.lines, self.labels, self.groups):
            hasher.update(f"{line.page}\t{group}\t{label}\t{line.text}\n".encode("utf-8", "surrogatepass"))
        return hasher.hexdigest()


def dataset_from_labeled(pages: Iterable[LabeledPage], *, markup: bool = False) -> Dataset:
    """The labeled lines of ``pages``. A page labeled from HTML is read again, for its lines' numbers
    and, with ``markup``, what the page's markup says about each line (:func:`html_lines`)."""
    data = Dataset()
    for page in pages:
        if page.html is None:
            lines, signals = [Line(number, text) for number, text in enumerate(page.lines, start=1)], PageSignals()
        else:
            lines, signals = html_lines(page, markup=markup)
        data.add_page(lines, page.labels, page.outlet, page.source, signals=signals)
    return data


def html_lines(page: LabeledPage, *, markup: bool) -> tuple[list[Line], PageSignals]:
    """The lines of a page labeled from HTML, read from its HTML page again (with their markup when
    ``markup``), and what the page says about itself (its title, JSON-LD: the page-signal features
    read them). Raises :class:`LabeledDataError` when the page cannot be read, or its lines are no
    longer the labeled rows (the page changed, or a row's text was edited)."""
    # Imported here: the read stage is only needed for pages labeled from HTML.
    from cleaner.files import read_input
    from cleaner.read import read_page

    path = page.html_path()
    assert path is not None
    try:
        read = read_page(read_input(path), "html", markup=markup)
    except CleanerError as error:
        raise LabeledDataError(f"{path}: cannot read the HTML page of a labeled page: {error}") from error
    if len(read.texts) != len(page.lines):
        raise LabeledDataError(
            f"{path}: reads as {len(read.texts)} lines, its labeled page has {len(page.lines)} rows: "
            "the page changed; label it again (cleaner annotate)"
        )
    for row, (text, labeled) in enumerate(zip(read.texts, page.lines), start=1):
        if text.strip() != labeled.strip():  # an editor may trim a row's trailing white space
            raise LabeledDataError(
                f"{path}: line {row} is not its labeled page's row {row} ({text[:60]!r} against {labeled[:60]!r}): "
                "edit the labels of a page labeled from HTML, not its text"
            )
    marks = read.markup.marks() if read.markup is not None else [None] * len(read.texts)
    lines = [Line(number, text, mark) for number, text, mark in zip(read.numbers, read.texts, marks)]
    return lines, read.signals


def line_chars(data: Dataset) -> np.ndarray:
    return np.fromiter((max(len(line.text.strip()), 1) for line in data.lines), dtype=float, count=len(data.lines))


def line_weights(data: Dataset) -> np.ndarray:
    """Weight lines by how much text they carry (the quality metric counts words, not lines),
    times each line's emphasis."""
    return np.sqrt(line_chars(data)) * data.emphasis_array()


def page_bounds(data: Dataset) -> list[int]:
    """Where each page's lines start in ``data``, and the end: ``[0, ..., len(data.lines)]``."""
    pages = np.fromiter((line.page for line in data.lines), dtype=np.int64, count=len(data.lines))
    if not len(pages):
        return [0]
    return [0, *(np.flatnonzero(pages[1:] != pages[:-1]) + 1).tolist(), len(pages)]
