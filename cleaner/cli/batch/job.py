"""What the tasks of a batch share: the job (model, options, output format), the tasks themselves, and
the outcome each gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.api import Cleaner
from cleaner.cli.batch.plan import Source
from cleaner.options import Options
from cleaner.results import LineResult
from cleaner.site import MAX_LINES
from cleaner.stream import DEFAULT_BOUNDS, Bounds

if TYPE_CHECKING:  # cleaner.crawl (and its WARC parser) is imported only when a crawl file is read
    from cleaner.crawl import CrawlItem, CrawlStats
    from cleaner.crawl.results import RecordFields
    from cleaner.site import SiteCounts


@dataclass(frozen=True)
class Job:
    """What every task of a batch shares (sent once per task to the workers: keep it small)."""

    model: str | None
    options: Options
    output_format: str = "text"
    explain: bool = False
    jsonl_field: str | None = None
    jsonl_labels: bool = False
    name_files: bool = False
    """Name the file in each record of ``--format jsonl`` (when there are several inputs)."""
    links: bool = False
    """Markdown with links as ``[text](url)``."""
    metadata: bool = True
    """Crawl records carry the page's metadata."""
    bounds: Bounds = DEFAULT_BOUNDS
    site_count: bool = False
    """Pass 1 of site boilerplate: count the lines of each page per host (:mod:`cleaner.site`), write nothing."""
    site_table: str | None = None
    """Pass 2 of site boilerplate: the file of the lines each host repeats (saved by pass 1), to drop them."""
    site_max_lines: int = MAX_LINES
    """Pass 1: the bound of the counts (fingerprints in all)."""

    @property
    def site(self) -> bool:
        """Either pass of site boilerplate: pages are classified one at a time (never grouped)."""
        return self.site_count or self.site_table is not None

    @property
    def record_fields(self) -> RecordFields:
        """What a crawl file's records hold besides the text."""
        from cleaner.crawl.results import RecordFields

        return RecordFields(
            metadata=self.metadata,
            markdown=self.output_format == "markdown",
            links=self.links,
            labels=self.jsonl_labels,
        )

    @property
    def probabilities(self) -> bool:
        return self.output_format == "jsonl" and self.jsonl_field is None


@lru_cache(maxsize=4)
def load_cleaner(model: str | None) -> Cleaner:
    """The cleaner of ``model`` (a path, or None for the shipped models), loaded once per process."""
    return Cleaner.load(model)


@dataclass
class Outcome:
    """What a task did: counts, messages for stderr, and its output when it goes to standard output."""

    index: int
    pages: int = 0
    bytes: int = 0
    kept: int = 0
    dropped: int = 0
    errors: int = 0
    messages: list[str] = field(default_factory=list)
    output: str | None = None
    finished: bool = True
    """False for a chunk of a JSON Lines file that is not its last."""
    skipped: bool = False
    """Not cleaned: its output exists (``--skip-existing``)."""
    crawl: CrawlStats | None = None
    """A crawl file's counts (records, pages, skips by kind...) for what this task read."""
    site: SiteCounts | None = None
    """Pass 1 of site boilerplate: the lines counted in this task's pages."""
    site_dropped: int = 0
    """Pass 2 of site boilerplate: kept lines dropped as lines the host repeats."""

    def count(self, results: list[LineResult]) -> None:
        for result in results:
            if result.kept:
                self.kept += 1
            elif result.label != "-":
                self.dropped += 1

    def error(self, message: str) -> None:
        self.errors += 1
        self.messages.append(f"error: {message}")

    def cannot_write(self, target: Path, error: OSError) -> None:
        self.error(f"{target}: cannot write: {error.strerror or error}")

    def replaced_bytes(self, display: str) -> None:
        self.messages.append(f"warning: {display}: bytes that could not be decoded were replaced by U+FFFD")


@dataclass(frozen=True)
class FileTask:
    index: int
    source: Source
    stream: bool
    """Clean it as a stream (bounded memory): a file larger than a whole page."""


@dataclass(frozen=True)
class FilesTask:
    """Small files (each a FileTask, not a stream) cleaned to text, classified together."""

    files: tuple[FileTask, ...]


@dataclass(frozen=True)
class RecordsTask:
    index: int
    display: str
    first_line: int
    lines: tuple[bytes, ...]
    last: bool


@dataclass(frozen=True)
class CrawlTask:
    """Records of a crawl file (WARC, WET), read by the main process, to clean into JSON Lines."""

    index: int
    display: str
    items: tuple[CrawlItem, ...]
    last: bool
    bytes: int = 0
    """The bytes of the file these records span (as stored: compressed), for progress and totals."""
    name: str | None = None
    """Name the file in each record (under ``"file"``): several inputs share one output."""


# Tasks that are one chunk of an input (its outcome is ``finished`` only for the last chunk).
CHUNK_TASKS = (RecordsTask, CrawlTask)


@dataclass(frozen=True)
class ReadyTask:
    """Nothing left to compute: the outcome is known (a JSON Lines file's end, a read error, a skip)."""

    outcome: Outcome


@dataclass(frozen=True)
class InlineTask:
    """Done by the main process when its turn comes: a stream to standard output."""

    index: int
    source: Source


def failed(index: int, message: str, finished: bool = True) -> Outcome:
    outcome = Outcome(index, finished=finished)
    outcome.error(message)
    return outcome
