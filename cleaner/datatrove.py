"""cleaner as datatrove pipeline steps: an extractor for HTML documents, a filter for text documents.

Swapping datatrove's Trafilatura for cleaner is one line of a pipeline::

    from cleaner.datatrove import CleanerExtractor

    pipeline = [
        WarcReader("s3://commoncrawl/crawl-data/CC-MAIN-2024-22/segments/", glob_pattern="*/warc/*"),
        CleanerExtractor(),                 # was: Trafilatura(favour_precision=True)
        JsonlWriter("output/"),
    ]

and the pipeline runs on datatrove's local, Slurm and Ray executors alike: a step pickles small (its
options and the model's path, never the loaded model), and each worker process loads the model once,
on first use. For WET files (documents that are already text), use :class:`CleanerTextFilter`.

How the text compares with cleaner's own crawl reader (``cleaner.crawl``, the command line's): a
page that both read the same way gets the same text, as ``Cleaner.clean_html`` of the document's
text. They read pages differently in three places, all in datatrove's ``WarcReader``, before this
step: it decodes a body as UTF-8 or else with the charset cchardet guesses (and drops the page when
that fails), where cleaner.crawl follows the HTTP header's charset and then the page's own
``<meta charset>`` (so a page whose guess differs is cleaned from different text); it keeps HTML
responses whatever their HTTP status (404 pages, for one), which cleaner.crawl skips; and it reads
no page of ClueWeb09's WARC/0.18 files (their empty WARC-Identified-Payload-Type header reads as a
type that is not HTML), which cleaner.crawl reads.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.extractors.base import BaseExtractor
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from cleaner import DEFAULT_KEEP, Cleaner, InputError, Options

# Seconds one page may take before datatrove's sandbox gives up on it (and restarts its process). Pages
# clean in tens of milliseconds, a 1 MiB page (Common Crawl's cut-off) in about a second on a busy core;
# the same limit bounds the sandbox's start, which imports cleaner and loads the model (1-2 s) where
# its process is spawned rather than forked. Trafilatura's 1 s would cut both short.
DEFAULT_TIMEOUT = 5.0
# Why the text filter drops a document (datatrove counts each as "dropped_<reason>").
EMPTY = "empty"
UNREADABLE = "unreadable"
# Cleaning multiplies small matrices a page at a time: a second BLAS thread only spins.
BLAS_THREADS = 1

_lock = threading.Lock()
_cleaners: dict[str | None, Cleaner] = {}


def load_cleaner(model: str | None) -> Cleaner:
    """The Cleaner of ``model`` (a model file's path; None: the shipped models), loaded once per process.

    Loading limits BLAS to one thread in this process: datatrove runs a task per core already.
    """
    with _lock:
        cleaner = _cleaners.get(model)
        if cleaner is None:
            from threadpoolctl import threadpool_limits

            threadpool_limits(limits=BLAS_THREADS, user_api="blas")
            cleaner = _cleaners[model] = Cleaner.load(model)
        return cleaner


def _options(keep: Sequence[str] | str, threshold: float | None, input_format: str) -> Options:
    labels = keep.split(",") if isinstance(keep, str) else keep
    chosen = tuple(label.strip() for label in labels if label.strip())
    return Options(keep=chosen, threshold=threshold, input_format=input_format).checked()  # type: ignore[arg-type]


class _LazyCleaner:
    """A step's cleaner: loaded in the process that runs the step, left out when the step is pickled."""

    model: str | None
    _cleaner: Cleaner | None

    @property
    def cleaner(self) -> Cleaner:
        if self._cleaner is None:
            self._cleaner = load_cleaner(self.model)
        return self._cleaner

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_cleaner"] = None
        return state


class CleanerExtractor(_LazyCleaner, BaseExtractor):
    """The article of each HTML document (as ``WarcReader`` gives them), in place of its HTML.

    A document whose article is empty, or that cannot be read as a page, is dropped (counted as
    ``dropped``), as with datatrove's Trafilatura. Each page runs in datatrove's extraction sandbox, a
    separate process given ``timeout`` seconds per page (a page over it is skipped and counted as ``timeout``).

    Args:
        threshold: keep a line when its keep-probability reaches this; None: the model's own.
        keep: the labels whose lines are kept (a sequence, or comma-separated).
        model: a model file made by ``cleaner train``; None: the shipped models.
        timeout: seconds per page.
    """

    name = "🧹 cleaner"
    # Checked by datatrove when the step is made: the workers that run it need cleaner installed too.
    _requires_dependencies: ClassVar[list[str]] = ["cleaner"]

    def __init__(
        self,
        threshold: float | None = None,
        keep: Sequence[str] | str = DEFAULT_KEEP,
        model: str | Path | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(timeout)
        self.options = _options(keep, threshold, "html")
        self.model = str(model) if model is not None else None
        self._cleaner = None

    def extract(self, text: str) -> str:
        """The article of one HTML page ("" for none, or for a document that cannot be read as a page,
        binary data say: the document is then dropped)."""
        cleaner = self.cleaner  # the sandbox's warm-up call (with "") loads the model if this process lacks it
        if not text.strip():
            return ""
        try:
            article = cleaner.clean_html(text, self.options)
        except InputError:  # raised in the sandbox, it would kill its process and cost the page's timeout
            return ""
        return article if article.strip() else ""

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        # Loaded before the sandbox forks its process, which then starts with the model in memory.
        _ = self.cleaner
        yield from super().run(data, rank, world_size)


class CleanerTextFilter(_LazyCleaner, BaseFilter):
    """Cleans the text of each document (a WET record's, a text dump's) line by line with the text
    model, and drops the documents left empty (``dropped_empty``) or that cannot be read
    (``dropped_unreadable``, such as binary data). A dropped document keeps its text, for an
    ``exclusion_writer``.

    With ``batch_size`` > 1, the documents of a batch are classified together: the same texts, faster
    for many small documents.

    Args:
        threshold: keep a line when its keep-probability reaches this; None: the model's own.
        keep: the labels whose lines are kept (a sequence, or comma-separated).
        model: a model file made by ``cleaner train``; None: the shipped models.
        exclusion_writer: where dropped documents are written, if anywhere.
        batch_size: documents classified together.
    """

    name = "🧹 cleaner text"
    _requires_dependencies: ClassVar[list[str]] = ["cleaner"]

    def __init__(
        self,
        threshold: float | None = None,
        keep: Sequence[str] | str = DEFAULT_KEEP,
        model: str | Path | None = None,
        exclusion_writer: DiskWriter | None = None,
        batch_size: int = 1,
    ) -> None:
        super().__init__(exclusion_writer, batch_size)
        self.options = _options(keep, threshold, "text")
        self.model = str(model) if model is not None else None
        self._cleaner = None

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: list[Document]) -> list[bool | tuple[bool, str]]:
        texts = self._clean([doc.text for doc in batch])
        results: list[bool | tuple[bool, str]] = []
        for doc, text in zip(batch, texts):
            if text is None:
                results.append((False, UNREADABLE))
            elif not text.strip():
                results.append((False, EMPTY))
            else:
                doc.text = text
                results.append(True)
        return results

    def _clean(self, texts: list[str]) -> list[str | None]:
        cleaner = self.cleaner
        try:
            return list(cleaner.clean_many(texts, self.options))
        except InputError:  # a document of the batch cannot be read: one by one, that one gives None
            return [self._clean_one(cleaner, text) for text in texts]

    def _clean_one(self, cleaner: Cleaner, text: str) -> str | None:
        try:
            return cleaner.clean(text, self.options)
        except InputError:
            return None
